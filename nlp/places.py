"""Find the Thai place a citizen names in free text ("ศูนย์ดิจิทัล อ.เมือง พิษณุโลก"): a province, district or
subdistrict of the geothai gazetteer (nlp.gazetteer).

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
from functools import cache

import regex
from pythainlp.corpus import thai_stopwords
from pythainlp.tokenize import word_tokenize
from pythainlp.tokenize.tcc import tcc_pos
from rapidfuzz.distance import Levenshtein

from nlp.gazetteer import (
    BANGKOK_CODE,
    CAPITAL,
    NAME_MARKS,
    SHORT_NAME,
    TONE_MARKS,
    UNPREFIXED_FUZZY_LENGTH,
    Gazetteer,
    Level,
    Place,
    edit_budget,
    skeleton,
)
from nlp.normalise import clean

MARKERS: dict[str, Level] = {
    "จ.": Level.PROVINCE, "จังหวัด": Level.PROVINCE,
    "อ.": Level.DISTRICT, "อำเภอ": Level.DISTRICT, "กิ่งอำเภอ": Level.DISTRICT, "เขต": Level.DISTRICT,
    "ต.": Level.SUBDISTRICT, "ตำบล": Level.SUBDISTRICT, "แขวง": Level.SUBDISTRICT,
}
"""Level markers as pythainlp's newmm tokenises them (it keeps the dot of "จ." with the letter)."""
BANGKOK_MARKERS = frozenset({"เขต", "แขวง"})
"""Bangkok's words for district and tambon: "เขตจอมทอง" is Bangkok's, not อ.จอมทอง of เชียงใหม่."""
PLACE_CUES = frozenset({"ที่", "ใน", "ใกล้", "แถว", "แถวๆ", "ย่าน", "บริเวณ", "ละแวก", "ไป", "มี", "ไหม", "มั้ย",
                        "มีไหม", "บ้าง", "หน่อย", "ค่ะ", "คะ", "ครับ", "คับ", "นะ", "จ้า", "จ้ะ"})
"""Words that stand around a place name in a question ("ศูนย์แถวหนองคาบมีไหมคะ")."""
MAX_SPAN_TOKENS = 7
"""The most newmm tokens one name spans ("ป้อม|ปราบ|ศัตรู|พ่าย" is 4), with room for a typo's fragments."""
MAX_PLACES = 8
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


class PlaceReader(Gazetteer):
    """The gazetteer, reading the place mentions of a text against its names."""

    def __init__(self, places: Iterable[Place]) -> None:
        super().__init__(places)
        self._cues = thai_stopwords() | PLACE_CUES

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
            length = next((length for length in range(min(len(text), self.longest), 0, -1)
                           if length in boundaries and self._is_name(text[:length])), 0)
            if length and length not in ends:
                at = index + 1 + next(position for position, end in enumerate(ends) if end > length)
                token, cut = tokens[at], length - (ends[at - index - 1] - len(tokens[at].text))
                tokens[at:at + 1] = [_Token(token.text[:cut], token.after_space, False),
                                     _Token(token.text[cut:], False, token.barrier)]
        return tokens

    def _is_name(self, key: str) -> bool:
        return key in self.by_name or key in self.aliases or key == CAPITAL

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
        if level is Level.PROVINCE and key in self.aliases:
            return {self.aliases[key]: Weight.PREFIXED}
        if level is Level.DISTRICT and key == CAPITAL and marker not in BANGKOK_MARKERS:  # "ในเขตเมือง": downtown
            return dict.fromkeys(self.capitals, Weight.PREFIXED)
        named = _fitting(self.by_name.get(key, []), marker)
        if not named and len(key) >= SHORT_NAME:
            pairs = self.by_skeleton.get(skeleton(key), [])
            named = _closest(key, [(name, place) for name, place in pairs if place in _fitting([place], marker)])
        # "อ.บ้านกร่าง" (a tambon): the marker is wrong, the name may still be right.
        return dict.fromkeys(named, Weight.PREFIXED) if named else self._unprefixed(key)

    def _unprefixed(self, key: str) -> dict[Place, int]:
        if key in self.aliases:
            return {self.aliases[key]: Weight.EXACT}
        named = self.by_name.get(key) or (
            _closest(key, [pair for pair in self.by_skeleton.get(skeleton(key), []) if _drops_marks(key, pair[0])])
            if len(key) >= SHORT_NAME else [])
        if len(key) < SHORT_NAME:
            named = [place for place in named if place.level is not Level.SUBDISTRICT]
        return {place: Weight.EVERYDAY if place in self.everyday else Weight.EXACT for place in named}

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
                one_word = span.end - span.start == 1 and span.key in self.dictionary
                if marker and (not one_word or marker not in BANGKOK_MARKERS):
                    prefixed.append((span, marker))
                elif not marker and not one_word and span.key not in self.by_name and \
                        span.key not in self.aliases and self._may_be_misspelt(tokens, span):
                    unprefixed.append(span)
        mentions = [self._fuzzy_mention(tokens, span, marker, near) for (span, marker), near
                    in zip(prefixed, self.near_any.near([span.key for span, _marker in prefixed]))]
        mentions += [self._fuzzy_mention(tokens, span, None, near)
                     for span, near in zip(unprefixed, self.near_upper.near([span.key for span in unprefixed]))]
        return [mention for mention in mentions if mention is not None]

    def _fuzzy_mention(self, tokens: list[_Token], span: _Span, marker: str | None,
                       near: list[str]) -> _Mention | None:
        """The places whose names are fewest edits from the span, if within their budget."""
        written = tokens[span.start:span.end]
        # Two edits in a run of real words is more likely other words than a misspelt name.
        words_only = all(token.text in self.dictionary for token in written)
        pairs = [pair for key in near for pair in self.by_skeleton[key]]
        if marker:
            fitting = set(_fitting([place for _name, place in pairs], marker))
            pairs = [(name, place) for name, place in pairs if place in fitting
                     and (len(written) > 1 or written[0].text not in self.dictionary
                          or len(name) >= UNPREFIXED_FUZZY_LENGTH)]
        else:
            pairs = [(name, place) for name, place in pairs if place.level is not Level.SUBDISTRICT
                     and len(name) >= UNPREFIXED_FUZZY_LENGTH and _keeps_edge_words(written, name, self._cues)]
        found = [(distance, name, place) for name, place in pairs
                 if 0 < (distance := _edits(span.key, name)) <= edit_budget(len(skeleton(name)))
                 and not (distance > 1 and words_only)]
        if not found:
            return None
        nearest = min(distance for distance, _name, _place in found)
        closest = _closest(span.key, [(name, place) for distance, name, place in found if distance == nearest])
        # Letters of a word like ไหม at the edge ("ปาย|ไหม", สายไหม) explain nothing: the word was already there.
        edges = {id(token): len(token.text) for token in (written[0], written[-1]) if token.text in PLACE_CUES}
        return _Mention(span.start - 1 if marker else span.start, span.end, len(span.key) - sum(edges.values()), {
            place: Weight.FUZZY + 1 if marker else Weight.EVERYDAY if place in self.everyday else Weight.FUZZY
            for place in closest}, nearest, prefixed=marker is not None)

    def _may_be_misspelt(self, tokens: list[_Token], span: _Span) -> bool:
        """Real words one edit from a name ("บ้านได้", บ้านไผ่) are mostly just words, unless they stand apart as
        a name does ("ศูนย์ดิจิ หนองคาบ")."""
        written = tokens[span.start:span.end]
        return not all(token.text in self.dictionary for token in written) or self._stands_apart(tokens, span)

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
                   and (token.text not in self.dictionary or len(token.text) <= 2) for token in neighbours)


@cache
def load_gazetteer() -> PlaceReader:
    """The gazetteer of this process, able to read place names in text, built on first use (about half a second)."""
    return PlaceReader.build()


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
