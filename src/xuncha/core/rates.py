"""Percentages as offices report them: two decimals, rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percentage(part: int, whole: int) -> Decimal | None:
    """part/whole × 100 with two decimals; None when nothing was counted (shown as “—”)."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
