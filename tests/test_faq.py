"""The FAQ matcher on the sample FAQ: its own phrasings, rewordings, typos, the unsure band, and unrelated text."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.faq import MAX_CANDIDATES, FaqEntryText, FaqIndex

FAQ_CSV = Path(__file__).resolve().parent.parent / "data" / "sample" / "faq.csv"


def sample_entries() -> list[FaqEntryText]:
    with FAQ_CSV.open(encoding="utf-8", newline="") as handle:
        return [FaqEntryText(row["code"], tuple(row["questions"].split("|"))) for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex(sample_entries())


@pytest.mark.parametrize("entry", sample_entries(), ids=lambda entry: entry.code)
def test_every_phrasing_of_the_csv_is_answered_by_its_own_entry(index: FaqIndex, entry: FaqEntryText) -> None:
    for question in entry.questions:
        answer = index.answer(question)
        assert answer.best is not None and answer.best.code == entry.code, question
        assert answer.best.score == 1.0


@pytest.mark.parametrize("question, code", [
    ("อยากแจ้งข่าวปลอม ต้องแจ้งที่ไหนคะ", "report-fake-news"),
    ("ไวไฟฟรีของรัฐในหมู่บ้านคืออะไร", "net-pracharat"),
    ("หมู่บ้านนึงมี อสด. กี่คน", "dv-network-size"),
    ("ก่อนแชร์ข่าวควรเช็กอะไรบ้าง", "spot-fake-news"),
    ("How do I become a digital volunteer?", "dv-join"),
    ("ศูนย์ดิจิทัลชุมชนทำอะไรได้บ้าง", "dcc-what"),
])
def test_a_reworded_question_gets_its_answer(index: FaqIndex, question: str, code: str) -> None:
    answer = index.answer(question)
    assert answer.best is not None and answer.best.code == code
    assert answer.candidates == ()


@pytest.mark.parametrize("question, code", [
    ("อสด คือไร", "dv-what"),  # abbreviation without its dot, colloquial "คือไร"
    ("แจ้งข่าวปลอมยังงัย", "report-fake-news"),  # misspelt "ยังไง"
    ("ไอทีแมนคือใคร", "it-man"),  # IT Man in Thai letters
    ("thai mooc เรียนเสียตังไหม", "thaimooc"),
])
def test_typos_and_abbreviations_are_tolerated(index: FaqIndex, question: str, code: str) -> None:
    answer = index.answer(question)
    assert answer.best is not None and answer.best.code == code


@pytest.mark.parametrize("question, expected", [
    ("อสด", "dv-what"),  # which of the volunteer entries?
    ("afnc", "afnc-what"),
    ("เป็น อสด. ต้องมีคุณสมบัติอะไรบ้าง", "dv-join"),
    ("ศูนย์ต่อต้านข่าวปลอมตรวจข่าวยังไง", "afnc-after-report"),
])
def test_when_unsure_three_entries_are_offered(index: FaqIndex, question: str, expected: str) -> None:
    answer = index.answer(question)
    assert answer.best is None
    codes = [candidate.code for candidate in answer.candidates]
    assert len(codes) == MAX_CANDIDATES == len(set(codes))
    assert expected in codes
    scores = [candidate.score for candidate in answer.candidates]
    assert scores == sorted(scores, reverse=True) and index.best_score(question) == scores[0]


@pytest.mark.parametrize("text", ["ร้านทองปากซอยโดนปล้นเมื่อคืน", "สวัสดีค่ะ", "555", "", "กินมะระขี้นกต้มทุกเช้า หายเบาหวาน"])
def test_unrelated_text_gets_nothing(index: FaqIndex, text: str) -> None:
    assert index.answer(text).best is None
    assert index.answer(text).candidates == ()


def test_scores_stay_between_zero_and_one(index: FaqIndex) -> None:
    for text in ("อสด", "แจ้งข่าวปลอมยังไง แจ้งข่าวปลอมยังไง แจ้งข่าวปลอมยังไง", "ศูนย์ดิจิทัล อสด afnc thai mooc"):
        assert 0.0 <= index.best_score(text) <= 1.0


def test_an_index_built_from_any_rows_matches_their_phrasings() -> None:
    index = FaqIndex([FaqEntryText("hours", ("ศูนย์เปิดกี่โมง", "เวลาเปิดปิด")),
                      FaqEntryText("fee", ("ใช้บริการเสียเงินไหม", "มีค่าใช้จ่ายไหม"))])
    assert len(index) == 2
    best = index.answer("มีค่าใช้จ่ายไหมคะ").best
    assert best is not None and best.code == "fee"
    assert FaqIndex([]).answer("มีค่าใช้จ่ายไหม") == index.answer("ร้านทองโดนปล้น")
