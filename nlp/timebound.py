"""Does a claim hold only for a time? Deadlines, registration periods, schemes, rates and dates go out of date;
"กระเทียมไม่รักษามะเร็ง" does not. A true claim of the first kind, shown long after it was verified, must say so."""
from __future__ import annotations

import regex

from nlp.entities import MONTH_ABBREVIATIONS

TIME_BOUND = regex.compile("|".join([
    r"ลงทะเบียน", r"รับสมัคร", r"เปิดรับ", r"เปิดให้", r"หมดเขต", r"สิ้นสุด", r"ขยายเวลา", r"เลื่อน", r"กำหนด",
    r"ภายในวันที่", r"ถึงวันที่", r"ตั้งแต่วันที่", r"วันที่\s*\d", r"เริ่ม", r"ยื่น", r"โครงการ", r"มาตรการ",
    r"เยียวยา", r"สวัสดิการ", r"อัตรา", r"ค่าธรรมเนียม", r"ราคา", r"ปรับขึ้น", r"ปรับลด", r"ประกาศ", r"ปีนี้",
    r"เดือนนี้", r"ปีหน้า", r"พ\.ศ\.", r"\b25[6-9]\d\b", r"\b20[2-3]\d\b",
    *(regex.escape(month) for month in (*MONTH_ABBREVIATIONS, *MONTH_ABBREVIATIONS.values())),
]))


def is_time_bound(text: str) -> bool:
    return TIME_BOUND.search(text) is not None
