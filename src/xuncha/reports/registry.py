"""The staff side of the report registry: registering letters, visits, calls and mailbox items, sorting,
passing on (转交), replying, and seeing a named reporter's identity with two people.

Every write is one transaction with its audit event. Audit events never hold identity data: a reveal records
who saw it and on whose approval, not what they saw.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, snapshot
from xuncha.core.dates import today
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.notifications.services import notify
from xuncha.org.models import Role, User
from xuncha.reports.models import (
    AccessStatus,
    Channel,
    IdentityAccessRequest,
    Report,
    ReporterIdentity,
    ReportMessage,
    ReportStatus,
)
from xuncha.reports.selectors import may_decide_access
from xuncha.reports.services import fill_suggestion
from xuncha.rounds.models import Inspection, Stage

# The channels staff register by hand (web reports come in through the public form).
STAFF_CHANNELS = (Channel.LETTER, Channel.VISIT, Channel.PHONE, Channel.MAILBOX)

# status -> statuses a report may be sorted into by hand. 转交 has its own service (it needs the recipient).
SORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.RECEIVED: {ReportStatus.SORTED, ReportStatus.ARCHIVED, ReportStatus.SPAM},
    ReportStatus.SORTED: {ReportStatus.ARCHIVED},
    # Rescue a false positive of the spam filter.
    ReportStatus.SPAM: {ReportStatus.RECEIVED},
}
FORWARDABLE = {ReportStatus.RECEIVED, ReportStatus.SORTED}

# What an audit event may show of a report: never its content's author, never an identity.
AUDIT_FIELDS = ["inspection", "channel", "status", "received_on", "concerns_unit", "anonymous", "group",
                "suggested_category", "suggested_disposal", "forwarded_to", "forwarded_on", "registered_by"]

MIN_REASON = 10


def _path(report_or_inspection) -> str:
    inspection = getattr(report_or_inspection, "inspection", report_or_inspection)
    return inspection.round.committee.path


def may_handle(actor: User | None, inspection: Inspection) -> bool:
    """The office of the committee subtree, a member of the inspection's group, or the administrator."""
    if actor is None or not getattr(actor, "is_active", False):
        return False
    from xuncha.rectification.services import may_manage_inspection

    return actor.role in (Role.ADMIN, Role.OFFICE, Role.INSPECTOR) and may_manage_inspection(actor, inspection)


def _require_handler(actor: User | None, inspection: Inspection) -> None:
    if not may_handle(actor, inspection):
        raise ValidationFailed(_("Only the inspection office or the inspection group handles these reports."))


def _audit_after(report: Report, **extra) -> dict:
    data = snapshot(report, fields=AUDIT_FIELDS)
    data.update(extra)
    return data


@transaction.atomic
def report_register(*, actor: User | None, inspection: Inspection, channel: str, content: str,
                    received_on: datetime.date, concerns_unit=None, concerns_person: str = "") -> Report:
    """Staff register an item that came by letter, visit, phone or the opinion box."""
    _require_handler(actor, inspection)
    if channel not in STAFF_CHANNELS:
        raise ValidationFailed(_("Choose how the report came in: letter, visit, phone call or opinion box."),
                               field="channel")
    content = (content or "").strip()
    if not content:
        raise ValidationFailed(_("Write down what the report says."), field="content")
    if not isinstance(received_on, datetime.date):
        raise ValidationFailed(_("Give the date the report was received."), field="received_on")
    if received_on > today():
        raise ValidationFailed(_("The date received cannot be in the future."), field="received_on")
    if inspection.stage == Stage.ARCHIVED:
        raise ValidationFailed(_("The inspection is archived: no more reports are registered."))
    if concerns_unit is not None and not inspection.units.filter(pk=concerns_unit.pk).exists():
        raise ValidationFailed(_("The unit is not covered by this inspection."), field="concerns_unit")
    report = Report.objects.create(
        inspection=inspection, channel=channel, content=content, received_on=received_on,
        concerns_unit=concerns_unit, concerns_person=(concerns_person or "").strip()[:100], anonymous=True,
        registered_by=actor if getattr(actor, "pk", None) else None,
    )
    # The same rules as for web reports, knowing the cadres of the unit concerned (else of every unit inspected).
    fill_suggestion(report, units=[report.concerns_unit] if report.concerns_unit_id
                    else list(inspection.units.all()))
    from xuncha.reports.grouping import attach_to_group

    attach_to_group(report)
    report.refresh_from_db()
    audit_record(actor=actor, action="report.register", obj=report, after=_audit_after(report),
                 committee_path=_path(report))
    return report


@transaction.atomic
def report_sort(*, actor: User | None, report: Report, status: str, note: str = "") -> Report:
    """Sort a report (received → sorted or filed, or marked as spam; spam → received to rescue it)."""
    _require_handler(actor, report.inspection)
    report = lock_for_update(Report, pk=report.pk, expected_version=None)
    if status not in SORT_TRANSITIONS.get(report.status, set()):
        raise TransitionRefused(
            _("A report that is “%(current)s” cannot be set to “%(status)s”.")
            % {"current": ReportStatus(report.status).label,
               "status": ReportStatus(status).label if status in ReportStatus.values else status},
            field="status")
    before = _audit_after(report)
    report.status = status
    bump_version(report)
    report.save(update_fields=["status", "version"])
    audit_record(actor=actor, action="report.sort", obj=report, before=before,
                 after=_audit_after(report, note=(note or "").strip()), committee_path=_path(report))
    return report


@transaction.atomic
def report_forward(*, actor: User | None, report: Report, forwarded_to: str, on_date: datetime.date,
                   note: str = "") -> Report:
    """Pass a report outside the inspection's remit on to the competent department (转交), with the record."""
    _require_handler(actor, report.inspection)
    forwarded_to = (forwarded_to or "").strip()
    if not forwarded_to:
        raise ValidationFailed(_("Name the department the report is passed on to."), field="forwarded_to")
    if not isinstance(on_date, datetime.date):
        raise ValidationFailed(_("Give the date it was passed on."), field="on_date")
    if on_date > today():
        raise ValidationFailed(_("The date passed on cannot be in the future."), field="on_date")
    report = lock_for_update(Report, pk=report.pk, expected_version=None)
    if report.status not in FORWARDABLE:
        raise TransitionRefused(_("Only a received or sorted report can be passed on."))
    if on_date < report.received_on:
        raise ValidationFailed(_("A report cannot be passed on before it was received."), field="on_date")
    before = _audit_after(report)
    report.status = ReportStatus.FORWARDED
    report.forwarded_to = forwarded_to[:120]
    report.forwarded_on = on_date
    report.forward_note = (note or "").strip()
    bump_version(report)
    report.save(update_fields=["status", "forwarded_to", "forwarded_on", "forward_note", "version"])
    audit_record(actor=actor, action="report.forward", obj=report, before=before,
                 after=_audit_after(report, forward_note=report.forward_note), committee_path=_path(report))
    return report


@transaction.atomic
def report_reply(*, actor: User | None, report: Report, text: str) -> ReportMessage:
    """A reply the reporter reads on the public status page, with the receipt code."""
    _require_handler(actor, report.inspection)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write the reply."), field="text")
    if not report.receipt_lookup:
        raise ValidationFailed(_("This report has no receipt code, so the reporter cannot read a reply."))
    message = ReportMessage.objects.create(report=report, from_reporter=False,
                                           author=actor if getattr(actor, "pk", None) else None,
                                           text=text, sent_on=today())
    audit_record(actor=actor, action="report.reply", obj=report,
                 after={"message_id": message.pk, "text": text}, committee_path=_path(report))
    return message


def _request_after(request: IdentityAccessRequest) -> dict:
    return snapshot(request, fields=["report", "requested_by", "reason", "status", "decided_by", "decided_at",
                                     "decision_note"])


@transaction.atomic
def identity_request(*, actor: User | None, report: Report, reason: str) -> IdentityAccessRequest:
    """A staff member in scope asks, with a reason, to see a named reporter's identity."""
    _require_handler(actor, report.inspection)
    reason = (reason or "").strip()
    if report.anonymous or not ReporterIdentity.objects.filter(report=report).exists():
        raise ValidationFailed(_("This report is anonymous: there is no identity to see."))
    if len(reason) < MIN_REASON:
        raise ValidationFailed(_("Give the reason why the identity is needed (at least %(n)s characters).")
                               % {"n": MIN_REASON}, field="reason")
    open_requests = IdentityAccessRequest.objects.select_for_update().filter(
        report=report, requested_by=actor, status__in=[AccessStatus.PENDING, AccessStatus.APPROVED])
    if open_requests.exists():
        raise ValidationFailed(_("You have already asked to see this identity."))
    request = IdentityAccessRequest.objects.create(report=report, requested_by=actor, reason=reason)
    audit_record(actor=actor, action="identity_request.create", obj=request, after=_request_after(request),
                 committee_path=_path(report))
    _tell_office_heads(request)
    return request


def _tell_office_heads(request: IdentityAccessRequest) -> None:
    """The office heads who may decide hear of the request at once. The notice names no reporter and no content."""
    path = _path(request.report)
    heads = [u for u in User.objects.filter(role=Role.OFFICE, heads_office=True, is_active=True,
                                            committee__isnull=False).select_related("committee")
             if path.startswith(u.committee.path) and u.pk != request.requested_by_id]
    notify(recipients=heads, kind="access",
           title=_("%(who)s asks to see a reporter's identity") % {"who": request.requested_by},
           url=reverse("web:identity_requests"), dedupe_key=f"identity-request:{request.pk}")


@transaction.atomic
def identity_decide(*, actor: User | None, request: IdentityAccessRequest, approve: bool,
                    note: str = "") -> IdentityAccessRequest:
    """The office head of the subtree approves or refuses a request; never the requester."""
    report = request.report
    if not (may_decide_access(actor) and _path(report).startswith(actor.committee.path)):
        raise ValidationFailed(_("Only the head of the inspection office decides who may see an identity."))
    if request.requested_by_id == actor.pk:
        raise ValidationFailed(_("You cannot decide your own request: another person must approve it."))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationFailed(_("Give the reason for refusing."), field="note")
    request = lock_for_update(IdentityAccessRequest, pk=request.pk, expected_version=None)
    if request.status != AccessStatus.PENDING:
        raise TransitionRefused(_("This request has already been decided."))
    before = _request_after(request)
    request.status = AccessStatus.APPROVED if approve else AccessStatus.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    bump_version(request)
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "version"])
    audit_record(actor=actor, action="identity_request.approve" if approve else "identity_request.refuse",
                 obj=request, before=before, after=_request_after(request), committee_path=_path(report))
    notify(recipients=[request.requested_by_id], kind="access",
           title=_("Your request to see a reporter's identity was approved") if approve
           else _("Your request to see a reporter's identity was refused"),
           body=note, url=reverse("web:registry_detail", args=[report.pk]),
           dedupe_key=f"identity-request:{request.pk}:decided")
    return request


@transaction.atomic
def identity_reveal(*, actor: User | None, report: Report) -> dict:
    """The decrypted identity, only to the requester of an approved request. Each reveal is audited."""
    if not may_handle(actor, report.inspection):
        raise ValidationFailed(_("Only the inspection office or the inspection group handles these reports."))
    approved = (IdentityAccessRequest.objects.filter(report=report, requested_by=actor,
                                                     status=AccessStatus.APPROVED)
                .order_by("-decided_at", "-id").first())
    if approved is None:
        raise ValidationFailed(_("You may see this identity only after your request has been approved."))
    identity = ReporterIdentity.objects.filter(report=report).first()
    if identity is None:
        raise ValidationFailed(_("This report is anonymous: there is no identity to see."))
    from xuncha.reports.crypto import decrypt_identity

    data = decrypt_identity(identity.ciphertext, identity.key_id)
    audit_record(actor=actor, action="report.identity_reveal", obj=report,
                 after={"request_id": approved.pk, "requested_by": approved.requested_by_id,
                        "approved_by": approved.decided_by_id},
                 committee_path=_path(report))
    return data


def identity_state(*, actor: User | None, report: Report) -> str:
    """What the viewer may do about the identity: "none" (anonymous), "ask", "pending", "approved"."""
    if report.anonymous or not ReporterIdentity.objects.filter(report=report).exists():
        return "none"
    statuses = set(IdentityAccessRequest.objects.filter(report=report, requested_by=actor)
                   .values_list("status", flat=True)) if getattr(actor, "pk", None) else set()
    if AccessStatus.APPROVED in statuses:
        return "approved"
    if AccessStatus.PENDING in statuses:
        return "pending"
    return "ask"
