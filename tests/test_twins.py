"""The strict twin rule of the benchmarks: AFNC's pages about one rumour, never a look-alike."""
from __future__ import annotations

import pytest

from bench import twins as twin_rule
from bench.twins import Twins
from nlp.match import ClaimText

CATALOG = [
    ClaimText("leaf", "ใบข่อยดำรักษาโรคมะเร็ง", "fake"),
    ClaimText("leaf-again", "ใบข่อยดำ มีสรรพคุณช่วยรักษาโรคมะเร็ง", "fake"),
    ClaimText("leaf-true", "ใบข่อยดำรักษาโรคมะเร็ง จริงหรือ", "true"),
    ClaimText("herb-nontree", "ผลิตภัณฑ์ยาแคปซูลฟ้าทะลายโจร โนนทรี เป็นผลิตภัณฑ์ที่ได้รับอนุญาตจาก อย. ขายออนไลน์ได้",
              "fake"),
    ClaimText("herb-greenherb", "ผลิตภัณฑ์ยาแคปซูลฟ้าทะลายโจร กรีนเฮิร์บ เป็นผลิตภัณฑ์ที่ได้รับอนุญาตจาก อย. "
              "ขายออนไลน์ได้", "fake"),
    ClaimText("airport-bkk", "สนามบินสุวรรณภูมิให้จอดรถฟรี 9-13 ธ.ค. 65", "true"),
    ClaimText("airport-dmk", "สนามบินดอนเมืองให้จอดรถฟรี 9-13 ธ.ค. 65", "true"),
    ClaimText("fee-100", "ปรับเบี้ยผู้สูงอายุ เพิ่มคนละ 100 บาท", "fake"),
    ClaimText("fee-200", "ปรับเบี้ยผู้สูงอายุ เพิ่มคนละ 200 บาท", "fake"),
    ClaimText("loan", "ออมสินปล่อยสินเชื่อ ไม่ต้องมีคนค้ำ", "fake"),
    ClaimText("no-loan", "ออมสินไม่ปล่อยสินเชื่อ ไม่ต้องมีคนค้ำ", "fake"),
]


@pytest.fixture(scope="module")
def twins() -> Twins:
    return Twins(CATALOG)


def test_a_rumour_published_again_in_other_words_is_a_twin(twins: Twins) -> None:
    assert twins("leaf", "leaf-again") and twins("leaf-again", "leaf")


@pytest.mark.parametrize(("first", "second"), [
    ("leaf", "leaf-true"),  # another verdict
    ("herb-nontree", "herb-greenherb"),  # a rare name swapped for another
    ("airport-bkk", "airport-dmk"),  # rival places
    ("fee-100", "fee-200"),  # another amount
    ("loan", "no-loan"),  # one negates what the other says
    ("leaf", "leaf"),  # a claim is not its own twin
    ("leaf", "unknown"),
])
def test_look_alikes_are_never_twins(twins: Twins, first: str, second: str) -> None:
    assert not twins(first, second)


def test_only_the_swap_of_rare_names_keeps_two_brands_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(twin_rule, "RARE_CLAIMS", 0)
    assert Twins(CATALOG)("herb-nontree", "herb-greenherb")
