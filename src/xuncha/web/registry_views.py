"""The staff side of the report registry (信访举报): the list by inspection, registering letters, visits, calls
and opinion-box items, the report page (sort, 转交, reply), and seeing a named reporter's identity with two people.

Reads go through reports.selectors (out of scope → 404), writes through reports.registry. The identity is never
part of a page: it is rendered once, in answer to the approved requester's POST, and each time is audited.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError
from xuncha.findings.models import Category
from xuncha.org.models import Role
from xuncha.reports import registry
from xuncha.reports import selectors as rs
from xuncha.reports.models import Channel, ReportStatus, SuggestedDisposal
from xuncha.rounds.selectors import inspection_get, inspection_list
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import apply_service_error, claim_token, int_value, issue_token, token_released, token_used
from xuncha.web.ledger_forms import DATE

REGISTRY_ROLES = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
PER_PAGE = 50


# ---------------------------------------------------------------- forms

def _not_future(day):
    if day and day > today():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"),
                                choices=[(c.value, c.label) for c in registry.STAFF_CHANNELS])
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=DATE)
    concerns_unit = forms.ModelChoiceField(label=gettext_lazy("Unit concerned"), queryset=None, required=False)
    concerns_person = forms.CharField(label=gettext_lazy("Person concerned"), max_length=100, required=False)
    content = forms.CharField(label=gettext_lazy("What the report says"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 8}))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns_unit"].queryset = inspection.units.all()
        self.fields["received_on"].initial = today()

    def clean_received_on(self):
        return _not_future(self.cleaned_data["received_on"])


class SortForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Set to"), choices=[
        (ReportStatus.SORTED.value, ReportStatus.SORTED.label),
        (ReportStatus.ARCHIVED.value, ReportStatus.ARCHIVED.label),
        (ReportStatus.SPAM.value, ReportStatus.SPAM.label),
        (ReportStatus.RECEIVED.value, ReportStatus.RECEIVED.label),
    ])
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(forms.Form):
    forwarded_to = forms.CharField(label=gettext_lazy("Passed on to"), max_length=120)
    on_date = forms.DateField(label=gettext_lazy("Passed on on"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Note on passing on"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_date"].initial = today()

    def clean_on_date(self):
        return _not_future(self.cleaned_data["on_date"])


class ReplyForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Reply to the reporter"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)


class IdentityRequestForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why the identity is needed"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Your decision"), choices=[
        ("approve", gettext_lazy("Approve")), ("refuse", gettext_lazy("Refuse"))])
    note = forms.CharField(label=gettext_lazy("Note on the decision"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- list

def _choice_value(value, choices) -> str | None:
    return value if value in dict(choices) else None


@roles_only(*REGISTRY_ROLES)
def registry_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    inspections = list(inspection_list(viewer=viewer))
    inspection_id = int_value(request.GET.get("inspection"))
    if inspection_id and inspection_id not in {i.pk for i in inspections}:
        inspection_id = None
    status = _choice_value(request.GET.get("status"), ReportStatus.choices)
    channel = _choice_value(request.GET.get("channel"), Channel.choices)
    group_id = int_value(request.GET.get("group"))
    base = rs.report_list(viewer=viewer, inspection_id=inspection_id)
    counts = dict(base.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    reports = rs.report_list(viewer=viewer, inspection_id=inspection_id, status=status, channel=channel,
                             group_id=group_id)
    if not status and not group_id:
        reports = reports.exclude(status=ReportStatus.SPAM)  # the spam tab holds them
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    tabs = [{"value": "", "label": _("All but spam"),
             "count": sum(n for s, n in counts.items() if s != ReportStatus.SPAM), "active": not status}]
    tabs += [{"value": s.value, "label": s.label, "count": counts.get(s.value, 0), "active": status == s.value}
             for s in ReportStatus]
    may_register = [i for i in inspections if registry.may_handle(viewer, i)]
    return render(request, "registry/list.html", {
        "page": page, "inspections": inspections, "inspection_id": inspection_id, "status": status or "",
        "channel": channel or "", "group_id": group_id, "channels": Channel.choices, "tabs": tabs,
        "may_register": may_register,
        "pending_decisions": rs.access_request_list(viewer=viewer).count() if rs.may_decide_access(viewer) else 0,
    })


# ---------------------------------------------------------------- register

@roles_only(*REGISTRY_ROLES)
def registry_register(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_get(viewer=request.user, pk=pk)
    if not registry.may_handle(request.user, inspection):
        raise Http404
    error = None
    status = 200
    if request.method == "POST":
        form = RegisterForm(request.POST, inspection=inspection)
        token = request.POST.get("form_token", "")
        state, created_pk = claim_token(request, token)
        if state == "used":
            messages.info(request, _("This form had already been sent: the report was registered once, not twice."))
            if created_pk:
                return redirect("web:registry_detail", pk=created_pk)
            return redirect(f"{reverse('web:registry_list')}?inspection={inspection.pk}")
        if state == "unknown":
            error = _("This form has expired. Check the entries and save again.")
            status = 400
            form.data = form.data.copy()
            form.data["form_token"] = issue_token(request)
        elif form.is_valid():
            d = form.cleaned_data
            try:
                report = registry.report_register(
                    actor=request.user, inspection=inspection, channel=d["channel"], content=d["content"],
                    received_on=d["received_on"], concerns_unit=d["concerns_unit"],
                    concerns_person=d["concerns_person"] or "")
            except ServiceError as exc:
                token_released(token)
                error = apply_service_error(form, exc)
                status = 400
            else:
                token_used(request, token, report.pk)
                messages.success(request, _("The report was registered."))
                if "save_and_add" in request.POST:
                    return redirect("web:registry_register", pk=inspection.pk)
                return redirect("web:registry_detail", pk=report.pk)
        else:
            token_released(token)
            status = 400
    else:
        form = RegisterForm(initial={"form_token": issue_token(request)}, inspection=inspection)
    return render(request, "registry/register.html", {"form": form, "inspection": inspection, "error": error},
                  status=status)


# ---------------------------------------------------------------- the report

def _detail(request: HttpRequest, report, *, error: str | None = None, status: int = 200,
            forms_: dict | None = None, identity: list | None = None) -> HttpResponse:
    viewer = request.user
    forms_ = forms_ or {}
    same_group = []
    if report.group_id:
        same_group = list(rs.report_list(viewer=viewer, group_id=report.group_id).exclude(pk=report.pk))
    context = {
        "report": report, "error": error, "identity": identity,
        "category_label": Category(report.suggested_category).label
        if report.suggested_category in Category.values else "",
        "disposal_label": SuggestedDisposal(report.suggested_disposal).label
        if report.suggested_disposal in SuggestedDisposal.values else "",
        "attachments": list(report.attachments.select_related("file")),
        "report_messages": list(report.messages.select_related("author")),
        "same_group": same_group,
        "may_handle": registry.may_handle(viewer, report.inspection),
        "sort_choices": sorted(registry.SORT_TRANSITIONS.get(report.status, set())),
        "may_forward": report.status in registry.FORWARDABLE,
        "identity_state": registry.identity_state(actor=viewer, report=report),
        "my_requests": list(rs.access_requests_of(viewer=viewer, report=report)),
        "sort_form": forms_.get("sort") or SortForm(),
        "forward_form": forms_.get("forward") or ForwardForm(),
        "reply_form": forms_.get("reply") or ReplyForm(initial={"form_token": issue_token(request)}),
        "identity_form": forms_.get("identity") or IdentityRequestForm(),
    }
    if context["sort_choices"]:
        field = context["sort_form"].fields["status"]
        field.choices = [(v, label) for v, label in field.choices if v in context["sort_choices"]]
    response = render(request, "registry/detail.html", context, status=status)
    if identity is not None:
        response["Cache-Control"] = "no-store"
    return response


@roles_only(*REGISTRY_ROLES)
def registry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, rs.report_get(viewer=request.user, pk=pk))


@roles_only(*REGISTRY_ROLES)
def registry_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    from xuncha.rectification.evidence import evidence_response

    attachment = rs.attachment_get(viewer=request.user, pk=pk)
    return evidence_response(attachment.file)


def _handled(request: HttpRequest, pk: int):
    report = rs.report_get(viewer=request.user, pk=pk)
    if not registry.may_handle(request.user, report.inspection):
        raise Http404
    return report


def _report_form(request: HttpRequest, pk: int, form_class, name: str, act, done: str) -> HttpResponse:
    """Take a form of the report page (`name` in its forms) about a report the viewer handles: `act(report, data)`
    and back to the report with `done`, or the page again with the form's faults or the service's refusal."""
    report = _handled(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, report, forms_={name: form}, status=400)
    try:
        act(report, form.cleaned_data)
    except ServiceError as exc:
        return _detail(request, report, forms_={name: form}, error=apply_service_error(form, exc), status=400)
    messages.success(request, done)
    return redirect("web:registry_detail", pk=report.pk)


@require_POST
@roles_only(*REGISTRY_ROLES)
def registry_sort(request: HttpRequest, pk: int) -> HttpResponse:
    def act(report, d) -> None:
        registry.report_sort(actor=request.user, report=report, status=d["status"], note=d["note"] or "")

    return _report_form(request, pk, SortForm, "sort", act, _("The report was sorted."))


@require_POST
@roles_only(*REGISTRY_ROLES)
def registry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    def act(report, d) -> None:
        registry.report_forward(actor=request.user, report=report, forwarded_to=d["forwarded_to"],
                                on_date=d["on_date"], note=d["note"] or "")

    return _report_form(request, pk, ForwardForm, "forward", act, _("The report was passed on."))


@require_POST
@roles_only(*REGISTRY_ROLES)
def registry_reply(request: HttpRequest, pk: int) -> HttpResponse:
    report = _handled(request, pk)
    form = ReplyForm(request.POST)
    token = request.POST.get("form_token", "")
    state, _created = claim_token(request, token)
    if state == "used":
        messages.info(request, _("This reply had already been sent: it was sent once, not twice."))
        return redirect("web:registry_detail", pk=report.pk)
    if state == "unknown":
        form.data = form.data.copy()
        form.data["form_token"] = issue_token(request)
        return _detail(request, report, forms_={"reply": form}, status=400,
                       error=_("This form has expired. Check the entries and save again."))
    if not form.is_valid():
        token_released(token)
        return _detail(request, report, forms_={"reply": form}, status=400)
    try:
        message = registry.report_reply(actor=request.user, report=report, text=form.cleaned_data["text"])
    except ServiceError as exc:
        token_released(token)
        return _detail(request, report, forms_={"reply": form}, error=apply_service_error(form, exc), status=400)
    token_used(request, token, message.pk)
    messages.success(request, _("The reply was sent: the reporter reads it with the receipt code."))
    return redirect("web:registry_detail", pk=report.pk)


@require_POST
@roles_only(*REGISTRY_ROLES)
def registry_identity_request(request: HttpRequest, pk: int) -> HttpResponse:
    def act(report, d) -> None:
        registry.identity_request(actor=request.user, report=report, reason=d["reason"])

    return _report_form(request, pk, IdentityRequestForm, "identity", act,
                        _("The request was sent to the head of the inspection office."))


@require_POST
@roles_only(*REGISTRY_ROLES)
def registry_identity_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    report = _handled(request, pk)
    try:
        identity = registry.identity_reveal(actor=request.user, report=report)
    except ServiceError as exc:
        return _detail(request, report, error=exc.message, status=400)
    return _detail(request, report, identity=_identity_rows(identity))


IDENTITY_LABELS = {"name": gettext_lazy("Name"), "phone": gettext_lazy("Phone"),
                   "id_number": gettext_lazy("ID number"), "address": gettext_lazy("Address"),
                   "email": gettext_lazy("E-mail"), "contact": gettext_lazy("Contact")}


def _identity_rows(identity: dict) -> list[tuple[str, str]]:
    return [(str(IDENTITY_LABELS.get(key, key)), "" if value is None else str(value))
            for key, value in (identity or {}).items()]


# ---------------------------------------------------------------- identity requests (the office head)

@roles_only(Role.OFFICE)
def identity_requests(request: HttpRequest) -> HttpResponse:
    if not rs.may_decide_access(request.user):
        raise Http404
    pending = list(rs.access_request_list(viewer=request.user))
    return render(request, "registry/identity_requests.html", {"pending": pending, "form": DecideForm()})


@require_POST
@roles_only(Role.OFFICE)
def identity_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = rs.access_request_get(viewer=request.user, pk=pk)
    form = DecideForm(request.POST)
    error = None
    if form.is_valid():
        try:
            registry.identity_decide(actor=request.user, request=access,
                                     approve=form.cleaned_data["decision"] == "approve",
                                     note=form.cleaned_data["note"] or "")
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("web:identity_requests")
    pending = list(rs.access_request_list(viewer=request.user))
    return render(request, "registry/identity_requests.html", {
        "pending": pending, "form": DecideForm(), "failed_pk": access.pk, "failed_form": form, "error": error,
    }, status=400)
