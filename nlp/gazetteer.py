"""The geothai gazetteer: every current province, district and subdistrict, by code and by name, with the tables
nlp.places reads place mentions against (names without tone marks, a near-name index, aliases, everyday words).

Built once per process from the geothai package (about half a second): `nlp.places.load_gazetteer()`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

import geothai
import numpy as np
import numpy.typing as npt
import regex
from pythainlp.corpus import thai_orst_words, thai_words
from pythainlp.corpus.tnc import word_freqs
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from scipy import sparse

from nlp.normalise import clean


class Level(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"


BANGKOK_CODE = "10"
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
TONE_MARKS = regex.compile("[\u0e47-\u0e4c]")
"""Mai taikhu, the four tone marks and thanthakhat: the marks people leave out ("โพธิตาก")."""
NAME_MARKS = regex.compile(r"[\s.'\-]")
"""What geothai's own normalisation ignores in a name: spaces, dots, apostrophes, hyphens."""


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
        floor = np.asarray(matrix.sum(axis=1)).ravel() - 2 * np.array([edit_budget(len(key)) for key in ordered])
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
    """Every current province, district and subdistrict, by code and by name. Build once: `load_gazetteer()`."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._places = {place.code: place for place in places}
        # The tables nlp.places reads text against.
        self.by_name: dict[str, list[Place]] = {}
        """name_key → the places of that name (and "เมือง" + a province's name → its capital district)."""
        self.by_skeleton: dict[str, list[tuple[str, Place]]] = {}
        """A name of SHORT_NAME letters or more without its tone marks → (name, place)."""
        self.aliases = {key: self._places[code] for key, code in ALIASES.items()}
        """ALIASES and provinces' English names → the province."""
        self.capitals = tuple(place for place in self._places.values()
                              if place.level is Level.DISTRICT and place.code.endswith("01")
                              and place.province_code != BANGKOK_CODE)
        keys = {name: name_key(name) for name in {place.name for place in self._places.values()}}
        for place in self._places.values():
            self.by_name.setdefault(keys[place.name], []).append(place)
        for place in self.capitals:
            province = self._places[place.province_code]
            for spelling in (province.name, *(key for key, code in ALIASES.items() if code == province.code)):
                self.by_name.setdefault(name_key(CAPITAL + spelling), []).append(place)
        for province in self.provinces():
            english = geothai.province(province.code)
            if english and len(key := name_key(english.name_en)) > SHORT_NAME:
                self.aliases.setdefault(key, province)
        for key, found in self.by_name.items():
            if len(key) >= SHORT_NAME:
                self.by_skeleton.setdefault(skeleton(key), []).extend((key, place) for place in found)
        self.longest = max(len(key) for key in self.by_name)
        self.dictionary = thai_words()
        self.everyday = _everyday_places(self.by_name, self.dictionary)
        self.near_any = _NearIndex.build(self.by_skeleton)
        self.near_upper = _NearIndex.build(
            key for key, pairs in self.by_skeleton.items()
            if any(place.level is not Level.SUBDISTRICT and len(name) >= UNPREFIXED_FUZZY_LENGTH
                   for name, place in pairs))

    @classmethod
    def build(cls) -> Self:
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


def name_key(text: str) -> str:
    """One spelling per name: cleaned like a message, without spaces, dots, apostrophes and hyphens."""
    return str(NAME_MARKS.sub("", clean(text)))


def skeleton(key: str) -> str:
    return str(TONE_MARKS.sub("", key))


def edit_budget(length: int) -> int:
    """Edits tolerated in a name of this many letters (tone marks not counted)."""
    return 0 if length < SHORT_NAME else 1 if length < 8 else 2


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


