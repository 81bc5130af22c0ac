"""Choose a third sealed split, `fresh2`, after `fresh` had been opened once: the only unseen figure for any
change made to the matcher from then on.

Same story rule as `select_claims.py`. Left out: every story `claims.jsonl` and `claims_more.jsonl` hold and the
old dev set's stories. `fresh2` = the 60 newest remaining dated stories, 3 wordings each. Writes
`claims_fresh2.jsonl` in `claims.jsonl`'s format. Run once (2026-12-03, before any model was retrained with
these stories held out); its output is committed, and the messages stay outside the repository until the one
evaluation that opens them.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.data.stories.select_claims import dated_stories, story_rows  # noqa: E402
from bench.stories import story_clusters  # noqa: E402
from nlp.normalise import normalise  # noqa: E402

HERE = Path(__file__).parent
STORIES, WORDINGS = 60, 3
EARLIER = ("claims.jsonl", "claims_more.jsonl")


def main() -> None:
    rows = list(csv.DictReader(open(ROOT / "data/afnc_claims.csv", encoding="utf-8")))
    normalised = [normalise(row["claim"]) for row in rows]
    story_of = story_clusters([n.text for n in normalised])
    story_by_id = {row["id"]: story_of[i] for i, row in enumerate(rows)}
    old_dev = {json.loads(line)["claim_id"] for line in open(ROOT / "bench/data/dev_queries.jsonl", encoding="utf-8")}
    chosen = {json.loads(line)["claim_id"] for name in EARLIER for line in open(HERE / name, encoding="utf-8")}
    used = {story_by_id[claim_id] for claim_id in old_dev | chosen if claim_id in story_by_id}
    members: dict[int, list[int]] = {}
    for i, story in enumerate(story_of):
        members.setdefault(story, []).append(i)

    fresh2 = dated_stories(rows, members, used)[:STORIES]
    out = story_rows(rows, normalised, members, fresh2, "fresh2", WORDINGS)
    with open(HERE / "claims_fresh2.jsonl", "w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(out), "fresh2 stories, dates", min(r["date"] for r in out), "..", max(r["date"] for r in out))


if __name__ == "__main__":
    main()
