"""`xuncha pool …`: replay a draw from its record, or export the record for someone else to replay."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from xuncha.pool import draw as lots


def _record_of(draw_id: int) -> tuple[dict[str, Any], str]:
    from xuncha.pool.models import Draw, DrawStatus
    from xuncha.pool.services import draw_record

    draw = Draw.objects.select_related("unit", "unit__parent").filter(pk=draw_id).first()
    if draw is None:
        raise SystemExit(f"No draw #{draw_id}.")
    if draw.status != DrawStatus.DRAWN:
        raise SystemExit(f"Draw #{draw_id} has been committed but not drawn yet: its seed is still secret.")
    return draw_record(draw), f"draw #{draw.pk} for {draw.unit}"


def verify_draw(draw_id: int | None, record_path: str | None, out: TextIO = sys.stdout) -> int:
    """Print what was checked; 0 if the record replays exactly, 1 otherwise."""
    if record_path:
        with open(record_path, encoding="utf-8") as f:
            record, label = json.load(f), record_path
    else:
        record, label = _record_of(draw_id)
    result = lots.verify(record)
    names = {c["id"]: c.get("name", "") for c in record["snapshot"]}
    print(f"Verifying {label}", file=out)
    print(f"  commitment      {record['commitment']}", file=out)
    print(f"  seed            {record['seed']}", file=out)
    print(f"  witnesses' words {record['witness_words']!r}", file=out)
    print(f"  candidates      {len(record['snapshot'])} (digest {record['snapshot_digest']})", file=out)
    print("  group replayed:", file=out)
    for p in result.picked:
        print(f"    {p['id']:>6} {names.get(p['id'], ''):<8} {p['role']:<7} ({p['because']})", file=out)
    for u in result.unmet:
        print(f"  unmet: {u}", file=out)
    if result.ok:
        print("OK: the seed matches its commitment, the candidates match their digest, and the replay picks the "
              "recorded group.", file=out)
        return 0
    for problem in result.problems:
        print(f"FAILED: {problem}", file=out)
    return 1


def export_draw(draw_id: int, out: TextIO = sys.stdout) -> int:
    record, _label = _record_of(draw_id)
    json.dump(record, out, ensure_ascii=False, indent=1, sort_keys=True)
    print(file=out)
    return 0
