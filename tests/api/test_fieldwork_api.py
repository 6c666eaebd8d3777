"""The API of the fieldwork (issue 4): the report registry, talks, the clue 直通车 and the clue figures.

Each endpoint is called as a role that may use it and as roles for which its records do not exist (404). A named
reporter's identity, the receipt and the spam reasons never appear in any answer.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from tests.api.test_api import Caller
from tests.world import World, hand_over_clue
from xuncha.api.models import RequestKey
from xuncha.core.dates import add_months, today
from xuncha.core.models import AuditEvent
from xuncha.fieldwork.models import Talk
from xuncha.findings import services as findings
from xuncha.findings.models import Clue, ClueSupervision
from xuncha.reports import services as public
from xuncha.reports.models import Report, ReporterIdentity, ReportMessage

NAME = "欧阳明远"
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"
NAMED_TEXT = "城关镇副镇长李某把村道硬化工程包给他小舅子，听说收了二十万好处费。"
LETTER_TEXT = "东关村村支书把自己亲戚弄进了低保，真正困难的人家反而吃不上低保。"
OUTSIDERS = ["inspector_a", "leader_a", "unit_a2", "receiver_a", "office_b"]


@pytest.fixture
def named(world: World):
    """A named web report to inspection_a2 (group 2, 进驻), with its receipt code."""
    report, code = public.report_submit(inspection=world.inspection_a2, content=NAMED_TEXT,
                                        concerns_unit=world.township_a, anonymous=False,
                                        identity={"name": NAME, "phone": PHONE, "id_number": ID_NUMBER})
    assert ReporterIdentity.objects.filter(report=report).exists()  # the identity exists, apart from the report
    return report, code


def _once(caller: Caller, path: str, body: dict, key: str):
    return caller.client.post("/api/v1" + path, body, content_type="application/json",
                              headers={**caller.headers, "Idempotency-Key": key})


def _audited(action: str, actor, object_id) -> bool:
    return AuditEvent.objects.filter(action=action, actor=actor, object_id=str(object_id)).exists()


# -- the report registry -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["inspector_a2", "office_a", "admin"])
def test_registry_readers_see_the_report_without_the_identity(world: World, as_user, named, role):
    report, code = named
    caller = as_user(role)
    listed = caller.get("/reports", inspection=world.inspection_a2.pk)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [report.pk]
    detail = caller.get(f"/reports/{report.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["content"] == NAMED_TEXT and body["channel"] == "web" and body["status"] == "received"
    assert body["concerns_unit"] == {"id": world.township_a.pk, "name": str(world.township_a)}
    assert body["anonymous"] is False and body["group_count"] == 1
    assert body["suggested_disposal"] and body["suggested_disposal_label"] and body["suggestion_reason"]
    for text in (listed.content.decode(), detail.content.decode()):
        for secret in (NAME, PHONE, ID_NUMBER, code, code[:6], "receipt", "spam_reason"):
            assert secret not in text


@pytest.mark.parametrize("role", OUTSIDERS)
def test_reports_do_not_exist_outside_the_registry(world: World, as_user, named, role):
    report, _code = named
    caller = as_user(role)
    assert caller.get("/reports").json()["items"] == []
    assert caller.get(f"/reports/{report.pk}").status_code == 404
    for action, body in (("sort", {"status": "sorted"}), ("forward", {"forwarded_to": "县信访局"}),
                         ("reply", {"text": "已收悉。"})):
        answer = caller.post(f"/reports/{report.pk}/{action}", body)
        assert answer.status_code == 404, (action, answer.content)
        assert answer.json()["code"] == "not_found"
    register = caller.post("/reports", {"inspection": world.inspection_a2.pk, "channel": "letter",
                                        "content": LETTER_TEXT})
    assert register.status_code == 404
    report.refresh_from_db()
    assert report.status == "received" and not report.messages.exists()


def test_no_report_answer_ever_carries_the_identity(world: World, as_user, named):
    """Every report endpoint, on a named report: the name, the phone, the ID number and the receipt are absent."""
    report, code = named
    office = as_user("office_a")
    other, other_code = public.report_submit(inspection=world.inspection_a2, content=LETTER_TEXT, anonymous=False,
                                             identity={"name": NAME, "phone": PHONE})
    answers = [
        office.get("/reports"), office.get("/reports", status="received"), office.get("/reports", channel="web"),
        office.get("/reports", inspection=world.inspection_a2.pk), office.get(f"/reports/{report.pk}"),
        office.post(f"/reports/{report.pk}/reply", {"text": "您反映的问题已转巡察组核查。"}),
        office.post(f"/reports/{report.pk}/sort", {"status": "sorted", "note": "属于巡察范围"}),
        office.post(f"/reports/{other.pk}/forward", {"forwarded_to": "县自然资源局", "note": "属职能部门"}),
        office.post("/reports", {"inspection": world.inspection_a2.pk, "channel": "visit",
                                 "content": f"来访群众反映：{NAMED_TEXT}"}),
    ]
    report.refresh_from_db()
    if report.group_id:
        answers.append(office.get("/reports", group=report.group_id))
    for answer in answers:
        assert answer.status_code in (200, 201), answer.content
        text = answer.content.decode()
        for secret in (NAME, PHONE, ID_NUMBER, code, other_code):
            assert secret not in text, (answer.request["PATH_INFO"], secret)
        assert "identity" not in json.dumps(answer.json())


def test_register_a_letter_and_group_a_repeat(world: World, as_user):
    inspector = as_user("inspector_a2")
    body = {"inspection": world.inspection_a2.pk, "channel": "letter", "content": LETTER_TEXT,
            "concerns_unit": world.village_a.pk, "received_on": (today() - datetime.timedelta(days=1)).isoformat()}
    first = _once(inspector, "/reports", body, "letter-1")
    assert first.status_code == 201, first.content
    created = first.json()
    assert created["channel"] == "letter" and created["status"] == "received" and created["messages"] == []
    assert created["registered_by"] == str(world.user("inspector_a2"))
    assert _audited("report.register", world.user("inspector_a2"), created["id"])
    # The same request again (a retry, a second click) is refused and names what the first one created.
    again = _once(inspector, "/reports", body, "letter-1")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_request" and again.json()["existing_id"] == created["id"]
    assert "只执行了一次" in again.json()["detail"]  # said in the platform's language
    assert Report.objects.filter(inspection=world.inspection_a2).count() == 1
    # The same key on another operation is refused too, and says so.
    reused = _once(inspector, f"/reports/{created['id']}/reply", {"text": "x"}, "letter-1")
    assert reused.status_code == 409 and "POST /reports" in reused.json()["detail"]
    # A second letter on the same matter is a new report, grouped with the first.
    repeat = _once(inspector, "/reports", {**body, "content": LETTER_TEXT + "希望巡察组核实。"}, "letter-2")
    assert repeat.status_code == 201
    assert repeat.json()["group_id"] and repeat.json()["group_count"] == 2
    grouped = inspector.get("/reports", group=repeat.json()["group_id"])
    assert {item["id"] for item in grouped.json()["items"]} == {created["id"], repeat.json()["id"]}


def test_register_refusals(world: World, as_user):
    inspector = as_user("inspector_a2")
    base = {"inspection": world.inspection_a2.pk, "channel": "phone", "content": LETTER_TEXT}
    wrong_unit = inspector.post("/reports", {**base, "concerns_unit": world.dept_a.pk})
    assert wrong_unit.status_code == 422 and wrong_unit.json()["field"] == "concerns_unit"
    future = inspector.post("/reports", {**base, "received_on": (today() + datetime.timedelta(days=2)).isoformat()})
    assert future.status_code == 422 and future.json()["field"] == "received_on"
    assert inspector.post("/reports", {**base, "channel": "web"}).status_code == 422  # web reports come by the form
    assert inspector.post("/reports", {**base, "inspection": world.inspection_b1.pk}).status_code == 404
    long_key = _once(inspector, "/reports", base, "k" * 201)
    assert long_key.status_code == 422 and long_key.json()["field"] == "Idempotency-Key"
    assert not Report.objects.exists()
    # A refused write leaves its key free: the corrected request goes through with the same key.
    refused = _once(inspector, "/reports", {**base, "content": " "}, "fix-and-resend")
    assert refused.status_code == 422 and refused.json()["field"] == "content"
    assert _once(inspector, "/reports", base, "fix-and-resend").status_code == 201


def test_sort_forward_and_reply(world: World, as_user, named):
    report, _code = named
    inspector = as_user("inspector_a2")
    sorted_ = inspector.post(f"/reports/{report.pk}/sort", {"status": "sorted", "note": "转入问题线索研判"})
    assert sorted_.status_code == 200 and sorted_.json()["status"] == "sorted"
    assert _audited("report.sort", world.user("inspector_a2"), report.pk)
    twice = inspector.post(f"/reports/{report.pk}/sort", {"status": "sorted"})
    assert twice.status_code == 409 and twice.json()["code"] == "transition_refused"

    forwarded = inspector.post(f"/reports/{report.pk}/forward",
                               {"forwarded_to": "县住房和城乡建设局", "note": "工程发包属行业监管"})
    assert forwarded.status_code == 200
    assert forwarded.json()["status"] == "forwarded" and forwarded.json()["forwarded_on"] == today().isoformat()
    again = inspector.post(f"/reports/{report.pk}/forward", {"forwarded_to": "县住房和城乡建设局"})
    assert again.status_code == 409 and again.json()["code"] == "transition_refused"
    assert inspector.post(f"/reports/{report.pk}/forward", {"forwarded_to": " "}).status_code == 422

    replied = _once(inspector, f"/reports/{report.pk}/reply", {"text": "您反映的问题已转交县住建局办理。"}, "r1")
    assert replied.status_code == 200
    assert [(m["from_reporter"], m["text"]) for m in replied.json()["messages"]] == [
        (False, "您反映的问题已转交县住建局办理。")]
    assert replied.json()["messages"][0]["author"] == str(world.user("inspector_a2"))
    duplicate = _once(inspector, f"/reports/{report.pk}/reply", {"text": "您反映的问题已转交县住建局办理。"}, "r1")
    assert duplicate.status_code == 409 and duplicate.json()["existing_id"] == replied.json()["messages"][0]["id"]
    assert ReportMessage.objects.filter(report=report).count() == 1
    # What the reporter adds with the receipt code is part of the conversation.
    public.report_add_information(code=named[1], text="补充：工程合同签订于去年三月。")
    messages = inspector.get(f"/reports/{report.pk}").json()["messages"]
    assert [(m["from_reporter"], m["author"]) for m in messages] == [(False, str(world.user("inspector_a2"))),
                                                                      (True, None)]


def test_reply_needs_a_receipt_and_spam_shows_only_its_score(world: World, as_user):
    inspector = as_user("inspector_a2")
    letter = inspector.post("/reports", {"inspection": world.inspection_a2.pk, "channel": "letter",
                                         "content": LETTER_TEXT}).json()
    refused = inspector.post(f"/reports/{letter['id']}/reply", {"text": "已收悉。"})
    assert refused.status_code == 422 and refused.json()["code"] == "validation_failed"

    spam = Report.objects.create(inspection=world.inspection_a2, content="澳门葡京娱乐城，注册就送888元", status="spam",
                                 received_on=today(), spam_score=0.97, spam_reason="广告用语：娱乐城、注册就送")
    default = inspector.get("/reports")
    assert spam.pk not in {item["id"] for item in default.json()["items"]}  # as the registry: spam has its tab
    listed = inspector.get("/reports", status="spam")
    assert [item["id"] for item in listed.json()["items"]] == [spam.pk]
    item = listed.json()["items"][0]
    assert item["spam_score"] == pytest.approx(0.97)
    assert "广告用语" not in listed.content.decode() and "spam_reason" not in item
    rescued = inspector.post(f"/reports/{spam.pk}/sort", {"status": "received", "note": "误判"})
    assert rescued.status_code == 200 and rescued.json()["status"] == "received"


# -- talks -------------------------------------------------------------------------------------------------

def _planned(world: World, caller: Caller, **extra) -> dict:
    body = {"inspection": world.inspection_a2.pk, "unit": world.township_a.pk, "interviewee": "周国平",
            "position": "城关镇党委书记", "planned_on": today().isoformat(), "talkers": "组长、联络员", **extra}
    answer = caller.post("/talks", body)
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_plan_record_and_cancel_talks(world: World, as_user):
    inspector = as_user("inspector_a2")
    outlines = inspector.get("/talks/outlines", inspection=world.inspection_a2.pk)
    assert outlines.status_code == 200 and outlines.json()
    outline = outlines.json()[0]
    talk = _planned(world, inspector, outline=outline["id"])
    assert talk["status"] == "planned" and talk["outline_title"] == outline["title"]
    assert talk["questions"] == outline["questions"] and talk["record"] == "" and talk["attachments"] == []
    assert _audited("talk.plan", world.user("inspector_a2"), talk["id"])

    record = {"held_on": today().isoformat(), "record": "周国平同志谈到镇村干部作风问题……",
              "findings": "反映惠民资金公示不及时", "version": talk["version"]}
    held = inspector.post(f"/talks/{talk['id']}/record", record)
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert held.json()["record"] == record["record"] and held.json()["version"] == talk["version"] + 1
    stale = inspector.post(f"/talks/{talk['id']}/record", record)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    twice = inspector.post(f"/talks/{talk['id']}/record", {**record, "version": held.json()["version"]})
    assert twice.status_code == 409 and twice.json()["code"] == "transition_refused"
    event = AuditEvent.objects.get(action="talk.record", object_id=str(talk["id"]))
    assert "作风" not in json.dumps(event.after, ensure_ascii=False)  # the record stays out of the trail

    other = _planned(world, as_user("office_a"), interviewee="吴立新")
    assert other["talkers"] == "组长、联络员"
    no_reason = inspector.post(f"/talks/{other['id']}/cancel", {"reason": " ", "version": other["version"]})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    cancelled = inspector.post(f"/talks/{other['id']}/cancel", {"reason": "本人出差", "version": other["version"]})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert inspector.post(f"/talks/{other['id']}/cancel",
                          {"reason": "本人出差", "version": other["version"]}).json()["code"] == "stale_version"
    assert {item["id"] for item in inspector.get("/talks", status="held").json()["items"]} == {talk["id"]}


def test_plan_refusals_and_double_submits(world: World, as_user):
    inspector = as_user("inspector_a2")
    base = {"inspection": world.inspection_a2.pk, "unit": world.township_a.pk, "interviewee": "周国平",
            "planned_on": today().isoformat()}
    wrong_unit = inspector.post("/talks", {**base, "unit": world.dept_a.pk})
    assert wrong_unit.status_code == 422 and wrong_unit.json()["field"] == "unit"
    wrong_outline = inspector.post("/talks", {**base, "outline": 999999})
    assert wrong_outline.status_code == 422 and wrong_outline.json()["field"] == "outline"
    first = _once(inspector, "/talks", base, "plan-1")
    second = _once(inspector, "/talks", base, "plan-1")
    assert first.status_code == 201 and second.status_code == 409
    assert second.json()["existing_id"] == first.json()["id"]
    assert Talk.objects.filter(inspection=world.inspection_a2).count() == 1
    # Keys are kept for a day; after that the same key is a new request.
    RequestKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    assert _once(inspector, "/talks", base, "plan-1").status_code == 201
    assert Talk.objects.filter(inspection=world.inspection_a2).count() == 2
    # Talks are planned only until the report is written: inspection_a1 is in 整改.
    closed = as_user("inspector_a").post("/talks", {**base, "inspection": world.inspection_a1.pk,
                                                    "unit": world.dept_a.pk})
    assert closed.status_code == 409 and closed.json()["code"] == "transition_refused"


def test_talk_attachments_are_listed_by_name_and_size_only(world: World, as_user):
    from xuncha.fieldwork import services as talks

    talk = talks.talk_plan(actor=world.user("inspector_a2"), inspection=world.inspection_a2, unit=world.township_a,
                           interviewee="周国平", planned_on=today())
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    talks.talk_record(actor=world.user("inspector_a2"), talk=talk, held_on=today(), record="谈话记录正文",
                      files=[("谈话笔录.pdf", pdf)])
    detail = as_user("inspector_a2").get(f"/talks/{talk.pk}")
    assert detail.status_code == 200
    assert detail.json()["attachments"] == [{"name": "谈话笔录.pdf", "size": len(pdf)}]
    assert "%PDF" not in detail.content.decode()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_talks_do_not_exist_outside_the_group_and_the_office(world: World, as_user, role):
    talk = _planned(world, as_user("inspector_a2"))
    caller = as_user(role)
    assert caller.get("/talks").json()["items"] == []
    assert caller.get(f"/talks/{talk['id']}").status_code == 404
    assert caller.post(f"/talks/{talk['id']}/record", {"record": "x", "version": 1}).status_code == 404
    assert caller.post(f"/talks/{talk['id']}/cancel", {"reason": "x", "version": 1}).status_code == 404
    assert caller.get("/talks/outlines", inspection=world.inspection_a2.pk).status_code == 404
    assert caller.post("/talks", {"inspection": world.inspection_a2.pk, "unit": world.township_a.pk,
                                  "interviewee": "某人", "planned_on": today().isoformat()}).status_code == 404
    assert Talk.objects.get(pk=talk["id"]).status == "planned"


# -- clues -------------------------------------------------------------------------------------------------

def test_clue_shows_signing_due_date_and_overdue(world: World, as_user):
    clue = as_user("receiver_a").get(f"/clues/{world.clue_a1.pk}")
    assert clue.status_code == 200
    body = clue.json()
    handed = world.clue_a1.handed_over_on
    assert body["signed_for_on"] == handed.isoformat() and body["top_secret"] is False
    assert body["answer_due_on"] == add_months(handed, 3).isoformat()
    assert body["answer_overdue"] is (today() > add_months(handed, 3))
    assert body["result"] == "" and body["supervisions"] == []
    late = hand_over_clue(world, days_ago=120, actor=world.user("inspector_a"))
    listed = as_user("office_a").get("/clues", overdue=True).json()["items"]
    assert late.pk in {item["id"] for item in listed} and all(item["answer_overdue"] for item in listed)
    on_time = as_user("office_a").get("/clues", overdue=False).json()["items"]
    assert late.pk not in {item["id"] for item in on_time}


def test_sign_for_dispose_and_record_the_result(world: World, as_user):
    clue = hand_over_clue(world, days_ago=5, actor=world.user("inspector_a"))
    receiver = as_user("receiver_a")
    assert as_user("receiver_b").post(f"/clues/{clue.pk}/sign-for", {}).status_code == 404
    by_inspector = as_user("inspector_a").post(f"/clues/{clue.pk}/sign-for", {})
    assert by_inspector.status_code == 422  # the group sees the clue but does not sign for it
    signed = receiver.post(f"/clues/{clue.pk}/sign-for", {})
    assert signed.status_code == 200
    assert signed.json()["signed_for_on"] == today().isoformat()
    assert signed.json()["signed_for_by"] == str(world.user("receiver_a"))
    assert _audited("clue.sign_for", world.user("receiver_a"), clue.pk)
    twice = receiver.post(f"/clues/{clue.pk}/sign-for", {})
    assert twice.status_code == 409 and twice.json()["code"] == "transition_refused"

    early = receiver.post(f"/clues/{clue.pk}/result", {"result": "case_filed", "version": signed.json()["version"]})
    assert early.status_code == 409 and early.json()["code"] == "transition_refused"
    disposed = receiver.post(f"/clues/{clue.pk}/dispose", {"disposal": "preliminary_check",
                                                           "version": signed.json()["version"]})
    assert disposed.status_code == 200
    stale = receiver.post(f"/clues/{clue.pk}/result", {"result": "case_filed", "version": signed.json()["version"]})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    result = receiver.post(f"/clues/{clue.pk}/result", {"result": "party_sanction", "note": "给予党内警告处分",
                                                        "version": disposed.json()["version"]})
    assert result.status_code == 200
    assert (result.json()["result"], result.json()["result_on"]) == ("party_sanction", today().isoformat())
    assert result.json()["result_label"] and result.json()["answer_overdue"] is False
    assert _audited("clue.record_result", world.user("receiver_a"), clue.pk)
    again = receiver.post(f"/clues/{clue.pk}/result", {"result": "cleared", "version": result.json()["version"]})
    assert again.status_code == 409 and again.json()["code"] == "transition_refused"
    assert as_user("unit_a").get(f"/clues/{clue.pk}").status_code == 404


def test_the_office_supervises_an_overdue_clue(world: World, as_user):
    late = hand_over_clue(world, days_ago=120, actor=world.user("inspector_a"))
    office = as_user("office_a")
    assert as_user("inspector_a").post(f"/clues/{late.pk}/supervise", {"note": "请尽快处置"}).status_code == 422
    assert as_user("office_b").post(f"/clues/{late.pk}/supervise", {"note": "请尽快处置"}).status_code == 404
    pressed = _once(office, f"/clues/{late.pk}/supervise", {"note": "请于本周内反馈处置情况"}, "press-1")
    assert pressed.status_code == 200, pressed.content
    supervisions = pressed.json()["supervisions"]
    assert [(s["on_date"], s["note"], s["by"]) for s in supervisions] == [
        (today().isoformat(), "请于本周内反馈处置情况", str(world.user("office_a")))]
    assert pressed.json()["answer_overdue"] is True
    duplicate = _once(office, f"/clues/{late.pk}/supervise", {"note": "请于本周内反馈处置情况"}, "press-1")
    assert duplicate.status_code == 409 and duplicate.json()["existing_id"] == supervisions[0]["id"]
    assert ClueSupervision.objects.filter(clue=late).count() == 1
    # The organ reads the supervision on its clue.
    assert as_user("receiver_a").get(f"/clues/{late.pk}").json()["supervisions"][0]["note"] == "请于本周内反馈处置情况"
    recent = hand_over_clue(world, days_ago=5, actor=world.user("inspector_a"))
    too_early = office.post(f"/clues/{recent.pk}/supervise", {"note": "请尽快处置"})
    assert too_early.status_code == 409 and too_early.json()["code"] == "transition_refused"


def test_a_top_secret_clue_exists_only_for_its_readers(world: World, as_user):
    handed = as_user("inspector_a").post("/clues", {
        "inspection": world.inspection_a1.pk, "unit": world.dept_a.pk, "organ": world.organ_a.pk,
        "summary": "反映局长插手工程项目问题线索", "persons_involved": "王建国"})
    assert handed.status_code == 201, handed.content
    secret = handed.json()
    assert secret["top_secret"] is True  # it names the unit's 一把手
    for reader in ("inspector_a", "receiver_a", "admin"):
        assert as_user(reader).get(f"/clues/{secret['id']}").status_code == 200, reader
    for other in ("office_a", "leader_a", "office_city", "inspector_a2", "unit_a", "receiver_b"):
        caller = as_user(other)
        assert caller.get(f"/clues/{secret['id']}").status_code == 404, other
        assert "插手工程项目" not in caller.get("/clues").content.decode(), other
        assert caller.post(f"/clues/{secret['id']}/supervise", {"note": "x"}).status_code == 404, other
    assert as_user("office_a").get("/stats/clues").json()["handed_over"] == 1  # the secret one is not counted


def test_clue_figures(world: World, as_user):
    office = as_user("office_a")
    clue = world.clue_a1
    findings.clue_dispose(actor=world.user("receiver_a"), clue=clue, disposal="talk_inquiry",
                          on_date=clue.handed_over_on + datetime.timedelta(days=10))
    figures = office.get("/stats/clues")
    assert figures.status_code == 200
    assert figures.json() == {"handed_over": 1, "disposed": 1, "disposal_rate": "100.00",
                              "avg_days_to_disposal": "10.0", "overdue": 0}
    late = hand_over_clue(world, days_ago=120, actor=world.user("inspector_a"))
    findings.clue_hand_over(actor=world.user("inspector_a2"), inspection=world.inspection_a2, unit=world.township_a,
                            summary="城关镇某站所长违规收费问题线索", organ=world.organ_a,
                            handed_over_on=today() - datetime.timedelta(days=3))
    assert office.get("/stats/clues").json() == {"handed_over": 3, "disposed": 1, "disposal_rate": "33.33",
                                                  "avg_days_to_disposal": "10.0", "overdue": 1}
    assert office.get("/stats/clues", inspection=world.inspection_a1.pk).json()["handed_over"] == 2
    assert office.get("/stats/clues", unit=world.township_a.pk).json()["handed_over"] == 1
    assert office.get("/stats/clues", round=world.round_b.pk).status_code == 404
    assert office.get("/stats/clues", inspection=world.inspection_b1.pk).status_code == 404
    assert as_user("receiver_a").get("/stats/clues").json()["handed_over"] == 3
    assert as_user("inspector_a2").get("/stats/clues").json()["handed_over"] == 1
    assert as_user("unit_a").get("/stats/clues").json() == {"handed_over": 0, "disposed": 0, "disposal_rate": None,
                                                            "avg_days_to_disposal": None, "overdue": 0}
    assert Clue.objects.filter(pk=late.pk, disposal="").exists()
