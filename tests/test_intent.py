"""The intent classifier: the issue's two hard rules, each intent's edge cases, and when it asks instead."""
from __future__ import annotations

import pytest

from nlp.faq import FaqIndex
from nlp.intent import Intent, IntentResult, classify
from tests.test_faq import sample_entries

TOPICS = {Intent.CENTRE, Intent.COURSE}


@pytest.fixture(scope="module")
def faq() -> FaqIndex:
    return FaqIndex(sample_entries())


def both_ways(text: str, faq: FaqIndex) -> tuple[IntentResult, IntentResult]:
    """With and without the FAQ index: the rules must hold either way."""
    return classify(text, faq), classify(text)


@pytest.mark.parametrize("rumour", [
    "ด่วน!! ศูนย์ดิจิทัลชุมชนเปิดรับสมัครพนักงาน ค่าแรกเข้า 50,000 บาท รีบสมัครก่อนเต็ม แชร์ต่อด้วย",
    "กระทรวงดิจิทัลรับสมัครเจ้าหน้าที่ประจำศูนย์ดิจิทัลชุมชนทุกอำเภอ จ่ายค่าแรกเข้าห้าหมื่น",
    "ศูนย์ดิจิทัลชุมชนแจกแท็บเล็ตฟรีให้ผู้สูงอายุ ลงทะเบียนตามลิงก์ https://bit.ly/dcc-tablet",
    "ศูนย์ดิจิทัลชุมชนทั่วประเทศจะถูกปิดทั้งหมดภายในสิ้นปีนี้",
    "ศูนย์ดิจิทัลชุมชนโพธิ์ตากถูกแฮก ข้อมูลชาวบ้านหลุดหมด",
    "ศูนย์ดิจิทัลชุมชนแจกซิมเน็ตฟรีไม่อั้น ไปรับได้ที่ไหนคะ",
    "ข่าวนี้จริงมั้ยคะ ศูนย์ดิจิทัลชุมชนให้ยืมโน้ตบุ๊กกลับบ้านได้ฟรี",
    "🚨 เตือนภัย 🚨\nมีแก๊งอ้างเป็นเจ้าหน้าที่ศูนย์ดิจิทัลชุมชน\nโทรมาขอรหัส OTP\nส่งต่อให้คนที่คุณรักด้วย",
    "SET เปิดคอร์สเรียนเทรดหุ้นฟรี 15 วันเป็นเซียน สมัครผ่านไลน์",
    "กระทรวงแรงงานเปิดอบรมออนไลน์ฟรี 20 หลักสูตร เรียนจบได้เงินวันละ 300 บาท",
    "ศูนย์ดิจิทัลชุมชนบ้านเราเปิดสอนไลฟ์สด ใครสนใจไปสมัครได้เลย",
    "หลักสูตร อสด. เรียนจบแล้วได้บรรจุเป็นข้าราชการ",
    "22 สค 68 แผ่นดิน ไหว 5.4 ห่างจากแม่ฮ่อง สอน 599 กม. รู้สึกกันมั้ยย",
    "กทม.สร้างที่ชาร์จรถ EV 30หัว ที่ศูนย์กำจัดขยะหนอง แขม จริงดิ?",
])
def test_a_rumour_never_gets_a_centre_or_a_course(faq: FaqIndex, rumour: str) -> None:
    for result in both_ways(rumour, faq):
        assert result.intent is Intent.FACT_CHECK
        assert not TOPICS & set(result.alternatives)


@pytest.mark.parametrize("text", [
    "ศูนย์ดิจิทัลชุมชนใกล้ฉัน", "ศูนย์ดิจิทัลชุมชน ใกล้ฉันค่ะ", "ศูนดิจิทัลใกล้ฉัน", "ศุนย์ดิจิทัลชุมชนใกล้ฉัน",
    "ศูนย์ดิจิใกล้ฉัน", "ศูนย์ดิจิตอลชุมชนใกล้ฉัน", "ศูนย์ใกล้ฉัน", "digital center near me",
])
def test_a_centre_near_me_is_never_a_rumour(faq: FaqIndex, text: str) -> None:
    for result in both_ways(text, faq):
        assert result == IntentResult(Intent.CENTRE)


@pytest.mark.parametrize("text", [
    "ศูนย์ดิจิ หนองคาย",  # abbreviation and a province
    "ศุนย์ดิจิทัลชุมชน อ.โพธิ์ตาก",  # typo and อ.
    "ศูนย์ดิจิทัลแถว ต.โพธิ์ตาก",
    "มีศูนย์ดิจิทัลชุมชนในจังหวัดยโสธรไหมครับ",
    "ขอเบอร์โทรศูนย์ดิจิทัลชุมชนบ้านกร่างหน่อยค่ะ",
    "ศูนย์ดิจิทัลชุมชนเปิดวันเสาร์ไหม",
    "ขอบคุณค่ะ ศูนย์ที่หนองคายเปิดกี่โมงคะ",  # thanks first; "ศูนย์" alone with a place
    "อยากใช้คอมฟรี ไปได้ที่ไหนแถวกุยบุรี",  # a centre's service, no centre word
    "Where is the nearest community digital centre?",
])
def test_centre_requests(faq: FaqIndex, text: str) -> None:
    assert classify(text, faq).intent is Intent.CENTRE


@pytest.mark.parametrize("text", [
    "มีคอร์สอะไรบ้างคะ", "คอส ขายของออนไลน์", "หลักสูดการตลาดดิจิตอล", "อบรมพาณิชย์ดิจิทัล สมัครยังไง",
    "มีอบรมฟรีแถวหนองคายไหมครับ", "อบรมครั้งหน้าที่ศูนย์โพธิ์ตากเมื่อไหร่คะ", "สนใจ", "Can I join the live commerce training?",
])
def test_course_requests(faq: FaqIndex, text: str) -> None:
    assert classify(text, faq).intent is Intent.COURSE


@pytest.mark.parametrize("text", [
    "อสด คือไร", "แจ้งข่าวปลอมยังงัย", "AFNC ย่อมาจากอะไร", "thai mooc เรียนเสียตังไหม", "ไอทีแมนคือใคร",
    "ศูนย์ดิจิทัลชุมชนทำอะไรได้บ้าง",  # about centres in general: the FAQ, not a search
    "ทุกจังหวัดมีศูนย์ดิจิทัลชุมชนไหม",
    "เขาเรียกเก็บค่าแรกเข้าตอนสมัครงานศูนย์ดิจิทัล ปกติไหมคะ",  # asks about the scam, forwards nothing
    "How do I become a digital volunteer?",
])
def test_faq_questions_are_recognised_by_their_topic_words(faq: FaqIndex, text: str) -> None:
    for result in both_ways(text, faq):
        assert result == IntentResult(Intent.FAQ)


def test_each_phrasing_of_the_faq_is_an_faq_question(faq: FaqIndex) -> None:
    """Even "รับสมัครเจ้าหน้าที่ศูนย์ดิจิทัลชุมชน ค่าแรกเข้า 50000 จริงไหม": a quick reply may send it back verbatim."""
    for entry in sample_entries():
        for question in entry.questions:
            assert classify(question, faq) == IntentResult(Intent.FAQ), question


@pytest.mark.parametrize("text", ["แจ้งไปแล้วจะรู้ผลเมื่อไหร่", "ก่อนแชร์ข่าวควรเช็กอะไรบ้าง"])
def test_the_faq_index_recognises_a_question_without_topic_words(faq: FaqIndex, text: str) -> None:
    assert classify(text, faq).intent is Intent.FAQ
    assert classify(text).intent is Intent.FACT_CHECK  # without the index: a question the checker gets


@pytest.mark.parametrize("text", ["เมนู", "ช่วยเหลือ", "help", "ใช้ยังไง", "บอทนี้ทำอะไรได้บ้างคะ", "ติดต่อเจ้าหน้าที่", "?", "???"])
def test_help(faq: FaqIndex, text: str) -> None:
    assert classify(text, faq).intent is Intent.HELP


@pytest.mark.parametrize("text", [
    "สวัสดีค่ะ", "ขอบคุณมากครับ", "555", "👍", "🙏🙏", "[สติกเกอร์]", "โอเคค่ะ", "thank you", "กินข้าวยัง",
    "สวัสดีวันจันทร์ ขอให้มีความสุขนะคะ 🌸",
])
def test_greetings_thanks_and_stickers(faq: FaqIndex, text: str) -> None:
    assert classify(text, faq).intent is Intent.GREETING


@pytest.mark.parametrize("text", [
    "อาหารค้างคืนเอามาอุ่นกินซ้ำ ทำให้เป็นมะเร็ง",  # a plain claim, no chain wording
    "ได้ข่าวว่าออมสินแจกเงินผู้สูงอายุ 3,000 บาท จริงไหมคะ",
    "https://bit.ly/3kXy9aa",  # a bare link
    "จริงไหม",  # a fragment about what was forwarded before
    "Is it true that drinking hot water kills the virus?",
    "จ้างเด็กอายุต่ำกว่า 15 ปีทำงาน ไม่ผิดกฎหมาย",  # "จ้าง" is not "จ้า"
])
def test_anything_else_substantive_is_checked(faq: FaqIndex, text: str) -> None:
    assert classify(text, faq) == IntentResult(Intent.FACT_CHECK)


@pytest.mark.parametrize("text, alternatives", [
    ("อสด.", (Intent.FAQ, Intent.COURSE)),
    ("อสด ค่ะ", (Intent.FAQ, Intent.COURSE)),
    ("ศูนย์", (Intent.CENTRE, Intent.FAQ)),
    ("ข่าวปลอม", (Intent.FACT_CHECK, Intent.FAQ)),
    ("อบรมที่ศูนย์ดิจิทัล", (Intent.COURSE, Intent.CENTRE)),
    ("ศูนย์ดิจิทัลชุมชน อบรม", (Intent.COURSE, Intent.CENTRE)),
])
def test_a_message_that_could_mean_two_things_is_asked_about(faq: FaqIndex, text: str,
                                                             alternatives: tuple[Intent, ...]) -> None:
    result = classify(text, faq)
    assert result.ambiguous
    assert result.alternatives == alternatives and result.intent is alternatives[0]


def test_a_clear_message_offers_no_alternatives(faq: FaqIndex) -> None:
    result = classify("มีอบรมที่ศูนย์ดิจิทัลชุมชนโพธิ์ตากไหม", faq)  # course and centre, but it asks for sessions
    assert result == IntentResult(Intent.COURSE) and not result.ambiguous


def test_intents_are_plain_strings_for_postbacks_and_logs() -> None:
    assert [intent.value for intent in Intent] == ["fact_check", "centre", "course", "faq", "help", "greeting"]
    assert Intent("centre") is Intent.CENTRE
