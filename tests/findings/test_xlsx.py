"""Import of a legacy problem ledger (.xlsx): all or nothing, with clear reasons; and the template it offers."""

from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuncha.core.models import AuditEvent
from xuncha.findings import xlsx
from xuncha.findings.models import Problem, ProblemStatus
from xuncha.rounds.selectors import inspection_list

pytestmark = pytest.mark.django_db

HEADERS = ["巡察轮次", "被巡察单位", "问题描述", "证据摘要", "问题类别", "处置方式", "重点人（是/否）",
           "重点事（是/否）", "发现日期", "状态", "整改完成日期"]


def _round(world) -> str:
    return f"{world.round_a.year}年第{world.round_a.number}轮"


def _good_rows(world) -> list[list]:
    found = world.inspection_a1.entry_on + datetime.timedelta(days=5)
    rectified = world.inspection_a1.feedback_on + datetime.timedelta(days=3)
    return [
        [_round(world), "甲县财政局", "历史台账：政府采购未执行比价程序。", "采购档案2份", "廉洁纪律",
         "一般性问题", "否", "是", found, "已反馈", None],
        [world.inspection_a1.pk, "甲县财政局", "历史台账：“三会一课”制度落实不到位。", "", "组织纪律",
         "立行立改", "是", "否", found.isoformat(), "已整改", rectified],
        [_round(world), "甲县财政局", "历史台账：公务接待超标准。", "", "中央八项规定精神",
         "", "", "", found, "", None],
    ]


def _workbook(rows: list[list], headers: list[str] = HEADERS, title: str | None = "巡察发现问题台账") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])  # offices often put a title above the header row
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _parse(world, data: bytes, user: str = "office_a") -> xlsx.ParsedLedger:
    actor = world.user(user)
    return xlsx.parse_problem_ledger(data, actor=actor, inspections=inspection_list(viewer=actor))


def _upload(client, data: bytes, name: str = "台账.xlsx"):
    return client.post(reverse("web:problem_import"), {"file": SimpleUploadedFile(name, data)})


# ---------------------------------------------------------------- parsing


def test_a_good_ledger_parses_every_row(world):
    parsed = _parse(world, _workbook(_good_rows(world)))
    assert parsed.errors == []
    assert [r["row"] for r in parsed.rows] == [3, 4, 5]
    first, second, third = parsed.rows
    assert first["inspection"] == world.inspection_a1 and first["unit"] == world.dept_a
    assert first["category"] == "integrity" and first["key_matter"] is True and first["status"] == "fed_back"
    assert second["disposal"] == "immediate" and second["key_person"] is True and second["status"] == "rectified"
    # Blanks take their defaults: a general problem, no key person, status as the inspection stands.
    assert third["category"] == "eight_rules" and third["disposal"] == "general" and third["status"] == ""


def test_one_bad_row_is_reported_with_its_row_and_column(world):
    rows = _good_rows(world)
    rows[1][4] = "作风问题"  # not a category
    parsed = _parse(world, _workbook(rows))
    assert len(parsed.errors) == 1
    error = parsed.errors[0]
    assert (error.row, error.column) == (4, "问题类别")
    assert str(error).startswith("第4行 问题类别：")
    assert "作风问题" in error.message


def test_every_bad_row_is_listed(world):
    rows = _good_rows(world)
    rows[0][1] = "乙县财政局"            # another county's unit: not in this round
    rows[1][8] = "去年春天"              # not a date
    rows[2][6] = "也许"                  # not yes/no
    errors = {(e.row, e.column) for e in _parse(world, _workbook(rows)).errors}
    assert errors == {(3, "被巡察单位"), (4, "发现日期"), (5, "重点人")}


def test_a_number_in_a_date_column_is_not_taken_for_a_date(world):
    rows = _good_rows(world)[:1]
    rows[0][8] = 2024  # a year typed into 发现日期 (Excel would read it as a day in 1905)
    errors = _parse(world, _workbook(rows)).errors
    assert [(e.row, e.column) for e in errors] == [(3, "发现日期")]
    assert "2024-03-15" in errors[0].message


def test_status_and_dates_must_fit_the_inspection(world):
    rows = _good_rows(world)[:1]
    rows[0][9] = "待反馈"  # inspection_a1 has given its feedback
    errors = _parse(world, _workbook(rows)).errors
    assert [(e.row, e.column) for e in errors] == [(3, "状态")]

    rows = _good_rows(world)[1:2]
    rows[0][10] = None  # rectified without the date
    errors = _parse(world, _workbook(rows)).errors
    assert [(e.row, e.column) for e in errors] == [(3, "整改完成日期")]


def test_office_b_cannot_import_into_county_a(world):
    parsed = _parse(world, _workbook(_good_rows(world)), user="office_b")
    # Office B's own round 1 does not cover 甲县财政局, and inspection A1's number is not among its inspections.
    assert parsed.rows == [] and [e.row for e in parsed.errors] == [3, 4, 5]
    assert {e.column for e in parsed.errors} == {"巡察轮次", "被巡察单位"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "文件为空"),
        ("问题描述,问题类别\n公车私用,八项规定\n".encode(), "不是Excel工作簿"),          # a .txt/.csv renamed
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧格式"),                # an old .xls/.doc
        (b"PK\x03\x04 this zip is cut short", "已损坏"),
    ],
)
def test_wrong_files_are_refused_clearly(world, data, expected):
    with pytest.raises(xlsx.ImportFileError) as refusal:
        _parse(world, data)
    assert expected in refusal.value.message


def test_a_renamed_word_document_is_named_as_such(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(xlsx.ImportFileError) as refusal:
        _parse(world, buffer.getvalue())
    assert "Word" in refusal.value.message


def test_empty_sheet_and_wrong_headers_are_refused(world):
    with pytest.raises(xlsx.ImportFileError) as empty:
        _parse(world, _workbook([], headers=[], title=None))
    assert "为空" in empty.value.message

    with pytest.raises(xlsx.ImportFileError) as wrong:
        _parse(world, _workbook([["张三", "财务科"]], headers=["姓名", "部门"], title=None))
    assert "表头" in wrong.value.message

    with pytest.raises(xlsx.ImportFileError) as missing:
        _parse(world, _workbook([["甲县财政局", "问题", "廉洁纪律"]], headers=["被巡察单位", "问题描述", "问题类别"]))
    assert "巡察轮次" in missing.value.message and "发现日期" in missing.value.message

    with pytest.raises(xlsx.ImportFileError) as header_only:
        _parse(world, _workbook([]))
    assert "没有问题数据" in header_only.value.message


# ---------------------------------------------------------------- the import page


def test_import_of_a_good_file_creates_all_rows(world, login):
    client = login(world.user("office_a"))
    before = Problem.objects.count()
    response = _upload(client, _workbook(_good_rows(world)))
    assert response.status_code == 302
    imported = Problem.objects.filter(description__startswith="历史台账").order_by("id")
    assert Problem.objects.count() == before + 3 and imported.count() == 3
    statuses = {p.description: p.status for p in imported}
    assert statuses["历史台账：“三会一课”制度落实不到位。"] == ProblemStatus.RECTIFIED
    assert statuses["历史台账：公务接待超标准。"] == ProblemStatus.FED_BACK  # blank: as the inspection stands
    rectified = imported.get(status=ProblemStatus.RECTIFIED)
    assert rectified.fed_back_on == world.inspection_a1.feedback_on and rectified.rectified_on is not None
    assert all(p.recorded_by == world.user("office_a") for p in imported)
    # One audit event per row.
    events = AuditEvent.objects.filter(action="problem.import")
    assert sorted(int(e.object_id) for e in events) == sorted(p.pk for p in imported)
    follow = client.get(response["Location"])
    assert "已导入3个问题" in follow.content.decode()


def test_a_file_with_one_bad_row_imports_nothing(world, login):
    client = login(world.user("office_a"))
    rows = _good_rows(world)
    rows[2][2] = ""  # no description
    before = Problem.objects.count()
    response = _upload(client, _workbook(rows))
    assert response.status_code == 400
    body = response.content.decode()
    assert Problem.objects.count() == before
    assert "未导入任何数据" in body
    assert "第5行" in body and "问题描述" in body


def test_importing_the_same_file_twice_is_refused(world, login):
    client = login(world.user("office_a"))
    data = _workbook(_good_rows(world))
    assert _upload(client, data).status_code == 302
    count = Problem.objects.count()
    again = _upload(client, data)
    assert again.status_code == 400 and Problem.objects.count() == count
    assert "已在台账中" in again.content.decode()


def test_a_renamed_text_file_is_refused_on_the_page(world, login):
    client = login(world.user("office_a"))
    response = _upload(client, "这不是表格".encode(), name="台账.xlsx")
    assert response.status_code == 400
    assert "不是Excel工作簿" in response.content.decode()


def test_only_the_office_and_admin_import(world, login):
    for name in ("inspector_a", "unit_a", "leader_a", "receiver_a"):
        client = login(world.user(name))
        assert client.get(reverse("web:problem_import")).status_code == 404, name
        assert client.get(reverse("web:problem_import_template")).status_code == 404, name
        assert _upload(client, _workbook(_good_rows(world))).status_code == 404, name
    assert not Problem.objects.filter(description__startswith="历史台账").exists()


def test_the_template_round_trips(world, login):
    client = login(world.user("office_a"))
    response = client.get(reverse("web:problem_import_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["巡察轮次", "巡察组", "被巡察单位", "问题描述"]
    # The sheet of inspections lists what office A may import into, and nothing of county B.
    listing = "\n".join(str(v) for row in wb.worksheets[-1].iter_rows(values_only=True) for v in row if v)
    assert "甲县财政局" in listing and "乙县财政局" not in listing
    # Fill the template as an office would and import it.
    position = {h: i for i, h in enumerate(headers)}
    row = [None] * len(headers)
    row[position["巡察轮次"]] = _round(world)
    row[position["巡察组"]] = "第一巡察组"
    row[position["被巡察单位"]] = "甲县财政局"
    row[position["问题描述"]] = "历史台账：固定资产账实不符。"
    row[position["问题类别"]] = "工作纪律"
    row[position["发现日期"]] = world.inspection_a1.entry_on
    ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    assert _upload(client, buffer.getvalue()).status_code == 302
    assert Problem.objects.get(description="历史台账：固定资产账实不符。").category == "work"


def test_an_export_is_a_valid_import_once_its_rows_are_new(world, login):
    """The export's layout reads back: re-importing it is refused only because every row is already there."""
    client = login(world.user("office_a"))
    exported = client.get(reverse("web:problem_export"), {"inspection": world.inspection_a1.pk}).content
    parsed = _parse(world, exported)
    assert parsed.rows == [] and len(parsed.errors) == 2
    assert all("已在台账中" in e.message for e in parsed.errors), [str(e) for e in parsed.errors]
