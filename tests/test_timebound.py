"""Which true claims hold only for a time, and so may be out of date when shown long after."""
from __future__ import annotations

import pytest

from nlp.timebound import is_time_bound


@pytest.mark.parametrize("text, bound", [
    ("เปิดลงทะเบียนคนละครึ่ง เฟส 3 อีก 1.1 แสนสิทธิ วันที่ 1 พ.ย. 64", True),
    ("กรมสรรพากรขยายเวลายื่นแบบภาษีออนไลน์ถึงสิ้นเดือน", True),
    ("ค่าไฟงวดกันยายนปรับขึ้นเป็นหน่วยละ 4.18 บาท", True),
    ("กระเทียมไม่สามารถรักษาโรคมะเร็งได้", False),
    ("ดื่มน้ำอุ่นไม่ได้ฆ่าเชื้อไวรัส", False),
])
def test_time_bound_claims(text: str, bound: bool) -> None:
    assert is_time_bound(text) is bound
