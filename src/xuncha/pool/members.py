"""Writes of the pool members (巡察人才库): the person, their work history, relatives and declarations, their
availability and the 组长库 flag, the import of a whole workbook, and the assessments (考评) that feed back into the
pool.

Rules kept here, so the form, the import and the API say the same thing:

* The ID number is checked (GB 11643: 18 characters, a real birth date, the check digit). Birth date and gender are
  read from it; when they are typed too they must agree. One ID number appears once in a pool.
* Unit names are resolved to the managed units of the pool's committee subtree when they match exactly (the full
  name, like 城关镇东关村, or the unit's own name for anything but a village): recusal then matches the record,
  not just the words. A name that matches nothing (a firm, a bar association) is kept as typed.
* Only the office of the pool's committee subtree (or admin) writes; every write is audited in its transaction.
  ID numbers reach the audit trail masked.
* Assessments: the group leader (who signed the pledge) and the office each assess every member of the group once
  all the group's inspections have given feedback. The office's recommendation sets the person's standing in the
  pool, in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields
from xuncha.core.dates import today
from xuncha.core.errors import FieldErrors, StaleWrite, ValidationFailed
from xuncha.core.id_numbers import birth_date as id_birth_date
from xuncha.core.id_numbers import check_digit, gender_of
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.core.text import comparable
from xuncha.org.models import Committee, Role, Unit, UnitKind, User
from xuncha.pool.models import (
    Assessment,
    AssessorRole,
    Declaration,
    DeclarationKind,
    Gender,
    Grade,
    Rank,
    Recommendation,
    Relative,
    Speciality,
    Standing,
    Talent,
    TalentKind,
    WorkPeriod,
)
from xuncha.pool.selectors import mask_id_number, pool_units
from xuncha.rounds.models import GroupRole, InspectionGroup, Stage
from xuncha.rounds.scoping import is_signed_member
from xuncha.rounds.services import require_office

# 主要社会关系 as 回避申请书 list them: spouse, direct relatives, collateral relatives within three generations and
# close in-laws. Stored in Chinese, as written on the form, and shown as they are in the recusal explanations.
RELATIONS: tuple[str, ...] = (
    "配偶", "父亲", "母亲", "儿子", "女儿", "哥哥", "弟弟", "姐姐", "妹妹", "祖父", "祖母", "外祖父", "外祖母",
    "孙子", "孙女", "外孙子", "外孙女", "伯父", "叔父", "姑母", "舅父", "姨母", "侄子", "侄女", "外甥", "外甥女",
    "堂兄弟姐妹", "表兄弟姐妹", "岳父", "岳母", "公公", "婆婆", "儿媳", "女婿", "配偶的兄弟姐妹", "兄弟姐妹的配偶",
)
# Relations that say the relative's gender, checked against a relative's ID number when one is given.
RELATION_GENDER = {
    "父亲": "M", "母亲": "F", "儿子": "M", "女儿": "F", "哥哥": "M", "弟弟": "M", "姐姐": "F", "妹妹": "F",
    "祖父": "M", "祖母": "F", "外祖父": "M", "外祖母": "F", "孙子": "M", "孙女": "F", "外孙子": "M", "外孙女": "F",
    "伯父": "M", "叔父": "M", "姑母": "F", "舅父": "M", "姨母": "F", "侄子": "M", "侄女": "F", "外甥": "M",
    "外甥女": "F", "岳父": "M", "岳母": "F", "公公": "M", "婆婆": "F", "儿媳": "F", "女婿": "M",
}
RELATION_ALIASES = {"丈夫": "配偶", "妻子": "配偶", "爱人": "配偶", "夫": "配偶", "妻": "配偶", "父": "父亲",
                    "母": "母亲", "子": "儿子", "女": "女儿", "伯伯": "伯父", "叔叔": "叔父", "姑姑": "姑母",
                    "舅舅": "舅父", "姨妈": "姨母", "阿姨": "姨母"}

# Assessing is the last step of a group's work: every inspection of the group has given its feedback.
ASSESSABLE_STAGES = frozenset({Stage.FEEDBACK, Stage.RECTIFY, Stage.FOLLOW_UP, Stage.ARCHIVED})
# What the office's recommendation does to the person's standing in the pool.
STANDING_FOR = {
    Recommendation.RECOMMEND: Standing.RECOMMENDED,
    Recommendation.KEEP: Standing.ACTIVE,
    Recommendation.REMIND: Standing.REMINDED,
    Recommendation.REMOVE: Standing.REMOVED,
}
TALENT_FIELDS = ("name", "id_number", "gender", "birth_date", "kind", "speciality", "rank", "unit_name", "position",
                 "home_township", "home_village", "phone", "can_lead", "available", "unavailable_reason", "notes",
                 "account")
EARLIEST_WORK = datetime.date(1950, 1, 1)


def _raise(errors: list[ValidationFailed]) -> None:
    if errors:
        raise FieldErrors(errors)


# ---------------------------------------------------------------- ID numbers

def id_number_clean(number: Any) -> str:
    return comparable(number).upper()


def id_number_problem(number: str) -> str | None:
    """What is wrong with an ID number, in words a clerk can act on; None when it is valid."""
    n = id_number_clean(number)
    if not n:
        return _("Give the ID number.")
    if re.fullmatch(r"\d{15}", n):
        return _("This is an old 15-digit ID number: give the 18-digit one.")
    if not re.fullmatch(r"\d{17}[\dX]", n):
        return _("An ID number has 18 characters: 17 digits, then a digit or X.")
    born = id_birth_date(n)
    if born is None:
        return _("Digits 7 to 14 of the ID number are not a real date of birth.")
    if born.year < 1900 or born > today():
        return _("The date of birth in the ID number (%(date)s) is impossible.") % {"date": born.isoformat()}
    if check_digit(n[:17]) != n[17]:
        return _("The last character (the check digit) does not fit the other 17: the number is mistyped.")
    return None


# ---------------------------------------------------------------- units of a pool

class UnitIndex:
    """The managed units of a pool's committee subtree by the names they go by, loaded once."""

    def __init__(self, committee: Committee):
        self.committee = committee
        self.units: dict[int, Unit] = {}
        self.by_name: dict[str, set[int]] = {}
        for unit in pool_units(committee):
            self.units[unit.pk] = unit
            for name in unit.known_names():
                self.by_name.setdefault(comparable(name), set()).add(unit.pk)

    def resolve(self, name: str) -> Unit | None:
        """The one unit going by exactly this name; None for no match or several."""
        ids = self.by_name.get(comparable(name), set())
        return self.units[next(iter(ids))] if len(ids) == 1 else None

    def find(self, name: str, kind: str, *, under: Unit | None = None) -> list[Unit]:
        """Units of `kind` going by `name`: full name, own name (villages too, here: the kind narrows it), and
        under `under` when given."""
        wanted = comparable(name)
        found = [u for u in self.units.values()
                 if u.kind == kind and wanted in (comparable(str(u)), comparable(u.name))]
        if under is not None:
            found = [u for u in found if u.parent_id == under.pk]
        return found

    def __contains__(self, unit: Unit) -> bool:
        return unit.pk in self.units


def _resolved(units: UnitIndex, name: str) -> tuple[Unit | None, str]:
    """(unit, name to store): a matched unit and its canonical name, or no unit and the name as typed."""
    text = " ".join(str(name or "").split())
    unit = units.resolve(text) if text else None
    return unit, (str(unit) if unit is not None else text)


# ---------------------------------------------------------------- checking a person

def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def talent_age(talent: Talent, on: datetime.date | None = None) -> int:
    return _age(talent.birth_date, on or today())


def _account_problem(account: User, committee: Committee, actor: User | None, talent: Talent | None) -> str | None:
    if account.role != Role.INSPECTOR or not account.is_active:
        return _("%(user)s is not an active inspector account.") % {"user": account}
    if actor is not None and actor.role != Role.ADMIN and not (
            account.committee_id and account.committee.path.startswith(actor.committee.path)):
        return _("%(user)s is not an account of your committee.") % {"user": account}
    other = Talent.objects.filter(account=account).exclude(pk=talent.pk if talent else None).select_related(
        "committee").first()
    if other is not None:
        return _("%(user)s is already the account of %(name)s (%(pool)s).") % {
            "user": account, "name": other.name, "pool": other.committee}
    return None


def talent_check(*, committee: Committee, data: dict[str, Any], units: UnitIndex, actor: User | None = None,
                 talent: Talent | None = None) -> dict[str, Any]:
    """The person's fields cleaned and checked; FieldErrors lists every field that is wrong."""
    errors: list[ValidationFailed] = []

    def fail(name: str, message: str) -> None:
        errors.append(ValidationFailed(message, field=name))

    def text(name: str, limit: int) -> str:
        value = " ".join(str(data.get(name) or "").split())
        if len(value) > limit:
            fail(name, _("At most %(n)s characters.") % {"n": limit})
        return value[:limit]

    out: dict[str, Any] = {}
    out["name"] = text("name", 50)
    if not out["name"]:
        fail("name", _("Give the person's name."))
    number = id_number_clean(data.get("id_number"))
    problem = id_number_problem(number)
    out["id_number"] = number
    if problem:
        fail("id_number", problem)
    else:
        born, gender = id_birth_date(number), gender_of(number)
        typed_born, typed_gender = data.get("birth_date"), data.get("gender") or ""
        if typed_born and typed_born != born:
            fail("birth_date", _("The ID number gives %(date)s as the date of birth.") % {"date": born.isoformat()})
        if typed_gender and typed_gender != gender:
            fail("gender", _("The ID number is a %(gender)s's.") % {"gender": Gender(gender).label})
        out["birth_date"], out["gender"] = born, gender
        clash = Talent.objects.filter(committee=committee, id_number=number).exclude(
            pk=talent.pk if talent else None).first()
        if clash is not None:
            fail("id_number", _("%(name)s, with this ID number, is already in this pool.") % {"name": clash.name})
    out["kind"] = data.get("kind") or TalentKind.CADRE
    if out["kind"] not in TalentKind.values:
        fail("kind", _("Choose the kind of person from the list."))
    out["speciality"] = data.get("speciality") or ""
    if out["speciality"] not in Speciality.values:
        fail("speciality", _("Choose the speciality from the list."))
    try:
        out["rank"] = int(data.get("rank") or 0)
    except (TypeError, ValueError):
        out["rank"] = -1
    if out["rank"] not in Rank.values:
        fail("rank", _("Choose the rank from the list."))
        out["rank"] = Rank.NONE
    out["unit"], out["unit_name"] = _resolved(units, text("unit_name", 120))
    out["position"] = text("position", 80)
    township, village = data.get("home_township"), data.get("home_village")
    if township is not None and (township not in units or township.kind != UnitKind.TOWNSHIP):
        fail("home_township", _("Choose a township among the units of this pool's committee."))
        township = None
    if village is not None and (village not in units or village.kind != UnitKind.VILLAGE):
        fail("home_village", _("Choose a village among the units of this pool's committee."))
        village = None
    if village is not None:
        if township is None and village.parent_id:
            township = units.units.get(village.parent_id)
        elif township is not None and village.parent_id != township.pk:
            fail("home_village", _("%(village)s is not in %(township)s.") % {"village": village,
                                                                             "township": township})
    out["home_township"], out["home_village"] = township, village
    out["phone"] = text("phone", 20)
    out["can_lead"] = bool(data.get("can_lead"))
    out["available"] = data.get("available") is not False
    out["unavailable_reason"] = "" if out["available"] else text("unavailable_reason", 120)
    if not out["available"] and not out["unavailable_reason"]:
        fail("unavailable_reason", _("Say why the person is not available."))
    out["notes"] = str(data.get("notes") or "").strip()
    account = data.get("account")
    if account is not None:
        problem = _account_problem(account, committee, actor, talent)
        if problem:
            fail("account", problem)
    out["account"] = account
    _raise(errors)
    return out


def _talent_after(t: Talent) -> dict[str, Any]:
    """The person as the audit trail keeps them: the ID number masked."""
    return {"name": t.name, "id_number": mask_id_number(t.id_number), "gender": t.gender,
            "birth_date": t.birth_date, "kind": t.kind, "speciality": t.speciality, "rank": t.rank,
            "unit": t.unit_id, "unit_name": t.unit_name, "position": t.position,
            "home_township": t.home_township_id, "home_village": t.home_village_id, "phone": t.phone,
            "can_lead": t.can_lead, "available": t.available, "unavailable_reason": t.unavailable_reason,
            "standing": t.standing, "account": t.account_id, "notes_length": len(t.notes)}


def _apply(talent: Talent, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(talent, name, value)


def _create(actor: User | None, committee: Committee, values: dict[str, Any], *, action: str) -> Talent:
    talent = Talent(committee=committee)
    _apply(talent, values)
    try:
        with transaction.atomic():
            talent.save()
    except IntegrityError:
        raise ValidationFailed(_("Someone has just added a person with this ID number to this pool."),
                               field="id_number") from None
    audit_record(actor=actor, action=action, obj=talent, after=_talent_after(talent), committee_path=committee.path)
    return talent


def _update(actor: User | None, talent: Talent, values: dict[str, Any], *, action: str) -> Talent:
    before = _talent_after(talent)
    _apply(talent, values)
    bump_version(talent)
    talent.save()
    b, a = changed_fields(before, _talent_after(talent))
    audit_record(actor=actor, action=action, obj=talent, before=b, after=a, committee_path=talent.committee.path)
    return talent


def talent_merged(talent: Talent, data: dict[str, Any]) -> dict[str, Any]:
    """The person's recorded fields with `data` over them. Gender and birth date are read from the ID number: only
    what is typed now is checked against it."""
    merged = {name: getattr(talent, name) for name in TALENT_FIELDS}
    merged.update(data)
    merged["gender"], merged["birth_date"] = data.get("gender") or "", data.get("birth_date")
    return merged


@transaction.atomic
def talent_create(*, actor: User | None, committee: Committee, **data) -> Talent:
    """A new pool member. `data`: the TALENT_FIELDS (gender and birth date may be left out)."""
    require_office(actor, committee)
    values = talent_check(committee=committee, data=data, units=UnitIndex(committee), actor=actor)
    return _create(actor, committee, values, action="pool.talent_create")


@transaction.atomic
def talent_update(*, actor: User | None, talent: Talent, expected_version: int | None, **data) -> Talent:
    require_office(actor, talent.committee)
    locked = lock_for_update(Talent, pk=talent.pk, expected_version=expected_version)
    merged = talent_merged(locked, data)
    values = talent_check(committee=locked.committee, data=merged, units=UnitIndex(locked.committee), actor=actor,
                          talent=locked)
    return _update(actor, locked, values, action="pool.talent_update")


@transaction.atomic
def talent_set_availability(*, actor: User | None, talent: Talent, expected_version: int | None, available: bool,
                            unavailable_reason: str = "", can_lead: bool) -> Talent:
    """Availability and the 组长库 flag, set from the person's page."""
    require_office(actor, talent.committee)
    locked = lock_for_update(Talent, pk=talent.pk, expected_version=expected_version)
    reason = " ".join((unavailable_reason or "").split())
    if not available and not reason:
        raise ValidationFailed(_("Say why the person is not available."), field="unavailable_reason")
    if len(reason) > 120:
        raise ValidationFailed(_("At most %(n)s characters.") % {"n": 120}, field="unavailable_reason")
    return _update(actor, locked, {"available": bool(available), "unavailable_reason": "" if available else reason,
                                   "can_lead": bool(can_lead)}, action="pool.talent_availability")


def _locked_talent(actor: User | None, talent: Talent) -> Talent:
    """The person's row locked (children are checked for duplicates under it); no version: adding a relative does
    not make someone else's open edit of the person stale."""
    require_office(actor, talent.committee)
    return Talent.objects.select_for_update().select_related("committee").get(pk=talent.pk)


# ---------------------------------------------------------------- work history

def work_period_check(*, data: dict[str, Any], units: UnitIndex) -> dict[str, Any]:
    errors: list[ValidationFailed] = []
    unit_name = " ".join(str(data.get("unit_name") or "").split())
    position = " ".join(str(data.get("position") or "").split())
    started, ended = data.get("started_on"), data.get("ended_on")
    if not unit_name:
        errors.append(ValidationFailed(_("Give the unit."), field="unit_name"))
    elif len(unit_name) > 120:
        errors.append(ValidationFailed(_("At most %(n)s characters.") % {"n": 120}, field="unit_name"))
    if len(position) > 80:
        errors.append(ValidationFailed(_("At most %(n)s characters.") % {"n": 80}, field="position"))
    if started is None:
        errors.append(ValidationFailed(_("Give the date the post began."), field="started_on"))
    elif not EARLIEST_WORK <= started <= today():
        errors.append(ValidationFailed(_("The post cannot begin on %(date)s.") % {"date": started.isoformat()},
                                       field="started_on"))
    if ended is not None:
        if ended > today():
            errors.append(ValidationFailed(_("The end of a post is a date already past; leave it empty for a post "
                                             "held now."), field="ended_on"))
        elif started is not None and ended < started:
            errors.append(ValidationFailed(_("The post cannot end before it began."), field="ended_on"))
    _raise(errors)
    unit, name = _resolved(units, unit_name)
    return {"unit": unit, "unit_name": name, "position": position, "started_on": started, "ended_on": ended}


def _same_period(talent: Talent, values: dict[str, Any]) -> WorkPeriod | None:
    for period in talent.work_periods.filter(started_on=values["started_on"]):
        if comparable(period.unit_name) == comparable(values["unit_name"]):
            return period
    return None


def _period_after(p: WorkPeriod) -> dict[str, Any]:
    return {"unit": p.unit_id, "unit_name": p.unit_name, "position": p.position, "started_on": p.started_on,
            "ended_on": p.ended_on}


@transaction.atomic
def work_period_add(*, actor: User | None, talent: Talent, **data) -> WorkPeriod:
    locked = _locked_talent(actor, talent)
    values = work_period_check(data=data, units=UnitIndex(locked.committee))
    if _same_period(locked, values) is not None:
        raise ValidationFailed(_("This post is already recorded (same unit, same start)."))
    period = WorkPeriod.objects.create(talent=locked, **values)
    audit_record(actor=actor, action="pool.work_period_add", obj=period, after={
        "talent": locked.pk, **_period_after(period)}, committee_path=locked.committee.path)
    return period


@transaction.atomic
def work_period_remove(*, actor: User | None, talent: Talent, period_id: int | None) -> None:
    locked = _locked_talent(actor, talent)
    period = locked.work_periods.filter(pk=period_id).first()
    if period is None:
        raise ValidationFailed(_("This row was already removed."))
    audit_record(actor=actor, action="pool.work_period_remove", obj=period, before={
        "talent": locked.pk, **_period_after(period)}, committee_path=locked.committee.path)
    period.delete()


# ---------------------------------------------------------------- relatives

def relation_clean(value: Any) -> str:
    text = comparable(value)
    return RELATION_ALIASES.get(text, text)


def relative_check(*, data: dict[str, Any], units: UnitIndex) -> dict[str, Any]:
    errors: list[ValidationFailed] = []
    name = " ".join(str(data.get("name") or "").split())
    relation = relation_clean(data.get("relation"))
    number = id_number_clean(data.get("id_number"))
    unit_name = " ".join(str(data.get("unit_name") or "").split())
    if not name:
        errors.append(ValidationFailed(_("Give the relative's name."), field="name"))
    elif len(name) > 50:
        errors.append(ValidationFailed(_("At most %(n)s characters.") % {"n": 50}, field="name"))
    if relation not in RELATIONS:
        errors.append(ValidationFailed(_("“%(value)s” is not a relation of the list (配偶, 父亲, 母亲, 儿子, 女儿 …).")
                                       % {"value": data.get("relation") or ""}, field="relation"))
    if number:
        problem = id_number_problem(number)
        if problem:
            errors.append(ValidationFailed(problem, field="id_number"))
        elif relation in RELATION_GENDER and gender_of(number) != RELATION_GENDER[relation]:
            errors.append(ValidationFailed(_("The ID number is a %(gender)s's, which does not fit “%(relation)s”.") % {
                "gender": Gender(gender_of(number)).label, "relation": relation}, field="id_number"))
    if len(unit_name) > 120:
        errors.append(ValidationFailed(_("At most %(n)s characters.") % {"n": 120}, field="unit_name"))
    _raise(errors)
    unit, stored = _resolved(units, unit_name)
    return {"name": name, "relation": relation, "id_number": number, "unit": unit, "unit_name": stored}


def _relative_after(r: Relative) -> dict[str, Any]:
    return {"name": r.name, "relation": r.relation, "id_number": mask_id_number(r.id_number), "unit": r.unit_id,
            "unit_name": r.unit_name}


def _same_relative(talent: Talent, values: dict[str, Any]) -> Relative | None:
    for relative in talent.relatives.filter(relation=values["relation"]):
        if comparable(relative.name) == comparable(values["name"]):
            return relative
    return None


@transaction.atomic
def relative_add(*, actor: User | None, talent: Talent, **data) -> Relative:
    locked = _locked_talent(actor, talent)
    values = relative_check(data=data, units=UnitIndex(locked.committee))
    if values["id_number"] and values["id_number"] == locked.id_number:
        raise ValidationFailed(_("This is the person's own ID number."), field="id_number")
    if _same_relative(locked, values) is not None:
        raise ValidationFailed(_("%(relation)s %(name)s is already recorded.") % values)
    relative = Relative.objects.create(talent=locked, **values)
    audit_record(actor=actor, action="pool.relative_add", obj=relative, after={
        "talent": locked.pk, **_relative_after(relative)}, committee_path=locked.committee.path)
    return relative


@transaction.atomic
def relative_remove(*, actor: User | None, talent: Talent, relative_id: int | None) -> None:
    locked = _locked_talent(actor, talent)
    relative = locked.relatives.filter(pk=relative_id).first()
    if relative is None:
        raise ValidationFailed(_("This row was already removed."))
    audit_record(actor=actor, action="pool.relative_remove", obj=relative, before={
        "talent": locked.pk, **_relative_after(relative)}, committee_path=locked.committee.path)
    relative.delete()


# ---------------------------------------------------------------- declarations (回避申请, conflicts with leaders)

def declaration_check(*, data: dict[str, Any], units: UnitIndex) -> dict[str, Any]:
    errors: list[ValidationFailed] = []
    kind = data.get("kind") or ""
    unit = data.get("unit")
    leader = " ".join(str(data.get("leader") or "").split())
    reason = " ".join(str(data.get("reason") or "").split())
    declared_on = data.get("declared_on")
    if kind not in DeclarationKind.values:
        errors.append(ValidationFailed(_("Choose the kind of declaration."), field="kind"))
    if unit is None or unit not in units:
        errors.append(ValidationFailed(_("Choose a unit among the units of this pool's committee."), field="unit"))
    if kind == DeclarationKind.LEADER_CONFLICT and not leader:
        errors.append(ValidationFailed(_("Name the leader concerned."), field="leader"))
    if len(leader) > 50:
        errors.append(ValidationFailed(_("At most %(n)s characters.") % {"n": 50}, field="leader"))
    if not reason:
        errors.append(ValidationFailed(_("Give the reason."), field="reason"))
    elif len(reason) > 300:
        errors.append(ValidationFailed(_("At most %(n)s characters.") % {"n": 300}, field="reason"))
    if declared_on is None:
        errors.append(ValidationFailed(_("Give the date of the declaration."), field="declared_on"))
    elif declared_on > today():
        errors.append(ValidationFailed(_("A declaration is dated today or earlier."), field="declared_on"))
    _raise(errors)
    return {"kind": kind, "unit": unit, "leader": leader, "reason": reason, "declared_on": declared_on}


def _declaration_after(d: Declaration) -> dict[str, Any]:
    return {"kind": d.kind, "unit": d.unit_id, "leader": d.leader, "reason": d.reason, "declared_on": d.declared_on}


def _same_declaration(talent: Talent, values: dict[str, Any]) -> Declaration | None:
    return talent.declarations.filter(kind=values["kind"], unit=values["unit"], leader=values["leader"],
                                      declared_on=values["declared_on"]).first()


@transaction.atomic
def declaration_add(*, actor: User | None, talent: Talent, **data) -> Declaration:
    locked = _locked_talent(actor, talent)
    values = declaration_check(data=data, units=UnitIndex(locked.committee))
    if _same_declaration(locked, values) is not None:
        raise ValidationFailed(_("This declaration is already recorded."))
    declaration = Declaration.objects.create(talent=locked, recorded_by=actor if actor and actor.pk else None,
                                             **values)
    audit_record(actor=actor, action="pool.declaration_add", obj=declaration, after={
        "talent": locked.pk, **_declaration_after(declaration)}, committee_path=locked.committee.path)
    return declaration


@transaction.atomic
def declaration_remove(*, actor: User | None, talent: Talent, declaration_id: int | None) -> None:
    locked = _locked_talent(actor, talent)
    declaration = locked.declarations.filter(pk=declaration_id).first()
    if declaration is None:
        raise ValidationFailed(_("This row was already removed."))
    audit_record(actor=actor, action="pool.declaration_remove", obj=declaration, before={
        "talent": locked.pk, **_declaration_after(declaration)}, committee_path=locked.committee.path)
    declaration.delete()


# ---------------------------------------------------------------- import (all or nothing)

@dataclass
class ImportBatch:
    """What a checked workbook holds, ready to write: people by ID number, and the rows of the other sheets."""

    people: list[dict[str, Any]] = field(default_factory=list)
    periods: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    relatives: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    declarations: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    periods: int = 0
    relatives: int = 0
    declarations: int = 0


@transaction.atomic
def pool_import(*, actor: User | None, committee: Committee, batch: ImportBatch) -> ImportOutcome:
    """Write a checked workbook in one transaction: a person already in the pool (same ID number) is updated with the
    file's values; rows of the other sheets are added unless already recorded (a relative of the same name and
    relation is updated). Nothing is deleted. Any refusal here undoes everything."""
    require_office(actor, committee)
    units = UnitIndex(committee)
    outcome = ImportOutcome()
    by_number: dict[str, Talent] = {}
    for data in batch.people:
        existing = Talent.objects.select_for_update().filter(committee=committee,
                                                             id_number=id_number_clean(data["id_number"])).first()
        if existing is None:
            values = talent_check(committee=committee, data=data, units=units, actor=actor)
            by_number[values["id_number"]] = _create(actor, committee, values, action="pool.talent_import")
            outcome.created += 1
            continue
        merged = talent_merged(existing, {k: v for k, v in data.items() if k in TALENT_FIELDS})
        values = talent_check(committee=committee, data=merged, units=units, actor=actor, talent=existing)
        if all(getattr(existing, k) == v for k, v in values.items()):
            outcome.unchanged += 1
        else:
            _update(actor, existing, values, action="pool.talent_import")
            outcome.updated += 1
        by_number[existing.id_number] = existing

    def person(number: str) -> Talent:
        talent = by_number.get(number) or Talent.objects.filter(committee=committee, id_number=number).first()
        if talent is None:
            raise ValidationFailed(_("No person with ID number %(number)s in this pool or the file.")
                                   % {"number": mask_id_number(number)})
        by_number[number] = talent
        return talent

    for number, data in batch.periods:
        talent = person(number)
        values = work_period_check(data=data, units=units)
        if _same_period(talent, values) is None:
            period = WorkPeriod.objects.create(talent=talent, **values)
            audit_record(actor=actor, action="pool.work_period_add", obj=period, after={
                "talent": talent.pk, **_period_after(period)}, committee_path=committee.path)
            outcome.periods += 1
    for number, data in batch.relatives:
        talent = person(number)
        values = relative_check(data=data, units=units)
        relative = _same_relative(talent, values)
        if relative is None:
            relative = Relative.objects.create(talent=talent, **values)
            audit_record(actor=actor, action="pool.relative_add", obj=relative, after={
                "talent": talent.pk, **_relative_after(relative)}, committee_path=committee.path)
            outcome.relatives += 1
        elif any(getattr(relative, k) != v for k, v in values.items()):
            before = _relative_after(relative)
            for k, v in values.items():
                setattr(relative, k, v)
            relative.save()
            b, a = changed_fields(before, _relative_after(relative))
            audit_record(actor=actor, action="pool.relative_update", obj=relative, before=b, after=a,
                         committee_path=committee.path)
            outcome.relatives += 1
    for number, data in batch.declarations:
        talent = person(number)
        values = declaration_check(data=data, units=units)
        if _same_declaration(talent, values) is None:
            declaration = Declaration.objects.create(talent=talent, recorded_by=actor if actor and actor.pk else None,
                                                     **values)
            audit_record(actor=actor, action="pool.declaration_add", obj=declaration, after={
                "talent": talent.pk, **_declaration_after(declaration)}, committee_path=committee.path)
            outcome.declarations += 1
    audit_record(actor=actor, action="pool.import", obj=committee, after={
        "created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged,
        "work_periods": outcome.periods, "relatives": outcome.relatives, "declarations": outcome.declarations},
        committee_path=committee.path)
    return outcome


# ---------------------------------------------------------------- assessments (考评)

def group_inspections_fed_back(group: InspectionGroup) -> bool:
    stages = list(group.inspections.values_list("stage", flat=True))
    return bool(stages) and all(stage in ASSESSABLE_STAGES for stage in stages)


def assessment_closed_reason(group: InspectionGroup) -> str | None:
    """Why the group cannot be assessed yet; None when it can."""
    if not group.inspections.exists():
        return _("The group has no inspection yet: it is assessed once its work has been fed back.")
    if not group_inspections_fed_back(group):
        return _("The group is assessed once every one of its inspections has given its feedback.")
    return None


def assessor_roles(actor: User | None, group: InspectionGroup) -> set[str]:
    """The roles in which `actor` assesses the members of `group`."""
    roles: set[str] = set()
    if actor is None or not actor.is_authenticated:
        return roles
    if actor.role == Role.ADMIN or (actor.role == Role.OFFICE and actor.committee_id
                                    and group.round.committee.path.startswith(actor.committee.path)):
        roles.add(AssessorRole.OFFICE)
    if actor.role == Role.INSPECTOR and is_signed_member(actor, group) and group.memberships.filter(
            user=actor, role=GroupRole.LEADER).exists():
        roles.add(AssessorRole.GROUP_LEADER)
    return roles


def assessment_stamp(assessment: Assessment | None) -> str:
    """What the assessor saw when the form was drawn: "new", or a digest of the recorded assessment."""
    if assessment is None:
        return "new"
    words = f"{assessment.pk}|{assessment.grade}|{assessment.recommendation}|{assessment.comments}"
    return hashlib.sha256(words.encode()).hexdigest()[:20]


def _assessment_after(a: Assessment) -> dict[str, Any]:
    return {"talent": a.talent_id, "group": a.group_id, "assessor_role": a.assessor_role, "grade": a.grade,
            "recommendation": a.recommendation, "comments_length": len(a.comments), "assessed_on": a.assessed_on}


@transaction.atomic
def assessment_record(*, actor: User | None, group: InspectionGroup, member: User, role: str, grade: str,
                      recommendation: str, comments: str = "", expected_stamp: str | None = None) -> Assessment:
    """The group leader's or the office's assessment of one member of the group. The office's recommendation sets
    the person's standing in the pool (recommend → recommended, keep → in the pool, remind → reminded,
    remove → removed), audited in the same transaction."""
    if role not in AssessorRole.values:
        raise ValidationFailed(_("Unknown kind of assessment."))
    if actor is not None and role not in assessor_roles(actor, group):
        if role == AssessorRole.GROUP_LEADER:
            raise ValidationFailed(_("Only the group leader, after signing the confidentiality pledge, assesses as "
                                     "group leader."))
        raise ValidationFailed(_("Only the inspection office of this committee may do this."))
    closed = assessment_closed_reason(group)
    if closed:
        raise ValidationFailed(closed)
    membership = group.memberships.filter(user=member).select_related("user").first()
    if membership is None:
        raise ValidationFailed(_("%(name)s is not a member of this group.") % {"name": member})
    if role == AssessorRole.GROUP_LEADER and actor is not None and member.pk == actor.pk:
        raise ValidationFailed(_("The group leader does not assess themselves: the office assesses the leader."))
    talent = Talent.objects.select_for_update().select_related("committee").filter(account=member).first()
    if talent is None:
        raise ValidationFailed(_("%(name)s has no record in the talent pool, so they cannot be assessed. Add them to "
                                 "the pool with this account first.") % {"name": member})
    errors: list[ValidationFailed] = []
    if grade not in Grade.values:
        errors.append(ValidationFailed(_("Choose the grade."), field="grade"))
    if recommendation not in Recommendation.values:
        errors.append(ValidationFailed(_("Choose the recommendation."), field="recommendation"))
    comments = (comments or "").strip()
    if len(comments) > 2000:
        errors.append(ValidationFailed(_("At most %(n)s characters.") % {"n": 2000}, field="comments"))
    if not comments and (grade == Grade.INCOMPETENT
                         or recommendation in (Recommendation.REMIND, Recommendation.REMOVE)):
        errors.append(ValidationFailed(_("Say why: a reminder, a removal or an incompetent grade needs comments."),
                                       field="comments"))
    _raise(errors)
    existing = Assessment.objects.select_for_update().filter(talent=talent, group=group, assessor_role=role).first()
    if expected_stamp is not None and expected_stamp != assessment_stamp(existing):
        raise StaleWrite(_("Someone else recorded this assessment while you were writing yours. Yours was not "
                           "saved; it is still in the form. Read theirs below, then send yours again if it "
                           "should replace it."))
    values = {"grade": grade, "recommendation": recommendation, "comments": comments,
              "assessor": actor if actor and actor.pk else None, "assessed_on": today()}
    if existing is None:
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(talent=talent, group=group, assessor_role=role, **values)
        except IntegrityError:
            raise StaleWrite(_("Someone else recorded this assessment at the same moment. Yours was not saved; it "
                               "is still in the form.")) from None
        audit_record(actor=actor, action="pool.assessment_record", obj=assessment,
                     after=_assessment_after(assessment), committee_path=group.round.committee.path)
    else:
        before = _assessment_after(existing)
        for k, v in values.items():
            setattr(existing, k, v)
        existing.save()
        assessment = existing
        b, a = changed_fields(before, _assessment_after(existing))
        audit_record(actor=actor, action="pool.assessment_update", obj=assessment, before=b, after=a,
                     committee_path=group.round.committee.path)
    if role == AssessorRole.OFFICE:
        standing = STANDING_FOR[Recommendation(recommendation)]
        if talent.standing != standing:
            before_standing = talent.standing
            talent.standing = standing
            bump_version(talent)
            talent.save(update_fields=["standing", "version"])
            audit_record(actor=actor, action="pool.standing", obj=talent, before={"standing": before_standing},
                         after={"standing": standing, "assessment": assessment.pk, "group": group.pk},
                         committee_path=talent.committee.path)
    return assessment
