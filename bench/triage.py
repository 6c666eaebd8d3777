"""Measure the report triage rules (src/xuncha/reports/triage_rules.py) on the labelled set, without the database.

    .venv/bin/python bench/triage.py [--data PATH] [--errors]

The labelled set (src/xuncha/reports/data/labelled_reports.jsonl) holds invented citizens' reports, written
as people write them and labelled afterwards with the true category and disposal. This prints precision,
recall and F1 per disposal and per category, their macro averages, and the confusion table of disposals
(rows: true label, columns: suggestion). --errors lists every report whose disposal was missed.
The category is scored on all reports, "" (no category: forwarded and archived reports) included as a class.

Each row has a split, and the splits tell how honest a figure is:
- "main" (176 reports) was written first; the lexicons were then written with it at hand: optimistic.
- "holdout" (40) was written after the rules were frozen. Measured once (disposal macro F1 0.36: most
  reports matched no rule word and fell to the archive); its errors then led to two structural rules
  (a substantive text without rule words goes to "general", not the archive; someone's own people + money
  adds to the wrongdoing score). It is no longer unseen.
- "holdout2" (30) was written after that change and measured once (macro F1 0.49); broader domain words were
  then added (some prompted by its errors, so it is no longer unseen either).
- "holdout3" (30) was written after that and has not been used to change anything: the honest figure.
  At the time of writing: disposal macro F1 0.33, accuracy 0.37. Keyword rules of this size do not carry
  over to wording they were not written for; most misses are reports that match no rule word at all.
Do not tune on the newest holdout; when you do, write a new one.
--split chooses what to measure (default: each split on its own, then all together).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xuncha.reports import triage_rules  # noqa: E402

DATA = ROOT / "src" / "xuncha" / "reports" / "data" / "labelled_reports.jsonl"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(truth: list[str], pred: list[str], labels: list[str]) -> dict[str, tuple[float, float, float, int]]:
    """Per label: (precision, recall, F1, support)."""
    out = {}
    for label in labels:
        tp = sum(1 for t, p in zip(truth, pred, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, pred, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, pred, strict=True) if t == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = (precision, recall, f1, tp + fn)
    return out


def print_table(title: str, scores: dict[str, tuple[float, float, float, int]]) -> float:
    print(f"\n{title}")
    print(f"  {'label':<18} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}")
    for label, (p, r, f, n) in scores.items():
        print(f"  {label or '(none)':<18} {p:6.2f} {r:6.2f} {f:6.2f} {n:4d}")
    present = [v for v in scores.values() if v[3] > 0]
    macro = [sum(v[i] for v in present) / len(present) for i in range(3)]
    print(f"  {'macro':<18} {macro[0]:6.2f} {macro[1]:6.2f} {macro[2]:6.2f} {sum(v[3] for v in present):4d}")
    return macro[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--errors", action="store_true", help="list the reports whose disposal was missed")
    parser.add_argument("--split", choices=["main", "holdout", "holdout2", "holdout3", "all", "each"], default="each")
    args = parser.parse_args()

    rows = load(args.data)
    splits = ["main", "holdout", "holdout2", "holdout3", "all"] if args.split == "each" else [args.split]
    summary = []
    for split in splits:
        chosen = [row for row in rows if split == "all" or row.get("split", "main") == split]
        if chosen:
            summary.append((split, *measure(chosen, args, f"{split} ({len(chosen)} reports)")))
    print("\nSummary")
    for split, acc_d, macro_d, acc_c, macro_c in summary:
        print(f"  {split:<8} disposal accuracy {acc_d:.2f}, macro F1 {macro_d:.2f}; "
              f"category accuracy {acc_c:.2f}, macro F1 {macro_c:.2f}")


def measure(rows: list[dict], args: argparse.Namespace, title: str) -> tuple[float, float, float, float]:
    print(f"\n=== {title} ===")
    results = [triage_rules.suggest(row["text"]) for row in rows]
    true_d = [row["disposal"] for row in rows]
    pred_d = [r.disposal for r in results]
    true_c = [row["category"] for row in rows]
    pred_c = [r.category for r in results]

    disposals = list(triage_rules.DISPOSALS)
    macro_d = print_table("Disposal", prf(true_d, pred_d, disposals))
    categories = [""] + [c for c in triage_rules.CATEGORIES if c in true_c or c in pred_c]
    macro_c = print_table("Category (classes present in the set)", prf(true_c, pred_c, categories))
    accuracy_d = sum(t == p for t, p in zip(true_d, pred_d, strict=True)) / len(rows)
    accuracy_c = sum(t == p for t, p in zip(true_c, pred_c, strict=True)) / len(rows)

    print("\nDisposal confusion (rows: true, columns: suggested)")
    confusion = Counter(zip(true_d, pred_d, strict=True))
    print("  " + " " * 10 + "".join(f"{d:>10}" for d in disposals))
    for t in disposals:
        print(f"  {t:<10}" + "".join(f"{confusion[(t, p)]:>10d}" for p in disposals))

    print(f"\ndisposal: accuracy {accuracy_d:.2f}, macro F1 {macro_d:.2f} (aim ≥ 0.70)")
    print(f"category: accuracy {accuracy_c:.2f}, macro F1 {macro_c:.2f}")

    if args.errors:
        print("\nMissed disposals")
        for row, result in zip(rows, results, strict=True):
            if row["disposal"] != result.disposal:
                print(f"  #{row['id']:<4} {row['disposal']:>9} → {result.disposal:<9} {row['text'][:50]}"
                      f"  [{result.reason}]")
    return accuracy_d, macro_d, accuracy_c, macro_c


if __name__ == "__main__":
    main()
