"""The pages of feedback, rectification plans (the three lists) and the written rectification report.

Every page reads the plan through plan_get (out of the viewer's scope → 404). Who may act is asked of the
services' own rules (PLAN_TRANSITIONS, may_manage_inspection) only to decide which forms to show: the
services decide again and refuse with a ServiceError, shown on the page (400, or 409 for a stale version).
Forms that create a row carry a one-time token (as the problem form does), so a double click saves once.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.core.dates import days_left, today
from xuncha.core.errors import ServiceError, StaleWrite, ValidationFailed
from xuncha.core.official_document import DOCX_CONTENT_TYPE
from xuncha.findings import selectors as findings_selectors
from xuncha.findings import xlsx
from xuncha.org.models import Role, User
from xuncha.rectification import selectors as rs
from xuncha.rectification import services as svc
from xuncha.rectification.evidence import read_upload
from xuncha.rectification.models import FeedbackMeeting, PlanStatus, RectificationPlan, TaskStatus
from xuncha.rounds.models import Inspection, Stage
from xuncha.web import plan_forms as pf
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import (
    apply_service_error,
    claim_token,
    int_value,
    issue_token,
    service_error_status,
    token_released,
    token_used,
)
from xuncha.web.ledger_views import (
    _annotate_tasks,
    _page,
    _round_choices,
    _xlsx_response,
)

PLAN_VIEWERS = (Role.ADMIN, Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.UNIT)
PLAN_EDITORS = (Role.ADMIN, Role.OFFICE, Role.UNIT)

HISTORY_LABELS = {
    "plan.opened": gettext_lazy("Plan opened"),
    "plan.submitted": gettext_lazy("Submitted to the office"),
    "plan.accepted": gettext_lazy("Accepted by the office"),
    "plan.returned": gettext_lazy("Returned for revision"),
    "plan.import": gettext_lazy("Tasks imported from a workbook"),
}


# ---------------------------------------------------------------- who may do what (for the forms shown)

def _may_move(user: User, plan: RectificationPlan, to: str) -> bool:
    """Whether PLAN_TRANSITIONS lets this user make the move now (the unit its own plan, the office its subtree)."""
    roles = svc.PLAN_TRANSITIONS.get(plan.status, {}).get(to)
    if roles is None:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role not in roles:
        return False
    if user.role == Role.UNIT:
        return user.unit_id == plan.unit_id
    return user.role == Role.OFFICE and svc.may_manage_inspection(user, plan.inspection)


def _is_office(user: User, plan: RectificationPlan) -> bool:
    return user.role in (Role.ADMIN, Role.OFFICE) and svc.may_manage_inspection(user, plan.inspection)


def _manages(user: User, plan: RectificationPlan) -> bool:
    """The office of the subtree or a member of the inspection's group: they record and sign the feedback."""
    return user.role in (Role.ADMIN, Role.OFFICE, Role.INSPECTOR) and svc.may_manage_inspection(user, plan.inspection)


def _may_add_tasks(user: User, plan: RectificationPlan) -> bool:
    """Tasks are added while the plan is being drafted or was returned, by its unit or the office."""
    if plan.status not in svc.UNIT_EDITABLE_PLAN:
        return False
    if user.role == Role.UNIT:
        return user.unit_id == plan.unit_id
    return _is_office(user, plan)


# ---------------------------------------------------------------- shared reads

def _problems(plan: RectificationPlan) -> list:
    return list(rs.plan_problems(plan).select_related("unit", "inspection").order_by("found_on", "id"))


def _tasks(plan: RectificationPlan, viewer: User) -> list:
    return list(rs.plan_tasks(plan, viewer=viewer))


def _meeting(plan: RectificationPlan, viewer: User) -> FeedbackMeeting | None:
    return rs.feedback_meetings(viewer=viewer, inspection=plan.inspection).filter(unit=plan.unit).first()


def _history(plan: RectificationPlan) -> list[dict]:
    """The plan's own moves from the audit trail (the plan is in the viewer's scope: plan_get said so)."""
    events = rs.plan_history(plan, actions=list(HISTORY_LABELS))
    return [{"at": e.at, "action": e.action, "label": HISTORY_LABELS[e.action], "actor": e.actor,
             "comment": (e.after or {}).get("review_comment", ""), "tasks": (e.after or {}).get("tasks")}
            for e in events]


def _report_facts(plan: RectificationPlan) -> dict:
    due = rs.report_due_on(plan.inspection, plan.unit)
    report = rs.report_of(plan.inspection, plan.unit)
    left = None if report is not None or due is None else days_left(due, on=today())
    return {"due_on": due, "report": report, "report_days_left": left,
            "report_overdue": left is not None and left < 0}


def _read_upload(upload, limit: int) -> tuple[str, bytes]:
    """The upload's (name, bytes), read in chunks and refused as soon as it passes the limit."""
    too_large = ValidationFailed(_("The file is larger than the limit of %(mb)s MB.")
                                 % {"mb": round(limit / (1024 * 1024), 1)}, field="file")
    return read_upload(upload, limit=limit, refused=too_large)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _plan_url(plan: RectificationPlan, anchor: str = "") -> str:
    return reverse("web:plan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


# ---------------------------------------------------------------- the list

@roles_only(*PLAN_VIEWERS)
def plan_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if viewer.role == Role.UNIT:
        own = list(rs.plan_list(viewer=viewer).values_list("pk", flat=True)[:2])
        if len(own) == 1:
            return redirect("web:plan_detail", pk=own[0])
    form = pf.PlanFilterForm(request.GET or None, rounds=_round_choices(viewer))
    f = form.selected()
    plans = rs.plan_list(viewer=viewer, status=f.get("status"), round_id=int_value(f.get("round"))).annotate(
        task_count=Count("tasks", distinct=True))
    page = _page(request, plans)
    counts = rs.plan_counts(viewer=viewer)
    statuses = [{"value": value, "label": label, "count": counts.get(value, 0),
                 "active": f.get("status") == value} for value, label in PlanStatus.choices]
    return render(request, "plans/list.html", {
        "form": form, "page": page, "statuses": statuses, "total": sum(counts.values()),
        "query": request.GET.urlencode(),
    })


# ---------------------------------------------------------------- the plan builder / review page

def _detail_page(request: HttpRequest, plan: RectificationPlan, *, error: str | None = None, status: int = 200,
                 task_form: pf.PlanTaskForm | None = None, forms: dict | None = None) -> HttpResponse:
    viewer = request.user
    problems = _problems(plan)
    tasks = _annotate_tasks(_tasks(plan, viewer))
    by_problem: dict[int, list] = defaultdict(list)
    for task in tasks:
        by_problem[task.problem_id].append(task)
    may_add = _may_add_tasks(viewer, plan)
    token = (task_form.data.get("form_token") if task_form is not None else "") or (
        issue_token(request) if may_add else "")
    for problem in problems:
        problem.plan_tasks = by_problem.get(problem.pk, [])
        if not may_add:
            problem.task_form = None
        elif task_form is not None and str(task_form.data.get("problem")) == str(problem.pk):
            problem.task_form = task_form
        else:
            problem.task_form = pf.PlanTaskForm(initial={"problem": problem.pk, "form_token": token},
                                                auto_id=f"id_p{problem.pk}_%s")
    missing = [p for p in problems if not p.plan_tasks]
    version = {"version": plan.version}
    context = {
        "plan": plan, "inspection": plan.inspection, "unit": plan.unit, "problems": problems,
        "missing": missing, "task_total": len(tasks),
        "overdue_count": sum(1 for t in tasks if t.light == "red" and t.status != TaskStatus.CLOSED),
        "closed_count": sum(1 for t in tasks if t.status == TaskStatus.CLOSED),
        "history": _history(plan), "error": error,
        "may_add": may_add, "may_import": may_add,
        "may_submit": _may_move(viewer, plan, PlanStatus.SUBMITTED),
        "may_accept": _may_move(viewer, plan, PlanStatus.ACCEPTED),
        "may_return": _may_move(viewer, plan, PlanStatus.RETURNED),
        "manages": _manages(viewer, plan), "is_office": _is_office(viewer, plan),
        "meeting": _meeting(plan, viewer),
        "submit_form": pf.PlanMoveForm(initial=version),
        "accept_form": pf.PlanMoveForm(initial=version),
        "return_form": pf.PlanReturnForm(initial=version),
        **_report_facts(plan),
    }
    context.update(forms or {})
    return render(request, "plans/detail.html", context, status=status)


@roles_only(*PLAN_VIEWERS)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, rs.plan_get(viewer=request.user, pk=pk))


@require_POST
@roles_only(*PLAN_EDITORS)
def plan_task_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one task to one problem of the plan (task_create's form and service, with a one-time token)."""
    plan = rs.plan_get(viewer=request.user, pk=pk)
    form = pf.PlanTaskForm(request.POST, auto_id=f"id_p{int_value(request.POST.get('problem'))}_%s")
    problem = next((p for p in _problems(plan) if p.pk == int_value(request.POST.get("problem"))), None)
    if problem is None:
        raise Http404
    token = request.POST.get("form_token", "")
    state, created_pk = claim_token(request, token)
    if state == "used":
        messages.info(request, _("This form had already been sent: the task was added once, not twice."))
        return redirect(_plan_url(plan, f"problem-{problem.pk}"))
    error = None
    if state == "unknown":
        error = _("This form has expired. Check the entries and save again.")
        form.data = form.data.copy()
        form.data["form_token"] = issue_token(request)
    elif form.is_valid():
        try:
            task = svc.task_create(actor=request.user, problem=problem, **form.service_data())
        except ServiceError as exc:
            token_released(token)
            error = apply_service_error(form, exc)
            plan.refresh_from_db()
            return _detail_page(request, plan, error=error, status=service_error_status(exc), task_form=form)
        token_used(request, token, task.pk)
        messages.success(request, _("The rectification task was added."))
        return redirect(_plan_url(plan, f"problem-{problem.pk}"))
    else:
        token_released(token)
    return _detail_page(request, plan, error=error, status=400, task_form=form)


def _plan_move(request: HttpRequest, pk: int, *, form_class, form_name: str, run, done: str, to: str
               ) -> HttpResponse:
    plan = rs.plan_get(viewer=request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(plan, form.cleaned_data)
        except ServiceError as exc:
            plan.refresh_from_db()
            sent_version = form.cleaned_data.get("version") or 0
            if isinstance(exc, StaleWrite) and plan.status == to and plan.version == sent_version + 1:
                # The same button clicked twice: the first click made the move, the second finds it made.
                messages.info(request, done)
                return redirect("web:plan_detail", pk=plan.pk)
            if isinstance(exc, StaleWrite):
                # Shown again on the current version, with the comment typed kept.
                error = exc.message
                form = form_class(initial={"version": plan.version, "comment": form.cleaned_data.get("comment", "")})
            else:
                error = apply_service_error(form, exc) or ""
            return _detail_page(request, plan, error=error or None, status=service_error_status(exc),
                                forms={form_name: form})
        messages.success(request, done)
        return redirect("web:plan_detail", pk=plan.pk)
    return _detail_page(request, plan, status=400, forms={form_name: form})


@require_POST
@roles_only(*PLAN_EDITORS)
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_move(
        request, pk, form_class=pf.PlanMoveForm, form_name="submit_form",
        run=lambda plan, d: svc.plan_submit(actor=request.user, plan=plan, expected_version=d.get("version")),
        done=_("The plan was submitted to the inspection office."), to=PlanStatus.SUBMITTED)


@require_POST
@roles_only(Role.OFFICE, Role.ADMIN)
def plan_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_move(
        request, pk, form_class=pf.PlanMoveForm, form_name="accept_form",
        run=lambda plan, d: svc.plan_accept(actor=request.user, plan=plan, comment=d.get("comment") or "",
                                            expected_version=d.get("version")),
        done=_("The plan was accepted; the unit now reports progress on its tasks."), to=PlanStatus.ACCEPTED)


@require_POST
@roles_only(Role.OFFICE, Role.ADMIN)
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_move(
        request, pk, form_class=pf.PlanReturnForm, form_name="return_form",
        run=lambda plan, d: svc.plan_return(actor=request.user, plan=plan, comment=d["comment"],
                                            expected_version=d.get("version")),
        done=_("The plan was returned to the unit with your comments."), to=PlanStatus.RETURNED)


# ---------------------------------------------------------------- workbooks

def _filename(kind: str, plan: RectificationPlan, ext: str) -> str:
    return f"{kind}-{plan.unit.name}.{ext}"


@roles_only(*PLAN_VIEWERS)
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.plan_xlsx import three_lists_xlsx

    plan = rs.plan_get(viewer=request.user, pk=pk)
    content = three_lists_xlsx(plan_or_tasks=_tasks(plan, request.user), unit=plan.unit, inspection=plan.inspection)
    return _xlsx_response(content, _filename(_("rectification-plan-three-lists"), plan, "xlsx"))


@roles_only(*PLAN_VIEWERS)
def plan_reconciliation_export(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.plan_xlsx import reconciliation_xlsx

    plan = rs.plan_get(viewer=request.user, pk=pk)
    content = reconciliation_xlsx(tasks=_tasks(plan, request.user), title_unit=plan.unit)
    return _xlsx_response(content, _filename(_("reconciliation-sheet"), plan, "xlsx"))


@roles_only(*PLAN_EDITORS)
def plan_template(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.plan_xlsx import plan_template_xlsx

    plan = rs.plan_get(viewer=request.user, pk=pk)
    content = plan_template_xlsx(inspection=plan.inspection, unit=plan.unit, problems=_problems(plan))
    return _xlsx_response(content, _filename(_("rectification-plan-template"), plan, "xlsx"))


@roles_only(*PLAN_EDITORS)
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """All or nothing: every bad row is listed with its number and nothing is saved until the file is clean."""
    from xuncha.rectification.plan_xlsx import PlanImportRejected, parse_plan_xlsx

    plan = rs.plan_get(viewer=request.user, pk=pk)
    may_add = _may_add_tasks(request.user, plan)
    row_errors: list = []
    error = None
    status = 200
    if request.method == "POST":
        form = pf.PlanImportForm(request.POST, request.FILES)
        token = request.POST.get("form_token", "")
        state, _created = claim_token(request, token)
        if state == "used":
            messages.info(request, _("This file had already been sent: its tasks were imported once, not twice."))
            return redirect("web:plan_detail", pk=plan.pk)
        status = 400
        if state == "unknown":
            error = _("This form has expired. Choose the file and upload it again.")
        elif form.is_valid():
            try:
                name, content = _read_upload(form.cleaned_data["file"], xlsx.MAX_IMPORT_BYTES)
                rows = parse_plan_xlsx(content, problems=_problems(plan))
                created = svc.plan_import(actor=request.user, plan=plan, rows=rows)
            except xlsx.ImportFileError as exc:
                error = exc.message
            except PlanImportRejected as exc:
                error, row_errors = exc.message, list(exc.errors)
            except ServiceError as exc:
                error = exc.message
                status = service_error_status(exc)
            else:
                token_used(request, token, plan.pk)
                messages.success(request, _("%(n)s tasks were imported into the plan.") % {"n": len(created)})
                return redirect("web:plan_detail", pk=plan.pk)
        if state != "unknown":
            token_released(token)
        form = pf.PlanImportForm(initial={"form_token": token if state != "unknown" else issue_token(request)})
    else:
        form = pf.PlanImportForm(initial={"form_token": issue_token(request)})
    return render(request, "plans/import.html", {
        "plan": plan, "form": form, "error": error, "row_errors": row_errors, "may_add": may_add,
        "max_mb": xlsx.MAX_IMPORT_BYTES // (1024 * 1024), "max_rows": xlsx.MAX_IMPORT_ROWS,
    }, status=status)


# ---------------------------------------------------------------- feedback (反馈)

def _feedback_page(request: HttpRequest, plan: RectificationPlan, *, form=None, sign_form=None, error=None,
                   sign_error=None, status: int = 200) -> HttpResponse:
    meeting = _meeting(plan, request.user)
    if form is None:
        if meeting is not None:
            initial = {name: getattr(meeting, name) for name in pf.FeedbackMeetingForm.SERVICE_FIELDS}
            initial["version"] = meeting.version
        else:
            initial = {"held_on": plan.inspection.feedback_on or today()}
        initial["form_token"] = issue_token(request)
        form = pf.FeedbackMeetingForm(initial=initial)
    if sign_form is None and meeting is not None:
        sign_form = pf.FeedbackSignForm(initial={
            "version": meeting.version, "signed_by": meeting.signed_by or _principal_name(plan),
            "signed_on": meeting.signed_on or meeting.held_on})
    return render(request, "plans/feedback.html", {
        "plan": plan, "inspection": plan.inspection, "unit": plan.unit, "meeting": meeting, "form": form,
        "sign_form": sign_form, "error": error, "sign_error": sign_error,
        "problem_count": len(_problems(plan)),
    }, status=status)


def _principal_name(plan: RectificationPlan) -> str:
    cadre = plan.unit.cadres.filter(is_principal=True).first()
    return cadre.name if cadre is not None else ""


@roles_only(Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
def plan_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rs.plan_get(viewer=request.user, pk=pk)
    if not _manages(request.user, plan):
        raise Http404
    if request.method != "POST":
        return _feedback_page(request, plan)
    form = pf.FeedbackMeetingForm(request.POST)
    token = request.POST.get("form_token", "")
    state, _created = claim_token(request, token)
    if state == "used":
        messages.info(request, _("This form had already been sent: the feedback meeting was recorded once."))
        return redirect("web:plan_feedback", pk=plan.pk)
    if state == "unknown":
        form.data = form.data.copy()
        form.data["form_token"] = issue_token(request)
        return _feedback_page(request, plan, form=form, status=400,
                              error=_("This form has expired. Check the entries and save again."))
    if not form.is_valid():
        token_released(token)
        return _feedback_page(request, plan, form=form, status=400)
    meeting = _meeting(plan, request.user)
    try:
        meeting = svc.feedback_record(actor=request.user, inspection=plan.inspection, unit=plan.unit,
                                      expected_version=form.cleaned_data.get("version") if meeting else None,
                                      **form.service_data())
    except ServiceError as exc:
        token_released(token)
        return _feedback_page(request, plan, form=form, error=apply_service_error(form, exc),
                              status=service_error_status(exc))
    token_used(request, token, meeting.pk)
    messages.success(request, _("The feedback meeting was recorded."))
    return redirect("web:plan_feedback", pk=plan.pk)


@require_POST
@roles_only(Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
def plan_feedback_sign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rs.plan_get(viewer=request.user, pk=pk)
    if not _manages(request.user, plan):
        raise Http404
    meeting = _meeting(plan, request.user)
    sign_form = pf.FeedbackSignForm(request.POST, request.FILES)
    if meeting is None:
        return _feedback_page(request, plan, sign_error=_("Record the feedback meeting before its signature."),
                              status=400)
    if not sign_form.is_valid():
        return _feedback_page(request, plan, sign_form=sign_form, status=400)
    d = sign_form.cleaned_data
    try:
        scan = _read_upload(d["scan"], int(settings.EVIDENCE_MAX_BYTES))
        svc.feedback_sign(actor=request.user, meeting=meeting, signed_by=d["signed_by"], signed_on=d["signed_on"],
                          scan=scan, expected_version=d.get("version"))
    except ServiceError as exc:
        if exc.field == "file":
            exc.field = "scan"
        return _feedback_page(request, plan, sign_form=sign_form, sign_error=apply_service_error(sign_form, exc),
                              status=service_error_status(exc))
    messages.success(request, _("The signature and its scanned page were recorded."))
    return redirect("web:plan_feedback", pk=plan.pk)


@roles_only(Role.ADMIN, Role.OFFICE, Role.INSPECTOR, Role.UNIT)
def plan_feedback_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 反馈意见: for the office and the group; the unit reads its own once the meeting is recorded."""
    from xuncha.rectification.documents import feedback_opinion_docx

    viewer = request.user
    plan = rs.plan_get(viewer=viewer, pk=pk)
    meeting = _meeting(plan, viewer)
    if not _manages(viewer, plan) and not (viewer.role == Role.UNIT and meeting is not None):
        raise Http404
    inspection = plan.inspection
    problems = rs.feedback_problems(plan)
    suggestions = findings_selectors.suggestion_list(viewer=viewer, inspection_id=inspection.pk,
                                                     unit_id=plan.unit_id)
    issued_on = meeting.held_on if meeting is not None else (inspection.feedback_on or today())
    content = feedback_opinion_docx(inspection=inspection, unit=plan.unit, problems=list(problems),
                                    suggestions=list(suggestions), issued_on=issued_on)
    return _download(content, _filename(_("feedback-opinion"), plan, "docx"), DOCX_CONTENT_TYPE)


@roles_only(*PLAN_VIEWERS)
def plan_feedback_scan(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.evidence import evidence_response

    plan = rs.plan_get(viewer=request.user, pk=pk)
    meeting = _meeting(plan, request.user)
    if meeting is None or meeting.signed_scan is None:
        raise Http404
    return evidence_response(meeting.signed_scan)


# ---------------------------------------------------------------- the written report (整改情况报告)

def _report_page(request: HttpRequest, plan: RectificationPlan, *, form=None, disclose_form=None, error=None,
                 disclose_error=None, status: int = 200) -> HttpResponse:
    from xuncha.rectification.documents import disclosure_text

    viewer = request.user
    facts = _report_facts(plan)
    problems = _problems(plan)
    tasks = _tasks(plan, viewer)
    is_office = _is_office(viewer, plan)
    if form is None and is_office and facts["report"] is None:
        form = pf.ReportReceiveForm(initial={"received_on": today(), "form_token": issue_token(request)})
    if disclose_form is None and is_office and facts["report"] is not None:
        disclose_form = pf.ReportDiscloseForm(initial={"disclosed_on": facts["report"].disclosed_on or today()})
    text = disclosure_text(inspection=plan.inspection, unit=plan.unit, tasks=tasks, problems=problems, on=today())
    closed = sum(1 for t in tasks if t.status == TaskStatus.CLOSED)
    return render(request, "plans/report.html", {
        "plan": plan, "inspection": plan.inspection, "unit": plan.unit, **facts, "is_office": is_office,
        "form": form, "disclose_form": disclose_form, "error": error, "disclose_error": disclose_error,
        "disclosure": text, "task_total": len(tasks), "closed_count": closed, "problem_count": len(problems),
        "months": plan.inspection.round.committee.rectify_report_months_after_feedback,
    }, status=status)


@roles_only(*PLAN_VIEWERS)
def plan_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rs.plan_get(viewer=request.user, pk=pk)
    if request.method != "POST":
        return _report_page(request, plan)
    if not _is_office(request.user, plan):
        raise Http404
    form = pf.ReportReceiveForm(request.POST, request.FILES)
    token = request.POST.get("form_token", "")
    state, _created = claim_token(request, token)
    if state == "used":
        messages.info(request, _("This form had already been sent: the report was recorded once."))
        return redirect("web:plan_report", pk=plan.pk)
    if state == "unknown":
        form.data = form.data.copy()
        form.data["form_token"] = issue_token(request)
        return _report_page(request, plan, form=form, status=400,
                            error=_("This form has expired. Check the entries and save again."))
    if not form.is_valid():
        token_released(token)
        return _report_page(request, plan, form=form, status=400)
    d = form.cleaned_data
    try:
        document = _read_upload(d["document"], int(settings.EVIDENCE_MAX_BYTES)) if d.get("document") else None
        report = svc.report_receive(actor=request.user, inspection=plan.inspection, unit=plan.unit,
                                    received_on=d["received_on"], document=document, note=d.get("note") or "")
    except ServiceError as exc:
        token_released(token)
        if exc.field == "file":
            exc.field = "document"
        return _report_page(request, plan, form=form, error=apply_service_error(form, exc),
                            status=service_error_status(exc))
    token_used(request, token, report.pk)
    messages.success(request, _("The receipt of the rectification report was recorded."))
    return redirect("web:plan_report", pk=plan.pk)


@require_POST
@roles_only(Role.OFFICE, Role.ADMIN)
def plan_report_disclose(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rs.plan_get(viewer=request.user, pk=pk)
    if not _is_office(request.user, plan):
        raise Http404
    report = rs.report_of(plan.inspection, plan.unit)
    form = pf.ReportDiscloseForm(request.POST)
    if report is None:
        return _report_page(request, plan, status=400,
                            disclose_error=_("The report has not been received yet: record its receipt first."))
    if not form.is_valid():
        return _report_page(request, plan, disclose_form=form, status=400)
    try:
        svc.report_disclose(actor=request.user, report=report, disclosed_on=form.cleaned_data["disclosed_on"])
    except ServiceError as exc:
        return _report_page(request, plan, disclose_form=form, disclose_error=apply_service_error(form, exc),
                            status=service_error_status(exc))
    messages.success(request, _("The date the rectification was made public was recorded."))
    return redirect("web:plan_report", pk=plan.pk)


@roles_only(*PLAN_VIEWERS)
def plan_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.documents import rectification_report_docx

    plan = rs.plan_get(viewer=request.user, pk=pk)
    due = rs.report_due_on(plan.inspection, plan.unit)
    if due is None:
        messages.warning(request, _("The report is due once feedback has been given: record the feedback first."))
        return redirect("web:plan_report", pk=plan.pk)
    content = rectification_report_docx(inspection=plan.inspection, unit=plan.unit,
                                        tasks=_tasks(plan, request.user), problems=_problems(plan),
                                        due_on=due, on=today())
    return _download(content, _filename(_("rectification-report"), plan, "docx"), DOCX_CONTENT_TYPE)


@roles_only(*PLAN_VIEWERS)
def plan_report_document(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.evidence import evidence_response

    plan = rs.plan_get(viewer=request.user, pk=pk)
    report = rs.report_of(plan.inspection, plan.unit)
    if report is None or report.document is None:
        raise Http404
    return evidence_response(report.document)


# ---------------------------------------------------------------- on other pages

def inspection_plan_context(viewer: User, inspection: Inspection) -> dict:
    """For the inspection page: each unit's plan with its feedback and report, and the 立行立改 warning."""
    plans = list(rs.plan_list(viewer=viewer).filter(inspection=inspection).annotate(
        task_count=Count("tasks", distinct=True)))
    meetings = {m.unit_id: m for m in rs.feedback_meetings(viewer=viewer, inspection=inspection)}
    rows = []
    on = today()
    for plan in plans:
        facts = _report_facts(plan)
        rows.append({"plan": plan, "meeting": meetings.get(plan.unit_id), **facts,
                     "manages": _manages(viewer, plan)})
    immediate = []
    if inspection.stage == Stage.FIELDWORK:
        visible = rs.task_list(viewer=viewer, inspection_id=inspection.pk).values("pk")
        immediate = _annotate_tasks(rs.open_immediate_tasks(inspection).filter(pk__in=visible)
                                    .select_related("problem", "problem__unit", "problem__inspection__round__committee")
                                    .order_by("deadline", "id"))
    return {"plan_rows": rows, "immediate_open": immediate, "today": on}


UNIT_NEXT_STEPS = {
    PlanStatus.DRAFT: gettext_lazy("Add at least one task to every problem fed back, then submit the plan "
                                   "to the inspection office."),
    PlanStatus.RETURNED: gettext_lazy("The office returned the plan: revise it as its comments ask and submit "
                                      "it again."),
    PlanStatus.SUBMITTED: gettext_lazy("The plan is with the inspection office for review. Tasks cannot be "
                                       "changed until it answers."),
    PlanStatus.ACCEPTED: gettext_lazy("The plan was accepted: report progress on each task with its evidence, "
                                      "and send the written rectification report on time."),
}


def unit_plan_cards(viewer: User) -> list[dict]:
    """For the unit's portal: its plans with their status, what is still missing and the next step."""
    cards = []
    for plan in rs.plan_list(viewer=viewer).annotate(task_count=Count("tasks", distinct=True)):
        missing = rs.plan_problems_without_task(plan).count()
        cards.append({"plan": plan, "missing": missing, "next_step": UNIT_NEXT_STEPS.get(plan.status, ""),
                      **_report_facts(plan)})
    return cards

