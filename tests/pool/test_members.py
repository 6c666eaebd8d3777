"""Pool members: the ID number decides birth date and gender, one ID number per pool, typed unit names are resolved
to managed units so recusal sees them, only the office of the subtree writes, and everything is audited."""

from __future__ import annotations

import datetime

import pytest

from xuncha.core.errors import StaleWrite, ValidationFailed
from xuncha.core.id_numbers import check_digit
from xuncha.core.models import AuditEvent
from xuncha.pool import members
from xuncha.pool.members import FieldErrors
from xuncha.pool.models import Talent
from xuncha.pool.recusal import ties_for


def id_number(born: str = "19800315", serial: int = 11, region: str = "330102") -> str:
    """A valid 18-digit ID number: odd serial for a man, even for a woman."""
    first17 = f"{region}{born}{serial:03d}"
    return first17 + check_digit(first17)


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def add(world, actor=None, **data) -> Talent:
    values = {"name": "张伟", "id_number": id_number(), "kind": "cadre", "speciality": "audit", "rank": 3,
              "unit_name": "甲县审计局", "position": "科长"}
    values.update(data)
    return members.talent_create(actor=actor or world.user("office_a"), committee=world.county_a, **values)


def fields_of(exc) -> dict[str, str]:
    errors = exc.value.errors if isinstance(exc.value, FieldErrors) else [exc.value]
    return {e.field: e.message for e in errors}


def test_birth_date_and_gender_come_from_the_id_number(world):
    woman = add(world, id_number=id_number("19860704", 22))
    assert woman.birth_date == datetime.date(1986, 7, 4) and woman.gender == "F"
    assert members.talent_age(woman, on=datetime.date(2024, 7, 3)) == 37
    assert members.talent_age(woman, on=datetime.date(2024, 7, 4)) == 38
    typed = add(world, id_number=id_number("19750101", 31), gender="M", birth_date=datetime.date(1975, 1, 1))
    assert typed.gender == "M"


def test_bad_id_numbers_are_refused_with_the_reason(world):
    good = id_number()
    cases = {
        wrong_check_digit(good): "校验码",
        "33010219800230011" + "X": "出生日期",  # 30 February
        good[:15]: "15位",
        "12345": "18位",
        "": "身份证号",
    }
    for number, words in cases.items():
        with pytest.raises(FieldErrors) as exc:
            add(world, id_number=number)
        assert words in fields_of(exc)["id_number"], number
    assert not Talent.objects.exists()


def test_typed_gender_and_birth_date_must_agree_with_the_id_number(world):
    with pytest.raises(FieldErrors) as exc:
        add(world, id_number=id_number("19800315", 11), gender="F", birth_date=datetime.date(1980, 3, 16))
    errors = fields_of(exc)
    assert "1980-03-15" in errors["birth_date"]
    assert "男" in errors["gender"]
    assert not Talent.objects.exists()


def test_one_id_number_once_in_a_pool_but_in_several_pools(world):
    add(world)
    with pytest.raises(FieldErrors) as exc:
        add(world, name="张伟（重复）")
    assert "张伟" in fields_of(exc)["id_number"] and "已在" in fields_of(exc)["id_number"]
    # The same person may sit in the city's pool too.
    city = members.talent_create(actor=world.user("office_city"), committee=world.city, name="张伟",
                                 id_number=id_number(), kind="cadre", speciality="audit")
    assert city.committee == world.city
    # Typed with full-width digits and spaces, it is the same number.
    wide = " ".join("".join(chr(ord(c) + 0xFEE0) for c in id_number()[i:i + 6]) for i in (0, 6, 12))
    with pytest.raises(FieldErrors) as exc:
        add(world, id_number=wide)
    assert "已在" in fields_of(exc)["id_number"]


def test_every_wrong_field_is_reported_at_once(world):
    with pytest.raises(FieldErrors) as exc:
        add(world, name="", speciality="astrology", rank=99, available=False, unavailable_reason="")
    assert set(fields_of(exc)) == {"name", "speciality", "rank", "unavailable_reason"}


def test_typed_unit_names_are_resolved_to_managed_units_and_recusal_sees_them(world):
    talent = add(world, unit_name="城关镇东关村", home_township=world.township_a)
    assert talent.unit == world.village_a and talent.unit_name == "城关镇东关村"
    outside = add(world, id_number=id_number(serial=15), unit_name="某某律师事务所")
    assert outside.unit is None and outside.unit_name == "某某律师事务所"
    # "东关村" alone is not resolved (village names repeat from township to township).
    short = add(world, id_number=id_number(serial=17), unit_name="东关村")
    assert short.unit is None
    period = members.work_period_add(actor=world.user("office_a"), talent=outside, unit_name=" 甲县财政局 ",
                                     position="科员", started_on=datetime.date(2010, 9, 1),
                                     ended_on=datetime.date(2014, 12, 31))
    assert period.unit == world.dept_a
    relative = members.relative_add(actor=world.user("office_a"), talent=outside, name="王芳", relation="妻子",
                                    unit_name="甲县城投公司")
    assert relative.relation == "配偶" and relative.unit == world.soe_a
    ties = ties_for([talent, outside], world.township_a)
    assert talent.pk in ties and outside.pk not in ties
    assert outside.pk in ties_for([outside], world.dept_a) and outside.pk in ties_for([outside], world.soe_a)
    # The home village must lie in the home township.
    with pytest.raises(FieldErrors) as exc:
        add(world, id_number=id_number(serial=19), home_village=world.village_a, home_township=world.dept_a)
    assert "home_township" in fields_of(exc)
    village_only = add(world, id_number=id_number(serial=21), home_village=world.village_a)
    assert village_only.home_township == world.township_a


def test_relatives_id_numbers_are_optional_but_checked(world):
    talent = add(world)
    office = world.user("office_a")
    with pytest.raises(FieldErrors) as exc:
        members.relative_add(actor=office, talent=talent, name="张父", relation="父亲",
                             id_number=wrong_check_digit(id_number("19550101", 33)))
    assert "校验码" in fields_of(exc)["id_number"]
    with pytest.raises(FieldErrors) as exc:
        members.relative_add(actor=office, talent=talent, name="张父", relation="父亲",
                             id_number=id_number("19550101", 34))
    assert "女" in fields_of(exc)["id_number"]
    with pytest.raises(FieldErrors) as exc:
        members.relative_add(actor=office, talent=talent, name="张某", relation="邻居")
    assert "relation" in fields_of(exc)
    members.relative_add(actor=office, talent=talent, name="张父", relation="父亲", id_number=id_number("19550101", 33))
    members.relative_add(actor=office, talent=talent, name="李母", relation="母亲")
    with pytest.raises(ValidationFailed, match="已登记"):
        members.relative_add(actor=office, talent=talent, name="李母", relation="母亲")
    assert talent.relatives.count() == 2


def test_work_periods_and_declarations(world):
    talent = add(world)
    office = world.user("office_a")
    with pytest.raises(FieldErrors) as exc:
        members.work_period_add(actor=office, talent=talent, unit_name="甲县财政局",
                                started_on=datetime.date(2015, 1, 1), ended_on=datetime.date(2014, 1, 1))
    assert "ended_on" in fields_of(exc)
    members.work_period_add(actor=office, talent=talent, unit_name="甲县财政局", started_on=datetime.date(2015, 1, 1))
    with pytest.raises(ValidationFailed):
        members.work_period_add(actor=office, talent=talent, unit_name="甲县财政局",
                                started_on=datetime.date(2015, 1, 1))
    with pytest.raises(FieldErrors) as exc:
        members.declaration_add(actor=office, talent=talent, kind="leader_conflict", unit=world.dept_b,
                                reason="债务纠纷", declared_on=datetime.date(2024, 1, 1))
    assert set(fields_of(exc)) == {"unit", "leader"}  # county B's unit, and no leader named
    declaration = members.declaration_add(actor=office, talent=talent, kind="leader_conflict", unit=world.dept_a,
                                          leader="王建国", reason="曾有债务纠纷", declared_on=datetime.date(2024, 1, 1))
    assert "王建国" in " ".join(t.explanation for t in ties_for([talent], world.dept_a)[talent.pk])
    members.declaration_remove(actor=office, talent=talent, declaration_id=declaration.pk)
    with pytest.raises(ValidationFailed, match="已删除"):
        members.declaration_remove(actor=office, talent=talent, declaration_id=declaration.pk)


def test_only_the_office_of_the_subtree_writes(world):
    talent = add(world)
    for name in ("office_b", "leader_a", "inspector_a", "unit_a"):
        with pytest.raises(ValidationFailed):
            members.talent_update(actor=world.user(name), talent=talent, expected_version=talent.version, phone="1")
        with pytest.raises(ValidationFailed):
            add(world, actor=world.user(name), id_number=id_number(serial=41))
    # The city's office manages the county pools below it; admin manages all.
    members.talent_update(actor=world.user("office_city"), talent=talent, expected_version=talent.version,
                          phone="0571-1234567")
    talent.refresh_from_db()
    members.talent_update(actor=world.user("admin"), talent=talent, expected_version=talent.version, position="局长")


def test_a_stale_edit_is_refused_and_nothing_is_lost(world):
    talent = add(world)
    members.talent_update(actor=world.user("office_a"), talent=talent, expected_version=1, position="副局长")
    with pytest.raises(StaleWrite):
        members.talent_update(actor=world.user("office_a"), talent=talent, expected_version=1, position="局长")
    talent.refresh_from_db()
    assert talent.position == "副局长" and talent.version == 2


def test_every_write_is_audited_with_the_id_number_masked(world):
    talent = add(world)
    office = world.user("office_a")
    members.talent_set_availability(actor=office, talent=talent, expected_version=talent.version, available=False,
                                    unavailable_reason="借调省里", can_lead=True)
    members.relative_add(actor=office, talent=talent, name="王芳", relation="配偶", id_number=id_number("19820101", 42))
    events = AuditEvent.objects.filter(action__startswith="pool.").order_by("id")
    assert [e.action for e in events] == ["pool.talent_create", "pool.talent_availability", "pool.relative_add"]
    assert events[0].after["id_number"] == talent.id_number[:6] + "********" + talent.id_number[14:]
    assert events[1].after == {"available": False, "unavailable_reason": "借调省里", "can_lead": True}
    text = " ".join(str(e.after) + str(e.before) for e in events)
    assert talent.id_number not in text and id_number("19820101", 42) not in text
    assert all(e.actor == office and e.committee_path == world.county_a.path for e in events)
