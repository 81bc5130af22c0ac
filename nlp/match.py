"""Match a forwarded message to a verified claim: retrieve, measure, let a learned model decide, refuse to guess.

Auto-answering the wrong claim is the worst failure. Candidates come from TF-IDF (words and character
n-grams), a shared link and, when words alone cannot decide, the embedding. A small trained model
(`nlp/decision.py`) turns each candidate's signals into the probability that it is the message's claim; its
auto threshold was chosen on out-of-fold predictions for a precision bound. Hard guards stay on top of the
model: a changed number or a rival entity (another bank, agency, disease, province, occasion or year) is never
answered, nor a message too short to identify a claim, nor one that negates what the claim says.
"""
from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from nlp import entities
from nlp.decision import FEATURES, Band, DecisionModel, DecisionModels, load_models
from nlp.embed import Embedder, clipped
from nlp.lexical import LexicalIndex
from nlp.negation import contradicts
from nlp.normalise import canonical_url
from nlp.prepared import Prepared, prepare
from nlp.semantic import SemanticIndex
from nlp.tokenise import (
    MIN_CONTAINED,
    MIN_CONTENT_TOKENS_FOR_AUTO,
    pieces,
)

CANDIDATES_PER_SIGNAL = 20
MIN_CONTENT_TOKENS_TO_EMBED = 2
"""Shorter messages ("สวัสดีค่ะ", "555") are chit-chat: meaning cannot make them a claim."""
MIN_LEXICAL_TO_EMBED = 0.15
"""Below this best TF-IDF cosine no claim shares the message's words at all; on the old dev set none of those
was a positive (66 of 410 messages), so the embedding is not worth 25 ms."""
EMBED_TOKENS = 32
"""The most tokens of a message the embedding reads: its opening, "query: " and markers included (about 90 Thai
characters). Embedding time grows about 1.2 ms a token on one core and made the whole of the check's p99 (80 ms
over the training messages, where a long message's 50-80 tokens took 65-100 ms); reading at most 32 brought the
p99 to 52 ms (`python -m bench.latency`). Out of fold on train + train2 + dev, chained, it kept the precision
bound (0.970 against 0.971 reading all of it) and recall (0.508 against 0.480); 24 and 48 tokens did as well."""
MAX_SUGGESTIONS = 3
RIVAL_SHARE = 0.5
"""No automatic answer while a claim with another verdict is at least half as likely: which verdict is meant
is then unclear, whatever the model says of the best one."""
DISTINCTIVE = 3
"""A claim's rarest content words (by IDF): the ones that tell it from its neighbours."""


class MatchStatus(StrEnum):
    MATCH = "match"
    SUGGEST = "suggest"
    NONE = "none"


@dataclass(frozen=True)
class ClaimText:
    """What the matcher needs of a claim: plain values, no ORM."""

    id: str
    text: str
    verdict: str
    url: str | None = None
    embedding: npt.NDArray[np.float32] | None = None


@dataclass(frozen=True)
class Candidate:
    claim_id: str
    verdict: str
    score: float
    """The model's probability that this is the message's claim (1.0 for a shared link)."""
    relevance: float
    """A word-overlap score for search listings, independent of the model."""
    lexical: float
    semantic: float | None
    coverage: float
    query_coverage: float
    query_extra: float
    """IDF mass of the message's words the claim lacks: what the message says beyond the claim."""
    claim_missing: float
    """IDF mass of the claim's words the message lacks."""
    overlap: float
    partial: float
    url: bool
    numbers_query_only: int
    numbers_claim_only: int
    numbers_shared: int
    entity_conflict: str | None
    entities_shared: int
    negation_mismatch: bool
    length_ratio: float
    distinctive: float
    """Share of the claim's DISTINCTIVE rarest words the message contains (spacing aside)."""
    contained: float
    """IDF mass of the claim's words found in the message, spacing aside, over the claim's."""
    entities_missing: int
    """Named entities (agency, bank, province, year…) of the claim the message does not name."""

    @property
    def numbers_agree(self) -> bool:
        """Disagree only when each side has a number the other lacks: an amount or a date was changed."""
        return not (self.numbers_query_only and self.numbers_claim_only)

    @property
    def compatible(self) -> bool:
        return self.url or (self.numbers_agree and not self.entity_conflict)


@dataclass(frozen=True)
class Match:
    status: MatchStatus
    score: float
    claim_id: str | None
    candidates: tuple[Candidate, ...]
    reasons: tuple[str, ...] = ()
    """Why the best candidate was not answered automatically (empty for a match)."""


@dataclass(frozen=True)
class Ranking:
    query: Prepared
    candidates: tuple[Candidate, ...]
    """Best first, by the model's probability."""
    band: Band
    """The thresholds of the model that scored the candidates."""
    embedded: bool
    """Whether the message was embedded (the costly step)."""


def _top_rows(scores: npt.NDArray[np.float32]) -> set[int]:
    """The best CANDIDATES_PER_SIGNAL rows; argpartition, because a full sort of 100k scores costs ~8 ms."""
    if scores.size <= CANDIDATES_PER_SIGNAL:
        return set(range(scores.size))
    return set(np.argpartition(-scores, CANDIDATES_PER_SIGNAL)[:CANDIDATES_PER_SIGNAL].tolist())


def _ranks(values: list[float]) -> list[int]:
    order = sorted(range(len(values)), key=lambda index: -values[index])
    ranks = [0] * len(values)
    for rank, index in enumerate(order):
        ranks[index] = rank
    return ranks


def _lead(values: list[float], index: int) -> float:
    """How far this value is above the best of the others (negative when another is higher)."""
    others = [value for other, value in enumerate(values) if other != index]
    return values[index] - max(others) if others else values[index]


def _rival_gap(values: list[float], verdicts: list[str], index: int) -> float:
    """How far this value is above the best candidate with another verdict."""
    rivals = [value for value, verdict in zip(values, verdicts) if verdict != verdicts[index]]
    return values[index] - max(rivals) if rivals else values[index]


def scored_ranking(query: Prepared, candidates: Sequence[Candidate], probabilities: Iterable[float],
                   band: Band) -> Ranking:
    scored = [replace(c, score=1.0 if c.url else round(float(p), 4)) for c, p in zip(candidates, probabilities)]
    scored.sort(key=lambda c: (-c.score, -c.relevance, c.claim_id))
    return Ranking(query=query, candidates=tuple(scored), band=band,
                   embedded=any(c.semantic is not None for c in candidates))


def feature_rows(candidates: Sequence[Candidate], query_tokens: int) -> npt.NDArray[np.float64]:
    """The model's input, one row per candidate in FEATURES order; list-level columns compare candidates."""
    lexical = [c.lexical for c in candidates]
    semantic = [c.semantic for c in candidates]
    embedded = all(value is not None for value in semantic)
    cosines = [value if value is not None else 0.0 for value in semantic]
    verdicts = [c.verdict for c in candidates]
    lexical_ranks, semantic_ranks = _ranks(lexical), _ranks(cosines)
    best_lexical, best_semantic = max(lexical, default=0.0), max(cosines, default=0.0)
    rows = np.full((len(candidates), len(FEATURES)), np.nan)
    for index, c in enumerate(candidates):
        values = {
            "lexical": c.lexical, "lexical_rank": lexical_ranks[index], "lexical_gap": best_lexical - c.lexical,
            "lexical_lead": _lead(lexical, index),
            "coverage": c.coverage, "query_coverage": c.query_coverage, "query_extra": c.query_extra,
            "claim_missing": c.claim_missing, "overlap": c.overlap, "partial": c.partial,
            "numbers_query_only": c.numbers_query_only, "numbers_claim_only": c.numbers_claim_only,
            "numbers_shared": c.numbers_shared, "entity_conflict": float(c.entity_conflict is not None),
            "entities_shared": c.entities_shared, "negation_mismatch": float(c.negation_mismatch),
            "distinctive": c.distinctive,
            "contained": c.contained, "entities_missing": c.entities_missing,
            "length_ratio": c.length_ratio, "query_tokens": query_tokens,
            "rival_lexical_gap": _rival_gap(lexical, verdicts, index),
        }
        if embedded:
            values |= {"semantic": cosines[index], "semantic_rank": semantic_ranks[index],
                       "semantic_gap": best_semantic - cosines[index], "semantic_lead": _lead(cosines, index),
                       "rival_semantic_gap": _rival_gap(cosines, verdicts, index)}
        for column, name in enumerate(FEATURES):
            if name in values:
                rows[index, column] = values[name]
    return rows


def words_decide(ranking: Ranking, decided: Match, embed_from: float) -> bool:
    """Whether the lexical model's answer stands without the embedding: chit-chat too short to be a claim, no
    claim sharing the message's words, a sure answer already, or a best candidate so unlikely that, out of
    fold, the embedding never made such a message an automatic answer (`embed_from`, see `nlp/training.py`)."""
    if len(ranking.query.tokens) < MIN_CONTENT_TOKENS_TO_EMBED:
        return True
    if not ranking.candidates or max(c.lexical for c in ranking.candidates) < MIN_LEXICAL_TO_EMBED:
        return True
    return decided.status is MatchStatus.MATCH or ranking.candidates[0].score < embed_from


class ClaimMatcher:
    def __init__(self, claims: Sequence[ClaimText], embedder: Embedder | None = None,
                 models: DecisionModels | None = None, previous: ClaimMatcher | None = None,
                 embed_tokens: int = EMBED_TOKENS) -> None:
        """`previous`: a matcher over an older catalog, whose per-claim tokenisation is reused; `embed_tokens`:
        how much of a message the embedding reads (the models were trained with EMBED_TOKENS)."""
        self._models = models
        self._embedder = embedder
        self._embed_tokens = embed_tokens
        self._ids = [claim.id for claim in claims]
        self._verdicts = [claim.verdict for claim in claims]
        known: dict[str, Prepared] = previous._prepared_by_text if previous else {}
        self._prepared = [known.get(claim.text) or prepare(claim.text)[0] for claim in claims]
        self._prepared_by_text: dict[str, Prepared] = {
            claim.text: prepared for claim, prepared in zip(claims, self._prepared)}
        self._lexical = LexicalIndex.build([prepared.features for prepared in self._prepared])
        self._claim_weight = [self._weight(prepared.tokens) for prepared in self._prepared]
        """Per claim, the IDF mass of its content words: the coverage signal's denominator, fixed with the index."""
        self._by_url = {canonical_url(claim.url): row for row, claim in enumerate(claims) if claim.url}
        embeddings = self._stack_embeddings(claims) if embedder else None
        self._semantic = SemanticIndex.build(embeddings) if embeddings is not None else None

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def models(self) -> DecisionModels:
        """Read on first use, so training can build a matcher before any model exists."""
        if self._models is None:
            self._models = load_models()
        return self._models

    def with_models(self, models: DecisionModels) -> ClaimMatcher:
        """The same catalog and indexes, deciding with other models (benchmarks compare decisions this way)."""
        twin = copy.copy(self)
        twin._models = models
        return twin

    def _weight(self, tokens: frozenset[str]) -> float:
        return math.fsum(self._lexical.idf_of(f"w:{token}") for token in tokens) or 1.0

    @staticmethod
    def _stack_embeddings(claims: Sequence[ClaimText]) -> npt.NDArray[np.float32] | None:
        vectors = [claim.embedding for claim in claims]
        dimension = next((len(vector) for vector in vectors if vector is not None), 0)
        if not dimension:
            return None
        return np.vstack([vector if vector is not None else np.zeros(dimension, np.float32) for vector in vectors])

    @property
    def uses_semantics(self) -> bool:
        return self._embedder is not None and self._semantic is not None

    def match(self, text: str, semantic: bool = True) -> Match:
        return self.decide(self.rank(text, semantic))

    def rank(self, text: str, semantic: bool = True) -> Ranking:
        """Every plausible claim with its signals and probability, best first.

        `semantic=False` is the lexical-only path: cheaper, lower recall. Even with `semantic=True` the
        embedding (the one costly step, ~40 ms for EMBED_TOKENS) is skipped when words alone already decide
        (`words_decide`).
        The message is read and scored by words once; the embedding only adds its own signals.
        """
        query, urls = prepare(text)
        lexical = self._lexical.scores(query.features)
        by_words = self._candidates(query, urls, lexical, None)
        ranking = self._scored(query, list(by_words.values()), self.models.lexical)
        if not semantic or not self.uses_semantics or self._words_decide(ranking):
            return ranking
        vector = self._vector(query)
        candidates = self._candidates(query, urls, lexical, vector, by_words)
        return self._scored(query, list(candidates.values()), self.models.full)

    def signals(self, text: str, embed: bool) -> tuple[Prepared, list[Candidate]]:
        """The message and its candidates' signals, not yet scored (training reads these too)."""
        query, urls = prepare(text)
        vector = self._vector(query) if embed and self.uses_semantics else None
        return query, list(self._candidates(query, urls, self._lexical.scores(query.features), vector).values())

    def _vector(self, query: Prepared) -> npt.NDArray[np.float32]:
        """The message's embedding, of its opening when it is long (`EMBED_TOKENS`)."""
        assert self._embedder is not None
        return self._embedder.embed([clipped(query.body, self._embedder, self._embed_tokens, pieces)])[0]

    def _candidates(self, query: Prepared, urls: tuple[str, ...], lexical: npt.NDArray[np.float32],
                    vector: npt.NDArray[np.float32] | None, known: dict[int, Candidate] | None = None
                    ) -> dict[int, Candidate]:
        """Candidate rows (in row order) with their signals; `known`: the same message's word-only
        candidates, whose signals are reused with the cosine added."""
        url_rows = {self._by_url[url] for url in urls if url in self._by_url}
        rows = _top_rows(lexical) | url_rows
        similarity = None
        if vector is not None and self._semantic is not None:
            rows |= self._semantic.nearest(vector, CANDIDATES_PER_SIGNAL)
            similarity = self._semantic.similarity(vector, sorted(rows))
        known = known or {}
        query_weight = self._weight(query.tokens)
        found = {}
        for row in sorted(rows):
            cosine = round(similarity[row], 4) if similarity is not None else None
            if row in known:
                found[row] = replace(known[row], semantic=cosine)
            else:
                found[row] = self._signals(row, query, query_weight, float(lexical[row]), cosine, row in url_rows)
        return found

    @staticmethod
    def _scored(query: Prepared, candidates: list[Candidate], model: DecisionModel) -> Ranking:
        probabilities = model.probabilities(feature_rows(candidates, len(query.tokens)))
        return scored_ranking(query, candidates, probabilities, model.band)

    def _words_decide(self, ranking: Ranking) -> bool:
        return words_decide(ranking, self.decide(ranking), self.models.embed_from)

    def _signals(self, row: int, query: Prepared, query_weight: float, lexical: float, semantic: float | None,
                 url: bool) -> Candidate:
        prepared = self._prepared[row]
        shared = math.fsum(self._lexical.idf_of(f"w:{token}") for token in query.tokens & prepared.tokens)
        overlap = fuzz.token_set_ratio(" ".join(sorted(query.tokens)), " ".join(sorted(prepared.tokens))) / 100
        coverage = shared / self._claim_weight[row]
        weighted = sorted(((self._lexical.idf_of(f"w:{token}"), token) for token in prepared.tokens), reverse=True)
        found = [(idf, token in query.tokens or (len(token) >= MIN_CONTAINED and token in query.squeezed))
                 for idf, token in weighted]
        return Candidate(
            claim_id=self._ids[row], verdict=self._verdicts[row], score=0.0,
            relevance=round(0.45 * lexical + 0.35 * coverage + 0.20 * overlap, 4),
            lexical=round(lexical, 4), semantic=semantic,
            coverage=round(coverage, 4), query_coverage=round(shared / query_weight, 4),
            query_extra=round(query_weight - shared, 4), claim_missing=round(self._claim_weight[row] - shared, 4),
            overlap=round(overlap, 4),
            partial=round(fuzz.partial_ratio(query.body, prepared.body) / 100, 4), url=url,
            numbers_query_only=len(query.numbers - prepared.numbers),
            numbers_claim_only=len(prepared.numbers - query.numbers),
            numbers_shared=len(query.numbers & prepared.numbers),
            entity_conflict=entities.conflict(query.entities, prepared.entities),
            entities_shared=entities.shared(query.entities, prepared.entities),
            negation_mismatch=contradicts(query, prepared),
            length_ratio=round(math.log((len(query.tokens) + 1) / (len(prepared.tokens) + 1)), 4),
            distinctive=round(sum(hit for _idf, hit in found[:DISTINCTIVE]) / max(1, len(found[:DISTINCTIVE])), 4),
            contained=round(math.fsum(idf for idf, hit in found if hit) / self._claim_weight[row], 4),
            entities_missing=sum(len(names - query.entities.get(group, frozenset()))
                                 for group, names in prepared.entities.items()))

    def decide(self, ranking: Ranking, band: Band | None = None) -> Match:
        """Apply the band and the guards; separate from `rank` so thresholds can be swept cheaply."""
        band = band or ranking.band
        query, candidates = ranking.query, ranking.candidates
        plausible = [c for c in candidates if c.compatible]
        suggestions = tuple(c for c in plausible if c.score >= band.suggest)[:MAX_SUGGESTIONS]
        if not plausible:
            return Match(MatchStatus.NONE, candidates[0].score if candidates else 0.0, None, (),
                         ("numbers or entities disagree",) if candidates else ())
        best = plausible[0]
        if best.url:
            return Match(MatchStatus.MATCH, best.score, best.claim_id, suggestions)
        reasons = []
        if best.score < band.auto:
            reasons.append("probability below the auto threshold")
        if len(query.tokens) < MIN_CONTENT_TOKENS_FOR_AUTO:
            reasons.append("too few content words")
        if best.negation_mismatch:
            # A guard, not only a feature: left to the model alone (2026-12-04, out of fold, words only) it gave
            # about 100 more answers at each threshold, but answered negating look-alikes such as "ครม. ตีตก…
            # ไม่เห็นชอบ" at 0.98.
            reasons.append("one side negates what the other says")
        rival = next((c for c in plausible[1:] if c.verdict != best.verdict), None)
        if rival is not None and rival.score >= RIVAL_SHARE * best.score:
            reasons.append("a claim with another verdict is nearly as likely")
        if not reasons:
            return Match(MatchStatus.MATCH, best.score, best.claim_id, suggestions)
        if suggestions:
            return Match(MatchStatus.SUGGEST, best.score, None, suggestions, tuple(reasons))
        return Match(MatchStatus.NONE, best.score, None, (), tuple(reasons))
