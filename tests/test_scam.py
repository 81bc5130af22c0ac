"""nlp.scam: scam lures and victims recognised, warnings and ordinary news left alone (issue 13 item 9)."""
from __future__ import annotations

import pytest

from bench.scams import load_examples
from nlp.scam import ScamKind, read_scam


@pytest.mark.parametrize("text, kind", [
    ("แม่โดนหลอกโอนเงินไป 5 หมื่น ทำยังไงดีคะ", ScamKind.VICTIM),
    ("เมื่อกี้กดลิงก์ที่อ้างว่าเป็นการไฟฟ้าไปแล้ว ต้องทำยังไงครับ", ScamKind.VICTIM),
    ("โหลดแอปอัปเดตโฉนด ได้ที่ลิงก์นี้ https://bit.ly/3xLand", ScamKind.SCAM),
    ("ธนาคารกรุงไทยแจ้ง กรุณาแจ้งรหัส OTP ที่ได้รับทาง SMS เพื่อยืนยันการรับเงินช่วยเหลือ", ScamKind.SCAM),
    ("กรมที่ดินไม่มีนโยบายให้ประชาชนโหลดแอปผ่านลิงก์ทาง SMS ระวังมิจฉาชีพแอบอ้าง", ScamKind.NONE),
    ("ตำรวจไซเบอร์จับแก๊งคอลเซ็นเตอร์ได้ 20 คน ยึดทรัพย์กว่า 100 ล้านบาท", ScamKind.NONE),
    ("กรมสรรพากรขยายเวลายื่นแบบภาษีออนไลน์ถึง 8 เม.ย. ยื่นได้ที่ efiling.rd.go.th", ScamKind.NONE),
    ("ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์ ส่งต่อด้วยนะ", ScamKind.NONE),
])
def test_scams_and_victims_are_told_apart_from_news_and_warnings(text: str, kind: ScamKind) -> None:
    assert read_scam(text).kind is kind


def test_the_labelled_set_has_both_splits_and_every_kind() -> None:
    examples = load_examples()
    texts = [example.text for example in examples]
    assert len(set(texts)) == len(texts)
    for split in ("dev", "test"):
        for kind in ScamKind:
            assert sum(e.split == split and e.label is kind for e in examples) >= 10, (split, kind)
