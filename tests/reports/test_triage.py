"""Report triage rules (no database) and grouping of repeated reports (with the world)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xuncha.core.dates import today
from xuncha.reports import triage_rules
from xuncha.reports.triage_rules import suggest

DATA = Path(triage_rules.__file__).resolve().parent / "data" / "labelled_reports.jsonl"
SEED_000_ADVERT = ("本站提供注册、登录、开户、咨询、APP下载等服务。平台拥有合法营业牌照,正规经营,公平公正,"
                   "24小时在线客服随时为你服务。")


# --- rules ----------------------------------------------------------------------------------------------

def test_dibao_favouritism_naming_the_village_secretary_is_a_clue_with_key_person():
    result = suggest("我们村的村支书张德福优亲厚友，把他弟弟和儿媳妇都弄进了低保，他家有小车有门面房。",
                     principal_names=["张德福"])
    assert result.disposal == "clue"
    assert result.category == "masses"
    assert "张德福" in result.key_persons
    assert "村支书" in result.key_persons
    assert "优亲厚友" in result.reason and "问题线索" in result.reason


def test_money_names_are_key_persons():
    result = suggest("财政局副局长李红收受供应商的购物卡和红包。", money_names=["李红", "王建国"])
    assert result.disposal == "clue"
    assert result.key_persons[0] == "李红"
    assert "王建国" not in result.key_persons


def test_lawsuit_is_forwarded():
    result = suggest("我跟邻居因为房子的事打官司，法院判得不公平，请你们管一管。")
    assert result.disposal == "forward"
    assert result.category == ""
    assert "转交" in result.reason


def test_late_publication_is_immediate():
    result = suggest("村里的低保名单一直没有公示，公示不及时，大家都不知道谁在吃低保。")
    assert result.disposal == "immediate"
    assert result.category == "masses"


def test_seed_000_advert_is_archived():
    result = suggest(SEED_000_ADVERT)
    assert result.disposal == "archive"
    assert result.category == ""
    assert "广告" in result.reason


def test_empty_and_contentless_texts_are_archived():
    assert suggest("").disposal == "archive"
    assert suggest("祝巡察工作顺利！").disposal == "archive"


def test_negation_drops_the_wrongdoing():
    assert suggest("村会计贪污了扶贫款。").disposal == "clue"
    assert suggest("没有发现村会计贪污。").disposal != "clue"


def test_suggestion_values_are_valid():
    for text in ["镇里开会太多，材料一大堆。", "路灯坏了没人修。", SEED_000_ADVERT]:
        result = suggest(text)
        assert result.disposal in triage_rules.DISPOSALS
        assert result.category in ("", *triage_rules.CATEGORIES)
        assert result.reason


def test_lexicon_categories_match_the_findings_categories():
    from xuncha.findings.models import Category
    from xuncha.reports.models import SuggestedDisposal

    assert set(triage_rules.CATEGORIES) == set(Category.values)
    assert set(triage_rules.CATEGORY_LEXICON) == set(Category.values)
    assert set(triage_rules.DISPOSALS) == set(SuggestedDisposal.values)


# --- the labelled set --------------------------------------------------------------------------------------

def test_labelled_set_loads_and_labels_are_valid():
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    assert len({row["id"] for row in rows}) == len(rows)
    assert len({row["text"] for row in rows}) == len(rows)
    for row in rows:
        assert row["text"].strip()
        assert row["disposal"] in triage_rules.DISPOSALS, row
        assert row["category"] in ("", *triage_rules.CATEGORIES), row
        assert row["split"] in ("main", "holdout", "holdout2", "holdout3"), row
        if row["disposal"] in ("clue", "immediate", "general"):
            assert row["category"], row
    assert {row["disposal"] for row in rows} == set(triage_rules.DISPOSALS)
    assert len({row["category"] for row in rows} - {""}) >= 10


# --- grouping ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_similar_reports_about_one_village_are_grouped(world):
    from xuncha.reports.grouping import attach_to_group, group_counts
    from xuncha.reports.models import Report, ReportStatus

    def report(content, unit=world.village_a, **kw):
        return Report.objects.create(inspection=world.inspection_a2, content=content, concerns_unit=unit,
                                     received_on=today(), **kw)

    first = report("东关村村支书张德福把他弟弟和儿媳妇都弄进了低保，他家有小车有门面房。")
    assert attach_to_group(first) is None

    second = report("反映东关村支书张德福的弟弟和儿媳妇吃低保的问题，他们家有小车还有门面房，不符合条件。")
    group = attach_to_group(second)
    assert group is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.group_id == second.group_id == group.pk
    assert group_counts(world.inspection_a2) == {group.pk: 2}

    unrelated = report("东关村的路灯坏了半年没人修，晚上出门很不方便。")
    assert attach_to_group(unrelated) is None

    # The same text about another unit is another matter.
    elsewhere = report("反映东关村支书张德福的弟弟和儿媳妇吃低保的问题，他们家有小车还有门面房，不符合条件。",
                       unit=world.township_a)
    assert attach_to_group(elsewhere) is None

    spam = report("东关村村支书张德福把他弟弟和儿媳妇都弄进了低保，他家有小车有门面房。", status=ReportStatus.SPAM)
    assert attach_to_group(spam) is None

    # A third retelling joins the existing group.
    third = report("东关村张德福书记的弟弟、儿媳妇吃低保，家里有小车有门面房，这不是优亲厚友吗？")
    assert attach_to_group(third) == group
    assert group_counts(world.inspection_a2) == {group.pk: 3}
    for r in (unrelated, elsewhere, spam):
        r.refresh_from_db()
        assert r.group_id is None


@pytest.mark.django_db
def test_reports_naming_the_same_person_are_grouped_across_units(world):
    from xuncha.reports.grouping import attach_to_group
    from xuncha.reports.models import Report

    first = Report.objects.create(inspection=world.inspection_a2, content="王建国局长收受工程老板的购物卡和现金。",
                                  concerns_person="王建国", received_on=today())
    second = Report.objects.create(inspection=world.inspection_a2, concerns_unit=world.dept_a,
                                   content="举报王建国局长收受工程老板的现金和购物卡。", received_on=today())
    assert attach_to_group(first) is None
    assert attach_to_group(second) is not None
