"""The 巡察通知 and 巡察公告 of an inspection, and the form for what the announcement says."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError
from xuncha.core.official_document import DOCX_CONTENT_TYPE
from xuncha.reports.announcements import announcement_docx, inspection_notice_docx
from xuncha.rounds import selectors as round_selectors
from xuncha.rounds import services as round_services
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import service_error_status
from xuncha.web.public_report_views import public_form_path
from xuncha.web.views import _office_of

STAFF = ("admin", "office", "inspector")


class AnnouncementForm(forms.Form):
    focus = forms.CharField(label=gettext_lazy("focus of the inspection"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    report_phone = forms.CharField(label=gettext_lazy("phone for reports"), required=False, max_length=40)
    report_mailbox = forms.CharField(label=gettext_lazy("postal box for reports"), required=False, max_length=120)
    report_address = forms.CharField(label=gettext_lazy("where reports are received in person"), required=False,
                                     max_length=200)
    reports_accepted_until = forms.DateField(label=gettext_lazy("reports accepted until"), required=False,
                                             widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


def public_report_url(request: HttpRequest, inspection) -> str:
    """The absolute address of the inspection's public report page (what the QR code opens)."""
    return request.build_absolute_uri(public_form_path(inspection))


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@roles_only(*STAFF)
def inspection_announcement(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = round_selectors.inspection_get(viewer=request.user, pk=pk)
    may_edit = _office_of(request.user, inspection.round.committee)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise Http404
        form = AnnouncementForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                round_services.inspection_update_announcement(actor=request.user, inspection=inspection,
                                                              expected_version=version, **data)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = service_error_status(exc)
            else:
                messages.success(request, _("The announcement was saved."))
                return redirect("web:inspection_announcement", pk=inspection.pk)
        else:
            status = 400
    else:
        form = AnnouncementForm(initial={f: getattr(inspection, f) for f in round_services.ANNOUNCEMENT_FIELDS}
                                | {"version": inspection.version})
    return render(request, "rounds/announcement.html", {
        "inspection": inspection, "form": form, "may_edit": may_edit,
        "report_url": public_report_url(request, inspection),
    }, status=status)


@roles_only(*STAFF)
def inspection_notice_download(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = round_selectors.inspection_get(viewer=request.user, pk=pk)
    issued_on = inspection.notice_sent_on or today()
    return _docx(inspection_notice_docx(inspection=inspection, issued_on=issued_on), f"inspection-notice-{pk}.docx")


@roles_only(*STAFF)
def inspection_announcement_download(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = round_selectors.inspection_get(viewer=request.user, pk=pk)
    issued_on = inspection.entry_on or today()
    content = announcement_docx(inspection=inspection, report_url=public_report_url(request, inspection),
                                issued_on=issued_on)
    return _docx(content, f"inspection-announcement-{pk}.docx")
