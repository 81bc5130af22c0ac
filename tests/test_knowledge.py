"""The per-process centre and FAQ indexes: an import is seen without a restart, and the check for one is not
paid on every message."""
from __future__ import annotations

from flask import Flask

from data.knowledge import Knowledge
from data.models import FaqEntry
from tests.conftest import services


def add_entry(app: Flask, code: str) -> None:
    with services(app).db.session() as session:
        session.add(FaqEntry(code=code, questions=[f"คำถาม {code}"], answer="คำตอบค่ะ"))


def test_an_import_is_seen_once_the_stamp_is_due(app: Flask) -> None:
    add_entry(app, "first")
    knowledge = Knowledge(stamp_seconds=0)
    with services(app).db.session() as session:
        assert len(knowledge.faq(session)) == 1
    add_entry(app, "second")
    with services(app).db.session() as session:
        assert len(knowledge.faq(session)) == 2


def test_within_the_stamp_window_the_table_is_not_read_again(app: Flask) -> None:
    add_entry(app, "first")
    knowledge = Knowledge(stamp_seconds=3600)
    with services(app).db.session() as session:
        index = knowledge.faq(session)
    add_entry(app, "second")
    with services(app).db.session() as session:
        assert knowledge.faq(session) is index and len(index) == 1  # no query: the next check comes later
