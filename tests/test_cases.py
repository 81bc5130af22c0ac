"""The same-story decision over open cases: which ones a text surely describes, which it only resembles."""
from __future__ import annotations

from flask import Flask

from data.cases import RouteDecision, open_case, related_open_cases
from data.models import CaseStatus, utcnow
from tests.conftest import services

LONG = ("ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท ลงทะเบียนผ่านลิงก์ในไลน์ กรอกเลขบัตรประชาชน เลขบัญชี "
        "และรหัสเอทีเอ็ม เงินเข้าภายในสามวัน")
SHORT = "ออมสินแจกเงินผู้สูงอายุคนละ 3,000 บาท"
MYMO = "ออมสินแจกเงินผู้สูงอายุ ลงทะเบียนผ่านแอปมายโม"
LEMON = "กินน้ำมะนาวผสมโซดารักษามะเร็งได้ หมอบอกมา"
"""The full chain message surely says what its short wording says (not the other way round: the short one
lacks most of its words); the MyMo wording only resembles it; lemon soda is another story."""
BANK = RouteDecision(agency_code="gsb", decided_by="keywords", category=None, reason="ออมสิน")


def test_sure_and_similar_open_cases(app: Flask) -> None:
    embedder = services(app).checker.embedder
    with services(app).db.session() as session:
        now = utcnow()
        long, short, mymo, lemon = (open_case(session, text, BANK, embedder, now)
                                    for text in (LONG, SHORT, MYMO, LEMON))
        assert related_open_cases(session, SHORT, embedder, exclude_case_id=short.id) == ([], [long, mymo])
        sure, similar = related_open_cases(session, LONG, embedder, exclude_case_id=long.id)
        assert (sure, similar) == ([short], [mymo])
        short.status = CaseStatus.ANSWERED  # closed cases are never related
        assert related_open_cases(session, LONG, embedder, exclude_case_id=long.id) == ([], [mymo])
        assert related_open_cases(session, LEMON, embedder, exclude_case_id=lemon.id) == ([], [])
