"""The story evaluation set (`bench/data/stories/`): citizen wordings of AFNC claims, split by story.

`claims.jsonl` froze each claim's split before any message was written; `written/*.jsonl` hold the messages,
one file per writer's voice. A positive or hard negative takes its claim's split; an unrelated message, which
has no claim, takes a split from a hash of its text (a third are `test`). Only `load(splits=...)` with "test"
reads the frozen split: training and threshold choice ask for "train" and "dev".
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
    rows = [json.loads(line) for line in (STORIES / "claims.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return {row["claim_id"]: StoryClaim(row["claim_id"], row["split"], row["story"], tuple(row["also_ok"]))
            for row in rows}


def _unrelated_split(text: str) -> str:
    return "test" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "train"


def load(splits: frozenset[str]) -> list[StoryQuery]:
    chosen = claims()
    queries = []
    for path in sorted((STORIES / "written").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            claim = chosen.get(row.get("claim_id") or "")
            if row["kind"] != "unrelated" and claim is None:
                continue  # a writer's row for a claim outside the set
            split = claim.split if claim else _unrelated_split(row["text"])
            if split not in splits:
                continue
            acceptable = (frozenset({claim.claim_id, *claim.also_ok}) if claim and row["kind"] == "positive"
                          else frozenset())
            queries.append(StoryQuery(kind=row["kind"], text=row["text"], claim_id=row.get("claim_id"),
                                      acceptable=acceptable,
                                      story=(claim.story if claim
                                             else "u" + hashlib.sha1(row["text"].encode()).hexdigest()[:8]),
                                      split=split, style=row.get("style", ""), voice=row.get("voice", path.stem)))
    return queries


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
