"""Recusal finds every kind of tie a person has with a unit, and says what it is in words."""

from __future__ import annotations

import datetime

from xuncha.core.dates import today
from xuncha.core.id_numbers import check_digit
from xuncha.pool import services
from xuncha.pool.models import Declaration, Relative, Talent, WorkPeriod
from xuncha.pool.recusal import ties_for


def _talent(world, name: str, serial: int, **extra) -> Talent:
    first17 = f"33010219800101{serial:03d}"
    return Talent.objects.create(committee=world.county_a, name=name, id_number=first17 + check_digit(first17),
                                 gender="M" if serial % 2 else "F", birth_date=datetime.date(1980, 1, 1),
                                 speciality="audit", rank=3, **extra)


def test_every_kind_of_tie_is_found_and_explained(world):
    on = today()
    township, village = world.township_a, world.village_a
    works = _talent(world, "在职者", 1, unit=village)
    worked = _talent(world, "曾任职者", 3, unit_name="甲县财政局")
    WorkPeriod.objects.create(talent=worked, unit_name="城关镇", position="副镇长",
                              started_on=datetime.date(2015, 3, 1), ended_on=datetime.date(2019, 6, 30))
    relative = _talent(world, "有亲属者", 5, unit_name="甲县审计局")
    Relative.objects.create(talent=relative, name="李梅", relation="配偶", unit_name="城关镇东关村")
    home = _talent(world, "本地人", 7, unit_name="甲县税务局", home_village=village)
    declared = _talent(world, "申请回避者", 9, unit_name="甲县法院")
    Declaration.objects.create(talent=declared, kind="leader_conflict", unit=township, leader="张镇长",
                               reason="与其有债务纠纷", declared_on=on)
    clear = _talent(world, "无关联者", 11, unit_name="甲县城投公司")
    WorkPeriod.objects.create(talent=clear, unit=world.dept_a, unit_name="甲县财政局",
                              started_on=datetime.date(2010, 1, 1))

    found = ties_for([works, worked, relative, home, declared, clear], township)

    words = {pk: " ".join(t.explanation for t in ties) for pk, ties in found.items()}
    assert clear.pk not in found
    assert "城关镇东关村" in words[works.pk] and "城关镇" in words[works.pk]
    assert "2015-03-01" in words[worked.pk] and "2019-06-30" in words[worked.pk]
    assert "配偶" in words[relative.pk] and "李梅" in words[relative.pk]
    assert "城关镇东关村" in words[home.pk]
    assert "张镇长" in words[declared.pk] and "与其有债务纠纷" in words[declared.pk]
    # Past work counts within the configured years only (0: ever).
    assert worked.pk not in ties_for([worked], township, work_years=3, on=datetime.date(2024, 1, 1))
    assert worked.pk in ties_for([worked], township, work_years=5, on=datetime.date(2024, 1, 1))
    # A tie with the village is not a tie with another unit.
    assert not ties_for([works, relative, home], world.dept_a)


def test_who_inspected_the_unit_in_the_last_round_is_tied(world):
    # inspector_a2's group inspected 城关镇 in round A1 (tests/world.py).
    member = _talent(world, "上轮组员", 13, unit_name="甲县纪委监委", account=world.user("inspector_a2"))
    other = _talent(world, "他组组员", 15, unit_name="甲县组织部", account=world.user("inspector_a"))

    found = ties_for([member, other], world.township_a)

    assert [t.kind for t in found[member.pk]] == ["inspected"]
    assert "第二巡察组" in found[member.pk][0].explanation
    assert other.pk not in found


def test_the_draw_lists_everyone_excluded_and_why(world):
    tied = _talent(world, "有亲属者", 17, unit_name="甲县审计局", can_lead=True)
    Relative.objects.create(talent=tied, name="王芳", relation="女儿", unit=world.township_a)
    _talent(world, "病休者", 19, unit_name="甲县财政局", available=False, unavailable_reason="病休至年底")
    for n in range(6):
        _talent(world, f"候选人{n}", 21 + 2 * n, unit_name=f"甲县第{n}局", can_lead=n == 0)

    draw = services.draw_commit(actor=world.user("office_a"), unit=world.township_a)

    excluded = {e["name"]: " ".join(e["reasons"]) for e in draw.excluded}
    assert "王芳" in excluded["有亲属者"] and "女儿" in excluded["有亲属者"]
    assert "病休至年底" in excluded["病休者"]
    assert len(draw.snapshot) == 6
    assert draw.commitment == services.lots.sha256(draw.seed)


def test_verify_draw_replays_a_draw_from_the_command_line(world, capsys, tmp_path):
    import json

    import pytest

    from xuncha.cli import main

    for n in range(7):
        _talent(world, f"候选人{n}", 41 + 2 * n, unit_name=f"甲县第{n}局", can_lead=n < 2)
    office = world.user("office_a")
    draw = services.draw_commit(actor=office, unit=world.township_a)
    with pytest.raises(SystemExit) as refused:
        main(["pool", "verify-draw", str(draw.pk)])
    assert "not drawn yet" in str(refused.value)
    draw = services.draw_run(actor=office, draw=draw, witness_words="17", expected_version=draw.version)

    with pytest.raises(SystemExit) as done:
        main(["pool", "verify-draw", str(draw.pk)])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.strip().endswith("the replay picks the recorded group.") and draw.seed in out

    # Anyone with the exported record can check it without the database; a changed record fails.
    with pytest.raises(SystemExit):
        main(["pool", "export-draw", str(draw.pk)])
    record = json.loads(capsys.readouterr().out)
    record["picked"][0], record["picked"][-1] = record["picked"][-1], record["picked"][0]
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as failed:
        main(["pool", "verify-draw", "--record", str(path)])
    assert failed.value.code == 1
    assert "FAILED: replaying the draw picks a different group" in capsys.readouterr().out
