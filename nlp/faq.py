"""Answer a question from the FAQ: fuzzy matching over each entry's phrasings, weighted towards topic words.

Both sides are cleaned, their many spellings of one thing folded into one token ("อาสาดิจิทัล", "อสด." and
"digital volunteer" are all `อสด`), and tokenised. A phrasing's score is the F1 of the two sides' weighted
token coverage, tokens matching fuzzily (typos): the topic decides more than the question words, and words
the FAQ has never seen (a place, a rumour's details) pull the score down.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex
from pythainlp.tokenize import word_tokenize
from rapidfuzz import fuzz, process

from nlp.normalise import normalise
from nlp.tokenise import stopwords

SYNONYMS: tuple[tuple[regex.Pattern[str], str], ...] = tuple((regex.compile(pattern, regex.IGNORECASE), f" {token} ")
                                                              for pattern, token in (
    (r"อาสา(?:สมัคร)?\s*ดิ[จต]ิ(?:ทัล|ตอล|ตัล)|digital\s*volunteers?|อสด\.?", "อสด"),
    (r"(?:ศูนย์)?ต่อต้านข่าว(?:ปลอม|ลวง)(?:ประเทศไทย)?|anti[\s-]*fake[\s-]*news(?:[\s-]*cent(?:er|re))?(?:\s*thailand)?"
     r"|antifakenewscenter|afnc", "afnc"),
    (r"ข่าว\s*(?:ลวง|ปลอม|มั่ว)|เฟ[คก]\s*นิวส์|fake\s*news", "ข่าวปลอม"),
    (r"thai\s*mooc|thaimooc|ไทย\s*มู[กค]", "thaimooc"),
    (r"ศ[ุู]น(?:ย์|ย)?\s*ดิ[จต]ิ(?:ทัล|ตอล|ตัล|ทอล)?(?:\s*ชุมชน)?|ศูนย์\s*(?:ไอซีที|ict|digital)(?:\s*ชุมชน)?"
     r"|(?:community\s*)?digital\s*cent(?:er|re)s?|community\s*cent(?:er|re)s?|จุดบริการอินเ[ทต]อร์เน็ต", "ศูนย์ดิจิทัล"),
    (r"it\s*man|ไอทีแมน|เจ้าหน้าที่ดิ[จต]ิ(?:ทัล|ตอล)(?:ประจำ|ระดับ)?อำเภอ", "itman"),
    (r"คอร์ส|คอส|หลักส[ูุ][ตด]ร?|courses?", "หลักสูตร"),
    (r"แชทบอท|chatbot|บอท|\bbot\b|ช่วยเช็[กค]|chuaycheck", "บอท"),
    (r"อย่างไร|ยังงัย|ยังไง|ได้ไง|ไง|how\s+(?:do\s+i|to|can\s+i)", "ยังไง"),
    (r"คือ\s*(?:อะไร|ไร|รัย|อาราย|อะรัย)|what\s+is|what's", "คืออะไร"),
    (r"มั้ย|มั๊ย|มัย|ไหม|หรือเปล่า|รึเปล่า", "ไหม"),
    (r"ตรงไหน|ที่ใด|ที่ไหน|ไปไหน|\bwhere\b", "ที่ไหน"),
    (r"เช็ค", "เช็ก"),
    (r"เว็บไซต์|เวป|เว็บ", "เว็บ"),
    (r"เฟซบุ๊ก|เพจ", "เพจ"),
    (r"ไลน์", "ไลน์"),
    (r"เบอร์(?:โทร)?|โทรศัพท์|โทร", "เบอร์"),
    (r"ลงทะเบียน|\b(?:become|join|register|apply)\b", "สมัคร"),
    (r"รายงาน|\breport\b", "แจ้ง"),
))
"""Spellings, abbreviations and common typos of one FAQ topic → one token, so phrasings and questions agree. The
spellings of a word itself ("facebook", "เฟสบุ๊ค", "line", "เว็บไซท์") are already one in `normalise`
(`nlp/spellings.py`)."""
CANONICAL = frozenset(token.strip() for _, token in SYNONYMS)
"""The folded tokens, kept whole through tokenisation."""
TOPIC_WORDS = frozenset({"อสด", "afnc", "ข่าวปลอม", "thaimooc", "ศูนย์ดิจิทัล", "itman", "หลักสูตร", "บอท", "เน็ต",
                         "ประชารัฐ", "ไวไฟ", "เพจ", "สมัคร", "แจ้ง", "เบอร์", "ไลน์", "งาน"})
"""Words that say what a question is about; they outweigh how it is asked."""
PARTICLES = frozenset({"ครับ", "คับ", "ค่ะ", "คะ", "ค้ะ", "จ้า", "จ้ะ", "จ๊ะ", "นะ", "น้า", "ฮะ", "หน่อย", "ด้วย", "ๆ"})
PUNCTUATION = regex.compile(r"^[\p{P}\p{S}\s]+$")
TOPIC_WEIGHT = 2.5
STOPWORD_WEIGHT = 0.4
"""Weights of a topic word and of a Thai stopword (question words among them) against 1 for any other word."""
TOKEN_MATCH = 80
"""rapidfuzz ratio at which two tokens count as one word misspelt (คุณสมบัต / คุณสมบัติ)."""
CONFIDENT = 0.65
MARGIN = 0.10
"""A confident answer scores at least CONFIDENT and beats every other entry by MARGIN (tuned on the dev split)."""
UNSURE = 0.45
"""From here up to a confident answer, the best entries are offered as quick replies; below, nothing is close."""
MAX_CANDIDATES = 3
CACHE_SIZE = 512
"""The classifier and the FAQ handler score the same message one after the other: remember recent ones."""


@dataclass(frozen=True)
class FaqEntryText:
    """What the matcher needs of an FAQ row: plain values, no ORM."""

    code: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class FaqHit:
    code: str
    score: float
    """In [0, 1]."""


@dataclass(frozen=True)
class FaqAnswer:
    best: FaqHit | None
    """Set when one entry is clearly the answer."""
    candidates: tuple[FaqHit, ...]
    """When unsure, the best entries (distinct codes, best first) to offer; empty when nothing is close."""


def fold(cleaned: str) -> str:
    """Already cleaned text (nlp.normalise) with every known spelling of a topic or question word as one token."""
    for pattern, token in SYNONYMS:
        cleaned = pattern.sub(token, cleaned)
    return " ".join(cleaned.split())


def canonical_text(text: str) -> str:
    return fold(normalise(text).text)


def canonical_tokens(text: str) -> tuple[str, ...]:
    """Word tokens of the canonical text; a folded token stays whole (newmm would cut `บอท` or `อสด`)."""
    tokens = (token for chunk in canonical_text(text).split()
              for token in ((chunk,) if chunk in CANONICAL else word_tokenize(chunk, engine="newmm",
                                                                              keep_whitespace=False)))
    return tuple(token for token in tokens if token.strip() and token not in PARTICLES and not PUNCTUATION.match(token))


def _weight(token: str) -> float:
    if token in TOPIC_WORDS:
        return TOPIC_WEIGHT
    return STOPWORD_WEIGHT if token in stopwords() else 1.0


class FaqIndex:
    def __init__(self, entries: Iterable[FaqEntryText]) -> None:
        phrasings = [(entry.code, tokens) for entry in entries for question in entry.questions
                     if (tokens := canonical_tokens(question))]
        self._codes = sorted({code for code, _ in phrasings})
        self._vocabulary = sorted({token for _, tokens in phrasings for token in tokens})
        column = {token: index for index, token in enumerate(self._vocabulary)}
        self._entry_of = np.array([self._codes.index(code) for code, _ in phrasings], dtype=np.intp)
        # Per phrasing, each of its words' weight (a phrasing rarely repeats a word, so presence is enough).
        self._weights = np.zeros((len(phrasings), len(self._vocabulary)), dtype=np.float32)
        for row, (_, tokens) in enumerate(phrasings):
            for token in tokens:
                self._weights[row, column[token]] = _weight(token)
        self._totals = self._weights.sum(axis=1)
        self._scores = lru_cache(maxsize=CACHE_SIZE)(self._score_entries)

    def __len__(self) -> int:
        return len(self._codes)

    def best_score(self, text: str) -> float:
        scores = self._scores(text)
        return scores[0].score if scores else 0.0

    def answer(self, text: str) -> FaqAnswer:
        scores = self._scores(text)
        if not scores or scores[0].score < UNSURE:
            return FaqAnswer(best=None, candidates=())
        runner_up = scores[1].score if len(scores) > 1 else 0.0
        if scores[0].score >= CONFIDENT and scores[0].score - runner_up >= MARGIN:
            return FaqAnswer(best=scores[0], candidates=())
        return FaqAnswer(best=None, candidates=tuple(hit for hit in scores[:MAX_CANDIDATES] if hit.score >= UNSURE))

    def _score_entries(self, text: str) -> tuple[FaqHit, ...]:
        """Every entry with a word in common, by its best phrasing's score, best first."""
        query = canonical_tokens(text)
        if not query or not self._vocabulary:
            return ()
        similarity = process.cdist(query, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TOKEN_MATCH,
                                   dtype=np.float32) / 100
        shared = np.flatnonzero(similarity.max(axis=0))
        if not shared.size:
            return ()
        similarity, weights = similarity[:, shared], self._weights[:, shared]
        query_weights = np.array([_weight(token) for token in query], dtype=np.float32)
        # How much of the question each phrasing covers, and how much of each phrasing the question covers.
        found = (similarity[None, :, :] * (weights[:, None, :] > 0)).max(axis=2)
        covered = found @ query_weights / query_weights.sum()
        recalled = weights @ similarity.max(axis=0) / self._totals
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.nan_to_num(2 * covered * recalled / (covered + recalled))
        best = np.zeros(len(self._codes), dtype=np.float32)
        np.maximum.at(best, self._entry_of, f1)
        order = np.argsort(-best, kind="stable")
        return tuple(FaqHit(self._codes[entry], round(float(best[entry]), 4)) for entry in order if best[entry] > 0)
