"""The 巡察组人员名单 and the 抽取记录 of a draw: real .docx files that LibreOffice prints, with what a reader needs and
no ID number anywhere."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from django.urls import reverse

from tests.office import compact, docx_paragraphs, pdf_text
from tests.pool.test_draw_web import ELIGIBLE, RELATIVE_ID, TIED, build_pool, inspection_in_preparation
from xuncha.core.dates import today
from xuncha.pool import services
from xuncha.pool.documents import draw_record_docx, group_list_docx
from xuncha.pool.models import Talent

WORDS = "三月十五日 甲县 88"
SPECIALITY_WORDS = {"organisation": "组织", "discipline": "纪检", "audit": "审计", "finance": "财税",
                    "personnel": "人事", "law": "政法"}


def _drawn(world, *, inspection=None):
    people = build_pool(world)
    office = world.user("office_a")
    draw = services.draw_commit(actor=office, unit=world.dept_a, inspection=inspection)
    draw = services.draw_run(actor=office, draw=draw, witness_words=WORDS, expected_version=draw.version)
    return people, draw


def _all_text(content: bytes) -> str:
    """Every text node of every part of the .docx (body, tables, headers, footers, properties)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8", "replace"))
                         for name in archive.namelist() if name.endswith(".xml"))


def _no_id_numbers(content: bytes, people) -> None:
    text = _all_text(content)
    for talent in people.values():
        assert talent.id_number not in text
    assert RELATIVE_ID not in text
    assert not re.search(r"\d{17}[\dX]", text)


def test_the_group_list_names_each_member_with_their_particulars_and_role(world):
    inspection = inspection_in_preparation(world)
    people, draw = _drawn(world, inspection=inspection)
    content = group_list_docx(draw=draw)

    paragraphs = docx_paragraphs(content)
    assert f"中共甲县县委{today().year}年第2轮巡察第三巡察组人员名单" in paragraphs
    assert "（巡察对象：甲县财政局）" in paragraphs
    assert f"抽取编号第{draw.pk}号" in paragraphs
    table = docx.Document(io.BytesIO(content)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "组内职务", "姓名", "性别", "出生年月（年龄）", "工作单位及职务", "专长"]
    assert len(rows) == 1 + len(draw.picked)
    spec = {name: (gender, born, speciality, unit, position) for name, gender, born, speciality, _r, _l, unit,
            position in ELIGIBLE}
    for row, pick in zip(rows[1:], draw.picked, strict=True):
        talent = Talent.objects.get(pk=pick["id"])
        gender, born, speciality, unit, position = spec[talent.name]
        assert row[1] == ("组长" if pick["role"] == "leader" else "成员")
        assert row[2] == talent.name
        assert row[3] == ("男" if gender == "M" else "女")
        assert row[4].startswith(f"{born}.03（") and row[4].endswith("岁）")
        assert row[5] == unit + position
        assert row[6] == SPECIALITY_WORDS.get(speciality, row[6])
    assert rows[1][1] == "组长"
    _no_id_numbers(content, people)

    # LibreOffice opens it and prints the table.
    printed = compact(pdf_text(content, ".docx"))
    assert "第三巡察组人员名单" in printed
    for pick in draw.picked:
        assert Talent.objects.get(pk=pick["id"]).name in printed
    assert "中共甲县县委巡察工作领导小组办公室" in printed


def test_the_draw_record_has_constraints_proof_exclusions_and_how_to_verify(world):
    people, draw = _drawn(world)
    content = draw_record_docx(draw=draw)

    text = docx_paragraphs(content)
    assert "巡察组随机抽取记录" in text
    assert "巡察对象：甲县财政局" in text
    # The constraints, in words.
    assert "巡察组人数：5人（5至7人）" in text and "组长：从组长库中抽取，职级不低于正科级" in text
    assert "任职回避年限：曾在该单位任职即回避（不限年限）" in text
    # The proof: commitment, digest, the witnesses' words, the seed, and the replay checked.
    for value in (draw.commitment, draw.snapshot_digest, draw.seed):
        assert value in text
    assert f"见证人口令：{WORDS}" in text
    assert "核验结果：随机种子的SHA-256与种子承诺一致" in text
    # Everyone excluded, with every reason.
    assert f"符合条件的候选人{len(ELIGIBLE)}人；因回避或其他原因排除{len(TIED)}人" in text
    for name in TIED:
        assert name in text
    assert "丈夫王海" in text and "其兄在该局任副局长" in text and "病休至年底" in text
    assert "2012-01-01至2018-06-30曾在甲县财政局工作" in text
    # The outcome and how to verify it.
    for pick in draw.picked:
        assert Talent.objects.get(pk=pick["id"]).name in text
    assert f"xuncha pool verify-draw {draw.pk}" in text and "xuncha pool verify-draw --record" in text
    _no_id_numbers(content, people)

    printed = compact(pdf_text(content, ".docx"))
    assert "巡察组随机抽取记录" in printed and draw.commitment in printed and "见证人（签字）" in printed


def test_the_documents_download_from_the_drawn_page(world, client):
    _people, draw = _drawn(world)
    client.force_login(world.user("office_a"))
    for name, title in (("draw_group_docx", "巡察组人员名单"), ("draw_record_docx", "巡察组随机抽取记录")):
        response = client.get(reverse(f"web:{name}", args=[draw.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert f"draw-{draw.pk}-" in response["Content-Disposition"]
        assert title in docx_paragraphs(response.content)


def test_a_draw_not_made_has_no_documents(world, client):
    build_pool(world)
    draw = services.draw_commit(actor=world.user("office_a"), unit=world.dept_a)
    client.force_login(world.user("office_a"))
    for name in ("draw_group_docx", "draw_record_docx", "draw_record_json"):
        assert client.get(reverse(f"web:{name}", args=[draw.pk])).status_code == 404
