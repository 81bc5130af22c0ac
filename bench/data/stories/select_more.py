"""Choose a second batch of stories, after the first test split had been opened three times: a sealed
`fresh` test split nobody tunes on, and `train2` stories to widen what the decision learns from.

Same story rule as `select_claims.py` (rapidfuzz ratio >= 85, union-find over all AFNC claims). Left out:
every story `claims.jsonl` already holds and the old dev set's stories. `fresh` = the newest remaining
dated stories (3 wordings each), `train2` = stories at random among the rest (2 wordings each). Writes
`claims_more.jsonl` in `claims.jsonl`'s format. Run once (2026-12-03); its output is committed, and the
fresh messages stay outside the repository until the one evaluation that opens them.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.data.stories.select_claims import dated_stories, stories_in_use, story_rows  # noqa: E402

HERE = Path(__file__).parent
COUNTS = {"fresh": 80, "train2": 200}
WORDINGS = {"fresh": 3, "train2": 2}


def main() -> None:
    rows, normalised, members, used = stories_in_use(("claims.jsonl",))

    dated = dated_stories(rows, members, used)

    rng = random.Random(20261204)
    fresh = dated[:COUNTS["fresh"]]
    rest = dated[COUNTS["fresh"]:]
    rng.shuffle(rest)
    train2 = rest[:COUNTS["train2"]]

    out = [row for split, stories in (("fresh", fresh), ("train2", train2))
           for row in story_rows(rows, normalised, members, stories, split, WORDINGS[split])]
    rng.shuffle(out)
    with open(HERE / "claims_more.jsonl", "w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print({split: sum(1 for r in out if r["split"] == split) for split in COUNTS},
          "fresh dates", min(r["date"] for r in out if r["split"] == "fresh"), "..",
          max(r["date"] for r in out if r["split"] == "fresh"))


if __name__ == "__main__":
    main()
