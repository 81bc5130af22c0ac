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
from nlp.semantic import SemanticIndex
from nlp.tokenise import MIN_CONTENT_TOKENS_FOR_AUTO, char_ngrams, content_tokens, strip_boilerplate

CANDIDATES_PER_SIGNAL = 20
LEXICAL_SURE = 0.80
"""A lexical-only score this high is a near-copy; on the dev set none at or above 0.70 was wrong."""
MIN_CONTENT_TOKENS_TO_EMBED = 2
"""Shorter messages ("สวัสดีค่ะ", "555") are chit-chat: meaning cannot make them a claim."""
MIN_LEXICAL_TO_EMBED = 0.15
"""Below this best TF-IDF cosine no claim shares the message's words at all; on the dev set none of those
was a positive (66 of 410 messages: 57 unrelated, 9 hard negatives), so the embedding is not worth 25 ms."""
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

    @property
    def features(self) -> list[str]:
        """Built on demand rather than stored: at 100k claims the strings alone would cost hundreds of MB."""
        return [f"w:{token}" for token in self.tokens] + [f"c:{gram}" for gram in char_ngrams(self.body)]


@dataclass(frozen=True)
class Ranking:
    query: _Prepared
    candidates: tuple[Candidate, ...]


def _prepare(text: str) -> tuple[_Prepared, tuple[str, ...]]:
    normalised = normalise(text)
    body = strip_boilerplate(normalised.text)
    return _Prepared(body=body, tokens=frozenset(content_tokens(body)), numbers=normalised.numbers,
                     entities=entities.mentioned(body)), normalised.urls


def _top_rows(scores: npt.NDArray[np.float32]) -> set[int]:
    """The best CANDIDATES_PER_SIGNAL rows; argpartition, because a full sort of 100k scores costs ~8 ms."""
    if scores.size <= CANDIDATES_PER_SIGNAL:
        return set(range(scores.size))
    return set(np.argpartition(-scores, CANDIDATES_PER_SIGNAL)[:CANDIDATES_PER_SIGNAL].tolist())


def numbers_agree(query: frozenset[str], claim: frozenset[str]) -> bool:
    """Disagree only when each side has a number the other lacks: an amount or a date was changed."""
    return not (query - claim and claim - query)


class ClaimMatcher:
    def __init__(self, claims: Sequence[ClaimText], embedder: Embedder | None = None,
                 thresholds: Thresholds = Thresholds(), previous: ClaimMatcher | None = None) -> None:
        """`previous`: a matcher over an older catalog, whose per-claim tokenisation is reused."""
        self.thresholds = thresholds
        self._embedder = embedder
        self._ids = [claim.id for claim in claims]
        self._verdicts = [claim.verdict for claim in claims]
        known = previous._prepared_by_text if previous else {}
        self._prepared = [known.get(claim.text) or _prepare(claim.text)[0] for claim in claims]
        self._prepared_by_text = {claim.text: prepared for claim, prepared in zip(claims, self._prepared)}
        self._lexical = LexicalIndex.build([prepared.features for prepared in self._prepared])
        self._claim_weight = [sum(self._lexical.idf_of(f"w:{token}") for token in prepared.tokens) or 1.0
                              for prepared in self._prepared]
        """Per claim, the IDF mass of its content words: the coverage signal's denominator, fixed with the index."""
        self._by_url = {canonical_url(claim.url): row for row, claim in enumerate(claims) if claim.url}
        embeddings = self._stack_embeddings(claims) if embedder else None
        self._semantic = SemanticIndex.build(embeddings) if embeddings is not None else None

    def __len__(self) -> int:
        return len(self._ids)

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
        """Every plausible claim with its signals and combined score, best first.

        `semantic=False` is the lexical-only path: cheaper, lower recall. Even with `semantic=True` the
        embedding (the one costly step) is skipped when words alone already decide: a near-copy of a claim,
        or chit-chat too short to be a claim.
        """
        query, urls = _prepare(text)
        url_rows = {self._by_url[url] for url in urls if url in self._by_url}
        lexical = self._lexical.scores(query.features)
        lexical_rows = _top_rows(lexical) | url_rows
        ranked = self._ranked(query, lexical_rows, lexical, None, url_rows)
        if not semantic or not self.uses_semantics or self._words_decide(query, ranked):
            return Ranking(query=query, candidates=ranked)
        assert self._embedder is not None and self._semantic is not None
        vector = self._embedder.embed([query.body])[0]
        rows = lexical_rows | self._semantic.nearest(vector, CANDIDATES_PER_SIGNAL)
        similarity = self._semantic.similarity(vector, sorted(rows))
        return Ranking(query=query, candidates=self._ranked(query, rows, lexical, similarity, url_rows))

    def _ranked(self, query: _Prepared, rows: set[int], lexical: npt.NDArray[np.float32],
                semantic: dict[int, float] | None, url_rows: set[int]) -> tuple[Candidate, ...]:
        candidates = (self._score(row, query, float(lexical[row]),
                                  semantic[row] if semantic is not None else None, row in url_rows)
                      for row in rows)
        return tuple(sorted(candidates, key=lambda candidate: -candidate.score))

    @staticmethod
    def _words_decide(query: _Prepared, lexical_ranking: tuple[Candidate, ...]) -> bool:
        if len(query.tokens) < MIN_CONTENT_TOKENS_TO_EMBED:
            return True
        if not lexical_ranking or max(c.lexical for c in lexical_ranking) < MIN_LEXICAL_TO_EMBED:
            return True
        best = next((c for c in lexical_ranking if c.url or (c.numbers_agree and not c.entity_conflict)), None)
        return best is not None and (best.url or best.score >= LEXICAL_SURE and
                                     len(query.tokens) >= MIN_CONTENT_TOKENS_FOR_AUTO)

    def _score(self, row: int, query: _Prepared, lexical: float, semantic: float | None, url: bool) -> Candidate:
        prepared = self._prepared[row]
        shared = query.tokens & prepared.tokens
        coverage = sum(self._lexical.idf_of(f"w:{token}") for token in shared) / self._claim_weight[row]
        overlap = fuzz.token_set_ratio(" ".join(sorted(query.tokens)), " ".join(sorted(prepared.tokens))) / 100
        if semantic is None:
            score = 0.45 * lexical + 0.35 * coverage + 0.20 * overlap
            semantic = 0.0
        else:
            rescaled = min(max((semantic - 0.80) / 0.17, 0.0), 1.0)  # E5 cosines live in about [0.8, 0.97]
            score = 0.30 * lexical + 0.25 * coverage + 0.10 * overlap + 0.35 * rescaled
        return Candidate(claim_id=self._ids[row], verdict=self._verdicts[row], score=1.0 if url else round(score, 4),
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
