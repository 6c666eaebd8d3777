"""The words official documents use for committees, units and inspections: 「中共甲县财政局党组」,
「甲县巡察工作领导小组」, 「2026年第1轮巡察」, 「于…至…」. Shared by every generated document; the layout is in
xuncha.core.official_document.
"""

from __future__ import annotations

from xuncha.core.official_document import chinese_date
from xuncha.org.models import Committee, CommitteeLevel, Unit, UnitKind
from xuncha.rounds.models import Inspection

_ORG_SUFFIXES = ("党组", "党委", "党工委", "党总支", "党支部", "支部委员会", "委员会", "党组织")


def party_organisation(unit: Unit) -> str:
    """The unit's party organisation without 「中共」: 甲县财政局党组, 城关镇党委, 城关镇东关村党支部."""
    name = str(unit).strip()
    if name.startswith("中共"):
        name = name[2:]
    if name.endswith(_ORG_SUFFIXES):
        return name
    if unit.kind == UnitKind.DEPARTMENT:
        return f"{name}党组"
    if unit.kind == UnitKind.TOWNSHIP:
        return f"{name}党工委" if name.endswith("街道") else f"{name}党委"
    if unit.kind == UnitKind.VILLAGE:
        return f"{name}党支部"
    return f"{name}党委"


def party_organisation_full(unit: Unit) -> str:
    """中共甲县财政局党组 (the form of a 主送 line or a 落款)."""
    return f"中共{party_organisation(unit)}"


def tour_word(committee: Committee) -> str:
    """A provincial committee runs 巡视, the others 巡察."""
    return "巡视" if committee.level == CommitteeLevel.PROVINCE else "巡察"


def leading_group(committee: Committee) -> str:
    return f"{committee.name}{tour_word(committee)}工作领导小组"


def round_words(inspection: Inspection) -> str:
    rnd = inspection.round
    words = f"{rnd.year}年第{rnd.number}轮{tour_word(rnd.committee)}"
    if rnd.topic:
        words += f"（{rnd.topic}）"
    return words


def fieldwork_words(inspection: Inspection) -> str:
    """「于2026年3月1日至2026年4月10日」, or nothing when the dates are not recorded."""
    if inspection.entry_on and inspection.fieldwork_ends_on:
        return f"于{chinese_date(inspection.entry_on)}至{chinese_date(inspection.fieldwork_ends_on)}"
    if inspection.entry_on:
        return f"自{chinese_date(inspection.entry_on)}起"
    return ""


def units_words(inspection: Inspection) -> str:
    """The inspected units' party organisations: 「甲县财政局党组、城关镇党委」."""
    return "、".join(party_organisation(u) for u in inspection.units.all())

