"""Template tags of group discipline: the pledges an inspector still has to sign (shown on the workbench)."""

from __future__ import annotations

from django import template

from xuncha.groupwork.selectors import pledges_to_sign

register = template.Library()


@register.simple_tag
def unsigned_pledges(user) -> list:
    return list(pledges_to_sign(viewer=user))
