"""The public side of reports: a citizen submits a report, checks it by receipt code and adds information.

Nothing here sees or stores an IP address. A named reporter's identity is encrypted apart from the report
(reports/crypto.py); the audit trail records that a report came in, never its content or the identity.
"""

from __future__ import annotations

import datetime
import re
from pathlib import PurePosixPath

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record
from xuncha.core.dates import today
from xuncha.core.errors import ValidationFailed
from xuncha.core.id_numbers import id_number_valid
from xuncha.org.models import Cadre, Unit
from xuncha.reports import spam as spam_rules
from xuncha.reports.crypto import encrypt_identity
from xuncha.reports.models import (
    Channel,
    Report,
    ReportAttachment,
    ReporterIdentity,
    ReportMessage,
    ReportStatus,
)
from xuncha.reports.receipts import receipt_find, receipt_issue
from xuncha.rounds.models import STAGE_ORDER, Inspection, Stage

MIN_CONTENT_CHARS = 10
MAX_CONTENT_CHARS = 5000
MAX_FILES = 5
MAX_PERSON_CHARS = 100
MAX_NAME_CHARS = 50

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


# --- Whether an inspection takes reports --------------------------------------------------------------

def reports_closed_reason(inspection: Inspection, *, on: datetime.date | None = None) -> str:
    """Why the inspection no longer takes reports, or "" when it does (stage before 报告, deadline not passed)."""
    day = on or today()
    deadline = inspection.reports_accepted_until
    if deadline is not None and day > deadline:
        return _("Reports to this inspection were accepted until %(date)s (the closing date for reports "
                 "announced in the inspection notice). That date has passed, so no more reports are taken here.") % {
            "date": date_format(deadline, "Y年n月j日")}
    if STAGE_ORDER.index(inspection.stage) >= STAGE_ORDER.index(Stage.REPORT):
        if deadline is not None:
            return _("Reports to this inspection were accepted until %(date)s; the inspection group has finished "
                     "its fieldwork, so no more reports are taken here.") % {"date": date_format(deadline, "Y年n月j日")}
        return _("The inspection group has finished its fieldwork, so no more reports are taken here.")
    return ""


def reports_open(inspection: Inspection, *, on: datetime.date | None = None) -> bool:
    return not reports_closed_reason(inspection, on=on)


# --- Checks on what the reporter typed ----------------------------------------------------------------

def _clean_content(content: str, field: str = "content") -> str:
    text = (content or "").strip()
    if len(text) < MIN_CONTENT_CHARS:
        raise ValidationFailed(_("Please describe what happened in at least %(n)s characters.")
                               % {"n": MIN_CONTENT_CHARS}, field=field)
    if len(text) > MAX_CONTENT_CHARS:
        raise ValidationFailed(_("The text is too long: at most %(n)s characters (it has %(has)s).")
                               % {"n": MAX_CONTENT_CHARS, "has": len(text)}, field=field)
    return text


def _clean_identity(identity: dict | None) -> dict:
    identity = identity or {}
    name = re.sub(r"\s+", " ", str(identity.get("name") or "")).strip()
    phone = re.sub(r"[\s\-]", "", str(identity.get("phone") or ""))
    id_number = str(identity.get("id_number") or "").strip().upper()
    if not name:
        raise ValidationFailed(_("A named report needs your name."), field="name")
    if len(name) > MAX_NAME_CHARS:
        raise ValidationFailed(_("The name is too long."), field="name")
    if not phone:
        raise ValidationFailed(_("A named report needs a mobile phone number, so that the group can reach you."),
                               field="phone")
    if not _MOBILE.match(phone):
        raise ValidationFailed(_("The mobile phone number must have 11 digits and start with 1 (e.g. 13812345678)."),
                               field="phone")
    if id_number and not id_number_valid(id_number):
        raise ValidationFailed(_("The ID number is not valid: it must have 18 characters with a real date of birth "
                                 "and the right last digit (or X). Check it, or leave it empty."), field="id_number")
    cleaned = {"name": name, "phone": phone}
    if id_number:
        cleaned["id_number"] = id_number
    return cleaned


def _attachment_name(index: int, name: str) -> str:
    """A neutral name: the reporter's own file names ("张三的举报.jpg") could tell who wrote it."""
    suffix = PurePosixPath((name or "").replace("\\", "/")).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""
    return f"附件{index}{suffix}"


def _check_files(files) -> list[tuple[str, bytes]]:
    from xuncha.rectification.evidence import check_upload

    files = list(files or ())
    if len(files) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)s files can be attached.") % {"n": MAX_FILES}, field="files")
    for name, data in files:  # every file is checked before anything is written
        check_upload(name, data)
    return files


def _save_attachments(report: Report, files: list[tuple[str, bytes]], start: int = 1) -> None:
    from xuncha.rectification.evidence import evidence_save

    for offset, (name, data) in enumerate(files):
        ef = evidence_save(actor=None, name=_attachment_name(start + offset, name), data=data)
        ReportAttachment.objects.create(report=report, file=ef)


def _committee_path(inspection: Inspection) -> str:
    return inspection.round.committee.path


# --- Triage and grouping (rules written elsewhere) ------------------------------------------------------

def fill_suggestion(report: Report, *, units) -> None:
    """Fill and save the report's suggested category, disposal, key persons and reason from the triage rules, which
    know the names of the principal cadres and of those managing people, money or assets in `units`."""
    from xuncha.reports.triage_rules import suggest

    cadres = Cadre.objects.filter(unit__in=units)
    principal_names = tuple(c.name for c in cadres if c.is_principal)
    money_names = tuple(c.name for c in cadres if c.manages_people_money_assets)
    text = report.content if not report.concerns_person else f"{report.concerns_person}：{report.content}"
    result = suggest(text, principal_names=principal_names, money_names=money_names)
    report.suggested_category = result.category or ""
    report.suggested_disposal = result.disposal or ""
    report.suggestion_reason = result.reason or ""
    report.key_persons = "、".join(result.key_persons or ())[:200]
    report.save(update_fields=["suggested_category", "suggested_disposal", "suggestion_reason", "key_persons"])


def _group(report: Report) -> None:
    from xuncha.reports.grouping import attach_to_group

    attach_to_group(report)


# --- Services -----------------------------------------------------------------------------------------

@transaction.atomic
def report_submit(*, inspection: Inspection, content: str, concerns_unit: Unit | None = None,
                  concerns_person: str = "", anonymous: bool = True, identity: dict | None = None,
                  files=(), on: datetime.date | None = None,
                  form_signals: tuple[float, str] = (0.0, "")) -> tuple[Report, str]:
    """A citizen's web report. Returns the report and its 16-digit receipt code (shown once, never stored)."""
    day = on or today()
    inspection = Inspection.objects.select_related("round__committee").get(pk=inspection.pk)
    closed = reports_closed_reason(inspection, on=day)
    if closed:
        raise ValidationFailed(closed, field="inspection")
    text = _clean_content(content)
    person = re.sub(r"\s+", " ", concerns_person or "").strip()
    if len(person) > MAX_PERSON_CHARS:
        raise ValidationFailed(_("The person concerned is too long: at most %(n)s characters.")
                               % {"n": MAX_PERSON_CHARS}, field="concerns_person")
    if concerns_unit is not None and not inspection.units.filter(pk=concerns_unit.pk).exists():
        raise ValidationFailed(_("Choose one of the units this inspection covers, or leave the unit empty."),
                               field="concerns_unit")
    cleaned_identity = None if anonymous else _clean_identity(identity)
    checked_files = _check_files(files)

    score, reason = spam_rules.combine(spam_rules.spam_check(f"{person} {text}".strip()), form_signals)
    is_spam = spam_rules.is_spam(score)
    code, lookup, hashed = receipt_issue()
    report = Report.objects.create(
        inspection=inspection, channel=Channel.WEB, concerns_unit=concerns_unit, concerns_person=person,
        content=text, anonymous=cleaned_identity is None,
        status=ReportStatus.SPAM if is_spam else ReportStatus.RECEIVED, received_on=day,
        receipt_lookup=lookup, receipt_hash=hashed, spam_score=score, spam_reason=reason,
    )
    if cleaned_identity is not None:
        ciphertext, key_id = encrypt_identity(cleaned_identity)
        ReporterIdentity.objects.create(report=report, ciphertext=ciphertext, key_id=key_id)
    _save_attachments(report, checked_files)
    fill_suggestion(report, units=list(inspection.units.all()))
    if not is_spam:
        _group(report)
    audit_record(
        actor=None, action="report.submit", obj=report,
        after={"channel": report.channel, "inspection": inspection.pk, "anonymous": report.anonymous,
               "spam": is_spam},
        committee_path=_committee_path(inspection),
    )
    return report, code


def _not_found() -> ValidationFailed:
    return ValidationFailed(_("No report was found for this code. Check the 16 digits and try again."), field="code")


def report_status(code: str) -> Report | None:
    """The report a receipt code belongs to, or None."""
    return receipt_find(code)


@transaction.atomic
def report_add_information(*, code: str, text: str, files=(), on: datetime.date | None = None) -> ReportMessage:
    """More information from the reporter, found by the receipt code."""
    report = receipt_find(code)
    if report is None:
        raise _not_found()
    body = (text or "").strip()
    if not body:
        raise ValidationFailed(_("Please write what you want to add."), field="text")
    if len(body) > MAX_CONTENT_CHARS:
        raise ValidationFailed(_("The text is too long: at most %(n)s characters (it has %(has)s).")
                               % {"n": MAX_CONTENT_CHARS, "has": len(body)}, field="text")
    checked_files = _check_files(files)
    report = Report.objects.select_for_update().select_related("inspection__round__committee").get(pk=report.pk)
    message = ReportMessage.objects.create(report=report, from_reporter=True, text=body, sent_on=on or today())
    _save_attachments(report, checked_files, start=report.attachments.count() + 1)
    audit_record(actor=None, action="report.add_information", obj=report,
                 after={"message": message.pk, "files": len(checked_files)},
                 committee_path=_committee_path(report.inspection))
    return message


def report_lookup_error() -> str:
    """The one message for a wrong code, whether or not its prefix exists."""
    return _not_found().message
