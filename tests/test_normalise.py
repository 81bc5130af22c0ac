"""Normalisation of forwarded Thai messages."""
from __future__ import annotations

import pytest
import regex

from nlp.normalise import canonical_url, normalise, without_contacts, years
from nlp.tokenise import char_ngrams, claim_title, content_tokens, strip_boilerplate


@pytest.mark.parametrize("raw, expected", [
    ("ทํา", "ทำ"),  # decomposed sara am (nikhahit + sara aa)
    ("ไม่่", "ไม่"),  # doubled tone mark
    ("มากกกกก", "มาก"),  # repeated characters
    ("จริงงง ค่าาา", "จริง ค่า"),  # three at the end of a word are stretching too
    # three where two words meet, or an abbreviation standing alone, are not (fresh14, read after its opening)
    ("สื่อออนไลน์ ระบบบัตรทอง ชื่อออมสิน", "สื่อออนไลน์ ระบบบัตรทอง ชื่อออมสิน"),
    ("ททท. และ สสส.", "ททท. และ สสส."),
    ("ราคา ๑๒,๕๐๐ บาท", "ราคา 12,500 บาท"),  # Thai digits
    ("ออม\u200bสิน", "ออมสิน"),  # zero-width space
    ("Thailand Pass", "thailand pass"),  # Latin lower-cased
    ("ฮาาาา 555555+", "ฮา"),  # laughter
    ("ด่วน!!!!! จริง???", "ด่วน จริง"),  # punctuation runs
])
def test_text_is_cleaned(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_urls_phones_and_emojis_become_features() -> None:
    result = normalise("🚨 โทร 081-234-5678 ดู https://WWW.Example.com/a/?utm_source=line&id=7 😱😱")
    assert result.urls == ("https://example.com/a?id=7",)
    assert result.phones == ("0812345678",)
    assert result.emojis == ("🚨", "😱😱")
    assert "081" not in result.text and "http" not in result.text


@pytest.mark.parametrize("url", [
    "https://www.antifakenewscenter.com/?p=52539",
    "http://antifakenewscenter.com/?p=52539",
    "https://m.antifakenewscenter.com/?p=52539&fbclid=abc",
    "HTTPS://WWW.ANTIFAKENEWSCENTER.COM?p=52539&utm_medium=social",
    "www.antifakenewscenter.com/?p=52539",
])
def test_url_spellings_share_one_canonical_form(url: str) -> None:
    assert canonical_url(url) == "https://antifakenewscenter.com?p=52539"


def test_specific_numbers_exclude_years_and_ignore_commas() -> None:
    assert normalise("กู้ได้ 50,000 บาท ผ่อน 7 ปี ดอกเบี้ย 0.50% ตั้งแต่ปี 2567").numbers == {"50000", "7", "0.5"}


@pytest.mark.parametrize("text, expected", [
    ("นักเรียนชั้น ป.6 ได้ทุน 5,000 บาท", {"ป.6", "5000"}),  # primary grade 6, not the quantity 6
    ("เด็กอายุ 6 ขวบ", {"6"}),
    ("บ้านเลขที่ 12 ม. 3 ต.บางพูด", {"12", "ม.3"}),  # village 3
    ("กม.6", {"6"}),  # a unit's abbreviation is no grade
])
def test_a_school_grade_or_village_number_is_a_label_not_a_quantity(text: str, expected: set[str]) -> None:
    assert normalise(text).numbers == expected


def test_chain_boilerplate_is_weighed_out() -> None:
    text = normalise("ด่วน!! ส่งต่อให้คนที่คุณรัก หมอจุฬาฯ บอกมา ว่ามะนาวรักษามะเร็งได้ จริงไหมคะ").text
    assert strip_boilerplate(text) == "ว่ามะนาวรักษามะเร็งได้"


def test_content_tokens_drop_stopwords_and_char_ngrams_ignore_spaces() -> None:
    assert content_tokens("ออมสินจะปล่อยกู้ให้กับทุกคน") == ["ออมสิน", "ปล่อย", "กู้"]
    assert char_ngrams("ออม สิน") == char_ngrams("ออมสิน")


def test_public_text_keeps_no_links_or_phone_numbers() -> None:
    assert without_contacts("โทร 081-234-5678 กดลิงก์ https://bit.ly/x ด่วน") == "โทร กดลิงก์ ด่วน"


@pytest.mark.parametrize("raw, expected", [
    ("เรื่อง: ด่วนมาก!! ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ https://x.example/a 🔋🔋 ส่งต่อกันด้วย",
     "ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์"),
    ("ด่วน!! ออมสินแจกเงินผู้สูงอายุ ลงทะเบียนในไลน์ ส่งต่อด้วยนะ", "ออมสินแจกเงินผู้สูงอายุ ลงทะเบียนในไลน์"),
    ("รับเงินคืนภาษี!!! ที่ 081-234-5678", "รับเงินคืนภาษี! ที่"),
    ("ดื่มน้ำมะพร้าวทุกวันช่วยล้างไต", "ดื่มน้ำมะพร้าวทุกวันช่วยล้างไต"),
])
def test_a_claim_title_is_the_message_without_chain_wording(raw: str, expected: str) -> None:
    assert claim_title(raw) == expected


def test_a_long_claim_title_is_cut_at_a_word() -> None:
    title = claim_title("ออมสินแจกเงิน " * 30)
    assert title.endswith("ออมสินแจกเงิน…") and len(regex.findall(r"\X", title)) <= 121


@pytest.mark.parametrize(("text", "expected"), [
    ("เยียวยาอุทกภัยปี 2564", {2564}),
    ("โควิดระบาดปี 2021", {2564}),  # ค.ศ. read as พ.ศ.
    ("แจก 2000 บาท ปี 2567", {2567}),  # an amount is not a year
    ("ครบรอบ 108 ปี", set()),
])
def test_years_are_read_as_buddhist_era(text: str, expected: set[int]) -> None:
    assert years(normalise(text).text) == expected


@pytest.mark.parametrize(("claim", "message"), [
    ("ฉีดวัคซีนโควิดที่สถาบันโรคผิวหนัง ตั้งแต่วันที่ 1 ต.ค. 65", "ตั้งแต่วันที่ ๑ ตุลาคม ๒๕๖๕ ไปฉีดวัคซีนโควิดที่สถาบันโรคผิวหนัง"),
    ("กสทช. จัดระเบียบซิม ปี 67 ใครถือครองเกิน 6 ซิม ต้องยืนยันตัวตน", "ปี 2024 ใครมีซิมเกิน 6 เบอร์ต้องไปยืนยันตัวตน"),
    ("ยกเว้นค่าผ่านทางพิเศษ 3 สายทาง ในวันที่ 16 ก.พ. 65", "ขึ้นทางด่วนฟรี 3 สาย 16 กุมภา 65"),  # a month as said
    ("น้ำท่วมหนัก ต.ค. 65", "น้ำท่วมหนักตุลา 65"),
])
def test_a_two_digit_buddhist_era_year_is_a_year_not_a_number(claim: str, message: str) -> None:
    """AFNC writes "ต.ค. 65"; citizens write "2565" or "2022": the same year, and no number either side lacks."""
    assert years(normalise(claim).text) == years(normalise(message).text)
    assert normalise(claim).numbers == normalise(message).numbers


@pytest.mark.parametrize("text", ["ภายในเดือนมีนาคม 70 ราย", "อายุ 60 ปี 10 เดือน", "ปี 50 บาท", "มีนา 50 บาท",
                                  "ตุลาการ 65 คน"])
def test_a_count_or_an_amount_after_a_month_or_year_word_stays_a_number(text: str) -> None:
    assert normalise(text).numbers and not years(normalise(text).text)


@pytest.mark.parametrize("text", ["กรมบังคับคดีจัดมหกรรมไกล่เกลี่ยหนี้", "ครม. อนุมัติจ้างบัณฑิตจบใหม่", "ประกาศคะแนนสอบ",
                                  "ขึ้นทางด่วนฟรีช่วงสงกรานต์", "รถด่วนขบวนพิเศษ"])
def test_a_particle_or_ด่วน_inside_a_word_is_no_boilerplate(text: str) -> None:
    """fresh11, after its opening: "กรมบังคับคดี" lost its "คับ" and was no agency, on claims and messages alike."""
    assert strip_boilerplate(text) == text


def test_particles_that_end_a_word_are_still_weighed_out() -> None:
    assert strip_boilerplate("ออมสินปล่อยกู้นะคะ ส่งต่อด่วน ถูกบังคับ ครับ") == "ออมสินปล่อยกู้ ถูกบังคับ"


@pytest.mark.parametrize("spelling", ["COVID-19", "โควิด-19", "โควิด 19", "โควิด19", "covid 19", "โควิท-19", "โควิด-๑๙",
                                      "โควิด – 19"])
def test_the_disease_name_is_one_word_and_no_number(spelling: str) -> None:
    normalised = normalise(f"ตรวจ {spelling} ฟรี 18 โรงพยาบาล")
    assert normalised.numbers == {"18"}
    assert "โควิด" in normalised.text.split()


def test_a_count_of_cases_after_the_disease_stays_a_number() -> None:
    assert normalise("พบผู้ติดเชื้อโควิด 19 ราย").numbers == {"19"}
    assert normalise("ผู้ติดเชื้อโควิด-19 รายใหม่ 10 ราย").numbers == {"10"}


def test_a_year_after_a_spoken_month_is_another_year_than_the_claims() -> None:
    """fresh17's look-alike moved free expressway day to "16 กุมภา 66"; the claim's is 16 ก.พ. 65."""
    assert years(normalise("ขึ้นทางด่วนฟรี 3 สาย 16 กุมภา 66").text) == {2566}
    assert years(normalise("ยกเว้นค่าผ่านทางพิเศษ 3 สายทาง ในวันที่ 16 ก.พ. 65").text) == {2565}


@pytest.mark.parametrize(("claim", "message"), [
    ("ยกเว้นค่าผ่านทางพิเศษ ในวันที่ 16 ก.พ. 65", "ยกเว้นค่าผ่านทางพิเศษ ในวันที่ 16 กุมภา 65"),
    ("เปิดรับสมัคร 1 ม.ค. นี้", "เปิดรับสมัคร 1 มกราคมนี้"),
    ("ฝนตกหนักเดือน ต.ค.", "ฝนตกหนักเดือนตุลาคม"),
])
def test_a_month_by_name_is_written_as_afncs_abbreviation(claim: str, message: str) -> None:
    assert normalise(message).text == normalise(claim).text


@pytest.mark.parametrize("text", ["น้องกันยาไปโรงเรียน", "ตุลาการ 65 คน", "ธันวาคอนเสิร์ต"])
def test_a_spoken_month_name_without_its_day_is_left_alone(text: str) -> None:
    assert normalise(text).text == text
