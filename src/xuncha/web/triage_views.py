"""昼巡夜结: the daily board of an inspection, entering and sorting items, the 立行立改 notice, and the 1+5 documents
(边汇报 to the leading group, 边通报 for the unit and the public).

Reads go through fieldwork.selectors (the inspection's group, the office of the subtree and admin; 404 for everyone
else), writes through fieldwork.triage. Only the group (and admin) enter and sort; the office reads.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError
from xuncha.core.official_document import DOCX_CONTENT_TYPE
from xuncha.fieldwork import selectors as fs
from xuncha.fieldwork import triage
from xuncha.fieldwork.models import TriageItem, TriageOutcome
from xuncha.fieldwork.triage_documents import bulletin_docx, immediate_notice_docx, progress_report_docx
from xuncha.findings.models import Category
from xuncha.findings.selectors import clue_list
from xuncha.org.models import ReceivingOrgan, Role
from xuncha.rectification.selectors import open_immediate_tasks
from xuncha.reports.models import SuggestedDisposal
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import apply_service_error, claim_token, issue_token, token_released, token_used
from xuncha.web.ledger_forms import DATE

TRIAGE_ROLES = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
PER_PAGE = 50
# A 立行立改 notice gives the unit a week unless the group says otherwise (never past the end of fieldwork).
DEFAULT_NOTICE_DAYS = 7


# ---------------------------------------------------------------- forms

class EnterForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Where it was found"),
                               choices=[(s.value, s.label) for s in triage.MANUAL_SOURCES])
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit concerned"), queryset=None, required=False)
    found_on = forms.DateField(label=gettext_lazy("Found on"), widget=DATE)
    summary = forms.CharField(label=gettext_lazy("What was found"), max_length=triage.MAX_SUMMARY_CHARS,
                              widget=forms.Textarea(attrs={"rows": 3}))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.units.all()
        self.fields["found_on"].initial = today()


class SortForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Sort into"),
                                choices=[("", "—")] + [(o.value, o.label) for o in TriageOutcome])
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit concerned"), queryset=None, required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False,
                                 choices=[("", "—")] + list(Category.choices))
    description = forms.CharField(label=gettext_lazy("The problem as recorded"), required=False,
                                  max_length=triage.MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(label=gettext_lazy("What the unit must put right"), required=False,
                                  max_length=triage.MAX_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=gettext_lazy("To be put right by"), required=False, widget=DATE)
    organ = forms.ModelChoiceField(label=gettext_lazy("Hand over to"), queryset=ReceivingOrgan.objects.none(),
                                   required=False)
    persons_involved = forms.CharField(label=gettext_lazy("Persons involved"), max_length=200, required=False)
    top_secret = forms.BooleanField(label=gettext_lazy("Top secret (高密): only the persons named on it read it"),
                                    required=False)
    forwarded_to = forms.CharField(label=gettext_lazy("Passed on to"), max_length=120, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason or note"), required=False, max_length=triage.MAX_TEXT_CHARS,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("Required when the item is passed on or filed."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, inspection, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.units.all()
        self.fields["organ"].queryset = organs


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        if end and end > today():
            self.add_error("end", _("The date cannot be in the future."))
        return data


def _period_initial() -> dict:
    return {"start": today(), "end": today()}


def _sort_initial(item: TriageItem, inspection, organs) -> dict:
    report = item.report
    due = today() + datetime.timedelta(days=DEFAULT_NOTICE_DAYS)
    if inspection.fieldwork_ends_on and today() <= inspection.fieldwork_ends_on < due:
        due = inspection.fieldwork_ends_on
    organ = organs.filter(kind=ReceivingOrgan.Kind.DISCIPLINE).first()
    return {"unit": item.unit_id, "category": report.suggested_category if report else "",
            "description": item.summary, "due_on": due, "organ": organ.pk if organ else None,
            "persons_involved": report.concerns_person if report else "", "version": item.version}


def _sort_form(item: TriageItem, inspection, organs, data=None) -> SortForm:
    return SortForm(data, prefix=f"item-{item.pk}", inspection=inspection, organs=organs,
                    initial=None if data is not None else _sort_initial(item, inspection, organs))


# ---------------------------------------------------------------- list of boards

@roles_only(*TRIAGE_ROLES)
def triage_list(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/list.html", {"rows": fs.triage_boards(viewer=request.user)})


# ---------------------------------------------------------------- the board

def _board(request: HttpRequest, inspection, *, status: int = 200, error: str | None = None,
           enter_form: EnterForm | None = None, failed: tuple[int, SortForm] | None = None,
           period_form: PeriodForm | None = None) -> HttpResponse:
    viewer = request.user
    on = today()
    may_sort = triage.may_sort(viewer, inspection) and triage.board_open(inspection)
    items = fs.triage_item_list(viewer=viewer, inspection_id=inspection.pk)
    organs = fs.triage_organs(inspection=inspection)
    unsorted = list(items.filter(outcome="").order_by("found_on", "id"))
    for item in unsorted:
        item.days_waiting = fs.triage_days_waiting(item, on=on)
        item.overnight = fs.triage_overnight(item, on=on)
        report = item.report
        item.suggestion = (SuggestedDisposal(report.suggested_disposal).label
                           if report and report.suggested_disposal in SuggestedDisposal.values else "")
        if may_sort:
            item.form = failed[1] if failed and failed[0] == item.pk else _sort_form(item, inspection, organs)
    page = Paginator(items.exclude(outcome="").order_by("-sorted_on", "-id"), PER_PAGE).get_page(
        request.GET.get("page"))
    readable = set(clue_list(viewer=viewer, inspection_id=inspection.pk).values_list("pk", flat=True))
    for item in page.object_list:
        # A 高密 clue is read only by the persons named on it: for anyone else its item says no more than that.
        item.masked = bool(item.clue_id and item.clue.top_secret and item.clue_id not in readable)
        item.days_waiting = fs.triage_days_waiting(item, on=on)
    counts = fs.triage_counts(items, on=on)
    tiles = [{"key": "unsorted", "label": _("Waiting to be sorted"), "count": counts["unsorted"]}]
    tiles += [{"key": o.value, "label": o.label, "count": counts[o.value]} for o in TriageOutcome]
    response = render(request, "triage/board.html", {
        "inspection": inspection, "units": list(inspection.units.all()), "unsorted": unsorted, "page": page,
        "counts": counts, "tiles": tiles, "may_sort": may_sort, "error": error,
        "closed_reason": triage.board_closed_reason(inspection),
        "immediate_open": list(open_immediate_tasks(inspection).select_related("problem__unit")
                               .prefetch_related("triage_items")),
        "enter_form": enter_form or EnterForm(initial={"form_token": issue_token(request)}, inspection=inspection),
        "period_form": period_form or PeriodForm(initial=_period_initial()),
        "today": on,
    }, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@roles_only(*TRIAGE_ROLES)
def triage_board(request: HttpRequest, pk: int) -> HttpResponse:
    return _board(request, fs.triage_inspection_get(viewer=request.user, pk=pk))


def _board_url(inspection_pk: int, anchor: str = "") -> str:
    return reverse("web:triage_board", args=[inspection_pk]) + (f"#{anchor}" if anchor else "")


@require_POST
@roles_only(*TRIAGE_ROLES)
def triage_enter(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = fs.triage_inspection_get(viewer=request.user, pk=pk)
    if not triage.may_sort(request.user, inspection):
        raise Http404
    form = EnterForm(request.POST, inspection=inspection)
    token = request.POST.get("form_token", "")
    state, created_pk = claim_token(request, token)
    if state == "used":
        messages.info(request, _("This form had already been sent: the item was entered once, not twice."))
        return redirect(_board_url(inspection.pk, f"item-{created_pk}" if created_pk else ""))
    if state == "unknown":
        form.data = form.data.copy()
        form.data["form_token"] = issue_token(request)
        return _board(request, inspection, enter_form=form, status=400,
                      error=_("This form has expired. Check the entries and save again."))
    if not form.is_valid():
        token_released(token)
        return _board(request, inspection, enter_form=form, status=400)
    d = form.cleaned_data
    try:
        item = triage.triage_enter(actor=request.user, inspection=inspection, source=d["source"],
                                   summary=d["summary"], found_on=d["found_on"], unit=d["unit"])
    except ServiceError as exc:
        token_released(token)
        return _board(request, inspection, enter_form=form, status=400, error=apply_service_error(form, exc))
    token_used(request, token, item.pk)
    messages.success(request, _("The item is on the board, waiting to be sorted."))
    return redirect(_board_url(inspection.pk, f"item-{item.pk}"))


@require_POST
@roles_only(*TRIAGE_ROLES)
def triage_sort(request: HttpRequest, pk: int) -> HttpResponse:
    item = fs.triage_item_get(viewer=request.user, pk=pk)
    inspection = item.inspection  # the board's readers are the item's readers (fieldwork.selectors)
    if not triage.may_sort(request.user, inspection):
        raise Http404
    form = _sort_form(item, inspection, fs.triage_organs(inspection=inspection), data=request.POST)
    if not form.is_valid():
        return _board(request, inspection, failed=(item.pk, form), status=400)
    d = form.cleaned_data
    try:
        sorted_item = triage.triage_sort(
            actor=request.user, item=item, outcome=d["outcome"], expected_version=d["version"], unit=d["unit"],
            category=d["category"] or "", description=d["description"] or "", reason=d["reason"] or "",
            due_on=d["due_on"], requirement=d["requirement"] or "", organ=d["organ"],
            persons_involved=d["persons_involved"] or "", top_secret=d["top_secret"],
            forwarded_to=d["forwarded_to"] or "")
    except ServiceError as exc:
        error = apply_service_error(form, exc)
        return _board(request, inspection, failed=(item.pk, form), status=400,
                      error=(_("Item of %(day)s: %(message)s") % {"day": item.found_on.isoformat(), "message": error})
                      if error else None)
    if sorted_item.outcome == TriageOutcome.IMMEDIATE:
        messages.success(request, _("Sorted: rectify immediately. Notice no. %(number)s is ready to download.")
                         % {"number": sorted_item.notice_number})
    else:
        messages.success(request, _("Sorted: %(outcome)s.") % {"outcome": TriageOutcome(sorted_item.outcome).label})
    return redirect(_board_url(inspection.pk, f"item-{item.pk}"))


# ---------------------------------------------------------------- documents

def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@roles_only(*TRIAGE_ROLES)
def triage_notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    item = fs.triage_item_get(viewer=request.user, pk=pk)
    if item.outcome != TriageOutcome.IMMEDIATE or not item.notice_number:
        raise Http404  # only an item sorted 立行立改 has a notice
    return _docx(immediate_notice_docx(item=item), f"立行立改通知书-{item.notice_number}.docx")


def _period_document(request: HttpRequest, pk: int, render_docx, name: str) -> HttpResponse:
    inspection = fs.triage_inspection_get(viewer=request.user, pk=pk)
    form = PeriodForm(request.GET or None, initial=_period_initial())
    if not request.GET:
        start = end = today()
    elif form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        return _board(request, inspection, period_form=form, status=400)
    period = fs.triage_period(inspection=inspection, start=start, end=end)
    suffix = start.isoformat() if start == end else f"{start.isoformat()}_{end.isoformat()}"
    return _docx(render_docx(period=period), f"{name}-{inspection.group.name}-{suffix}.docx")


@roles_only(*TRIAGE_ROLES)
def triage_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """边汇报: to the leading group."""
    return _period_document(request, pk, progress_report_docx, "边汇报")


@roles_only(*TRIAGE_ROLES)
def triage_bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """边通报: the 立行立改 items put right."""
    return _period_document(request, pk, bulletin_docx, "边通报")
