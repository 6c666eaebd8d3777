"""The oversight pages: login, workbench, unit library, rounds, inspections, statistics, audit trail.

Views stay thin: reads go through selectors (out of scope → 404), writes through services; a refused
write re-renders the page with the user's input and the service's message.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.core import throttle
from xuncha.core.dates import today
from xuncha.core.errors import ServiceError
from xuncha.core.selectors import audit_list as audit_events
from xuncha.core.selectors import audit_may_read
from xuncha.findings.models import Suggestion
from xuncha.findings.selectors import clue_list, problem_list, suggestion_list
from xuncha.findings.services import RECORDING_STAGES, can_record_in
from xuncha.org import selectors as org_selectors
from xuncha.org import services as org_services
from xuncha.org.models import Committee, Role, User
from xuncha.rectification.models import TaskStatus
from xuncha.rectification.selectors import task_light, task_list
from xuncha.rounds import selectors as round_selectors
from xuncha.rounds import services as round_services
from xuncha.rounds.models import Inspection, Round, Stage
from xuncha.stats import selectors as stats
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import service_error_status
from xuncha.web.forms import (
    DeadlineRulesForm,
    InspectionAdvanceForm,
    InspectionScheduleForm,
    LoginForm,
    RoundApprovalForm,
)

OVERSIGHT = (Role.ADMIN, Role.LEADER, Role.OFFICE)
WORKBENCH_LIMIT = 8

# What each audited action means, in the words of the office (the code stays visible beside it).
ACTION_LABELS = {
    "committee.create": gettext_lazy("Committee created"),
    "committee.deadline_rules": gettext_lazy("Deadline rules changed"),
    "unit.create": gettext_lazy("Unit added"),
    "unit.update": gettext_lazy("Unit changed"),
    "cadre.add": gettext_lazy("Cadre added"),
    "organ.create": gettext_lazy("Receiving organ added"),
    "account.create": gettext_lazy("Account created"),
    "api_token.issue": gettext_lazy("API token issued"),
    "api_token.revoke": gettext_lazy("API token revoked"),
    "plan.create": gettext_lazy("Term plan made"),
    "round.create": gettext_lazy("Round created"),
    "round.approve": gettext_lazy("Unit list approval recorded"),
    "group.create": gettext_lazy("Inspection group formed"),
    "inspection.create": gettext_lazy("Inspection created"),
    "inspection.schedule": gettext_lazy("Schedule changed"),
    "inspection.advance": gettext_lazy("Stage moved on"),
    "problem.record": gettext_lazy("Problem recorded"),
    "problem.update": gettext_lazy("Problem changed"),
    "problem.import": gettext_lazy("Problems imported"),
    "problem.status": gettext_lazy("Problem status changed"),
    "problem.feed_back": gettext_lazy("Problem fed back"),
    "suggestion.make": gettext_lazy("Suggestion made"),
    "suggestion.complete": gettext_lazy("Suggestion completed"),
    "clue.hand_over": gettext_lazy("Clue handed over"),
    "clue.dispose": gettext_lazy("Clue disposal recorded"),
    "task.create": gettext_lazy("Rectification task planned"),
    "task.update": gettext_lazy("Rectification task changed"),
    "task.progress": gettext_lazy("Progress reported"),
    "task.in_progress": gettext_lazy("Task under way (or returned)"),
    "task.awaiting_review": gettext_lazy("Task submitted for checking"),
    "task.closed": gettext_lazy("Task checked and closed"),
    "demo.build": gettext_lazy("Demo data built"),
}


def _object_type_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


# ---------------------------------------------------------------- helpers


def _office_of(user: User, committee: Committee, *, leader_ok: bool = False) -> bool:
    """Whether the page should offer the office's forms for this committee (the service checks again)."""
    if user.role == Role.ADMIN:
        return True
    roles = (Role.OFFICE, Role.LEADER) if leader_ok else (Role.OFFICE,)
    return bool(user.role in roles and user.committee_id and committee.path.startswith(user.committee.path))


def _paginate(request: HttpRequest, items, per_page: int = 30):
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() else None


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _demo_hint() -> dict | None:
    if not (settings.DEBUG or os.environ.get("XUNCHA_DEMO_HINT") == "1"):
        return None
    try:
        from xuncha.demo.builder import DEMO_ACCOUNTS, DEMO_PASSWORD
    except ImportError:
        return {"accounts": [], "password": ""}
    return {"accounts": list(DEMO_ACCOUNTS), "password": DEMO_PASSWORD}


# ---------------------------------------------------------------- login / logout


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:workbench")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    form = LoginForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        password = form.cleaned_data["password"]
        locked_message = _(
            "Too many failed attempts. This account is locked for %(minutes)s minutes; try again later."
        ) % {"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)}
        if throttle.login_locked(username):
            error, status = locked_message, 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                throttle.login_failed(username)
                if throttle.login_locked(username):
                    error, status = locked_message, 429
                else:
                    error, status = _("The user name or the password is wrong."), 400
            else:
                throttle.login_succeeded(username)
                login(request, user)
                return redirect(next_url or "web:workbench")
    elif request.method == "POST":
        status = 400
    return render(request, "registration/login.html",
                  {"form": form, "error": error, "next": next_url, "demo_hint": _demo_hint()}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("web:login")


# ---------------------------------------------------------------- workbench


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    on = today()
    context: dict[str, Any] = {"today": on}
    if user.role in OVERSIGHT:
        context.update(_workbench_oversight(user, on))
        template = "workbench/oversight.html"
    elif user.role == Role.INSPECTOR:
        context.update(_workbench_inspector(user, on))
        template = "workbench/inspector.html"
    elif user.role == Role.UNIT:
        context.update(_workbench_unit(user, on))
        template = "workbench/unit.html"
    elif user.role == Role.RECEIVER:
        context.update(_workbench_receiver(user, on))
        template = "workbench/receiver.html"
    else:
        template = "workbench/none.html"
    return render(request, template, context)


def _with_lights(tasks, on) -> list[dict]:
    rows = []
    for task in tasks:
        left = (task.deadline - on).days if task.deadline else None
        rows.append({"task": task, "light": task_light(task, on=on), "days_left": left})
    return rows


def _workbench_oversight(user: User, on) -> dict:
    late = round_selectors.overdue_inspections(viewer=user, on=on)
    overdue = task_list(viewer=user, overdue=True, on=on).order_by("deadline", "id")
    due_soon = task_list(viewer=user, due_within_days=7, on=on).order_by("deadline", "id")
    awaiting = task_list(viewer=user, status=TaskStatus.AWAITING_REVIEW, on=on).order_by("deadline", "id")
    clues_open = clue_list(viewer=user, disposed=False).order_by("handed_over_on", "id")
    # The viewer's own committee (subtree figures); the administrator sees the whole deployment.
    committee = user.committee if user.committee_id else None
    figures = stats.metrics(viewer=user, committee_id=committee.pk if committee else None)
    coverage = None
    if committee is not None:
        try:
            coverage = stats.coverage(viewer=user, committee_id=committee.pk)
        except Http404:
            coverage = None
    return {
        "late": late[:WORKBENCH_LIMIT], "late_count": len(late),
        "overdue": _with_lights(overdue[:WORKBENCH_LIMIT], on), "overdue_count": overdue.count(),
        "due_soon": _with_lights(due_soon[:WORKBENCH_LIMIT], on), "due_soon_count": due_soon.count(),
        "awaiting": _with_lights(awaiting[:WORKBENCH_LIMIT], on), "awaiting_count": awaiting.count(),
        "clues_open": clues_open[:WORKBENCH_LIMIT], "clues_open_count": clues_open.count(),
        "figures": figures, "coverage": coverage, "committee": committee,
    }


def _workbench_inspector(user: User, on) -> dict:
    inspections = list(round_selectors.inspections_of_group_member(viewer=user).exclude(stage=Stage.ARCHIVED))
    deadlines = []
    for inspection in inspections:
        for deadline in round_selectors.inspection_deadlines(inspection, on=on):
            if deadline.due is not None and deadline.done_on is None:
                deadlines.append({"inspection": inspection, "deadline": deadline})
    deadlines.sort(key=lambda row: row["deadline"].due)
    recent = problem_list(viewer=user).order_by("-found_on", "-id")[:WORKBENCH_LIMIT]
    clues_open = clue_list(viewer=user, disposed=False).order_by("handed_over_on", "id")
    return {
        "inspections": inspections,
        "deadlines": deadlines,
        "recent_problems": recent,
        "problem_count": problem_list(viewer=user).count(),
        "clues_open": clues_open[:WORKBENCH_LIMIT], "clues_open_count": clues_open.count(),
        "recording_stages": [str(s) for s in RECORDING_STAGES],
    }


def _workbench_unit(user: User, on) -> dict:
    open_tasks = task_list(viewer=user, on=on).exclude(status=TaskStatus.CLOSED).order_by("deadline", "id")
    returned = (task_list(viewer=user, status=TaskStatus.IN_PROGRESS, on=on)
                .filter(notes__kind="returned").distinct().order_by("deadline", "id"))
    rows = _with_lights(open_tasks, on)
    suggestions = suggestion_list(viewer=user).order_by("status", "id")
    return {
        "tasks": rows,
        "task_counts": {
            "red": sum(1 for r in rows if r["light"] == "red"),
            "yellow": sum(1 for r in rows if r["light"] == "yellow"),
            "green": sum(1 for r in rows if r["light"] == "green"),
        },
        "returned": _with_lights(returned, on),
        "suggestions": suggestions,
        "suggestions_open": suggestions.filter(status=Suggestion.Status.OPEN).count(),
        "figures": stats.metrics(viewer=user, unit_id=user.unit_id),
        "unit": user.unit,
        "inspections": round_selectors.inspection_list(viewer=user, unit_id=user.unit_id),
    }


def _workbench_receiver(user: User, on) -> dict:
    pending = clue_list(viewer=user, disposed=False).order_by("handed_over_on", "id")
    rows = [{"clue": clue, "days": (on - clue.handed_over_on).days} for clue in pending]
    return {
        "clues_pending": rows,
        "disposed_recent": clue_list(viewer=user, disposed=True).order_by("-disposed_on", "-id")[:WORKBENCH_LIMIT],
        "clues_total": clue_list(viewer=user).count(),
        "organ": user.organ,
    }


# ---------------------------------------------------------------- unit library


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:60]
    tree = org_selectors.unit_tree(viewer=request.user, search=query or None)
    context = {
        "tree": tree,
        "q": query,
        "total": sum(node["count"] for node in tree),
        "rule_committees": {c.pk for c in org_selectors.committee_list(viewer=request.user)}
        if request.user.role in (Role.OFFICE, Role.ADMIN) else set(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "unit-tree":
        response = render(request, "units/_tree.html", context)
    else:
        response = render(request, "units/tree.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = org_selectors.unit_get(viewer=request.user, pk=pk)
    cadres = list(org_selectors.cadre_list(viewer=request.user, unit=unit))
    children = org_selectors.unit_list(viewer=request.user, parent=unit)
    inspections = round_selectors.inspection_list(viewer=request.user, unit_id=unit.pk)
    return render(request, "units/detail.html", {
        "unit": unit,
        "principal": next((c for c in cadres if c.is_principal), None),
        "cadres": [c for c in cadres if not c.is_principal],
        "children": children,
        "inspections": inspections,
        "figures": stats.metrics(viewer=request.user, unit_id=unit.pk),
        "hide_clues": request.user.role == Role.UNIT,
    })


@roles_only(Role.OFFICE, Role.ADMIN)
def committee_rules(request: HttpRequest, pk: int) -> HttpResponse:
    committee = org_selectors.committee_get(viewer=request.user, pk=pk)
    status = 200
    error = ""
    if request.method == "POST":
        form = DeadlineRulesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                org_services.committee_update_deadline_rules(
                    actor=request.user, committee=committee, expected_version=data["version"],
                    notice_days_before_entry=data["notice_days_before_entry"],
                    report_months_after_fieldwork=data["report_months_after_fieldwork"],
                    rectify_report_months_after_feedback=data["rectify_report_months_after_feedback"],
                )
            except ServiceError as exc:
                error, status = exc.message, service_error_status(exc)
            else:
                messages.success(request, _("The deadline rules were saved."))
                return redirect("web:committee_rules", pk=committee.pk)
        else:
            status = 400
    else:
        form = DeadlineRulesForm(initial={
            "version": committee.version,
            "notice_days_before_entry": committee.notice_days_before_entry,
            "report_months_after_fieldwork": committee.report_months_after_fieldwork,
            "rectify_report_months_after_feedback": committee.rectify_report_months_after_feedback,
        })
    return render(request, "units/committee_rules.html",
                  {"committee": committee, "form": form, "error": error}, status=status)


# ---------------------------------------------------------------- rounds


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _int_param(request, "year")
    all_rounds = round_selectors.round_list(viewer=user)
    years = sorted({r.year for r in all_rounds}, reverse=True)
    rounds = round_selectors.round_list(viewer=user, year=year)
    plans = []
    for plan in round_selectors.plan_list(viewer=user).order_by("committee__path", "-start_year"):
        plans.append({"plan": plan,
                      "coverage": stats.coverage(viewer=user, committee_id=plan.committee_id, plan_id=plan.pk)})
    page = _paginate(request, rounds, per_page=40)
    return render(request, "rounds/list.html", {
        "plans": plans, "page": page, "rounds": page.object_list, "years": years, "year": year,
        "today": today(),
    })


def _round_context(request: HttpRequest, rnd: Round, approval_form: RoundApprovalForm | None = None,
                   approval_error: str = "") -> dict:
    user = request.user
    on = today()
    inspections = []
    for inspection in round_selectors.inspection_list(viewer=user, round_id=rnd.pk):
        deadlines = round_selectors.inspection_deadlines(inspection, on=on)
        inspections.append({"inspection": inspection, "overdue": [d for d in deadlines if d.overdue]})
    can_approve = _office_of(user, rnd.committee, leader_ok=True)
    if can_approve and approval_form is None:
        approval_form = RoundApprovalForm(initial={
            "version": rnd.version, "approved_on": rnd.approved_on or on,
            "meeting": rnd.approval_meeting, "note": rnd.approval_note,
        })
    return {
        "round": rnd, "inspections": inspections,
        "figures": stats.metrics(viewer=user, round_id=rnd.pk),
        "can_approve": can_approve, "approval_form": approval_form, "approval_error": approval_error,
        "hide_clues": user.role == Role.UNIT,
    }


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = round_selectors.round_get(viewer=request.user, pk=pk)
    return render(request, "rounds/detail.html", _round_context(request, rnd))


@require_POST
@login_required
def round_approve(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = round_selectors.round_get(viewer=request.user, pk=pk)
    form = RoundApprovalForm(request.POST)
    if not _office_of(request.user, rnd.committee, leader_ok=True):
        raise Http404
    error, status = "", 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            round_services.round_record_approval(
                actor=request.user, round=rnd, approved_on=data["approved_on"], meeting=data["meeting"],
                note=data["note"], expected_version=data["version"],
            )
        except ServiceError as exc:
            error, status = exc.message, service_error_status(exc)
        else:
            messages.success(request, _("The approval of the round's unit list was recorded."))
            return redirect("web:round_detail", pk=rnd.pk)
    return render(request, "rounds/detail.html", _round_context(request, rnd, form, error), status=status)


# ---------------------------------------------------------------- inspections


def _inspection_context(request: HttpRequest, inspection: Inspection, *,
                        advance_form: InspectionAdvanceForm | None = None, advance_error: str = "",
                        schedule_form: InspectionScheduleForm | None = None, schedule_error: str = "") -> dict:
    user = request.user
    on = today()
    next_stage = round_services.next_stage(inspection)
    can_manage = _office_of(user, inspection.round.committee)
    if can_manage and advance_form is None and next_stage:
        advance_form = InspectionAdvanceForm(initial={"version": inspection.version, "to_stage": next_stage,
                                                      "on_date": on})
    if can_manage and schedule_form is None:
        schedule_form = InspectionScheduleForm(initial={
            "version": inspection.version, "notice_sent_on": inspection.notice_sent_on,
            "entry_on": inspection.entry_on, "fieldwork_ends_on": inspection.fieldwork_ends_on,
        })
    from xuncha.web.plan_views import inspection_plan_context  # plan_views imports this module

    memberships = inspection.group.memberships.select_related("user").order_by("role", "id")
    role_order = {"leader": 0, "deputy": 1, "liaison": 2, "member": 3}
    return {
        "inspection": inspection,
        "units": list(inspection.units.all()),
        "members": sorted(memberships, key=lambda m: (role_order.get(m.role, 9), m.pk)),
        "timeline": round_selectors.stage_timeline(inspection),
        "deadlines": round_selectors.inspection_deadlines(inspection, on=on),
        "next_stage": next_stage,
        "next_stage_label": Stage(next_stage).label if next_stage else "",
        "can_manage": can_manage,
        "can_record": (user.role in (Role.OFFICE, Role.ADMIN, Role.INSPECTOR) and inspection.stage in RECORDING_STAGES
                       and can_record_in(user, inspection)),
        "advance_form": advance_form, "advance_error": advance_error,
        "schedule_form": schedule_form, "schedule_error": schedule_error,
        "figures": stats.metrics(viewer=user, inspection_id=inspection.pk),
        "hide_clues": user.role == Role.UNIT,
        # 反馈与整改: the units' plans, feedback and reports; the 立行立改 tasks that hold the group in 进驻.
        **inspection_plan_context(user, inspection),
    }


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = round_selectors.inspection_get(viewer=request.user, pk=pk)
    return render(request, "rounds/inspection.html", _inspection_context(request, inspection))


@require_POST
@login_required
def inspection_advance(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = round_selectors.inspection_get(viewer=request.user, pk=pk)
    if not _office_of(request.user, inspection.round.committee):
        raise Http404
    form = InspectionAdvanceForm(request.POST)
    error, status = "", 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = round_services.inspection_advance(
                actor=request.user, inspection=inspection, to_stage=data["to_stage"], on_date=data["on_date"],
                expected_version=data["version"], note=data["note"],
            )
        except ServiceError as exc:
            error, status = exc.message, service_error_status(exc)
        else:
            messages.success(request, _("The inspection moved to the stage: %(stage)s.")
                             % {"stage": Stage(moved.stage).label})
            return redirect("web:inspection_detail", pk=inspection.pk)
    return render(request, "rounds/inspection.html",
                  _inspection_context(request, inspection, advance_form=form, advance_error=error), status=status)


@require_POST
@login_required
def inspection_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = round_selectors.inspection_get(viewer=request.user, pk=pk)
    if not _office_of(request.user, inspection.round.committee):
        raise Http404
    form = InspectionScheduleForm(request.POST)
    error, status = "", 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            round_services.inspection_update_schedule(
                actor=request.user, inspection=inspection, expected_version=data["version"],
                notice_sent_on=data["notice_sent_on"], entry_on=data["entry_on"],
                fieldwork_ends_on=data["fieldwork_ends_on"],
            )
        except ServiceError as exc:
            error, status = exc.message, service_error_status(exc)
        else:
            messages.success(request, _("The schedule was saved."))
            return redirect("web:inspection_detail", pk=inspection.pk)
    return render(request, "rounds/inspection.html",
                  _inspection_context(request, inspection, schedule_form=form, schedule_error=error),
                  status=status)


# ---------------------------------------------------------------- statistics


def round_filter(request: HttpRequest) -> tuple[list[Round], int | None, Round | None]:
    """A figures page's round picker: the viewer's rounds, the ?round= asked and that round (404 when not theirs)."""
    rounds = list(round_selectors.round_list(viewer=request.user))
    round_id = _int_param(request, "round")
    selected = next((r for r in rounds if r.pk == round_id), None)
    if round_id and selected is None:
        raise Http404
    return rounds, round_id, selected


@roles_only(Role.ADMIN, Role.LEADER, Role.OFFICE, Role.INSPECTOR)
def stats_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    rounds, round_id, selected = round_filter(request)
    figures = stats.metrics(viewer=user, round_id=round_id)
    coverages = stats.coverage_by_committee(viewer=user)
    home = user.committee if user.committee_id else None
    coverage = next((c for c in coverages if home is not None and c.committee_id == home.pk), None)
    by_round = list(reversed(stats.rates_by_round(viewer=user)))
    by_unit = stats.rates_by_unit(viewer=user, round_id=round_id)
    by_category = stats.problems_by_category(viewer=user, round_id=round_id)
    chart_data = {
        "coverage": [{"name": c.committee_name, "rate": _float(c.coverage_rate), "target": _float(c.target),
                      "managed": c.units_managed, "inspected": c.units_inspected} for c in coverages],
        "rounds": [{"name": r["label"], "committee": r["committee"],
                    "rectification": _float(r["rectification_rate"]),
                    "clues": _float(r["clue_disposal_rate"]),
                    "suggestions": _float(r["suggestion_completion_rate"])} for r in by_round],
        "units": [{"name": u["unit"], "fed_back": u["fed_back"], "rectified": u["rectified"],
                   "rate": _float(u["rate"])} for u in by_unit],
        "categories": [{"name": c["label"], "value": c["count"]} for c in by_category if c["count"]],
        "labels": {
            "coverage": _("Coverage"), "target": _("Target"),
            "rectification": _("Rectification rate"), "clues": _("Clue disposal rate"),
            "suggestions": _("Suggestion completion rate"),
            "fed_back": _("Problems fed back"), "rectified": _("Problems rectified"),
            "not_rectified": _("Not yet rectified"),
            "problems": _("Problems"), "empty": _("No data yet"),
        },
    }
    return render(request, "stats/index.html", {
        "rounds": rounds, "selected": selected, "figures": figures, "coverage": coverage, "coverages": coverages,
        "by_round": list(reversed(by_round)), "by_unit": by_unit, "by_category": by_category,
        "category_total": sum(c["count"] for c in by_category), "chart_data": chart_data,
    })


# ---------------------------------------------------------------- audit trail


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not audit_may_read(user):
        raise Http404
    action = request.GET.get("action", "").strip() or None
    object_type = request.GET.get("type", "").strip() or None
    scoped = audit_events(viewer=user)
    actions = sorted(scoped.order_by().values_list("action", flat=True).distinct())
    types = sorted(scoped.order_by().values_list("object_type", flat=True).distinct())
    events = audit_events(viewer=user, action=action, object_type=object_type)
    page = _paginate(request, events, per_page=50)
    rows = [{"event": e, "action_label": ACTION_LABELS.get(e.action, e.action),
             "type_label": _object_type_label(e.object_type)} for e in page.object_list]
    return render(request, "audit/list.html", {
        "page": page, "rows": rows,
        "actions": [(a, ACTION_LABELS.get(a, a)) for a in actions],
        "types": [(t, _object_type_label(t)) for t in types],
        "action": action or "", "object_type": object_type or "",
    })
