"""The story evaluation set (`bench/data/stories/`): citizen wordings of AFNC claims, split by story.

`claims.jsonl` and `claims_more.jsonl` froze each claim's split before any message was written. Messages are
one file per writer's voice, in three folders, each allowed the claim splits it was written for:
- `written/`: the first batch (train, dev, test); an unrelated message, which has no claim, takes a split
  from a hash of its text (a third are `test`);
- `written_more/`: the train2 stories; its unrelated messages are `train`;
- `fresh/`: the sealed test split chosen after `test` had been opened; every row is `fresh`, unrelated ones too;
- `fresh2/`: likewise, chosen after `fresh` had been opened (`claims_fresh2.jsonl`);
- `fresh3/`: likewise, chosen after `fresh2` had been opened (`claims_fresh3.jsonl`);
- `fresh4/`: likewise, chosen after `fresh3` had been opened (`claims_fresh4.jsonl`);
- `fresh5/`: likewise, chosen after `fresh4` had been opened (`claims_fresh5.jsonl`);
- `fresh6/`: likewise, chosen after `fresh5` had been opened (`claims_fresh6.jsonl`);
- `fresh7/`: likewise, chosen while `fresh6` was still sealed (`claims_fresh7.jsonl`);
- `fresh8/`: likewise, chosen while `fresh7` was still sealed (`claims_fresh8.jsonl`);
- `fresh9/`: likewise, chosen while `fresh8` was still sealed (`claims_fresh9.jsonl`);
- `fresh10/`: likewise, chosen after `fresh9` had been opened (`claims_fresh10.jsonl`);
- `fresh11/`: likewise, chosen after `fresh10` had been opened (`claims_fresh11.jsonl`);
- `fresh12/`: likewise, chosen after `fresh11` had been opened (`claims_fresh12.jsonl`, the last 40 dated stories);
- `fresh13/`: likewise, chosen after `fresh12` had been opened, from undated stories (`claims_fresh13.jsonl`);
- `fresh14/`: likewise, chosen after `fresh13` had been opened, from undated stories (`claims_fresh14.jsonl`);
- `fresh15/`: likewise, chosen after `fresh14` had been opened, from undated stories (`claims_fresh15.jsonl`);
- `fresh16/`: likewise, chosen after `fresh15` had been opened, from undated stories (`claims_fresh16.jsonl`);
- `fresh17/`: likewise, chosen after `fresh16` had been opened, from undated stories (`claims_fresh17.jsonl`);
- `fresh18/`: likewise, chosen after `fresh17` had been opened, from undated stories (`claims_fresh18.jsonl`);
- `fresh19/`: likewise, chosen after `fresh18` had been opened, from undated stories (`claims_fresh19.jsonl`);
- `fresh20/`: likewise, chosen after `fresh19` had been opened, from undated stories (`claims_fresh20.jsonl`);
- `fresh21/`: likewise, chosen after `fresh20` had been opened, from undated stories (`claims_fresh21.jsonl`);
- `fresh22/`: likewise, chosen after `fresh21` had been opened, from undated stories (`claims_fresh22.jsonl`);
- `fresh23/`: likewise, chosen after `fresh22` had been opened, from undated stories (`claims_fresh23.jsonl`).
A row about a claim outside its folder's splits is left out. Only `load(splits=...)` with a HELD_OUT split
reads one: training and threshold choice ask for TRAINING. A sealed split, once opened, is RETIRED into
training: its one unseen figure stays in bench/RESULTS.md, and the next sealed split measures what follows.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

STORIES = Path(__file__).resolve().parent / "data" / "stories"
SAME_STORY_RATIO = 85
"""Normalised claim titles this alike (rapidfuzz ratio) are one story re-published by AFNC."""
SEALED_SPLITS = tuple(f"fresh{number}" for number in range(2, 24))
"""The sealed splits after `fresh`, in the order `select_sealed.py` chose them, each with a claim file and a folder
of its own (`fresh`'s claims are in `claims_more.jsonl`)."""
CLAIM_FILES = ("claims.jsonl", "claims_more.jsonl", *(f"claims_{split}.jsonl" for split in SEALED_SPLITS))
HELD_OUT = frozenset({"test", "fresh23"})
"""Opened only by the benchmarks, once per evaluation; never trained on. `test` is kept out of training so that
its five openings stay comparable, though none of them is unseen any more."""
RETIRED = frozenset({"fresh", *SEALED_SPLITS}) - HELD_OUT
"""Sealed splits opened once (each figure is in bench/RESULTS.md), then trained on: sixty-seven more voices. Every
sealed split but the one still held out, so choosing the next split retires the last."""
TRAINING = frozenset({"train", "train2", "dev"}) | RETIRED
"""What the decision is trained and its thresholds chosen on."""


@dataclass(frozen=True)
class Folder:
    name: str
    splits: frozenset[str]
    """The claim splits its writers were given."""
    unrelated: str | None
    """The split of its unrelated messages; None: by a hash of the text."""


FOLDERS = (Folder("written", frozenset({"train", "dev", "test"}), None),
           Folder("written_more", frozenset({"train2"}), "train"),
           *(Folder(split, frozenset({split}), split) for split in ("fresh", *SEALED_SPLITS)))


@dataclass(frozen=True)
class StoryQuery:
    kind: str
    """positive, hard_negative or unrelated."""
    text: str
    claim_id: str | None
    acceptable: frozenset[str]
    """Positives: the claim and its twins; empty for the others."""
    story: str
    """The claim's story; an unrelated message is its own story."""
    split: str
    style: str
    voice: str


@dataclass(frozen=True)
class StoryClaim:
    claim_id: str
    split: str
    story: str
    also_ok: tuple[str, ...]


def claims() -> dict[str, StoryClaim]:
    rows = [json.loads(line) for name in CLAIM_FILES
            for line in (STORIES / name).read_text(encoding="utf-8").splitlines() if line]
    return {row["claim_id"]: StoryClaim(row["claim_id"], row["split"], row["story"], tuple(row["also_ok"]))
            for row in rows}


def _unrelated_split(text: str) -> str:
    return "test" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "train"


def load(splits: frozenset[str]) -> list[StoryQuery]:
    chosen = claims()
    queries = []
    for folder in FOLDERS:
        for path in sorted((STORIES / folder.name).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    query = _query(json.loads(line), folder, chosen, path.stem)
                    if query is not None and query.split in splits:
                        queries.append(query)
    return queries


def _query(row: dict[str, str], folder: Folder, chosen: dict[str, StoryClaim], voice: str) -> StoryQuery | None:
    claim = chosen.get(row.get("claim_id") or "")
    if row["kind"] == "unrelated":
        claim = None
        split = folder.unrelated or _unrelated_split(row["text"])
    elif claim is None or claim.split not in folder.splits:
        return None  # a writer's row for a claim outside the folder's set
    else:
        split = claim.split
    acceptable = frozenset({claim.claim_id, *claim.also_ok}) if claim and row["kind"] == "positive" else frozenset()
    return StoryQuery(kind=row["kind"], text=row["text"], claim_id=row.get("claim_id"), acceptable=acceptable,
                      story=claim.story if claim else "u" + hashlib.sha1(row["text"].encode()).hexdigest()[:8],
                      split=split, style=row.get("style", ""), voice=row.get("voice", voice))


def story_clusters(texts: list[str]) -> list[int]:
    """Per text, a representative index of its story: union-find over pairs at least SAME_STORY_RATIO alike."""
    parent = list(range(len(texts)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=SAME_STORY_RATIO, dtype=np.uint8, workers=2)
    for first, second in zip(*np.nonzero(scores)):
        if first < second:
            parent[find(first)] = find(second)
    return [find(index) for index in range(len(texts))]
