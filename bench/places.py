"""Place names in free text (nlp/places.py over nlp/gazetteer.py): accuracy and latency on labelled queries,
against two naive resolvers."""
from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import geothai
import regex
from rapidfuzz import fuzz, process

from bench.matching import percentile
from nlp.gazetteer import TONE_MARKS, Gazetteer, Place
from nlp.normalise import clean
from nlp.places import PlaceReader

SEEDS = range(1000, 1005)
"""Samples of the gazetteer the accuracy is measured on; the resolver was developed on others (5, 10–129)."""
PER_LEVEL = 20
ROUNDS = 3
"""Each query of the first sample (and the hand-written ones) is timed this many times."""
NAIVE_FUZZY_CUTOFF = 90
NAIVE_FUZZY_MIN_LENGTH = 4
"""Shorter names would be found inside almost any text by `partial_ratio`."""
SWAPS = {"ก": "ค", "ค": "ก", "ง": "ม", "น": "ม", "ม": "น", "ย": "บ", "ร": "ล", "ล": "ร", "ด": "ต", "ต": "ด",
         "บ": "ป", "ป": "บ", "ท": "ธ", "ธ": "ท", "ส": "ศ", "ศ": "ส", "ว": "ร", "ช": "ซ", "ซ": "ช"}
"""Letters Thai typists confuse (same sound or neighbouring keys), for misspelt queries."""
HAND_WRITTEN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ศูนย์ดิจิทัลชุมชน อำเภอโพธิ์ตาก", ("4317",)),
    ("ศูนย์ดิจิ หนองคาย", ("43",)),
    ("ศูนย์ดิจิทัลแถว ต.โพธิ์ตาก", ("431701", "480115")),
    ("ศูนย์ดิจิทัล อ.เมือง พิษณุโลก", ("6501",)),
    ("มีศูนย์ที่ จ.ยโสธร ไหม", ("35",)),
    ("ศูนย์ดิจิทัลชุมชนกทม", ("10",)),
    ("ศูนย์ในเขตบางเขน", ("1005",)),
    ("ศูนย์ดิจิ หนองคาบ", ("43",)),
    ("พิษณุโลค มีศูนย์ไหมคะ", ("65",)),
    ("ศูนย์ดิจิทัล โพธิตาก", ("4317", "480115")),
    ("โพธิ์ตาก", ("4317", "480115")),
    ("ต.โพธิ์ตาก อ.เมืองนครพนม", ("480115",)),
    ("โพธิ์ตาก หนองคาย", ("4317",)),
    ("แม่สุก", ("520604", "560703")),
    ("แม่สุก ลำปาง", ("520604",)),
    ("บ้านกร่าง", ("640402", "650113", "720502")),
    ("ศูนย์ที่บ้านกร่างพิษณุโลก", ("650113",)),
    ("ท่าทอง สุราษฎร์", ("840202",)),
    ("ศูนย์ดิจิทัลโคราช", ("30",)),
    ("อ.เมือง โคราช", ("3001",)),
    ("แขวงลาดยาว เขตจตุจักร", ("103001",)),
    ("ศูนย์ดิจิทัล กรุงเทพฯ", ("10",)),
    ("จังหวัดเลย มีศูนย์ไหม", ("42",)),
    ("ศูนย์ดิจิทัลปาย", ("5803",)),
    ("ศูนย์ดิจิทัลชุมชนใกล้ฉัน", ()),
    ("สวัสดีค่ะ", ()),
    ("หลักสูตรการตลาดดิจิทัล", ()),
    ("ศูนย์ดิจิทัลชุมชนอยู่ที่ไหนบ้างคะ", ()),
    ("อยากเรียนขายของออนไลน์ค่ะ", ()),
    ("เปิดกี่โมงคะ วันเสาร์เปิดไหม", ()),
    ("ศูนย์ใหม่เปิดเมื่อไหร่คะ", ()),
    ("ไปตลาดนัดแถวบ้าน", ()),
    ("ธนาคารออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท", ()),
    ("ข่าวปลอมแพร่ระบาดในวงกว้าง", ()),
    ("ด่วน!! ฉีดวัคซีนโควิดแล้วเป็นหมัน หมอยืนยันแล้ว ให้ดื่มน้ำร้อนผสมมะนาวทุกเช้าจะล้างพิษวัคซีนออกจากร่างกาย "
     "ส่งต่อให้คนที่คุณรักด้วย", ()),
)
"""The issue's examples, ambiguous names, and texts that name no place."""


@dataclass(frozen=True)
class Labelled:
    text: str
    expected: frozenset[str]
    kind: str


@dataclass(frozen=True)
class Scored:
    hits: list[bool]
    """Per query: exactly the expected places."""
    false_places: int
    """Queries that name no place but got one."""
    milliseconds: list[float]

    def rate(self, queries: list[Labelled], kind: str | None = None) -> float:
        chosen = [hit for hit, query in zip(self.hits, queries) if kind in (None, query.kind)]
        return sum(chosen) / len(chosen)


def misspell(name: str, rng: random.Random) -> str | None:
    """Leave out a tone mark if the name has one, else swap one letter for one typists confuse it with."""
    marks = [match.start() for match in TONE_MARKS.finditer(name)]
    if marks:
        at = rng.choice(marks)
        return name[:at] + name[at + 1:]
    swappable = [index for index, letter in enumerate(name) if letter in SWAPS and index > 0]
    if not swappable:
        return None
    at = rng.choice(swappable)
    return name[:at] + SWAPS[name[at]] + name[at + 1:]


def generated(gazetteer: Gazetteer, rng: random.Random) -> list[Labelled]:
    """Queries about random places of each level, as citizens write them: prefixed, bare, with typos."""
    queries: list[Labelled] = []
    provinces = [place for place in gazetteer.provinces() if place.code != "10"]
    for province in rng.sample(provinces, PER_LEVEL):
        queries.append(Labelled(f"ศูนย์ดิจิทัลชุมชน จ.{province.name}", frozenset({province.code}), "province"))
        queries.append(Labelled(f"ศูนย์ดิจิ {province.name} มีไหมคะ", frozenset({province.code}), "province"))
        if len(province.name) >= 6 and (typo := misspell(province.name, rng)):
            queries.append(Labelled(f"ศูนย์ดิจิทัล {typo}", frozenset({province.code}), "province, misspelt"))
    districts = [place for province in provinces for place in gazetteer.districts(province.code)]
    for district in rng.sample(districts, PER_LEVEL):
        province = _province(gazetteer, district)
        queries.append(Labelled(f"ศูนย์ดิจิทัล อ.{district.name} จ.{province.name}", frozenset({district.code}),
                                "district"))
        queries.append(Labelled(f"มีศูนย์แถวอำเภอ{district.name}ไหม", _named(gazetteer, district), "district"))
        if len(district.name) >= 6 and (typo := misspell(district.name, rng)):
            queries.append(Labelled(f"ศูนย์ดิจิทัล อ.{typo} {province.name}", frozenset({district.code}),
                                    "district, misspelt"))
    subdistricts = [place for district in rng.sample(districts, PER_LEVEL * 3)
                    for place in _subdistricts(gazetteer, district)]
    for subdistrict in rng.sample(subdistricts, PER_LEVEL):
        parent = gazetteer.place(subdistrict.district_code or "")
        assert parent is not None
        queries.append(Labelled(f"ศูนย์ดิจิทัลแถว ต.{subdistrict.name} อ.{parent.name}",
                                frozenset({subdistrict.code}), "subdistrict"))
        province = _province(gazetteer, subdistrict)
        queries.append(Labelled(f"ตำบล{subdistrict.name} {province.name}", _namesakes(gazetteer, subdistrict),
                                "subdistrict"))
        if len(subdistrict.name) >= 6 and (typo := misspell(subdistrict.name, rng)):
            queries.append(Labelled(f"ต.{typo} อ.{parent.name}", frozenset({subdistrict.code}),
                                    "subdistrict, misspelt"))
    for district in rng.sample(gazetteer.districts("10"), PER_LEVEL // 4):
        queries.append(Labelled(f"ศูนย์ดิจิทัลเขต{district.name}", frozenset({district.code}), "Bangkok"))
    return queries


def _province(gazetteer: Gazetteer, place: Place) -> Place:
    province = gazetteer.place(place.province_code)
    assert province is not None
    return province


def _subdistricts(gazetteer: Gazetteer, district: Place) -> list[Place]:
    return [place for sub in geothai.subdistricts(district.code) if (place := gazetteer.place(sub.code))]


def _namesakes(gazetteer: Gazetteer, subdistrict: Place) -> frozenset[str]:
    """Every tambon of this name in its province: "ตำบล X จังหวัด" cannot tell them apart."""
    return frozenset(place.code for district in gazetteer.districts(subdistrict.province_code)
                     for place in _subdistricts(gazetteer, district) if place.name == subdistrict.name)


def _named(gazetteer: Gazetteer, district: Place) -> frozenset[str]:
    """Every district of this name: "อำเภอ X" alone cannot tell two of them apart."""
    return frozenset(place.code for province in gazetteer.provinces() for place in gazetteer.districts(province.code)
                     if place.name == district.name)


def naive_search(text: str) -> frozenset[str]:
    """geothai.search on every whitespace token, keeping the results whose name is the token's."""
    found = set()
    for token in text.split():
        wanted = _geothai_key(token)
        for result in geothai.search(token, limit=50):
            if _geothai_key(result.area.name_th) == wanted:
                found.add(result.area.code)
    return frozenset(found)


def _geothai_key(text: str) -> str:
    return str(regex.sub(r"^(?:จ|อ|ต)\.|^(?:จังหวัด|อำเภอ|ตำบล|เขต|แขวง)|[\s.'-]", "", text))


def naive_fuzzy(names: list[str], places: list[list[str]]) -> Callable[[str], frozenset[str]]:
    """rapidfuzz partial_ratio of every name against the whole text; the best-scoring names' places."""
    def resolve(text: str) -> frozenset[str]:
        found = process.extract(clean(text), names, scorer=fuzz.partial_ratio, score_cutoff=NAIVE_FUZZY_CUTOFF,
                                limit=None)
        if not found:
            return frozenset()
        best = max(score for _name, score, _index in found)
        return frozenset(code for _name, score, index in found if score == best for code in places[index])
    return resolve


def score(resolve: Callable[[str], frozenset[str]], queries: list[Labelled], timed: list[Labelled]) -> Scored:
    hits, false_places, timings = [], 0, []
    for query in queries:
        found = resolve(query.text)
        hits.append(found == query.expected)
        false_places += bool(found) and not query.expected
    for _ in range(ROUNDS):
        for query in timed:
            started = time.perf_counter()
            resolve(query.text)
            timings.append((time.perf_counter() - started) * 1000)
    return Scored(hits, false_places, timings)


def row(name: str, scored: Scored, queries: list[Labelled], negatives: int) -> str:
    return (f"| {name} | {scored.rate(queries):.1%} | {scored.false_places}/{negatives} | "
            f"{statistics.median(scored.milliseconds):.2f} ms | {percentile(scored.milliseconds, 0.95):.2f} ms |")


def run() -> str:
    started = time.perf_counter()
    gazetteer = PlaceReader.build()
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    gazetteer.resolve("ศูนย์ดิจิทัล อ.เมือง พิษณุโลก")
    first_milliseconds = (time.perf_counter() - started) * 1000
    samples = [generated(gazetteer, random.Random(seed)) for seed in SEEDS]
    hand_written = [Labelled(text, frozenset(codes), "hand-written" if codes else "no place")
                    for text, codes in HAND_WRITTEN]
    queries = [query for sample in samples for query in sample] + hand_written
    timed = samples[0] + hand_written
    negatives = sum(1 for query in queries if not query.expected)
    ours = score(lambda text: frozenset(place.code for place in gazetteer.resolve(text).places), queries, timed)
    names, places = _all_names(gazetteer)
    search = score(naive_search, queries, timed)
    fuzzy = score(naive_fuzzy(names, places), queries, timed)
    kinds = sorted({query.kind for query in queries})
    return "\n".join([
        "## Place names (gazetteer)",
        "",
        f"`PlaceReader.resolve` on {len(queries):,} labelled queries: {len(queries) - len(hand_written):,} generated "
        f"from geothai {geothai.DATA_VERSION} ({len(SEEDS)} random samples of {PER_LEVEL} provinces, districts and "
        f"tambons each, seeds {SEEDS.start}–{SEEDS.stop - 1}, written prefixed, bare and misspelt into query "
        f"templates) and {len(hand_written)} hand-written ({negatives} name no place). Right = exactly the expected "
        "set of places (all of them for an ambiguous name, none for no place). Timings: "
        f"{ROUNDS} rounds over {len(timed)} queries (the first sample and the hand-written ones), index built.",
        "",
        "| resolver | right | place found where there is none | median | p95 |",
        "|---|---|---|---|---|",
        row("ChuayCheck gazetteer (index, markers, fuzzy)", ours, queries, negatives),
        row("naive: `geothai.search` on each whitespace token, exact names", search, queries, negatives),
        row(f"naive: rapidfuzz `partial_ratio` ≥ {NAIVE_FUZZY_CUTOFF} over all {len(names):,} names", fuzzy, queries,
            negatives),
        "",
        f"Speed: {statistics.median(search.milliseconds) / statistics.median(ours.milliseconds):.0f}× the per-token "
        f"search, {statistics.median(fuzzy.milliseconds) / statistics.median(ours.milliseconds):.0f}× the fuzzy scan "
        "(ratio of medians). Target: median ≤ 5 ms.",
        "",
        f"Index build: {build_seconds:.2f} s, once per process (`load_gazetteer()`). The first `resolve` of this run "
        f"took {first_milliseconds:.0f} ms, as pythainlp loads its word dictionary on first use (shared with the "
        "claim matcher).",
        "",
        "| kind of query | queries | ChuayCheck | per-token search | fuzzy scan |",
        "|---|---|---|---|---|",
        *(f"| {kind} | {sum(1 for query in queries if query.kind == kind)} | {ours.rate(queries, kind):.1%} | "
          f"{search.rate(queries, kind):.1%} | {fuzzy.rate(queries, kind):.1%} |" for kind in kinds),
        "",
        "By design the resolver gives no place for a bare province name that is an everyday word (เลย, ตาก, แพร่; "
        "\"จ.เลย\" works), and reads a misspelt tambon only after ต./ตำบล.",
    ])


def _all_names(gazetteer: Gazetteer) -> tuple[list[str], list[list[str]]]:
    by_name: dict[str, list[str]] = {}
    for province in gazetteer.provinces():
        by_name.setdefault(province.name, []).append(province.code)
        for district in gazetteer.districts(province.code):
            by_name.setdefault(district.name, []).append(district.code)
            for sub in _subdistricts(gazetteer, district):
                by_name.setdefault(sub.name, []).append(sub.code)
    names = [name for name in by_name if len(name) >= NAIVE_FUZZY_MIN_LENGTH]
    return names, [by_name[name] for name in names]
