"""FAQ entries as the matcher sees them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import FaqEntry
from nlp.faq import FaqEntryText


def faq_texts(session: Session) -> list[FaqEntryText]:
    return [FaqEntryText(code=entry.code, questions=tuple(entry.questions))
            for entry in session.scalars(select(FaqEntry).order_by(FaqEntry.code))]


def get_faq(session: Session, code: str) -> FaqEntry | None:
    return session.get(FaqEntry, code)
