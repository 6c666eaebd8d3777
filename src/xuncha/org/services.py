"""Writes to the committee tree, units, cadres and accounts. Each is one audited transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields, snapshot
from xuncha.core.errors import ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.org.models import ApiToken, Cadre, Committee, ReceivingOrgan, Role, Unit, User


def _require_writer(actor: User, committee: Committee) -> None:
    """Only admin, or the office of the committee or one above it, changes the unit library."""
    if actor is None:  # system jobs (demo builder, imports run by admin commands)
        return
    if actor.role == Role.ADMIN:
        return
    if actor.role == Role.OFFICE and actor.committee_id and committee.path.startswith(actor.committee.path):
        return
    raise ValidationFailed(_("You may not change the unit library of this committee."))


@transaction.atomic
def committee_create(*, actor: User | None, name: str, region: str, level: str,
                     parent: Committee | None = None) -> Committee:
    if parent is not None:
        _require_writer(actor, parent)
    elif actor is not None and actor.role != Role.ADMIN:
        raise ValidationFailed(_("Only an administrator creates a top-level committee."))
    committee = Committee.objects.create(name=name, region=region, level=level, parent=parent, path="")
    committee.path = f"{parent.path if parent else '/'}{committee.pk}/"
    committee.save(update_fields=["path"])
    audit_record(actor=actor, action="committee.create", obj=committee, after=snapshot(committee),
                 committee_path=committee.path)
    return committee


@transaction.atomic
def committee_update_deadline_rules(*, actor: User, committee: Committee, expected_version: int | None,
                                    notice_days_before_entry: int, report_months_after_fieldwork: int,
                                    rectify_report_months_after_feedback: int) -> Committee:
    _require_writer(actor, committee)
    committee = lock_for_update(Committee, pk=committee.pk, expected_version=expected_version)
    for value in (notice_days_before_entry, report_months_after_fieldwork, rectify_report_months_after_feedback):
        if value < 0 or value > 365:
            raise ValidationFailed(_("Deadline rules must be between 0 and 365."))
    before = snapshot(committee)
    committee.notice_days_before_entry = notice_days_before_entry
    committee.report_months_after_fieldwork = report_months_after_fieldwork
    committee.rectify_report_months_after_feedback = rectify_report_months_after_feedback
    bump_version(committee)
    committee.save()
    b, a = changed_fields(before, snapshot(committee))
    audit_record(actor=actor, action="committee.deadline_rules", obj=committee, before=b, after=a,
                 committee_path=committee.path)
    return committee


@transaction.atomic
def unit_create(*, actor: User | None, committee: Committee, name: str, kind: str,
                parent: Unit | None = None, code: str = "", address: str = "") -> Unit:
    _require_writer(actor, committee)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("A unit needs a name."), field="name")
    if Unit.objects.filter(committee=committee, parent=parent, name=name).exists():
        raise ValidationFailed(_("A unit with this name already exists here."), field="name")
    unit = Unit.objects.create(committee=committee, name=name, kind=kind, parent=parent, code=code,
                               address=address)
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit), committee_path=committee.path)
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, expected_version: int | None, **data) -> Unit:
    _require_writer(actor, unit.committee)
    unit = lock_for_update(Unit, pk=unit.pk, expected_version=expected_version)
    before = snapshot(unit)
    for field in ("name", "kind", "code", "address", "is_active"):
        if field in data:
            setattr(unit, field, data[field])
    bump_version(unit)
    unit.save()
    b, a = changed_fields(before, snapshot(unit))
    audit_record(actor=actor, action="unit.update", obj=unit, before=b, after=a,
                 committee_path=unit.committee.path)
    return unit


@transaction.atomic
def cadre_add(*, actor: User | None, unit: Unit, name: str, position: str, is_principal: bool = False,
              manages_people_money_assets: bool = False, since=None) -> Cadre:
    _require_writer(actor, unit.committee)
    if is_principal and unit.cadres.filter(is_principal=True).exists():
        raise ValidationFailed(_("This unit already has a principal leader."))
    cadre = Cadre.objects.create(unit=unit, name=name, position=position, is_principal=is_principal,
                                 manages_people_money_assets=manages_people_money_assets, since=since)
    audit_record(actor=actor, action="cadre.add", obj=cadre, after=snapshot(cadre),
                 committee_path=unit.committee.path)
    return cadre


@transaction.atomic
def organ_create(*, actor: User | None, committee: Committee, kind: str, name: str) -> ReceivingOrgan:
    _require_writer(actor, committee)
    organ = ReceivingOrgan.objects.create(committee=committee, kind=kind, name=name)
    audit_record(actor=actor, action="organ.create", obj=organ, after=snapshot(organ),
                 committee_path=committee.path)
    return organ


@transaction.atomic
def account_create(*, actor: User | None, username: str, password: str, role: str, display_name: str = "",
                   committee: Committee | None = None, unit: Unit | None = None,
                   organ: ReceivingOrgan | None = None, is_staff: bool = False) -> User:
    if actor is not None and actor.role != Role.ADMIN:
        raise ValidationFailed(_("Only an administrator creates accounts."))
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("This user name is taken."), field="username")
    if role == Role.UNIT and unit is not None:
        committee = unit.committee
    if role == Role.RECEIVER and organ is not None:
        committee = organ.committee
    user = User(username=username, role=role, display_name=display_name, committee=committee, unit=unit,
                organ=organ, is_staff=is_staff, is_superuser=(role == Role.ADMIN))
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="account.create", obj=user,
                 after=snapshot(user, ["username", "role", "committee", "unit", "organ"]),
                 committee_path=committee.path if committee else "")
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(token),
                            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS))
    audit_record(actor=user, action="api_token.issue", obj=user, committee_path=user.committee.path
                 if user.committee_id else "")
    return token


def api_token_user(token: str) -> User | None:
    row = (ApiToken.objects.select_related("user", "user__committee")
           .filter(digest=_digest(token), expires_at__gt=timezone.now()).first())
    if row is None or not row.user.is_active:
        return None
    return row.user


def api_token_expires_at(token: str):
    """When a token issued by api_token_issue stops working (None if unknown)."""
    return ApiToken.objects.filter(digest=_digest(token)).values_list("expires_at", flat=True).first()


@transaction.atomic
def api_token_revoke(*, actor: User, token: str) -> bool:
    """Delete the actor's own token (sign out of the API). Returns whether a token was revoked."""
    deleted, _rows = ApiToken.objects.filter(digest=_digest(token), user=actor).delete()
    if deleted:
        audit_record(actor=actor, action="api_token.revoke", obj=actor,
                     committee_path=actor.committee.path if actor.committee_id else "")
    return bool(deleted)
