"""Send a tip to the agency that can verify it: similar verified claims, the tip's category, and keyword rules.

Each signal gives every agency it has an opinion on a confidence in [0, 1], calibrated on the routing bench
to read roughly as "how often this is the right agency". They are combined as independent evidence
(noisy-OR) and the signal that gave the winner most is recorded as the decider. A tip that no agency reaches
`route_at` for goes to the AFNC desk, whose people route by hand: a wrong agency costs a reroute and a missed
deadline, the desk only a little time.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

import numpy as np
import numpy.typing as npt
import regex
from pythainlp.tokenize import word_tokenize
from scipy import sparse

from nlp.embed import Embedder
from nlp.lexical import LexicalIndex
from nlp.normalise import clean, normalise
from nlp.semantic import SemanticIndex
from nlp.spellings import fold_spellings
from nlp.tokenise import features, strip_boilerplate

RANKED = 3
NEIGHBOURS = 5
MIN_CATEGORY_CLAIMS = 10
"""A category with fewer claims than this has no centroid worth trusting (AFNC has a few one-off labels)."""
CATEGORY_SHARPNESS = 50.0
"""Softmax sharpness over centroid cosines (which differ by hundredths); 50 gave the best-calibrated odds."""
UNCOVERED_SHARE = 0.5
"""Pseudo-count for an agency that covers a category but has verified none of its claims yet."""
THAI = regex.compile(r"\p{Thai}")
LATIN_EDGE = "[a-z0-9]"
SHORT_KEYWORD = 3
"""Keywords this short, or with a dot (อย., ตม., ก.ล.ต.), must be whole words: "อย." hides inside "น้อย."."""

LabelledClaim = tuple[str, str | None, str | None]
"""(text, agency code or None, category or None): a verified claim as far as routing is concerned."""


class AgencyRules(Protocol):
    """What routing needs of an agency (data.agencies.AgencySpec fits)."""

    @property
    def code(self) -> str: ...

    @property
    def categories(self) -> Sequence[str]: ...

    @property
    def keywords(self) -> Sequence[str]: ...


class Decider(StrEnum):
    NEIGHBOURS = "neighbours"
    CATEGORY = "category"
    KEYWORDS = "keywords"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Calibration:
    """How each signal's raw score becomes a confidence; measured in bench/routing.py (see bench/RESULTS.md)."""

    keyword: float = 0.85
    """A keyword rule picks the labelled agency about 85% of the times it decides."""
    keyword_position_penalty: float = 0.3
    """A later mention is worth up to this fraction less: the agency a Thai rumour is about usually comes first."""
    lexical_scale: float = 2.0
    """Nearest-claim TF-IDF cosine 0.15 → right 29%, 0.25 → 54%, 0.45 → 83%: about twice the cosine."""
    semantic_floor: float = 0.86
    semantic_span: float = 0.08
    """E5 cosine 0.88 → right 27%, 0.91 → 45%, ≥ 0.92 → 87%: linear from the floor over the span."""
    route_at: float = 0.5
    """Below this the tip goes to the AFNC desk: route only when the agency is more likely right than not."""


@dataclass(frozen=True)
class Routing:
    agency_code: str
    ranked: tuple[tuple[str, float], ...]
    """The best agencies with their combined confidence, best first (at most RANKED; empty when nothing matched)."""
    decided_by: str
    category: str | None
    """The category the tip most likely belongs to, whatever decided the agency."""
    reason: str
    """One line for coordinators: why this agency."""


@dataclass(frozen=True)
class Signals:
    """Each signal's confidence per agency, with the evidence behind it."""

    neighbours: dict[str, float]
    keywords: dict[str, float]
    category: dict[str, float]
    nearest: dict[str, str]
    """Per agency, the text of its verified claim most like the tip."""
    matched: dict[str, str]
    """Per agency, the first of its keywords found in the tip."""
    category_name: str | None
    category_probability: float
    closest: float
    """TF-IDF cosine of the most similar verified claim: near 1 for a re-published rumour."""


@dataclass(frozen=True)
class _Keyword:
    agency: str
    text: str
    """Cleaned; without spaces unless it is Latin (where spaces separate words)."""
    whole_word: bool


@dataclass(frozen=True)
class _Neighbours:
    lexical: LexicalIndex
    semantic: SemanticIndex | None
    agencies: tuple[str, ...]
    texts: tuple[str, ...]


def _prepare(text: str) -> str:
    return strip_boilerplate(normalise(text).text)


def _keywords(agencies: Iterable[AgencyRules]) -> tuple[_Keyword, ...]:
    keywords = []
    for agency in agencies:
        for keyword in agency.keywords:
            cleaned = " ".join(fold_spellings(clean(keyword)).split())  # spelled as `normalise` spells messages
            if not THAI.search(cleaned):
                keywords.append(_Keyword(agency.code, cleaned, whole_word=True))
                continue
            squeezed = cleaned.replace(" ", "")
            whole_word = len(squeezed) <= SHORT_KEYWORD or "." in squeezed
            keywords.append(_Keyword(agency.code, squeezed, whole_word))
    # Longest first, so "ปตท. น้ำมันและการค้าปลีก" claims its span before "ปตท." can.
    return tuple(sorted(keywords, key=lambda keyword: -len(keyword.text)))


def _occurrences(text: str, part: str) -> Iterable[int]:
    start = text.find(part)
    while start >= 0:
        yield start
        start = text.find(part, start + 1)


def _find_keywords(body: str, keywords: Sequence[_Keyword]) -> dict[str, tuple[float, str]]:
    """Per agency: where its first keyword starts (0 = the text's start, 1 = its end), and which keyword.

    Thai is matched with spaces removed ("ออม สิน" is ออมสิน); Latin on whole words. A span already taken by a
    longer keyword is not matched again.
    """
    squeezed = body.replace(" ", "")
    if not squeezed:
        return {}
    boundaries, position = {0}, 0
    for token in word_tokenize(squeezed, engine="newmm", keep_whitespace=False):
        position += len(token)
        boundaries.add(position)
    taken: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    found: dict[str, tuple[float, str]] = {}
    for keyword in keywords:
        thai = bool(THAI.search(keyword.text))
        if thai:
            spans = [(start, start + len(keyword.text)) for start in _occurrences(squeezed, keyword.text)]
            if keyword.whole_word:
                spans = [(start, end) for start, end in spans if start in boundaries and end in boundaries]
            length = len(squeezed)
        else:
            pattern = f"(?<!{LATIN_EDGE}){regex.escape(keyword.text)}(?!{LATIN_EDGE})"
            spans = [match.span() for match in regex.finditer(pattern, body)]
            length = len(body)
        for start, end in spans:
            if any(start < other_end and other_start < end for other_start, other_end in taken[thai]):
                continue
            taken[thai].append((start, end))
            relative = start / length
            if keyword.agency not in found or relative < found[keyword.agency][0]:
                found[keyword.agency] = (relative, keyword.text)
    return found


def _centroids(index: LexicalIndex, labels: Sequence[str], names: Sequence[str]) -> LexicalIndex:
    """The same vocabulary and IDF, one unit-length row per category: the sum of its claims' TF-IDF rows."""
    rows = {name: number for number, name in enumerate(names)}
    membership = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32),
                                    ([rows[label] for label in labels], np.arange(len(labels)))),
                                   shape=(len(names), len(labels)))
    sums = membership @ index.matrix.tocsr()
    norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return replace(index, matrix=sparse.diags(1.0 / norms).dot(sums).tocsc())


def _agency_given_category(prepared: Sequence[tuple[str, str | None, str | None]], agencies: Sequence[AgencyRules],
                           known: Collection[str]) -> dict[str, dict[str, float]]:
    """P(agency | category) over the agencies that cover the category, from who verified its claims."""
    verified = Counter((category, agency) for _body, agency, category in prepared if agency in known and category)
    per_category = Counter(category for category, _agency in verified.elements())
    covering: dict[str, list[str]] = defaultdict(list)
    for agency in agencies:
        if agency.code in known:
            for category in agency.categories:
                covering[category].append(agency.code)
    return {category: {code: (verified[(category, code)] + UNCOVERED_SHARE) /
                       (per_category[category] + UNCOVERED_SHARE * len(codes)) for code in codes}
            for category, codes in covering.items()}


def _vote(similarities: Sequence[tuple[int, float]], agencies: Sequence[str], confidence: float) -> dict[str, float]:
    """Share of the similarity-weighted vote of the nearest claims, times the confidence the nearest one earns."""
    total = sum(similarity for _row, similarity in similarities)
    votes: dict[str, float] = defaultdict(float)
    for row, similarity in similarities:
        votes[agencies[row]] += similarity / total * confidence
    return votes


class AgencyRouter:
    def __init__(self, neighbours: _Neighbours, centroids: LexicalIndex | None, category_names: Sequence[str],
                 agency_given_category: dict[str, dict[str, float]], keywords: Sequence[_Keyword],
                 embedder: Embedder | None, fallback: str, calibration: Calibration) -> None:
        self._neighbours = neighbours
        self._centroids = centroids
        self._category_names = tuple(category_names)
        self._agency_given_category = agency_given_category
        self._keywords = tuple(keywords)
        self._embedder = embedder if neighbours.semantic is not None else None
        self.fallback = fallback
        self.calibration = calibration

    @classmethod
    def build(cls, claims: Sequence[LabelledClaim], agencies: Sequence[AgencyRules],
              fallback: str, embeddings: npt.NDArray[np.float32] | None = None, embedder: Embedder | None = None,
              calibration: Calibration = Calibration()) -> AgencyRouter:
        """`claims`: every verified claim. Those with an agency are the neighbours, those with a category teach
        the category classifier. `embeddings` (one row per claim) and `embedder` together add semantic
        neighbours; without them routing is lexical. Only the listed agencies are chosen, never the fallback."""
        known = {agency.code for agency in agencies} - {fallback}
        prepared = [(_prepare(text), agency, category) for text, agency, category in claims]
        rows = [row for row, (_body, agency, _category) in enumerate(prepared) if agency in known]
        semantic = None
        if embeddings is not None and embedder is not None and rows:
            semantic = SemanticIndex.build(np.ascontiguousarray(embeddings[rows], dtype=np.float32))
        neighbours = _Neighbours(lexical=LexicalIndex.build([features(prepared[row][0]) for row in rows]),
                                 semantic=semantic, agencies=tuple(str(prepared[row][1]) for row in rows),
                                 texts=tuple(claims[row][0] for row in rows))
        counts = Counter(category for _body, _agency, category in prepared if category)
        names = sorted(name for name, count in counts.items() if count >= MIN_CATEGORY_CLAIMS)
        categorised = [(body, category) for body, _agency, category in prepared if category in names]
        centroids = None
        if categorised:
            index = LexicalIndex.build([features(body) for body, _category in categorised])
            centroids = _centroids(index, [str(category) for _body, category in categorised], names)
        return cls(neighbours=neighbours, centroids=centroids, category_names=names,
                   agency_given_category=_agency_given_category(prepared, agencies, known),
                   keywords=_keywords(agency for agency in agencies if agency.code in known), embedder=embedder,
                   fallback=fallback, calibration=calibration)

    @property
    def uses_semantics(self) -> bool:
        return self._embedder is not None

    def route(self, text: str) -> Routing:
        return combine(self.signals(text), self.calibration, self.fallback)

    def signals(self, text: str) -> Signals:
        body = _prepare(text)
        query = features(body)
        neighbours, nearest, closest = self._neighbour_confidence(body, query)
        category, category_name, probability = self._category_confidence(query)
        matched = _find_keywords(body, self._keywords)
        penalty = self.calibration.keyword_position_penalty
        keywords = {code: self.calibration.keyword * (1.0 - penalty * position)
                    for code, (position, _word) in matched.items()}
        return Signals(neighbours=neighbours, keywords=keywords, category=category, nearest=nearest,
                       matched={code: word for code, (_position, word) in matched.items()},
                       category_name=category_name, category_probability=probability, closest=closest)

    def _neighbour_confidence(self, body: str, query: list[str]) -> tuple[dict[str, float], dict[str, str], float]:
        """The better of the lexical and the semantic vote per agency, its nearest claim, and the best cosine."""
        index, calibration = self._neighbours, self.calibration
        if not index.agencies:
            return {}, {}, 0.0
        scores = index.lexical.scores(query)
        count = min(NEIGHBOURS, scores.size)
        rows = np.argpartition(-scores, count - 1)[:count].tolist()
        ranked = sorted(((row, float(scores[row])) for row in rows if scores[row] > 0), key=lambda item: -item[1])
        candidates: list[tuple[dict[str, float], list[tuple[int, float]]]] = []
        if ranked:
            candidates.append((_vote(ranked, index.agencies, min(1.0, calibration.lexical_scale * ranked[0][1])),
                               ranked))
        if self._embedder is not None and index.semantic is not None and body:
            vector = self._embedder.embed([body])[0]
            similar = index.semantic.similarity(vector, sorted(index.semantic.nearest(vector, NEIGHBOURS)))
            ranked = sorted(similar.items(), key=lambda item: -item[1])
            confidence = (ranked[0][1] - calibration.semantic_floor) / calibration.semantic_span
            candidates.append((_vote(ranked, index.agencies, min(1.0, max(0.0, confidence))), ranked))
        confidence_of: dict[str, float] = {}
        nearest: dict[str, str] = {}
        for votes, neighbours in candidates:
            for code, value in votes.items():
                if value > confidence_of.get(code, 0.0):
                    confidence_of[code] = value
                    nearest[code] = next(index.texts[row] for row, _s in neighbours if index.agencies[row] == code)
        return confidence_of, nearest, float(scores.max(initial=0.0))

    def _category_confidence(self, query: list[str]) -> tuple[dict[str, float], str | None, float]:
        """P(agency) through the category: Σ P(category | tip) · P(agency | category)."""
        if self._centroids is None:
            return {}, None, 0.0
        cosines = self._centroids.scores(query)
        if not cosines.any():
            return {}, None, 0.0
        shifted = np.exp((cosines.astype(np.float64) - float(cosines.max())) * CATEGORY_SHARPNESS)
        probabilities = shifted / shifted.sum()
        confidence: dict[str, float] = defaultdict(float)
        for name, probability in zip(self._category_names, probabilities.tolist()):
            for code, share in self._agency_given_category.get(name, {}).items():
                confidence[code] += probability * share
        best = int(np.argmax(probabilities))
        return dict(confidence), self._category_names[best], float(probabilities[best])


def combine(signals: Signals, calibration: Calibration, fallback: str) -> Routing:
    """Combine the signals as independent evidence (noisy-OR) and pick the agency, or the desk."""
    parts: dict[str, dict[Decider, float]] = defaultdict(dict)
    for decider, confidence in ((Decider.NEIGHBOURS, signals.neighbours), (Decider.KEYWORDS, signals.keywords),
                                (Decider.CATEGORY, signals.category)):
        for code, value in confidence.items():
            parts[code][decider] = value
    combined = sorted(((code, 1.0 - float(np.prod([1.0 - value for value in by_signal.values()])))
                       for code, by_signal in parts.items()), key=lambda item: (-item[1], item[0]))
    ranked = tuple((code, round(score, 4)) for code, score in combined[:RANKED] if score > 0)
    if not ranked or ranked[0][1] < calibration.route_at:
        # No code or score in the reason: coordinators read it; the reroute choices name the likely agencies.
        return Routing(fallback, ranked, Decider.FALLBACK.value, signals.category_name,
                       "ไม่มีหน่วยงานใดชัดเจนพอ จึงส่งศูนย์ฯ คัดกรอง")
    code = ranked[0][0]
    decider = max(parts[code].items(), key=lambda item: item[1])[0]
    return Routing(code, ranked, decider.value, signals.category_name, _reason(decider, code, signals))


def _reason(decider: Decider, code: str, signals: Signals) -> str:
    if decider is Decider.KEYWORDS:
        return f"พบคำว่า “{signals.matched[code]}”"
    if decider is Decider.NEIGHBOURS:
        nearest = " ".join(signals.nearest[code].split())
        quoted = nearest if len(nearest) <= 60 else nearest[:59] + "…"
        return f"คล้ายข่าวที่หน่วยงานนี้เคยตรวจสอบ: “{quoted}”"
    return f"ข่าวหมวด{signals.category_name} ซึ่งหน่วยงานนี้รับผิดชอบ"


def alternatives(routing: Routing, excluding: Collection[str], fallback: str) -> list[str]:
    """Where a reroute may go, best first: the ranked agencies not excluded, then the AFNC desk."""
    codes = [code for code, _score in routing.ranked if code not in excluding]
    return codes + [fallback] if fallback not in excluding and fallback not in codes else codes
