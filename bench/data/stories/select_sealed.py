"""Choose a sealed split after the previous one had been opened: the only unseen figure for any change made to
the matcher from then on.

    .venv/bin/python bench/data/stories/select_sealed.py fresh3

Same story rule as `select_claims.py`. Left out: the old dev set's stories and every story of the earlier
batches. The split = the newest remaining dated stories, 3 wordings each, written to `claims_SPLIT.jsonl` in
`claims.jsonl`'s format. Each split was chosen once, before any model was retrained with its stories held out
(`bench.stories.HELD_OUT`); its output is committed, and its messages are opened by one evaluation only.
- fresh2: 2026-12-03, after `fresh` had been opened once; 60 stories.
- fresh3: 2026-12-03 (17:29 UTC), after `fresh2` had been opened once; 80 stories.
- fresh4: 2026-12-03 (18:05 UTC), after `fresh3` had been opened once; 80 stories.
- fresh5: 2026-12-03 (22:56 UTC), after `fresh4` had been opened once; 80 stories.
- fresh6: 2026-12-04 (00:07 UTC), after `fresh5` had been opened once; 80 stories.
- fresh7: 2026-12-04 (05:35 UTC), while `fresh6` was still sealed, so that the retrain that opens fresh6 already
  holds fresh7 out and the change after it has an unseen split ready; 80 stories.
- fresh8: 2026-12-04 (07:36 UTC), while `fresh7` was still sealed, for the same reason; 80 stories.
- fresh9: 2026-12-04 (08:09 UTC), after `fresh7`'s one opening and while `fresh8` is still sealed, before the
  retrain that retires fresh7; 80 stories.
- fresh10: 2026-12-04 (13:48 UTC), after `fresh9`'s one opening and before the retrain that retires it; 80 stories.
- fresh11: 2026-12-04 (14:20 UTC), after `fresh10`'s one opening and before the retrain that retires it; 80 stories.
- fresh12: 2026-12-04 (14:47 UTC), after `fresh11`'s one opening and before the retrain that retires it; 80 asked,
  40 given: the last dated stories.
- fresh13: 2026-12-04 (15:21 UTC), after `fresh12`'s one opening; no dated story was left, so 80 undated ones
  (`undated_stories`).
- fresh14: 2026-12-04 (16:30 UTC), after `fresh13`'s one opening; 80 undated stories.
- fresh15: 2026-12-04 (17:08 UTC), after `fresh14`'s one opening; 80 undated stories.
- fresh16: 2026-12-04 (18:42 UTC), after `fresh15`'s one opening; 80 undated stories.
- fresh17: 2026-12-04 (19:37 UTC), after `fresh16`'s one opening; 80 undated stories.
- fresh18: 2026-12-04 (20:14 UTC), after `fresh17`'s one opening; 80 undated stories.
- fresh19: 2026-12-04 (21:22 UTC), after `fresh18`'s one opening; 80 undated stories.
- fresh20: 2026-12-04 (22:33 UTC), after `fresh19`'s one opening; 80 undated stories, none of them a half of a story
  taken before that the spellings of 2026-12-04 split off (`near_taken`).
- fresh21: 2026-12-04 (23:50 UTC), after `fresh20`'s one opening; 80 undated stories, none near one taken before.
- fresh22: 2026-12-05 (00:52 UTC), after `fresh21`'s one opening; 80 undated stories, none near one taken before.
- fresh23: 2026-12-05 (02:44 UTC), after `fresh22`'s one opening; 80 undated stories, none near one taken before.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.data.stories.select_claims import dated_stories, specific, stories_in_use, story_rows  # noqa: E402
from bench.stories import CLAIM_FILES, SAME_STORY_RATIO  # noqa: E402
from nlp.normalise import clean  # noqa: E402

HERE = Path(__file__).parent
WORDINGS = 3
STORIES_ASKED = {"fresh2": 60}
"""Stories asked for a split, where not 80 (fresh12 asked 80 and got the last 40 dated ones)."""


def earlier_batches(split: str) -> tuple[str, ...]:
    """The claim files of the batches chosen before `split`, whose stories it leaves out: `CLAIM_FILES` lists
    the first two batches, then one file per sealed split in the order they were chosen."""
    return CLAIM_FILES[:CLAIM_FILES.index(f"claims_{split}.jsonl")]


def undated_stories(rows: list[dict[str, str]], members: dict[int, list[int]], used: set[int]) -> list[int]:
    """Once fresh12 took the last dated story: the undated ones, in an order fixed by a hash of each story's first
    claim id, so the choice is reproducible and owes nothing to how the matcher does on them."""
    eligible = [story for story, idx in members.items() if story not in used
                and any(specific(rows[i]["claim"]) for i in idx) and not any(rows[i]["date"] for i in idx)]
    return sorted(eligible, key=lambda story: hashlib.sha1(rows[min(members[story])]["id"].encode()).hexdigest())


def near_taken(rows: list[dict[str, str]], members: dict[int, list[int]], used: set[int]) -> set[int]:
    """Stories not taken one of whose claims is, cleaned, as alike as the story rule asks to a claim of a taken
    story. The rule reads titles through `normalise`; the spellings it learnt on 2026-12-04 (`nlp/spellings.py`)
    split a few stories it had joined when one half was chosen, and the other half is no new story: fresh20's
    first choice was the only such half among the dated stories, "ตลาดหลักทรัพย์… เปิดเพจเฟซบุ๊ก Carlos Blacke"."""
    cleaned = [clean(row["claim"]) for row in rows]
    taken = [cleaned[index] for story in used for index in members[story]]
    alike = process.cdist(cleaned, taken, scorer=fuzz.ratio, score_cutoff=SAME_STORY_RATIO, dtype=np.uint8,
                          workers=2).any(axis=1)
    return {story for story, indexes in members.items() if story not in used and alike[indexes].any()}


def main(split: str) -> None:
    count = STORIES_ASKED.get(split, 80)
    rows, normalised, members, used = stories_in_use(earlier_batches(split))
    left_out = used | near_taken(rows, members, used)
    chosen = (dated_stories(rows, members, left_out) + undated_stories(rows, members, left_out))[:count]
    out = story_rows(rows, normalised, members, chosen, split, WORDINGS)
    with open(HERE / f"claims_{split}.jsonl", "w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    dates = sorted(str(row["date"]) for row in out)
    print(len(out), split, "stories, dates", dates[0] or "none", "..", dates[-1] or "none")


if __name__ == "__main__":
    main(sys.argv[1])
