"""Rival names: one agency, bank, place, month or disease is never another's."""
from __future__ import annotations

import pytest

from nlp.entities import conflict, mentioned


@pytest.mark.parametrize(("message", "claim"), [
    ("ป.ป.ท. เตือนภัยเพจปลอม", "ปปง. เตือนภัยเพจปลอม"),  # look-alike abbreviations
    ("สปส. แจกเงิน", "สปสช. แจกเงิน"),  # one is a prefix of the other
    ("กฟภ. ทำโรงไฟฟ้า", "กฟผ. ทำโรงไฟฟ้า"),
    ("บขส. หยุดเดินรถกรุงเทพฯ-ลพบุรี", "บขส. หยุดเดินรถกรุงเทพฯ-สระบุรี"),  # both name Bangkok, then differ
    ("สอบ 1-25 มิถุนา", "สอบ 1-25 พ.ค."),  # colloquial and abbreviated months
    ("คนอำเภอสัตหีบ ฉีดวัคซีนฟรี", "ประชาชนอำเภอบางละมุง ฉีดวัคซีนฟรี"),
    ("สำนักงานคณะกรรมการคุ้มครองผู้บริโภค เปิดเพจ", "กระทรวงยุติธรรม เปิดเพจ"),  # agency against ministry
    ("ททท. เปิดเพจ tatofficial", "aot เปิดเพจ aotofficial"),
    ("มะระขี้นกรักษามะเร็ง", "มะระขี้นกรักษาเบาหวาน"),
])
def test_rivals_conflict(message: str, claim: str) -> None:
    assert conflict(mentioned(message), mentioned(claim)) is not None


@pytest.mark.parametrize(("message", "claim"), [
    ("ปปง. ให้เงินคืน", "สำนักงาน ป.ป.ง. ให้เงินคืน"),  # dots or none
    ("บขส. หยุดเดินรถ", "บขส. หยุดเดินรถกรุงเทพฯ-สระบุรี"),  # naming fewer is no conflict
    ("สมควรไปตากแดด", "ตากแดดตอนเช้า"),  # "มค" in สมควร and ตาก in ตากแดด are not names
])
def test_agreeing_or_silent_names_do_not_conflict(message: str, claim: str) -> None:
    assert conflict(mentioned(message), mentioned(claim)) is None


def test_latin_spellings_stand_alone_on_the_left() -> None:
    assert mentioned("state of the art") == {}
    assert mentioned("unlimited") == {}
