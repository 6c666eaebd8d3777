"""个别谈话: the list of talks by inspection, planning a talk from an outline, the talk page with the record form,
cancelling, and the attachments. Only the inspection's group, the office of the subtree and admin see any of it;
for everyone else the pages do not exist (404).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError, ValidationFailed
from xuncha.fieldwork import selectors as fs
from xuncha.fieldwork import services as talks
from xuncha.fieldwork.models import Talk, TalkStatus
from xuncha.fieldwork.outlines import ensure_builtin_outlines
from xuncha.org.models import Role
from xuncha.rectification.services import may_manage_inspection
from xuncha.rounds.selectors import inspection_get, inspection_list
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import apply_service_error, int_value
from xuncha.web.ledger_forms import DATE
from xuncha.web.rectify_forms import MultipleFileField

TALK_ROLES = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
PER_PAGE = 50
MAX_FILES = 10


class PlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None)
    interviewee = forms.CharField(label=gettext_lazy("Interviewee"), max_length=50)
    position = forms.CharField(label=gettext_lazy("Position"), max_length=80, required=False)
    planned_on = forms.DateField(label=gettext_lazy("Planned on"), widget=DATE)
    outline = forms.ModelChoiceField(label=gettext_lazy("Talk outline"), queryset=None, required=False)
    talkers = forms.CharField(label=gettext_lazy("Talked with by"), max_length=120, required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.units.all()
        self.fields["outline"].queryset = fs.outline_list(inspection=inspection)
        self.fields["planned_on"].initial = today()


class RecordForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DATE)
    record = forms.CharField(label=gettext_lazy("Record of the talk"), max_length=100_000,
                             widget=forms.Textarea(attrs={"rows": 14}))
    findings = forms.CharField(label=gettext_lazy("What came out of it"), max_length=20_000, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    # The bytes are read by the view (_read_uploads) and checked by the service (rectification.evidence).
    files = MultipleFileField(label=gettext_lazy("Attachments (PDF, images, Word, Excel)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = today()


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why the talk is cancelled"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


def _questions(outline) -> list[str]:
    return [line.strip() for line in (outline.questions if outline else "").splitlines() if line.strip()]


def _read_uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    uploads = request.FILES.getlist("files")
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("Attach at most %(n)s files at a time.") % {"n": MAX_FILES}, field="files")
    limit = int(settings.EVIDENCE_MAX_BYTES)
    out = []
    for upload in uploads:
        buffer = bytearray()
        for chunk in upload.chunks():
            buffer += chunk
            if len(buffer) > limit:
                raise ValidationFailed(_("A file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
                                       field="files")
        out.append((upload.name or "", bytes(buffer)))
    return out


# ---------------------------------------------------------------- list

@roles_only(*TALK_ROLES)
def talk_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    inspections = list(inspection_list(viewer=viewer))
    inspection_id = int_value(request.GET.get("inspection"))
    if inspection_id and inspection_id not in {i.pk for i in inspections}:
        inspection_id = None
    status = request.GET.get("status") if request.GET.get("status") in TalkStatus.values else None
    base = fs.talk_list(viewer=viewer, inspection_id=inspection_id)
    counts = dict(base.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    page = Paginator(fs.talk_list(viewer=viewer, inspection_id=inspection_id, status=status),
                     PER_PAGE).get_page(request.GET.get("page"))
    tabs = [{"value": "", "label": _("All"), "count": sum(counts.values()), "active": not status}]
    tabs += [{"value": s.value, "label": s.label, "count": counts.get(s.value, 0), "active": status == s.value}
             for s in TalkStatus]
    may_plan = [i for i in inspections
                if i.stage in talks.PLANNING_STAGES and may_manage_inspection(viewer, i)]
    return render(request, "talks/list.html", {
        "page": page, "inspections": inspections, "inspection_id": inspection_id, "status": status or "",
        "tabs": tabs, "may_plan": may_plan, "n_planned": counts.get(TalkStatus.PLANNED, 0),
        "n_held": counts.get(TalkStatus.HELD, 0),
    })


# ---------------------------------------------------------------- plan

@roles_only(*TALK_ROLES)
def talk_plan(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_get(viewer=request.user, pk=pk)
    if not may_manage_inspection(request.user, inspection):
        raise Http404
    ensure_builtin_outlines()
    error = None
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST, inspection=inspection)
        if form.is_valid():
            d = form.cleaned_data
            try:
                talk = talks.talk_plan(actor=request.user, inspection=inspection, unit=d["unit"],
                                       interviewee=d["interviewee"], position=d["position"] or "",
                                       planned_on=d["planned_on"], outline=d["outline"], talkers=d["talkers"] or "")
            except ServiceError as exc:
                error = apply_service_error(form, exc)
                status = 400
            else:
                messages.success(request, _("The talk was planned."))
                return redirect("web:talk_detail", pk=talk.pk)
        else:
            status = 400
    else:
        form = PlanForm(inspection=inspection)
    outlines = [{"outline": o, "questions": _questions(o)} for o in fs.outline_list(inspection=inspection)]
    return render(request, "talks/plan.html", {
        "form": form, "inspection": inspection, "error": error, "outlines": outlines,
        "open_for_planning": inspection.stage in talks.PLANNING_STAGES,
    }, status=status)


# ---------------------------------------------------------------- the talk

def _detail(request: HttpRequest, talk: Talk, *, error: str | None = None, status: int = 200,
            record_form: RecordForm | None = None, cancel_form: CancelForm | None = None) -> HttpResponse:
    may_manage = may_manage_inspection(request.user, talk.inspection)
    response = render(request, "talks/detail.html", {
        "talk": talk, "error": error, "may_manage": may_manage,
        "questions": _questions(talk.outline),
        "attachments": list(talk.attachments.select_related("file")),
        "record_form": record_form or RecordForm(initial={"version": talk.version}),
        "cancel_form": cancel_form or CancelForm(initial={"version": talk.version}),
        "cancel_reason": fs.talk_cancel_reason(talk),
    }, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@roles_only(*TALK_ROLES)
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, fs.talk_get(viewer=request.user, pk=pk))


def _managed(request: HttpRequest, pk: int) -> Talk:
    talk = fs.talk_get(viewer=request.user, pk=pk)
    if not may_manage_inspection(request.user, talk.inspection):
        raise Http404
    return talk


@require_POST
@roles_only(*TALK_ROLES)
def talk_record(request: HttpRequest, pk: int) -> HttpResponse:
    talk = _managed(request, pk)
    form = RecordForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, talk, record_form=form, status=400)
    d = form.cleaned_data
    try:
        files = _read_uploads(request)
        talks.talk_record(actor=request.user, talk=talk, held_on=d["held_on"], record=d["record"],
                          findings=d["findings"] or "", files=files, expected_version=d["version"])
    except ServiceError as exc:
        return _detail(request, talk, record_form=form, error=apply_service_error(form, exc), status=400)
    messages.success(request, _("The talk was recorded."))
    return redirect("web:talk_detail", pk=talk.pk)


@require_POST
@roles_only(*TALK_ROLES)
def talk_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    talk = _managed(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail(request, talk, cancel_form=form, status=400)
    try:
        talks.talk_cancel(actor=request.user, talk=talk, reason=form.cleaned_data["reason"],
                          expected_version=form.cleaned_data["version"])
    except ServiceError as exc:
        return _detail(request, talk, cancel_form=form, error=apply_service_error(form, exc), status=400)
    messages.success(request, _("The talk was cancelled."))
    return redirect("web:talk_detail", pk=talk.pk)


@roles_only(*TALK_ROLES)
def talk_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.evidence import evidence_response

    attachment = fs.talk_attachment_get(viewer=request.user, pk=pk)
    return evidence_response(attachment.file)
