"""Group discipline (巡察组纪律): the confidentiality pledge, the group page with its temporary party branch, daily
sign-in (考勤), work logs (工作日志), 组务会 minutes and 请示报告.

Readers: the group's members who have signed the pledge, the office of the subtree that runs the round, and admin
(groupwork.selectors). A member who has not signed reaches the pledge page of their group and nothing else of it;
everyone else gets 404.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError, StaleWrite, TransitionRefused
from xuncha.findings.xlsx import XLSX_CONTENT_TYPE
from xuncha.groupwork import selectors as gs
from xuncha.groupwork import services
from xuncha.groupwork.documents import attendance_xlsx, cell_mark, presence_marks
from xuncha.groupwork.models import Addressee, Presence, RequestKind, RequestStatus
from xuncha.groupwork.pledge import pledge_text
from xuncha.org.models import Role
from xuncha.rounds.models import BranchRole, InspectionGroup, Stage
from xuncha.web.decorators import private_no_store, roles_only
from xuncha.web.form_support import apply_service_error, int_value, safe_next, service_error_status
from xuncha.web.ledger_forms import DATE

GROUP_ROLES = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
_ORDER = [Presence.PRESENT, Presence.ON_LEAVE, Presence.AWAY, Presence.ABSENT]


# ---------------------------------------------------------------- forms

class PledgeForm(forms.Form):
    agree = forms.BooleanField(
        label=gettext_lazy("I have read the pledge above and I keep it."),
        error_messages={"required": gettext_lazy("Tick the box to confirm you read the pledge.")})


class AttendanceForm(forms.Form):
    member = forms.TypedChoiceField(label=gettext_lazy("Member"), coerce=int)
    on_date = forms.DateField(label=gettext_lazy("Day"), widget=DATE)
    presence = forms.ChoiceField(label=gettext_lazy("Recorded as"), choices=[
        (p.value, p.label) for p in (Presence.ON_LEAVE, Presence.AWAY, Presence.ABSENT)])
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200,
                           help_text=gettext_lazy("Who approved the leave, the business, or what is known of the "
                                                  "absence."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, group: InspectionGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.user} · {m.get_role_display()}") for m in gs.members(group)]


class WorkLogForm(forms.Form):
    on_date = forms.DateField(label=gettext_lazy("Day"), widget=DATE)
    content = forms.CharField(label=gettext_lazy("Work done that day"), max_length=services.MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 10}),
                              help_text=gettext_lazy("Talks held, records read, places visited, problems found and "
                                                     "what is left for tomorrow. Keep names of reporters out of it."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Meeting held on"), widget=DATE)
    topic = forms.CharField(label=gettext_lazy("Meeting topic"), max_length=150)
    attendees = forms.MultipleChoiceField(label=gettext_lazy("Attendees"), widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=gettext_lazy("Minutes"), max_length=services.MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(label=gettext_lazy("Decisions"), max_length=services.MAX_TEXT, required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, group: InspectionGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(m.user_id), f"{m.user} · {m.get_role_display()}")
                                            for m in gs.members(group)]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RequestKind.choices, widget=forms.RadioSelect)
    addressed_to = forms.ChoiceField(label=gettext_lazy("Addressed to"), choices=Addressee.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150)
    content = forms.CharField(label=gettext_lazy("The matter"), max_length=services.MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 8}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("The office's answer"), max_length=services.MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


# ---------------------------------------------------------------- helpers

def _month(request: HttpRequest) -> tuple[int, int]:
    raw = (request.GET.get("month") or "").strip()
    try:
        year, month = (int(p) for p in raw.split("-", 1))
        datetime.date(year, month, 1)
    except (TypeError, ValueError):
        t = today()
        return t.year, t.month
    if not 2000 <= year <= 2100:
        t = today()
        return t.year, t.month
    return year, month


def _day(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _group_links(group: InspectionGroup) -> dict:
    return {"group": group, "inspections": list(group.inspections.prefetch_related("units"))}


# ---------------------------------------------------------------- home and the pledge

@roles_only(*GROUP_ROLES)
def groupwork_home(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    show_all = request.GET.get("all") == "1"
    groups = gs.group_list(viewer=viewer)
    if not show_all:
        groups = groups.exclude(pk__in=InspectionGroup.objects.filter(inspections__stage=Stage.ARCHIVED)
                                .exclude(inspections__stage__in=[s for s in Stage if s != Stage.ARCHIVED])
                                .values("pk"))
    page = Paginator(groups, 30).get_page(request.GET.get("page"))
    rows = []
    on = today()
    for group in page:
        membership = gs.own_membership(viewer, group)
        rows.append({"group": group, "membership": membership,
                     "today": gs.attendance_on(membership, on) if membership else None,
                     "open": gs.open_stage(group) if membership else False})
    return private_no_store(render(request, "groupwork/home.html", {
        "rows": rows, "page": page, "show_all": show_all, "to_sign": list(gs.pledges_to_sign(viewer=viewer)),
        "open_requests": gs.open_requests(viewer=viewer).count() if viewer.role != Role.INSPECTOR else None,
        "marks": presence_marks(),
    }))


@roles_only(Role.INSPECTOR)
def groupwork_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The member reads their group's confidentiality pledge in full and signs it (a second click changes nothing)."""
    membership = gs.membership_for_pledge(viewer=request.user, group_pk=pk)
    group = membership.group
    status = 200
    if request.method == "POST":
        form = PledgeForm(request.POST)
        if form.is_valid():
            try:
                services.pledge_sign(actor=request.user, membership=membership)
            except TransitionRefused as exc:
                messages.info(request, exc.message)
            except ServiceError as exc:
                messages.error(request, exc.message)
                return redirect("web:groupwork_pledge", pk=group.pk)
            else:
                messages.success(request, _("You signed the confidentiality pledge of %(group)s: the group's work is "
                                            "open to you.") % {"group": group.name})
            return redirect(safe_next(request, reverse("web:groupwork_group", args=[group.pk])))
        status = 400
    else:
        form = PledgeForm()
    signed = membership.pledge_signed_at is not None
    return private_no_store(render(request, "groupwork/pledge.html", {
        "membership": membership, "group": group, "form": form, "signed": signed,
        "text": membership.pledge_text if signed else pledge_text(group), "next": safe_next(request, ""),
    }, status=status))


# ---------------------------------------------------------------- the group

@roles_only(*GROUP_ROLES)
def groupwork_group(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    group = gs.group_get(viewer=viewer, pk=pk)
    membership = gs.own_membership(viewer, group)
    return private_no_store(render(request, "groupwork/group.html", {
        **_group_links(group),
        "members": gs.members(group), "membership": membership,
        "today_record": gs.attendance_on(membership, today()) if membership else None,
        "open": gs.open_stage(group), "closed": gs.group_closed(group),
        "may_set_branch": services.may_set_branch(viewer, group),
        "may_keep_attendance": services.may_keep_attendance(viewer, group),
        "may_keep_meetings": services.may_keep_meetings(viewer, group),
        "may_submit_request": services.may_submit_request(viewer, group),
        "reads_all_logs": gs.reads_all_logs(viewer, group),
        "reads_whole_grid": gs.reads_whole_grid(viewer, group),
        "meetings": gs.meeting_list(viewer=viewer, group=group)[:5],
        "requests": gs.grouprequest_list(viewer=viewer, group=group)[:5],
        "n_signed": sum(1 for m in gs.members(group) if m.pledge_signed_at),
    }))


def _branch_form(group: InspectionGroup, data=None) -> forms.Form:
    fields: dict[str, forms.Field] = {
        "formed_on": forms.DateField(label=gettext_lazy("Temporary party branch formed on"), widget=DATE),
        "state": forms.CharField(widget=forms.HiddenInput),
    }
    for m in gs.members(group):
        fields[f"role_{m.pk}"] = forms.ChoiceField(label=f"{m.user} · {m.get_role_display()}",
                                                   choices=BranchRole.choices)
    form_class = type("BranchForm", (forms.Form,), fields)
    initial = {"formed_on": group.branch_formed_on, "state": services.branch_state(group),
               **{f"role_{m.pk}": m.branch_role for m in gs.members(group)}}
    return form_class(data, initial=initial)


@roles_only(Role.ADMIN, Role.OFFICE)
def groupwork_branch(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records the group's temporary party branch: when it was formed and each member's role in it."""
    group = gs.group_get(viewer=request.user, pk=pk)
    if not services.may_set_branch(request.user, group):
        raise Http404
    error, status = None, 200
    if request.method == "POST":
        form = _branch_form(group, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            roles = {m.pk: d[f"role_{m.pk}"] for m in gs.members(group)}
            try:
                services.branch_set(actor=request.user, group=group, formed_on=d["formed_on"], roles=roles,
                                    expected_state=d["state"])
            except ServiceError as exc:
                error, status = apply_service_error(form, exc), service_error_status(exc)
            else:
                messages.success(request, _("The temporary party branch was saved."))
                return redirect("web:groupwork_group", pk=group.pk)
        else:
            status = 400
    else:
        form = _branch_form(group)
    return render(request, "groupwork/branch.html", {"group": group, "form": form, "error": error}, status=status)


# ---------------------------------------------------------------- sign-in

@roles_only(*GROUP_ROLES)
def attendance_month(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    group = gs.group_get(viewer=viewer, pk=pk)
    year, month = _month(request)
    grid = gs.month_grid(viewer=viewer, group=group, year=year, month=month)
    membership = gs.own_membership(viewer, group)
    rows = [{"membership": row.membership, "counts": [row.counts.get(p, 0) for p in _ORDER],
             "cells": [{"record": cell, "mark": cell_mark(cell), "day": day} for cell, day in zip(row.cells, grid.days,
                                                                                                  strict=True)]}
            for row in grid.rows]
    return private_no_store(render(request, "groupwork/attendance.html", {
        "group": group, "grid": grid, "rows": rows, "membership": membership, "today": today(),
        "today_record": gs.attendance_on(membership, today()) if membership else None,
        "open": gs.open_stage(group), "marks": presence_marks(),
        "legend": [(presence_marks()[p], Presence(p).label) for p in _ORDER],
        "count_labels": [Presence(p).label for p in _ORDER],
        "may_keep_attendance": services.may_keep_attendance(viewer, group),
        "reads_whole_grid": gs.reads_whole_grid(viewer, group),
        "month_value": f"{year:04d}-{month:02d}",
    }))


@require_POST
@roles_only(Role.INSPECTOR)
def attendance_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    group = gs.group_get(viewer=request.user, pk=pk)
    membership = gs.own_membership(request.user, group)
    if membership is None:
        raise Http404
    try:
        record = services.attendance_sign_in(actor=request.user, membership=membership)
    except TransitionRefused as exc:
        messages.info(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signed in for today at %(time)s.") % {
            "time": timezone.localtime(record.signed_at).strftime("%H:%M")})
    return redirect(safe_next(request, reverse("web:attendance_month", args=[group.pk])))


@roles_only(Role.INSPECTOR)
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The group leader or the liaison records a member's day of leave, group business away, or absence."""
    group = gs.group_get(viewer=request.user, pk=pk)
    if not services.may_keep_attendance(request.user, group):
        raise Http404
    by_pk = {m.pk: m for m in gs.members(group)}
    error, status, current = None, 200, None
    if request.method == "POST":
        form = AttendanceForm(request.POST, group=group)
        if form.is_valid():
            d = form.cleaned_data
            membership = by_pk.get(d["member"])
            if membership is None:
                raise Http404
            try:
                services.attendance_record(actor=request.user, membership=membership, on_date=d["on_date"],
                                           presence=d["presence"], note=d["note"],
                                           expected_version=d["version"] or 0)
            except ServiceError as exc:
                error, status = apply_service_error(form, exc), service_error_status(exc)
                current = gs.attendance_on(membership, d["on_date"])
                if isinstance(exc, StaleWrite) and current is not None:
                    # The input stays; the form now carries the version shown, so saving again replaces it.
                    form = AttendanceForm({**request.POST.dict(), "version": current.version}, group=group)
                    form.is_valid()
            else:
                messages.success(request, _("Recorded: %(member)s, %(day)s, %(presence)s.") % {
                    "member": membership.user, "day": d["on_date"].isoformat(),
                    "presence": Presence(d["presence"]).label})
                return redirect(reverse("web:attendance_month", args=[group.pk])
                                + f"?month={d['on_date']:%Y-%m}")
        else:
            status = 400
    else:
        member = by_pk.get(int_value(request.GET.get("member")) or 0)
        on = _day(request.GET.get("on")) or today()
        current = gs.attendance_on(member, on) if member else None
        form = AttendanceForm(group=group, initial={
            "member": member.pk if member else None, "on_date": on,
            "presence": current.presence if current and current.presence != Presence.PRESENT else Presence.ON_LEAVE,
            "note": current.note if current else "", "version": current.version if current else 0})
    return render(request, "groupwork/attendance_record.html", {
        "group": group, "form": form, "error": error, "current": current}, status=status)


@roles_only(*GROUP_ROLES)
def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    group = gs.group_get(viewer=request.user, pk=pk)
    if not gs.reads_whole_grid(request.user, group):
        raise Http404
    year, month = _month(request)
    grid = gs.month_grid(viewer=request.user, group=group, year=year, month=month)
    response = HttpResponse(attendance_xlsx(group=group, grid=grid), content_type=XLSX_CONTENT_TYPE)
    filename = _("sign-in-%(group)s-%(year)s-%(month)02d.xlsx") % {"group": group.name, "year": year, "month": month}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return private_no_store(response)


# ---------------------------------------------------------------- work logs

@roles_only(*GROUP_ROLES)
def worklog_list(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    group = gs.group_get(viewer=viewer, pk=pk)
    reads_all = gs.reads_all_logs(viewer, group)
    member_id = int_value(request.GET.get("member")) if reads_all else None
    month = _month(request) if request.GET.get("month") else None
    logs = gs.worklog_list(viewer=viewer, group=group, member_id=member_id, month=month)
    page = Paginator(logs, 30).get_page(request.GET.get("page"))
    membership = gs.own_membership(viewer, group)
    return private_no_store(render(request, "groupwork/worklog_list.html", {
        "group": group, "page": page, "reads_all": reads_all, "members": gs.members(group),
        "member_id": member_id, "month_value": f"{month[0]:04d}-{month[1]:02d}" if month else "",
        "membership": membership, "open": gs.open_stage(group),
        "today_log": gs.own_worklog(membership, today()) if membership else None,
    }))


@roles_only(Role.INSPECTOR)
def worklog_write(request: HttpRequest, pk: int) -> HttpResponse:
    """A member writes or corrects their own log of a day (?on=YYYY-MM-DD, today by default)."""
    group = gs.group_get(viewer=request.user, pk=pk)
    membership = gs.own_membership(request.user, group)
    if membership is None:
        raise Http404
    error, status, stored = None, 200, None
    if request.method == "POST":
        form = WorkLogForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                log = services.worklog_save(actor=request.user, membership=membership, on_date=d["on_date"],
                                            content=d["content"], expected_version=d["version"] or 0)
            except ServiceError as exc:
                error, status = apply_service_error(form, exc), service_error_status(exc)
                if isinstance(exc, StaleWrite):
                    stored = gs.own_worklog(membership, d["on_date"])
            else:
                messages.success(request, _("Your work log of %(day)s was saved.") % {"day": d["on_date"].isoformat()})
                return redirect("web:worklog_detail", pk=log.pk)
        else:
            status = 400
    else:
        on = _day(request.GET.get("on")) or today()
        existing = gs.own_worklog(membership, on)
        form = WorkLogForm(initial={"on_date": on, "content": existing.content if existing else "",
                                    "version": existing.version if existing else 0})
        stored = existing
    return private_no_store(render(request, "groupwork/worklog_write.html", {
        "group": group, "form": form, "error": error, "stored": stored, "open": gs.open_stage(group),
        "stale": status == 409,
    }, status=status))


@roles_only(*GROUP_ROLES)
def worklog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    log = gs.worklog_get(viewer=request.user, pk=pk)
    group = log.membership.group
    own = log.membership.user_id == request.user.pk
    return private_no_store(render(request, "groupwork/worklog_detail.html", {
        "log": log, "group": group, "own": own, "may_edit": own and gs.open_stage(group),
    }))


# ---------------------------------------------------------------- 组务会

@roles_only(*GROUP_ROLES)
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    group = gs.group_get(viewer=request.user, pk=pk)
    page = Paginator(gs.meeting_list(viewer=request.user, group=group), 20).get_page(request.GET.get("page"))
    return private_no_store(render(request, "groupwork/meeting_list.html", {
        "group": group, "page": page, "may_keep_meetings": services.may_keep_meetings(request.user, group),
        "closed": gs.group_closed(group)}))


def _meeting_form_page(request, group, form, *, meeting=None, error=None, status=200):
    return render(request, "groupwork/meeting_form.html", {
        "group": group, "form": form, "meeting": meeting, "error": error}, status=status)


@roles_only(Role.INSPECTOR)
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = gs.group_get(viewer=request.user, pk=pk)
    if not services.may_keep_meetings(request.user, group):
        raise Http404
    if request.method != "POST":
        form = MeetingForm(group=group, initial={"held_on": today(),
                                                 "attendees": [str(m.user_id) for m in gs.members(group)]})
        return _meeting_form_page(request, group, form)
    form = MeetingForm(request.POST, group=group)
    if not form.is_valid():
        return _meeting_form_page(request, group, form, status=400)
    d = form.cleaned_data
    try:
        meeting = services.meeting_record(actor=request.user, group=group, held_on=d["held_on"], topic=d["topic"],
                                          attendees=[int(a) for a in d["attendees"]], minutes=d["minutes"],
                                          decisions=d["decisions"])
    except ServiceError as exc:
        return _meeting_form_page(request, group, form, error=apply_service_error(form, exc),
                                  status=service_error_status(exc))
    messages.success(request, _("The minutes of the group meeting were recorded."))
    return redirect("web:meeting_detail", pk=meeting.pk)


@roles_only(*GROUP_ROLES)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = gs.meeting_get(viewer=request.user, pk=pk)
    return private_no_store(render(request, "groupwork/meeting_detail.html", {
        "meeting": meeting, "group": meeting.group,
        "may_edit": services.may_keep_meetings(request.user, meeting.group) and not gs.group_closed(meeting.group)}))


@roles_only(Role.INSPECTOR)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = gs.meeting_get(viewer=request.user, pk=pk)
    group = meeting.group
    if not services.may_keep_meetings(request.user, group):
        raise Http404
    if request.method != "POST":
        form = MeetingForm(group=group, initial={
            "held_on": meeting.held_on, "topic": meeting.topic, "minutes": meeting.minutes,
            "decisions": meeting.decisions, "version": meeting.version,
            "attendees": [str(u.pk) for u in meeting.attendees.all()]})
        return _meeting_form_page(request, group, form, meeting=meeting)
    form = MeetingForm(request.POST, group=group)
    if not form.is_valid():
        return _meeting_form_page(request, group, form, meeting=meeting, status=400)
    d = form.cleaned_data
    try:
        services.meeting_update(actor=request.user, meeting=meeting, expected_version=d["version"],
                                held_on=d["held_on"], topic=d["topic"], attendees=[int(a) for a in d["attendees"]],
                                minutes=d["minutes"], decisions=d["decisions"])
    except ServiceError as exc:
        return _meeting_form_page(request, group, form, meeting=meeting, error=apply_service_error(form, exc),
                                  status=service_error_status(exc))
    messages.success(request, _("The minutes were saved."))
    return redirect("web:meeting_detail", pk=meeting.pk)


# ---------------------------------------------------------------- 请示报告

@roles_only(*GROUP_ROLES)
def grouprequest_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    status = request.GET.get("status")
    if status not in RequestStatus.values and status != "all":
        # The office starts from what waits for its answer; the group from everything it sent.
        status = RequestStatus.SUBMITTED if viewer.role != Role.INSPECTOR else "all"
    group_id = int_value(request.GET.get("group"))
    groups = list(gs.group_list(viewer=viewer))
    group = next((g for g in groups if g.pk == group_id), None)
    qs = gs.grouprequest_list(viewer=viewer, group=group, status=None if status == "all" else status)
    if status == RequestStatus.SUBMITTED:
        qs = qs.order_by("submitted_on", "id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return private_no_store(render(request, "groupwork/request_list.html", {
        "page": page, "status": status, "groups": groups, "group": group,
        "statuses": [("submitted", RequestStatus.SUBMITTED.label), ("answered", RequestStatus.ANSWERED.label),
                     ("all", _("All"))],
    }))


@roles_only(Role.INSPECTOR)
def grouprequest_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = gs.group_get(viewer=request.user, pk=pk)
    if not services.may_submit_request(request.user, group):
        raise Http404
    error, status = None, 200
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                item = services.grouprequest_submit(actor=request.user, group=group, kind=d["kind"], title=d["title"],
                                                    content=d["content"], addressed_to=d["addressed_to"])
            except ServiceError as exc:
                error, status = apply_service_error(form, exc), service_error_status(exc)
            else:
                messages.success(request, _("Submitted to the office; you will be notified of the answer."))
                return redirect("web:grouprequest_detail", pk=item.pk)
        else:
            status = 400
    else:
        form = RequestForm(initial={"kind": RequestKind.REQUEST, "addressed_to": Addressee.OFFICE})
    return render(request, "groupwork/request_form.html", {"group": group, "form": form, "error": error},
                  status=status)


def _request_page(request, item, *, form=None, error=None, status=200):
    return private_no_store(render(request, "groupwork/request_detail.html", {
        "item": item, "group": item.group, "error": error,
        "may_answer": item.status == RequestStatus.SUBMITTED and services.may_answer(request.user, item.group),
        "form": form or AnswerForm(initial={"version": item.version}),
    }, status=status))


@roles_only(*GROUP_ROLES)
def grouprequest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, gs.grouprequest_get(viewer=request.user, pk=pk))


@require_POST
@roles_only(Role.ADMIN, Role.OFFICE)
def grouprequest_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = gs.grouprequest_get(viewer=request.user, pk=pk)
    if not services.may_answer(request.user, item.group):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _request_page(request, item, form=form, status=400)
    try:
        services.grouprequest_answer(actor=request.user, request=item, answer=form.cleaned_data["answer"],
                                     expected_version=form.cleaned_data["version"])
    except TransitionRefused as exc:
        messages.info(request, exc.message)
        return redirect("web:grouprequest_detail", pk=item.pk)
    except ServiceError as exc:
        item.refresh_from_db()
        return _request_page(request, item, form=form, error=apply_service_error(form, exc),
                             status=service_error_status(exc))
    messages.success(request, _("The answer was sent to the group."))
    return redirect("web:grouprequest_detail", pk=item.pk)
