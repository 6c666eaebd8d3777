"""The pool's pages as the office uses them, in Chinese: the list with its filters, counts and the 组长库, a member's
page with masked ID numbers and the tie check, the forms, and the scope (another county's pool does not exist)."""

from __future__ import annotations

import datetime

import pytest

from tests.pool.test_members import id_number, wrong_check_digit
from xuncha.pool import members
from xuncha.pool.models import Talent

AUDIT_MAN = id_number("19760412", 11)
FINANCE_WOMAN = id_number("19880830", 22)


@pytest.fixture
def pool(world):
    office = world.user("office_a")
    audit = members.talent_create(actor=office, committee=world.county_a, name="陈志远", id_number=AUDIT_MAN,
                                  kind="cadre", speciality="audit", rank=4, unit_name="甲县审计局", position="局长",
                                  can_lead=True, home_township=world.township_a)
    finance = members.talent_create(actor=office, committee=world.county_a, name="林晓燕", id_number=FINANCE_WOMAN,
                                    kind="accountant", speciality="finance", unit_name="某会计师事务所")
    members.relative_add(actor=office, talent=finance, name="林国强", relation="父亲",
                         id_number=id_number("19580101", 33), unit_name="甲县财政局")
    members.work_period_add(actor=office, talent=audit, unit_name="甲县城投公司", position="财务总监",
                            started_on=datetime.date(2008, 1, 1), ended_on=datetime.date(2013, 12, 31))
    other = members.talent_create(actor=world.user("office_b"), committee=world.county_b, name="乙县专家赵某",
                                  id_number=id_number("19700101", 45), kind="lawyer", speciality="law")
    return {"audit": audit, "finance": finance, "other": other}


def test_the_list_filters_counts_and_the_group_leader_pool(world, pool, client):
    client.force_login(world.user("office_a"))
    text = client.get("/pool/").content.decode()
    assert "巡察人才库" in text and "陈志远" in text and "林晓燕" in text and "乙县专家赵某" not in text
    assert '<span class="figure" id="count-total">2</span>' in text
    assert '<span class="figure" id="count-leaders">1</span>' in text
    assert "组长库" in text and "审计" in text and "副处级" in text and "在库" in text
    leaders = client.get("/pool/?leaders=1").content.decode()
    assert "陈志远" in leaders and "林晓燕" not in leaders
    finance = client.get("/pool/?speciality=finance").content.decode()
    assert "林晓燕" in finance and "陈志远" not in finance
    search = client.get("/pool/?q=审计局").content.decode()
    assert "陈志远" in search and "林晓燕" not in search
    assert "没有符合条件的人员" in client.get("/pool/?standing=removed").content.decode()
    # The menu has the pool for the office, under 巡察安排.
    assert 'href="/pool/"' in text


def test_a_members_page_masks_id_numbers_and_checks_ties(world, pool, client):
    client.force_login(world.user("office_a"))
    finance = pool["finance"]
    text = client.get(f"/pool/{finance.pk}/").content.decode()
    assert FINANCE_WOMAN not in text and id_number("19580101", 33) not in text
    assert FINANCE_WOMAN[:6] + "********" + FINANCE_WOMAN[14:] in text
    assert "林国强" in text and "父亲" in text and "会计师" in text and "女" in text
    assert "回避关系查询" in text and "参加过的巡察组" in text and "未关联平台账号" in text
    tied = client.get(f"/pool/{finance.pk}/?unit={world.dept_a.pk}&years=0").content.decode()
    assert "与甲县财政局存在1项回避关系" in tied and "其父亲林国强在甲县财政局工作" in tied
    clear = client.get(f"/pool/{finance.pk}/?unit={world.township_a.pk}").content.decode()
    assert "未发现与城关镇存在回避关系" in clear
    audit = pool["audit"]
    home = client.get(f"/pool/{audit.pk}/?unit={world.village_a.pk}").content.decode()
    assert "城关镇东关村" in home  # the village lies in the home township
    worked = client.get(f"/pool/{audit.pk}/?unit={world.soe_a.pk}&years=5").content.decode()
    assert "未发现与甲县城投公司存在回避关系" in worked  # left in 2013: outside five years
    assert "2008-01-01至2013-12-31曾在甲县城投公司工作" in client.get(
        f"/pool/{audit.pk}/?unit={world.soe_a.pk}&years=0").content.decode()


def test_another_countys_pool_does_not_exist_for_an_office(world, pool, client):
    client.force_login(world.user("office_b"))
    for url in (f"/pool/{pool['audit'].pk}/", f"/pool/{pool['audit'].pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/pool/{pool['audit'].pk}/relatives/", {"name": "某", "relation": "配偶"}).status_code == 404
    assert "陈志远" not in client.get("/pool/").content.decode()
    for name in ("leader_a", "inspector_a", "unit_a", "receiver_a"):
        client.force_login(world.user(name))
        assert client.get("/pool/").status_code == 404
        assert client.get(f"/pool/{pool['audit'].pk}/").status_code == 404
        assert 'href="/pool/"' not in client.get("/").content.decode()
    # The city's office and admin read both counties' pools.
    client.force_login(world.user("office_city"))
    text = client.get("/pool/").content.decode()
    assert "陈志远" in text and "乙县专家赵某" in text


def test_adding_a_person_through_the_form(world, client):
    client.force_login(world.user("office_a"))
    page = client.get("/pool/new/")
    assert page.status_code == 200 and "录入人才库人员" in page.content.decode()
    data = {"committee": world.county_a.pk, "name": "周文斌", "id_number": wrong_check_digit(AUDIT_MAN),
            "gender": "F", "kind": "cadre", "speciality": "discipline", "rank": "3", "unit_name": "甲县纪委监委",
            "available": "on"}
    refused = client.post("/pool/new/", data)
    text = refused.content.decode()
    assert refused.status_code == 400 and "校验码" in text and not Talent.objects.exists()
    data["id_number"] = AUDIT_MAN
    refused = client.post("/pool/new/", data)
    assert refused.status_code == 400 and "按身份证号，性别应为男" in refused.content.decode()
    data["gender"] = ""
    done = client.post("/pool/new/", data, follow=True)
    assert "周文斌 已录入人才库" in done.content.decode()
    talent = Talent.objects.get()
    assert talent.gender == "M" and talent.birth_date == datetime.date(1976, 4, 12)
    assert client.post("/pool/new/", data).status_code == 400  # the same ID number again


def test_a_stale_edit_shows_the_message_and_keeps_the_input(world, pool, client):
    client.force_login(world.user("office_a"))
    talent = pool["audit"]
    form = client.get(f"/pool/{talent.pk}/edit/").content.decode()
    assert AUDIT_MAN not in form and "留空则保留原号码" in form
    members.talent_update(actor=world.user("office_a"), talent=talent, expected_version=talent.version,
                          phone="0571-8888")
    response = client.post(f"/pool/{talent.pk}/edit/", {
        "name": "陈志远", "id_number": "", "kind": "cadre", "speciality": "audit", "rank": "5",
        "unit_name": "甲县审计局", "position": "党组书记、局长", "available": "on", "version": talent.version})
    text = response.content.decode()
    assert response.status_code == 409 and "他人已保存" in text and "党组书记、局长" in text
    talent.refresh_from_db()
    assert talent.position == "局长" and talent.phone == "0571-8888"
    saved = client.post(f"/pool/{talent.pk}/edit/", {
        "name": "陈志远", "id_number": "", "kind": "cadre", "speciality": "audit", "rank": "5",
        "unit_name": "甲县审计局", "position": "党组书记、局长", "available": "on", "version": talent.version})
    assert saved.status_code == 302
    talent.refresh_from_db()
    assert talent.position == "党组书记、局长" and talent.id_number == AUDIT_MAN and talent.rank == 5


def test_rows_are_added_and_removed_on_the_members_page(world, pool, client):
    client.force_login(world.user("office_a"))
    talent = pool["finance"]
    bad = client.post(f"/pool/{talent.pk}/relatives/", {"name": "林小宝", "relation": "儿子",
                                                        "id_number": wrong_check_digit(id_number("20100101", 55))})
    assert bad.status_code == 400 and "校验码" in bad.content.decode() and talent.relatives.count() == 1
    ok = client.post(f"/pool/{talent.pk}/declarations/", {
        "kind": "recusal_request", "unit": world.township_a.pk, "reason": "本人户籍在该镇",
        "declared_on": "2024-05-06"}, follow=True)
    assert "已登记申报" in ok.content.decode() and "本人户籍在该镇" in ok.content.decode()
    outside = client.post(f"/pool/{talent.pk}/declarations/", {
        "kind": "recusal_request", "unit": world.dept_b.pk, "reason": "x", "declared_on": "2024-05-06"})
    assert outside.status_code == 400
    relative = talent.relatives.get()
    client.post(f"/pool/{talent.pk}/relatives/remove/", {"row": relative.pk})
    assert not talent.relatives.exists()
    again = client.post(f"/pool/{talent.pk}/relatives/remove/", {"row": relative.pk}, follow=True)
    assert "该行已删除" in again.content.decode()
    unavailable = client.post(f"/pool/{talent.pk}/availability/", {"version": talent.version, "can_lead": "on"})
    assert unavailable.status_code == 400 and "请说明不可抽调的原因" in unavailable.content.decode()
    client.post(f"/pool/{talent.pk}/availability/", {"version": talent.version, "unavailable_reason": "产假"})
    talent.refresh_from_db()
    assert not talent.available and talent.unavailable_reason == "产假"
