"""The navigation every page shows: which links a role gets, and which one is the current page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xuncha.org.models import Role

ALL = {Role.ADMIN, Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.UNIT, Role.RECEIVER}
OVERSIGHT = {Role.ADMIN, Role.LEADER, Role.OFFICE}


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: object
    roles: frozenset
    # URL names (besides url_name) under which this entry counts as the current section.
    also: tuple[str, ...] = ()


NAV: list[NavEntry] = [
    NavEntry("web:workbench", _("Workbench"), frozenset(ALL)),
    NavEntry("web:unit_tree", _("Unit library"), frozenset(OVERSIGHT | {Role.INSPECTOR}),
             also=("web:unit_detail", "web:committee_rules")),
    NavEntry("web:round_list", _("Inspection rounds"), frozenset(OVERSIGHT | {Role.INSPECTOR}),
             also=("web:round_detail", "web:inspection_detail")),
    NavEntry("web:pool_list", _("Talent pool"), frozenset({Role.ADMIN, Role.OFFICE}),
             also=("web:pool_create", "web:pool_detail", "web:pool_edit", "web:pool_import", "web:pool_groups",
                   "web:pool_group_detail")),
    NavEntry("web:draw_list", _("Group draws"), frozenset({Role.ADMIN, Role.OFFICE}),
             also=("web:draw_create", "web:draw_detail", "web:draw_slip")),
    NavEntry("web:problem_list", _("Problem ledger"), frozenset(OVERSIGHT | {Role.INSPECTOR}),
             also=("web:problem_detail", "web:problem_create", "web:problem_import")),
    NavEntry("web:task_list", _("Rectification ledger"), frozenset(OVERSIGHT | {Role.INSPECTOR}),
             also=("web:task_detail",)),
    NavEntry("web:plan_list", _("Rectification plans"), frozenset(OVERSIGHT | {Role.INSPECTOR}),
             also=("web:plan_detail", "web:plan_feedback", "web:plan_report", "web:plan_import")),
    NavEntry("web:rectification_dashboard", _("Rectification oversight"), frozenset(OVERSIGHT),
             also=("web:flag_list", "web:flag_detail", "web:recheck_list", "web:recheck_detail",
                   "web:accountability_list")),
    NavEntry("web:unit_portal", _("Our rectification"), frozenset({Role.UNIT})),
    NavEntry("web:clue_list", _("Problem clues"), frozenset(OVERSIGHT | {Role.INSPECTOR, Role.RECEIVER}),
             also=("web:clue_detail",)),
    NavEntry("web:suggestion_list", _("Suggestions"), frozenset(OVERSIGHT | {Role.INSPECTOR, Role.UNIT}),
             also=("web:suggestion_detail",)),
    NavEntry("web:registry_list", _("Reports and petitions"), frozenset({Role.ADMIN, Role.OFFICE, Role.INSPECTOR}),
             also=("web:registry_detail", "web:registry_register", "web:identity_requests")),
    NavEntry("web:talk_list", _("Individual talks"), frozenset({Role.ADMIN, Role.OFFICE, Role.INSPECTOR}),
             also=("web:talk_detail", "web:talk_plan")),
    NavEntry("web:triage_list", _("Daily triage"), frozenset({Role.ADMIN, Role.OFFICE, Role.INSPECTOR}),
             also=("web:triage_board",)),
    NavEntry("web:survey_list", _("Surveys"), frozenset({Role.ADMIN, Role.OFFICE, Role.INSPECTOR}),
             also=("web:survey_detail", "web:survey_create", "web:survey_question", "web:survey_results")),
    NavEntry("web:groupwork_home", _("Group discipline"), frozenset({Role.ADMIN, Role.OFFICE, Role.INSPECTOR}),
             also=("web:groupwork_group", "web:groupwork_pledge", "web:groupwork_branch", "web:attendance_month",
                   "web:attendance_record", "web:worklog_list", "web:worklog_write", "web:worklog_detail",
                   "web:meeting_list", "web:meeting_create", "web:meeting_detail", "web:meeting_edit",
                   "web:grouprequest_list", "web:grouprequest_create", "web:grouprequest_detail")),
    NavEntry("web:stats", _("Statistics"), frozenset(OVERSIGHT | {Role.INSPECTOR})),
    NavEntry("web:audit_list", _("Audit log"), frozenset({Role.OFFICE, Role.ADMIN})),
]


# The menu's sections: entries named here are gathered under one dropdown, so the bar fits one line at 1280 px.
# A section with a single entry for the viewer is shown as that plain link. Entries not named stay top-level.
NAV_SECTIONS: dict[str, tuple[str, object]] = {
    "web:unit_tree": ("plan", _("Plans and rounds")),
    "web:round_list": ("plan", _("Plans and rounds")),
    "web:pool_list": ("plan", _("Plans and rounds")),
    "web:draw_list": ("plan", _("Plans and rounds")),
    "web:registry_list": ("field", _("In the field")),
    "web:talk_list": ("field", _("In the field")),
    "web:triage_list": ("field", _("In the field")),
    "web:survey_list": ("field", _("In the field")),
    "web:groupwork_home": ("field", _("In the field")),
    "web:clue_list": ("field", _("In the field")),
    "web:problem_list": ("rectify", _("Problems and rectification")),
    "web:task_list": ("rectify", _("Problems and rectification")),
    "web:plan_list": ("rectify", _("Problems and rectification")),
    "web:rectification_dashboard": ("rectify", _("Problems and rectification")),
    "web:suggestion_list": ("rectify", _("Problems and rectification")),
}


def nav_items(request: HttpRequest) -> list[dict]:
    """Top-level menu items; a section is {"label", "children", "active", "section"} with the links inside."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items: list[dict] = []
    sections: dict[str, dict] = {}
    for entry in NAV:
        if user.role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            # A section another part of the platform has not wired up (yet): leave it out of the menu.
            continue
        link = {"url": url, "label": entry.label, "name": entry.url_name,
                "active": current == entry.url_name or current in entry.also}
        key, label = NAV_SECTIONS.get(entry.url_name, (None, None))
        if key is None:
            items.append(link)
        elif key in sections:
            sections[key]["children"].append(link)
        else:
            sections[key] = {"label": label, "section": key, "children": [link]}
            items.append(sections[key])
    flat = []
    for item in items:
        children = item.get("children")
        if children is not None and len(children) == 1:
            item = children[0]
        elif children is not None:
            order = list(NAV_SECTIONS)
            children.sort(key=lambda c: order.index(c["name"]))
            item["active"] = any(c["active"] for c in children)
        flat.append(item)
    return flat


def _scope_label(user) -> str:
    if user.role == Role.UNIT and user.unit_id:
        return str(user.unit)
    if user.role == Role.RECEIVER and user.organ_id:
        return str(user.organ)
    if user.committee_id:
        return user.committee.region or str(user.committee)
    return ""


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from xuncha.notifications.selectors import unread_count

    return {
        "nav_unread": unread_count(viewer=user),
        "nav_items": nav_items(request),
        "nav_role_label": user.get_role_display() if user.role else "",
        "nav_scope_label": _scope_label(user),
    }
