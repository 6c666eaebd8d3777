"""Today, deadlines and month arithmetic (regulations count deadlines in months)."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    pinned = getattr(settings, "XUNCHA_TODAY", "")
    if pinned:
        return datetime.date.fromisoformat(pinned)
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day-of-month `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def days_left(deadline: datetime.date | None, *, on: datetime.date | None = None) -> int | None:
    if deadline is None:
        return None
    return (deadline - (on or today())).days
