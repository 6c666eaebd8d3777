"""What the generator writes: roster headers, files, encodings, the payment window, ID helpers.

Kept free of Django and of xuncha.crosscheck, so the generator and its checker stay independent of the
library they test.
"""

from __future__ import annotations

import datetime as dt

# --- the rosters (issue 6) ------------------------------------------------------------------------------

HEADERS: dict[str, list[str]] = {
    "deaths": ["姓名", "身份证号", "死亡日期"],
    "dibao": ["姓名", "身份证号", "发放年月", "金额", "地区"],
    "pension": ["姓名", "身份证号", "发放年月", "金额", "地区"],
    "public_employees": ["姓名", "身份证号", "单位", "职务", "入职日期", "离职日期"],
    "village_cadres": ["姓名", "身份证号", "村", "职务", "任职开始", "任职结束"],
    "relatives": ["干部身份证号", "亲属姓名", "亲属身份证号", "关系"],
    "company_roles": ["企业名称", "统一社会信用代码", "人员姓名", "人员身份证号", "角色", "起始日期", "终止日期"],
    "vehicles": ["车牌号", "车主姓名", "车主身份证号", "车辆类型", "登记日期"],
    "prisoners": ["姓名", "身份证号", "入狱日期", "出狱日期"],
    "machinery_subsidies": ["购机人姓名", "购机人身份证号", "机具编号", "补贴金额", "补贴年度"],
    "payroll": ["姓名", "身份证号", "单位", "发放年月", "金额"],
    "farmland_subsidies": ["农户姓名", "身份证号", "地块编码", "面积", "补贴年度", "金额"],
}
KINDS = list(HEADERS)

# Column roles, for the checker: which header is the person's ID / name, which hold IDs, dates, months,
# years, and which of them must not be empty.
PERSON = {  # kind -> (ID header, name header)
    "deaths": ("身份证号", "姓名"), "dibao": ("身份证号", "姓名"), "pension": ("身份证号", "姓名"),
    "public_employees": ("身份证号", "姓名"), "village_cadres": ("身份证号", "姓名"),
    "relatives": ("亲属身份证号", "亲属姓名"), "company_roles": ("人员身份证号", "人员姓名"),
    "vehicles": ("车主身份证号", "车主姓名"), "prisoners": ("身份证号", "姓名"),
    "machinery_subsidies": ("购机人身份证号", "购机人姓名"), "payroll": ("身份证号", "姓名"),
    "farmland_subsidies": ("身份证号", "农户姓名"),
}
OTHER_IDS = {"relatives": ["干部身份证号"]}
DATES = {  # kind -> [(header, required)]
    "deaths": [("死亡日期", True)],
    "public_employees": [("入职日期", True), ("离职日期", False)],
    "village_cadres": [("任职开始", True), ("任职结束", False)],
    "company_roles": [("起始日期", False), ("终止日期", False)],
    "vehicles": [("登记日期", True)],
    "prisoners": [("入狱日期", True), ("出狱日期", False)],
}
MONTHS = {"dibao": "发放年月", "pension": "发放年月", "payroll": "发放年月"}
YEARS = {"machinery_subsidies": "补贴年度", "farmland_subsidies": "补贴年度"}

# How each department sends its file. (encoding, delimiter, title line, line end)
# GBK and GB18030 for the civil-affairs and justice bureaus, UTF-16 tab-separated ("Unicode text", as
# Excel saves it) for the vehicle registry, UTF-8 with BOM for the rest, one plain UTF-8.
FILES = {
    "deaths": ("utf-8-sig", ",", None, "\n"),
    "dibao": ("gbk", ",", "{county}民政局城乡低保发放名册（2023—2024年）", "\r\n"),
    "pension": ("utf-8-sig", ",", None, "\n"),
    "public_employees": ("utf-8-sig", ",", None, "\n"),
    "village_cadres": ("gbk", ",", None, "\r\n"),
    "relatives": ("utf-8", ",", None, "\n"),
    "company_roles": ("utf-8-sig", ",", None, "\n"),
    "vehicles": ("utf-16", "\t", None, "\r\n"),
    "prisoners": ("gb18030", ",", None, "\r\n"),
    "machinery_subsidies": ("utf-8-sig", ",", None, "\n"),
    "payroll": ("utf-8-sig", ",", None, "\n"),
    "farmland_subsidies": ("gbk", ",", None, "\r\n"),
}
XLSX_TINY = "village_cadres"   # written as .xlsx (title row, real date cells) in the tiny set

# Date and month formats of the background rows (strftime), one convention per department.
DATE_FORMATS = {
    "deaths": "%Y-%m-%d", "public_employees": "%Y/%-m/%-d", "village_cadres": "%Y年%-m月%-d日",
    "company_roles": "%Y%m%d", "vehicles": "%Y-%m-%d", "prisoners": "%Y/%m/%d",
}
MONTH_FORMATS = {"dibao": "%Y%m", "pension": "%Y-%m", "payroll": "%Y/%-m"}

# --- time ---------------------------------------------------------------------------------------------------

FIRST_MONTH = (2023, 1)   # payments are generated for 2023-01 … 2024-12
LAST_MONTH = (2024, 12)
YEARS_PAID = (2023, 2024)  # subsidy years of the background


def mnum(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_of(number: int) -> tuple[int, int]:
    return number // 12, number % 12 + 1


M_FIRST = mnum(*FIRST_MONTH)
M_LAST = mnum(*LAST_MONTH)


def month_start(number: int) -> dt.date:
    y, m = month_of(number)
    return dt.date(y, m, 1)


def month_end(number: int) -> dt.date:
    return month_start(number + 1) - dt.timedelta(days=1)


def excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


# --- ID numbers (GB 11643) ---------------------------------------------------------------------------------

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def check_digit(body17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


def make_id(area: str, birth: dt.date, seq: int) -> str:
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body)


def to_id15(id18: str) -> str:
    """The old 15-digit number of someone born in the 1900s."""
    assert id18[6:8] == "19", id18
    return id18[:6] + id18[8:17]


def wrong_check(id18: str) -> str:
    right = id18[17]
    return id18[:17] + ("0" if right != "0" else "7")


def valid18(text: str) -> bool:
    if len(text) != 18 or not text[:17].isdigit() or text[17] not in "0123456789X":
        return False
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today() and check_digit(text[:17]) == text[17]


FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
