"""The demo group's fieldwork beyond citizens' reports: individual talks (个别谈话) from the built-in outlines, a 高密
clue about a unit's 一把手, and the office pressing (督办) the organ about a clue answered late."""

from __future__ import annotations

from datetime import timedelta

from xuncha.core.dates import today
from xuncha.fieldwork import services as talks
from xuncha.fieldwork.models import TalkOutline
from xuncha.fieldwork.outlines import ensure_builtin_outlines
from xuncha.findings import services as findings
from xuncha.findings.models import Clue
from xuncha.findings.selectors import clue_answer_overdue
from xuncha.org.models import ReceivingOrgan, User
from xuncha.rounds.models import Inspection, Stage

# (outline, interviewee, position, days ago (None: planned for tomorrow), record, findings)
TALKS = [
    ("一把手谈话提纲", "{principal}", "{principal_position}", 6,
     "谈话对象介绍了本单位落实全面从严治党主体责任情况，承认对下属单位监管存在“宽松软”问题，"
     "对惠民资金发放过程中的审核把关重视不够。", ""),
    ("班子成员谈话提纲", "王立新", "党委副书记", 5,
     "谈话对象反映班子民主生活会批评与自我批评辣味不足，个别班子成员分管领域问题整改推进慢。", ""),
    ("中层干部谈话提纲", "陈晓燕", "财政所所长", 4,
     "谈话对象介绍了惠民资金“一卡通”发放流程，提到部分补贴资金存在先发放后公示的情况。",
     "惠民资金“一卡通”发放存在先发放、后公示的情况，公示栏三个月未更新。"),
    ("一般干部谈话提纲", "赵海波", "党政办干部", 3,
     "谈话对象反映机关食堂存在超标准接待的情况，但未提供具体时间和人员。", ""),
    ("退休老干部谈话提纲", "孙德厚", "原镇人大主席（已退休）", 2,
     "谈话对象反映村级工程项目招投标不规范，部分工程由村干部亲属承揽，群众意见较大。",
     "村级水渠工程未公开招标，由村会计亲属承揽，质量差，群众意见大。"),
    ("服务对象/群众谈话提纲", "李秀兰", "村民代表", None, "", ""),
]


def demo_fieldwork_inspection(county) -> Inspection | None:
    """The inspection in 进驻 that the demo `inspector` account leads, a township with its villages if there is one:
    the stories of the field (reports about 低保 and 惠民资金, talks, the daily board) all happen there."""
    in_field = Inspection.objects.filter(round__committee=county, stage=Stage.FIELDWORK).order_by("entry_on", "id")
    led = in_field.filter(group__memberships__user__username="inspector")
    return led.filter(units__kind="township").first() or led.first() or in_field.first()


def tell_fieldwork_story(*, county, office: User, inspector: User | None) -> dict:
    counts: dict[str, int] = {}
    inspection = demo_fieldwork_inspection(county)
    if inspection is not None and inspector is not None:
        counts["talks"] = _talks(inspection, inspector)
    counts["top_secret_clues"] = _top_secret_clue(inspection, county, office)
    counts["supervisions"] = _supervise_late_clue(county, office)
    return counts


def _talks(inspection: Inspection, inspector: User) -> int:
    ensure_builtin_outlines()
    outlines = {o.title: o for o in TalkOutline.objects.filter(committee__isnull=True)}
    units = list(inspection.units.all())
    unit = next((u for u in units if u.kind == "township"), units[0])
    principal = unit.cadres.filter(is_principal=True).first()
    names = {"principal": principal.name if principal else "张建国",
             "principal_position": principal.position if principal else "党委书记"}
    entry = inspection.entry_on or today() - timedelta(days=10)
    count = 0
    for title, who, position, days_ago, record, found in TALKS:
        held_on = None if days_ago is None else max(entry, today() - timedelta(days=days_ago))
        talk = talks.talk_plan(actor=inspector, inspection=inspection, unit=unit, interviewee=who.format_map(names),
                               position=position.format_map(names), outline=outlines.get(title),
                               planned_on=held_on or today() + timedelta(days=1), talkers="刘建军、周敏")
        if held_on is not None:
            talks.talk_record(actor=inspector, talk=talk, held_on=held_on, record=record, findings=found)
        count += 1
    return count


def _top_secret_clue(inspection: Inspection | None, county, office: User) -> int:
    """A clue naming a unit's 一把手 becomes 高密 by itself: the office that handed it over and the organ read it."""
    organ = ReceivingOrgan.objects.filter(committee=county, kind="discipline").first()
    if inspection is None or organ is None:
        return 0
    for unit in inspection.units.all():
        principal = unit.cadres.filter(is_principal=True).first()
        if principal is not None:
            clue = findings.clue_hand_over(
                actor=office, inspection=inspection, unit=unit, organ=organ, handed_over_on=today(),
                summary=f"{unit.name}{principal.position}{principal.name[0]}某涉嫌在工程项目中为亲属谋利问题线索",
                persons_involved=f"{principal.name}（{principal.position}）")
            return int(clue.top_secret)
    return 0


def _supervise_late_clue(county, office: User) -> int:
    """督办 the first clue still without an answer after the committee's answer period."""
    for clue in (Clue.objects.filter(inspection__round__committee=county, disposal="", top_secret=False)
                 .select_related("inspection__round__committee").order_by("handed_over_on")):
        if clue_answer_overdue(clue):
            findings.clue_supervise(actor=office, clue=clue,
                                    note="该线索已超过三个月答复期限仍未反馈处置情况，请于10个工作日内报送处置结果。")
            return 1
    return 0
