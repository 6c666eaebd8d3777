"""The rectification pages beyond the ledger: evidence, 催办, 问责, paper-rectification flags, random re-checks.

Thin like the ledger pages: reads go through the scoped selectors (out of scope → 404), writes through one
service each, and a refusal is shown with the service's message (400, or 409 for a stale form). The task
page itself is rendered by ledger_views._task_page, which takes its extra sections from task_page_extras.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from xuncha.core.errors import ServiceError, ValidationFailed
from xuncha.core.rates import percentage
from xuncha.findings.selectors import problem_list
from xuncha.org.models import Cadre, Role, User
from xuncha.org.selectors import cadre_list
from xuncha.rectification import integrity
from xuncha.rectification import integrity_selectors as flag_selectors
from xuncha.rectification import selectors as task_selectors
from xuncha.rectification import services as task_services
from xuncha.rectification.evidence import check_upload, evidence_response, read_upload
from xuncha.rectification.models import (
    EvidenceFile,
    FlagKind,
    FlagStatus,
    IntegrityFlag,
    RecheckDraw,
    RecheckItem,
    RecheckResult,
    Task,
    TaskStatus,
)
from xuncha.rectification.similarity import highlight, shared_words
from xuncha.rounds.selectors import round_get
from xuncha.web import ledger_views as lv
from xuncha.web import rectify_forms as rf
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import apply_service_error, int_value, service_error_status

OVERSIGHT = (Role.ADMIN, Role.LEADER, Role.OFFICE)
OFFICE = (Role.ADMIN, Role.OFFICE)
ACCOUNTABILITY_ROLES = (Role.ADMIN, Role.LEADER, Role.OFFICE, Role.UNIT)
PER_PAGE = 50


def _first_error(form) -> str:
    return next(iter(e for errs in form.errors.values() for e in errs), _("Check the entries."))


# ---------------------------------------------------------------- evidence

def read_uploads(files) -> list[tuple[str, bytes]]:
    """The uploads as (name, bytes), read in chunks and refused as soon as one passes EVIDENCE_MAX_BYTES."""
    limit = int(settings.EVIDENCE_MAX_BYTES)
    mb = f"{limit / (1024 * 1024):.1f}".removesuffix(".0")
    out = []
    for upload in files:
        refused = ValidationFailed(_("“%(name)s” is larger than the limit of %(mb)s MB.")
                                   % {"name": upload.name or "", "mb": mb}, field="files")
        out.append(read_upload(upload, limit=limit, refused=refused))
    return out


def report_progress(*, actor: User, task: Task, text: str, files) -> None:
    """task_report_progress with the uploads; a refused file is named in the message when several were sent."""
    uploads = read_uploads(files)
    try:
        task_services.task_report_progress(actor=actor, task=task, text=text, files=uploads)
    except ValidationFailed as exc:
        if exc.field == "file" and len(uploads) > 1:
            for name, data in uploads:
                try:
                    check_upload(name, data)
                except ValidationFailed:
                    raise ValidationFailed(f"“{name}”: {exc.message}", field="files") from exc
        raise


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    return evidence_response(task_selectors.evidence_get(viewer=request.user, pk=pk))


# ---------------------------------------------------------------- the task page's sections

def _may_office(user: User, task: Task) -> bool:
    """Whether to offer the office's forms (催办, 问责); the services decide again on each write."""
    return user.role in OFFICE and task.status != TaskStatus.CLOSED


def _recheck_items(viewer: User, task: Task):
    """The task's re-checks. A unit (or group) sees only results: a draw is not announced before the visit."""
    items = RecheckItem.objects.filter(task=task).select_related("draw", "draw__round", "checked_by")
    if viewer.role in OVERSIGHT:
        return items.filter(draw__in=task_selectors.recheck_draw_list(viewer=viewer).values("pk"))
    return items.exclude(result=RecheckResult.PENDING)


def _cadres(viewer: User, task: Task) -> list[Cadre]:
    """The unit's leadership, to pick the person held to account from (typed instead when out of reach)."""
    try:
        return list(cadre_list(viewer=viewer, unit=task.problem.unit))
    except Http404:  # a unit of another committee, reached through a cross or escalated round
        return []


def task_page_extras(request: HttpRequest, task: Task, forms: dict) -> dict:
    """Evidence, flags, re-checks, accountability and the office's forms for ledger/task_detail.html."""
    viewer = request.user
    notes = list(task.notes.select_related("author").prefetch_related("files"))
    flags = []
    if viewer.role in OVERSIGHT:
        # A suspicion is the office's to weigh; the unit hears of it only once it is acted on (reopening, 问责).
        # A copied measure is flagged on both tasks: this task's own flag says it, the mirror is left out.
        mine = Q(task=task) | (Q(other_task=task) & ~Q(kind=FlagKind.COPIED_MEASURE))
        flags = list(flag_selectors.flag_list(viewer=viewer).filter(mine))
    for flag in flags:
        if flag.kind == FlagKind.COPIED_MEASURE and flag.other_task is not None:
            words = shared_words(task.measure, flag.other_task.measure)
            flag.mine = highlight(task.measure, words)
            flag.theirs = highlight(flag.other_task.measure, words)
    office = viewer.role in OFFICE
    cadres = _cadres(viewer, task) if office else []
    extras = {
        "notes": notes,
        "evidence_count": task.evidence.count(),
        "flags": flags,
        "rechecks": list(_recheck_items(viewer, task)),
        "accountabilities": list(task_selectors.accountability_list(viewer=viewer).filter(task=task)),
        "may_urge": _may_office(viewer, task),
        "may_hold_accountable": office,
        "urge_form": rf.UrgeForm(),
        "accountability_form": rf.AccountabilityForm(cadres=cadres),
    }
    extras.update(forms)
    return extras


def _task_refused(request: HttpRequest, task: Task, *, error: str, status: int, forms: dict) -> HttpResponse:
    task.refresh_from_db()
    return lv._task_page(request, task, error=error, status=status, forms=forms)


@roles_only(*OFFICE)
@require_POST
def task_urge(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_selectors.task_get(viewer=request.user, pk=pk)
    form = rf.UrgeForm(request.POST)
    if not form.is_valid():
        return _task_refused(request, task, error=_first_error(form), status=400, forms={"urge_form": form})
    try:
        sent = task_services.task_urge(actor=request.user, task=task, message=form.cleaned_data["message"])
    except ServiceError as exc:
        return _task_refused(request, task, error=exc.message, status=service_error_status(exc),
                             forms={"urge_form": form})
    messages.success(request, ngettext("The unit was urged: %(n)s notification sent.",
                                       "The unit was urged: %(n)s notifications sent.", sent) % {"n": sent})
    return redirect("web:task_detail", pk=task.pk)


@roles_only(*OFFICE)
@require_POST
def task_accountability(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_selectors.task_get(viewer=request.user, pk=pk)
    unit = task.problem.unit
    cadres = _cadres(request.user, task)
    form = rf.AccountabilityForm(request.POST, cadres=cadres)
    forms = {"accountability_form": form}
    if not form.is_valid():
        return _task_refused(request, task, error=_first_error(form), status=400, forms=forms)
    d = form.cleaned_data
    cadre = next((c for c in cadres if str(c.pk) == d.get("cadre")), None)
    try:
        task_services.accountability_record(
            actor=request.user, unit=unit, person_name=(d.get("person_name") or "").strip(), kind=d["kind"],
            decided_on=d["decided_on"], decided_by=d["decided_by"], reason=d["reason"], task=task, cadre=cadre)
    except ServiceError as exc:
        return _task_refused(request, task, error=exc.message, status=service_error_status(exc), forms=forms)
    messages.success(request, _("The accountability record was added."))
    return redirect("web:task_detail", pk=task.pk)


# ---------------------------------------------------------------- accountability

@roles_only(*ACCOUNTABILITY_ROLES)
def accountability_list(request: HttpRequest) -> HttpResponse:
    records = task_selectors.accountability_list(viewer=request.user).select_related(
        "task", "unit", "unit__parent", "cadre", "recorded_by")
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rectify/accountability_list.html", {"page": page})


# ---------------------------------------------------------------- paper-rectification flags

def _flag_filter_form(request: HttpRequest) -> rf.FlagFilterForm:
    return rf.FlagFilterForm(request.GET or None, rounds=lv._round_choices(request.user))


@roles_only(*OVERSIGHT)
def flag_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    form = _flag_filter_form(request)
    f = form.selected()
    round_id = int_value(f.get("round"))
    flags = flag_selectors.flag_list(viewer=viewer, kind=f.get("kind"), status=f.get("status"), round_id=round_id)
    flags = flags.select_related("task", "task__problem", "task__problem__unit", "other_task",
                                 "other_task__problem__unit", "problem")
    # Counts per kind under the other filters, so each kind's tile says how many a click would show.
    per_kind = dict(flag_selectors.flag_list(viewer=viewer, status=f.get("status"), round_id=round_id)
                    .order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = [{"value": k.value, "label": k.label, "count": per_kind.get(k.value, 0),
              "active": f.get("kind") == k.value} for k in FlagKind]
    page = lv._page(request, flags)
    return lv._list_response(request, page_template="rectify/flag_list.html", table_template="rectify/_flag_table.html",
                             target="ledger-results", context={
                                 "form": form, "page": page, "kinds": kinds, "query": request.GET.urlencode(),
                                 "open_count": flag_selectors.flag_list(viewer=viewer, status=FlagStatus.OPEN,
                                                                        round_id=round_id).count(),
                             })


def _visible_task_ids(viewer: User, *tasks: Task | None) -> set[int]:
    ids = [t.pk for t in tasks if t is not None]
    return set(task_selectors.task_list(viewer=viewer).filter(pk__in=ids).values_list("pk", flat=True))


def _flag_page(request: HttpRequest, flag: IntegrityFlag, *, form=None, error: str | None = None,
               status: int = 200) -> HttpResponse:
    viewer = request.user
    task, other = flag.task, flag.other_task
    context: dict = {
        "flag": flag, "task": task, "other": other, "error": error,
        "visible": _visible_task_ids(viewer, task, other),
        # The office decides, and may revise a decision later (each one is audited).
        "may_resolve": viewer.role in OFFICE,
        "form": form or rf.FlagResolveForm(initial={"version": flag.version}),
    }
    if flag.kind == FlagKind.COPIED_MEASURE and other is not None:
        words = shared_words(task.measure, other.measure)
        context["left"] = highlight(task.measure, words)
        context["right"] = highlight(other.measure, words)
    elif flag.kind == FlagKind.RESTATED_PROBLEM:
        words = shared_words(task.measure, task.problem.description)
        context["left"] = highlight(task.measure, words)
        context["right"] = highlight(task.problem.description, words)
    elif flag.kind == FlagKind.REUSED_EVIDENCE:
        context["files"] = list(EvidenceFile.objects.filter(
            sha256=flag.sha256, task_id__in=context["visible"]).select_related("task", "uploaded_by"))
    elif flag.kind == FlagKind.RECURRENCE and flag.problem_id:
        words = shared_words(task.problem.description, flag.problem.description)
        context["left"] = highlight(task.problem.description, words)
        context["right"] = highlight(flag.problem.description, words)
        context["problem_visible"] = problem_list(viewer=viewer).filter(pk=flag.problem_id).exists()
    return render(request, "rectify/flag_detail.html", context, status=status)


@roles_only(*OVERSIGHT)
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _flag_page(request, flag_selectors.flag_get(viewer=request.user, pk=pk))


@roles_only(*OFFICE)
@require_POST
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = flag_selectors.flag_get(viewer=request.user, pk=pk)
    form = rf.FlagResolveForm(request.POST)
    if not form.is_valid():
        return _flag_page(request, flag, form=form, status=400)
    d = form.cleaned_data
    try:
        integrity.flag_resolve(actor=request.user, flag=flag, status=d["status"], note=d["note"] or "",
                               expected_version=d.get("version"))
    except ServiceError as exc:
        flag.refresh_from_db()
        return _flag_page(request, flag, form=form, error=apply_service_error(form, exc),
                          status=service_error_status(exc))
    messages.success(request, _("The flag was confirmed.") if d["status"] == FlagStatus.CONFIRMED
                     else _("The flag was dismissed."))
    return redirect("web:flag_detail", pk=flag.pk)


# ---------------------------------------------------------------- random re-checks

def _draw_rows(draws) -> list[RecheckDraw]:
    rows = list(draws.annotate(
        n_items=Count("items"),
        n_passed=Count("items", filter=Q(items__result=RecheckResult.PASSED)),
        n_failed=Count("items", filter=Q(items__result=RecheckResult.FAILED)),
        n_pending=Count("items", filter=Q(items__result=RecheckResult.PENDING)),
    ))
    for draw in rows:
        draw.failure_rate = percentage(draw.n_failed, draw.n_passed + draw.n_failed)
        draw.population_size = len(draw.population or [])
    return rows


def _recheck_list_page(request: HttpRequest, *, form=None, error: str | None = None, status: int = 200):
    viewer = request.user
    round_id = int_value(request.GET.get("round"))
    draws = task_selectors.recheck_draw_list(viewer=viewer, round_id=round_id)
    page = lv._page(request, draws)
    page.object_list = _draw_rows(page.object_list)
    rounds = lv._round_choices(viewer)
    return render(request, "rectify/recheck_list.html", {
        "page": page, "rounds": rounds, "round_id": round_id, "error": error,
        "may_draw": viewer.role in OFFICE,
        "form": form or rf.RecheckDrawForm(rounds=rounds, initial={"round": round_id or ""}),
    }, status=status)


@roles_only(*OVERSIGHT)
def recheck_list(request: HttpRequest) -> HttpResponse:
    return _recheck_list_page(request)


@roles_only(*OFFICE)
@require_POST
def recheck_draw(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    form = rf.RecheckDrawForm(request.POST, rounds=lv._round_choices(viewer))
    if not form.is_valid():
        return _recheck_list_page(request, form=form, status=400)
    d = form.cleaned_data
    round_ = round_get(viewer=viewer, pk=int(d["round"]))
    try:
        draw = task_services.recheck_draw(actor=viewer, round=round_, sample_size=d["sample_size"],
                                          seed=d["seed"] or "")
    except ServiceError as exc:
        return _recheck_list_page(request, form=form, error=apply_service_error(form, exc),
                                  status=service_error_status(exc))
    messages.success(request, _("%(n)s of %(total)s closed tasks were drawn for re-checking.")
                     % {"n": len(draw.sample), "total": len(draw.population)})
    return redirect("web:recheck_detail", pk=draw.pk)


def _recheck_page(request: HttpRequest, draw: RecheckDraw, *, bound: dict | None = None, error: str | None = None,
                  error_item: int | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    items = list(draw.items.select_related("task", "task__problem", "task__problem__unit",
                                           "task__problem__unit__parent", "checked_by"))
    for item in items:
        item.form = bound.get(item.pk) or rf.RecheckRecordForm(initial={"version": item.version},
                                                               auto_id=f"item{item.pk}_%s")
    reproduced = task_services.recheck_reproduce(draw)
    counts = {r: sum(1 for i in items if i.result == r) for r in RecheckResult.values}
    return render(request, "rectify/recheck_detail.html", {
        "draw": draw, "items": items, "error": error, "error_item": error_item,
        "population_size": len(draw.population or []),
        "reproducible": sorted(reproduced) == sorted(draw.sample or []),
        "counts": counts,
        "failure_rate": percentage(counts[RecheckResult.FAILED],
                                   counts[RecheckResult.FAILED] + counts[RecheckResult.PASSED]),
        "may_record": request.user.role in OFFICE,
    }, status=status)


@roles_only(*OVERSIGHT)
def recheck_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _recheck_page(request, task_selectors.recheck_draw_get(viewer=request.user, pk=pk))


@roles_only(*OFFICE)
@require_POST
def recheck_record(request: HttpRequest, pk: int) -> HttpResponse:
    item = task_selectors.recheck_item_get(viewer=request.user, pk=pk)
    form = rf.RecheckRecordForm(request.POST, auto_id=f"item{item.pk}_%s")
    if not form.is_valid():
        return _recheck_page(request, item.draw, bound={item.pk: form}, error_item=item.pk, status=400)
    d = form.cleaned_data
    try:
        task_services.recheck_record(actor=request.user, item=item, result=d["result"], finding=d["finding"] or "",
                                     checked_on=d["checked_on"], expected_version=d.get("version"))
    except ServiceError as exc:
        return _recheck_page(request, item.draw, bound={item.pk: form}, error=apply_service_error(form, exc),
                             error_item=item.pk, status=service_error_status(exc))
    if d["result"] == RecheckResult.FAILED:
        messages.warning(request, _("Recorded as not really rectified: the task was reopened and the unit told."))
    else:
        messages.success(request, _("The re-check was recorded."))
    return redirect(f"{reverse('web:recheck_detail', args=[item.draw_id])}#item-{item.pk}")
