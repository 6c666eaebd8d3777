"""Every page and every API endpoint, called as every role, on objects inside and outside its scope.

Out of scope answers 404 (the object does not exist for the viewer), in scope never does, and no list
shows what the viewer may not see. The test fails when a URL or an API operation is added without being
entered in the tables below.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.office import docx_paragraphs
from xuncha.api.router import api
from xuncha.org.services import api_token_issue

ROLES = ["admin", "leader_a", "office_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"]

# Web pages whose <pk> names an object of this kind.
WEB_OBJECT_PAGES = {
    "unit_detail": "unit", "committee_rules": "committee", "round_detail": "round", "round_approve": "round",
    "inspection_detail": "inspection", "inspection_advance": "inspection", "inspection_schedule": "inspection",
    "problem_create": "inspection", "problem_detail": "problem", "problem_edit": "problem", "task_create": "problem",
    "task_detail": "task", "task_progress": "task", "task_submit": "task", "task_close": "task", "task_return": "task",
    "clue_detail": "clue", "clue_dispose": "clue", "suggestion_complete": "suggestion",
    "task_urge": "task", "task_accountability": "task", "evidence_download": "evidence",
    "plan_detail": "plan", "plan_task_create": "plan", "plan_submit": "plan", "plan_accept": "plan",
    "plan_return": "plan", "plan_export": "plan", "plan_reconciliation_export": "plan", "plan_template": "plan",
    "plan_import": "plan", "plan_feedback": "plan", "plan_feedback_sign": "plan", "plan_feedback_docx": "plan",
    "plan_feedback_scan": "plan", "plan_report": "plan", "plan_report_docx": "plan", "plan_report_disclose": "plan",
    "plan_report_document": "plan",
    "flag_detail": "flag", "flag_resolve": "flag", "recheck_detail": "draw", "recheck_record": "recheck_item",
    "notification_open": "notification",
    "inspection_announcement": "inspection", "inspection_notice_docx": "inspection",
    "inspection_announcement_docx": "inspection",
    "registry_register": "inspection", "registry_detail": "report", "registry_sort": "report",
    "registry_forward": "report", "registry_reply": "report", "registry_identity_request": "report",
    "registry_identity_reveal": "report", "registry_attachment": "report_attachment",
    "identity_decide": "identity_request",
    "clue_sign_for": "clue", "clue_result": "clue", "clue_supervise": "clue", "clue_transfer_letter": "clue",
    "talk_plan": "inspection", "talk_detail": "talk", "talk_record": "talk", "talk_cancel": "talk",
    "talk_attachment": "talk_attachment",
    "triage_board": "triage_board", "triage_enter": "triage_board", "triage_report_docx": "triage_board",
    "triage_bulletin_docx": "triage_board", "triage_sort": "triage_item", "triage_notice_docx": "triage_item",
}
# Pages without an object: lists, exports, forms. They must not leak; some are for some roles only.
WEB_LIST_PAGES = {
    "workbench", "unit_tree", "round_list", "stats", "audit_list", "problem_list", "problem_export", "problem_import",
    "problem_import_template", "task_list", "task_export", "unit_portal", "clue_list", "suggestion_list",
    "rectification_dashboard", "notification_list", "notification_read_all", "plan_list", "accountability_list",
    "flag_list", "recheck_list", "recheck_draw", "registry_list", "identity_requests", "talk_list",
    "triage_list",
}
# Surveys (民主测评, 调查问卷, 巡察后评估), staff side. The public pages (namespace "survey", no login) are
# checked in tests/surveys/test_public_pages.py.
WEB_OBJECT_PAGES.update({
    "survey_create": "inspection", "survey_detail": "survey", "survey_edit": "survey", "survey_question": "survey",
    "survey_question_move": "survey", "survey_question_delete": "survey", "survey_open": "survey",
    "survey_close": "survey", "survey_tokens": "survey", "survey_tokens_void": "survey", "survey_results": "survey",
    "survey_export": "survey",
})
WEB_LIST_PAGES.add("survey_list")
WEB_PUBLIC_PAGES = {"login", "logout"}

# The object of each kind that each role may see (None: the role sees nothing of that kind).
INSIDE = {
    "admin": {"unit": "dept_b", "committee": "county_b", "round": "round_b", "inspection": "inspection_b1",
              "problem": "problem_b1", "task": "task_b1", "clue": "clue_b1", "suggestion": "suggestion_b1",
              "plan": "plan_b1", "evidence": "evidence_b1", "flag": "flag_b1",
              "draw": "draw_b1", "recheck_item": "item_b1", "notification": None},
    "leader_a": {"unit": "dept_a", "committee": "county_a", "round": "round_a", "inspection": "inspection_a1",
                 "problem": "problem_a1", "task": "task_a1", "clue": "clue_a1", "suggestion": "suggestion_a1",
                 "plan": "plan_a1", "evidence": "evidence_a1", "flag": "flag_a1",
                 "draw": "draw_a1", "recheck_item": "item_a1", "notification": None},
    "office_a": {"unit": "dept_a", "committee": "county_a", "round": "round_a", "inspection": "inspection_a1",
                 "problem": "problem_a1", "task": "task_a1", "clue": "clue_a1", "suggestion": "suggestion_a1",
                 "plan": "plan_a1", "evidence": "evidence_a1", "flag": "flag_a1",
                 "draw": "draw_a1", "recheck_item": "item_a1", "notification": None},
    "inspector_a": {"unit": "dept_a", "committee": None, "round": "round_a", "inspection": "inspection_a1",
                    "problem": "problem_a1", "task": "task_a1", "clue": "clue_a1", "suggestion": "suggestion_a1",
                    "plan": "plan_a1", "evidence": "evidence_a1", "flag": None,
                    "draw": None, "recheck_item": None, "notification": None},
    "inspector_a2": {"unit": "township_a", "committee": None, "round": "round_a", "inspection": "inspection_a2",
                     "problem": "problem_a_field", "task": None, "clue": None, "suggestion": None,
                     "plan": None, "evidence": None, "flag": None,
                     "draw": None, "recheck_item": None, "notification": None},
    "unit_a": {"unit": "dept_a", "committee": None, "round": "round_a", "inspection": "inspection_a1",
               "problem": "problem_a1", "task": "task_a1", "clue": None, "suggestion": "suggestion_a1",
               "plan": "plan_a1", "evidence": "evidence_a1", "flag": None,
               "draw": None, "recheck_item": None, "notification": None},
    "receiver_a": {"unit": None, "committee": None, "round": None, "inspection": None, "problem": None,
                   "task": None, "clue": "clue_a1", "suggestion": None,
                   "plan": None, "evidence": None, "flag": None,
                   "draw": None, "recheck_item": None, "notification": None},
}
# Reports (举报/信访) are read by the office of the subtree and the inspection's group only.
_REPORT_INSIDE = {"admin": "b1", "office_a": "a1", "inspector_a": "a1"}
for _role, _kinds in INSIDE.items():
    _side = _REPORT_INSIDE.get(_role)
    _kinds.update({"report": f"report_{_side}" if _side else None,
                   "report_attachment": f"attachment_{_side}" if _side else None,
                   "identity_request": "idreq_b1" if _role == "admin" else None,
                   # Talks (个别谈话) have the same readers as reports: the group, the office, the admin.
                   "talk": f"talk_{_side}" if _side else None,
                   "talk_attachment": f"talk_attachment_{_side}" if _side else None,
                   # The daily board (昼巡夜结) too: its items and the board of each inspection.
                   "triage_item": f"triage_{_side}" if _side else None,
                   "triage_board": f"board_{_side}" if _side else None})
# Objects of each kind that each role must never reach.
OUTSIDE = {
    "admin": {},
    "leader_a": {"unit": ["dept_b"], "committee": ["county_b"], "round": ["round_b"],
                 "inspection": ["inspection_b1"], "problem": ["problem_b1"], "task": ["task_b1"], "clue": ["clue_b1"],
                 "suggestion": ["suggestion_b1"]},
    "inspector_a": {"unit": ["dept_b", "township_a"], "committee": ["county_a", "county_b"], "round": ["round_b"],
                    "inspection": ["inspection_a2", "inspection_b1"], "problem": ["problem_a_field", "problem_b1"],
                    "task": ["task_b1"], "clue": ["clue_b1"], "suggestion": ["suggestion_b1"]},
    "inspector_a2": {"unit": ["dept_a", "dept_b"], "committee": ["county_a"], "round": ["round_b"],
                     "inspection": ["inspection_a1", "inspection_b1"], "problem": ["problem_a1", "problem_b1"],
                     "task": ["task_a1", "task_b1"], "clue": ["clue_a1", "clue_b1"],
                     "suggestion": ["suggestion_a1", "suggestion_b1"]},
    "unit_a": {"unit": ["dept_b", "township_a", "soe_a"], "committee": ["county_a", "county_b"], "round": ["round_b"],
               "inspection": ["inspection_a2", "inspection_b1"], "problem": ["problem_a_field", "problem_b1"],
               "task": ["task_b1"], "clue": ["clue_a1", "clue_b1"], "suggestion": ["suggestion_b1"]},
    "receiver_a": {"unit": ["dept_a", "dept_b"], "committee": ["county_a"], "round": ["round_a", "round_b"],
                   "inspection": ["inspection_a1"], "problem": ["problem_a1", "problem_b1"], "task": ["task_a1"],
                   "clue": ["clue_b1"], "suggestion": ["suggestion_a1"]},
}
_B = {"plan": ["plan_b1"], "evidence": ["evidence_b1"], "flag": ["flag_b1"], "draw": ["draw_b1"],
      "recheck_item": ["item_b1"]}
_BOTH = {kind: [f"{attrs[0][:-2]}a1", attrs[0]] for kind, attrs in _B.items()}
OUTSIDE["leader_a"].update(_B)
_OFFICE_ONLY = {k: _BOTH[k] for k in ("flag", "draw", "recheck_item")}  # oversight pages: no group, no unit
OUTSIDE["inspector_a"].update({**_B, **_OFFICE_ONLY})
OUTSIDE["inspector_a2"].update(_BOTH)
OUTSIDE["unit_a"].update({**_B, **_OFFICE_ONLY})
OUTSIDE["receiver_a"].update(_BOTH)
for _role in ("leader_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    OUTSIDE[_role]["notification"] = ["notification_b1"]  # a notification is its recipient's alone
OUTSIDE["office_a"] = dict(OUTSIDE["leader_a"])
_ALL_REPORTS = {"report": ["report_a1", "report_b1"], "report_attachment": ["attachment_a1", "attachment_b1"],
                "identity_request": ["idreq_a1", "idreq_b1"], "talk": ["talk_a1", "talk_b1"],
                "talk_attachment": ["talk_attachment_a1", "talk_attachment_b1"],
                "triage_item": ["triage_a1", "triage_b1"], "triage_board": ["board_a1", "board_b1"]}
for _role in ("leader_a", "inspector_a2", "unit_a", "receiver_a"):
    OUTSIDE[_role].update(_ALL_REPORTS)
# office_a is not the office head: it decides no identity request, its own county's included.
OUTSIDE["office_a"].update({"report": ["report_b1"], "report_attachment": ["attachment_b1"],
                            "identity_request": ["idreq_a1", "idreq_b1"], "talk": ["talk_b1"],
                            "talk_attachment": ["talk_attachment_b1"], "triage_item": ["triage_b1"],
                            "triage_board": ["board_b1"]})
OUTSIDE["inspector_a"].update({"report": ["report_b1"], "report_attachment": ["attachment_b1"],
                               "identity_request": ["idreq_a1", "idreq_b1"], "talk": ["talk_b1"],
                               "talk_attachment": ["talk_attachment_b1"], "triage_item": ["triage_b1"],
                               "triage_board": ["board_b1"]})

# Surveys have the readers of the talks: the inspection's group, the office of the subtree, the admin.
for _role, _kinds in INSIDE.items():
    _kinds["survey"] = {"admin": "survey_b1", "office_a": "survey_a1", "inspector_a": "survey_a1"}.get(_role)
for _role in ("leader_a", "inspector_a2", "unit_a", "receiver_a"):
    OUTSIDE[_role]["survey"] = ["survey_a1", "survey_b1"]
for _role in ("office_a", "inspector_a"):
    OUTSIDE[_role]["survey"] = ["survey_b1"]

# Text that must never appear on any page or API answer for the role (other counties, other groups, clues).
SECRETS = {
    "leader_a": ["乙县财政局公务用车管理混乱", "乙县财政局某科长收受礼金问题线索"],
    "office_a": ["乙县财政局公务用车管理混乱", "乙县财政局某科长收受礼金问题线索"],
    "inspector_a": ["城关镇惠民资金公示不及时", "乙县财政局公务用车管理混乱", "乙县财政局某科长收受礼金问题线索"],
    "inspector_a2": ["落实全面从严治党主体责任不力", "某副局长违规发放津补贴问题线索", "乙县财政局公务用车管理混乱"],
    "unit_a": ["某副局长违规发放津补贴问题线索", "城关镇惠民资金公示不及时", "乙县财政局公务用车管理混乱",
               "乙县财政局某科长收受礼金问题线索"],
    "receiver_a": ["落实全面从严治党主体责任不力", "乙县财政局某科长收受礼金问题线索", "城关镇惠民资金公示不及时"],
    "admin": [],
}


@pytest.fixture
def world(db):
    """The shared world, plus one object of each rectification kind in county A and in county B."""
    from tests.world import build_world
    from xuncha.core.dates import today
    from xuncha.fieldwork.models import Talk, TalkAttachment, TriageItem
    from xuncha.notifications.services import notify
    from xuncha.rectification.evidence import evidence_save
    from xuncha.rectification.models import IntegrityFlag, RecheckDraw, RecheckItem
    from xuncha.reports.models import IdentityAccessRequest, Report, ReportAttachment

    w = build_world()
    for side, task, user in (("a1", w.task_a1, w.user("unit_a")), ("b1", w.task_b1, w.user("unit_b"))):
        setattr(w, f"plan_{side}", task.plan)
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        setattr(w, f"evidence_{side}", evidence_save(actor=user, name=f"evidence-{side}.pdf", data=pdf, task=task))
        setattr(w, f"flag_{side}", IntegrityFlag.objects.create(kind="restated_problem", task=task, key=f"m:{side}"))
        draw = RecheckDraw.objects.create(round=task.problem.inspection.round, sample_size=1, seed=side,
                                          population=[task.pk], sample=[task.pk])
        setattr(w, f"draw_{side}", draw)
        setattr(w, f"item_{side}", RecheckItem.objects.create(draw=draw, task=task))
    for side, inspection, asker in (("a1", w.inspection_a1, w.user("inspector_a")),
                                    ("b1", w.inspection_b1, w.user("inspector_b"))):
        report = Report.objects.create(inspection=inspection, content=REPORT_TEXT[side], received_on=today(),
                                       anonymous=False)
        setattr(w, f"report_{side}", report)
        stored = evidence_save(actor=None, name=f"report-{side}.pdf", data=b"%PDF-1.4\n%%EOF\n")
        setattr(w, f"attachment_{side}", ReportAttachment.objects.create(report=report, file=stored))
        setattr(w, f"idreq_{side}", IdentityAccessRequest.objects.create(report=report, requested_by=asker,
                                                                          reason="核实举报人反映的具体情况需要联系"))
        talk = Talk.objects.create(inspection=inspection, unit=inspection.units.first(), interviewee="某局长",
                                   planned_on=today(), held_on=today(), status="held", record=TALK_TEXT[side])
        setattr(w, f"talk_{side}", talk)
        stored = evidence_save(actor=None, name=f"talk-{side}.pdf", data=b"%PDF-1.4\n%%EOF\n")
        setattr(w, f"talk_attachment_{side}", TalkAttachment.objects.create(talk=talk, file=stored))
        # An item of the daily board sorted 立行立改, with its notice (written directly: the inspection left 进驻).
        problem, task = (w.problem_a1, w.task_a1) if side == "a1" else (w.problem_b1, w.task_b1)
        setattr(w, f"triage_{side}", TriageItem.objects.create(
            inspection=inspection, unit=problem.unit, source="records", summary=TRIAGE_TEXT[side], found_on=today(),
            outcome="immediate", sorted_on=today(), problem=problem, task=task, notice_number=1,
            notice_due_on=today()))
        setattr(w, f"board_{side}", inspection)
    # A 巡察后评估 of each inspection (both past feedback), opened and answered once through the services.
    from xuncha.surveys import services as surveys

    for side, inspection in (("a1", w.inspection_a1), ("b1", w.inspection_b1)):
        survey = surveys.survey_create(actor=None, inspection=inspection, purpose="evaluation", opens_on=today(),
                                       closes_on=today(), title=SURVEY_TITLE[side], from_template=False)
        question = surveys.question_save(actor=None, survey=survey, expected_version=None, kind="text",
                                         text="对巡察组的意见建议")
        survey = surveys.survey_open(actor=None, survey=survey, expected_version=None)
        _batch, codes = surveys.tokens_issue(actor=None, survey=survey, count=2)
        surveys.response_submit(code=codes[0], answers={str(question.pk): SURVEY_TEXT[side]})
        setattr(w, f"survey_{side}", survey)
    # Group discipline (巡察组纪律): a work log, a 组务会 and a 请示报告 of each side's group, written as the system.
    from xuncha.groupwork import services as groupwork

    w.group_a2 = w.inspection_a2.group
    for side, inspection in (("a1", w.inspection_a1), ("b1", w.inspection_b1)):
        group = inspection.group
        membership = group.memberships.get()
        setattr(w, f"group_{side}", group)
        setattr(w, f"worklog_{side}", groupwork.worklog_save(actor=None, membership=membership, on_date=today(),
                                                             content=GROUPWORK_TEXT[side][0]))
        setattr(w, f"meeting_{side}", groupwork.meeting_record(actor=None, group=group, held_on=today(), topic="组务会",
                                                               attendees=[membership.user],
                                                               minutes=GROUPWORK_TEXT[side][1]))
        setattr(w, f"grouprequest_{side}", groupwork.grouprequest_submit(
            actor=None, group=group, kind="request", title="关于延长进驻时间的请示", content=GROUPWORK_TEXT[side][2]))
    # A group draw for each county's finance bureau, committed and drawn from a two-person pool (web/draw_urls.py).
    import datetime

    from xuncha.pool import services as pool
    from xuncha.pool.models import Talent

    for side, committee, unit, name in (("a1", w.county_a, w.dept_a, "甲县抽取人选欧阳明"),
                                        ("b1", w.county_b, w.dept_b, "乙县抽取人选司马青")):
        for n, (person, gender) in enumerate(((name, "M"), (f"{name[:2]}抽取人选二", "F"))):
            Talent.objects.create(committee=committee, name=person, id_number=f"33010219800101{n}{side}X",
                                  gender=gender, birth_date=datetime.date(1980, 1, 1), speciality="audit", rank=3,
                                  can_lead=n == 0, unit_name=f"{name[:2]}审计局{n}")
        draw = pool.draw_commit(actor=None, unit=unit)
        setattr(w, f"pool_draw_{side}", pool.draw_run(actor=None, draw=draw, witness_words="",
                                                      expected_version=draw.version))
    # The talent pool (巡察人才库, web/pool_urls.py): one member in each county's pool, through the service; the groups
    # whose members are assessed (考评) are the world's groups.
    from xuncha.core.id_numbers import check_digit
    from xuncha.pool import members as pool_members

    for side, committee, name in (("a1", w.county_a, TALENT_NAME["a1"]), ("b1", w.county_b, TALENT_NAME["b1"])):
        first17 = f"33010219750505{'07' if side == 'a1' else '09'}1"
        setattr(w, f"talent_{side}", pool_members.talent_create(
            actor=None, committee=committee, name=name, id_number=first17 + check_digit(first17), kind="cadre",
            speciality="discipline", unit_name=f"{name[:2]}纪委监委"))
    w.pool_group_a1, w.pool_group_a2, w.pool_group_b1 = (w.inspection_a1.group, w.inspection_a2.group,
                                                         w.inspection_b1.group)
    notify(recipients=[w.user("office_b")], kind="urge", title="乙县催办", dedupe_key="matrix")
    w.notification_b1 = w.user("office_b").notifications.get(dedupe_key="matrix")
    return w


REPORT_TEXT = {"a1": "举报甲县财政局某股长利用职务便利为亲属承揽工程", "b1": "举报乙县财政局某科长违规报销差旅费"}
TALK_TEXT = {"a1": "谈话中反映甲县财政局专项资金拨付存在优亲厚友", "b1": "谈话中反映乙县财政局公车私用情况"}
TRIAGE_TEXT = {"a1": "调阅资料发现甲县财政局食堂账目混乱", "b1": "调阅资料发现乙县财政局车辆维修费异常"}
for _role in ("leader_a", "office_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role] += [REPORT_TEXT["b1"], TALK_TEXT["b1"], TRIAGE_TEXT["b1"]]
for _role in ("leader_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role] += [REPORT_TEXT["a1"], TALK_TEXT["a1"], TRIAGE_TEXT["a1"]]

SURVEY_TITLE = {"a1": "甲县财政局巡察后评估问卷", "b1": "乙县财政局巡察后评估问卷"}
SURVEY_TEXT = {"a1": "评估意见：甲县财政局巡察组进驻期间作风扎实", "b1": "评估意见：乙县财政局巡察组反馈意见针对性强"}
for _role in ("leader_a", "office_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role] += [SURVEY_TITLE["b1"], SURVEY_TEXT["b1"]]
for _role in ("leader_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role] += [SURVEY_TITLE["a1"], SURVEY_TEXT["a1"]]

# Group discipline (巡察组纪律): the group's pages, its sign-in, work logs, 组务会 and 请示报告. Readers: the group's
# members who signed the pledge (world signs them all), the office of the subtree, the admin; the leading group,
# units and receivers read nothing. Work logs: the writer and the leader (inspector_a leads group 1 alone).
WEB_OBJECT_PAGES.update({
    "groupwork_group": "group", "groupwork_pledge": "group", "groupwork_branch": "group",
    "attendance_month": "group", "attendance_sign_in": "group", "attendance_record": "group",
    "attendance_export": "group", "worklog_list": "group", "worklog_write": "group", "worklog_detail": "worklog",
    "meeting_list": "group", "meeting_create": "group", "meeting_detail": "meeting", "meeting_edit": "meeting",
    "grouprequest_create": "group", "grouprequest_detail": "grouprequest", "grouprequest_answer": "grouprequest",
})
WEB_LIST_PAGES.update({"groupwork_home", "grouprequest_list"})
_GROUPWORK_KINDS = ("worklog", "meeting", "grouprequest")
for _role, _kinds in INSIDE.items():
    _side = {"admin": "b1", "office_a": "a1", "inspector_a": "a1"}.get(_role)
    _kinds["group"] = {"admin": "group_b1", "office_a": "group_a1", "inspector_a": "group_a1",
                       "inspector_a2": "group_a2"}.get(_role)
    _kinds.update({kind: f"{kind}_{_side}" if _side else None for kind in _GROUPWORK_KINDS})
for _role in ("leader_a", "unit_a", "receiver_a"):
    OUTSIDE[_role]["group"] = ["group_a1", "group_a2", "group_b1"]
OUTSIDE["office_a"]["group"] = ["group_b1"]
OUTSIDE["inspector_a"]["group"] = ["group_a2", "group_b1"]
OUTSIDE["inspector_a2"]["group"] = ["group_a1", "group_b1"]
for _role in ("leader_a", "inspector_a2", "unit_a", "receiver_a"):
    OUTSIDE[_role].update({kind: [f"{kind}_a1", f"{kind}_b1"] for kind in _GROUPWORK_KINDS})
for _role in ("office_a", "inspector_a"):
    OUTSIDE[_role].update({kind: [f"{kind}_b1"] for kind in _GROUPWORK_KINDS})
GROUPWORK_TEXT = {
    "a1": ("工作日志：调阅甲县财政局专项资金台账", "组务会纪要：甲县财政局谈话安排", "请示：甲县财政局账目需延伸检查"),
    "b1": ("工作日志：调阅乙县财政局车辆维修台账", "组务会纪要：乙县财政局谈话安排", "请示：乙县财政局账目需延伸检查"),
}
for _role in ("leader_a", "office_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role] += list(GROUPWORK_TEXT["b1"])
for _role in ("leader_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role] += list(GROUPWORK_TEXT["a1"])

# Group draws (抽取巡察组, web/draw_urls.py): the office of the subtree and the admin only; for every other role the
# draws do not exist. A pool member's name is personal data: other counties and other roles never see it.
WEB_OBJECT_PAGES.update({
    "draw_detail": "pool_draw", "draw_slip": "pool_draw", "draw_run": "pool_draw", "draw_apply": "pool_draw",
    "draw_group_docx": "pool_draw", "draw_record_docx": "pool_draw", "draw_record_json": "pool_draw",
})
WEB_LIST_PAGES.update({"draw_list", "draw_create"})
for _role, _kinds in INSIDE.items():
    _kinds["pool_draw"] = {"admin": "pool_draw_b1", "office_a": "pool_draw_a1"}.get(_role)
for _role in ("leader_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    OUTSIDE[_role]["pool_draw"] = ["pool_draw_a1", "pool_draw_b1"]
    SECRETS[_role].append("甲县抽取人选欧阳明")
OUTSIDE["office_a"]["pool_draw"] = ["pool_draw_b1"]
for _role in ("leader_a", "office_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role].append("乙县抽取人选司马青")

# The talent pool (巡察人才库, web/pool_urls.py): the office of the subtree and the admin only ("talent"). A group's
# assessments (考评, "pool_group"): the office of the subtree, the admin, and the group's own leader once they signed
# the pledge (inspector_a leads group 1, inspector_a2 group 2); every other role reads nothing.
WEB_OBJECT_PAGES.update({
    "pool_detail": "talent", "pool_edit": "talent", "pool_availability": "talent", "pool_work_add": "talent",
    "pool_work_remove": "talent", "pool_relative_add": "talent", "pool_relative_remove": "talent",
    "pool_declaration_add": "talent", "pool_declaration_remove": "talent",
    "pool_group_detail": "pool_group", "pool_assess": "pool_group",
})
WEB_LIST_PAGES.update({"pool_list", "pool_create", "pool_import", "pool_import_template", "pool_groups"})
TALENT_NAME = {"a1": "甲县人才库成员上官云", "b1": "乙县人才库成员慕容雪"}
for _role, _kinds in INSIDE.items():
    _kinds["talent"] = {"admin": "talent_b1", "office_a": "talent_a1"}.get(_role)
    _kinds["pool_group"] = {"admin": "pool_group_b1", "office_a": "pool_group_a1", "inspector_a": "pool_group_a1",
                            "inspector_a2": "pool_group_a2"}.get(_role)
for _role in ("leader_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    OUTSIDE[_role]["talent"] = ["talent_a1", "talent_b1"]
    SECRETS[_role].append(TALENT_NAME["a1"])
for _role in ("leader_a", "unit_a", "receiver_a"):
    OUTSIDE[_role]["pool_group"] = ["pool_group_a1", "pool_group_a2", "pool_group_b1"]
OUTSIDE["office_a"].update({"talent": ["talent_b1"], "pool_group": ["pool_group_b1"]})
OUTSIDE["inspector_a"]["pool_group"] = ["pool_group_a2", "pool_group_b1"]
OUTSIDE["inspector_a2"]["pool_group"] = ["pool_group_a1", "pool_group_b1"]
for _role in ("leader_a", "office_a", "inspector_a", "inspector_a2", "unit_a", "receiver_a"):
    SECRETS[_role].append(TALENT_NAME["b1"])


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry.name


def test_every_web_page_is_in_the_matrix():
    web_names = {name for ns, name in _patterns() if ns == "web"}
    known = set(WEB_OBJECT_PAGES) | WEB_LIST_PAGES | WEB_PUBLIC_PAGES
    assert web_names - known == set(), "pages added without a permission-matrix entry"
    assert known - web_names == set(), "matrix entries for pages that no longer exist"


def _web_url(name: str, obj) -> str:
    from django.urls import reverse

    return reverse(f"web:{name}", kwargs={"pk": obj.pk})


def _call(client, name, url):
    response = client.get(url)
    if response.status_code == 405:  # POST-only action: an empty POST must still be scoped
        response = client.post(url, {})
    return response


@pytest.mark.parametrize("role", ROLES)
def test_web_object_pages_404_outside_scope(world, client, role):
    client.force_login(world.user(role))
    failures = []
    for name, kind in WEB_OBJECT_PAGES.items():
        for attr in OUTSIDE[role].get(kind, []):
            response = _call(client, name, _web_url(name, getattr(world, attr)))
            if response.status_code != 404:
                failures.append(f"{name} on {attr}: {response.status_code}")
        inside = INSIDE[role][kind]
        if inside is not None and name.endswith(("_detail",)):
            response = client.get(_web_url(name, getattr(world, inside)))
            if response.status_code != 200:
                failures.append(f"{name} on own {inside}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_web_pages_never_show_what_is_out_of_scope(world, client, role):
    from django.urls import reverse

    client.force_login(world.user(role))
    failures = []
    urls = [reverse(f"web:{name}") for name in sorted(WEB_LIST_PAGES)]
    for name, kind in WEB_OBJECT_PAGES.items():
        inside = INSIDE[role][kind]
        if inside is not None:
            urls.append(_web_url(name, getattr(world, inside)))
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
            continue
        body = response.content.decode("utf-8", "replace") if response.get("Content-Type", "").startswith(
            "text/") else _xlsx_text(response)
        for secret in SECRETS[role]:
            if secret in body:
                failures.append(f"{url} shows {secret}")
    assert failures == []


def _xlsx_text(response) -> str:
    import io

    import openpyxl

    if response.status_code != 200:
        return ""
    content_type = response.get("Content-Type", "")
    if "wordprocessingml" in content_type:
        return docx_paragraphs(response.content)
    if "spreadsheetml" not in content_type:
        return ""  # evidence files and scans: their content is the uploader's, checked by scope above
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


def test_pages_need_a_login(client, world):
    from django.urls import reverse

    for name in sorted(WEB_LIST_PAGES):
        response = client.get(reverse(f"web:{name}"))
        assert response.status_code in (302, 404), name
        if response.status_code == 302:
            assert "/login/" in response["Location"], name


# ---- the API -------------------------------------------------------------------------------------------
API_KIND_BY_SEGMENT = {"units": "unit", "rounds": "round", "inspections": "inspection", "problems": "problem",
                       "tasks": "task", "clues": "clue", "suggestions": "suggestion", "committees": "committee",
                       "plans": "plan", "notifications": "notification", "reports": "report", "talks": "talk"}


def _api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if method in ("get", "post", "patch", "put", "delete"):
                ops.append((method, path))
    return ops


def _example_body(method: str, path: str) -> dict:
    """A body that passes the operation's schema, so the call reaches the scoping check."""
    schema = api.get_openapi_schema()
    operation = schema["paths"][path][method]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return {}
    return _example(content["schema"], schema["components"]["schemas"])


def _example(node: dict, components: dict):
    import datetime

    if "$ref" in node:
        return _example(components[node["$ref"].rsplit("/", 1)[-1]], components)
    if "anyOf" in node:
        return _example(next(n for n in node["anyOf"] if n.get("type") != "null"), components)
    if "allOf" in node:
        return _example(node["allOf"][0], components)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        return {name: _example(sub, components) for name, sub in node.get("properties", {}).items()
                if name in node.get("required", [])}
    if kind == "string":
        return datetime.date.today().isoformat() if node.get("format") == "date" else "测试内容"
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return None


def _api_path_for(path: str, obj) -> str:
    return re.sub(r"\{[^}]+\}", str(obj.pk), path, count=1)


def _token(user) -> str:
    return api_token_issue(user=user)


def test_every_api_operation_requires_a_token_except_the_token_endpoint(world, client):
    for method, path in _api_operations():
        if path.endswith("/auth/token"):
            continue
        url = _api_path_for(path, world.problem_a1)
        response = getattr(client, method)(url, content_type="application/json", data={} if method != "get" else None)
        assert response.status_code == 401, f"{method.upper()} {path} answers {response.status_code} without a token"


@pytest.mark.parametrize("role", ROLES)
def test_api_objects_404_outside_scope(world, client, role):
    token = _token(world.user(role))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    failures = []
    for method, path in _api_operations():
        if "{" not in path:
            continue
        segment = path.split("/api/v1/", 1)[-1].split("/")[0]
        kind = API_KIND_BY_SEGMENT.get(segment)
        assert kind, f"{path}: add its first segment to API_KIND_BY_SEGMENT"
        for attr in OUTSIDE[role].get(kind, []):
            url = _api_path_for(path, getattr(world, attr))
            body = _example_body(method, path) if method != "get" else None
            response = getattr(client, method)(url, content_type="application/json", data=body, **headers)
            if response.status_code != 404:
                failures.append(f"{method.upper()} {path} on {attr}: {response.status_code}")
        inside = INSIDE[role].get(kind)
        if inside is not None and method == "get":
            url = _api_path_for(path, getattr(world, inside))
            response = client.get(url, **headers)
            if response.status_code != 200:
                failures.append(f"GET {path} on own {inside}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_never_show_what_is_out_of_scope(world, client, role):
    token = _token(world.user(role))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    failures = []
    for method, path in _api_operations():
        if method != "get" or "{" in path:
            continue
        response = client.get(path, **headers)
        if response.status_code >= 500:
            failures.append(f"GET {path}: {response.status_code}")
        body = response.content.decode()
        for secret in SECRETS[role]:
            if secret in body:
                failures.append(f"GET {path} shows {secret}")
    assert failures == []
