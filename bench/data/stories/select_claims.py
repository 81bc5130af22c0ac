"""Choose the claims of the story evaluation set and freeze their split, before any message is written.

Stories: AFNC re-publishes a rumour under new ids, so claims whose normalised titles are near-identical
(rapidfuzz ratio >= 85) form one story, and a story never straddles two splits. Stories used by the old dev
set (`bench/data/dev_queries.jsonl`) are left out, so that set stays a clean second report.

Split by date, as in production: the newest stories are `test` (claims no model here has seen), the next
are `dev` (threshold choice), the older ones `train`. Writes `claims.jsonl`: one row per chosen claim with
its split, story id, twins (same story, verdict and numbers) and the number of wordings to write.

Run once; its output is committed and must not be regenerated after messages are written.
"""
from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.stories import story_clusters  # noqa: E402
from nlp.normalise import Normalised, normalise  # noqa: E402

HERE = Path(__file__).parent
COUNTS = {"test": 110, "dev": 70, "train": 140}
WORDINGS = {"test": 3, "dev": 2, "train": 2}


def specific(claim: str) -> bool:
    """Long enough to restate recognisably, short enough to be one assertion."""
    return 25 <= len(claim) <= 220 and not claim.startswith(("รู้หรือไม่", "รู้ไหม"))


def dated_stories(rows: list[dict[str, str]], members: dict[int, list[int]], left_out: set[int]) -> list[int]:
    """Stories with a specific claim and a date from 2020 on, newest first (by their latest claim)."""
    eligible = [s for s, idx in members.items()
                if s not in left_out and any(specific(rows[i]["claim"]) for i in idx)]
    latest = {s: max(rows[i]["date"] or "0000" for i in members[s]) for s in eligible}
    eligible.sort(key=lambda s: (latest[s], s), reverse=True)
    return [s for s in eligible if latest[s] >= "2020"]


def stories_in_use(claim_files: Sequence[str]
                   ) -> tuple[list[dict[str, str]], list[Normalised], dict[int, list[int]], set[int]]:
    """The AFNC claims, their normalised texts, each story's members, and the stories already taken: the old
    dev set's and those of the claims in `claim_files` (earlier batches)."""
    rows = list(csv.DictReader(open(ROOT / "data/afnc_claims.csv", encoding="utf-8")))
    normalised = [normalise(row["claim"]) for row in rows]
    story_of = story_clusters([n.text for n in normalised])
    story_by_id = {row["id"]: story_of[i] for i, row in enumerate(rows)}
    taken = {json.loads(line)["claim_id"] for line in open(ROOT / "bench/data/dev_queries.jsonl", encoding="utf-8")}
    taken |= {json.loads(line)["claim_id"] for name in claim_files for line in open(HERE / name, encoding="utf-8")}
    members: dict[int, list[int]] = {}
    for i, story in enumerate(story_of):
        members.setdefault(story, []).append(i)
    return rows, normalised, members, {story_by_id[claim_id] for claim_id in taken if claim_id in story_by_id}


def story_rows(rows: list[dict[str, str]], normalised: list[Normalised], members: dict[int, list[int]],
               stories: list[int], split: str, wordings: int) -> list[dict[str, object]]:
    """One row per story: its newest specific claim, with the twins (same story, verdict and numbers) that
    also count as right."""
    out: list[dict[str, object]] = []
    for story in stories:
        idx = [i for i in members[story] if specific(rows[i]["claim"])]
        head = max(idx, key=lambda i: (rows[i]["date"], rows[i]["id"]))
        twins = [rows[i]["id"] for i in members[story] if i != head
                 and rows[i]["verdict"] == rows[head]["verdict"]
                 and normalised[i].numbers == normalised[head].numbers]
        out.append({"claim_id": rows[head]["id"], "split": split, "story": f"s{story}",
                    "wordings": wordings, "date": rows[head]["date"], "verdict": rows[head]["verdict"],
                    "category": rows[head]["category"], "claim": rows[head]["claim"],
                    "explanation": rows[head]["explanation"][:400], "also_ok": twins})
    return out


def main() -> None:
    rows, normalised, members, old_dev_stories = stories_in_use(())
    dated = dated_stories(rows, members, old_dev_stories)

    rng = random.Random(20261203)
    test = dated[:COUNTS["test"]]
    rest = dated[COUNTS["test"]:]
    rng.shuffle(rest)
    dev, train = rest[:COUNTS["dev"]], rest[COUNTS["dev"]:COUNTS["dev"] + COUNTS["train"]]

    out = [row for split, chosen in (("test", test), ("dev", dev), ("train", train))
           for row in story_rows(rows, normalised, members, chosen, split, WORDINGS[split])]
    rng.shuffle(out)
    with open(HERE / "claims.jsonl", "w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print({split: sum(1 for r in out if r["split"] == split) for split in COUNTS},
          "test dates", min(r["date"] for r in out if r["split"] == "test"), "..",
          max(r["date"] for r in out if r["split"] == "test"))


if __name__ == "__main__":
    main()
