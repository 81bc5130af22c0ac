"""Decide what a message asks for: a fact-check, a centre, a course, an FAQ answer, help, or chit-chat.

Keywords, a few typo-tolerant ones (rapidfuzz), and rules in a fixed order. Fact-checking is the bot's first
job and the default: a forwarded rumour that mentions a centre or a course must get a fact-check, never a
centre list, so anything that reads like a claim goes to the checker before topics are looked at, and a
message that names a topic but neither asks nor is short is treated as a claim too.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import regex
from pythainlp.corpus import provinces
from rapidfuzz import fuzz

from nlp.faq import FaqIndex, fold
from nlp.normalise import normalise
from nlp.tokenise import THAI_GAP


class Intent(StrEnum):
    FACT_CHECK = "fact_check"
    CENTRE = "centre"
    COURSE = "course"
    FAQ = "faq"
    HELP = "help"
    GREETING = "greeting"


@dataclass(frozen=True)
class IntentResult:
    intent: Intent
    alternatives: tuple[Intent, ...] = ()
    """Set only when a wrong guess would annoy: the intents to offer as quick replies, `intent` first."""

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


def _words(*patterns: str) -> regex.Pattern[str]:
    return regex.compile("|".join(patterns), regex.IGNORECASE)


# What makes a message read as a claim. Matched on the cleaned text with the spaces between Thai words removed.
SHARING = _words(r"แชร์(?:ต่อ|ด่วน|ๆ|กันด้วย|ให้)", r"(?:ช่วย|ฝาก|อย่าลืม|ช่วยกัน)แชร์", r"ส่งต่อ", r"บอกต่อ", r"\bshare\b",
                  r"\bforward")
URGENCY = _words(r"ด่วน", r"รีบ(?:สมัคร|ลงทะเบียน|โอน|ดู|อ่าน|กด)", r"ก่อนเต็ม", r"หมดเขต", r"วันสุดท้าย", r"เตือนภัย",
                 r"จำนวนจำกัด", r"ใครสนใจ", r"สนใจ(?:ติดต่อ|ทัก)", r"\bbreaking\b", r"\burgent\b")
"""Urgency and the calls of an announcement ("ใครสนใจ…", "จำนวนจำกัด"): forwarded, not asked."""
ALARM = regex.compile(r"!{2,}|‼|🚨|📢|⚠")
"""Urgency in punctuation and emoji, looked for in the raw text (cleaning drops runs of punctuation)."""
MONEY = _words(r"\d[\d,.]*\s?(?:บาท|฿|ล้าน|แสน|หมื่น|พัน)", r"(?:หมื่น|แสน|ล้าน)บาท",
               r"(?:เงิน\S{0,12}|เยียวยา\S{0,8})\d{3}")
VERIFY = _words(r"จริง(?:ไหม|มั้ย|มั๊ย|มัย|มะ|ป่ะ|ปะ|ป่าว|หรือ|รึ|เหรอ|หรอ|เปล่า|ดิ|อ่ะ)",
                r"(?:ปลอม|หลอก|มั่ว)(?:หรือ|รึ|ไหม|มั้ย|ป่ะ|ป่าว)", r"เชื่อได้(?:ไหม|มั้ย|หรือ)", r"ข่าวนี้", r"เรื่องนี้",
                r"ได้(?:ข่าว|ยิน)(?:มา)?ว่า", r"ข่าวว่า",
                r"(?:เขา|เค้า|คน|เพื่อน|ญาติ)(?:แชร์|ส่ง|ลือ)(?:กัน)?(?:มา)?(?:ว่า)?", r"มีคนส่ง", r"ส่งมา", r"ข่าวลือ",
                r"ลือกัน", r"\bis\s+(?:it|this)\s+true\b", r"\bhoax\b")
"""Asking whether something heard is true: the checker's question, whatever the topic."""
HOW = _words(r"ยังไง", r"อย่างไร", r"วิธี", r"ที่ไหน", r"\bhow\b")
CLAIM = _words(r"แจก", r"(?:รับ)?สมัคร(?:งาน|พนักงาน|เจ้าหน้าที่)", r"ค่าแรกเข้า", r"เงินเดือน", r"ค่าตอบแทน", r"ได้เงิน",
               r"รับเงิน", r"โอนเงิน", r"เงิน(?:ดิจิทัล|หมื่น|ช่วย|สด|คืน|กู้)", r"เยียวยา", r"สินเชื่อ", r"ถูกแฮก",
               r"ปิด(?:ทั้งหมด|ถาวร|ระบบ)", r"ตัดสิทธิ")
"""Words of handouts, jobs and alarms: a centre or a course in their company is the subject of a rumour."""

# Topics and question forms. Matched on the canonical text (nlp.faq.fold), spaces between Thai words removed.
CENTRE = _words(r"ศูนย์ดิจิทัล")
CENTRE_SERVICE = _words(r"เน็ตฟรี", r"ไวไฟ", r"wi-?fi", r"ใช้คอม", r"คอมพิวเตอร์ให้ใช้", r"ปริ้น", r"พิมพ์เอกสาร")
COURSE = _words(r"หลักสูตร", r"อบรม", r"(?<!โรง|นัก)เรียน(?!รู้)", r"(?<!ฮ่อง)สอน", r"ติว", r"สัมมนา", r"workshop",
                r"training", r"\bclass", r"ผู้ประกอบการดิจิ", r"พาณิชย์ดิจิ", r"ถ่ายทอดสด", r"ไลฟ์สด", r"live\s*commerce",
                r"การตลาด", r"\bmarketing\b", r"ตระหนักรู้", r"digital\s*(?:literacy|citizen)", r"การเข้าใจดิจิ",
                r"รอบหน้า", r"รุ่นหน้า", r"รุ่นต่อไป", r"ที่นั่ง", r"^สนใจ$")
FAQ_TOPIC = _words(r"อสด", r"afnc", r"thaimooc", r"itman", r"ประชารัฐ", r"ข่าวปลอม", r"แจ้งข่าว")
HELP = _words(r"^(?:เมนู|menu|help|ช่วยเหลือ|\?+|ตรวจข่าว|เช็กข่าว|เริ่มใหม่)$", r"วิธีใช้", r"ใช้(?:งาน)?ยังไง",
              r"ทำอะไรได้", r"ติดต่อ(?:เจ้าหน้าที่|แอดมิน|คน)", r"แอดมิน", r"\badmin\b", r"คุยกับ(?:คน|เจ้าหน้าที่)",
              r"คู่มือ", r"ฟังก์ชัน", r"\bmenu\b", r"what\s+can\s+you\s+do", r"ตอบช้า",
              r"ส่ง(?:รูป|ภาพ|คลิป|วิดีโอ|เสียง|ไฟล์)\S{0,12}ได้ไหม")
GREETING = _words(r"สวัสดี", r"หวัดดี", r"^ดี(?:ค่ะ|ครับ|จ้า)", r"ขอบคุณ", r"ขอบใจ", r"\bthx\b", r"\bthanks?\b",
                  r"\bthank\s+you\b", r"^(?:hi|hello|hey|ok|okay|lol|bye)\b", r"good\s+(?:morning|night|evening)",
                  r"อรุณ", r"ราตรี", r"ฝันดี", r"ฮ่า", r"^อิอิ", r"^โอเค", r"รับทราบ", r"^ได้เลย", r"เข้าใจแล้ว",
                  r"ขอโทษ", r"ส่งผิด", r"^บาย", r"^(?:ใช่|จ้า|ค่ะ|ครับ|คับ|ๆ|\s)+$", r"สติกเกอร์", r"กินข้าว(?:ยัง|กัน)",
                  r"เป็นยังไงบ้าง", r"คิดถึง", r"น่ารัก(?!ษา)")

QUESTION = _words(r"ไหม", r"ยังไง", r"ที่ไหน", r"ไหน", r"อะไร", r"เมื่อไ(?:หร่|ร)", r"(?<!เ)กี่", r"เท่าไ(?:ร|หร่)",
                  r"ใคร(?!ก็)", r"ทำไม", r"บ้าง", r"หรือยัง", r"ใช่ไหม", r"\?",
                  r"\b(?:where|how|what|when|which|can\s+i|is\s+there)\b")
REQUEST = _words(r"อยาก", r"^ขอ(?![งบ])", r"ขอ(?:เบอร์|แผนที่|รายชื่อ|ข้อมูล)", r"ช่วยหา", r"^หา", r"แนะนำ", r"สนใจ",
                 r"ต้องการ", r"สอบถาม", r"รบกวน", r"\bplease\b", r"\bnear\b", r"\bnearest\b", r"\bi\s+want\b")
NEAR = _words(r"ใกล้", r"แถว", r"\bnear", r"ในพื้นที่")
LOCATE = _words(r"ที่ไหน", r"อยู่ไหน", r"ไปทางไหน", r"เบอร์", r"แผนที่", r"เปิด", r"ปิดกี่", r"\bwhere\b", r"\bin\s+[a-z]")
"""Where it is, how to get there, when it is open, how to call it."""
PLACE = _words(r"(?<!ทุก)(?:อำเภอ|จังหวัด|ตำบล|เขต)(?!ไหน|ละ|ต่าง)\p{Thai}{2}", r"(?:^|[^\p{Thai}])[อจต]\.\p{Thai}{2}",
               r"กทม", r"กรุงเทพ", r"โคราช", r"ประจวบ", r"สุราษฎร์", r"อยุธยา", r"นครศรี", r"อุบล", r"อุดร")
ABOUT = _words(r"คืออะไร", r"กี่แห่ง", r"กี่ศูนย์", r"ทั้งหมด", r"ทุกจังหวัด", r"ทำอะไร", r"บริการอะไร", r"มีอะไรบ้าง",
               r"ของใคร", r"คือใคร", r"ยังไง", r"สมัครงาน", r"ค่าสมัคร", r"ค่าแรกเข้า")
"""A question about centres in general, which the FAQ answers, rather than for one."""
LONE_CENTRE = _words(r"ศูนย์(?=ที่|แถว|ใกล้|อยู่|เปิด|ปิด|ใน|[อจต]\.|อำเภอ|จังหวัด|ตำบล|\s|$)")
""""ศูนย์ที่หนองคายเปิดกี่โมง": "ศูนย์" alone as the subject, not "ศูนย์กำจัดขยะ" or "ศูนย์การค้า"."""
NEAR_ME = _words(r"(?:ใกล้|แถว)(?:ฉัน|บ้าน|ๆ|นี้|ที่สุด)*$", r"near\s*me$")
NEWS_HOW = _words(r"ข่าว\S*(?:ยังไง|วิธี)", r"(?:ยังไง|วิธี)\S*ข่าว")
"""How to check, spot or report news: a question for the FAQ even when no phrasing is close."""
FUZZY_TERMS: tuple[tuple[str, Intent], ...] = (("ศูนย์ดิจิทัล", Intent.CENTRE), ("หลักสูตร", Intent.COURSE),
                                               ("อาสาสมัครดิจิทัล", Intent.FAQ), ("ต่อต้านข่าวปลอม", Intent.FAQ))
FUZZY_SCORE = 85
"""rapidfuzz partial_ratio for a misspelt topic word ("ศุนย์ดิจิทล"); "ศูนย์ต่อต้าน…" and "การตลาดดิจิทัล" score < 75."""

LONG_MESSAGE = 140
"""Characters (spaces removed) beyond which a message is a forward, not a question typed to a bot."""
CHAIN_LINES = 3
SHORT_MESSAGE = 32
"""Characters (spaces removed) up to which a bare topic ("ศูนย์ดิจิทัลชุมชน อำเภอสูงเนิน") is a request."""
FAQ_EXACT = 0.95
"""An FAQ score only the FAQ's own phrasings reach (no other message of the bench sets passes 0.90)."""
FAQ_LIKELY = 0.72
"""An FAQ score from which a message that names no other topic is an FAQ question (nlp.faq scale)."""
FAQ_POSSIBLE = 0.5
"""From here, a question that is nothing else recognisable is more likely an FAQ than a claim to check."""
GREETING_MESSAGE = 60
"""Characters up to which a message with a greeting and no topic is chit-chat ("สวัสดีวันจันทร์ ขอให้…")."""
BARE_WORDS: dict[str, tuple[Intent, ...]] = {
    "อสด": (Intent.FAQ, Intent.COURSE),
    "ศูนย์": (Intent.CENTRE, Intent.FAQ),
    "ดิจิทัล": (Intent.CENTRE, Intent.COURSE),
    "สมัคร": (Intent.COURSE, Intent.FAQ),
    "ข่าวปลอม": (Intent.FACT_CHECK, Intent.FAQ),
}
"""One word alone that could mean two things; guessing would annoy, so the bot asks."""
PARTICLES = regex.compile(r"(?:ครับ|คับ|ค่ะ|คะ|ค้ะ|จ้า|จ้ะ|นะ|หน่อย)+$")
COMMON_WORD_PROVINCES = frozenset({"เลย", "ตาก", "น่าน", "แพร่", "ตรัง"})
"""Provinces whose names are everyday words ("ไปได้เลย", "ตากผ้า", "น่านฟ้า", "แพร่ระบาด"): only จ./จังหวัด … counts."""


@cache
def _provinces() -> regex.Pattern[str]:
    names = sorted({str(name) for name in provinces()} - COMMON_WORD_PROVINCES, key=len, reverse=True)
    return regex.compile("|".join(regex.escape(name) for name in names))


@dataclass(frozen=True)
class _Message:
    raw: str
    text: str
    """Cleaned, Thai words joined."""
    canonical: str
    """Canonical (nlp.faq), Thai words joined."""
    links: bool
    """A URL or a phone number: what people forward, not what they type to a bot."""

    @property
    def length(self) -> int:
        return len(self.text.replace(" ", ""))


def _read(text: str) -> _Message:
    normalised = normalise(text)
    return _Message(raw=text, text=THAI_GAP.sub("", normalised.text),
                    canonical=THAI_GAP.sub("", fold(normalised.text)),
                    links=bool(normalised.urls or normalised.phones))


def _is_forward(message: _Message) -> bool:
    """Reads as a forwarded claim whatever it mentions: links, chain wording, money, urgency, length."""
    if message.links or message.length > LONG_MESSAGE or ALARM.search(message.raw):
        return True
    if sum(1 for line in message.raw.splitlines() if line.strip()) >= CHAIN_LINES:
        return True
    text = message.text
    if SHARING.search(text) and not HOW.search(text) or URGENCY.search(text) or MONEY.search(text):
        return True
    # "ข่าวนี้จริงไหม ตรวจยังไง" asks how to check, not whether something is true.
    return bool(VERIFY.search(text)) and not HOW.search(text)


def _fuzzy_topic(text: str, intent: Intent) -> bool:
    return any(fuzz.partial_ratio(term, text, score_cutoff=FUZZY_SCORE) for term, of in FUZZY_TERMS if of is intent)


def _bare(message: _Message) -> tuple[Intent, ...]:
    word = PARTICLES.sub("", message.canonical.replace(" ", ""))
    return BARE_WORDS.get(word, ())


@dataclass(frozen=True)
class _Topics:
    faq: bool
    centre: bool
    course: bool
    service: bool
    """A centre's service (Wi-Fi, computers, printing): a centre request only with a place or a "where"."""
    help: bool

    @classmethod
    def of(cls, message: _Message) -> _Topics:
        canonical = message.canonical
        return cls(faq=bool(FAQ_TOPIC.search(canonical)) or _fuzzy_topic(message.text, Intent.FAQ),
                   centre=bool(CENTRE.search(canonical)) or _fuzzy_topic(message.text, Intent.CENTRE),
                   course=bool(COURSE.search(canonical)) or _fuzzy_topic(message.text, Intent.COURSE),
                   service=bool(CENTRE_SERVICE.search(canonical)), help=bool(HELP.search(canonical)))

    @property
    def any(self) -> bool:
        return self.faq or self.centre or self.course or self.service or self.help


def classify(text: str, faq: FaqIndex | None = None) -> IntentResult:
    """`faq`, when given, lets a question close to an FAQ phrasing count as one even without a topic word."""
    message = _read(text)
    if not message.text:
        # Emoji, laughter or punctuation only: a sticker in words, or "???". A bare link is still to be checked.
        return IntentResult(Intent.FACT_CHECK if message.links else Intent.HELP if "?" in text else Intent.GREETING)
    if _is_forward(message):
        return IntentResult(Intent.FAQ if _is_faq_phrasing(message, faq) else Intent.FACT_CHECK)
    if alternatives := _bare(message):
        return IntentResult(alternatives[0], alternatives)
    topics = _Topics.of(message)
    canonical = message.canonical
    asks = bool(QUESTION.search(canonical) or REQUEST.search(canonical))
    if not asks and message.length > SHORT_MESSAGE:
        # Neither asks nor is short: a statement, which about a topic is a claim about it.
        if _is_faq_phrasing(message, faq):
            return IntentResult(Intent.FAQ)
        chatting = message.length <= GREETING_MESSAGE and not topics.any and bool(GREETING.search(canonical))
        return IntentResult(Intent.GREETING if chatting else Intent.FACT_CHECK)
    return _answer(message, topics, asks, _faq_score(faq, text))


def _faq_score(faq: FaqIndex | None, text: str) -> float:
    return faq.best_score(text) if faq is not None else 0.0


def _is_faq_phrasing(message: _Message, faq: FaqIndex | None) -> bool:
    """One of the FAQ's own phrasings, which a quick reply may send back: "… ค่าแรกเข้า 50000 จริงไหม" reads
    as a forward and "ส่งข่าวให้ศูนย์ต่อต้านข่าวปลอมตรวจ" as a statement, yet both are FAQ questions."""
    return not message.links and message.length <= LONG_MESSAGE and _faq_score(faq, message.raw) >= FAQ_EXACT


def _answer(message: _Message, topics: _Topics, asks: bool, faq_score: float) -> IntentResult:
    """A question, a request or a short message that is not a forward: which topic it is about."""
    if faq_score >= FAQ_EXACT:
        return IntentResult(Intent.FAQ)  # "วิธีค้นหาศูนย์ดิจิทัลชุมชน" is the FAQ's, not a search
    canonical = message.canonical
    located = bool(NEAR.search(canonical) or PLACE.search(canonical) or _provinces().search(canonical))
    if CLAIM.search(canonical):
        # Handouts and job offers: the FAQ may cover the scam; a centre list or a course never answers it.
        about_scam = topics.faq or topics.centre and bool(ABOUT.search(canonical)) or faq_score >= FAQ_LIKELY
        return IntentResult(Intent.FAQ if about_scam else Intent.FACT_CHECK)
    if topics.faq and not located:
        return IntentResult(Intent.FAQ)
    if topics.centre or topics.service and (located or LOCATE.search(canonical)):
        if topics.course:
            return IntentResult(Intent.COURSE) if asks else IntentResult(Intent.COURSE, (Intent.COURSE, Intent.CENTRE))
        if topics.centre and not located and not LOCATE.search(canonical) and ABOUT.search(canonical):
            return IntentResult(Intent.FAQ)
        return IntentResult(Intent.CENTRE)
    if topics.course:
        return IntentResult(Intent.COURSE)
    if topics.help:
        return IntentResult(Intent.HELP)
    if topics.faq or faq_score >= FAQ_LIKELY:
        return IntentResult(Intent.FAQ)
    if LONE_CENTRE.search(canonical) and (located or LOCATE.search(canonical)) or NEAR_ME.match(canonical):
        return IntentResult(Intent.CENTRE)
    if NEWS_HOW.search(canonical):
        return IntentResult(Intent.FAQ)
    if GREETING.search(canonical):
        return IntentResult(Intent.GREETING)
    if faq_score >= FAQ_POSSIBLE and QUESTION.search(canonical):
        return IntentResult(Intent.FAQ)
    return IntentResult(Intent.FACT_CHECK)
