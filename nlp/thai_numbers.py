"""Numbers as people type them: "ห้าพัน", "5 พัน", "2.5 หมื่น", "แสนนึง", "4 ทุ่ม" become the digits a claim has.

Number words are read from word tokens (pythainlp newmm), never from raw substrings: Thai writes words
together, and "สามี", "ร้อยเอ็ด", "พันธุ์" or "ล้านนา" hold number syllables that are not numbers. The
tokeniser's dictionary keeps those whole, so only free-standing number words are read. A lone digit word
("สองคน", "หนึ่งใน") is left alone, it is rarely the amount or date that makes a claim specific, unless a
duration or a count of listed things follows ("สามเดือน", "หกอาการ"): AFNC writes those in digits.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import regex
from pythainlp.util import thaiword_to_num

from nlp.entities import ENTITY_GROUPS

MULTIPLIERS = {"สิบ": 10, "ร้อย": 100, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
NUMBER_WORD = regex.compile(r"^(?:ศูนย์|หนึ่ง|เอ็ด|สอง|ยี่|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ร้อย|พัน|หมื่น|แสน|ล้าน)+$")
"""A token made only of number syllables ("ห้า", "ยี่สิบ", "สองพัน")."""
NOT_NUMBERS = frozenset({"ร้อยเอ็ด"})
"""A province spelled wholly in number syllables."""
HAS_MULTIPLIER = regex.compile("|".join(MULTIPLIERS))
ONE_SPOKEN = frozenset({"นึง", "หนึ่ง"})
""""แสนนึง", "หมื่นนึง": one of the unit just said."""
NUMERAL_TIMES = regex.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*((?:สิบ|ร้อย|พัน|หมื่น|แสน)?ล้าน|สิบ|ร้อย|พัน|"
                              r"หมื่น|แสน)(?!ธ|เอ็ด|นา)")
""""5 พัน", "2.5 หมื่น", "1.5 หมื่นล้าน" (AFNC's 15,000 million), "15,000 ล้าน"; not "5 พันธุ์", "ร้อยเอ็ด" or
"ล้านนา"."""
THOUSANDS_K = regex.compile(r"(?<![\d.,\p{L}])(\d{1,3}(?:\.\d+)?)\s?k(?![\p{L}\d])")
""""10k", "87.1k ล้าน": thousands as people who work in English type them (Latin is lower-cased by then)."""
NIGHT_HOUR = regex.compile(r"(\d{1,2})\s*ทุ่ม")
""""4 ทุ่ม" is 22:00: night hours count from 18:00."""
NIGHT_OFFSET = 18
HOUR_WORDS = {"บ่าย": 12, "ตี": 0}
""""บ่ายสอง" is 14:00; "ตีสอง" is AFNC's "ตี 2" (02:00). The tokeniser keeps "ตีสอง" whole, "บ่าย สอง" apart."""
SECTION = "มาตรา"
""""มาตราสี่สิบ" is AFNC's "ม.40", the label `nlp.normalise` reads from digits, not the quantity 40."""
DIGIT_VALUES = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6}
LONE_DIGITS = DIGIT_VALUES | {"เจ็ด": 7, "แปด": 8, "เก้า": 9}
MONTHS = frozenset(spelling for month in ENTITY_GROUPS["month"] for spelling in month) | {"ตุลา"}
"""Month names as whole tokens: "ตุลา" too, which `nlp.entities` cannot read inside text (ตุลาการ is a judge)."""
COUNTED = frozenset({"วัน", "เดือน", "ปี", "สัปดาห์", "อาทิตย์", "ชั่วโมง", "นาที", "เท่า", "ข้อ", "อาการ", "วิธี",
                     "โรค", "แห่ง", "จังหวัด", "เบอร์", "ซิม", "มาตรการ", "แผน", "สัญญาณ", "ลำ", "ชนิด",
                     "นาย", "ราย", "ตัว", "คัน", "ครั้ง", "ประเทศ", "ขวบ", "กลุ่ม"}) | MONTHS
"""Units after which a lone digit word is the claim's number: durations, counts of listed things or people
("ห้านาย" against "อีก 1 นาย"), and the day of a month ("หนึ่งกุมภา" is AFNC's "1 ก.พ.")."""
NUMBERED = frozenset({"ชั้น", "ซอย", "โซน", "ประตู", "ชานชาลา", "อาคาร", "ตึก", "หมายเลข", "ข้อ", "รอบ", "งวด", "เฟส"})
"""Nouns before which a lone digit word is their number: "ชั้นหก" is AFNC's "ชั้น 6"."""
BAHT, SATANG = "บาท", "สตางค์"
POINT = "จุด"
""""สองจุดเก้าห้า" is 2.95: the digits after it are read one by one."""
HALF_HOUR = ("ครึ่ง", "ชั่วโมง")
""""ครึ่งชั่วโมง" is AFNC's "30 นาที"."""
YEAR_RANGE = range(1900, 2700)
"""Gregorian and Buddhist-era years: numbers, but not the kind that makes a claim specific, in digits
(`nlp.normalise`) or spelled ("พ.ศ. สองพันห้าร้อยหกสิบห้า"). A number a unit follows ("2000 บาท",
"สองพันห้าร้อยบาท") is an amount, as is a spelled round hundred ("สองพัน")."""
AMOUNT_UNITS = ("บาท", "baht", "฿", "คน", "ราย", "ต่อ", "/", "%", "เปอร์เซ็นต์", "ตัว", "ชิ้น", "หน่วย", "ครั้ง", "ล้าน")
"""Words after a number that make it an amount, not a year."""


def _times(numeral: str, multipliers: str) -> str:
    """"1.5", "หมื่นล้าน" -> "15000000000": decimal arithmetic, as 2.3 × 1,000,000 in floats is 2299999.99…"""
    value = Decimal(numeral.replace(",", ""))
    for word in regex.findall("|".join(MULTIPLIERS), multipliers):
        value *= MULTIPLIERS[word]
    return canonical(float(value))


def canonical(value: float) -> str:
    """One spelling per number: 5000.0 -> "5000", 2.5 -> "2.5"."""
    return str(int(value)) if value == int(value) else f"{value:g}"


def expand_numerals(text: str) -> str:
    """Rewrite numeral + multiplier and night hours as plain numerals, before numbers are read from text."""
    text = THOUSANDS_K.sub(lambda m: _times(m[1], "พัน"), text)
    text = NUMERAL_TIMES.sub(lambda m: _times(m[1], m[2]), text)
    return NIGHT_HOUR.sub(lambda m: f"{int(m[1]) + NIGHT_OFFSET}.00", text)


def spoken_numbers(tokens: Sequence[str]) -> frozenset[str]:
    """Numbers spelled in Thai words: runs with a multiplier ("สอง","พัน"), afternoon hours ("บ่าย","สอง"),
    baht and satang ("สี่","บาท","สิบแปด","สตางค์": 4.18), decimals ("สอง","จุด","เก้า","ห้า": 2.95) and
    "ครึ่งชั่วโมง" (30)."""
    numbers: set[str] = set()
    index = 0
    while index < len(tokens):
        if hour := _hour(tokens, index):
            numbers.add(str(hour[0]))
            index += hour[1]
            continue
        if tuple(tokens[index:index + 2]) == HALF_HOUR:
            numbers.add("30")
            index += 2
            continue
        end = _run_end(tokens, index)
        value = _value(tokens[index:end])
        fraction = _fraction(tokens, end, value) if value is not None else None
        run = tokens[index:end]
        if fraction is not None:
            value, end = fraction
            numbers.add(canonical(value))
        elif len(run) == 1 and run[0] in LONE_DIGITS and ((end < len(tokens) and tokens[end] in COUNTED)
                                                          or (index and tokens[index - 1] in NUMBERED)):
            numbers.add(str(LONE_DIGITS[run[0]]))
        elif any(HAS_MULTIPLIER.search(word) for word in run):
            if end < len(tokens) and tokens[end] in ONE_SPOKEN and run[-1] in MULTIPLIERS:
                end += 1
            if value is not None and not _spelled_year(value, tokens[end] if end < len(tokens) else None):
                numbers.add(("ม." if index and tokens[index - 1] == SECTION else "") + canonical(value))
        index = max(end, index + 1)
    return frozenset(numbers)


def _hour(tokens: Sequence[str], index: int) -> tuple[int, int] | None:
    """The clock hour an hour word and a digit word at `index` say, whole ("ตีสอง") or apart ("บ่าย", "สอง"), and
    how many tokens they take; None for neither."""
    for word, offset in HOUR_WORDS.items():
        token = tokens[index]
        if token == word and index + 1 < len(tokens) and tokens[index + 1] in DIGIT_VALUES:
            return DIGIT_VALUES[tokens[index + 1]] + offset, 2
        if token.startswith(word) and token[len(word):] in DIGIT_VALUES:
            return DIGIT_VALUES[token[len(word):]] + offset, 1
    return None


def _run_end(tokens: Sequence[str], start: int) -> int:
    """Where the run of number words starting at `start` ends."""
    end = start
    while end < len(tokens) and NUMBER_WORD.match(tokens[end]) and tokens[end] not in NOT_NUMBERS:
        end += 1
    return end


def _value(run: Sequence[str]) -> float | None:
    """The number a run of number words says; None for no run or an odd sequence ("พันสอง") pythainlp cannot
    read: no number rather than a wrong one."""
    if not run:
        return None
    try:
        return float(thaiword_to_num("".join(run)))
    except ValueError:
        return None


def _fraction(tokens: Sequence[str], end: int, whole: float) -> tuple[float, int] | None:
    """The number with its decimals ("สอง","จุด","เก้า","ห้า": 2.95) or satang ("สี่","บาท","สิบแปด","สตางค์":
    4.18), when they follow the whole part ending at `end`, and where they end; None when neither follows."""
    following = tokens[end] if end < len(tokens) else None
    if following == POINT:
        stop = _run_end(tokens, end + 1)
        digits = "".join(str(LONE_DIGITS.get(word, "")) for word in tokens[end + 1:stop])
        return (float(f"{int(whole)}.{digits}") if digits else whole), stop
    if following == BAHT:
        stop = _run_end(tokens, end + 1)
        satang = _value(tokens[end + 1:stop])
        if satang is not None and stop < len(tokens) and tokens[stop] == SATANG:
            return round(whole + satang / 100, 2), stop
    return None


def _spelled_year(value: float, after: str | None) -> bool:
    return value == int(value) and int(value) in YEAR_RANGE and value % 100 != 0 and after not in AMOUNT_UNITS
