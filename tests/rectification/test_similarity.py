"""Chinese text similarity for 纸上整改 (no database): copied measures across units, restated problems."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from xuncha.rectification import similarity as sim

MEASURE = "修订党组议事规则和“三重一大”决策实施办法，明确决策事项清单，每季度开展2次督查，由办公室牵头负责"
# Clauses reordered, punctuation changed, one word changed (党组 → 党委), a number and a boilerplate word added.
COPY = "每季度开展1次督查；明确决策事项清单。进一步修订党委议事规则和三重一大决策实施办法、由办公室牵头负责"
OTHER = [
    "完善公务用车管理制度，安装车辆定位系统，节假日封存入库",
    "对城乡居民最低生活保障金享受对象逐户复核，清退不符合条件人员并追回资金",
    "组织开展家风家教专题教育，签订廉洁家风承诺书",
    "按标准腾退超标办公用房，调整后张贴公示",
]


def test_tokens_drop_punctuation_numbers_and_boilerplate():
    words = sim.tokens("进一步加强制度建设，严格落实“三会一课”，每月不少于2次！")
    assert "三会一课" in words
    for dropped in ("进一步", "加强", "制度", "严格", "落实", "2", "0", "，", "“", "！"):
        assert dropped not in words
    assert sim.tokens("ＡＢＣ（全角）") == sim.tokens("abc(全角)")  # NFKC + lower case


def test_shingles_are_bigrams_with_a_unigram_fallback():
    assert sim.shingles(["a", "b", "c", "d"]) == {"a b", "b c", "c d"}
    assert sim.shingles(["a", "b", "c"]) == {"a", "b", "c"}
    # Within each clause: reordering clauses does not change the set.
    reordered = sim.text_shingles("专人保管；公开结果。核对支出凭证")
    assert sim.text_shingles("核对支出凭证，公开结果，专人保管") == reordered


def test_copied_measure_between_units_is_found():
    assert sim.jaccard(sim.text_shingles(MEASURE), sim.text_shingles(COPY)) >= 0.6
    docs = [(1, "甲县财政局", MEASURE), (2, "乙县财政局", COPY)]
    docs += [(10 + i, f"unit-{i}", text) for i, text in enumerate(OTHER)]
    pairs = sim.near_duplicates(docs, threshold=0.6)
    assert [(a, b) for a, b, _score in pairs] == [(1, 2)]
    assert 0.6 <= pairs[0][2] < 1


def test_different_measures_are_not_paired():
    docs = [(i, f"unit-{i}", text) for i, text in enumerate([MEASURE, *OTHER])]
    assert sim.near_duplicates(docs) == []


def test_pairs_within_one_unit_are_not_reported():
    docs = [(1, "甲县财政局", MEASURE), (2, "甲县财政局", COPY), (3, "甲县财政局", MEASURE)]
    assert sim.near_duplicates(docs) == []


def test_each_pair_once_ordered_with_identical_texts_collapsed():
    docs = [("c", 3, MEASURE), ("a", 1, MEASURE), ("b", 2, MEASURE), ("d", 1, MEASURE), ("e", 9, OTHER[0])]
    pairs = sim.near_duplicates(docs)
    assert pairs == [("a", "b", 1.0), ("a", "c", 1.0), ("b", "c", 1.0), ("b", "d", 1.0), ("c", "d", 1.0)]


def test_a_template_shared_by_many_units_is_bounded():
    docs = [(i, f"unit-{i % 300}", MEASURE if i % 2 else COPY) for i in range(600)]
    docs += [(1000 + i, f"unit-{i}", OTHER[0]) for i in range(3)]
    assert len(sim.near_duplicates(docs)) > 100_000  # every cross-unit pair
    pairs = sim.near_duplicates(docs, max_pairs_per_doc=3)
    assert len(pairs) <= 603 * 3 * 2
    partners: dict[int, int] = {}
    for a, b, _score in pairs:
        partners[a] = partners.get(a, 0) + 1
        partners[b] = partners.get(b, 0) + 1
    assert set(partners) == set(range(1000, 1003)) | set(range(600))
    assert min(partners.values()) >= 2


def test_texts_without_content_are_never_paired():
    docs = [(1, "a", "进一步加强制度建设，严格落实整改"), (2, "b", "严格落实整改，进一步加强制度建设")]
    assert sim.near_duplicates(docs) == []


def test_many_documents_with_planted_copies():
    base = [f"{verb}{matter}{doc}，{method}，{freq}{follow}"
            for verb in ("制定", "修订", "梳理")
            for matter in ("公务用车", "公务接待", "差旅费", "固定资产", "政府采购", "信访事项")
            for doc in ("管理办法", "台账", "审批流程")
            for method, freq, follow in [("逐笔核对支出凭证", "每月", "通报进展"),
                                         ("张贴公示接受群众监督", "每季度", "组织交叉检查")]]
    docs = [(i, f"unit-{i}", text) for i, text in enumerate(base)]
    copies = {}
    for n, source in enumerate(range(0, len(base), 17)):
        key = 1000 + n
        parts = base[source].split("，")
        docs.append((key, f"copier-{n}", "；".join(reversed(parts)) + "。"))
        copies[(source, key)] = True
    stats: dict = {}
    pairs = sim.near_duplicates(docs, threshold=0.6, stats=stats)
    found = {(a, b) for a, b, _s in pairs}
    assert set(copies) <= found
    assert all(score >= 0.6 for _a, _b, score in pairs)
    assert stats["docs"] == len(docs) and stats["candidates"] >= len(copies)
    # Every reported pair really is at or above the threshold.
    texts = {k: t for k, _g, t in docs}
    assert all(sim.jaccard(sim.text_shingles(texts[a]), sim.text_shingles(texts[b])) >= 0.6 for a, b in found)


def test_restatement_high_for_rewording_low_for_new_actions():
    assert sim.restatement_score("针对会议记录不规范的问题进行整改", "会议记录不规范") >= 0.9
    assert sim.restatement_score("规范会议记录", "会议记录不规范") >= 0.8
    assert sim.restatement_score("进一步加强制度建设，严格落实整改", "会议记录不规范") == 1.0  # nothing of its own
    concrete = "党务与业务会议分本记录，由支部书记每月审核签字，年底前补录缺失记录"
    assert sim.restatement_score(concrete, "会议记录不规范") <= 0.3
    problem = "落实全面从严治党主体责任不力，党组会议研究党风廉政建设仅1次。"
    assert sim.restatement_score("针对党组会议研究党风廉政建设次数少的问题进行整改", problem) >= 0.6
    assert sim.restatement_score("制定党组理论学习和党风廉政建设年度计划", problem) <= 0.3


def test_text_similarity():
    earlier = "党组会议记录不规范，记录内容简单。"
    assert sim.text_similarity(earlier, "党组会议记录仍然不规范。") >= 0.5
    assert sim.text_similarity(earlier, "违规发放津补贴3.2万元。") == 0.0


def test_lsh_bands_reach_the_wanted_recall():
    for threshold in (0.5, 0.6, 0.8):
        bands, rows = sim.lsh_bands(threshold)
        assert bands * rows <= sim.NUM_PERM
        assert 1 - (1 - threshold**rows) ** bands >= sim.LSH_RECALL


def test_same_result_in_another_process():
    docs = [(i, f"u{i % 3}", text) for i, text in enumerate([MEASURE, COPY, *OTHER, OTHER[0] + "，每月检查"])]
    here = sim.near_duplicates(docs)
    assert sim.near_duplicates(docs) == here
    code = ("import json, sys; from xuncha.rectification import similarity as s; "
            "docs = [tuple(d) for d in json.load(sys.stdin)]; "
            "print(json.dumps([list(p) for p in s.near_duplicates(docs)]), end='')")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=src)
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(docs), capture_output=True, text=True,
                         env=env, check=True).stdout
    assert [tuple(p) for p in json.loads(out)] == here
    assert here  # the comparison means something
