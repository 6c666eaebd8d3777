"""Group discipline in the demo: the group `inspector` leads in 进驻 (2026年第2轮 第一巡察组 at 双溪乡 …) keeps its
temporary party branch, daily sign-in and work logs for every working day since entry, the minutes of its 组务会, and
its 请示报告 (one answered by the office, one by the leading group, one still open). Every group that has entered has
its branch formed the day before its entry.

The 巡察后评估 at seed 001's scale: the cadres of an inspected unit rate the group's conduct after feedback (900 codes
handed out, 872 answers, 47 suggestions, 满意率 99.82 %, as seed 001 reports for the round it describes). The survey
goes through the services; the 872 answer sheets are written in bulk (the services would take seconds).

The pledge gate: `inspector2` leads 第一巡察组 of the round in preparation and has not signed the group's
confidentiality pledge, so the group's inspections do not exist for them until they sign. `inspector`'s own group in
进驻 stays signed (the other stories rely on it).

Rows are written in bulk with the builder's Writer (one `demo.build` audit event per kind).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from xuncha.core.dates import today
from xuncha.demo.builder import Row, Writer
from xuncha.demo.fieldwork_story import demo_fieldwork_inspection
from xuncha.groupwork.models import (
    Addressee,
    Attendance,
    GroupRequest,
    Meeting,
    Presence,
    RequestKind,
    RequestStatus,
    WorkLog,
)
from xuncha.org.models import Committee, Role, UnitKind, User
from xuncha.rounds.models import GroupMembership, GroupRole, Inspection, InspectionGroup, Stage
from xuncha.surveys import services as surveys
from xuncha.surveys.models import FAVOURABLE, QuestionKind, Response, Survey, Token, TokenBatch

SEED = "qingyu-demo-groupwork"
PLEDGE_ACCOUNT = ("inspector2", "吴秀英")
# Seed 001: 872 cadres rated the groups after feedback, 47 suggestions, 满意率 99.82 %.
EVALUATION = {"codes": 900, "answers": 872, "suggestions": 47, "unfavourable": 11, "lukewarm": 0.035}
EVALUATION_SUGGESTIONS = [
    "巡察组工作作风严谨，建议整改阶段加强跟踪指导。", "建议反馈问题时同步提供整改参考案例。",
    "希望巡察前加强与被巡察单位的沟通，提高资料调阅效率。", "巡察组纪律严明、保守秘密，干部职工认可度高。",
    "建议对共性问题开展专题培训，推动以案促改。", "希望巡察发现的制度漏洞及时推动建章立制。",
    "个别谈话安排紧凑，建议适当延长谈话时间。", "巡察反馈意见针对性强，对改进工作帮助很大。",
    "建议加强对临床一线科室的走访，多听一线医务人员意见。", "希望整改督导时给予更多政策解读。",
    "建议巡察组进驻期间减少对正常诊疗工作的影响。", "巡察组对医保基金使用问题指出得很准，希望持续跟踪。",
    "建议把巡察整改纳入科室年度考核。", "希望多开展“回头看”，防止问题反弹。",
    "巡察组成员态度和蔼，谈话让人敢说真话。", "建议公开巡察整改进展，接受职工监督。",
    "希望对药品耗材采购环节开展专项检查。", "建议建立巡察整改长效机制，防止“一巡了之”。",
    "巡察组调阅资料规范，交接手续清楚。", "希望上级巡察组多指导基层党支部建设。",
]

AWAY_NOTES = ["赴县档案馆调阅资料", "赴{village}走访群众", "赴县财政局调取惠民资金发放明细", "参加县委巡察办业务培训",
              "赴县公安局调阅罚没款收支资料"]
LEAVE_NOTES = ["事假半天（孩子生病），经组长批准", "病假一天，已提交请假条", "事假（家中老人住院），经组长批准"]
LOG_PARTS = {
    GroupRole.LEADER: ["主持召开当日碰头会，梳理昼巡夜结事项{m}条", "与{unit}主要负责人开展个别谈话",
                       "审核问题底稿{m}份，退回补充证据{s}份", "向县委巡察办汇报进驻以来工作情况",
                       "研究信访件分类处置意见", "审阅{unit}党委会议记录，重点了解“三重一大”决策情况"],
    GroupRole.DEPUTY: ["带领小组赴{unit}调阅{year}年以来会议记录和财务凭证", "组织开展个别谈话{n}人次",
                       "梳理信访件{m}件，提出分类处置意见", "复核问题底稿{m}份", "听取{unit}关于上轮巡察整改情况的汇报"],
    GroupRole.LIAISON: ["与{unit}对接调阅资料清单，接收资料{n}份", "整理当日谈话记录并登记归档",
                        "汇总昼巡夜结事项，起草边汇报材料", "登记受理信访件{s}件", "做好当日考勤和资料交接登记"],
    GroupRole.MEMBER: ["查阅{unit}{year}年度财务凭证{n}册，摘录疑点{s}条", "走访{village}群众{n}户，了解惠民资金发放情况",
                       "参加个别谈话并做记录{m}人次", "核对低保对象名单与财政供养人员信息{n}条",
                       "起草问题底稿{s}份", "实地查看{village}水渠工程建设情况", "查阅{unit}公务接待台账和公车使用记录"],
}


def _weekdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def tell_groupwork_story(*, county: Committee, office: User, inspector: User | None) -> dict:
    rng = random.Random(SEED)
    writer = Writer()
    counts = {"branches": _branches(county), "pledge_gate": _pledge_gate(county),
              "seed_scale_evaluation": _evaluation_at_seed_scale(county, office, rng)}
    inspection = demo_fieldwork_inspection(county)
    if inspection is not None and inspector is not None:
        counts.update(_discipline(inspection.group, office, rng, writer))
    root = Committee.objects.get(pk=int(county.path.strip("/").split("/")[0]))
    writer.finish()
    writer.audit(root=root, scale="county", on=today())
    return counts


def _branches(county: Committee) -> int:
    """The temporary party branch of every group that has entered: formed at the group's first meeting, the day its
    members signed the pledge (else the day before its first entry)."""
    first: dict[int, datetime.date] = {}
    for group_id, entry in (Inspection.objects.filter(round__committee=county).exclude(stage=Stage.PREPARE)
                            .order_by("entry_on").values_list("group_id", "entry_on")):
        if entry:
            first.setdefault(group_id, entry - datetime.timedelta(days=1))
    for group_id, signed in (GroupMembership.objects.filter(group_id__in=list(first), pledge_signed_at__isnull=False)
                             .order_by("-pledge_signed_at").values_list("group_id", "pledge_signed_at")):
        first[group_id] = timezone.localtime(signed).date()  # the earliest signature wins
    by_day: dict[datetime.date, list[int]] = {}
    for group_id, day in first.items():
        by_day.setdefault(day, []).append(group_id)
    for day, ids in by_day.items():
        InspectionGroup.objects.filter(pk__in=ids).update(branch_formed_on=day)
    return len(first)


def _pledge_gate(county: Committee) -> int:
    """`inspector2` takes the lead of 第一巡察组 of the round in preparation (the group that will inspect the village
    of the demo draw), without having signed its pledge."""
    preparing = (Inspection.objects.filter(round__committee=county, stage=Stage.PREPARE)
                 .select_related("group").order_by("id"))
    inspection = (preparing.filter(units__parent__name="双溪乡").first() or preparing.first())
    if inspection is None:
        return 0
    leader = inspection.group.memberships.filter(role=GroupRole.LEADER).first()
    template = User.objects.filter(username="inspector").first()
    if leader is None or template is None:
        return 0
    username, display_name = PLEDGE_ACCOUNT
    account = User.objects.create(username=username, role=Role.INSPECTOR, display_name=display_name,
                                  committee=county, password=template.password)
    GroupMembership.objects.filter(pk=leader.pk).update(user=account, pledge_signed_at=None, pledge_text="")
    return 1


def _discipline(group: InspectionGroup, office: User, rng: random.Random, writer: Writer) -> dict:
    on = today()
    inspections = list(group.inspections.filter(stage=Stage.FIELDWORK).prefetch_related("units__parent")
                       .order_by("entry_on", "id"))
    entry = min(i.entry_on for i in inspections)
    group.refresh_from_db(fields=["branch_formed_on"])
    formed = group.branch_formed_on or entry - datetime.timedelta(days=1)
    units = [u for i in inspections for u in i.units.all()]
    township = next((u for u in units if u.kind == UnitKind.TOWNSHIP), units[0])
    villages = [u for u in units if u.kind == UnitKind.VILLAGE] or [township]
    department = next((u for u in units if u.kind == UnitKind.DEPARTMENT), township)
    members = sorted(group.memberships.select_related("user"),
                     key=lambda m: ({GroupRole.LEADER: 0, GroupRole.DEPUTY: 1, GroupRole.LIAISON: 2}.get(m.role, 3),
                                    m.pk))
    leader = members[0]
    liaison = next((m for m in members if m.role == GroupRole.LIAISON), leader)
    deputy = next((m for m in members if m.role == GroupRole.DEPUTY), leader)
    days = _weekdays(entry, on)

    attendance, logs = [], []
    absent: dict[datetime.date, list[int]] = {}
    for day in days:
        for m in members:
            roll = rng.random()
            if m is leader:
                presence = Presence.AWAY if roll < 0.04 else Presence.PRESENT
            else:
                presence = (Presence.ON_LEAVE if roll < 0.04 else Presence.AWAY if roll < 0.11
                            else Presence.PRESENT)
            note = ""
            if presence == Presence.ON_LEAVE:
                note = rng.choice(LEAVE_NOTES)
                absent.setdefault(day, []).append(m.user_id)
            elif presence == Presence.AWAY:
                note = rng.choice(AWAY_NOTES).format(village=str(rng.choice(villages)))
                if m is leader:
                    note = "赴县委巡察办汇报工作"
            # A member signs in themselves; leave and business away are recorded by the liaison (or the leader).
            signed = _at(day, 8, rng.randint(0, 28)) if presence == Presence.PRESENT else None
            keeper = leader if m is liaison else liaison
            attendance.append(Row(membership_id=m.pk, on_date=day, presence=presence, signed_at=signed, note=note,
                                  recorded_by_id=m.user_id if presence == Presence.PRESENT else keeper.user_id,
                                  version=1))
            if presence != Presence.ON_LEAVE and day < on:
                written = _at(day, 18, rng.randint(0, 59))
                logs.append(Row(membership_id=m.pk, on_date=day, content=_log(rng, m.role, township, villages,
                                                                           department, day),
                                created_at=written, updated_at=written, version=1))
    # One member forgot to sign in one morning: recorded absent, the leader reminded them.
    late = [r for r in attendance if r.presence == Presence.PRESENT and r.membership_id not in (leader.pk, liaison.pk)]
    if late:
        slip = late[len(late) // 3]
        slip.presence, slip.signed_at, slip.recorded_by_id = Presence.ABSENT, None, liaison.user_id
        slip.note = "上午未按时签到，经核实系迟到，组长已谈话提醒"
    writer.insert(Attendance, attendance)
    writer.insert(WorkLog, logs)

    everyone = [m.user_id for m in members]
    meetings = _meetings(entry, formed, on, township, villages, department, leader, deputy, liaison, members)
    saved = writer.save(Meeting, [Meeting(group=group, held_on=day, topic=topic, minutes=minutes, decisions=decisions,
                                          recorded_by_id=liaison.user_id)
                                  for day, topic, minutes, decisions in meetings])
    through = Meeting.attendees.through
    through.objects.bulk_create([through(meeting_id=m.pk, user_id=u) for m in saved for u in everyone
                                 if u not in absent.get(m.held_on, [])])

    requests = _requests(entry, on, township, villages, department, leader.user, office)
    writer.save(GroupRequest, [GroupRequest(group=group, **r) for r in requests])
    return {"attendance": len(attendance), "work_logs": len(logs), "meetings": len(saved), "requests": len(requests)}


def _log(rng: random.Random, role: str, township, villages, department, day: datetime.date) -> str:
    parts = rng.sample(LOG_PARTS.get(role, LOG_PARTS[GroupRole.MEMBER]), k=rng.randint(2, 3))
    unit = rng.choice([township, township, department])
    slots = {"unit": unit.name, "village": str(rng.choice(villages)), "year": day.year - rng.randint(1, 3),
             "n": rng.randint(3, 12), "m": rng.randint(2, 6), "s": rng.randint(1, 3)}
    return "；".join(p.format(**slots) for p in parts) + "。"


def _meetings(entry, formed, on, township, villages, department, leader, deputy, liaison, members):
    village = str(villages[0])
    others = "、".join(m.user.display_name for m in members if m not in (leader, deputy, liaison))
    plan = [
        (formed, "巡察组第一次组务会暨临时党支部成立会议",
         f"传达学习县委书记专题会议精神和本轮巡察工作方案。宣布成立巡察组临时党支部，{leader.user.display_name}任书记，"
         f"{deputy.user.display_name}任委员。学习《中国共产党巡视工作条例》和巡察工作纪律要求，全体成员签订保密承诺。"
         f"明确组内分工：{deputy.user.display_name}负责个别谈话和信访件办理，{liaison.user.display_name}负责联络、"
         f"资料调阅和考勤，{others}分别负责财务、工程项目和惠民资金等方面的资料查阅。",
         "1. 临时党支部即日成立，进驻期间每周过一次组织生活；\n2. 分两个小组开展工作，每日17:30召开碰头会（昼巡夜结）；\n"
         "3. 严格执行请销假制度，离开驻地须经组长批准。"),
        (entry + datetime.timedelta(days=7), "研究个别谈话安排和信访件办理",
         f"听取进驻首周个别谈话和信访受理情况汇报。已与{township.name}班子成员、中层干部及村干部开展个别谈话，"
         f"受理信访件若干件，其中反映{village}低保评定不公的有两件，内容相近。",
         f"1. 反映低保评定的两件信访件合并办理，安排专人到{village}核实；\n2. 下周完成对{department.name}的个别谈话；\n"
         "3. 谈话记录当日整理、当日归档。"),
        (entry + datetime.timedelta(days=14), "分析研判阶段性发现问题，研究立行立改事项",
         f"逐条分析进驻以来发现的问题。惠民资金“一卡通”发放存在先发放后公示的情况，{village}低保对象中有村干部近亲属，"
         "村级水渠工程未公开招标。经讨论，对低保问题发出立行立改通知。",
         f"1. 向{township.name}党委发出立行立改通知，限期十日内完成低保对象排查；\n2. 水渠工程问题形成问题线索材料，"
         "提请领导小组研究；\n3. 问题底稿须附证据材料目录，由副组长复核。"),
        (on - datetime.timedelta(days=1), "研究问题线索移交和下一阶段工作重点",
         "听取问题底稿复核情况汇报，研究拟移交问题线索，部署下一阶段对工程项目和“三资”管理的延伸了解。",
         "1. 拟移交问题线索经组长审核后报县委巡察办；\n2. 下一阶段重点查阅工程项目和村级“三资”资料；\n"
         "3. 开始起草巡察报告框架。"),
    ]
    taken = [p for p in plan if p[0] <= on]
    if len(taken) == 4 and (taken[3][0] - taken[2][0]).days < 3:
        taken.pop()
    return taken


def _requests(entry, on, township, villages, department, submitter: User, office: User) -> list[dict]:
    """Answered by the office, for itself or as the leading group's office (as `grouprequest_answer` does)."""
    village = str(villages[0])
    requests = [
        dict(kind=RequestKind.REQUEST, title=f"关于延伸了解{township.name}财政所惠民资金发放情况的请示",
             content=f"巡察中发现{township.name}惠民资金“一卡通”发放存在先发放后公示问题，为查清资金发放全貌，"
                     f"拟对{township.name}财政所2021年以来的惠民资金发放台账进行延伸了解。妥否，请批示。",
             addressed_to=Addressee.OFFICE, submitted_on=entry + datetime.timedelta(days=5), submitted_by=submitter,
             status=RequestStatus.ANSWERED, answer="经研究，同意延伸了解。请严格控制延伸范围，不得影响被巡察单位正常工作。",
             answered_on=entry + datetime.timedelta(days=6), answered_by=office, version=2),
        dict(kind=RequestKind.REPORT, title=f"关于{village}低保问题立行立改情况的报告",
             content=f"针对{village}低保对象中有村干部近亲属的问题，巡察组于进驻第十五天向{township.name}党委发出立行立改"
                     "通知，目前已完成排查，取消不符合条件的低保对象3户，追回资金若干。特此报告。",
             addressed_to=Addressee.LEADING_GROUP, submitted_on=entry + datetime.timedelta(days=16),
             submitted_by=submitter, status=RequestStatus.ANSWERED,
             answer=f"已阅。请督促{township.name}党委举一反三，对全乡低保对象开展全面排查。",
             answered_on=entry + datetime.timedelta(days=17), answered_by=office, version=2),
        dict(kind=RequestKind.REQUEST, title=f"关于调阅{department.name}2021—2023年度相关资料的请示",
             content=f"为核实信访反映问题，拟调阅{department.name}2021—2023年度罚没款收支及公务接待相关资料，"
                     "并与相关人员谈话了解情况。妥否，请批示。",
             addressed_to=Addressee.OFFICE, submitted_on=on - datetime.timedelta(days=1), submitted_by=submitter,
             status=RequestStatus.SUBMITTED, version=1),
    ]
    for r in requests:
        for key in ("submitted_on", "answered_on"):
            if r.get(key) and r[key] > on:
                r[key] = on
    return [r for r in requests if r["submitted_on"] >= entry]


def _evaluation_at_seed_scale(county: Committee, office: User, rng: random.Random) -> int:
    """One 巡察后评估 with seed 001's figures, for an inspection fed back a month or more ago (a hospital or school
    of the county if there is one: hundreds of staff), other than the one the survey story evaluated."""
    on = today()
    evaluated = Survey.objects.filter(purpose="evaluation").values("inspection_id")
    past = (Inspection.objects.filter(round__committee=county, stage__in=[Stage.RECTIFY, Stage.FOLLOW_UP],
                                      feedback_on__lte=on - datetime.timedelta(days=30))
            .exclude(pk__in=evaluated).order_by("-feedback_on", "id"))
    inspection = past.filter(units__kind=UnitKind.PUBLIC_INSTITUTION).first() or past.first()
    if inspection is None:
        return 0
    unit = (inspection.units.filter(kind=UnitKind.PUBLIC_INSTITUTION).order_by("id").first()
            or inspection.units.order_by("id").first())
    survey = surveys.survey_create(actor=office, inspection=inspection, purpose="evaluation", unit=unit, opens_on=on,
                                   closes_on=on)
    survey = surveys.survey_open(actor=office, survey=survey, expected_version=survey.version)
    surveys.tokens_issue(actor=office, survey=survey, count=EVALUATION["codes"])
    questions = list(survey.questions.order_by("order", "id"))
    rated = [q for q in questions if q.kind == QuestionKind.RATING]
    texts = [q for q in questions if q.kind == QuestionKind.TEXT]
    n = EVALUATION["answers"]
    cells = [(i, q.pk) for i in range(n) for q in rated]
    cold = set(rng.sample(cells, k=EVALUATION["unfavourable"]))
    talkers = {i: k for k, i in enumerate(sorted(rng.sample(range(n), k=EVALUATION["suggestions"] if texts else 0)))}
    suggestions = list(EVALUATION_SUGGESTIONS)
    rng.shuffle(suggestions)
    held = inspection.feedback_on + datetime.timedelta(days=7)
    sheets = []
    for i in range(n):
        raw: dict[str, object] = {}
        for q in rated:
            favourable = FAVOURABLE.get(q.scale, 1)
            if (i, q.pk) in cold:
                raw[str(q.pk)] = favourable  # the first unfavourable label (不满意)
            else:
                raw[str(q.pk)] = 1 if rng.random() < EVALUATION["lukewarm"] else 0
        if i in talkers:
            raw[str(texts[0].pk)] = suggestions[talkers[i] % len(suggestions)]
        if not sheets:  # every sheet has the stored form of the first (a position per rating, a text): check it once
            if surveys.answers_clean(questions, raw) != raw:
                raise RuntimeError("the demo's answer sheets are not in the stored form")
        sheets.append(Response(survey=survey, submitted_on=held, answers=raw))
    Response.objects.bulk_create(sheets, batch_size=1000)
    used = list(Token.objects.filter(survey=survey).order_by("id").values_list("pk", flat=True)[:n])
    Token.objects.filter(pk__in=used).update(used=True, used_on=held)
    survey = surveys.survey_close(actor=office, survey=survey, expected_version=survey.version)
    # The services dated everything today: put the survey where it happened, a week after the feedback.
    Survey.objects.filter(pk=survey.pk).update(opens_on=held, closes_on=held + datetime.timedelta(days=3),
                                               opened_on=held, closed_on=held + datetime.timedelta(days=3))
    TokenBatch.objects.filter(survey=survey).update(issued_on=held)
    return n
