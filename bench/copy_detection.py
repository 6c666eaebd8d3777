"""Benchmark copy detection (抄袭整改措施) on generated measures, without the database.

    .venv/bin/python bench/copy_detection.py [--n 100000] [--units 5000] [--copies 0.02] [--threshold 0.6]
                                             [--seed 7] [--no-cache]

Generates N rectification measures of 30–60 characters across the units from clause pools × slots
(an action on an object, a concrete method, a follow-up with its frequency, who is responsible), then
plants copies: a share of the measures are replaced by a measure of another unit with one or two small
edits (clauses reordered, punctuation changed, one word swapped for a near synonym, a boilerplate word
added, numbers or the responsible department changed). It runs `near_duplicates` and prints the seconds
per stage, the pairs found and the recall on the planted copies: over all of them, and over those whose
exact Jaccard after the edits is still at or above the threshold (what LSH alone can be blamed for).

--no-cache bypasses the per-clause segmentation cache, to show jieba's cost on text that never repeats.
The target is 100,000 measures in under 60 s on the 2-core machine, segmentation included.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xuncha.rectification import similarity  # noqa: E402

TARGET_SECONDS = 60.0

COUNTIES = [a + b for a in "东西南北中安平永兴和长宁丰泰清" for b in ("阳", "山", "川", "江", "城", "源", "州")]
DEPARTMENTS = ["财政局", "农业农村局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局", "卫生健康局",
               "教育局", "民政局", "人力资源和社会保障局", "市场监督管理局", "生态环境局", "商务局", "文化和旅游局",
               "应急管理局", "医疗保障局", "林业局", "审计局", "统计局", "城投公司", "供销社", "人民医院", "第一中学"]
TOWNS = [a + b for a in "青石柳桥河马龙凤白金" for b in ("镇", "乡", "街道")]

VERBS = ["制定", "修订", "印发", "梳理", "清理", "核查", "复核", "排查", "重新制定", "补充", "编制", "细化",
         "审定", "出台", "整理", "重新修订", "汇编"]
# An object is a matter × a kind of document: 公务用车 × 管理办法, {fund} × 台账 …
MATTERS = ["公务用车", "公务接待", "差旅费", "财务收支", "固定资产", "{fund}", "{sub}", "{proj}项目", "干部人事",
           "党费收缴", "集体资产", "政府采购", "行政执法", "信访事项", "意识形态", "廉政风险", "办公用房", "机关食堂",
           "物资采购", "合同", "印章使用", "票据", "债权债务", "工程结算", "临聘人员", "网络安全", "政务公开",
           "加班补助", "值班值守", "选人用人", "{org}会议", "“三会一课”", "“三重一大”决策", "专项资金拨付",
           "资源租赁", "工程变更签证", "低保对象", "扶贫项目资产"]
DOCUMENTS = ["管理办法", "台账", "审批流程", "登记簿", "实施细则", "清单", "档案", "明细账", "内控规程", "考核办法",
             "责任清单", "工作规程", "操作手册", "监督办法", "风险点清单", "议事规则", "记录本"]
METHOD_ACTIONS = ["逐笔核对", "逐户核实", "逐项清理", "全面梳理", "集中清退", "重新审核", "专项审计", "分类整理",
                  "统一编号管理", "定期盘点", "交叉核对", "随机抽查", "重新登记", "补充完善", "电子化管理",
                  "上墙公示", "限时办结", "集中封存", "逐一比对", "专人保管"]
METHOD_OBJECTS = ["支出凭证", "享受对象", "往来款项", "报销票据", "合同文本", "会议记录", "车辆使用记录", "资产卡片",
                  "档案材料", "审批单据", "发放名册", "项目资金", "接待清单", "考勤记录", "租赁合同", "采购文件",
                  "执法案卷", "信访件", "党员名册", "签到表"]
METHODS = [
    "退回违规发放资金{amt}", "清退不符合条件人员{n}名", "将结果在政务网站公开", "由分管领导签字确认",
    "对逾期事项挂牌督办", "组织班子成员逐条学习", "纳入年度目标考核", "张贴公示接受群众监督", "重新签订租赁合同",
    "追回超标准报销费用{amt}", "封存超标车辆{n}辆", "腾退超标办公用房{area}平方米", "补录缺失会议记录{n}份",
    "补齐缺失材料{n}份", "聘请第三方开展审计", "对{n}个项目逐一回头看", "责令相关责任人作出书面检查",
    "给予{n}人诫勉谈话处理", "印发至各股室和二级单位", "邀请派驻纪检监察组全程监督", "开通群众监督举报电话",
    "安装车辆定位系统", "实行公务卡结算", "推行网上审批", "压缩办理时限至{n}个工作日", "每笔支出附清单和审批单",
    "设立廉政监督员", "实行双人双锁保管", "收回被挤占资金{amt}", "补缴欠缴租金{amt}", "追缴国有资产收益{amt}",
    "对{n}名干部进行提醒谈话", "开展一次专题党课", "撰写对照检查材料", "召开专题民主生活会", "组织一次知识测试",
]
CHECKERS = ["", "", "分管领导", "纪检组", "办公室", "班子成员", "第三方机构", "派驻纪检监察组", "财务科"]
FREQUENCIES = ["每月", "每季度", "每半年", "每年", "按月", "按季度", "年底前", "{m}月底前", "限期{n}日内"]
FOLLOWUPS = ["开展一次专项检查", "通报整改进展", "向党组专题报告", "组织交叉检查", "开展抽查核验", "公开公示结果",
             "召开分析研判会", "更新台账", "开展一次回头看", "组织一次集中学习", "听取专题汇报",
             "形成书面报告报巡察办", "完成全部清理", "完成整改销号", "开展一次警示教育", "进行一次廉政谈话"]
RESPONSIBLE = ["由{dept}牵头负责", "{dept}具体抓落实", "{dept}负责跟踪督办", "主要负责人负总责"]
OFFICES = ["办公室", "财务科", "人事科", "纪检组", "机关党委", "综合股", "计划财务股", "组织人事股", "监察室",
           "党建办", "审计科", "资产管理科", "法规股", "行政审批股", "党政办", "经发办", "社会事务办"]
FUNDS = ["衔接推进乡村振兴补助资金", "农业生产发展资金", "保障性安居工程补助资金", "义务教育薄弱环节改善资金",
         "耕地地力保护补贴", "农村危房改造补助"]
SUBSIDIES = ["城乡居民最低生活保障金", "残疾人两项补贴", "高龄津贴", "临时救助金", "特困人员供养金"]
PROJECTS = ["农村道路硬化", "高标准农田建设", "老旧小区改造", "饮水安全巩固提升", "校舍维修改造", "污水管网"]
ORGS = ["党组", "党委", "党支部", "党总支"]

# Edits a copier makes: near synonyms (one word changed) and boilerplate added in front.
SYNONYMS = [("制定", "制订"), ("党组", "党委"), ("每月", "按月"), ("每季度", "按季度"), ("台账", "清单"),
            ("核查", "核实"), ("检查", "督查"), ("修订", "修改"), ("公开", "公示"), ("谈话提醒", "提醒谈话"),
            ("负责", "承担"), ("专项", "专门"), ("组织", "安排"), ("逐笔", "逐项")]
BOILERPLATE = ["进一步", "严格", "认真", "切实", "全面"]


def _fill(template: str, rng: random.Random, unit: dict) -> str:
    return template.format(
        org=unit["org"], fund=rng.choice(FUNDS), sub=rng.choice(SUBSIDIES), proj=rng.choice(PROJECTS),
        amt=f"{rng.uniform(0.5, 80):.2f}万元", n=rng.randint(2, 30), area=f"{rng.uniform(8, 260):.1f}",
        m=rng.randint(1, 12), dept=rng.choice(OFFICES),
    )


def make_units(rng: random.Random, count: int) -> list[dict]:
    units = []
    for i in range(count):
        county = COUNTIES[i % len(COUNTIES)] + "县"
        name = county + (rng.choice(TOWNS) if rng.random() < 0.3 else rng.choice(DEPARTMENTS))
        units.append({"id": i, "name": name, "org": rng.choice(ORGS)})
    return units


def _method(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(METHOD_ACTIONS) + rng.choice(METHOD_OBJECTS)
    return rng.choice(METHODS)


def make_measure(rng: random.Random, unit: dict) -> str:
    for _attempt in range(20):
        clauses = [rng.choice(VERBS) + rng.choice(MATTERS) + rng.choice(DOCUMENTS), _method(rng)]
        if rng.random() < 0.8:
            clauses.append(rng.choice(FREQUENCIES) + rng.choice(CHECKERS) + rng.choice(FOLLOWUPS))
        if rng.random() < 0.5:
            clauses.append(rng.choice(RESPONSIBLE))
        if rng.random() < 0.3:
            clauses.insert(2, _method(rng))
        text = "，".join(_fill(c, rng, unit) for c in clauses)
        if 30 <= len(text) <= 60:
            return text
    return text


def edit_copy(rng: random.Random, text: str) -> str:
    """One or two of the small edits a unit makes to a measure it copies."""
    for edit in rng.sample(["reorder", "punctuation", "synonym", "boilerplate", "numbers", "office"],
                           k=rng.choice((1, 2))):
        if edit == "reorder":
            parts = text.split("，")
            if len(parts) > 2:
                i, j = rng.sample(range(len(parts)), 2)
                parts[i], parts[j] = parts[j], parts[i]
            text = "，".join(parts)
        elif edit == "punctuation":
            text = text.replace("，", rng.choice(["；", "、", "。"]), rng.randint(1, 2)).rstrip("。") + "。"
        elif edit == "synonym":
            options = [(a, b) for a, b in SYNONYMS if a in text]
            if options:
                a, b = rng.choice(options)
                text = text.replace(a, b, 1)
        elif edit == "boilerplate":
            text = rng.choice(BOILERPLATE) + text
        elif edit == "numbers":
            text = "".join(str(rng.randint(1, 9)) if ch.isdigit() else ch for ch in text)
        elif edit == "office":
            for office in OFFICES:
                if office in text:
                    text = text.replace(office, rng.choice(OFFICES), 1)
                    break
    return text


def generate(n: int, units_count: int, copy_share: float, seed: int) -> tuple[list[tuple[int, int, str]],
                                                                                list[tuple[int, int]]]:
    """(docs as (key, unit id, text), planted pairs as (source key, copy key))."""
    rng = random.Random(seed)
    units = make_units(rng, units_count)
    docs = [(key, key % units_count, make_measure(rng, units[key % units_count])) for key in range(n)]
    planted: list[tuple[int, int]] = []
    copies = rng.sample(range(n), k=int(n * copy_share))
    copy_set = set(copies)
    for target in copies:
        while True:
            source = rng.randrange(n)
            if source not in copy_set and docs[source][1] != docs[target][1]:
                break
        docs[target] = (target, docs[target][1], edit_copy(rng, docs[source][2]))
        planted.append((min(source, target), max(source, target)))
    return docs, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="measures to generate")
    parser.add_argument("--units", type=int, default=5_000)
    parser.add_argument("--copies", type=float, default=0.02, help="share of measures replaced by an edited copy")
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-cache", action="store_true", help="segment every clause afresh (no clause cache)")
    args = parser.parse_args()

    started = time.perf_counter()
    docs, planted = generate(args.n, args.units, args.copies, args.seed)
    generated = time.perf_counter() - started
    lengths = sorted(len(text) for _k, _u, text in docs)
    print(f"{len(docs):,} measures over {args.units:,} units ({generated:.1f} s to generate); "
          f"length p5/p50/p95 {lengths[len(lengths) // 20]}/{lengths[len(lengths) // 2]}/"
          f"{lengths[len(lengths) * 19 // 20]} characters; {len(planted):,} planted copies")
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    if args.no_cache:
        similarity._segment = similarity._segment.__wrapped__  # type: ignore[attr-defined]
    loaded = time.perf_counter()
    similarity.tokens("加载词典")  # jieba's dictionary, loaded once per process
    load_seconds = time.perf_counter() - loaded

    stats: dict = {}
    started = time.perf_counter()
    pairs = similarity.near_duplicates(docs, threshold=args.threshold, stats=stats)
    total = time.perf_counter() - started

    found = {(a, b) for a, b, _s in pairs}
    texts = {key: text for key, _u, text in docs}
    hit = sum(1 for p in planted if p in found)
    reachable = [p for p in planted
                 if similarity.jaccard(similarity.text_shingles(texts[p[0]]), similarity.text_shingles(texts[p[1]]))
                 >= args.threshold]
    hit_reachable = sum(1 for p in reachable if p in found)
    others = len(found - set(planted))

    def line(label: str, seconds: float, note: str = "") -> None:
        print(f"{label:<40} {seconds:6.1f} s  {note}".rstrip())

    print()
    line("jieba dictionary load", load_seconds, "(once per process, not counted below)")
    line("segmentation + shingles", stats["segmentation"],
         f"({stats['docs']:,} texts, {stats['distinct']:,} distinct shingle sets"
         f"{', no clause cache' if args.no_cache else ''})")
    line(f"MinHash ({similarity.NUM_PERM} permutations)", stats["minhash"])
    line(f"LSH ({stats['bands']} bands × {stats['rows']} rows) + estimate", stats["lsh"],
         f"({stats['candidates']:,} candidate pairs, {stats['estimated']:,} kept by the estimate, "
         f"{stats['skipped_buckets']} oversized buckets skipped)")
    line("exact Jaccard + output", stats["verify"])
    line("total", total, f"(target {TARGET_SECONDS:.0f} s: "
         f"{'met' if total + load_seconds < TARGET_SECONDS else 'MISSED'}, dictionary load included)")
    print()
    print(f"pairs found at ≥ {args.threshold}: {len(pairs):,}  (planted {hit:,}, other {others:,})")
    print(f"recall on planted copies: {hit / max(len(planted), 1):.1%} of all {len(planted):,}; "
          f"{hit_reachable / max(len(reachable), 1):.1%} of the {len(reachable):,} still ≥ {args.threshold} "
          f"after the edits")
    if others:
        print("a few pairs that were not planted (chance resemblance of generated text):")
        for a, b, score in [p for p in pairs if (p[0], p[1]) not in set(planted)][:3]:
            print(f"  {score:.2f}  {texts[a]}  |  {texts[b]}")


if __name__ == "__main__":
    main()
