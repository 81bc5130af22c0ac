"""Choose a third sealed split, `fresh2`, after `fresh` had been opened once: the only unseen figure for any
change made to the matcher from then on.

Same story rule as `select_claims.py`. Left out: every story `claims.jsonl` and `claims_more.jsonl` hold and the
old dev set's stories. `fresh2` = the 60 newest remaining dated stories, 3 wordings each. Writes
`claims_fresh2.jsonl` in `claims.jsonl`'s format. Run once (2026-12-03, before any model was retrained with
these stories held out); its output is committed, and the messages stay outside the repository until the one
evaluation that opens them.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.data.stories.select_claims import dated_stories, stories_in_use, story_rows  # noqa: E402

HERE = Path(__file__).parent
STORIES, WORDINGS = 60, 3
EARLIER = ("claims.jsonl", "claims_more.jsonl")


def main() -> None:
    rows, normalised, members, used = stories_in_use(EARLIER)

    fresh2 = dated_stories(rows, members, used)[:STORIES]
    out = story_rows(rows, normalised, members, fresh2, "fresh2", WORDINGS)
    with open(HERE / "claims_fresh2.jsonl", "w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(out), "fresh2 stories, dates", min(r["date"] for r in out), "..", max(r["date"] for r in out))


if __name__ == "__main__":
    main()
