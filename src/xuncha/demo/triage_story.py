"""The demo group's daily board (昼巡夜结) over the last days of its fieldwork, written through the services.

Citizens' reports and talk findings are already on the board (they arrive by themselves, in the stories told
before this one). The group adds what it found in the records and on visits, and sorts nearly everything the day it
was found: a 立行立改 put right and closed by the office, one still open, clues to the 纪委监委 and the 公安局, general
problems, a lawsuit passed on, a repeated report filed. Two items wait: one found today, one left overnight.
"""

from __future__ import annotations

from datetime import timedelta

from xuncha.core.dates import today
from xuncha.fieldwork import triage
from xuncha.fieldwork.models import TriageItem
from xuncha.org.models import ReceivingOrgan, User
from xuncha.rectification import services as rectification
from xuncha.rounds.models import GroupRole

# (days ago, source, unit kind, what was found): entered by hand, by the group.
FOUND = [
    (5, "records", "township", "调阅2025年党委会议记录，发现“三重一大”事项中2项大额资金支付未经党委会集体研究。"),
    (3, "visit", "village", "走访发现村内主干道路灯大面积损坏，已近一个月无人维修，群众夜间出行不便。"),
    (2, "visit", "village", "走访中多名群众反映村东头废弃厂房内有人长期聚众赌博，涉赌金额较大。"),
    (1, "other", "township", "群众来电反映卫生院挂号窗口工作人员服务态度生硬，老年人办事多次被推诿。"),
]


def _find(items, words: str) -> TriageItem | None:
    return next((i for i in items if words in i.summary), None)


def _sort(actor: User, item: TriageItem | None, outcome: str, *, late: int = 0, **kwargs) -> TriageItem | None:
    if item is None:
        return None
    item.refresh_from_db()
    return triage.triage_sort(actor=actor, item=item, outcome=outcome, expected_version=item.version,
                              on_date=item.found_on + timedelta(days=late), **kwargs)


def tell_triage_story(*, county, office: User, inspector: User | None) -> dict:
    from xuncha.demo.fieldwork_story import demo_fieldwork_inspection

    inspection = demo_fieldwork_inspection(county)
    if inspection is None:
        return {}
    actor = inspector
    if actor is None or not inspection.group.memberships.filter(user=actor).exists():
        actor = inspection.group.memberships.get(role=GroupRole.LEADER).user
    on = today()
    units = list(inspection.units.all())
    by_kind = {u.kind: u for u in units}
    for days, source, kind, text in FOUND:
        triage.triage_enter(actor=actor, inspection=inspection, source=source, summary=text,
                            found_on=max(on - timedelta(days=days), inspection.entry_on or on),
                            unit=by_kind.get(kind, units[0]))
    items = list(TriageItem.objects.filter(inspection=inspection, outcome="").order_by("found_on", "id"))
    organs = {o.kind: o for o in ReceivingOrgan.objects.filter(committee=inspection.round.committee)}

    # 立行立改: the notice period runs out before fieldwork ends; one put right and closed by the office, one open.
    fixed = _sort(actor, _find(items, "公示栏三个月没有更新"), "immediate", category="masses",
                  description="惠民资金公示栏三个月未更新，补贴发放对象和金额群众无从知晓。",
                  requirement="立即更新惠民资金公示栏，补充公示近三个月各类补贴的发放对象、标准和金额，并设立监督电话。",
                  due_on=on - timedelta(days=1))
    if fixed is not None:
        _close(office, fixed, closed_on=on - timedelta(days=2))
    _sort(actor, _find(items, "路灯大面积损坏"), "immediate", category="masses",
          description="村内主干道路灯大面积损坏近一个月无人维修，群众夜间出行不便。",
          requirement="五日内修复村内主干道损坏路灯，建立公共设施日常巡查维护机制。",
          due_on=min(on + timedelta(days=2), inspection.fieldwork_ends_on or on + timedelta(days=2)))
    # Clues: one to the 纪委监委 (快查快办), one to the 公安局.
    canal = _sort(actor, _find(items, "修水渠的工程没有公开招标"), "clue", category="integrity",
                  description="村集体水渠工程未经公开招标，直接发包给村会计亲属，工程质量差。",
                  organ=organs.get("discipline"), persons_involved="村会计")
    _sort(actor, _find(items, "聚众赌博"), "clue", category="masses",
          description="村东头废弃厂房内有人长期聚众赌博，涉赌金额较大。", organ=organs.get("police"),
          reason="涉嫌违法犯罪，移交公安机关依法查处。")
    # General problems, into the problem list.
    _sort(actor, _find(items, "低保户评定不公平"), "general", category="masses",
          description="村低保评定程序不规范，民主评议和公示环节缺失，群众对评定结果意见较大。")
    _sort(actor, _find(items, "先发放、后公示"), "general", category="masses",
          description="惠民资金“一卡通”发放存在先发放、后公示的情况，公示程序流于形式。")
    _sort(actor, _find(items, "三重一大"), "general", category="organisational",
          description="“三重一大”制度执行不严格，2项大额资金支付未经党委会集体研究。")
    # Passed on and filed.
    _sort(actor, _find(items, "宅基地边界"), "forward", forwarded_to=f"{county.region}信访局",
          reason="宅基地纠纷已进入诉讼程序，属于涉法涉诉个人诉求，不属于巡察受理范围。")
    _sort(actor, _find(items, "低保评定不公平的问题"), "archive",
          reason="与前一日群众来信反映的低保评定问题为同一事项，合并办理。")
    if canal is not None:
        _sort(actor, _find(items, "水渠工程未公开招标"), "archive", late=1,
              reason="与群众来信反映的水渠工程问题为同一事项，已并入该问题线索移交办理。")
    board = TriageItem.objects.filter(inspection=inspection)
    return {"triage_items": board.count(), "triage_unsorted": board.filter(outcome="").count()}


def _close(office: User, item: TriageItem, *, closed_on) -> None:
    """The unit reported back in writing; the office checked on site and closed the task (销号)."""
    task = item.task
    rectification.task_report_progress(actor=office, task=task,
                                       text="单位书面报告：已更新公示栏，补充公示近三个月补贴发放名单，设立监督电话。")
    task = rectification.task_submit_for_review(actor=office, task=task)
    rectification.task_close(actor=office, task=task, on_date=closed_on,
                             note="巡察组现场查看公示栏，内容完整、更新及时，予以销号。")

