"""What a group draw says, on its pages and in its two documents: the 巡察组人员名单 (the group drawn, with each
member's particulars and role) and the 巡察组随机抽取记录 (constraints, commitment, seed, witnesses' words, digest,
everyone excluded and why, the outcome, and how to verify it), both .docx in the GB/T 9704 layout.

ID numbers never appear: neither the snapshot of candidates nor these documents carry them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from xuncha.core.dates import today
from xuncha.core.official_document import (
    BODY_FONT,
    DOCUMENT_LANGUAGE,
    HEADING1_FONT,
    OfficialDocument,
    chinese_date,
    set_fonts,
    tight,
)
from xuncha.org.models import Committee
from xuncha.pool import draw as lots
from xuncha.pool.models import Draw, DrawStatus, Gender, Rank, Speciality, Talent
from xuncha.pool.services import because_words, draw_record, unmet_words
from xuncha.rounds.document_words import leading_group, round_words, tour_word
from xuncha.rounds.models import GroupRole

CODE_FONT = "Consolas"
TABLE_SIZE = Pt(10.5)  # 五号
# The checks of draw.verify, for the pages and the record (draw.py is plain Python and says them in English).
VERIFY_PROBLEMS = {
    "the revealed seed does not hash to the commitment recorded before the draw":
        lambda: _("The revealed seed does not hash to the commitment recorded before the draw."),
    "the candidate list differs from the one whose digest was recorded before the draw":
        lambda: _("The candidate list differs from the one whose digest was recorded before the draw."),
    "replaying the draw picks a different group than the one recorded":
        lambda: _("Replaying the draw picks a different group than the one recorded."),
    "replaying the draw reports different unmet constraints than the ones recorded":
        lambda: _("Replaying the draw reports different unmet constraints than the ones recorded."),
}


# --- words -------------------------------------------------------------------------------------------------

def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def constraint_lines(c: dict[str, Any]) -> list[tuple[str, str]]:
    """The constraints of a draw as (what, how) lines."""
    c = {**lots.DEFAULT_CONSTRAINTS, **c}

    def required(flag: bool) -> str:
        return pgettext("draw constraint", "required") if flag else pgettext("draw constraint", "not required")

    years = int(c["work_years"])
    return [
        (_("Group size"), _("%(size)s people (between %(min)s and %(max)s)")
         % {"size": c["size"], "min": c["min_size"], "max": c["max_size"]}),
        (_("Group leader"), _("from the group-leader pool, at least %(rank)s")
         % {"rank": _label(Rank, c["leader_min_rank"])}),
        (_("A member with a finance or audit speciality"), required(c["finance_or_audit"])),
        (_("A member from discipline inspection"), required(c["discipline"])),
        (_("Both genders in the group"), required(c["mixed_gender"])),
        (_("No two members from the same unit"), required(c["distinct_units"])),
        (_("以上巡下: the leader from the level above"), required(c["leader_from_above"])),
        (_("交叉: members from another county's pool"), required(c["cross_county"])),
        (_("Past work at the unit that rules a person out"),
         _("ever") if years == 0 else ngettext("within the last %(n)s year", "within the last %(n)s years", years)
         % {"n": years}),
    ]


def verification_problems(problems: list[str]) -> list[str]:
    return [VERIFY_PROBLEMS[p]() if p in VERIFY_PROBLEMS else p for p in problems]


def role_label(role: str) -> str:
    return str(GroupRole.LEADER.label if role == "leader" else GroupRole.MEMBER.label)


def _local(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{chinese_date(local.date())} {local:%H:%M}"


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class Member:
    """One person drawn, as the pages and the list show them."""

    number: int
    id: int
    role: str
    role_label: str
    because: str
    name: str
    talent: Talent | None
    gender: str = ""
    born: str = ""
    age: int | None = None
    workplace: str = ""
    position: str = ""
    speciality: str = ""
    rank: str = ""
    pool: str = ""

    @property
    def born_and_age(self) -> str:
        if not self.born:
            return ""
        return _("%(born)s (%(age)s)") % {"born": self.born, "age": self.age}


def draw_day(draw: Draw) -> datetime.date:
    return timezone.localtime(draw.drawn_at).date() if draw.drawn_at else today()


def group_members(draw: Draw) -> list[Member]:
    """The people drawn, in the order of the draw (the leader first), with their particulars as the pool holds
    them now. A person since deleted from the pool keeps the name recorded in the draw."""
    names = {c["id"]: c.get("name", "") for c in draw.snapshot}
    talents = Talent.objects.select_related("committee", "unit", "unit__parent").in_bulk(
        [p["id"] for p in draw.picked])
    on = draw_day(draw)
    members = []
    for number, p in enumerate(draw.picked, start=1):
        t = talents.get(p["id"])
        member = Member(number=number, id=p["id"], role=p["role"], role_label=role_label(p["role"]),
                        because=because_words(p["because"]), name=t.name if t else names.get(p["id"], ""), talent=t)
        if t is not None:
            member.gender = _label(Gender, t.gender)
            member.born = f"{t.birth_date.year}.{t.birth_date.month:02d}"
            member.age = _age(t.birth_date, on)
            member.workplace = t.workplace
            member.position = t.position
            member.speciality = _label(Speciality, t.speciality)
            member.rank = _label(Rank, t.rank) if t.rank else ""
            member.pool = str(t.committee)
        members.append(member)
    return members


def candidate_rows(draw: Draw) -> list[dict[str, Any]]:
    """The eligible candidates as recorded before the draw (what the snapshot digest covers)."""
    committees = dict(Committee.objects.filter(pk__in={c.get("committee_id") for c in draw.snapshot})
                      .values_list("pk", "name"))
    return [{"id": c["id"], "name": c.get("name", ""), "gender": _label(Gender, c["gender"]),
             "speciality": _label(Speciality, c["speciality"]), "rank": _label(Rank, c.get("rank", 0)),
             "pool": committees.get(c.get("committee_id"), ""), "lead_ok": c["lead_ok"], "member_ok": c["member_ok"]}
            for c in sorted(draw.snapshot, key=lambda x: (not x["lead_ok"], x.get("name", ""), x["id"]))]


def _organiser(draw: Draw) -> Committee:
    return draw.inspection.round.committee if draw.inspection_id else draw.committee


def _group_title(draw: Draw) -> str:
    if draw.inspection_id:
        inspection = draw.inspection
        return f"{inspection.round.committee.name}{round_words(inspection)}{inspection.group.name}人员名单"
    return f"{draw.committee.name}{tour_word(draw.committee)}组人员名单"


def document_filename(draw: Draw, kind: str) -> str:
    return f"draw-{draw.pk}-{kind}.docx"


# --- the documents -----------------------------------------------------------------------------------------

def _cell(cell, text: str, *, bold: bool = False, font: str = BODY_FONT, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    tight(paragraph, center=center, space_pt=2)
    run = paragraph.add_run(text)
    run.font.size = TABLE_SIZE
    run.bold = bold
    set_fonts(run._r.get_or_add_rPr(), font)


def _code_line(doc: OfficialDocument, label: str, value: str) -> None:
    """「种子承诺（SHA-256）：」 then the 64 hex digits in a fixed-width font, small enough for one line."""
    paragraph = doc.paragraph(label)
    run = paragraph.add_run(value or "—")
    run.font.size = Pt(10)
    set_fonts(run._r.get_or_add_rPr(), CODE_FONT)


def _member_table(doc: OfficialDocument, members: list[Member]) -> None:
    headers = ["序号", "组内职务", "姓名", "性别", "出生年月（年龄）", "工作单位及职务", "专长"]
    widths = [Mm(10), Mm(19), Mm(17), Mm(10), Mm(38), Mm(44), Mm(18)]
    table = doc.doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        _cell(cell, text, font=HEADING1_FONT, center=True)
    for m in members:
        values = [str(m.number), m.role_label, m.name, m.gender,
                  f"{m.born}（{m.age}岁）" if m.born else "", "".join(x for x in (m.workplace, m.position) if x),
                  m.speciality]
        cells = table.add_row().cells
        for i, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            _cell(cell, text, center=i in (0, 1, 3))


def group_list_docx(*, draw: Draw) -> bytes:
    """巡察组人员名单: the group drawn, headed with its round and group (or the organising committee) and the unit."""
    if draw.status != DrawStatus.DRAWN:
        raise ValueError("a draw not made yet has no group")
    with translation.override(DOCUMENT_LANGUAGE):
        organiser = _organiser(draw)
        members = group_members(draw)
        signer = leading_group(organiser) + "办公室"
        title = _group_title(draw)
        doc = OfficialDocument()
        doc.properties(title=title, author=signer)
        doc.title(title)
        doc.paragraph(f"（{tour_word(organiser)}对象：{draw.unit}）", indent=False,
                       alignment=WD_ALIGN_PARAGRAPH.CENTER)
        doc.blank()
        _member_table(doc, members)
        doc.blank()
        doc.body(f"以上人员于{_local(draw.drawn_at)}从{tour_word(organiser)}人才库中随机抽取产生（抽取编号第{draw.pk}号），"
                 f"已按回避规定排除与{tour_word(organiser)}对象有关联的人员。抽取条件、种子承诺、排除名单及原因见"
                 f"《{tour_word(organiser)}组随机抽取记录》。")
        if draw.unmet:
            doc.body("未能满足的抽取条件：" + "；".join(unmet_words(u).rstrip("。.") for u in draw.unmet) + "。")
        doc.signature(signer, chinese_date(draw_day(draw)))
        return doc.save()


def draw_record_docx(*, draw: Draw) -> bytes:
    """巡察组随机抽取记录: everything a witness or a reviewer needs to check the draw."""
    if draw.status != DrawStatus.DRAWN:
        raise ValueError("a draw not made yet has no record to print")
    with translation.override(DOCUMENT_LANGUAGE):
        organiser = _organiser(draw)
        tour = tour_word(organiser)
        signer = leading_group(draw.committee) + "办公室"
        title = f"{tour}组随机抽取记录"
        result = lots.verify(draw_record(draw))
        doc = OfficialDocument()
        doc.properties(title=title, author=signer)
        doc.title(title)
        doc.paragraph(f"（抽取编号第{draw.pk}号）", indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
        doc.blank()
        doc.heading1("一、基本情况")
        doc.body(f"{tour}对象：{draw.unit}")
        if draw.inspection_id:
            inspection = draw.inspection
            doc.body(f"所属{tour}：{inspection.round.committee.name}{round_words(inspection)}{inspection.group.name}")
        doc.body(f"组织抽取：{signer}")
        doc.body(f"公布种子承诺：{_local(draw.committed_at)}" + (f"，{draw.committed_by}" if draw.committed_by else ""))
        doc.body(f"现场抽取：{_local(draw.drawn_at)}" + (f"，{draw.drawn_by}" if draw.drawn_by else ""))
        doc.heading1("二、抽取条件")
        for number, (what, how) in enumerate(constraint_lines(draw.constraints), start=1):
            doc.numbered(number, f"{what}：{how}")
        doc.heading1("三、公证信息")
        doc.body("抽取前公布种子承诺和候选名单摘要，抽取时由见证人现场给出口令，抽取后公开随机种子。")
        _code_line(doc, "种子承诺（SHA-256）：", draw.commitment)
        _code_line(doc, "候选名单摘要（SHA-256）：", draw.snapshot_digest)
        doc.body(f"见证人口令：{draw.witness_words or '（无）'}")
        _code_line(doc, "公开的随机种子：", draw.seed)
        if result.ok:
            doc.body("核验结果：随机种子的SHA-256与种子承诺一致，候选名单与摘要一致，按记录重放抽取得到同一组人员。")
        else:
            doc.body("核验结果：未通过。" + "".join(verification_problems(result.problems)))
        doc.heading1("四、候选与排除")
        doc.body(f"符合条件的候选人{len(draw.snapshot)}人；因回避或其他原因排除{len(draw.excluded)}人，"
                 f"名单及原因如下。" if draw.excluded else f"符合条件的候选人{len(draw.snapshot)}人；无人被排除。")
        for number, person in enumerate(draw.excluded, start=1):
            reasons = "；".join(r.rstrip("。.") for r in person["reasons"])
            doc.numbered(number, f"{person['name']}（{person.get('committee', '')}）：{reasons}。")
        doc.heading1("五、抽取结果")
        for m in group_members(draw):
            doc.numbered(m.number, f"{m.name}（{m.role_label}）：{m.because}。")
        if draw.unmet:
            doc.body("未能满足的条件：" + "；".join(unmet_words(u).rstrip("。.") for u in draw.unmet) + "。")
        else:
            doc.body("各项抽取条件均已满足。")
        doc.heading1("六、核验方法")
        doc.body("任何人均可核验本次抽取：计算公开的随机种子的SHA-256，应与抽取前公布的种子承诺一致；"
                 f"在平台服务器上运行“xuncha pool verify-draw {draw.pk}”，或导出记录"
                 f"（“xuncha pool export-draw {draw.pk}”，或在抽取页面下载记录文件）后在任意电脑上运行"
                 "“xuncha pool verify-draw --record 记录文件”，重放抽取应得到同一组人员。")
        doc.blank()
        doc.paragraph("抽取人（签字）：                见证人（签字）：", indent=False)
        doc.signature(signer, chinese_date(draw_day(draw)))
        return doc.save()
