"""The ledger pages as their users meet them: filters, scope, export, the problem form, the task workflow."""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from xuncha.core.dates import today
from xuncha.findings import services as findings_services
from xuncha.findings.models import Clue, Problem, ProblemStatus, Suggestion
from xuncha.rectification import services as rectification_services
from xuncha.rectification.models import Task, TaskStatus

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "ledger-results"}


def _text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- the problem ledger


def test_problem_filters_narrow_the_list(world, login):
    client = login(world.user("office_a"))
    url = reverse("web:problem_list")
    a1, a2, field, b1 = (world.problem_a1.description, world.problem_a2.description,
                         world.problem_a_field.description, world.problem_b1.description)

    everything = _text(client.get(url))
    assert a1 in everything and a2 in everything and field in everything
    assert b1 not in everything  # county B is not office A's

    fed_back = _text(client.get(url, {"status": "fed_back"}))
    assert a1 in fed_back and a2 in fed_back and field not in fed_back

    clues = _text(client.get(url, {"disposal": "clue"}))
    assert a2 in clues and a1 not in clues

    eight = _text(client.get(url, {"category": "eight_rules"}))
    assert a2 in eight and a1 not in eight and field not in eight

    second = _text(client.get(url, {"inspection": world.inspection_a2.pk}))
    assert field in second and a1 not in second

    township = _text(client.get(url, {"unit": world.township_a.pk}))
    assert field in township and a1 not in township

    searched = _text(client.get(url, {"q": "津补贴"}))
    assert a2 in searched and a1 not in searched

    combined = _text(client.get(url, {"round": world.round_a.pk, "status": "fed_back",
                                      "category": "strict_governance"}))
    assert a1 in combined and a2 not in combined


def test_problem_list_filters_by_htmx_return_only_the_table(world, login):
    client = login(world.user("office_a"))
    response = client.get(reverse("web:problem_list"), {"disposal": "clue"}, **HX)
    body = _text(response)
    assert response.status_code == 200
    assert "<html" not in body and "<table" in body
    assert world.problem_a2.description in body and world.problem_a1.description not in body
    # The export link in the swapped part follows the filters.
    assert "export.xlsx?disposal=clue" in body
    # Without htmx the same URL is a whole page (a bookmark or a reload).
    assert "<html" in _text(client.get(reverse("web:problem_list"), {"disposal": "clue"}))


def test_a_stale_filter_value_is_ignored_not_an_error(world, login):
    client = login(world.user("office_a"))
    response = client.get(reverse("web:problem_list"), {"round": world.round_b.pk, "status": "nonsense"})
    assert response.status_code == 200
    assert world.problem_b1.description not in _text(response)


def test_problem_list_paginates_at_fifty(world, login):
    for n in range(55):
        findings_services.problem_record(actor=None, inspection=world.inspection_a2, unit=world.township_a,
                                         description=f"批量问题第{n}号", category="work")
    client = login(world.user("office_a"))
    first = _text(client.get(reverse("web:problem_list"), {"inspection": world.inspection_a2.pk}))
    second = _text(client.get(reverse("web:problem_list"), {"inspection": world.inspection_a2.pk, "page": 2}))
    # 56 problems in this inspection: 50 on the first page, 6 on the second, none on both.
    first_ids = set(re.findall(r'href="/problems/(\d+)/"', first))
    second_ids = set(re.findall(r'href="/problems/(\d+)/"', second))
    assert len(first_ids) == 50 and len(second_ids) == 6 and not first_ids & second_ids
    assert "56" in first


# ---------------------------------------------------------------- scope


def test_unit_a_never_sees_county_b_or_the_township(world, login):
    client = login(world.user("unit_a"))
    for problem in (world.problem_b1, world.problem_a_field):
        assert client.get(reverse("web:problem_detail", args=[problem.pk])).status_code == 404
        assert client.get(reverse("web:problem_edit", args=[problem.pk])).status_code == 404
    assert client.get(reverse("web:task_detail", args=[world.task_b1.pk])).status_code == 404
    assert client.post(reverse("web:task_progress", args=[world.task_b1.pk]), {"text": "x"}).status_code == 404

    own = client.get(reverse("web:problem_detail", args=[world.problem_a1.pk]))
    assert own.status_code == 200
    assert world.clue_a1.summary not in _text(own)  # clues never reach the unit

    listing = _text(client.get(reverse("web:problem_list")))
    assert world.problem_a1.description in listing
    assert world.problem_b1.description not in listing and world.problem_a_field.description not in listing
    tasks = _text(client.get(reverse("web:task_list")))
    assert world.task_a1.measure in tasks and world.task_b1.measure not in tasks

    portal = _text(client.get(reverse("web:unit_portal")))
    assert world.problem_a1.description in portal and world.problem_b1.description not in portal

    assert client.get(reverse("web:clue_list")).status_code == 404
    assert client.get(reverse("web:clue_detail", args=[world.clue_a1.pk])).status_code == 404


def test_the_unit_is_not_told_how_its_problems_are_disposed_of(world, login):
    """problem_a2 went to the discipline commission as a clue: its unit must not be tipped off."""
    client = login(world.user("unit_a"))
    assert client.get(reverse("web:problem_detail", args=[world.problem_a2.pk])).status_code == 404
    for response in (client.get(reverse("web:problem_detail", args=[world.problem_a1.pk])),
                     client.get(reverse("web:problem_list")),
                     client.get(reverse("web:problem_list"), {"disposal": "clue"})):
        body = _text(response)
        assert world.problem_a1.description in body  # a disposal filter is not the unit's to use
        assert world.problem_a2.description not in body
        assert "处置方式" not in body and "一般性问题" not in body
    ws = _sheet(client.get(reverse("web:problem_export")))
    headers = [c.value for c in ws[3]]
    assert "处置方式" not in headers and "证据摘要" not in headers
    assert [row[headers.index("问题描述")] for row in _data_rows(ws)] == [world.problem_a1.description]
    # The office's export keeps them.
    office = _sheet(login(world.user("office_a")).get(reverse("web:problem_export")))
    assert "处置方式" in [c.value for c in office[3]]


def test_portal_is_for_units_only(world, login):
    client = login(world.user("office_a"))
    assert client.get(reverse("web:unit_portal")).status_code == 404


def test_pages_require_login(client, world):
    response = client.get(reverse("web:problem_list"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


# ---------------------------------------------------------------- export


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _data_rows(ws, header_row=3):
    return [row for row in ws.iter_rows(min_row=header_row + 1, values_only=True) if any(row)]


def test_problem_export_holds_the_filtered_rows_with_chinese_headers(world, login):
    client = login(world.user("office_a"))
    response = client.get(reverse("web:problem_export"), {"status": "fed_back"})
    assert "attachment" in response["Content-Disposition"]
    ws = _sheet(response)
    assert ws["A1"].value == "巡察发现问题台账"
    headers = [c.value for c in ws[3]]
    assert headers[:5] == ["序号", "巡察轮次", "巡察组", "被巡察单位", "问题描述"]
    assert "问题类别" in headers and "处置方式" in headers and "状态" in headers
    assert ws.freeze_panes == "A4"
    rows = _data_rows(ws)
    descriptions = {row[4] for row in rows}
    assert descriptions == {world.problem_a1.description, world.problem_a2.description}
    status_column = headers.index("状态")
    assert {row[status_column] for row in rows} == {"已反馈"}
    assert "导出日期" in ws["A2"].value and "已反馈" in ws["A2"].value


def test_task_export_is_the_check_and_close_ledger(world, login):
    client = login(world.user("office_city"))
    ws = _sheet(client.get(reverse("web:task_export")))
    headers = [c.value for c in ws[3]]
    assert headers == ["序号", "被巡察单位", "问题", "整改措施", "责任领导", "责任部门", "责任人", "完成时限",
                       "整改类型", "状态", "销号日期"]
    assert {row[3] for row in _data_rows(ws)} == {world.task_a1.measure, world.task_b1.measure}

    overdue = _data_rows(_sheet(client.get(reverse("web:task_export"), {"status": "overdue"})))
    assert [row[3] for row in overdue] == [world.task_b1.measure]


def test_task_list_shows_lights_and_filters_overdue(world, login):
    client = login(world.user("office_city"))
    everything = _text(client.get(reverse("web:task_list")))
    assert world.task_a1.measure in everything and world.task_b1.measure in everything
    overdue = _text(client.get(reverse("web:task_list"), {"status": "overdue"}))
    assert world.task_b1.measure in overdue and world.task_a1.measure not in overdue
    assert "badge-red" in overdue and "row-overdue" in overdue


# ---------------------------------------------------------------- recording and editing problems


def _create_url(world):
    return reverse("web:problem_create", args=[world.inspection_a2.pk])


def _problem_post(token: str, world, **extra) -> dict:
    data = {
        "form_token": token, "unit": world.township_a.pk, "description": "城关镇村级财务公开栏长期未更新。",
        "evidence_summary": "现场照片3张", "category": "masses", "disposal": "general",
        "found_on": world.inspection_a2.entry_on.isoformat(), "fault_kind": "", "depth": "", "cognition": "",
        "cause": "", "nature_reason": "", "key_person_names": "",
    }
    data.update(extra)
    return data


def _token(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', _text(response))
    assert match, "the form carries a one-time token"
    return match.group(1)


def test_double_submit_of_the_problem_form_creates_one_problem(world, login):
    client = login(world.user("inspector_a2"))
    token = _token(client.get(_create_url(world)))
    data = _problem_post(token, world)
    first = client.post(_create_url(world), data)
    assert first.status_code == 302
    created = Problem.objects.get(description=data["description"])
    assert first["Location"] == reverse("web:problem_detail", args=[created.pk])

    second = client.post(_create_url(world), data, follow=True)
    assert Problem.objects.filter(description=data["description"]).count() == 1
    assert second.redirect_chain[-1][0] == reverse("web:problem_detail", args=[created.pk])
    assert "已经提交过" in _text(second)


def test_problem_form_groups_categories_and_keeps_input_on_refusal(world, login):
    client = login(world.user("inspector_a2"))
    page = _text(client.get(_create_url(world)))
    for heading in ("六大纪律", "四风", "中央八项规定精神", "党的领导、党的建设、全面从严治党"):
        assert f'<optgroup label="{heading}">' in page
    token = _token(client.get(_create_url(world)))
    # A judgement of dereliction without its reason is refused; what was typed stays in the form.
    response = client.post(_create_url(world), _problem_post(token, world, fault_kind="dereliction"))
    assert response.status_code == 400
    assert "城关镇村级财务公开栏长期未更新。" in _text(response)
    assert not Problem.objects.filter(description__startswith="城关镇村级财务公开栏").exists()
    # The same token still works once the form is corrected.
    fixed = client.post(_create_url(world), _problem_post(token, world, fault_kind="dereliction",
                                                          nature_reason="多次提醒仍未整改"))
    assert fixed.status_code == 302
    assert Problem.objects.get(description__startswith="城关镇村级财务公开栏").fault_kind == "dereliction"


def test_only_the_group_office_and_admin_record_problems(world, login):
    for name in ("leader_a", "inspector_a", "unit_a", "office_b"):
        client = login(world.user(name))
        assert client.get(_create_url(world)).status_code == 404, name
    for name in ("inspector_a2", "office_a", "admin"):
        client = login(world.user(name))
        assert client.get(_create_url(world)).status_code == 200, name


def test_stale_edit_is_refused_with_the_input_kept(world, login):
    client = login(world.user("office_a"))
    problem = world.problem_a1
    page = _text(client.get(reverse("web:problem_edit", args=[problem.pk])))
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    # Someone else saves first.
    findings_services.problem_update(actor=world.user("inspector_a"), problem=problem, expected_version=version,
                                     evidence_summary="他人补充的证据")
    mine = "党组会议研究党风廉政建设仅1次，且无会议记录（我的修改）。"
    response = client.post(reverse("web:problem_edit", args=[problem.pk]), {
        "version": version, "description": mine, "evidence_summary": "", "category": "strict_governance",
        "disposal": "general", "key_person": "on", "key_person_names": "", "fault_kind": "", "depth": "",
        "cognition": "", "cause": "", "nature_reason": "",
    })
    assert response.status_code == 409
    body = _text(response)
    assert mine in body
    assert "其他人" in body or "他人" in body or "已被" in body  # the StaleWrite message, in Chinese
    problem.refresh_from_db()
    assert problem.description != mine and problem.evidence_summary == "他人补充的证据"


def test_edit_with_the_current_version_saves(world, login):
    client = login(world.user("office_a"))
    problem = world.problem_a2
    response = client.post(reverse("web:problem_edit", args=[problem.pk]), {
        "version": problem.version, "description": "违规发放津补贴3.2万元（已核实）。", "evidence_summary": "",
        "category": "eight_rules", "disposal": "clue", "key_person_names": "", "fault_kind": "", "depth": "",
        "cognition": "", "cause": "", "nature_reason": "",
    })
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.description == "违规发放津补贴3.2万元（已核实）。"


# ---------------------------------------------------------------- rectification through the pages


def test_task_workflow_through_the_pages(world, login):
    task, problem = world.task_a1, world.problem_a1
    unit = login(world.user("unit_a"))
    r = unit.post(reverse("web:task_progress", args=[task.pk]), {"text": "已制定年度计划，经党组会审议通过。"})
    assert r.status_code == 302
    task.refresh_from_db()
    problem.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and problem.status == ProblemStatus.RECTIFYING

    r = unit.post(reverse("web:task_submit", args=[task.pk]), {"text": "请对账", "version": task.version})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING_REVIEW

    # The unit cannot close its own task: the page shows the service's refusal and nothing moves.
    refused = unit.post(reverse("web:task_close", args=[task.pk]), {"note": "自行销号", "version": task.version})
    assert refused.status_code == 400
    assert "无权" in _text(refused)
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING_REVIEW

    office = login(world.user("office_a"))
    page = _text(office.get(reverse("web:task_detail", args=[task.pk])))
    assert reverse("web:task_close", args=[task.pk]) in page and reverse("web:task_return", args=[task.pk]) in page
    r = office.post(reverse("web:task_close", args=[task.pk]), {"note": "资料齐全，予以销号", "version": task.version})
    assert r.status_code == 302
    task.refresh_from_db()
    problem.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    assert problem.status == ProblemStatus.RECTIFIED  # its only task is closed


def test_problem_stays_open_until_all_its_tasks_are_closed(world, login):
    from xuncha.rectification import services as rectification

    second = rectification.task_create(actor=None, problem=world.problem_a1, measure="建立党风廉政建设责任清单",
                                       responsible_leader="王建国", responsible_department="办公室",
                                       responsible_person="张敏", kind="long_term")
    unit = login(world.user("unit_a"))
    for task in (world.task_a1, second):
        unit.post(reverse("web:task_progress", args=[task.pk]), {"text": "已完成"})
        task.refresh_from_db()
        unit.post(reverse("web:task_submit", args=[task.pk]), {"version": task.version})
    office = login(world.user("office_a"))
    task = Task.objects.get(pk=world.task_a1.pk)
    office.post(reverse("web:task_close", args=[task.pk]), {"version": task.version, "note": "现场核验"})
    assert Problem.objects.get(pk=world.problem_a1.pk).status == ProblemStatus.RECTIFYING
    second.refresh_from_db()
    office.post(reverse("web:task_close", args=[second.pk]), {"version": second.version, "note": "现场核验"})
    assert Problem.objects.get(pk=world.problem_a1.pk).status == ProblemStatus.RECTIFIED


def test_office_returns_a_task_with_reasons(world, login):
    task = world.task_a1
    unit = login(world.user("unit_a"))
    unit.post(reverse("web:task_progress", args=[task.pk]), {"text": "已完成"})
    task.refresh_from_db()
    unit.post(reverse("web:task_submit", args=[task.pk]), {"version": task.version})
    task.refresh_from_db()
    office = login(world.user("office_a"))
    empty = office.post(reverse("web:task_return", args=[task.pk]), {"reason": "", "version": task.version})
    assert empty.status_code == 400
    office.post(reverse("web:task_return", args=[task.pk]), {"reason": "缺少会议记录", "version": task.version})
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.review_note == "缺少会议记录"
    assert "缺少会议记录" in _text(login(world.user("unit_a")).get(reverse("web:task_detail", args=[task.pk])))


def test_unit_adds_a_task_to_a_problem_without_one(world, login):
    client = login(world.user("unit_a"))
    # problem_a2 was first sorted as a clue (hidden from the unit); the group re-sorts it as a general problem.
    problem = findings_services.problem_update(actor=None, problem=world.problem_a2, expected_version=None,
                                               disposal="general")
    # The plan was accepted without it: the office returns the plan so the unit can add the task.
    assert reverse("web:task_create", args=[problem.pk]) not in _text(client.get(reverse("web:unit_portal")))
    rectification_services.plan_return(actor=world.user("office_a"), plan=world.task_a1.plan,
                                       comment="补充津补贴问题的整改措施。")
    portal = _text(client.get(reverse("web:unit_portal")))
    assert reverse("web:task_create", args=[problem.pk]) in portal
    response = client.post(reverse("web:task_create", args=[problem.pk]), {
        "measure": "清退违规发放的津补贴", "responsible_leader": "王建国", "responsible_department": "财务科",
        "responsible_person": "李红", "kind": "time_limited", "deadline": "",
        "next": reverse("web:unit_portal"),
    })
    assert response.status_code == 400  # a time-limited task needs its deadline
    assert "清退违规发放的津补贴" in _text(response)
    response = client.post(reverse("web:task_create", args=[problem.pk]), {
        "measure": "清退违规发放的津补贴", "responsible_leader": "王建国", "responsible_department": "财务科",
        "responsible_person": "李红", "kind": "long_term", "deadline": "", "next": reverse("web:unit_portal"),
    })
    assert response.status_code == 302 and response["Location"] == reverse("web:unit_portal")
    assert problem.tasks.get().measure == "清退违规发放的津补贴"
    # Another unit cannot plan it.
    other = login(world.user("unit_b"))
    assert other.get(reverse("web:task_create", args=[problem.pk])).status_code == 404


def test_portal_progress_inline_with_htmx(world, login):
    client = login(world.user("unit_a"))
    task = world.task_a1
    response = client.post(reverse("web:task_progress", args=[task.pk]), {"text": "已起草计划"},
                           HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"task-{task.pk}")
    assert response.status_code == 200
    body = _text(response)
    assert "<html" not in body and f'id="task-{task.pk}"' in body
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.notes.filter(text="已起草计划").exists()


def test_unit_completes_its_suggestion_from_the_portal(world, login):
    client = login(world.user("unit_a"))
    suggestion = world.suggestion_a1
    portal = _text(client.get(reverse("web:unit_portal")))
    assert suggestion.text in portal and world.suggestion_b1.text not in portal
    response = client.post(reverse("web:suggestion_complete", args=[suggestion.pk]),
                           {"note": "已印发《财政资金拨付内控制度》", "version": suggestion.version},
                           HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"suggestion-{suggestion.pk}")
    assert response.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.COMPLETED
    # unit_b cannot reach unit A's suggestion at all.
    other = login(world.user("unit_b"))
    assert other.post(reverse("web:suggestion_complete", args=[suggestion.pk]), {"note": "x"}).status_code == 404


# ---------------------------------------------------------------- clues


def test_clue_list_and_disposal_by_the_receiving_organ(world, login):
    office = login(world.user("office_a"))
    listing = _text(office.get(reverse("web:clue_list")))
    assert world.clue_a1.summary in listing and world.clue_b1.summary not in listing
    # The office reads the clue but does not dispose of it.
    detail = _text(office.get(reverse("web:clue_detail", args=[world.clue_a1.pk])))
    assert reverse("web:clue_dispose", args=[world.clue_a1.pk]) not in detail
    refused = office.post(reverse("web:clue_dispose", args=[world.clue_a1.pk]),
                          {"disposal": "talk_inquiry", "on_date": world.clue_a1.handed_over_on.isoformat()})
    assert refused.status_code == 400

    assert login(world.user("receiver_b")).get(reverse("web:clue_detail", args=[world.clue_a1.pk])).status_code == 404
    receiver = login(world.user("receiver_a"))
    page = _text(receiver.get(reverse("web:clue_detail", args=[world.clue_a1.pk])))
    for label in ("谈话函询", "初步核实", "暂存待查", "予以了结"):
        assert label in page
    response = receiver.post(reverse("web:clue_dispose", args=[world.clue_a1.pk]), {
        "disposal": "preliminary_check", "on_date": world.clue_a1.handed_over_on.isoformat(), "note": "已立项初核",
        "version": world.clue_a1.version,
    })
    assert response.status_code == 302
    world.clue_a1.refresh_from_db()
    assert world.clue_a1.disposal == "preliminary_check"


def test_clues_waiting_over_three_months_are_flagged(world, login):
    client = login(world.user("office_city"))
    # Both clues were handed over 90 days ago: not yet past the 3-month answer period.
    assert "badge-red" not in _text(client.get(reverse("web:clue_list")))
    assert world.clue_b1.summary not in _text(client.get(reverse("web:clue_list"), {"state": "overdue"}))

    Clue.objects.filter(pk=world.clue_b1.pk).update(handed_over_on=today() - datetime.timedelta(days=100))
    overdue = _text(client.get(reverse("web:clue_list"), {"state": "overdue"}))
    assert world.clue_b1.summary in overdue and world.clue_a1.summary not in overdue
    assert "超3个月未处置" in overdue
    assert "100天" in _text(client.get(reverse("web:clue_detail", args=[world.clue_b1.pk])))
