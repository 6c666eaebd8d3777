"""The feedback, rectification-plan and written-report pages as their users meet them."""

from __future__ import annotations

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.urls import reverse
from PIL import Image

from tests.office import docx_paragraphs
from xuncha.core.dates import today
from xuncha.findings import services as findings_services
from xuncha.findings.models import ProblemStatus
from xuncha.rectification import services as rectification
from xuncha.rectification.models import (
    FeedbackMeeting,
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    Task,
)
from xuncha.rounds import services as rounds

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(response) -> str:
    return response.content.decode()


def _token(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', _text(response))
    assert match, "the form carries a one-time token"
    return match.group(1)


def _draft_plan(world) -> RectificationPlan:
    """inspection_a2 (城关镇 and 东关村) walked on to 整改 today: 城关镇's plan is a fresh draft for problem_a_field."""
    inspection = world.inspection_a2
    for stage in ("report", "feedback", "rectify"):
        inspection = rounds.inspection_advance(actor=None, inspection=inspection, to_stage=stage, on_date=today())
    world.problem_a_field.refresh_from_db()
    assert world.problem_a_field.status == ProblemStatus.FED_BACK
    plan = RectificationPlan.objects.get(inspection=inspection, unit=world.township_a)
    assert plan.status == PlanStatus.DRAFT
    return plan


def _task_post(plan, problem, token: str, **changes) -> dict:
    data = {"problem": problem.pk, "form_token": token, "measure": "建立惠民资金公示台账，每季度公示一次",
            "kind": "time_limited", "deadline": (today() + datetime.timedelta(days=60)).isoformat(),
            "responsible_leader": "刘镇长", "responsible_department": "党政办", "responsible_person": "陈晓"}
    data.update(changes)
    return data


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (250, 250, 250)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# ---------------------------------------------------------------- building, submitting, reviewing


def test_unit_builds_submits_office_returns_and_accepts(world, client):
    plan = _draft_plan(world)
    problem = world.problem_a_field
    detail = reverse("web:plan_detail", args=[plan.pk])

    client.force_login(world.user("unit_a2"))
    page = client.get(detail)
    assert page.status_code == 200
    body = _text(page)
    assert problem.description in body
    assert "尚未制定整改任务" in body  # the problem without a task is highlighted
    assert reverse("web:plan_submit", args=[plan.pk]) in body

    # Submitting with a problem left unanswered is refused, with the service's reason on the page.
    refused = client.post(reverse("web:plan_submit", args=[plan.pk]), {"version": plan.version})
    assert refused.status_code == 400
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

    # A task with no deadline that is not long-term: the form says so, nothing is saved.
    token = _token(client.get(detail))
    bad = client.post(reverse("web:plan_task_create", args=[plan.pk]), _task_post(plan, problem, token, deadline=""))
    assert bad.status_code == 400
    assert not Task.objects.filter(plan=plan).exists()

    # The unit adds a task; the same form sent twice adds it once.
    added = client.post(reverse("web:plan_task_create", args=[plan.pk]), _task_post(plan, problem, token))
    assert added.status_code == 302 and added["Location"].startswith(detail)
    again = client.post(reverse("web:plan_task_create", args=[plan.pk]), _task_post(plan, problem, token))
    assert again.status_code == 302
    assert Task.objects.filter(plan=plan).count() == 1

    plan.refresh_from_db()
    stale_version = plan.version
    submitted = client.post(reverse("web:plan_submit", args=[plan.pk]), {"version": plan.version})
    assert submitted.status_code == 302
    # The button clicked twice: the second click finds the plan submitted, not a conflict.
    assert client.post(reverse("web:plan_submit", args=[plan.pk]), {"version": stale_version}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # While the office reviews it the unit adds nothing.
    assert reverse("web:plan_task_create", args=[plan.pk]) not in _text(client.get(detail))

    # The office returns it: a comment is required.
    client.force_login(world.user("office_a"))
    review = _text(client.get(detail))
    assert reverse("web:plan_accept", args=[plan.pk]) in review and reverse("web:plan_return", args=[plan.pk]) in review
    empty = client.post(reverse("web:plan_return", args=[plan.pk]), {"version": plan.version, "comment": " "})
    assert empty.status_code == 400
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    returned = client.post(reverse("web:plan_return", args=[plan.pk]),
                           {"version": plan.version, "comment": "整改措施过于笼统，请明确公示频次和监督方式。"})
    assert returned.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED

    # The unit sees the office's comment, and a stale form is refused with 409.
    client.force_login(world.user("unit_a2"))
    body = _text(client.get(detail))
    assert "整改措施过于笼统，请明确公示频次和监督方式。" in body
    stale = client.post(reverse("web:plan_submit", args=[plan.pk]), {"version": stale_version})
    assert stale.status_code == 409
    plan.refresh_from_db()
    resubmitted = client.post(reverse("web:plan_submit", args=[plan.pk]), {"version": plan.version})
    assert resubmitted.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    # The unit may not accept its own plan.
    assert client.post(reverse("web:plan_accept", args=[plan.pk]), {"version": plan.version}).status_code == 404

    client.force_login(world.user("office_a"))
    accepted = client.post(reverse("web:plan_accept", args=[plan.pk]), {"version": plan.version, "comment": "同意"})
    assert accepted.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED
    history = _text(client.get(detail))
    for label in ("已报送巡察办", "退回修改", "巡察办已审核通过"):
        assert label in history


def test_inspector_and_leader_read_the_plan_but_do_not_review_it(world, client):
    plan = world.task_a1.plan
    plan.refresh_from_db()
    detail = reverse("web:plan_detail", args=[plan.pk])
    for name in ("inspector_a", "leader_a", "office_city", "admin"):
        client.force_login(world.user(name))
        assert client.get(detail).status_code == 200, name
    client.force_login(world.user("inspector_a"))
    assert client.post(reverse("web:plan_return", args=[plan.pk]),
                       {"version": plan.version, "comment": "x"}).status_code == 404
    client.force_login(world.user("leader_a"))
    assert client.post(reverse("web:plan_submit", args=[plan.pk]), {"version": plan.version}).status_code == 404


def test_plans_outside_the_scope_do_not_exist(world, client):
    from xuncha.web.plan_urls import urlpatterns

    plan = _draft_plan(world)
    names = [p.name for p in urlpatterns if "<int:pk>" in str(p.pattern)]
    assert len(names) >= 15
    for role in ("unit_b", "unit_a", "office_b", "inspector_b", "inspector_a", "receiver_a"):
        client.force_login(world.user(role))
        for name in names:
            url = reverse(f"web:{name}", args=[plan.pk])
            response = client.get(url)
            if response.status_code == 405:  # POST-only: an empty POST is scoped all the same
                response = client.post(url, {})
            assert response.status_code == 404, f"{role} {name}: {response.status_code}"
    client.force_login(world.user("unit_b"))
    assert client.post(reverse("web:plan_task_create", args=[plan.pk]),
                       _task_post(plan, world.problem_a_field, "x")).status_code == 404
    assert client.post(reverse("web:plan_submit", args=[plan.pk]), {"version": plan.version}).status_code == 404
    assert not Task.objects.filter(plan=plan).exists()


def test_the_unit_never_reads_a_clue_on_its_plan_pages(world, client):
    plan = world.task_a1.plan
    client.force_login(world.user("unit_a"))
    for name in ("web:plan_detail", "web:plan_report"):
        body = _text(client.get(reverse(name, args=[plan.pk])))
        assert world.problem_a1.description in body or name == "web:plan_report"
        assert world.problem_a2.description not in body and world.clue_a1.summary not in body
    for name in ("web:plan_export", "web:plan_reconciliation_export"):
        book = openpyxl.load_workbook(io.BytesIO(client.get(reverse(name, args=[plan.pk])).content))
        cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
        assert world.problem_a2.description not in cells
    skeleton = client.get(reverse("web:plan_report_docx", args=[plan.pk]))
    text = docx_paragraphs(skeleton.content)
    assert world.problem_a2.description not in text and world.clue_a1.summary not in text


def test_plan_list_counts_and_the_unit_is_sent_to_its_plan(world, client):
    client.force_login(world.user("unit_a"))
    response = client.get(reverse("web:plan_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:plan_detail", args=[world.task_a1.plan_id])

    plan = _draft_plan(world)
    client.force_login(world.user("office_a"))
    body = _text(client.get(reverse("web:plan_list")))
    assert "甲县财政局" in body and "城关镇" in body and "乙县财政局" not in body
    drafts = _text(client.get(reverse("web:plan_list"), {"status": "draft"}))
    assert reverse("web:plan_detail", args=[plan.pk]) in drafts
    assert reverse("web:plan_detail", args=[world.task_a1.plan_id]) not in drafts

    client.force_login(world.user("receiver_a"))
    assert client.get(reverse("web:plan_list")).status_code == 404


# ---------------------------------------------------------------- workbooks


def test_workbooks_download_and_open(world, client):
    plan = world.task_a1.plan
    client.force_login(world.user("office_a"))
    for name in ("web:plan_export", "web:plan_reconciliation_export", "web:plan_template"):
        response = client.get(reverse(name, args=[plan.pk]))
        assert response.status_code == 200, name
        assert response["Content-Type"] == XLSX
        assert "attachment" in response["Content-Disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
        if name != "web:plan_template":
            assert world.task_a1.measure in cells, name
        else:
            assert world.problem_a1.description in cells
            assert world.problem_a2.description not in cells  # a clue is not the unit's to see
    client.force_login(world.user("unit_a"))
    assert client.get(reverse("web:plan_export", args=[plan.pk])).status_code == 200


def _filled_template(client, plan, rows: list[list]) -> bytes:
    response = client.get(reverse("web:plan_template", args=[plan.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book.active
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "问题编号")
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=header_row + offset, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_lists_every_bad_row_and_saves_nothing(world, client):
    plan = _draft_plan(world)
    problem = world.problem_a_field
    client.force_login(world.user("unit_a2"))
    url = reverse("web:plan_import", args=[plan.pk])
    deadline = (today() + datetime.timedelta(days=30)).isoformat()
    content = _filled_template(client, plan, [
        [problem.pk, None, None, "公示惠民资金", "马上整改", deadline, "刘镇长", "党政办", "陈晓"],
        [999999, None, None, "另一项措施", "限期整改", deadline, "刘镇长", "党政办", "陈晓"],
        [problem.pk, None, None, "规范公示流程", "限期整改", None, "刘镇长", "党政办", "陈晓"],
    ])
    token = _token(client.get(url))
    response = client.post(url, {"form_token": token, "file": _upload("方案.xlsx", content, XLSX)})
    assert response.status_code == 400
    body = _text(response)
    header_row = 3
    for row in (header_row + 1, header_row + 2, header_row + 3):
        assert f"第{row}行" in body, row
    assert not Task.objects.filter(plan=plan).exists()

    good = _filled_template(client, plan, [
        [problem.pk, None, None, "公示惠民资金", "立行立改", deadline, "刘镇长", "党政办", "陈晓"],
        [problem.pk, None, None, "建立长效公示制度", "长期坚持", None, "刘镇长", "党政办", "陈晓"],
    ])
    token = _token(client.get(url))
    done = client.post(url, {"form_token": token, "file": _upload("方案.xlsx", good, XLSX)})
    assert done.status_code == 302
    assert Task.objects.filter(plan=plan).count() == 2
    # The same upload sent twice imports once.
    twice = client.post(url, {"form_token": token, "file": _upload("方案.xlsx", good, XLSX)})
    assert twice.status_code == 302
    assert Task.objects.filter(plan=plan).count() == 2


def test_a_file_that_is_no_workbook_is_refused(world, client):
    plan = _draft_plan(world)
    client.force_login(world.user("unit_a2"))
    url = reverse("web:plan_import", args=[plan.pk])
    response = client.post(url, {"form_token": _token(client.get(url)),
                                 "file": _upload("方案.xlsx", b"not a workbook", XLSX)})
    assert response.status_code == 400
    assert not Task.objects.filter(plan=plan).exists()


# ---------------------------------------------------------------- feedback


def test_feedback_meeting_is_recorded_signed_and_its_opinion_downloads(world, client):
    plan = _draft_plan(world)
    url = reverse("web:plan_feedback", args=[plan.pk])

    client.force_login(world.user("unit_a2"))
    assert client.get(url).status_code == 404  # the unit does not record its own feedback
    assert client.get(reverse("web:plan_feedback_docx", args=[plan.pk])).status_code == 404  # not before the meeting
    client.force_login(world.user("leader_a"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("inspector_a"))  # not a member of group 2
    assert client.get(url).status_code == 404

    client.force_login(world.user("inspector_a2"))
    token = _token(client.get(url))
    data = {"form_token": token, "held_on": today().isoformat(), "location": "城关镇政府三楼会议室",
            "form": "joint", "joint_organs": ["discipline"], "attendees": "巡察组全体成员，城关镇党委班子成员",
            "presided_by": "李组长"}
    refused = client.post(url, data)
    assert refused.status_code == 400  # joint feedback names two organs at least
    assert not FeedbackMeeting.objects.exists()
    data["joint_organs"] = ["discipline", "organisation"]
    recorded = client.post(url, data)
    assert recorded.status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: recorded once
    meeting = FeedbackMeeting.objects.get(inspection=plan.inspection, unit=plan.unit)
    assert meeting.form == "joint" and meeting.joint_organs == ["discipline", "organisation"]

    # A correction carries the version it was made on.
    page = client.get(url)
    correction = dict(data, form_token=_token(page), form="ordinary", joint_organs=[], version=meeting.version)
    assert client.post(url, correction).status_code == 302
    meeting.refresh_from_db()
    assert meeting.form == "ordinary" and meeting.joint_organs == []
    stale = dict(correction, form_token=_token(client.get(url)), version=meeting.version - 1, location="别处")
    assert client.post(url, stale).status_code == 409

    sign = reverse("web:plan_feedback_sign", args=[plan.pk])
    no_scan = client.post(sign, {"signed_by": "王书记", "signed_on": today().isoformat(), "version": meeting.version})
    assert no_scan.status_code == 400
    signed = client.post(sign, {"signed_by": "王书记", "signed_on": today().isoformat(), "version": meeting.version,
                                "scan": _upload("签字页.png", _png(), "image/png")})
    assert signed.status_code == 302
    meeting.refresh_from_db()
    assert meeting.signed_by == "王书记" and meeting.signed_scan is not None
    scan = client.get(reverse("web:plan_feedback_scan", args=[plan.pk]))
    assert scan.status_code == 200 and scan["Content-Type"] == "image/png"

    opinion = client.get(reverse("web:plan_feedback_docx", args=[plan.pk]))
    assert opinion.status_code == 200 and opinion["Content-Type"] == DOCX
    text = docx_paragraphs(opinion.content)
    assert "反馈意见" in text and "惠民资金公示不及时" in text

    # Once the meeting is recorded the unit reads its own feedback opinion; the plan page says it was signed.
    client.force_login(world.user("unit_a2"))
    assert client.get(reverse("web:plan_feedback_docx", args=[plan.pk])).status_code == 200
    assert "已签字" in _text(client.get(reverse("web:plan_detail", args=[plan.pk])))


# ---------------------------------------------------------------- the written report


def test_report_receipt_and_disclosure(world, client):
    plan = world.task_a1.plan
    url = reverse("web:plan_report", args=[plan.pk])

    client.force_login(world.user("unit_a"))
    body = _text(client.get(url))
    assert "整改情况报告" in body and 'name="received_on"' not in body
    assert client.post(url, {"received_on": today().isoformat()}).status_code == 404
    skeleton = client.get(reverse("web:plan_report_docx", args=[plan.pk]))
    assert skeleton.status_code == 200 and skeleton["Content-Type"] == DOCX
    docx.Document(io.BytesIO(skeleton.content))

    client.force_login(world.user("office_a"))
    page = client.get(url)
    body = _text(page)
    assert 'id="disclosure-text"' in body and "readonly" in body and "data-copy-target" in body
    token = _token(page)
    data = {"form_token": token, "received_on": today().isoformat(), "note": "书面报告已报送，抄送县纪委监委。",
            "document": _upload("整改报告.png", _png(), "image/png")}
    received = client.post(url, data)
    assert received.status_code == 302
    data["document"] = _upload("整改报告.png", _png(), "image/png")
    assert client.post(url, data).status_code == 302  # a second click records nothing more
    report = RectificationReport.objects.get(inspection=plan.inspection, unit=plan.unit)
    assert report.received_on == today() and report.document is not None
    assert client.get(reverse("web:plan_report_document", args=[plan.pk])).status_code == 200

    future = client.post(reverse("web:plan_report_disclose", args=[plan.pk]),
                         {"disclosed_on": (today() + datetime.timedelta(days=3)).isoformat()})
    assert future.status_code == 400
    disclosed = client.post(reverse("web:plan_report_disclose", args=[plan.pk]), {"disclosed_on": today().isoformat()})
    assert disclosed.status_code == 302
    report.refresh_from_db()
    assert report.disclosed_on == today()

    client.force_login(world.user("office_b"))
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- on the inspection page and the portal


def test_inspection_page_lists_the_plans_and_warns_of_open_immediate_tasks(world, client):
    client.force_login(world.user("office_a"))
    body = _text(client.get(reverse("web:inspection_detail", args=[world.inspection_a1.pk])))
    assert "反馈与整改" in body and reverse("web:plan_detail", args=[world.task_a1.plan_id]) in body

    problem = findings_services.problem_record(actor=None, inspection=world.inspection_a2, unit=world.township_a,
                                               description="城关镇食堂超标准接待。", category="eight_rules",
                                               disposal="immediate")
    task = rectification.task_create(actor=None, problem=problem, measure="立即清退超标准接待费用",
                                     responsible_leader="刘镇长", responsible_department="党政办",
                                     responsible_person="陈晓", deadline=today() + datetime.timedelta(days=5),
                                     kind="immediate")
    body = _text(client.get(reverse("web:inspection_detail", args=[world.inspection_a2.pk])))
    assert "1 项立行立改任务尚未销号，离开进驻阶段前须全部销号" in body
    assert reverse("web:task_detail", args=[task.pk]) in body


def test_unit_portal_shows_the_plan_and_its_next_step(world, client):
    plan = _draft_plan(world)
    client.force_login(world.user("unit_a2"))
    body = _text(client.get(reverse("web:unit_portal")))
    assert reverse("web:plan_detail", args=[plan.pk]) in body
    assert "下一步" in body
