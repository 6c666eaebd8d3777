"""What the demo county's rectification shows beyond the bulk rows, written through the services.

Evidence files with real content, a plan copied from another unit, evidence reused across units, a
random re-check with one failure, an accountability record, and the reminders the queue would have
sent this morning. Everything here goes through the services, so it is audited like real work.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from xuncha.core.dates import today
from xuncha.findings.models import Problem
from xuncha.groupwork.services import pledge_sign
from xuncha.org.models import User
from xuncha.rectification import services
from xuncha.rectification.evidence import evidence_save
from xuncha.rectification.integrity import flag_reused_evidence, link_recurrences, scan_copied_measures
from xuncha.rectification.models import AccountabilityKind, RecheckResult, Task, TaskStatus
from xuncha.rectification.reminders import send_deadline_reminders
from xuncha.rounds.models import Round, RoundKind, Stage

RECHECK_SEED = "qingyu-demo-recheck"
# Two measures specific enough that only copying explains a second unit writing them.
COPIED_MEASURES = [
    "由{unit}主要负责人牵头，对2021年以来全部公务接待审批单和报销凭证逐笔复核，建立问题台账，"
    "对超标准接待费用责令个人退赔，整改结果在班子会上专题通报",
    "聘请第三方会计师事务所对{unit}近三年专项资金使用情况开展专项审计，审计发现的问题逐笔建立销号清单，"
    "由纪检监察组全程跟踪督办",
]


def _pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF (ASCII body; the title in the document info)."""
    text = " ".join(lines).encode("ascii", "replace")[:200]
    stream = b"BT /F1 14 Tf 72 760 Td (" + text.replace(b"(", b"[").replace(b")", b"]") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _photo(seed: int) -> bytes:
    """A site photo stand-in: a JPEG carrying EXIF with GPS, which the platform strips on upload."""
    image = Image.new("RGB", (640, 420), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.rectangle([20 + i * 50, 300 - (seed * 7 + i * 23) % 200, 55 + i * 50, 380], fill=(29, 79, 145))
    draw.rectangle([10, 10, 630, 410], outline=(178, 34, 34), width=4)
    exif = Image.Exif()
    exif[0x010F] = "DemoPhone"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 15.0, 12.0), 3: "E", 4: (120.0, 9.0, 30.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88, exif=exif)
    return out.getvalue()


def tell_rectification_story(*, county, office: User, unit_user: User | None) -> dict:
    counts: dict[str, int] = {}
    tasks = Task.objects.filter(problem__inspection__round__committee=county).select_related(
        "problem", "problem__unit", "problem__inspection")
    # Evidence for the demo unit's tasks that were reported on, and one photo reused by another unit.
    photo = _photo(1)
    if unit_user is not None:
        mine = tasks.filter(problem__unit=unit_user.unit).exclude(status=TaskStatus.OPEN).order_by("id")[:4]
        for n, task in enumerate(mine):
            note = task.notes.order_by("-id").first()
            evidence_save(actor=unit_user, name=f"整改佐证{n + 1}.pdf", note=note, task=task,
                          data=_pdf([f"Rectification evidence {task.pk}", task.measure[:20]]))
            evidence_save(actor=unit_user, name=f"现场照片{n + 1}.jpg", note=note, task=task,
                          data=photo if n == 0 else _photo(n + 2))
    other = tasks.exclude(problem__unit=getattr(unit_user, "unit", None)).filter(status=TaskStatus.CLOSED).first()
    if other is not None:
        reused = evidence_save(actor=office, name="整改现场.jpg", task=other, data=photo)
        counts["reused_evidence"] = len(flag_reused_evidence(reused))
    # A plan copied from another unit: the same measures with the unit name swapped and a word changed.
    current = tasks.filter(problem__inspection__stage__in=[Stage.RECTIFY, Stage.FOLLOW_UP]).exclude(
        problem__unit=getattr(unit_user, "unit", None)).order_by("id")
    by_unit: dict[int, list[Task]] = {}
    for task in current:
        by_unit.setdefault(task.problem.unit_id, []).append(task)
    units = [u for u in by_unit if len(by_unit[u]) >= 2][:2]
    if len(units) == 2:
        source, copy = by_unit[units[0]], by_unit[units[1]]
        for n, (src, dst) in enumerate(zip(source[:2], copy[:2], strict=False)):
            original = COPIED_MEASURES[n].format(unit=src.problem.unit.name)
            copied = COPIED_MEASURES[n].format(unit=dst.problem.unit.name).replace("逐笔", "逐一").replace("，", "；", 1)
            Task.objects.filter(pk=src.pk).update(measure=original)
            Task.objects.filter(pk=dst.pk).update(measure=copied)
    counts.update({f"scan_{k}": v for k, v in scan_copied_measures().items() if isinstance(v, int)})
    # 边改边犯: the 回头看 round's problems compared with what the same units closed before.
    look_back = Round.objects.filter(committee=county, kind=RoundKind.LOOK_BACK).order_by("-year").first()
    if look_back is not None:
        counts["recurrence"] = sum(len(link_recurrences(p)) for p in Problem.objects.filter(inspection__round=look_back))
    # A random re-check of the last finished round: two confirmed, one found rectified on paper only.
    # (An archived inspection is left alone: what it leaves running is long-term work, not reopened tasks.)
    finished = (Round.objects.filter(committee=county, inspections__stage__in=[Stage.RECTIFY, Stage.FOLLOW_UP],
                                     inspections__problems__tasks__status=TaskStatus.CLOSED)
                .distinct().order_by("year", "number").first())
    if finished is not None:
        draw = services.recheck_draw(actor=office, round=finished, sample_size=8, seed=RECHECK_SEED)
        items = list(draw.items.order_by("id"))
        for item, result in zip(items, [RecheckResult.PASSED, RecheckResult.PASSED, RecheckResult.FAILED],
                                strict=False):
            services.recheck_record(actor=office, item=item, result=result,
                                    finding="" if result == RecheckResult.PASSED else
                                    "现场核查发现制度已印发但未执行，相关台账仍未建立，属于纸面整改。")
        counts["recheck_items"] = len(items)
    # Accountability for the demo unit's overdue task.
    if unit_user is not None:
        late = tasks.filter(problem__unit=unit_user.unit, status=TaskStatus.IN_PROGRESS).order_by("deadline").first()
        if late is not None:
            cadre = unit_user.unit.cadres.order_by("-is_principal", "id").first()
            services.accountability_record(
                actor=office, unit=unit_user.unit, task=late, cadre=cadre, person_name=cadre.name if cadre else "",
                kind=AccountabilityKind.TALK, decided_on=today(),
                decided_by="县委巡察工作领导小组办公室",
                reason="整改任务逾期未完成，且未按要求报送整改进展，对责任领导进行约谈提醒。")
    counts["fresh_plan"] = _fresh_feedback_for_the_demo_unit(county=county, office=office, unit_user=unit_user)
    counts["reports"] = _reports_for_the_group_in_fieldwork(county=county, office=office)
    run = send_deadline_reminders()
    counts["notifications"] = run.total
    return counts


FRESH_ROUND_TOPIC = "医保基金使用管理专项巡察"
FRESH_PROBLEMS = [
    ("organisational", "“三重一大”事项集体决策制度执行不严格，2025年2项大额资金支付未经党组会研究。"),
    ("integrity", "医保基金专项检查发现3家定点医药机构违规结算问题整改不到位，追回资金未及时入账。"),
    ("formalism", "基层减负要求落实不到位，2025年向乡镇卫生院重复要求报送同类报表6次。"),
]


def _fresh_feedback_for_the_demo_unit(*, county, office: User, unit_user: User | None) -> int:
    """A 专项 round whose feedback was given five days ago: the `unit` account has a plan to build and submit."""
    if unit_user is None:
        return 0
    from datetime import timedelta

    from xuncha.findings import services as findings
    from xuncha.rounds import services as rounds
    from xuncha.rounds.models import GroupMembership, GroupRole, Round

    on = today()
    number = (Round.objects.filter(committee=county, year=on.year).order_by("-number").values_list(
        "number", flat=True).first() or 0) + 1
    rnd = rounds.round_create(actor=office, committee=county, year=on.year, number=number, kind="special",
                              topic=FRESH_ROUND_TOPIC)
    rounds.round_record_approval(actor=office, round=rnd, approved_on=on - timedelta(days=75),
                                 meeting="县委书记专题会议")
    leader = (GroupMembership.objects.filter(group__round__committee=county, role=GroupRole.LEADER)
              .exclude(user__username="inspector").order_by("id").first())
    group = rounds.group_create(actor=office, round=rnd, name="专项巡察组", members=[(leader.user, GroupRole.LEADER)])
    for membership in group.memberships.select_related("user"):
        pledge_sign(actor=membership.user, membership=membership)
    inspection = rounds.inspection_create(actor=office, round=rnd, group=group, units=[unit_user.unit],
                                          entry_on=on - timedelta(days=60), fieldwork_ends_on=on - timedelta(days=35))
    rounds.inspection_update_schedule(actor=office, inspection=inspection, expected_version=None,
                                      notice_sent_on=on - timedelta(days=72))
    inspection = rounds.inspection_advance(actor=office, inspection=inspection, to_stage=Stage.FIELDWORK,
                                           on_date=on - timedelta(days=60))
    for n, (category, text) in enumerate(FRESH_PROBLEMS):
        findings.problem_record(actor=office, inspection=inspection, unit=unit_user.unit, description=text,
                                category=category, found_on=on - timedelta(days=55 - n * 5))
    for stage, days in ((Stage.REPORT, 35), (Stage.FEEDBACK, 20), (Stage.RECTIFY, 5)):
        inspection = rounds.inspection_advance(actor=office, inspection=inspection, to_stage=stage,
                                               on_date=on - timedelta(days=days))
    services.feedback_record(actor=office, inspection=inspection, unit=unit_user.unit, held_on=on - timedelta(days=5),
                             form="ordinary", attendees="专项巡察组全体成员；局领导班子成员、中层干部；县委巡察办",
                             location=f"{unit_user.unit.name}会议室", presided_by=leader.user.display_name)
    return len(FRESH_PROBLEMS)


FIELDWORK_REPORTS = [
    ("我村低保户评定不公平，村支书把自己的亲戚评上了低保，真正困难的几户反而没有评上，希望巡察组查一查。", None),
    ("反映我村低保评定不公平的问题：村支书把自己的亲戚评上了低保，他家有小车还新盖了楼房，困难户反而没评上。", None),
    ("镇上惠民资金公示栏三个月没有更新，补贴发了多少、发给谁了，群众都看不到。", None),
    ("我和邻居因为宅基地边界发生纠纷，已经起诉到法院，请巡察组帮我说句话。", None),
    ("本站提供注册、登录、开户、咨询、APP下载等服务。平台拥有合法营业牌照,正规经营,公平公正,24小时在线客服随时为你服务。",
     None),
    ("去年村里修水渠的工程没有公开招标，直接给了村会计的小舅子，工程质量很差，今年就漏水了。",
     {"name": "李建华", "phone": "13812345678", "id_number": ""}),
]


def _reports_for_the_group_in_fieldwork(*, county, office: User) -> int:
    """Citizens' reports to the group in 进驻, with its announcement's channels and closing date."""
    from datetime import timedelta

    from xuncha.demo.fieldwork_story import demo_fieldwork_inspection
    from xuncha.reports import registry
    from xuncha.reports.services import report_submit
    from xuncha.rounds import services as rounds

    inspection = demo_fieldwork_inspection(county)
    if inspection is None:
        return 0
    rounds.inspection_update_announcement(
        actor=office, inspection=inspection, expected_version=None, focus="惠民资金管理使用、农村集体“三资”管理和基层干部作风",
        report_phone="0571-5550" + f"{inspection.pk % 1000:03d}", report_mailbox="青峪县邮政信箱 0609 号",
        report_address="青峪县委巡察办接待室（县政府大院 3 号楼 105 室）",
        reports_accepted_until=(inspection.fieldwork_ends_on or today()) - timedelta(days=5))
    units = list(inspection.units.all())
    village = next((u for u in units if u.kind == "village"), units[0])
    township = next((u for u in units if u.kind == "township"), units[0])
    count = 0
    for n, (text, identity) in enumerate(FIELDWORK_REPORTS):
        unit = village if n in (0, 1, 5) else township
        report_submit(inspection=inspection, content=text, concerns_unit=unit, anonymous=identity is None,
                      identity=identity, on=today() - timedelta(days=len(FIELDWORK_REPORTS) - n))
        count += 1
    registry.report_register(actor=office, inspection=inspection, channel="phone", received_on=today(),
                             content="来电反映：乡镇卫生院药品采购价格明显高于市场价，怀疑有人吃回扣。",
                             concerns_unit=township)
    office.heads_office = True  # the demo office account is also the 巡察办主任 who approves identity access
    office.save(update_fields=["heads_office"])
    return count + 1
