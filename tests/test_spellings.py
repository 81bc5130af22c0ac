"""One spelling per word that is written in many ways: loanwords in Latin or Thai letters, everyday synonyms."""
from __future__ import annotations

import pytest

from nlp.entities import mentioned
from nlp.normalise import normalise
from nlp.spellings import fold_spellings
from nlp.tokenise import content_tokens


@pytest.mark.parametrize(("claim", "message"), [
    # fresh18, read after its opening: the loan was answered with another loan's verdict
    ("ออมสินปล่อยสินเชื่อ Street Food วงเงินสูงสุด 2 แสนบาท", "ออมสินปล่อยกู้สตรีทฟู้ด คนละ2แสน"),
    ("กรุงไทยปล่อยกู้ผ่าน TikTok", "กรุงไทยปล่อยกู้ผ่านติ๊กต๊อก"),
    ("ส่ง SMS แจ้งเงินคืนภาษี", "ส่งเอสเอ็มเอสแจ้งคืนภาษี"),
    ("ฉีดวัคซีน AstraZeneca เข็มสอง", "ไปฉีดแอสตร้าเข็มสอง"),
    ("ดาวน์โหลดแอปพลิเคชันเป๋าตัง", "โหลดแอพเป๋าตัง"),
    ("คลิกลิงก์รับเงิน", "กดลิ้งค์รับเงิน"),
    ("เพจ Facebook ปลอม", "เพจเฟสบุ๊คปลอม"),
    ("รับวัคซีนแบบ Walk in", "ไปฉีดแบบวอคอินได้เลย"),
    ("มีไข้ ห้ามกินยา ibuprofen", "เปนไข้อย่ากิน ไอบูโพเฟน"),  # fresh18, read after its opening
    ("สถานที่เสี่ยง ผู้ติดเชื้อ COVID-19 เคยไป", "มีลิสสถานที่เสี่ยงที่คนติดcovidเพิ่งไปมา"),
    ("พาคุณพ่อโดยสาร BTS - BRT ฟรีตลอดสาย", "พาพ่อนั่งบีทีเอสกับบีอาร์ทีฟรีตลอดสาย"),
])
def test_a_loanword_in_latin_or_thai_letters_is_one_word(claim: str, message: str) -> None:
    differing = [token for token in content_tokens(normalise(claim).text) if token.isascii() and token.isalpha()]
    assert not differing, differing  # every Latin loanword of the claim was written in Thai letters
    assert set(content_tokens(normalise(claim).text)) & set(content_tokens(normalise(message).text))


@pytest.mark.parametrize(("formal", "everyday"), [
    ("ไปโรงพยาบาล", "ไปโรงบาล"),
    ("รักษาที่โรงพยาบาลจุฬา", "รักษาที่รพ.จุฬา"),
    ("ใส่หน้ากากอนามัย", "ใส่แมส"),
    ("กินกระเทียม", "รับประทานกระเทียม"),
    ("ปัสสาวะบ่อย", "ฉี่บ่อย"),
    ("มีผู้ตาย", "มีผู้เสียชีวิต"),
])
def test_an_everyday_word_and_the_titles_formal_one_are_one_word(formal: str, everyday: str) -> None:
    assert fold_spellings(everyday) == fold_spellings(formal)


@pytest.mark.parametrize("text", ["รพ.สต.บ้านนา", "ขอแสดงความเคารพ.", "ส่งแมสเสจมา", "เปิดแมสเซนเจอร์", "ลิงค่างในป่า",
                                  "ติดต่อเจ้าหน้าที่", "สายการบิน airline"])
def test_a_longer_word_holding_a_variant_is_left_alone(text: str) -> None:
    assert fold_spellings(text) == text


@pytest.mark.parametrize(("title", "message"), [
    ("กระทรวงสาธารณสุขเตือน", "สธ. เตือน"),
    ("ครม. ไฟเขียวเงินเยียวยา", "คณะรัฐมนตรีอนุมัติเงินเยียวยา"),
    ("แรงงานกัมพูชาเข้าไทย", "แรงงานเขมรเข้าไทย"),
    ("ขึ้นทางพิเศษฟรี", "ขึ้นทางด่วนฟรี"),
    ("ผู้ป่วยเบาหวาน", "คนป่วยเบาหวาน"),
    ("ขยายเวลาจ่ายภาษี", "ต่อเวลาชำระภาษี"),
])
def test_a_citizens_word_for_a_titles_word_is_one_word(title: str, message: str) -> None:
    assert normalise(message).text.replace(" ", "") == normalise(title).text.replace(" ", "")


def test_a_two_letter_abbreviation_stays_a_name_inside_a_longer_title() -> None:
    """"สำนักงานปลัดกระทรวงสาธารณสุข" is สธ.'s: written between spaces, two Thai letters are read as a name."""
    assert mentioned(normalise("สำนักงานปลัดกระทรวงสาธารณสุข").text) == mentioned("กระทรวงสาธารณสุข")


@pytest.mark.parametrize("text", ["วันอาทิตย์นี้", "พลังงานแสงอาทิตย์", "กรมท่าอากาศยาน", "บริษัท ท่าอากาศยานไทย"])
def test_a_name_holding_a_synonym_is_left_alone(text: str) -> None:
    assert fold_spellings(text) == text
