"""Rows without a valid ID: matched on name + birth date + region, for review.csv only.

A row whose only problem is its ID number (a wrong check digit, a mistyped digit) is still in
rejected.csv. If its normalised name, the birth date and the 6-digit area code readable from the number
are those of exactly one person with a valid ID in the rosters, a copy of the row takes part in the
rules under that person's ID, flagged ``_proxy``. A match with a flagged row goes to review.csv with a
score and an explanation, never to hits.csv. The region is the area code of the ID (the rosters' own
地区 columns are free text and too irregular to be a key).

Score: 0.6 for name + birth date + area code; +0.3 when only the check digit differs from the
candidate's number, +0.2 when one digit differs or two neighbouring digits are swapped; divided by the
number of candidates when several people share name, birth date and area code.
"""

from __future__ import annotations

import pandas as pd

from xuncha.crosscheck import normalize as nz
from xuncha.crosscheck.reader import Roster


def _registry(rosters: dict[str, Roster]) -> pd.DataFrame:
    """Every (valid ID, name) pair of the rosters, with the birth date and area code of the ID."""
    parts = [r.frame[["id", "name"]] for r in rosters.values() if len(r.frame) and "id" in r.frame]
    if not parts:
        return pd.DataFrame(columns=["id", "name", "birth", "area"])
    people = pd.concat(parts).dropna().drop_duplicates()
    ids = people["id"].astype(str)
    people = people.assign(birth=ids.str[6:10] + "-" + ids.str[10:12] + "-" + ids.str[12:14], area=ids.str[:6])
    return people.astype({"name": str, "birth": str, "area": str, "id": str})


def _difference(raw: str, candidate: str) -> tuple[float, str]:
    body = nz.clean_id(raw)
    if len(body) == 15:
        body = body[:6] + "19" + body[6:]
    if len(body) != 18:
        return 0.0, f"号码为{len(body)}位"
    if body[:17] == candidate[:17]:
        return 0.3, "两个号码仅校验位不同"
    diffs = [i for i in range(18) if body[i] != candidate[i]]
    if len(diffs) == 1:
        return 0.2, f"两个号码仅第{diffs[0] + 1}位不同"
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and body[diffs[0]] == candidate[diffs[1]] \
            and body[diffs[1]] == candidate[diffs[0]]:
        return 0.2, f"两个号码第{diffs[0] + 1}、{diffs[1] + 1}位颠倒"
    return 0.0, f"两个号码有{len(diffs)}位不同"


def add_proxy_rows(rosters: dict[str, Roster]) -> int:
    """Append the flagged copies to each roster's frame; the number of copies added."""
    registry = _registry(rosters)
    added = 0
    if registry.empty:
        return 0
    for roster in rosters.values():
        invalid = roster.invalid_ids
        if invalid is None or invalid.empty:
            continue
        invalid = invalid[invalid["name"].notna()].copy()
        if invalid.empty:
            continue
        parts = [nz.id_birth_and_area(raw) for raw in invalid["id__raw"].astype(str)]
        invalid["_birth"] = [p[0] for p in parts]
        invalid["_area"] = [p[1] for p in parts]
        invalid = invalid[invalid["_birth"].notna() & invalid["_area"].notna()]
        if invalid.empty:
            continue
        keyed = invalid.astype({"name": str, "_birth": str, "_area": str})
        matched = keyed.merge(registry, left_on=["name", "_birth", "_area"], right_on=["name", "birth", "area"],
                              suffixes=("", "__candidate"))
        if matched.empty:
            continue
        counts = matched.groupby("_row")["id__candidate"].transform("nunique")
        scores, whys = [], []
        for raw, cand, name, birth, area, k in zip(matched["id__raw"], matched["id__candidate"], matched["name"],
                                                   matched["_birth"], matched["_area"], counts, strict=True):
            bonus, note = _difference(str(raw), cand)
            reason = (nz.normalize_id(raw)[1] or "无效").removeprefix("身份证号")
            scores.append(round((0.6 + bonus) / k, 2))
            extra = f"；同名同生日同地区共{k}人" if k > 1 else ""
            whys.append(f"{roster.file}身份证号「{raw}」无效（{reason}），按姓名「{name}」、出生日期{birth}、"
                        f"地区码{area}匹配到{cand}；{note}{extra}")
        proxy = matched[list(roster.frame.columns)].copy()
        proxy["id"] = matched["id__candidate"].to_numpy()
        proxy["_proxy"] = True
        proxy["_score"] = pd.array(scores, dtype="Float64")
        proxy["_why"] = pd.array(whys, dtype="string")
        proxy = proxy.astype(roster.frame.dtypes.to_dict())
        roster.frame = pd.concat([roster.frame, proxy], ignore_index=True)
        added += len(proxy)
    return added
