"""The group draw pages, used as the office uses them: commit the seed, show the commitment, draw once, read who was
picked and who was excluded and why, check the replay, put the group on its inspection. Out of scope: 404."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from xuncha.core.dates import today
from xuncha.core.id_numbers import check_digit
from xuncha.core.models import AuditEvent
from xuncha.org import services as org
from xuncha.pool import draw as lots
from xuncha.pool import services
from xuncha.pool.models import Declaration, Draw, Relative, Talent, WorkPeriod
from xuncha.rounds import services as rounds
from xuncha.rounds.models import GroupMembership

# A small pool of county A for a draw on 甲县财政局: nine eligible people, five with a tie and one on sick leave.
ELIGIBLE = [
    # name, gender, born, speciality, rank, may lead, work unit, position
    ("赵立新", "M", 1972, "organisation", 5, True, "甲县县委组织部", "副部长"),
    ("钱文静", "F", 1978, "discipline", 4, True, "甲县纪委监委", "第一监督检查室主任"),
    ("陈刚", "M", 1975, "audit", 3, True, "甲县统计局", "副局长"),
    ("孙建华", "M", 1980, "audit", 3, False, "甲县审计局", "经济责任审计股股长"),
    ("李秀梅", "F", 1985, "finance", 2, False, "甲县税务局", "科员"),
    ("吴敏", "F", 1983, "personnel", 2, False, "甲县人社局", "人事股副股长"),
    ("郑浩", "M", 1987, "discipline", 2, False, "甲县纪委监委", "科员"),
    ("冯丽", "F", 1976, "law", 0, False, "甲县律师事务所", "律师"),
    ("楚云飞", "M", 1979, "other", 3, False, "甲县农业农村局", "办公室主任"),
]
TIED = {
    "褚建国": "works",      # works at 甲县财政局 now
    "卫东": "worked",       # worked there 2012–2018
    "蒋红": "relative",     # her husband works there
    "沈志远": "declared",   # asked to be recused
    "韩冰": "unavailable",  # on sick leave
}
RELATIVE_ID = "330102197501013317"


def _id_number(serial: int, gender: str, born: int) -> str:
    first17 = f"330102{born}0315{serial:02d}{1 if gender == 'M' else 2}"
    return first17 + check_digit(first17)


def build_pool(world, *, accounts: bool = False) -> dict[str, Talent]:
    """The pool above, in county A. With `accounts`, each eligible person gets an inspector account."""
    people: dict[str, Talent] = {}
    for serial, (name, gender, born, speciality, rank, lead, unit, position) in enumerate(ELIGIBLE, start=1):
        account = None
        if accounts:
            account = org.account_create(actor=None, username=f"pool_{serial}", password="x-pool-password-1",
                                         role="inspector", committee=world.county_a)
            account.display_name = name
            account.save(update_fields=["display_name"])
        people[name] = Talent.objects.create(
            committee=world.county_a, name=name, id_number=_id_number(serial, gender, born), gender=gender,
            birth_date=datetime.date(born, 3, 15), speciality=speciality, rank=rank, can_lead=lead, unit_name=unit,
            position=position, account=account)
    tied = {}
    for serial, name in enumerate(TIED, start=20):
        gender = "F" if name in ("蒋红", "韩冰") else "M"
        tied[name] = Talent.objects.create(
            committee=world.county_a, name=name, id_number=_id_number(serial, gender, 1977), gender=gender,
            birth_date=datetime.date(1977, 3, 15), speciality="finance", rank=3, can_lead=True,
            unit_name="甲县发改局", position="副局长")
    works = tied["褚建国"]
    works.unit, works.unit_name = world.dept_a, ""
    works.save()
    WorkPeriod.objects.create(talent=tied["卫东"], unit_name="甲县财政局", position="预算股股长",
                              started_on=datetime.date(2012, 1, 1), ended_on=datetime.date(2018, 6, 30))
    Relative.objects.create(talent=tied["蒋红"], name="王海", id_number=RELATIVE_ID, relation="丈夫",
                            unit=world.dept_a)
    Declaration.objects.create(talent=tied["沈志远"], kind="recusal_request", unit=world.dept_a,
                               reason="其兄在该局任副局长", declared_on=today())
    away = tied["韩冰"]
    away.available, away.unavailable_reason = False, "病休至年底"
    away.save()
    people.update(tied)
    return people


def inspection_in_preparation(world):
    """Round 2 of county A, approved, with 第三巡察组 (a placeholder leader) over 甲县财政局, in preparation."""
    round_2 = rounds.round_create(actor=None, committee=world.county_a, year=today().year, number=2, kind="regular")
    rounds.round_record_approval(actor=None, round=round_2, approved_on=today(), meeting="县委书记专题会议")
    placeholder = org.account_create(actor=None, username="t_placeholder", password="x-pool-password-1",
                                     role="inspector", committee=world.county_a)
    group = rounds.group_create(actor=None, round=round_2, name="第三巡察组", members=[(placeholder, "leader")])
    return rounds.inspection_create(actor=None, round=round_2, group=group, units=[world.dept_a])


def form_data(client, unit, inspection=None, **changes) -> dict:
    """The new-draw form as the page fills it in (its defaults), with `changes`."""
    page = client.get(reverse("web:draw_create")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = {"unit": unit.pk, "inspection": inspection.pk if inspection else "", "size": 5, "min_size": 5,
            "max_size": 7, "leader_min_rank": 3, "finance_or_audit": "on", "discipline": "on",
            "mixed_gender": "on", "distinct_units": "on", "work_years": 0, "form_token": token}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def commit(client, world, **changes) -> Draw:
    response = client.post(reverse("web:draw_create"), form_data(client, world.dept_a, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Draw.objects.latest("pk")


def run(client, draw: Draw, words: str = "三月十五日 甲县 88") -> object:
    return client.post(reverse("web:draw_run", args=[draw.pk]), {"witness_words": words, "version": draw.version})


def page(client, draw: Draw) -> str:
    response = client.get(reverse("web:draw_detail", args=[draw.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_commits_shows_the_commitment_draws_and_the_replay_checks(world, client):
    people = build_pool(world)
    office = world.user("office_a")
    client.force_login(office)

    form = client.get(reverse("web:draw_create")).content.decode()
    assert "新建抽取" in form and "巡察对象单位" in form and "组长最低职级" in form and "正科级" in form
    draw = commit(client, world)

    # Before the draw: the commitment and the digest are shown, the seed is not.
    before = page(client, draw)
    assert draw.commitment[:8] in before and draw.commitment[56:] in before
    assert draw.snapshot_digest[:8] in before
    assert draw.seed not in before
    assert "抽取公证" in before and "见证人口令" in before
    assert len(draw.snapshot) == len(ELIGIBLE)
    assert re.search(r'id="n-candidates">\s*9\s*<', before)
    # Everyone excluded is listed with every reason, in words.
    for name in TIED:
        assert name in before
    assert "现于甲县财政局工作" in before  # works there now
    assert "2012-01-01" in before and "2018-06-30" in before
    assert "丈夫" in before and "王海" in before
    assert "其兄在该局任副局长" in before
    assert "病休至年底" in before
    assert RELATIVE_ID not in before and people["赵立新"].id_number not in before
    slip = client.get(reverse("web:draw_slip", args=[draw.pk])).content.decode()
    assert draw.commitment[:8] in slip and draw.seed not in slip and "见证人（签字）" in slip

    response = run(client, draw)
    assert response.status_code == 302
    draw.refresh_from_db()
    after = page(client, draw)
    assert draw.status == "drawn" and draw.witness_words == "三月十五日 甲县 88"
    picked = Talent.objects.in_bulk([p["id"] for p in draw.picked])
    assert len(picked) == 5
    for talent in picked.values():
        assert talent.name in after
        assert talent.name not in TIED
    assert "组长" in after and "组长人选中签序最前" in after  # why the leader was picked
    assert draw.seed in after
    assert 'id="verify-ok"' in after and "重放得到同一组人员" in after
    assert f"xuncha pool verify-draw {draw.pk}" in after
    for name in TIED:
        assert name in after
    # The replay on the page is the real one.
    assert lots.verify(services.draw_record(draw)).ok
    assert lots.sha256(draw.seed) == draw.commitment
    actions = list(AuditEvent.objects.filter(object_type="pool.draw", object_id=str(draw.pk))
                   .values_list("action", flat=True).order_by("pk"))
    assert actions == ["pool.draw_commit", "pool.draw_run"]

    # The record for verification elsewhere is what `xuncha pool verify-draw --record` replays.
    record = client.get(reverse("web:draw_record_json", args=[draw.pk]))
    assert record.status_code == 200 and lots.verify(record.json()).ok

    # The list shows it, newest first.
    older = commit(client, world)
    listing = client.get(reverse("web:draw_list")).content.decode()
    assert listing.index(f"#{older.pk}") < listing.index(f"#{draw.pk}")
    assert "已抽取" in listing and "甲县财政局" in listing


def test_a_double_click_on_draw_draws_once_and_says_so(world, client):
    build_pool(world)
    client.force_login(world.user("office_a"))
    draw = commit(client, world)
    version = draw.version

    first = run(client, draw)
    second = client.post(reverse("web:draw_run", args=[draw.pk]), {"witness_words": "另一个口令", "version": version})

    assert first.status_code == 302 and second.status_code == 302
    draw.refresh_from_db()
    assert draw.witness_words == "三月十五日 甲县 88"
    assert AuditEvent.objects.filter(action="pool.draw_run", object_id=str(draw.pk)).count() == 1
    shown = client.get(second["Location"]).content.decode()
    assert "这次抽取已经进行过" in shown and "没有再次抽取" in shown
    assert draw.seed in shown


def test_a_double_click_on_commit_commits_once(world, client):
    build_pool(world)
    client.force_login(world.user("office_a"))
    data = form_data(client, world.dept_a)
    first = client.post(reverse("web:draw_create"), data)
    second = client.post(reverse("web:draw_create"), data)
    assert Draw.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert "只提交了一次" in client.get(second["Location"]).content.decode()


def test_constraints_that_cannot_be_met_are_shown_plainly(world, client):
    build_pool(world)
    client.force_login(world.user("office_a"))
    # 赵立新 is the only one in the group-leader pool of 正处级 or above: he leads whatever the lots.
    draw = commit(client, world, size=7, leader_min_rank=5, distinct_units=None)
    run(client, draw)
    draw.refresh_from_db()
    leader = [p for p in draw.picked if p["role"] == "leader"]
    assert [Talent.objects.get(pk=p["id"]).name for p in leader] == ["赵立新"]
    assert "no_leader" not in [u["code"] for u in draw.unmet]

    impossible = commit(client, world, leader_min_rank=7)
    run(client, impossible)
    shown = page(client, impossible)
    assert 'id="unmet"' in shown and "组长库中没有符合条件" in shown and "正厅级" in shown


def test_the_form_refuses_what_cannot_be_drawn(world, client):
    build_pool(world)
    client.force_login(world.user("office_a"))
    response = client.post(reverse("web:draw_create"), form_data(client, world.dept_a, size=9))
    assert response.status_code == 400 and "人" in response.content.decode()
    assert Draw.objects.count() == 0
    # 以上巡下 is arranged by the level above: a county office may not.
    response = client.post(reverse("web:draw_create"), form_data(client, world.dept_a, leader_from_above="on"))
    assert response.status_code == 400 and "只有本级巡察办可以进行此操作" in response.content.decode()
    # An inspection that does not cover the unit.
    other = inspection_in_preparation(world)
    response = client.post(reverse("web:draw_create"), form_data(client, world.soe_a, inspection=other))
    assert response.status_code == 400 and "不包括所选单位" in response.content.decode()


def test_another_county_and_other_roles_find_nothing(world, client):
    build_pool(world)
    client.force_login(world.user("office_a"))
    draw = commit(client, world)
    run(client, draw)
    urls = [reverse(f"web:{name}", args=[draw.pk]) for name in (
        "draw_detail", "draw_slip", "draw_group_docx", "draw_record_docx", "draw_record_json")]
    for who in ("office_b", "inspector_a", "leader_a", "unit_a"):
        client.force_login(world.user(who))
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
        assert client.post(reverse("web:draw_run", args=[draw.pk]), {"version": draw.version}).status_code == 404
        assert client.post(reverse("web:draw_apply", args=[draw.pk]), {"version": draw.version}).status_code == 404
    client.force_login(world.user("office_b"))
    assert "甲县财政局" not in client.get(reverse("web:draw_list")).content.decode()
    assert client.get(reverse("web:draw_create")).status_code == 200
    # The city's office sees its counties' draws.
    client.force_login(world.user("office_city"))
    assert client.get(urls[0]).status_code == 200


@pytest.mark.parametrize("who", ["inspector_a", "unit_a", "leader_a", "receiver_a"])
def test_the_draw_pages_do_not_exist_for_other_roles(world, client, who):
    client.force_login(world.user(who))
    assert client.get(reverse("web:draw_list")).status_code == 404
    assert client.get(reverse("web:draw_create")).status_code == 404


def test_the_drawn_group_is_put_on_its_inspection(world, client):
    people = build_pool(world, accounts=True)
    inspection = inspection_in_preparation(world)
    placeholder = inspection.group.memberships.get().user
    client.force_login(world.user("office_a"))
    draw = commit(client, world, inspection=inspection)
    run(client, draw)
    draw.refresh_from_db()
    shown = page(client, draw)
    assert "将抽取结果编入第三巡察组" in shown

    # Someone drawn without an account: nothing is applied, and the refusal names them.
    member = Talent.objects.get(pk=draw.picked[-1]["id"])
    account = member.account
    member.account = None
    member.save()
    assert f"以下人员尚无巡察干部账号：{member.name}" in page(client, draw)  # warned before the click
    response = client.post(reverse("web:draw_apply", args=[draw.pk]), {"version": draw.version})
    shown = client.get(response["Location"]).content.decode()
    assert "未作任何变更" in shown and member.name in shown
    assert inspection.group.memberships.count() == 1

    member.account = account
    member.save()
    response = client.post(reverse("web:draw_apply", args=[draw.pk]), {"version": draw.version})
    shown = client.get(response["Location"]).content.decode()
    memberships = {m.user_id: m for m in GroupMembership.objects.filter(group=inspection.group)}
    leader = Talent.objects.get(pk=next(p["id"] for p in draw.picked if p["role"] == "leader"))
    assert memberships[leader.account_id].role == "leader"
    assert memberships[leader.account_id].branch_role == "secretary"
    for p in draw.picked:
        assert Talent.objects.get(pk=p["id"]).account_id in memberships
    # Added, not replaced: the placeholder leader stays, as a member.
    assert memberships[placeholder.pk].role == "member" and memberships[placeholder.pk].branch_role == "member"
    assert len(memberships) == len(draw.picked) + 1
    assert "已编入第三巡察组" in shown and str(placeholder) in shown
    event = AuditEvent.objects.get(action="pool.draw_apply")
    assert event.actor == world.user("office_a") and event.after["stepped_down"] == [str(placeholder)]
    assert "抽取人员均已在组内" in shown

    # A second click changes nothing and says so.
    draw.refresh_from_db()
    response = client.post(reverse("web:draw_apply", args=[draw.pk]), {"version": draw.version})
    assert "已全部编入该巡察组" in client.get(response["Location"]).content.decode()
    stale = client.post(reverse("web:draw_apply", args=[draw.pk]), {"version": draw.version - 1})
    assert "抽取记录已有变化" in client.get(stale["Location"]).content.decode()
    assert AuditEvent.objects.filter(action="pool.draw_apply").count() == 1
    assert people  # the pool was built with accounts


def test_a_draw_without_an_inspection_offers_no_apply(world, client):
    build_pool(world)
    client.force_login(world.user("office_a"))
    draw = commit(client, world)
    run(client, draw)
    assert 'id="apply"' not in page(client, draw)
    assert client.post(reverse("web:draw_apply", args=[draw.pk]), {"version": 2}).status_code == 404
