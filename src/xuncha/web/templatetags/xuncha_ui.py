"""Small template helpers shared by every page: rates, lights, progress widths, query strings."""

from __future__ import annotations

import json
from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

register = template.Library()

DASH = "—"


@register.filter
def rate(value: Decimal | float | None) -> str:
    """A rate as offices print it: two decimals and a % sign, “—” when nothing was counted."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(value).quantize(Decimal('0.01'))}%"


@register.filter
def step5(value: Decimal | float | int | None) -> int:
    """A percentage rounded to the nearest 5 (0–100), for the .w-N / .l-N width classes."""
    if value is None:
        return 0
    number = max(0.0, min(100.0, float(value)))
    return int(round(number / 5.0) * 5)


LIGHT_BADGE = {"red": "badge-red", "yellow": "badge-yellow", "green": "badge-green", "done": "badge-gray"}


@register.filter
def light_badge(light: str) -> str:
    return LIGHT_BADGE.get(light, "badge-gray")


@register.filter
def light_label(light: str) -> str:
    return {
        "red": _("Overdue"),
        "yellow": _("Due soon"),
        "green": _("On track"),
        "done": _("Closed"),
    }.get(light, DASH)


@register.filter
def days_since(day) -> int | None:
    """Whole days from `day` to today (the platform's today, which tests and demos may pin)."""
    from xuncha.core.dates import today

    if not day:
        return None
    return (today() - day).days


@register.filter
def days_left_label(days: int | None) -> str:
    """“12 days left”, “due today”, “3 days overdue”."""
    if days is None:
        return DASH
    if days == 0:
        return _("Due today")
    if days > 0:
        return _("%(n)s days left") % {"n": days}
    return _("%(n)s days overdue") % {"n": -days}


DEADLINE_BADGE = {"done": "badge-green", "late": "badge-yellow", "overdue": "badge-red", "pending": "badge-blue",
                  "unscheduled": "badge-gray"}


@register.filter
def deadline_badge(state: str) -> str:
    return DEADLINE_BADGE.get(state, "badge-gray")


@register.filter
def deadline_state_label(state: str) -> str:
    return {
        "done": _("Met"),
        "late": _("Met late"),
        "overdue": _("Overdue"),
        "pending": _("Pending"),
        "unscheduled": _("Not scheduled"),
    }.get(state, DASH)


TASK_STATUS_BADGE = {"open": "badge-gray", "in_progress": "badge-blue", "awaiting_review": "badge-yellow",
                     "closed": "badge-green"}


@register.filter
def task_status_badge(status: str) -> str:
    return TASK_STATUS_BADGE.get(status, "badge-gray")


STAGE_BADGE = {"prepare": "badge-gray", "fieldwork": "badge-blue", "report": "badge-blue", "feedback": "badge-blue",
               "rectify": "badge-yellow", "follow_up": "badge-green", "archived": "badge-gray"}


@register.filter
def stage_badge(stage: str) -> str:
    return STAGE_BADGE.get(stage, "badge-gray")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None or "" removes them): for pagers."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return ""
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def url_or(name: str, *args, fallback: str = "", query: str = "") -> str:
    """Reverse `name`, or `fallback` when a page is not wired up: a link then leads to the nearest list."""
    for candidate, candidate_args in ((name, args), (fallback, ())):
        if not candidate:
            continue
        try:
            url = reverse(candidate, args=candidate_args)
        except NoReverseMatch:
            continue
        if candidate != name and query:
            url += query
        return url
    return ""


@register.filter
def pretty_json(value) -> str:
    """Audit before/after as readable JSON (Chinese kept as is)."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)
