"""Match a forwarded message to a verified claim: retrieve, rerank, combine, and refuse to guess.

Auto-answering the wrong claim is the worst failure, so `auto` needs a high combined score *and* every
guard (enough content words, agreeing numbers and entities, a clear winner); anything weaker is a
suggestion or nothing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from nlp import entities
from nlp.embed import Embedder
from nlp.lexical import LexicalIndex
from nlp.normalise import canonical_url, normalise
from nlp.tokenise import MIN_CONTENT_TOKENS_FOR_AUTO, char_ngrams, content_tokens, strip_boilerplate

CANDIDATES_PER_SIGNAL = 20
MAX_SUGGESTIONS = 3


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
class Thresholds:
    auto: float = 0.72
    suggest: float = 0.45
    margin: float = 0.04
    """An auto answer must beat the best claim with another verdict by this much."""


@dataclass(frozen=True)
class Candidate:
    claim_id: str
    verdict: str
    score: float
    lexical: float
    semantic: float
    coverage: float
    overlap: float
    url: bool
    numbers_agree: bool
    entity_conflict: str | None


@dataclass(frozen=True)
class Match:
    status: MatchStatus
    score: float
    claim_id: str | None
    candidates: tuple[Candidate, ...]
    reasons: tuple[str, ...] = ()
    """Why the best candidate was not answered automatically (empty for a match)."""


@dataclass(frozen=True)
class _Prepared:
    body: str
    tokens: frozenset[str]
    numbers: frozenset[str]
    entities: dict[str, frozenset[int]]
    features: list[str]


@dataclass(frozen=True)
class Ranking:
    query: _Prepared
    candidates: tuple[Candidate, ...]


def _prepare(text: str) -> tuple[_Prepared, tuple[str, ...]]:
    normalised = normalise(text)
    body = strip_boilerplate(normalised.text)
    tokens = content_tokens(body)
    features = [f"w:{token}" for token in tokens] + [f"c:{gram}" for gram in char_ngrams(body)]
    return _Prepared(body=body, tokens=frozenset(tokens), numbers=normalised.numbers,
                     entities=entities.mentioned(body), features=features), normalised.urls


def numbers_agree(query: frozenset[str], claim: frozenset[str]) -> bool:
    """Disagree only when each side has a number the other lacks: an amount or a date was changed."""
    return not (query - claim and claim - query)


class ClaimMatcher:
    def __init__(self, claims: Sequence[ClaimText], embedder: Embedder | None = None,
                 thresholds: Thresholds = Thresholds(), previous: ClaimMatcher | None = None) -> None:
        """`previous`: a matcher over an older catalog, whose per-claim tokenisation is reused."""
        self.claims = list(claims)
        self.thresholds = thresholds
        self._embedder = embedder
        known = previous._prepared_by_text if previous else {}
        self._prepared = [known.get(claim.text) or _prepare(claim.text)[0] for claim in self.claims]
        self._prepared_by_text = {claim.text: prepared for claim, prepared in zip(self.claims, self._prepared)}
        self._lexical = LexicalIndex.build([prepared.features for prepared in self._prepared])
        self._by_url = {canonical_url(claim.url): row for row, claim in enumerate(self.claims) if claim.url}
        self._embeddings = self._stack_embeddings() if embedder else None

    def _stack_embeddings(self) -> npt.NDArray[np.float32] | None:
        vectors = [claim.embedding for claim in self.claims]
        dimension = next((len(vector) for vector in vectors if vector is not None), 0)
        if not dimension:
            return None
        return np.vstack([vector if vector is not None else np.zeros(dimension, np.float32) for vector in vectors])

    @property
    def uses_semantics(self) -> bool:
        return self._embedder is not None and self._embeddings is not None

    def match(self, text: str, semantic: bool = True) -> Match:
        return self.decide(self.rank(text, semantic))

    def rank(self, text: str, semantic: bool = True) -> Ranking:
        """Every plausible claim with its signals and combined score, best first.

        `semantic=False` is the lexical-only path: cheaper, lower recall.
        """
        query, urls = _prepare(text)
        url_rows = {self._by_url[url] for url in urls if url in self._by_url}
        lexical = self._lexical.scores(query.features)
        semantic_scores = self._semantic_scores(query.body) if semantic else None
        rows = set(np.argsort(-lexical)[:CANDIDATES_PER_SIGNAL].tolist()) | url_rows
        if semantic_scores is not None:
            rows |= set(np.argsort(-semantic_scores)[:CANDIDATES_PER_SIGNAL].tolist())
        candidates = sorted((self._score(row, query, float(lexical[row]),
                                         float(semantic_scores[row]) if semantic_scores is not None else None,
                                         row in url_rows)
                             for row in rows), key=lambda candidate: -candidate.score)
        return Ranking(query=query, candidates=tuple(candidates))

    def _semantic_scores(self, body: str) -> npt.NDArray[np.float32] | None:
        if not self.uses_semantics or not body:
            return None
        assert self._embedder is not None and self._embeddings is not None
        return self._embeddings @ self._embedder.embed([body])[0]

    def _score(self, row: int, query: _Prepared, lexical: float, semantic: float | None, url: bool) -> Candidate:
        claim, prepared = self.claims[row], self._prepared[row]
        shared = query.tokens & prepared.tokens
        weight = sum(self._lexical.idf_of(f"w:{token}") for token in prepared.tokens) or 1.0
        coverage = sum(self._lexical.idf_of(f"w:{token}") for token in shared) / weight
        overlap = fuzz.token_set_ratio(" ".join(sorted(query.tokens)), " ".join(sorted(prepared.tokens))) / 100
        if semantic is None:
            score = 0.45 * lexical + 0.35 * coverage + 0.20 * overlap
            semantic = 0.0
        else:
            rescaled = min(max((semantic - 0.80) / 0.17, 0.0), 1.0)  # E5 cosines live in about [0.8, 0.97]
            score = 0.30 * lexical + 0.25 * coverage + 0.10 * overlap + 0.35 * rescaled
        return Candidate(claim_id=claim.id, verdict=claim.verdict, score=1.0 if url else round(score, 4),
                         lexical=round(lexical, 4), semantic=round(semantic, 4), coverage=round(coverage, 4),
                         overlap=round(overlap, 4), url=url, numbers_agree=numbers_agree(query.numbers, prepared.numbers),
                         entity_conflict=entities.conflict(query.entities, prepared.entities))

    def decide(self, ranking: Ranking, thresholds: Thresholds | None = None) -> Match:
        """Apply the thresholds and guards; separate from `rank` so thresholds can be swept cheaply."""
        thresholds = thresholds or self.thresholds
        query, candidates = ranking.query, ranking.candidates
        plausible = [c for c in candidates if c.url or (c.numbers_agree and not c.entity_conflict)]
        suggestions = tuple(c for c in plausible if c.score >= thresholds.suggest)[:MAX_SUGGESTIONS]
        if not plausible:
            return Match(MatchStatus.NONE, candidates[0].score if candidates else 0.0, None, (),
                         ("numbers or entities disagree",) if candidates else ())
        best = plausible[0]
        if best.url:
            return Match(MatchStatus.MATCH, best.score, best.claim_id, suggestions)
        reasons = []
        if best.score < thresholds.auto:
            reasons.append("score below auto threshold")
        if len(query.tokens) < MIN_CONTENT_TOKENS_FOR_AUTO:
            reasons.append("too few content words")
        rival = next((c for c in plausible[1:] if c.verdict != best.verdict), None)
        if rival is not None and best.score - rival.score < thresholds.margin:
            reasons.append("a claim with another verdict is as close")
        if not reasons:
            return Match(MatchStatus.MATCH, best.score, best.claim_id, suggestions)
        if suggestions:
            return Match(MatchStatus.SUGGEST, best.score, None, suggestions, tuple(reasons))
        return Match(MatchStatus.NONE, best.score, None, (), tuple(reasons))
