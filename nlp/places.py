"""Find the Thai place a citizen names in free text ("ศูนย์ดิจิทัล อ.เมือง พิษณุโลก"): a province, district or
subdistrict of the geothai gazetteer.

Thai has no spaces, so names are looked up as runs of consecutive pythainlp word tokens: a name must start and
end on a word boundary, which keeps "นาคา" out of "ธนาคาร". A level marker (จ. อ. ต. เขต แขวง …) says which
level the following name is, and beats an unprefixed reading. Names of four letters or more also match with
tone marks left out and, failing that, within one or two edits (rapidfuzz, over the few names a bigram
prefilter lets through). Names that are everyday words (ใหม่, ตลาด, เลย) and two- and three-letter subdistricts
are read only after a marker, or, for the everyday words, when another mention agrees with them. Several
mentions combine ("ต.โพธิ์ตาก อ.เมืองนครพนม") into the most specific place consistent with all of them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import geothai
import numpy as np
import numpy.typing as npt
import regex
from pythainlp.corpus import thai_orst_words, thai_stopwords, thai_words
from pythainlp.corpus.tnc import word_freqs
from pythainlp.tokenize import word_tokenize
from pythainlp.tokenize.tcc import tcc_pos
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from scipy import sparse

from nlp.normalise import clean


class Level(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"


BANGKOK_CODE = "10"
MARKERS: dict[str, Level] = {
    "จ.": Level.PROVINCE, "จังหวัด": Level.PROVINCE,
    "อ.": Level.DISTRICT, "อำเภอ": Level.DISTRICT, "กิ่งอำเภอ": Level.DISTRICT, "เขต": Level.DISTRICT,
    "ต.": Level.SUBDISTRICT, "ตำบล": Level.SUBDISTRICT, "แขวง": Level.SUBDISTRICT,
}
"""Level markers as pythainlp's newmm tokenises them (it keeps the dot of "จ." with the letter)."""
BANGKOK_MARKERS = frozenset({"เขต", "แขวง"})
"""Bangkok's words for district and tambon: "เขตจอมทอง" is Bangkok's, not อ.จอมทอง of เชียงใหม่."""
ALIASES: dict[str, str] = {
    "กทม": BANGKOK_CODE, "กรุงเทพ": BANGKOK_CODE, "กรุงเทพฯ": BANGKOK_CODE, "bangkok": BANGKOK_CODE, "bkk": BANGKOK_CODE,
    "โคราช": "30", "อยุธยา": "14", "อุบล": "34", "อุดร": "41", "สุราษฎร์": "84", "นครศรี": "80",
    "ประจวบ": "77", "แปดริ้ว": "24",
}
"""Names people use for a province instead of its own; unprefixed they beat a subdistrict of the same name
(ต.โคราช is in อ.สูงเนิน)."""
CAPITAL = "เมือง"
""""อ.เมือง" is the capital district (code XX01) of whichever province the text also names; Bangkok has none."""
SHORT_NAME = 4
"""Names shorter than this (ปง, ยาง, และ) are matched exactly, and an unprefixed one only as a province or
district: a two- or three-letter subdistrict is a syllable of too many words."""
EVERYDAY_WORD_FREQUENCY = {Level.PROVINCE: 1000, Level.DISTRICT: 250}
"""A province or district name in the Royal Institute dictionary this often in the Thai National Corpus is an
everyday word first (สังคม, ชนบท, คง; of provinces only เลย, ตาก, แพร่). So is a tambon name that is one word of
pythainlp's dictionary (ใหม่, ตลาด, น้ำร้อน, ท้องฟ้า, and a few well-known tambons such as ลุมพินี). Unprefixed,
such a name only narrows another mention ("ตลาด มหาสารคาม")."""
UNPREFIXED_FUZZY_LENGTH = 5
"""Unprefixed names shorter than this match only with their exact letters (tone marks aside): one edit away
from a four-letter name is too often another word (นาที for นาดี)."""
PLACE_CUES = frozenset({"ที่", "ใน", "ใกล้", "แถว", "แถวๆ", "ย่าน", "บริเวณ", "ละแวก", "ไป", "มี", "ไหม", "มั้ย",
                        "มีไหม", "บ้าง", "หน่อย", "ค่ะ", "คะ", "ครับ", "คับ", "นะ", "จ้า", "จ้ะ"})
"""Words that stand around a place name in a question ("ศูนย์แถวหนองคาบมีไหมคะ")."""
MAX_SPAN_TOKENS = 7
"""The most newmm tokens one name spans ("ป้อม|ปราบ|ศัตรู|พ่าย" is 4), with room for a typo's fragments."""
MAX_PLACES = 8
TONE_MARKS = regex.compile("[\u0e47-\u0e4c]")
"""Mai taikhu, the four tone marks and thanthakhat: the marks people leave out ("โพธิตาก")."""
NAME_MARKS = regex.compile(r"[\s.'\-]")
"""What geothai's own normalisation ignores in a name: spaces, dots, apostrophes, hyphens."""
SHORT_MARKER = regex.compile(r"(?<![\p{Thai}.])[จอต]\.(?!\p{Thai}\.)")
""""ต.คลองตำหรุ": split off before newmm, which reads "ต.ค" (ต.ค., October) as one word; but not inside a
dotted abbreviation (ก.ล.ต., ต.ค.)."""
WORD = regex.compile(r"[\p{Thai}a-z]+")
JOINER = regex.compile(r"[-']+")
"""Inside a name ("สุไหงโก-ลก"), these do not end it."""
FOREIGN = regex.compile(r"[^\p{Thai}]")


class Weight:
    """How much one mention supports a reading; a reading needs at least one STRONG supporter."""
    EVERYDAY = 1
    FUZZY = 2
    EXACT = 3
    PREFIXED = 4
    STRONG = FUZZY


@dataclass(frozen=True)
class Place:
    level: Level
    code: str
    """geothai code: 2 digits for a province, 4 for a district, 6 for a subdistrict."""
    name: str
    """Thai name without a level prefix, e.g. "โพธิ์ตาก", "บางเขน" (geothai writes Bangkok's "เขตบางเขน")."""
    province_code: str
    district_code: str | None
    """None for a province."""

    def label(self) -> str:
        """Thai, most specific first: "ต.โพธิ์ตาก อ.โพธิ์ตาก จ.หนองคาย", "แขวงอนุสาวรีย์ เขตบางเขน กรุงเทพฯ"."""
        bangkok = self.province_code == BANGKOK_CODE
        parts = []
        if self.level is Level.SUBDISTRICT:
            parts.append(("แขวง" if bangkok else "ต.") + self.name)
        if self.district_code is not None:
            district = geothai.district(self.district_code)
            parts.append(("เขต" if bangkok else "อ.") + _bare_name(district.name_th if district else self.name))
        province = geothai.province(self.province_code)
        parts.append("กรุงเทพฯ" if bangkok else "จ." + (province.name_th if province else self.name))
        return " ".join(parts)


@dataclass(frozen=True)
class PlaceQuery:
    places: tuple[Place, ...]
    """The best readings, best first; empty when the text names no place, several when it is ambiguous."""

    @property
    def ambiguous(self) -> bool:
        return len(self.places) > 1


@dataclass(frozen=True)
class _Token:
    text: str
    after_space: bool
    barrier: bool
    """Punctuation or a marker: a name never runs across it."""


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    """Token range [start, end), the marker included."""
    letters: int
    """Letters of the name as written."""
    candidates: dict[Place, int]
    """Each place the mention may name, with its Weight."""
    distance: int
    """Edits from the written name to the candidates' names."""
    prefixed: bool

    @property
    def rank(self) -> tuple[int, int, int, int]:
        """Of overlapping readings, the better first: a marker's, then a name's over an everyday word's, then the
        one that explains more letters, an edit costing two ("พระนครศรีอยุทยา" is the province, not เขตพระนคร)."""
        strength = 0 if max(self.candidates.values()) < Weight.STRONG else 2 if self.prefixed else 1
        return strength, self.letters - 2 * self.distance, -self.distance, -self.start


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    key: str
    """Letters of the tokens start..end-1, without spaces and NAME_MARKS."""
    crosses_space: bool


@dataclass(frozen=True)
class _NearIndex:
    """Name skeletons, with a bigram prefilter in front of rapidfuzz's edit distance."""
    keys: list[str]
    bigrams: dict[str, int]
    matrix: sparse.csr_matrix
    """rows = keys, columns = bigrams, 1 where the key has the bigram."""
    floor: npt.NDArray[np.int64]
    """An edit removes at most two of a name's bigrams, so a name within reach keeps at least this many."""

    @classmethod
    def build(cls, keys: Iterable[str]) -> _NearIndex:
        ordered = sorted(keys)
        bigrams: dict[str, int] = {}
        rows, columns = [], []
        for row, key in enumerate(ordered):
            for gram in set(_bigrams(key)):
                rows.append(row)
                columns.append(bigrams.setdefault(gram, len(bigrams)))
        matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns)),
                                   shape=(len(ordered), len(bigrams)))
        floor = np.asarray(matrix.sum(axis=1)).ravel() - 2 * np.array([_budget(len(key)) for key in ordered])
        return cls(ordered, bigrams, matrix, floor)

    def near(self, written: list[str]) -> list[list[str]]:
        """For each written span, the name skeletons within two edits of its own skeleton."""
        queries = [skeleton(text) for text in written]
        columns = {self.bigrams[gram] for query in queries for gram in _bigrams(query) if gram in self.bigrams}
        if not columns:
            return [[] for _query in queries]
        present = np.zeros(len(self.bigrams), dtype=np.int32)
        present[list(columns)] = 1
        rows = np.flatnonzero(self.matrix @ present >= self.floor)
        distances = process.cdist(queries, [self.keys[row] for row in rows], scorer=Levenshtein.distance,
                                  score_cutoff=2, dtype=np.int32, workers=1)
        return [[self.keys[rows[column]] for column in np.flatnonzero(found <= 2)] for found in distances]


class Gazetteer:
    """Every current province, district and subdistrict, indexed by name. Build once: `load_gazetteer()`."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._places = {place.code: place for place in places}
        self._by_name: dict[str, list[Place]] = {}
        self._by_skeleton: dict[str, list[tuple[str, Place]]] = {}
        self._aliases = {key: self._places[code] for key, code in ALIASES.items()}
        self._capitals = tuple(place for place in self._places.values()
                               if place.level is Level.DISTRICT and place.code.endswith("01")
                               and place.province_code != BANGKOK_CODE)
        keys = {name: name_key(name) for name in {place.name for place in self._places.values()}}
        for place in self._places.values():
            self._by_name.setdefault(keys[place.name], []).append(place)
        for place in self._capitals:
            province = self._places[place.province_code]
            for spelling in (province.name, *(key for key, code in ALIASES.items() if code == province.code)):
                self._by_name.setdefault(name_key(CAPITAL + spelling), []).append(place)
        for province in self.provinces():
            english = geothai.province(province.code)
            if english and len(key := name_key(english.name_en)) > SHORT_NAME:
                self._aliases.setdefault(key, province)
        for key, found in self._by_name.items():
            if len(key) >= SHORT_NAME:
                self._by_skeleton.setdefault(skeleton(key), []).extend((key, place) for place in found)
        self._longest = max(len(key) for key in self._by_name)
        self._dictionary = thai_words()
        self._everyday = _everyday_places(self._by_name, self._dictionary)
        self._cues = thai_stopwords() | PLACE_CUES
        self._near_any = _NearIndex.build(self._by_skeleton)
        self._near_upper = _NearIndex.build(
            key for key, pairs in self._by_skeleton.items()
            if any(place.level is not Level.SUBDISTRICT and len(name) >= UNPREFIXED_FUZZY_LENGTH
                   for name, place in pairs))

    @classmethod
    def build(cls) -> Gazetteer:
        places = []
        for province in geothai.provinces():
            places.append(Place(Level.PROVINCE, province.code, province.name_th, province.code, None))
            for district in geothai.districts(province.code):
                places.append(Place(Level.DISTRICT, district.code, _bare_name(district.name_th), province.code,
                                    district.code))
                places.extend(Place(Level.SUBDISTRICT, sub.code, sub.name_th, province.code, district.code)
                              for sub in geothai.subdistricts(district.code))
        return cls(places)

    def place(self, code: str) -> Place | None:
        return self._places.get(code)

    def label_of(self, *codes: str | None, default: str = "") -> str:
        """The Thai label of the first code given (pass the most specific first), else `default`."""
        code = next((code for code in codes if code), None)
        place = self.place(code) if code else None
        return place.label() if place else default

    def provinces(self) -> list[Place]:
        return [place for place in self._places.values() if place.level is Level.PROVINCE]

    def districts(self, province_code: str) -> list[Place]:
        return [place for place in self._places.values()
                if place.level is Level.DISTRICT and place.province_code == province_code]

    def resolve(self, text: str) -> PlaceQuery:
        tokens = self._split_after_markers(_tokens(clean(text)))
        mentions = self._exact_mentions(tokens) + self._fuzzy_mentions(tokens)
        chosen: list[_Mention] = []
        taken: set[int] = set()
        # A reading with a stray fragment glued to it ("เพ|ชลบุรี", "ต.โพน|สู|ม") yields to one that explains it.
        for mention in sorted(mentions, key=lambda m: (not self._glued(tokens, m), *m.rank), reverse=True):
            if taken.isdisjoint(range(mention.start, mention.end)):
                chosen.append(mention)
                taken.update(range(mention.start, mention.end))
        return PlaceQuery(places=_combine(chosen))

    def _split_after_markers(self, tokens: list[_Token]) -> list[_Token]:
        """Where the longest name after a marker ends inside a token, split it there: in "อำเภอแม่สายไหม" newmm
        reads "แม่|สายไหม" (a Bangkok khet), hiding อ.แม่สาย."""
        for index in reversed(range(len(tokens) - 1)):
            if tokens[index].text not in MARKERS:
                continue
            ends: list[int] = []
            text = ""
            for token in tokens[index + 1:index + 1 + MAX_SPAN_TOKENS]:
                if token.barrier or (ends and token.after_space):
                    break
                text += token.text
                ends.append(len(text))
            boundaries = tcc_pos(text)
            length = next((length for length in range(min(len(text), self._longest), 0, -1)
                           if length in boundaries and self._is_name(text[:length])), 0)
            if length and length not in ends:
                at = index + 1 + next(position for position, end in enumerate(ends) if end > length)
                token, cut = tokens[at], length - (ends[at - index - 1] - len(tokens[at].text))
                tokens[at:at + 1] = [_Token(token.text[:cut], token.after_space, False),
                                     _Token(token.text[cut:], False, token.barrier)]
        return tokens

    def _is_name(self, key: str) -> bool:
        return key in self._by_name or key in self._aliases or key == CAPITAL

    def _exact_mentions(self, tokens: list[_Token]) -> list[_Mention]:
        mentions = []
        for start, token in enumerate(tokens):
            marker = token.text if token.text in MARKERS else None
            for span in _spans(tokens, start + 1 if marker else start):
                if marker:
                    if found := self._prefixed(span.key, marker):
                        mentions.append(_Mention(start, span.end, len(span.key), found, 0,
                                                 prefixed=Weight.PREFIXED in found.values()))
                elif found := self._unprefixed(span.key):
                    mentions.append(_Mention(span.start, span.end, len(span.key), found, 0, prefixed=False))
        return mentions

    def _prefixed(self, key: str, marker: str) -> dict[Place, int]:
        level = MARKERS[marker]
        if level is Level.PROVINCE and key in self._aliases:
            return {self._aliases[key]: Weight.PREFIXED}
        if level is Level.DISTRICT and key == CAPITAL and marker not in BANGKOK_MARKERS:  # "ในเขตเมือง": downtown
            return dict.fromkeys(self._capitals, Weight.PREFIXED)
        named = _fitting(self._by_name.get(key, []), marker)
        if not named and len(key) >= SHORT_NAME:
            pairs = self._by_skeleton.get(skeleton(key), [])
            named = _closest(key, [(name, place) for name, place in pairs if place in _fitting([place], marker)])
        # "อ.บ้านกร่าง" (a tambon): the marker is wrong, the name may still be right.
        return dict.fromkeys(named, Weight.PREFIXED) if named else self._unprefixed(key)

    def _unprefixed(self, key: str) -> dict[Place, int]:
        if key in self._aliases:
            return {self._aliases[key]: Weight.EXACT}
        named = self._by_name.get(key) or (
            _closest(key, [pair for pair in self._by_skeleton.get(skeleton(key), []) if _drops_marks(key, pair[0])])
            if len(key) >= SHORT_NAME else [])
        if len(key) < SHORT_NAME:
            named = [place for place in named if place.level is not Level.SUBDISTRICT]
        return {place: Weight.EVERYDAY if place in self._everyday else Weight.EXACT for place in named}

    def _fuzzy_mentions(self, tokens: list[_Token]) -> list[_Mention]:
        """Spans no name matches exactly, against the names one or two edits away. Unprefixed, only provinces and
        districts: most of the 7,400 subdistricts are compounds of everyday words (บ้าน…, นา…, หนอง…), so a near
        miss to one of them is mostly chance."""
        prefixed: list[tuple[_Span, str]] = []
        unprefixed: list[_Span] = []
        for start, token in enumerate(tokens):
            marker = token.text if token.text in MARKERS else None
            for span in _spans(tokens, start + 1 if marker else start):
                if span.crosses_space or FOREIGN.search(span.key) or len(span.key) < SHORT_NAME:
                    continue
                # One real word is no misspelt name, unless a marker says it is one ("อ.สามเมา", สามเงา); เขต and
                # แขวง do not, being words too ("แขวงทางหลวง", a highways office).
                one_word = span.end - span.start == 1 and span.key in self._dictionary
                if marker and (not one_word or marker not in BANGKOK_MARKERS):
                    prefixed.append((span, marker))
                elif not marker and not one_word and span.key not in self._by_name and \
                        span.key not in self._aliases and self._may_be_misspelt(tokens, span):
                    unprefixed.append(span)
        mentions = [self._fuzzy_mention(tokens, span, marker, near) for (span, marker), near
                    in zip(prefixed, self._near_any.near([span.key for span, _marker in prefixed]))]
        mentions += [self._fuzzy_mention(tokens, span, None, near)
                     for span, near in zip(unprefixed, self._near_upper.near([span.key for span in unprefixed]))]
        return [mention for mention in mentions if mention is not None]

    def _fuzzy_mention(self, tokens: list[_Token], span: _Span, marker: str | None,
                       near: list[str]) -> _Mention | None:
        """The places whose names are fewest edits from the span, if within their budget."""
        written = tokens[span.start:span.end]
        # Two edits in a run of real words is more likely other words than a misspelt name.
        words_only = all(token.text in self._dictionary for token in written)
        pairs = [pair for key in near for pair in self._by_skeleton[key]]
        if marker:
            fitting = set(_fitting([place for _name, place in pairs], marker))
            pairs = [(name, place) for name, place in pairs if place in fitting
                     and (len(written) > 1 or written[0].text not in self._dictionary
                          or len(name) >= UNPREFIXED_FUZZY_LENGTH)]
        else:
            pairs = [(name, place) for name, place in pairs if place.level is not Level.SUBDISTRICT
                     and len(name) >= UNPREFIXED_FUZZY_LENGTH and _keeps_edge_words(written, name, self._cues)]
        found = [(distance, name, place) for name, place in pairs
                 if 0 < (distance := _edits(span.key, name)) <= _budget(len(skeleton(name)))
                 and not (distance > 1 and words_only)]
        if not found:
            return None
        nearest = min(distance for distance, _name, _place in found)
        closest = _closest(span.key, [(name, place) for distance, name, place in found if distance == nearest])
        # Letters of a word like ไหม at the edge ("ปาย|ไหม", สายไหม) explain nothing: the word was already there.
        edges = {id(token): len(token.text) for token in (written[0], written[-1]) if token.text in PLACE_CUES}
        return _Mention(span.start - 1 if marker else span.start, span.end, len(span.key) - sum(edges.values()), {
            place: Weight.FUZZY + 1 if marker else Weight.EVERYDAY if place in self._everyday else Weight.FUZZY
            for place in closest}, nearest, prefixed=marker is not None)

    def _may_be_misspelt(self, tokens: list[_Token], span: _Span) -> bool:
        """Real words one edit from a name ("บ้านได้", บ้านไผ่) are mostly just words, unless they stand apart as
        a name does ("ศูนย์ดิจิ หนองคาบ")."""
        written = tokens[span.start:span.end]
        return not all(token.text in self._dictionary for token in written) or self._stands_apart(tokens, span)

    def _stands_apart(self, tokens: list[_Token], span: _Span) -> bool:
        """Whether the span is set off from its neighbours by spaces, punctuation or words such as แถว, ที่, คะ."""
        before = tokens[span.start - 1] if span.start else None
        after = tokens[span.end] if span.end < len(tokens) else None
        return (before is None or tokens[span.start].after_space or before.barrier or before.text in PLACE_CUES) \
            and (after is None or after.after_space or after.barrier or after.text in PLACE_CUES)

    def _glued(self, tokens: list[_Token], mention: _Mention) -> bool:
        """Whether a fragment that is no word (a typo's leftover: "ค", "สู", "เพ") touches the mention."""
        neighbours = [tokens[mention.start - 1]] if mention.start and not tokens[mention.start].after_space else []
        if mention.end < len(tokens) and not tokens[mention.end].after_space:
            neighbours.append(tokens[mention.end])
        return any(not token.barrier and token.text not in self._cues and FOREIGN.search(token.text) is None
                   and (token.text not in self._dictionary or len(token.text) <= 2) for token in neighbours)


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of this process, built on first use (about half a second)."""
    return Gazetteer.build()


def name_key(text: str) -> str:
    """One spelling per name: cleaned like a message, without spaces, dots, apostrophes and hyphens."""
    return str(NAME_MARKS.sub("", clean(text)))


def skeleton(key: str) -> str:
    return str(TONE_MARKS.sub("", key))


def _budget(length: int) -> int:
    """Edits tolerated in a name of this many letters (tone marks not counted)."""
    return 0 if length < SHORT_NAME else 1 if length < 8 else 2


def _closest(key: str, pairs: list[tuple[str, Place]]) -> list[Place]:
    """Of names equally near `key` without tone marks, those nearest with them ("หนองคาบ": หนองคาย, not หนองค่าย)."""
    if not pairs:
        return []
    distances = [Levenshtein.distance(key, name) for name, _place in pairs]
    return [place for (_name, place), distance in zip(pairs, distances) if distance == min(distances)]


def _fitting(places: list[Place], marker: str) -> list[Place]:
    """The places a marker may introduce: those of its level, and for เขต and แขวง Bangkok's if there are any."""
    level = [place for place in places if place.level is MARKERS[marker]]
    if marker in BANGKOK_MARKERS:
        return [place for place in level if place.province_code == BANGKOK_CODE] or level
    return level


def _keeps_edge_words(written: list[_Token], name: str, cues: frozenset[str]) -> bool:
    """A typo is not where a stopword stands at the edge of the span: "มาใหม่" is not ท่าใหม่, nor "บ้านได้"
    บ้านไผ่; but "เชียมราย" may be เชียงราย."""
    first, last = written[0].text, written[-1].text
    return (first not in cues or name.startswith(first)) and (last not in cues or name.endswith(last))


def _edits(written: str, name: str) -> int:
    """Levenshtein distance, not counting tone marks the writer left out ("โพธิตาก" is 0 from โพธิ์ตาก), but
    counting marks written wrong ("ห้างดัง" is 2 from หางดง)."""
    left_out = len(TONE_MARKS.findall(name)) - len(TONE_MARKS.findall(written))
    return Levenshtein.distance(written, name) - max(left_out, 0)


def _drops_marks(written: str, name: str) -> bool:
    """Whether `written` is `name` with some tone marks left out: "โพธิตาก" for โพธิ์ตาก, but not "แก๊ง" (gang) for
    แก้ง nor "พันล้าน" for พันลาน, where the marks were written, and differ."""
    letters = iter(written)
    expected = next(letters, None)
    for character in name:
        if character == expected:
            expected = next(letters, None)
        elif not TONE_MARKS.match(character):
            return False
    return expected is None


def _bare_name(name: str) -> str:
    return name.removeprefix("เขต")


def _bigrams(text: str) -> list[str]:
    return [text[index:index + 2] for index in range(len(text) - 1)]


def _everyday_places(names: dict[str, list[Place]], words: frozenset[str]) -> frozenset[Place]:
    """Places whose name is an everyday word first (see EVERYDAY_WORD_FREQUENCY)."""
    dictionary = thai_orst_words()
    frequent = {place for word, count in word_freqs() if word in dictionary for place in names.get(word, ())
                if place.level is not Level.SUBDISTRICT and count >= EVERYDAY_WORD_FREQUENCY[place.level]}
    return frozenset(frequent | {place for word in names.keys() & words for place in names[word]
                                 if place.level is Level.SUBDISTRICT})


def _tokens(text: str) -> list[_Token]:
    tokens = []
    after_space = False
    for piece in _pieces(text):
        if piece.isspace():
            after_space = True
            continue
        barrier = piece in MARKERS or not (WORD.search(piece) or JOINER.fullmatch(piece))
        tokens.append(_Token(piece, after_space, barrier))
        after_space = False
    return tokens


def _pieces(text: str) -> Iterator[str]:
    position = 0
    for marker in SHORT_MARKER.finditer(text):
        yield from word_tokenize(text[position:marker.start()], engine="newmm", keep_whitespace=True)
        yield marker.group()
        position = marker.end()
    yield from word_tokenize(text[position:], engine="newmm", keep_whitespace=True)


def _spans(tokens: list[_Token], start: int) -> Iterator[_Span]:
    """Runs of tokens from `start` that a name could fill, shortest first."""
    key = ""
    crosses_space = False
    for end in range(start, min(start + MAX_SPAN_TOKENS, len(tokens))):
        token = tokens[end]
        if token.barrier:
            return
        crosses_space = crosses_space or (end > start and token.after_space)
        key += NAME_MARKS.sub("", token.text)
        yield _Span(start, end + 1, key, crosses_space)


def _combine(mentions: list[_Mention]) -> tuple[Place, ...]:
    """The places consistent with the most mentions (weighed): with several mentions, the most specific such place,
    as a tambon inherits the support of its district and province ("ต.โพธิ์ตาก อ.เมืองนครพนม"). Of readings that
    nest and are supported alike, the outer one, which holds the other: "มุกดาหาร" is the province, not also its
    tambon; "โพธิ์ตาก" is อ.โพธิ์ตาก (holding its ต.โพธิ์ตาก) or ต.โพธิ์ตาก of นครพนม."""
    best: list[Place] = []
    best_support = 0
    for place in {place for mention in mentions for place in mention.candidates}:
        support, strong = 0, False
        for mention in mentions:
            weight = max((weight for candidate, weight in mention.candidates.items()
                          if place.code.startswith(candidate.code)), default=0)
            support += weight
            strong = strong or weight >= Weight.STRONG
        if not strong or support < best_support:
            continue
        if support > best_support:
            best, best_support = [], support
        best.append(place)
    best = [place for place in best
            if not any(other.code != place.code and place.code.startswith(other.code) for other in best)]
    best.sort(key=lambda place: (len(place.code), place.code))
    return tuple(best[:MAX_PLACES])
