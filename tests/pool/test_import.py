"""The pool workbook: a template with four sheets, imported all or nothing with an error for each bad row (sheet, row,
column, why), re-imported as an update by ID number, and refused as a whole when it is not a workbook."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.pool.test_members import id_number, wrong_check_digit
from xuncha.core.models import AuditEvent
from xuncha.findings.xlsx import ImportFileError
from xuncha.pool import members
from xuncha.pool.importer import parse_pool_workbook, pool_template_xlsx
from xuncha.pool.models import Declaration, Relative, Talent, WorkPeriod

PEOPLE = ["姓名*", "身份证号*", "性别", "出生日期", "人员类别*", "专业特长*", "职级", "工作单位", "职务", "籍贯乡镇",
          "籍贯村", "联系电话", "组长库", "是否可用", "不可用原因", "备注"]
WORK = ["身份证号*", "工作单位*", "职务", "起始日期*", "截止日期"]
RELATIVES = ["身份证号*", "亲属姓名*", "关系*", "亲属身份证号", "亲属工作单位"]
DECLARATIONS = ["身份证号*", "类别*", "单位*", "涉及领导", "事由*", "申请日期*"]

ZHANG = id_number("19780512", 15)   # 张建华, a man
LI = id_number("19850203", 26)      # 李秀梅, a woman
WANG = id_number("19690918", 37)    # 王立新, a man


def workbook(people=(), work=(), relatives=(), declarations=()) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in (("人员", PEOPLE, people), ("工作经历", WORK, work), ("亲属", RELATIVES, relatives),
                                ("回避申请", DECLARATIONS, declarations)):
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def person(name, number, speciality="审计", rank="正科级", unit="甲县审计局", **extra):
    row = dict(zip(PEOPLE, [name, number, None, None, "在职干部", speciality, rank, unit, "科长", None, None,
                            "13800000000", "否", None, None, None], strict=True))
    row.update(extra)
    return [row[h] for h in PEOPLE]


GOOD = dict(
    people=[person("张建华", ZHANG, rank="副处级", 组长库="是", 籍贯乡镇="城关镇", 籍贯村="东关村"),
            person("李秀梅", LI, speciality="财税", unit="城关镇东关村", 性别="女",
                   出生日期=datetime.datetime(1985, 2, 3)),
            person("王立新", WANG, speciality="纪检监察", rank="", unit="某会计师事务所", 是否可用="否",
                   不可用原因="住院治疗")],
    work=[[ZHANG, "甲县财政局", "副局长", "2012-03-01", "2018-06-30"],
          [ZHANG, "甲县审计局", "局长", datetime.datetime(2018, 7, 1), None]],
    relatives=[[ZHANG, "刘芳", "妻子", id_number("19800101", 42), "甲县城投公司"],
               [LI, "李大山", "父亲", None, "城关镇"]],
    declarations=[[WANG, "与被巡察单位领导有利害关系", "甲县财政局", "王建国", "曾有经济往来", "2024-03-01"],
                  [LI, "回避申请", "城关镇", None, "本人在该镇工作", datetime.datetime(2024, 3, 2)]],
)


def parse(world, data: bytes):
    return parse_pool_workbook(data, committee=world.county_a, actor=world.user("office_a"))


def test_the_template_has_the_four_sheets_the_lists_and_the_units(world):
    book = load_workbook(io.BytesIO(pool_template_xlsx(world.county_a)))
    assert book.sheetnames[:4] == ["人员", "工作经历", "亲属", "回避申请"]
    assert [c.value for c in book["人员"][1]] == PEOPLE
    assert [c.value for c in book["工作经历"][1]] == WORK
    assert [c.value for c in book["亲属"][1]] == RELATIVES
    assert [c.value for c in book["回避申请"][1]] == DECLARATIONS
    options = [c.value for c in book["选项"]["B"]]
    assert "审计" in options and "纪检" in options
    units = {row[0] for row in book["本级单位"].iter_rows(min_row=2, values_only=True)}
    assert {"甲县财政局", "城关镇", "城关镇东关村"} <= units and "乙县财政局" not in units
    # The template itself imports as nothing: its sheets are there, but empty.
    with pytest.raises(ImportFileError, match="没有数据行"):
        parse(world, pool_template_xlsx(world.county_a))


def test_a_clean_workbook_is_imported_with_every_sheet(world):
    parsed = parse(world, workbook(**GOOD))
    assert parsed.errors == [] and parsed.new_people == 3
    outcome = members.pool_import(actor=world.user("office_a"), committee=world.county_a, batch=parsed.batch)
    assert (outcome.created, outcome.updated, outcome.periods, outcome.relatives, outcome.declarations) == \
        (3, 0, 2, 2, 2)
    zhang = Talent.objects.get(id_number=ZHANG)
    assert zhang.rank == 4 and zhang.can_lead and zhang.gender == "M"
    assert zhang.birth_date == datetime.date(1978, 5, 12)
    assert zhang.home_village == world.village_a and zhang.home_township == world.township_a
    li = Talent.objects.get(id_number=LI)
    assert li.unit == world.village_a and li.speciality == "finance"
    wang = Talent.objects.get(id_number=WANG)
    assert not wang.available and wang.unavailable_reason == "住院治疗" and wang.rank == 0 and wang.unit is None
    assert zhang.work_periods.get(unit_name="甲县财政局").unit == world.dept_a
    assert zhang.relatives.get().relation == "配偶"
    assert zhang.relatives.get().unit == world.soe_a
    assert wang.declarations.get().leader == "王建国"
    actions = list(AuditEvent.objects.filter(action__startswith="pool.").order_by("id")
                   .values_list("action", flat=True))
    assert actions.count("pool.talent_import") == 3 and actions[-1] == "pool.import"


def test_one_bad_row_and_nothing_is_imported_every_bad_row_listed(world):
    data = workbook(
        people=[
            person("张建华", wrong_check_digit(ZHANG)),                    # row 2: check digit
            person("李秀梅", LI, speciality="天文"),                       # row 3: unknown speciality
            person("王立新", WANG, rank="巡视员级"),                       # row 4: unknown rank
            person("王立新", WANG),                                         # row 5: the same person again
            person("赵敏", id_number("19900101", 48), 性别="男"),           # row 6: a woman's number
            person("钱进", id_number("19911111", 51), 籍贯乡镇="不存在镇"),  # row 7: unknown township
            person("孙丽", 330102199202020062),                             # row 8: number stored as a number
            person("周强", id_number("19870707", 71)),                      # row 9: good
        ],
        work=[[LI, "甲县财政局", "科员", "2023-02-30", None],               # impossible date
              [id_number("19700101", 91), "甲县财政局", None, "2001-01-01", None]],  # unknown person
        relatives=[[LI, "李某", "邻居", None, None]],                        # unknown relation
        declarations=[[LI, "回避申请", "乙县财政局", None, "亲属在该局", "2024-01-01"]],  # county B's unit
    )
    parsed = parse(world, data)
    found = {(e.sheet, e.row, e.column) for e in parsed.errors}
    assert found == {
        ("人员", 2, "身份证号"), ("人员", 3, "专业特长"), ("人员", 4, "职级"), ("人员", 5, "身份证号"),
        ("人员", 6, "性别"), ("人员", 7, "籍贯乡镇"), ("人员", 8, "身份证号"),
        ("工作经历", 2, "起始日期"), ("工作经历", 3, "身份证号"), ("亲属", 2, "关系"), ("回避申请", 2, "单位"),
    }
    words = {(e.sheet, e.row): e.message for e in parsed.errors}
    assert "校验码" in words[("人员", 2)]
    assert "天文" in words[("人员", 3)]
    assert "第4行" in words[("人员", 5)]
    assert "女" in words[("人员", 6)]
    assert "文本" in words[("人员", 8)]
    assert "2023-02-30" in words[("工作经历", 2)]
    assert "没有该身份证号" in words[("工作经历", 3)]
    assert "邻居" in words[("亲属", 2)]
    assert "工作表" not in str(parsed.errors[0]) and "“人员”表第2行" in str(parsed.errors[0])
    assert not Talent.objects.exists() and not WorkPeriod.objects.exists()


def test_importing_again_updates_by_id_number_and_adds_nothing_twice(world):
    office = world.user("office_a")
    members.pool_import(actor=office, committee=world.county_a, batch=parse(world, workbook(**GOOD)).batch)
    again = dict(GOOD)
    again["people"] = [person("张建华", ZHANG, rank="正处级", unit="甲县纪委监委", 组长库="是", 籍贯乡镇="城关镇",
                              籍贯村="东关村")] + GOOD["people"][1:]
    again["relatives"] = GOOD["relatives"] + [[ZHANG, "张小华", "女儿", None, "甲县财政局"]]
    parsed = parse(world, workbook(**again))
    assert parsed.errors == [] and parsed.new_people == 0 and parsed.known_people == 3
    outcome = members.pool_import(actor=office, committee=world.county_a, batch=parsed.batch)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 2)
    assert (outcome.periods, outcome.relatives, outcome.declarations) == (0, 1, 0)
    zhang = Talent.objects.get(id_number=ZHANG)
    assert zhang.rank == 5 and zhang.unit_name == "甲县纪委监委" and zhang.version == 2
    assert Talent.objects.count() == 3 and WorkPeriod.objects.count() == 2 and Declaration.objects.count() == 2
    assert Relative.objects.count() == 3
    # A hand-added post survives a re-import: an import deletes nothing.
    members.work_period_add(actor=office, talent=zhang, unit_name="城关镇", started_on=datetime.date(2005, 1, 1),
                            ended_on=datetime.date(2011, 12, 31))
    members.pool_import(actor=office, committee=world.county_a, batch=parse(world, workbook(**again)).batch)
    assert zhang.work_periods.count() == 3
    # Child rows may name people already in the pool without listing them again.
    parsed = parse(world, workbook(relatives=[[WANG, "王小明", "儿子", None, "甲县城投公司"]]))
    assert parsed.errors == []
    members.pool_import(actor=office, committee=world.county_a, batch=parsed.batch)
    assert Talent.objects.get(id_number=WANG).relatives.count() == 1


def test_a_file_that_is_not_a_workbook_is_refused_as_a_whole(world):
    csv = "姓名,身份证号\n张三,110101199003071234\n".encode("gbk")
    with pytest.raises(ImportFileError, match="不是Excel"):
        parse(world, csv)
    good = workbook(**GOOD)
    with pytest.raises(ImportFileError, match="损坏"):
        parse(world, good[: len(good) // 2])
    with pytest.raises(ImportFileError, match="空"):
        parse(world, b"")
    other = Workbook()
    other.active.title = "Sheet1"
    other.active.append(["foo", "bar"])
    buffer = io.BytesIO()
    other.save(buffer)
    with pytest.raises(ImportFileError, match="人员"):
        parse(world, buffer.getvalue())
    missing = Workbook()
    missing.active.title = "人员"
    missing.active.append(["姓名*", "专业特长*"])
    missing.active.append(["张三", "审计"])
    buffer = io.BytesIO()
    missing.save(buffer)
    with pytest.raises(ImportFileError, match="身份证号"):
        parse(world, buffer.getvalue())
    assert not Talent.objects.exists()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_import_page_lists_the_bad_rows_in_chinese_and_imports_a_clean_file(world, client):
    client.force_login(world.user("office_a"))
    page = client.get("/pool/import/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "导入巡察人才库" in text and "下载导入模板" in text
    token = page.context["form"]["form_token"].value()
    bad = workbook(people=[person("张建华", wrong_check_digit(ZHANG)), person("李秀梅", LI, speciality="天文")])
    response = client.post("/pool/import/", {"committee": world.county_a.pk, "form_token": token,
                                             "file": upload("人才库.xlsx", bad)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "未导入任何数据" in text and "需更正的行" in text and "校验码" in text
    assert "“天文”不是列表中的专业特长" in text
    assert "工作表" in text and "专业特长" in text
    assert not Talent.objects.exists()
    token = response.context["form"]["form_token"].value()
    csv_renamed = client.post("/pool/import/", {"committee": world.county_a.pk, "form_token": token,
                                                "file": upload("人才库.xlsx", "姓名,身份证号\n".encode())})
    assert csv_renamed.status_code == 400 and "不是Excel" in csv_renamed.content.decode()
    token = csv_renamed.context["form"]["form_token"].value()
    done = client.post("/pool/import/", {"committee": world.county_a.pk, "form_token": token,
                                         "file": upload("人才库.xlsx", workbook(**GOOD))}, follow=True)
    assert "新增3人" in done.content.decode() and Talent.objects.count() == 3
    # The same form sent twice imports once.
    twice = client.post("/pool/import/", {"committee": world.county_a.pk, "form_token": token,
                                          "file": upload("人才库.xlsx", workbook(**GOOD))}, follow=True)
    assert "只导入一次" in twice.content.decode()
    assert AuditEvent.objects.filter(action="pool.import").count() == 1
    template = client.get("/pool/import/template.xlsx")
    assert template.status_code == 200 and load_workbook(io.BytesIO(template.content)).sheetnames[0] == "人员"


def test_another_county_cannot_import_into_this_pool(world, client):
    client.force_login(world.user("office_b"))
    page = client.get("/pool/import/")
    token = page.context["form"]["form_token"].value()
    response = client.post("/pool/import/", {"committee": world.county_a.pk, "form_token": token,
                                             "file": upload("人才库.xlsx", workbook(**GOOD))})
    assert response.status_code == 400 and not Talent.objects.exists()
    for name in ("leader_a", "inspector_a", "unit_a"):
        client.force_login(world.user(name))
        assert client.get("/pool/import/").status_code == 404
        assert client.get("/pool/import/template.xlsx").status_code == 404
