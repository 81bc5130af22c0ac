"""Clean a forwarded Thai message and pull out the features that must not be fuzzed: URLs, phones, numbers."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import regex
from pythainlp.util import normalize as thai_normalize
from pythainlp.util import thai_digit_to_arabic_digit

from nlp.entities import ENTITY_GROUPS, MONTH_ABBREVIATIONS
from nlp.spellings import fold_spellings
from nlp.thai_numbers import AMOUNT_UNITS, YEAR_RANGE, expand_numerals

URL = regex.compile(r"(?:https?://|www\.)[^\s<>\"'“”‘’]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|co\.th|go\.th|"
                    r"or\.th|ac\.th|in\.th|ly|me|gl|cc|io)(?:/[^\s<>\"'“”‘’]*)?", regex.IGNORECASE)
PHONE = regex.compile(r"(?<!\d)(?:\+66[\s-]?|0)(?:\d[\s-]?){8,9}(?!\d)")
EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]+[\uFE0F\u200D\p{Extended_Pictographic}]*")
CONTROL = regex.compile(r"[\p{Cc}\p{Cf}&&[^\n\t]]", regex.V1)
REPEATED = regex.compile(r"(\p{L}|\p{M})\1{2,}")
"""A letter typed three times or more: stretched ("มากกกก", "ค่าาา"), unless it is three where two words meet
("สื่อออนไลน์", "ระบบบัตร", "ถนนนา") or an abbreviation standing alone ("ททท.", "สสส."). Collapsing every run
had turned "สื่อออนไลน์" into "สื่อนไลน์" and "ททท." into "ท." in claims and messages alike (fresh14, read after
its opening: ททท. against ทอท. went unread)."""
STRETCHED_RUN = 4
"""Runs this long or longer are always stretching; a run of three only at the end of a word."""
LETTER = regex.compile(r"[\p{L}\p{M}]")
LAUGHTER = regex.compile(r"(?<!\d)5{3,}\+*(?!\d)")
CASE_COUNTS = r"ราย(?!ใหม่)|คน(?!ละ)|ศพ|จังหวัด|แห่ง|ล้าน|พัน|หมื่น|แสน|%|เปอร์เซ็นต์|ครั้ง|วัน|ชั่วโมง"
"""What makes a spaced "19" after the disease a count ("โควิด 19 ราย"); "รายใหม่" and "คนละ" do not."""
COVID_NAME = regex.compile(r"(?:โควิ[ดท]|covid)(?:\s*[-–—_]\s*|\s+(?=19(?![\d.,])(?!\s*(?:" + CASE_COUNTS + r"))))?"
                           r"19(?![\d.,])")
"""The disease's name, one spelling for all ("COVID-19", "โควิด 19", "โควิด19", "โควิท-19"): its 19 is no number.
Read as one, a message saying "โควิด" and a number of its own (a day's wage) disagreed on numbers with every
COVID-19 claim, and "covid-" was a word no Thai message shares (fresh16, read after its opening: 34 of 42
positives about COVID-19 claims unanswered). Spaced and before a count ("โควิด 19 ราย") it is 19 cases."""
NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")
PUNCTUATION_RUN = regex.compile(r"[!?.~*#=_\-]{2,}")
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "igshid", "si")
"""Query parameters that say who shared a link, not what it points to."""
BUDDHIST_ERA_OFFSET = 543
BUDDHIST_ERA_FROM = 2400
"""Below this a year is read as Gregorian (ค.ศ.)."""
_SHORT_OF_FULL = {full: short for short, full in MONTH_ABBREVIATIONS.items()}
MONTH_SPELLINGS = {spelling: _SHORT_OF_FULL[month[0]] for month in ENTITY_GROUPS["month"] for spelling in month} | {
    "ตุลา": "ต.ค."}
"""Every month name in full and as said ("กุมภา", "เมษา"), and AFNC's abbreviation of it ("ก.พ.", "เม.ย.")."""
SHORT_YEAR = regex.compile(r"(?<=(?:" + "|".join(regex.escape(month) for month in (
    *MONTH_ABBREVIATIONS, *MONTH_SPELLINGS, "พ.ศ.", "ปี")) + r")\s*)(?<![\d.,])([4-9]\d)(?![\d.,:])")
"""A Buddhist-era year written with two digits after a month or "ปี" ("1 ต.ค. 65", "16 กุมภา 66", "ปี 67"): AFNC's
titles write years so, citizens write "2565" or "2022". Left a number, "65" was one the message lacked; after a
spoken month name it was so until fresh17 (read after its opening: a look-alike of free expressway day moved to
"16 กุมภา 66" was answered with the claim of 16 ก.พ. 65). "ตุลา" is a month only before a year or after a day: elsewhere
it is a court ("ตุลาการ")."""
SHORT_YEAR_CENTURY = 2500
_DOTTED = tuple(MONTH_ABBREVIATIONS)  # "ม.ค." … "ธ.ค.", January first
DAY_MONTH = regex.compile(r"(?<=(?<![\d.,/])\d{1,2}\s?)(" + "|".join(
    regex.escape(short.rstrip(".")).replace(r"\.", r"\.?") for short in _DOTTED)
    + r")\.?(?=[^\p{Thai}]|$|นี้|ที่|ถึง|จน|เป็น|ปี|พ\.ศ|ของ|และ|นะ|ค่ะ|ครับ|เริ่ม|ตั้งแต่)")
"""A month abbreviation after its day typed without dots or glued ("1พค65", "15 มิย นี้"): written as AFNC's
"1 พ.ค. 65", whose two-digit year is then read. Only after a day: bare, "มค" is a syllable of สมควร."""
MONTH_NAME = regex.compile("|".join(_SHORT_OF_FULL) + r"|(?<=(?<![\d.,/])\d{1,2}\s?)(?:" + "|".join(
    spoken for spoken in MONTH_SPELLINGS if spoken not in _SHORT_OF_FULL) + ")")
"""A month by its full name anywhere, or as said after its day ("16 กุมภา"): written as AFNC's "ก.พ.". The two
sides of 106 training positives named one month two ways (read off the training splits, 2026-12-04); the month
entity agreed, the words did not. A spoken name without a day may be a name ("กันยา", "ธันวา")."""
SLASH_DATE = regex.compile(r"(?<![\d.,/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
SLASH_RANGE = regex.compile(r"(?<![\d.,/])\d{1,2}/\d{1,2}(?=\s*(?:-|–|ถึง)\s*\d{1,2}/\d{1,2}/\d)")
"""Dates as "15/3/66" or "1/5 ถึง 31/8/65": written as AFNC's "15 มี.ค. 66". A day and month without a year only
where a dated range begins ("24/7" is not a date)."""
SCHOOL_OR_VILLAGE = regex.compile(r"(?:(?<![\p{L}\p{M}.])([ปม])\.|(ม)าตรา)\s?$")
""""ป.6" (primary grade 6), "ม.3" (secondary grade 3, village 3, or section 3 of a law: "มาตรา 3"): a label,
not the quantity 6 or 3. Read as a bare number, "ป.6" agreed with a claim's "6 ขวบ"; "ผู้ประกันตน ม.40" is
"มาตรา 40"."""
LABEL_REACH = len("มาตรา ")
AMOUNT_UNIT = regex.compile(r"\s*(?:" + "|".join(regex.escape(unit) for unit in AMOUNT_UNITS) + ")")
""""2,000" (a comma) or "2000 บาท" (a unit after it) is an amount, not a year."""


@dataclass(frozen=True)
class Normalised:
    text: str
    """Cleaned text: URLs, phones and emojis removed, digits Arabic, Latin lower-cased."""
    urls: tuple[str, ...]
    phones: tuple[str, ...]
    emojis: tuple[str, ...]
    numbers: frozenset[str]
    """Specific numbers (amounts, counts, percentages, days), commas removed; years left out."""


def canonical_url(url: str) -> str:
    """One spelling per page: scheme and host case, m./www., tracking parameters and trailing slash ignored."""
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url.strip().rstrip(".,);]"))
    host = parts.netloc.lower()
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                       if not key.lower().startswith(TRACKING_PARAMS)])
    return urlunsplit(("https", host, parts.path.rstrip("/"), query, ""))


def specific_numbers(text: str) -> frozenset[str]:
    numbers = set()
    for match in NUMBER.finditer(text):
        value = match[0].replace(",", "")
        if value == match[0] and value.isdigit() and int(value) in YEAR_RANGE \
                and not AMOUNT_UNIT.match(text, match.end()):
            continue
        label = SCHOOL_OR_VILLAGE.search(text, max(0, match.start() - LABEL_REACH), match.start())
        number = value.rstrip("0").rstrip(".") if "." in value else value
        numbers.add(f"{label[1] or label[2]}.{number}" if label else number)
    return frozenset(numbers)


def spell_dates(text: str) -> str:
    """Day-month dates in AFNC's form ("1 พ.ค. 65"), whatever dots, spaces or slashes the sender used."""
    text = MONTH_NAME.sub(lambda found: " " + MONTH_SPELLINGS[found[0]] + " ", text)
    text = DAY_MONTH.sub(lambda found: " " + _DOTTED[_month_of(found[1])] + " ", text)
    starts = {found.start() for found in SLASH_RANGE.finditer(text)}
    return SLASH_DATE.sub(lambda found: _slashed(found, found.start() in starts), text)


def _month_of(spelled: str) -> int:
    return next(index for index, short in enumerate(_DOTTED) if short.replace(".", "") == spelled.replace(".", ""))


def _slashed(found: regex.Match[str], opens_range: bool) -> str:
    day, month, year = int(found[1]), int(found[2]), found[3]
    if not (1 <= day <= 31 and 1 <= month <= 12) or (year is None and not opens_range):
        return found[0]
    return f"{day} {_DOTTED[month - 1]}" + (f" {year}" if year else "")


def expand_short_years(text: str) -> str:
    """Write two-digit Buddhist-era years in full ("ต.ค. 65" -> "ต.ค. 2565"), so they are read as years; not
    an amount ("ปี 50 บาท")."""
    return SHORT_YEAR.sub(lambda found: found[0] if AMOUNT_UNIT.match(text, found.end())
                          else str(SHORT_YEAR_CENTURY + int(found[0])), text)


def years(text: str) -> frozenset[int]:
    """The years a text names, as Buddhist-era years (ค.ศ. 2021 is พ.ศ. 2564): the numbers `specific_numbers`
    leaves out. Two sides naming different years tell of different events ("อุทกภัยปี 2560" is not 2564's)."""
    found = set()
    for match in NUMBER.finditer(text):
        if match[0].isdigit() and int(match[0]) in YEAR_RANGE and not AMOUNT_UNIT.match(text, match.end()):
            year = int(match[0])
            found.add(year if year >= BUDDHIST_ERA_FROM else year + BUDDHIST_ERA_OFFSET)
    return frozenset(found)


def clean(text: str) -> str:
    """Unicode and Thai-script repairs only, no feature extraction (shared by claims and messages)."""
    text = unicodedata.normalize("NFC", text)
    text = CONTROL.sub("", text)
    text = thai_normalize(text)  # zero-width chars, decomposed sara am, doubled tone marks, vowel order
    text = thai_digit_to_arabic_digit(text)
    text = REPEATED.sub(_unstretched, text)
    return text.lower()


def _unstretched(found: regex.Match[str]) -> str:
    text, start, end = found.string, found.start(), found.end()
    ends_a_word = start > 0 and LETTER.match(text[start - 1]) and not (end < len(text) and LETTER.match(text[end]))
    return found[1] if len(found[0]) >= STRETCHED_RUN or ends_a_word else found[0]


def normalise(text: str) -> Normalised:
    # URLs come out before `clean`, whose repeat-collapsing would turn "www" into "w".
    text = thai_digit_to_arabic_digit(unicodedata.normalize("NFC", text))
    urls = tuple(canonical_url(url) for url in URL.findall(text))
    text = fold_spellings(COVID_NAME.sub("โควิด ", clean(URL.sub(" ", text))))
    phones = tuple(regex.sub(r"[\s-]", "", phone) for phone in PHONE.findall(text))
    text = PHONE.sub(" ", text)
    emojis = tuple(EMOJI.findall(text))
    text = EMOJI.sub(" ", text)
    text = LAUGHTER.sub(" ", text)
    text = PUNCTUATION_RUN.sub(" ", text)
    text = expand_short_years(" ".join(spell_dates(expand_numerals(" ".join(text.split()))).split()))
    return Normalised(text=text, urls=urls, phones=phones, emojis=emojis, numbers=specific_numbers(text))


def without_contacts(text: str) -> str:
    """The text with links and phone numbers taken out: what may be shown publicly of a citizen's message."""
    return " ".join(PHONE.sub(" ", URL.sub(" ", text)).split())
