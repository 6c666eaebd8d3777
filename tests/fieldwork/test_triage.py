"""昼巡夜结: items arrive on the group's board, are sorted once, and each outcome makes its record downstream.

The world's inspection_a2 (第二巡察组, inspector_a2, over 城关镇 and 东关村) is in 进驻; office_a reads its board.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from tests.office import compact, docx_paragraphs, pdf_text
from xuncha.core.dates import today
from xuncha.core.errors import StaleWrite, TransitionRefused, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.fieldwork import selectors, services, triage
from xuncha.fieldwork.models import TriageItem
from xuncha.fieldwork.triage_documents import bulletin_docx, immediate_notice_docx, progress_report_docx
from xuncha.findings.models import Clue, Problem
from xuncha.findings.selectors import clue_list, problem_list
from xuncha.rectification import services as rectification
from xuncha.rectification.selectors import task_list
from xuncha.reports import registry
from xuncha.reports.models import Report, ReportStatus
from xuncha.reports.services import report_submit
from xuncha.rounds import services as rounds

pytestmark = pytest.mark.django_db

ADVERT = ("本站提供注册、登录、开户、咨询、APP下载等服务。平台拥有合法营业牌照,正规经营,公平公正,"
          "24小时在线客服随时为你服务。")
WATER = "东关村自来水管道破裂半个月了没人修，全村老人孩子只能去井里挑水，请巡察组督促解决。我的电话13912345678。"
REPORTER = {"name": "王小明", "phone": "13900001111", "id_number": ""}


def _enter(world, summary="调阅资料发现城关镇2025年惠民资金发放台账缺失12户签收记录。", *, found_on=None,
           source="records", unit=None):
    return triage.triage_enter(actor=world.user("inspector_a2"), inspection=world.inspection_a2, source=source,
                               summary=summary, found_on=found_on or today(), unit=unit or world.township_a)


def _sort(world, item, outcome, actor="inspector_a2", **kwargs):
    item.refresh_from_db()
    kwargs.setdefault("category", "masses")
    return triage.triage_sort(actor=world.user(actor) if actor else None, item=item, outcome=outcome,
                              expected_version=item.version, **kwargs)


def _immediate(world, item=None, **kwargs):
    item = item or _enter(world, "东关村村道塌方无人修复，群众出行困难。", source="visit", unit=world.village_a)
    kwargs.setdefault("requirement", "立即组织人员修复东关村村道塌方路段，设置警示标志。")
    kwargs.setdefault("due_on", today() + datetime.timedelta(days=5))
    kwargs.setdefault("description", "东关村村道塌方两周无人修复，群众出行困难。")
    return _sort(world, item, "immediate", **kwargs)


def _close(world, task):
    office = world.user("office_a")
    rectification.task_report_progress(actor=office, task=task, text="巡察组现场核实：村道已修复，警示标志已设置。")
    task = rectification.task_submit_for_review(actor=office, task=task)
    return rectification.task_close(actor=office, task=task, note="现场核实整改到位。")


# ---------------------------------------------------------------- items arrive by themselves

def test_a_citizens_report_arrives_as_an_item_without_identity_and_sorting_marks_it_sorted(world):
    report, _code = report_submit(inspection=world.inspection_a2, content=WATER, concerns_unit=world.village_a,
                                  anonymous=False, identity=REPORTER)
    item = TriageItem.objects.get(report=report)
    assert item.source == "report" and item.unit == world.village_a and item.found_on == report.received_on
    assert item.outcome == "" and "自来水管道破裂" in item.summary
    assert "13912345678" not in item.summary and "王小明" not in item.summary and "13900001111" not in item.summary
    assert len(item.summary) <= triage.SUMMARY_CHARS

    item = _sort(world, item, "general", description="东关村自来水管道破裂半月未修复。")
    report.refresh_from_db()
    assert report.status == ReportStatus.SORTED
    assert AuditEvent.objects.filter(action="report.sort", object_id=str(report.pk)).exists()
    assert item.problem.disposal == "general" and item.problem.unit == world.village_a


def test_spam_gets_no_item_until_it_is_rescued(world):
    report, _code = report_submit(inspection=world.inspection_a2, content=ADVERT)
    assert report.status == ReportStatus.SPAM
    assert not TriageItem.objects.filter(report=report).exists()
    registry.report_sort(actor=world.user("inspector_a2"), report=report, status=ReportStatus.RECEIVED)
    assert TriageItem.objects.filter(report=report, outcome="").exists()


def test_a_registered_letter_arrives_with_who_registered_it(world):
    report = registry.report_register(actor=world.user("office_a"), inspection=world.inspection_a2, channel="letter",
                                      content="来信反映城关镇敬老院伙食费被挪用。", received_on=today(),
                                      concerns_unit=world.township_a)
    item = TriageItem.objects.get(report=report)
    assert item.entered_by == world.user("office_a") and item.unit == world.township_a


def test_reports_after_fieldwork_stay_in_the_registry(world):
    report = Report.objects.create(inspection=world.inspection_a1, content="整改阶段收到的来信。", received_on=today())
    assert report.status == ReportStatus.RECEIVED
    assert not TriageItem.objects.filter(report=report).exists()


def test_a_talk_with_findings_arrives_and_one_without_does_not(world):
    def talk(findings):
        planned = services.talk_plan(actor=world.user("inspector_a2"), inspection=world.inspection_a2,
                                     unit=world.township_a, interviewee="李干部", planned_on=today())
        return services.talk_record(actor=world.user("inspector_a2"), talk=planned, held_on=today(),
                                    record="谈话记录：介绍了本人分管工作情况。", findings=findings,
                                    expected_version=planned.version)

    found = talk("镇财政所惠民资金先发放后公示。")
    item = TriageItem.objects.get(talk=found)
    assert item.source == "talk" and item.unit == world.township_a and item.found_on == today()
    assert item.summary == "镇财政所惠民资金先发放后公示。"
    assert not TriageItem.objects.filter(talk=talk("")).exists()
    # The audit trail keeps that an item arrived, never what the talk found.
    everything = str([(e.before, e.after, e.object_repr) for e in AuditEvent.objects.all()])
    assert "先发放后公示" not in everything


def test_a_report_passed_on_in_the_registry_is_sorted_on_the_board_too(world):
    report = registry.report_register(actor=world.user("inspector_a2"), inspection=world.inspection_a2,
                                      channel="visit", content="来访反映与邻居的宅基地纠纷，已起诉到法院。",
                                      received_on=today())
    registry.report_forward(actor=world.user("inspector_a2"), report=report, forwarded_to="甲县人民法院",
                            on_date=today(), note="属于诉讼事项")
    item = TriageItem.objects.get(report=report)
    assert item.outcome == "forward" and item.forwarded_to == "甲县人民法院" and item.sorted_on == today()


# ---------------------------------------------------------------- each outcome and what it makes

def test_immediate_records_the_problem_the_task_and_the_numbered_notice(world):
    item = _immediate(world)
    problem, task = item.problem, item.task
    assert problem.disposal == "immediate" and problem.status == "recorded" and problem.unit == world.village_a
    assert task.problem == problem and task.kind == "immediate" and task.plan is None and task.status == "open"
    assert task.deadline == item.notice_due_on == today() + datetime.timedelta(days=5)
    assert task.measure.startswith("立即组织人员修复")
    assert item.notice_number == 1 and item.sorted_by == world.user("inspector_a2")
    second = _immediate(world, requirement="立即清理东关村垃圾堆放点。")
    assert second.notice_number == 2
    # The group and the office follow the task on the rectification ledger.
    for name in ("inspector_a2", "office_a"):
        assert task_list(viewer=world.user(name)).filter(pk=task.pk).exists(), name
    event = AuditEvent.objects.get(action="triage.sort", object_id=str(item.pk))
    assert event.actor == world.user("inspector_a2") and event.after["task"] == task.pk


def test_immediate_needs_a_deadline_within_fieldwork_and_what_to_put_right(world):
    item = _enter(world)
    with pytest.raises(ValidationFailed) as late:
        _sort(world, item, "immediate", requirement="补齐签收记录", due_on=today() + datetime.timedelta(days=40))
    assert late.value.field == "due_on"
    with pytest.raises(ValidationFailed) as missing:
        _sort(world, item, "immediate", requirement="", due_on=today())
    assert missing.value.field == "requirement"
    assert not Problem.objects.filter(inspection=world.inspection_a2, disposal="immediate").exists()


def test_clue_is_handed_over_to_the_chosen_organ_and_linked(world):
    item = _enter(world, "调阅资料发现东关村会计将集体工程发包给其亲属。", unit=world.village_a)
    item = _sort(world, item, "clue", category="integrity", organ=world.organ_a, persons_involved="东关村会计")
    clue = item.clue
    assert clue.organ == world.organ_a and clue.problem == item.problem and clue.handed_over_on == today()
    assert item.problem.disposal == "clue" and not clue.top_secret
    assert clue_list(viewer=world.user("receiver_a")).filter(pk=clue.pk).exists()
    assert not clue_list(viewer=world.user("receiver_b")).filter(pk=clue.pk).exists()


def test_general_goes_into_the_problem_list(world):
    item = _sort(world, _enter(world), "general", category="work")
    assert problem_list(viewer=world.user("office_a"), inspection_id=world.inspection_a2.pk,
                        disposal="general").filter(pk=item.problem_id).exists()
    assert item.task is None and item.clue is None and item.notice_number is None


def test_forward_of_a_report_goes_through_the_registry(world):
    report = registry.report_register(actor=world.user("inspector_a2"), inspection=world.inspection_a2,
                                      channel="phone", content="来电反映个人劳动合同纠纷。", received_on=today())
    item = TriageItem.objects.get(report=report)
    with pytest.raises(ValidationFailed) as no_reason:
        _sort(world, item, "forward", forwarded_to="甲县人社局")
    assert no_reason.value.field == "reason"
    item = _sort(world, item, "forward", forwarded_to="甲县人社局", reason="劳动争议，不属于巡察受理范围")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED and report.forwarded_to == "甲县人社局"
    assert report.forward_note == "劳动争议，不属于巡察受理范围"
    assert item.forwarded_to == "甲县人社局" and item.problem is None


def test_forward_of_a_hand_entered_item_keeps_the_recipient_and_reason(world):
    item = _sort(world, _enter(world, "走访中群众反映个人医保报销问题。", source="visit"), "forward",
                 forwarded_to="甲县医保局", reason="个人诉求，转职能部门办理")
    assert item.outcome == "forward" and item.forwarded_to == "甲县医保局" and item.reason.startswith("个人诉求")


def test_archive_needs_a_reason_and_files_the_report(world):
    report, _code = report_submit(inspection=world.inspection_a2,
                                  content="反映的情况已经在上次巡察中处理过了，再次说明。")
    item = TriageItem.objects.get(report=report)
    with pytest.raises(ValidationFailed):
        _sort(world, item, "archive")
    _sort(world, item, "archive", reason="重复反映，已有处理结果")
    report.refresh_from_db()
    assert report.status == ReportStatus.ARCHIVED


# ---------------------------------------------------------------- once, and by the group only

def test_an_item_is_sorted_once(world):
    item = _sort(world, _enter(world), "general")
    with pytest.raises(TransitionRefused) as again:
        triage.triage_sort(actor=world.user("inspector_a2"), item=item, outcome="archive", reason="再次分办",
                           expected_version=item.version)
    assert "只分办一次" in str(again.value.message) or "only once" in str(again.value.message)
    assert Problem.objects.filter(pk=item.problem_id).count() == 1
    item.refresh_from_db()
    assert item.outcome == "general"


def test_a_stale_version_is_refused(world):
    item = _enter(world)
    loaded = item.version
    TriageItem.objects.filter(pk=item.pk).update(version=loaded + 1)  # someone else saved it meanwhile
    with pytest.raises(StaleWrite):
        triage.triage_sort(actor=world.user("inspector_a2"), item=item, outcome="general", category="work",
                           expected_version=loaded)
    assert not TriageItem.objects.get(pk=item.pk).outcome


@pytest.mark.parametrize("name", ["office_a", "inspector_a", "leader_a", "unit_a2"])
def test_only_the_group_enters_and_sorts(world, name):
    item = _enter(world)
    with pytest.raises(ValidationFailed):
        _sort(world, item, "general", actor=name)
    with pytest.raises(ValidationFailed):
        triage.triage_enter(actor=world.user(name), inspection=world.inspection_a2, source="records",
                            summary="某事项", found_on=today())


def test_the_admin_sorts_too(world):
    assert _sort(world, _enter(world), "general", actor="admin").outcome == "general"


def test_readers_of_the_board_are_the_readers_of_talks(world):
    item = _enter(world)
    for name in ("inspector_a2", "office_a", "office_city", "admin"):
        assert selectors.triage_item_list(viewer=world.user(name)).filter(pk=item.pk).exists(), name
    for name in ("inspector_a", "inspector_b", "office_b", "leader_a", "unit_a2", "receiver_a"):
        assert not selectors.triage_item_list(viewer=world.user(name)).exists(), name


# ---------------------------------------------------------------- the pages

def _text(response) -> str:
    return response.content.decode()


def test_group_enters_and_sorts_on_the_board_and_sees_what_it_became(world, login):
    client = login(world.user("inspector_a2"))
    board = reverse("web:triage_board", args=[world.inspection_a2.pk])
    page = client.get(board)
    assert page.status_code == 200 and "昼巡夜结" in _text(page)
    token = page.context["enter_form"]["form_token"].value()
    response = client.post(reverse("web:triage_enter", args=[world.inspection_a2.pk]), {
        "source": "visit", "unit": world.village_a.pk, "found_on": today().isoformat(), "form_token": token,
        "summary": "走访发现东关村路灯大面积损坏，夜间出行不便。"})
    assert response.status_code == 302
    item = TriageItem.objects.get(summary__startswith="走访发现东关村路灯")
    assert item.entered_by == world.user("inspector_a2")
    again = client.post(reverse("web:triage_enter", args=[world.inspection_a2.pk]), {
        "source": "visit", "unit": world.village_a.pk, "found_on": today().isoformat(), "form_token": token,
        "summary": "走访发现东关村路灯大面积损坏，夜间出行不便。"})
    assert again.status_code == 302 and TriageItem.objects.filter(summary__startswith="走访发现东关村路灯").count() == 1

    prefix = f"item-{item.pk}"
    refused = client.post(reverse("web:triage_sort", args=[item.pk]), {
        f"{prefix}-outcome": "immediate", f"{prefix}-unit": world.village_a.pk, f"{prefix}-category": "masses",
        f"{prefix}-description": "东关村路灯大面积损坏。", f"{prefix}-requirement": "",
        f"{prefix}-due_on": today().isoformat(), f"{prefix}-version": item.version})
    assert refused.status_code == 400 and "请写明单位须立即整改的事项" in _text(refused)
    response = client.post(reverse("web:triage_sort", args=[item.pk]), {
        f"{prefix}-outcome": "immediate", f"{prefix}-unit": world.village_a.pk, f"{prefix}-category": "masses",
        f"{prefix}-description": "东关村路灯大面积损坏。", f"{prefix}-requirement": "三日内修复村内损坏路灯。",
        f"{prefix}-due_on": (today() + datetime.timedelta(days=3)).isoformat(), f"{prefix}-version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "immediate" and item.task is not None
    body = _text(client.get(board))
    assert reverse("web:triage_notice_docx", args=[item.pk]) in body
    assert reverse("web:task_detail", args=[item.task_id]) in body
    assert reverse("web:problem_detail", args=[item.problem_id]) in body
    assert "立行立改" in body and "挂账" in body  # the outcome, and the task's status
    notice = client.get(reverse("web:triage_notice_docx", args=[item.pk]))
    assert notice.status_code == 200 and notice["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_item_left_overnight_is_marked_and_waits_first(world, login):
    fresh = _enter(world, "今天发现的事项。")
    old = _enter(world, "前天发现、还没有分办的事项。", found_on=today() - datetime.timedelta(days=2))
    body = _text(login(world.user("office_a")).get(reverse("web:triage_board", args=[world.inspection_a2.pk])))
    assert body.index(f'id="item-{old.pk}"') < body.index(f'id="item-{fresh.pk}"')
    assert body.count("隔夜未结") >= 1 and "已等待 2 天" in body and "当天发现" in body
    assert selectors.triage_overnight(old) and not selectors.triage_overnight(fresh)


def test_the_office_reads_the_board_but_does_not_sort(world, login):
    item = _enter(world)
    client = login(world.user("office_a"))
    body = _text(client.get(reverse("web:triage_board", args=[world.inspection_a2.pk])))
    assert "调阅资料发现城关镇" in body and reverse("web:triage_sort", args=[item.pk]) not in body
    assert client.post(reverse("web:triage_sort", args=[item.pk]), {}).status_code == 404
    assert client.post(reverse("web:triage_enter", args=[world.inspection_a2.pk]), {}).status_code == 404


@pytest.mark.parametrize("name", ["inspector_a", "leader_a", "unit_a2", "receiver_a", "office_b"])
def test_everyone_else_finds_no_board(world, login, name):
    item = _sort(world, _enter(world), "immediate", requirement="补齐签收记录", due_on=today())
    client = login(world.user(name))
    for url in (reverse("web:triage_board", args=[world.inspection_a2.pk]),
                reverse("web:triage_notice_docx", args=[item.pk]),
                reverse("web:triage_report_docx", args=[world.inspection_a2.pk]),
                reverse("web:triage_bulletin_docx", args=[world.inspection_a2.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("web:triage_sort", args=[item.pk]), {}).status_code == 404
    assert "调阅资料发现城关镇" not in _text(client.get(reverse("web:triage_list")))


def test_a_top_secret_clue_is_only_a_line_for_those_not_named_on_it(world, login):
    from xuncha.org import services as org

    org.cadre_add(actor=None, unit=world.township_a, name="刘镇长", position="镇党委书记", is_principal=True)
    item = _sort(world, _enter(world, "调阅资料发现镇党委书记刘镇长插手工程发包。"), "clue", category="integrity",
                 organ=world.organ_a, persons_involved="刘镇长", description="镇党委书记刘镇长插手工程发包。")
    assert item.clue.top_secret  # it names the unit's 一把手
    office = _text(login(world.user("office_a")).get(reverse("web:triage_board", args=[world.inspection_a2.pk])))
    assert "刘镇长插手" not in office and "高密" in office
    group = _text(login(world.user("inspector_a2")).get(reverse("web:triage_board",
                                                                  args=[world.inspection_a2.pk])))
    assert "刘镇长插手" in group  # the one who handed it over is named on it
    event = AuditEvent.objects.get(action="triage.sort", object_id=str(item.pk))
    assert "刘镇长" not in json.dumps([event.before, event.after, event.object_repr], ensure_ascii=False)


# ---------------------------------------------------------------- leaving 进驻

def test_fieldwork_cannot_end_with_an_open_immediate_task_and_the_board_says_so(world, login):
    item = _immediate(world)
    client = login(world.user("office_a"))
    board = reverse("web:triage_board", args=[world.inspection_a2.pk])
    assert "1 项立行立改任务尚未销号" in _text(client.get(board))
    with pytest.raises(TransitionRefused):
        rounds.inspection_advance(actor=world.user("office_a"), inspection=world.inspection_a2, to_stage="report")

    _close(world, item.task)
    body = _text(client.get(board))
    assert "项立行立改任务尚未销号" not in body and "已销号" in body
    rounds.inspection_advance(actor=world.user("office_a"), inspection=world.inspection_a2, to_stage="report")
    late = TriageItem.objects.create(inspection=world.inspection_a2, source="other", summary="遗留事项",
                                     found_on=today())
    group = login(world.user("inspector_a2"))
    body = _text(group.get(board))
    assert "看板只读" in body and reverse("web:triage_sort", args=[late.pk]) not in body
    with pytest.raises(TransitionRefused):
        _sort(world, late, "general")
    assert group.post(reverse("web:triage_sort", args=[late.pk]), {
        f"item-{late.pk}-outcome": "archive", f"item-{late.pk}-reason": "无需处理",
        f"item-{late.pk}-version": late.version}).status_code == 400


def test_an_item_put_right_during_fieldwork_is_rectified_once_fed_back(world):
    item = _immediate(world)
    task = _close(world, item.task)
    assert task.status == "closed"
    item.problem.refresh_from_db()
    assert item.problem.status == "recorded"  # not fed back yet: the unit learns of its problems at feedback
    inspection = world.inspection_a2
    for stage in ("report", "feedback", "rectify"):
        inspection = rounds.inspection_advance(actor=world.user("office_a"), inspection=inspection, to_stage=stage)
    item.problem.refresh_from_db()
    assert item.problem.status == "rectified" and item.problem.rectified_on == today()


# ---------------------------------------------------------------- the documents, as LibreOffice prints them

def test_the_notice_tells_the_unit_what_by_when_and_how_to_report_back(world):
    world.inspection_a2.report_phone = "0571-12345678"
    world.inspection_a2.save()
    report, _code = report_submit(inspection=world.inspection_a2, content=WATER, concerns_unit=world.village_a,
                                  anonymous=False, identity=REPORTER)
    item = _immediate(world, TriageItem.objects.get(report=report), description="东关村自来水管道破裂半月未修复。",
                      requirement="立即抢修东关村自来水管道，恢复正常供水。")
    text = compact(pdf_text(immediate_notice_docx(item=item), ".docx"))
    assert "立行立改通知书" in text and "第二巡察组立改〔" in text and "1号" in text
    assert "东关村党支部" in text  # to the unit's party organisation
    assert "东关村自来水管道破裂半月未修复" in text and "立即抢修东关村自来水管道" in text
    due = item.notice_due_on
    assert f"{due.year}年{due.month}月{due.day}日前整改到位" in text and "书面报送第二巡察组" in text
    assert "0571-12345678" in text
    assert "王小明" not in text and "13900001111" not in text and "13912345678" not in text


def test_the_report_to_the_leading_group_counts_and_never_shows_a_top_secret_clue(world):
    from xuncha.org import services as org

    org.cadre_add(actor=None, unit=world.township_a, name="刘镇长", position="镇党委书记", is_principal=True)
    report, _code = report_submit(inspection=world.inspection_a2, content=WATER, concerns_unit=world.village_a,
                                  anonymous=False, identity=REPORTER)
    closed = _immediate(world, TriageItem.objects.get(report=report), requirement="立即抢修东关村自来水管道。")
    _close(world, closed.task)
    _immediate(world, requirement="立即修复东关村村道塌方路段。")
    _sort(world, _enter(world, "会计亲属承揽工程。", unit=world.village_a), "clue", category="integrity",
          organ=world.organ_a, description="东关村会计亲属承揽村集体工程。")
    _sort(world, _enter(world, "刘镇长插手工程。"), "clue", category="integrity", organ=world.organ_a,
          persons_involved="刘镇长", description="镇党委书记刘镇长插手工程发包。")
    _sort(world, _enter(world, "惠民资金台账缺失。"), "general", description="城关镇惠民资金发放台账不完整。")
    _sort(world, _enter(world, "个人医保报销问题。", source="visit"), "forward", forwarded_to="甲县医保局",
          reason="个人诉求")
    _enter(world, "尚未分办的事项。", found_on=today() - datetime.timedelta(days=1))
    period = selectors.triage_period(inspection=world.inspection_a2, start=today() - datetime.timedelta(days=1),
                                     end=today())
    assert period.counts["immediate"] == 2 and period.counts["clue"] == 2 and period.secret_clues == 1
    text = compact(pdf_text(progress_report_docx(period=period), ".docx"))
    assert "巡察工作领导小组" in text and "共梳理发现问题7个" in text
    assert "立行立改2个" in text and "问题线索2个" in text and "一般性问题1个" in text and "转交有关部门1个" in text
    assert "隔夜未结1个" in text
    assert "下发立行立改通知书2份" in text and "已整改到位1项" in text
    assert "移交问题线索2件" in text and "另有高密线索1件" in text and "甲县纪委监委案件监督管理室" in text
    assert "城关镇惠民资金发放台账不完整" in text and "甲县医保局" in text
    for secret in ("刘镇长", "插手工程", "王小明", "13900001111", "13912345678", "自来水管道破裂半个月了没人修"):
        assert secret not in text, secret


def test_the_bulletin_tells_what_was_put_right_without_reporter_or_clue(world):
    from xuncha.org import services as org

    org.cadre_add(actor=None, unit=world.village_a, name="赵支书", position="村党支部书记", is_principal=True)
    report, _code = report_submit(inspection=world.inspection_a2, content=WATER, concerns_unit=world.village_a,
                                  anonymous=False, identity=REPORTER)
    closed = _immediate(world, TriageItem.objects.get(report=report), description="东关村自来水管道破裂半月未修复。",
                        requirement="由赵支书牵头立即抢修自来水管道。")
    _close(world, closed.task)
    _immediate(world)
    _sort(world, _enter(world, "会计亲属承揽工程。", unit=world.village_a), "clue", category="integrity",
          organ=world.organ_a, description="东关村会计亲属承揽村集体工程。")
    period = selectors.triage_period(inspection=world.inspection_a2, start=today(), end=today())
    text = compact(pdf_text(bulletin_docx(period=period), ".docx"))
    assert "关于立行立改问题整改情况的通报" in text
    assert "共有1个立行立改问题整改到位" in text and "东关村自来水管道破裂半月未修复" in text
    assert "另有1个立行立改问题正在整改中" in text
    for secret in ("赵支书", "王小明", "13900001111", "线索", "纪委", "会计亲属", "举报"):
        assert secret not in text, secret


def test_the_documents_download_from_the_board_for_a_chosen_period(world, login):
    item = _immediate(world)
    _close(world, item.task)
    client = login(world.user("inspector_a2"))
    url = reverse("web:triage_bulletin_docx", args=[world.inspection_a2.pk])
    response = client.get(url, {"start": today().isoformat(), "end": today().isoformat()})
    assert response.status_code == 200
    words = docx_paragraphs(response.content)
    assert "东关村村道塌方两周无人修复" in words
    bad = client.get(url, {"start": today().isoformat(), "end": (today() - datetime.timedelta(days=3)).isoformat()})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in _text(bad)
    report = client.get(reverse("web:triage_report_docx", args=[world.inspection_a2.pk]))  # today, by default
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")


def test_clues_made_on_the_board_are_real_clues(world):
    item = _sort(world, _enter(world, "资料显示工程款超付。", unit=world.village_a), "clue", category="integrity",
                 organ=world.organ_a, description="东关村工程款超付5万元。")
    assert Clue.objects.get(pk=item.clue_id).summary == "东关村工程款超付5万元。"
