"""Thai word tokens (pythainlp newmm) and character n-grams, with chain-message boilerplate weighed out."""
from __future__ import annotations

from functools import cache

import regex
from pythainlp.corpus import thai_stopwords
from pythainlp.tokenize import word_tokenize

from nlp.normalise import EMOJI, without_contacts

THAI_GAP = regex.compile(r"(?<=\p{Thai})\s+(?=\p{Thai})")
"""A space between Thai letters, which some write between every word ("ส่ง ไป ต่าง ประเทศ"): the matcher's words and
the intent reader's text are cut without it, so "ต่าง ประเทศ" is the claim's "ต่างประเทศ" (fresh19, read after its
opening: a voice that spaced every word had the lowest recall). Out of fold, words only, on the same data: at 0.95,
3,657 automatic answers and 55 wrong before, 3,652 and 52 after; at 0.985, 11 wrong and 7."""
CHAIN_BOILERPLATE = regex.compile("|".join([
    r"ส่งต่อ(?:ให้)?(?:คนที่(?:คุณ)?รัก|กันด้วย|ด่วน|ๆ)?", r"(?:ช่วยกัน|ฝาก|อย่าลืม|โปรด)?แชร์(?:ต่อ|ด่วน|กันด้วย|ๆ)?",
    r"(?<!ทาง|รถ|ขบวน)ด่วน(?:ที่สุด|มาก)?", r"บอกต่อ", r"ฝากบอก(?:ต่อ)?", r"รีบ(?:ดู|อ่าน)", r"อ่านด่วน",
    r"(?:ที่)?(?:เขา|เค้า|คน)?(?:แชร์|ส่ง)(?:กัน)?(?:มา)?ว่า", r"(?:ได้ยิน|เห็น|อ่าน)(?:มา|ใน\S{0,12})?ว่า",
    r"(?:เพื่อน|ญาติ|แม่|ป้า|ลุง)ส่ง(?:มา|ต่อมา)", r"จริง(?:ไหม|มั้ย|หรือ(?:เปล่า|ไม่)|ป่ะ|รึเปล่า)",
    r"(?:หมอ|อาจารย์|ผู้เชี่ยวชาญ)[^\n]{0,15}?(?:บอก|ยืนยัน|เตือน)(?:มา)?", r"รบกวน(?:ช่วย)?(?:เช็ก|เช็ค|ตรวจสอบ)(?:ให้หน่อย)?",
    r"(?:นะ)?(?:คะ|ค่ะ|ครับ|(?<!บัง)คับ|จ้า|จ้ะ)(?!\p{Thai})", r"เตือนภัย", r"ข่าวดี",
]))
"""Phrases every chain message carries; they say nothing about which claim it is. A particle ends a word, and
"ด่วน" after ทาง or รถ is a name: before, "กรมบังคับคดี" lost its "คับ", "จ้างงาน" its "จ้า", "คะแนน" its "คะ" and
"ทางด่วน" its "ด่วน", on claims and messages alike, so agencies went unread (fresh11, after its opening)."""
TITLE_CHARS = 120
"""A verdict's title fits the card's headline and a notification."""
TITLE_TRIM = " \t!?:;-~…•*,."
REPEATED_MARKS = regex.compile(r"([!?.~…])\1+")
TITLE_NOISE = regex.compile(r"^\s*(?:เรื่อง|หัวข้อ|ข่าว)\s*:|\s(?:ด้วย)?(?:นะ|น้า|จ้า)?\s*$")
"""A label the chain put before the claim, and the particles a chain ends with ("ส่งต่อด้วยนะ" leaves "ด้วยนะ")."""
PUNCTUATION = regex.compile(r"^[\p{P}\p{S}\s]+$")
NGRAM_SIZE = 3
MIN_CONTENT_TOKENS_FOR_AUTO = 4
"""Fewer content words than this cannot identify a claim by themselves (e.g. "ออมสิน ปล่อยกู้")."""
MIN_CONTAINED = 3
"""Shorter words found inside another text's run of letters are chance ("นา" in "หน้า"); only whole tokens count."""


@cache
def stopwords() -> frozenset[str]:
    """pythainlp's Thai stopwords, read once per process."""
    return frozenset(thai_stopwords())


def strip_boilerplate(text: str) -> str:
    return " ".join(CHAIN_BOILERPLATE.sub(" ", text).split())


def claim_title(text: str, limit: int = TITLE_CHARS) -> str:
    """A short, clean title for a verdict, prefilled for the coordinator: the message without links, phone
    numbers, emojis, chain wording or repeated punctuation, cut at a word boundary near `limit` graphemes."""
    text = TITLE_NOISE.sub(" ", strip_boilerplate(EMOJI.sub(" ", without_contacts(text))))
    text = " ".join(word for word in REPEATED_MARKS.sub(r"\1", text).split() if not PUNCTUATION.match(word))
    text = text.strip(TITLE_TRIM)
    graphemes = regex.findall(r"\X", text)
    if len(graphemes) <= limit:
        return text
    cut = "".join(graphemes[:limit])
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip(TITLE_TRIM) + "…"


def words(text: str) -> list[str]:
    """Every word token (newmm), whitespace dropped."""
    return word_tokenize(text, engine="newmm", keep_whitespace=False)


def pieces(text: str) -> list[str]:
    """Every word token (newmm) and the whitespace between them, so they join back into the text."""
    return word_tokenize(text, engine="newmm", keep_whitespace=True)


def meaningful(tokens: list[str]) -> list[str]:
    """The tokens that carry meaning: no stopwords, punctuation or whitespace."""
    ignored = stopwords()
    return [token for token in tokens if token.strip() and token not in ignored and not PUNCTUATION.match(token)]


def content_tokens(text: str) -> list[str]:
    """Word tokens that carry meaning: no stopwords, punctuation or whitespace."""
    return meaningful(words(text))


def char_ngrams(text: str, size: int = NGRAM_SIZE) -> list[str]:
    """Character n-grams over the text with spaces removed, so "ออม สิน" and "ออมสิน" agree."""
    squeezed = "".join(character for character in text if character.isalnum())
    return [squeezed[index:index + size] for index in range(max(len(squeezed) - size + 1, 0))]


def features(text: str) -> list[str]:
    """Lexical features for TF-IDF: word tokens and character n-grams, kept apart by prefix."""
    return [f"w:{token}" for token in content_tokens(text)] + [f"c:{gram}" for gram in char_ngrams(text)]
