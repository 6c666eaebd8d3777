"""The ledger pages: problems, rectification tasks, the unit's portal, clues and suggestions.

Reads go through the selectors (out of the viewer's scope → 404), writes through the services; a refused
write shows the service's message with the user's input kept. Lists filter with htmx (the table is
swapped in place, the URL follows) and work the same without JavaScript.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from xuncha.core.dates import days_left, today
from xuncha.core.errors import ServiceError, StaleWrite
from xuncha.findings import selectors as findings_selectors
from xuncha.findings import services as findings_services
from xuncha.findings import xlsx
from xuncha.findings.models import ClueResult, ProblemStatus, Suggestion
from xuncha.findings.selectors import (
    CLUE_ANSWER_DAYS,
    clue_answer_due_on,
    clue_answer_overdue,
    clue_days_waiting,
)
from xuncha.org.models import Role, User
from xuncha.rectification import selectors as task_selectors
from xuncha.rectification import services as task_services
from xuncha.rectification.models import Task, TaskStatus
from xuncha.rounds.selectors import inspection_get, inspection_list, round_list
from xuncha.stats.selectors import clue_figures
from xuncha.web import ledger_forms as lf
from xuncha.web import rectify_forms as rf
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import (
    apply_service_error,
    claim_token,
    int_value,
    issue_token,
    safe_next,
    token_released,
    token_used,
)

PER_PAGE = 50


# ---------------------------------------------------------------- helpers

def _fragment(request: HttpRequest, target: str) -> bool:
    """Whether htmx asks for just the part of the page with this id (not a history restore)."""
    return (request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == target
            and not request.headers.get("HX-History-Restore-Request"))


def _list_response(request: HttpRequest, *, page_template: str, table_template: str, target: str,
                   context: dict) -> HttpResponse:
    template = table_template if _fragment(request, target) else page_template
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _page(request: HttpRequest, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _round_choices(viewer: User) -> list[tuple[str, str]]:
    rounds = list(round_list(viewer=viewer).select_related("committee"))
    several = len({r.committee_id for r in rounds}) > 1
    return [(str(r.pk), f"{r.committee.region} {r}" if several else str(r)) for r in rounds]


def _unit_choices(rows) -> list[tuple[str, str]]:
    """(id, name) of the units in a list of records, from values_list(unit_id, name, parent name, kind)."""
    choices = {}
    for unit_id, name, parent_name, kind in rows:
        choices[unit_id] = f"{parent_name}{name}" if kind == "village" and parent_name else name
    return sorted(((str(pk), label) for pk, label in choices.items()), key=lambda c: c[1])


def _units_of(qs) -> list[tuple[str, str]]:
    return _unit_choices(qs.order_by().values_list("unit_id", "unit__name", "unit__parent__name", "unit__kind")
                         .distinct())


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _annotate_tasks(tasks, viewer: User | None = None) -> list[Task]:
    on = today()
    out = []
    for task in tasks:
        task.light = task_selectors.task_light(task, on=on)
        task.days_left = None if task.status == TaskStatus.CLOSED else days_left(task.deadline, on=on)
        if viewer is not None:
            task.actions = task_services.task_allowed_actions(actor=viewer, task=task)
        out.append(task)
    return out


# ---------------------------------------------------------------- problems

def _problem_filter_form(request: HttpRequest) -> lf.ProblemFilterForm:
    viewer = request.user
    visible = findings_selectors.problem_list(viewer=viewer)
    round_id = int_value(request.GET.get("round"))
    inspections = inspection_list(viewer=viewer, round_id=round_id)
    return lf.ProblemFilterForm(
        request.GET or None,
        rounds=_round_choices(viewer),
        inspections=[(str(i.pk), str(i)) for i in inspections],
        units=_units_of(visible),
        internal=_internal(viewer),
    )


def _internal(viewer: User) -> bool:
    """Whether the viewer reads the inspection's own notes on a problem (not the inspected unit: it must not
    learn how a problem is disposed of, e.g. that a clue went to the discipline commission)."""
    return viewer.role != Role.UNIT


def _problem_query(request: HttpRequest, form: lf.ProblemFilterForm):
    f = form.selected()
    return findings_selectors.problem_list(
        viewer=request.user, round_id=int_value(f.get("round")), inspection_id=int_value(f.get("inspection")),
        unit_id=int_value(f.get("unit")), category=f.get("category"), disposal=f.get("disposal"),
        status=f.get("status"), search=(f.get("q") or "").strip() or None,
    )


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    form = _problem_filter_form(request)
    page = _page(request, _problem_query(request, form))
    return _list_response(request, page_template="ledger/problem_list.html",
                          table_template="ledger/_problem_table.html", target="ledger-results", context={
                              "form": form, "page": page, "query": request.GET.urlencode(),
                              "may_import": findings_services.may_import_problems(request.user),
                              "show_internal": _internal(request.user),
                          })


@login_required
def problem_export(request: HttpRequest) -> HttpResponse:
    form = _problem_filter_form(request)
    problems = list(_problem_query(request, form))
    subtitle = xlsx.export_subtitle(count=len(problems), filters=form.described())
    content = xlsx.problem_ledger_xlsx(problems, subtitle=subtitle, internal=_internal(request.user))
    return _xlsx_response(content, _("problem-ledger-%(date)s.xlsx") % {"date": today().strftime("%Y%m%d")})


@login_required
def problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_get(viewer=request.user, pk=pk)
    if not findings_services.can_record_in(request.user, inspection):
        raise Http404
    open_for_recording = inspection.stage in findings_services.RECORDING_STAGES
    error = None
    status = 200
    if request.method == "POST":
        form = lf.ProblemForm(request.POST, inspection=inspection)
        token = request.POST.get("form_token", "")
        state, created_pk = claim_token(request, token)
        if state == "used":
            messages.info(request, _("This form had already been sent: the problem was recorded once, not twice."))
            if created_pk:
                return redirect("web:problem_detail", pk=created_pk)
            return redirect(f"{reverse('web:problem_list')}?inspection={inspection.pk}")
        if state == "unknown":
            # Not a token this session issued (an expired session, a page kept open for days): a fresh one.
            error = _("This form has expired. Check the entries and save again.")
            status = 400
            form.data = form.data.copy()
            form.data["form_token"] = issue_token(request)
        elif form.is_valid():
            try:
                problem = findings_services.problem_record(
                    actor=request.user, inspection=inspection, unit=form.cleaned_data["unit"],
                    found_on=form.cleaned_data["found_on"], **form.service_data())
            except ServiceError as exc:
                token_released(token)
                error = apply_service_error(form, exc)
                status = 400
            else:
                token_used(request, token, problem.pk)
                messages.success(request, _("The problem was recorded."))
                if "save_and_add" in request.POST:
                    return redirect("web:problem_create", pk=inspection.pk)
                return redirect("web:problem_detail", pk=problem.pk)
        else:
            token_released(token)
            status = 400
    else:
        form = lf.ProblemForm(initial={"form_token": issue_token(request)}, inspection=inspection)
    return render(request, "ledger/problem_form.html", {
        "form": form, "inspection": inspection, "error": error, "creating": True,
        "open_for_recording": open_for_recording,
    }, status=status)


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = findings_selectors.problem_get(viewer=request.user, pk=pk)
    tasks = _annotate_tasks(problem.tasks.order_by("deadline", "id"), request.user)
    clues = []
    if _internal(request.user):
        clues = list(findings_selectors.clue_list(viewer=request.user).filter(problem=problem))
        for clue in clues:
            clue.days_waiting = clue_days_waiting(clue)
            clue.answer_overdue = clue_answer_overdue(clue)
    return render(request, "ledger/problem_detail.html", {
        "problem": problem, "tasks": tasks, "clues": clues, "show_internal": _internal(request.user),
        "may_edit": findings_services.can_record_in(request.user, problem.inspection),
        "may_plan": task_services.may_plan_tasks(actor=request.user, problem=problem),
    })


@login_required
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = findings_selectors.problem_get(viewer=request.user, pk=pk)
    if not findings_services.can_record_in(request.user, problem.inspection):
        raise Http404
    error = None
    status = 200
    if request.method == "POST":
        form = lf.ProblemForm(request.POST, editing=True)
        if form.is_valid():
            try:
                findings_services.problem_update(actor=request.user, problem=problem,
                                                 expected_version=form.cleaned_data.get("version"),
                                                 **form.service_data())
            except ServiceError as exc:
                error = apply_service_error(form, exc)
                status = 409 if isinstance(exc, StaleWrite) else 400
            else:
                messages.success(request, _("The problem was saved."))
                return redirect("web:problem_detail", pk=problem.pk)
        else:
            status = 400
    else:
        initial = {name: getattr(problem, name) for name in lf.ProblemForm.SERVICE_FIELDS}
        initial["version"] = problem.version
        form = lf.ProblemForm(initial=initial, editing=True)
    return render(request, "ledger/problem_form.html", {
        "form": form, "problem": problem, "inspection": problem.inspection, "error": error, "creating": False,
        "open_for_recording": True,
    }, status=status)


@roles_only(Role.OFFICE, Role.ADMIN)
def problem_import(request: HttpRequest) -> HttpResponse:
    errors: list = []
    file_error = None
    status = 200
    if request.method == "POST":
        form = lf.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(xlsx.MAX_IMPORT_BYTES + 1)
            try:
                parsed = xlsx.parse_problem_ledger(data, actor=request.user,
                                                   inspections=inspection_list(viewer=request.user))
            except xlsx.ImportFileError as exc:
                file_error = exc.message
            else:
                errors = parsed.errors
                if not errors:
                    try:
                        created = findings_services.problems_import(actor=request.user, rows=parsed.rows)
                    except ServiceError as exc:
                        file_error = exc.message
                    else:
                        messages.success(request, _("%(n)s problems were imported.") % {"n": len(created)})
                        inspection_ids = {p.inspection_id for p in created}
                        url = reverse("web:problem_list")
                        if len(inspection_ids) == 1:
                            url += f"?inspection={inspection_ids.pop()}"
                        return redirect(url)
            status = 400
        else:
            status = 400
    else:
        form = lf.ImportForm()
    return render(request, "ledger/problem_import.html", {
        "form": form, "errors": errors, "file_error": file_error, "columns": xlsx.IMPORT_COLUMNS,
        "max_rows": xlsx.MAX_IMPORT_ROWS,
    }, status=status)


@roles_only(Role.OFFICE, Role.ADMIN)
def problem_import_template(request: HttpRequest) -> HttpResponse:
    content = xlsx.problem_import_template_xlsx(inspections=inspection_list(viewer=request.user))
    return _xlsx_response(content, _("problem-ledger-import-template.xlsx"))


# ---------------------------------------------------------------- rectification

def _task_filter_form(request: HttpRequest) -> lf.TaskFilterForm:
    viewer = request.user
    return lf.TaskFilterForm(request.GET or None, rounds=_round_choices(viewer),
                             units=_units_of(findings_selectors.problem_list(viewer=viewer)))


def _task_query(request: HttpRequest, form: lf.TaskFilterForm):
    f = form.selected()
    return task_selectors.task_list(viewer=request.user, round_id=int_value(f.get("round")),
                                    unit_id=int_value(f.get("unit")), status=f.get("status"))


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    form = _task_filter_form(request)
    page = _page(request, _task_query(request, form))
    page.object_list = _annotate_tasks(page.object_list)
    return _list_response(request, page_template="ledger/task_list.html", table_template="ledger/_task_table.html",
                          target="ledger-results", context={"form": form, "page": page,
                                                            "query": request.GET.urlencode()})


@login_required
def task_export(request: HttpRequest) -> HttpResponse:
    form = _task_filter_form(request)
    tasks = list(_task_query(request, form))
    subtitle = xlsx.export_subtitle(count=len(tasks), filters=form.described())
    content = xlsx.task_ledger_xlsx(tasks, subtitle=subtitle)
    return _xlsx_response(content, _("rectification-ledger-%(date)s.xlsx") % {"date": today().strftime("%Y%m%d")})


def _task_page(request: HttpRequest, task: Task, *, error: str | None = None, status: int = 200,
               forms: dict | None = None) -> HttpResponse:
    # Evidence, flags, re-checks and accountability live with the rectification pages (rectify_views imports
    # this module, hence the import here).
    from xuncha.web.rectify_views import task_page_extras

    task = _annotate_tasks([task], request.user)[0]
    version = {"version": task.version}
    context = {
        "task": task, "problem": task.problem, "error": error,
        "progress_form": rf.EvidenceProgressForm(),
        "submit_form": lf.SubmitForm(initial=version),
        "close_form": rf.TaskCloseForm(initial=version, signer=str(request.user)),
        "return_form": lf.ReturnForm(initial=version),
    }
    context.update(task_page_extras(request, task, forms or {}))
    return render(request, "ledger/task_detail.html", context, status=status)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, task_selectors.task_get(viewer=request.user, pk=pk))


def _portal_task_fragment(request: HttpRequest, task: Task, *, error: str | None = None,
                          form: rf.EvidenceProgressForm | None = None, notice: str | None = None) -> HttpResponse:
    task = _annotate_tasks([task_selectors.task_get(viewer=request.user, pk=task.pk)], request.user)[0]
    return render(request, "ledger/_portal_task.html", {
        "task": task, "error": error, "progress_form": form or rf.EvidenceProgressForm(), "notice": notice,
        "portal_url": reverse("web:unit_portal"),
    }, status=400 if error else 200)


def _task_action(request: HttpRequest, pk: int, *, form_class, form_name: str, run, done: str) -> HttpResponse:
    """Run one move on a task; on refusal show the task again with the message and the text typed."""
    task = task_selectors.task_get(viewer=request.user, pk=pk)
    form = form_class(request.POST, request.FILES)
    inline = _fragment(request, f"task-{task.pk}")
    status = 400
    if form.is_valid():
        try:
            run(task, form.cleaned_data)
        except ServiceError as exc:
            error = exc.message
            status = 409 if isinstance(exc, StaleWrite) else 400
        else:
            if inline:
                return _portal_task_fragment(request, task, notice=done)
            messages.success(request, done)
            return redirect(safe_next(request, reverse("web:task_detail", args=[task.pk])))
    else:
        error = next(iter(e for errs in form.errors.values() for e in errs), _("Check the entries."))
    if inline:
        return _portal_task_fragment(request, task, error=error, form=form if form_name == "progress_form" else None)
    task.refresh_from_db()
    return _task_page(request, task, error=error, status=status, forms={form_name: form})


@require_POST
@login_required
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.web.rectify_views import report_progress

    return _task_action(
        request, pk, form_class=rf.EvidenceProgressForm, form_name="progress_form",
        run=lambda task, d: report_progress(actor=request.user, task=task, text=d["text"], files=d["files"]),
        done=_("The progress was reported."))


@require_POST
@login_required
def task_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request, pk, form_class=lf.SubmitForm, form_name="submit_form",
        run=lambda task, d: task_services.task_submit_for_review(actor=request.user, task=task, text=d["text"] or "",
                                                                 expected_version=d.get("version")),
        done=_("The task was submitted to the office for checking."))


@require_POST
@login_required
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request, pk, form_class=rf.TaskCloseForm, form_name="close_form",
        run=lambda task, d: task_services.task_close(actor=request.user, task=task, note=d["note"] or "",
                                                     signature=d["signature"] or "", on_date=d["on_date"],
                                                     expected_version=d.get("version")),
        done=_("The task was checked and closed."))


@require_POST
@login_required
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request, pk, form_class=lf.ReturnForm, form_name="return_form",
        run=lambda task, d: task_services.task_return(actor=request.user, task=task, reason=d["reason"],
                                                      expected_version=d.get("version")),
        done=_("The task was returned to the unit."))


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = findings_selectors.problem_get(viewer=request.user, pk=pk)
    if request.user.role not in (Role.UNIT, Role.OFFICE, Role.ADMIN):
        raise Http404
    error = None
    status = 200
    if request.method == "POST":
        form = lf.TaskForm(request.POST)
        if form.is_valid():
            try:
                task = task_services.task_create(actor=request.user, problem=problem, **form.cleaned_data)
            except ServiceError as exc:
                error = apply_service_error(form, exc)
                status = 400
            else:
                messages.success(request, _("The rectification task was added."))
                return redirect(safe_next(request, reverse("web:task_detail", args=[task.pk])))
        else:
            status = 400
    else:
        form = lf.TaskForm()
    return render(request, "ledger/task_form.html", {
        "form": form, "problem": problem, "error": error,
        "may_plan": task_services.may_plan_tasks(actor=request.user, problem=problem),
        "next": safe_next(request, ""),
    }, status=status)


# ---------------------------------------------------------------- the unit's portal

@roles_only(Role.UNIT)
def unit_portal(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    rank = Case(When(status=ProblemStatus.RECTIFIED, then=Value(1)), default=Value(0), output_field=IntegerField())
    problems = list(
        findings_selectors.problem_list(viewer=viewer)
        .annotate(rank=rank).order_by("rank", "found_on", "id")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("deadline", "id")))
    )
    for problem in problems:
        problem.task_rows = _annotate_tasks(problem.tasks.all(), viewer)
        problem.may_plan = task_services.may_plan_tasks(actor=viewer, problem=problem)
    overdue = _annotate_tasks(task_selectors.task_list(viewer=viewer, overdue=True))
    suggestions = list(findings_selectors.suggestion_list(viewer=viewer))
    counts = findings_selectors.problem_counts_by_status(findings_selectors.problem_list(viewer=viewer))
    from xuncha.web.plan_views import unit_plan_cards  # plan_views imports this module

    return render(request, "ledger/unit_portal.html", {
        "unit": viewer.unit, "problems": problems, "overdue": overdue, "suggestions": suggestions,
        "plan_cards": unit_plan_cards(viewer),
        "counts": counts, "problem_total": sum(counts.values()),
        "without_tasks": [p for p in problems if not p.task_rows and p.status != ProblemStatus.RECTIFIED],
        "open_suggestions": [s for s in suggestions if s.status == Suggestion.Status.OPEN],
        "progress_form": lf.ProgressForm(), "complete_form": lf.SuggestionCompleteForm(),
        "portal_url": reverse("web:unit_portal"),
    })


# ---------------------------------------------------------------- clues

CLUE_ROLES = (Role.ADMIN, Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.RECEIVER)


class ClueSignForm(forms.Form):
    on_date = forms.DateField(label=_l("Signed for on"), required=False, widget=lf.DATE)


class ClueResultForm(forms.Form):
    result = forms.ChoiceField(label=_l("Result"), choices=[("", _l("Choose")), *ClueResult.choices])
    on_date = forms.DateField(label=_l("Result recorded on"), widget=lf.DATE)
    note = forms.CharField(label=_l("Result note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_date"].initial = today()


class ClueSuperviseForm(forms.Form):
    note = forms.CharField(label=_l("What the organ is asked to do"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


def _clue_row(clue):
    clue.days_waiting = clue_days_waiting(clue)
    clue.answer_overdue = clue_answer_overdue(clue)
    clue.due_on = clue_answer_due_on(clue)
    return clue


@roles_only(*CLUE_ROLES)
def clue_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    form = lf.ClueFilterForm(request.GET or None, rounds=_round_choices(viewer),
                             units=_units_of(findings_selectors.clue_list(viewer=viewer)))
    f = form.selected()
    state = f.get("state")
    clues = findings_selectors.clue_list(
        viewer=viewer, round_id=int_value(f.get("round")), unit_id=int_value(f.get("unit")),
        disposed={"waiting": False, "disposed": True}.get(state), overdue=True if state == "overdue" else None,
    )
    if viewer.role == Role.RECEIVER:
        # The organ's own list: what it has not signed for yet comes first (待签收).
        clues = clues.order_by(Case(When(signed_for_on__isnull=True, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()), "-handed_over_on", "-id")
    page = _page(request, clues)
    page.object_list = [_clue_row(c) for c in page.object_list]
    figures = clue_figures(viewer=viewer)
    return _list_response(request, page_template="ledger/clue_list.html", table_template="ledger/_clue_table.html",
                          target="ledger-results", context={
                              "form": form, "page": page, "answer_days": CLUE_ANSWER_DAYS,
                              "waiting_over": figures.overdue, "figures": figures, "query": request.GET.urlencode(),
                          })


def _may_dispose(user: User, clue) -> bool:
    return not clue.disposal and bool(clue.signed_for_on) and findings_services.is_clue_receiver(user, clue)


def _clue_page(request: HttpRequest, clue, *, form=None, result_form=None, supervise_form=None, error=None,
               status=200) -> HttpResponse:
    viewer = request.user
    problem = None
    if clue.problem_id:
        problem = findings_selectors.problem_list(viewer=viewer).filter(pk=clue.problem_id).first()
    clue = _clue_row(clue)
    office = findings_services.may_supervise_clue(viewer, clue)
    return render(request, "ledger/clue_detail.html", {
        "clue": clue, "problem": problem, "answer_days": CLUE_ANSWER_DAYS,
        "may_sign": not clue.signed_for_on and findings_services.is_clue_receiver(viewer, clue),
        "may_dispose": _may_dispose(viewer, clue),
        "may_result": bool(clue.disposal) and not clue.result and findings_services.is_clue_receiver(viewer, clue),
        "show_due": office or viewer.role in (Role.ADMIN, Role.LEADER),
        "may_supervise": office and clue.answer_overdue,
        "supervisions": list(clue.supervisions.select_related("by")),
        "form": form or lf.ClueDisposeForm(initial={"version": clue.version}),
        "sign_form": ClueSignForm(initial={"on_date": today()}),
        "result_form": result_form or ClueResultForm(initial={"version": clue.version}),
        "supervise_form": supervise_form or ClueSuperviseForm(), "error": error,
    }, status=status)


@roles_only(*CLUE_ROLES)
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _clue_page(request, findings_selectors.clue_get(viewer=request.user, pk=pk))


def _clue_refused(request: HttpRequest, clue, exc: ServiceError, **forms_) -> HttpResponse:
    clue.refresh_from_db()
    form = next(iter(forms_.values()), None)
    error = apply_service_error(form, exc) if form is not None else exc.message
    return _clue_page(request, clue, error=error, status=409 if isinstance(exc, StaleWrite) else 400, **forms_)


@require_POST
@roles_only(*CLUE_ROLES)
def clue_sign_for(request: HttpRequest, pk: int) -> HttpResponse:
    clue = findings_selectors.clue_get(viewer=request.user, pk=pk)
    form = ClueSignForm(request.POST)
    if not form.is_valid():
        return _clue_page(request, clue, error=_("Check the date."), status=400)
    try:
        findings_services.clue_sign_for(actor=request.user, clue=clue, on_date=form.cleaned_data.get("on_date"))
    except ServiceError as exc:
        return _clue_refused(request, clue, exc)
    messages.success(request, _("The clue was signed for."))
    return redirect("web:clue_detail", pk=clue.pk)


def _clue_action(request: HttpRequest, pk: int, *, form_class, form_name: str, run, done: str) -> HttpResponse:
    """Run one move on a clue; on refusal show the clue again with the message and the text typed."""
    clue = findings_selectors.clue_get(viewer=request.user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _clue_page(request, clue, status=400, **{form_name: form})
    try:
        run(clue, form.cleaned_data)
    except ServiceError as exc:
        return _clue_refused(request, clue, exc, **{form_name: form})
    messages.success(request, done)
    return redirect("web:clue_detail", pk=clue.pk)


@require_POST
@roles_only(*CLUE_ROLES)
def clue_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    return _clue_action(
        request, pk, form_class=lf.ClueDisposeForm, form_name="form",
        run=lambda clue, d: findings_services.clue_dispose(
            actor=request.user, clue=clue, disposal=d["disposal"], note=d["note"] or "", on_date=d["on_date"],
            expected_version=d.get("version")),
        done=_("The disposal of the clue was recorded."))


@require_POST
@roles_only(*CLUE_ROLES)
def clue_result(request: HttpRequest, pk: int) -> HttpResponse:
    return _clue_action(
        request, pk, form_class=ClueResultForm, form_name="result_form",
        run=lambda clue, d: findings_services.clue_record_result(
            actor=request.user, clue=clue, result=d["result"], on_date=d["on_date"], note=d["note"] or "",
            expected_version=d.get("version")),
        done=_("The result of the clue was recorded."))


@require_POST
@roles_only(*CLUE_ROLES)
def clue_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    return _clue_action(
        request, pk, form_class=ClueSuperviseForm, form_name="supervise_form",
        run=lambda clue, d: findings_services.clue_supervise(actor=request.user, clue=clue, note=d["note"]),
        done=_("The organ was pressed to answer (督办)."))


@roles_only(*CLUE_ROLES)
def clue_transfer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.core.official_document import DOCX_CONTENT_TYPE
    from xuncha.findings.documents import clue_transfer_letter_docx

    clue = findings_selectors.clue_get(viewer=request.user, pk=pk)
    content = clue_transfer_letter_docx(clue=clue, issued_on=clue.handed_over_on)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"移交函-{clue.pk}.docx")
    return response


# ---------------------------------------------------------------- suggestions

SUGGESTION_ROLES = (Role.ADMIN, Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.UNIT)


def _may_complete(user: User, suggestion: Suggestion) -> bool:
    if suggestion.status != Suggestion.Status.OPEN:
        return False
    return user.role in (Role.ADMIN, Role.OFFICE) or (user.role == Role.UNIT and user.unit_id == suggestion.unit_id)


@roles_only(*SUGGESTION_ROLES)
def suggestion_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    form = lf.SuggestionFilterForm(request.GET or None, rounds=_round_choices(viewer),
                                   units=_units_of(findings_selectors.suggestion_list(viewer=viewer)))
    f = form.selected()
    suggestions = findings_selectors.suggestion_list(viewer=viewer, round_id=int_value(f.get("round")),
                                                     unit_id=int_value(f.get("unit")), status=f.get("status"))
    page = _page(request, suggestions)
    for suggestion in page.object_list:
        suggestion.may_complete = _may_complete(viewer, suggestion)
    return _list_response(request, page_template="ledger/suggestion_list.html",
                          table_template="ledger/_suggestion_table.html", target="ledger-results",
                          context={"form": form, "page": page, "query": request.GET.urlencode(),
                                   "here": request.get_full_path()})


@roles_only(*SUGGESTION_ROLES)
def suggestion_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """POST from the lists and the portal; GET (or a refused POST) shows the suggestion with its form."""
    suggestion = findings_selectors.suggestion_get(viewer=request.user, pk=pk)
    inline = _fragment(request, f"suggestion-{suggestion.pk}")
    error = None
    if request.method == "POST":
        form = lf.SuggestionCompleteForm(request.POST)
        if form.is_valid():
            try:
                findings_services.suggestion_complete(actor=request.user, suggestion=suggestion,
                                                      note=form.cleaned_data["note"],
                                                      expected_version=form.cleaned_data.get("version"))
            except ServiceError as exc:
                error = exc.message
            else:
                done = _("The suggestion was marked completed.")
                if inline:
                    suggestion.refresh_from_db()
                    return render(request, "ledger/_suggestion_item.html",
                                  {"suggestion": suggestion, "notice": done, "portal_url": reverse("web:unit_portal")})
                messages.success(request, done)
                return redirect(safe_next(request, reverse("web:suggestion_list")))
        else:
            error = next(iter(e for errs in form.errors.values() for e in errs), _("Check the entries."))
    else:
        form = lf.SuggestionCompleteForm(initial={"version": suggestion.version,
                                                  "next": safe_next(request, "")})
    suggestion.refresh_from_db()
    suggestion.may_complete = _may_complete(request.user, suggestion)
    if inline:
        return render(request, "ledger/_suggestion_item.html", {
            "suggestion": suggestion, "error": error, "complete_form": form,
            "portal_url": reverse("web:unit_portal"),
        }, status=400)
    return render(request, "ledger/suggestion_complete.html", {
        "suggestion": suggestion, "form": form, "error": error,
    }, status=400 if error else 200)

