"""Claims and dev queries for the matching benchmark, and a 100k-claim corpus grown from the seed."""
from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.embeddings import load_shipped, text_digest
from nlp.match import ClaimText
from nlp.normalise import clean

ROOT = Path(__file__).resolve().parent.parent
SEED_CSV = ROOT / "data" / "afnc_claims.csv"
DEV_QUERIES = ROOT / "bench" / "data" / "dev_queries.jsonl"


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    claim_id: str | None
    acceptable: frozenset[str]


def seed_claims(with_embeddings: bool = True) -> list[ClaimText]:
    shipped = load_shipped() if with_embeddings else None
    claims = []
    with SEED_CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["claim"].strip()
            vector = shipped.vectors.get((row["id"], text_digest(clean(text)))) if shipped else None
            claims.append(ClaimText(id=row["id"], text=text, verdict=row["verdict"], url=row["url"] or None,
                                    embedding=vector))
    return claims


def dev_queries() -> list[Query]:
    queries = []
    for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            ids = {item["claim_id"], *item.get("also_ok", [])} if item["kind"] == "positive" else set()
            queries.append(Query(item["kind"], item["text"], item.get("claim_id"), frozenset(ids)))
    return queries


def grown_corpus(seed: list[ClaimText], size: int, rng_seed: int = 7) -> list[ClaimText]:
    """The seed plus synthetic claims: halves of two real claims joined, their embeddings mixed with noise."""
    rng = random.Random(rng_seed)
    noise = np.random.default_rng(rng_seed)
    claims = list(seed)
    while len(claims) < size:
        first, second = rng.sample(seed, 2)
        head, tail = first.text[: len(first.text) // 2], second.text[len(second.text) // 2:]
        vector = None
        if first.embedding is not None and second.embedding is not None:
            mixed = 0.6 * first.embedding + 0.4 * second.embedding + noise.normal(0, 0.01, first.embedding.shape)
            vector = (mixed / np.linalg.norm(mixed)).astype(np.float32)
        claims.append(ClaimText(id=f"synthetic-{len(claims)}", text=head + tail, verdict=first.verdict,
                                embedding=vector))
    return claims
