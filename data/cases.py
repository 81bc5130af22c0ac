"""Cases: one rumour, many requesters. A new tip joins the open case that says the same thing."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import Agency, Case, CaseRequester, CaseStatus, Tip, utcnow
from nlp.embed import Embedder
from nlp.match import ClaimMatcher, ClaimText, MatchStatus
from nlp.normalise import clean
from nlp.route import FALLBACK as FALLBACK_AGENCY

DEFAULT_SLA_HOURS = 2.0


@dataclass(frozen=True)
class RouteDecision:
    agency_code: str
    decided_by: str
    category: str | None
    reason: str


Router = Callable[[str], RouteDecision]


def open_cases(session: Session) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.status != CaseStatus.ANSWERED).order_by(Case.id)))


def find_same_case(cases: list[Case], text: str, embedder: Embedder | None) -> Case | None:
    """The open case whose text the matcher would confidently call the same claim, if any."""
    if not cases:
        return None
    texts = [ClaimText(id=str(case.id), text=case.text, verdict="open",
                       embedding=np.frombuffer(case.embedding, dtype="<f4") if case.embedding else None)
             for case in cases]
    match = ClaimMatcher(texts, embedder).match(text)
    if match.status is not MatchStatus.MATCH or match.claim_id is None:
        return None
    return next(case for case in cases if str(case.id) == match.claim_id)


def add_requester(session: Session, case: Case, user_id: int | None, now: datetime) -> bool:
    """Count a citizen once per case, however many times they send it."""
    case.last_seen_at = now
    if user_id is None or session.get(CaseRequester, (case.id, user_id)) is not None:
        return False
    session.add(CaseRequester(case_id=case.id, user_id=user_id, created_at=now))
    case.requester_count += 1
    return True


def open_case(session: Session, text: str, decision: RouteDecision, embedder: Embedder | None,
              now: datetime) -> Case:
    agency = session.get(Agency, decision.agency_code) or session.get(Agency, FALLBACK_AGENCY)
    sla_hours = agency.sla_hours if agency else DEFAULT_SLA_HOURS
    vector = embedder.embed([clean(text)])[0].astype("<f4").tobytes() if embedder else None
    case = Case(text=text, status=CaseStatus.OPEN, category=decision.category,
                agency_code=agency.code if agency else None, routed_by=decision.decided_by,
                routing_reason=decision.reason, embedding=vector,
                created_at=now, last_seen_at=now, due_at=now + timedelta(hours=sla_hours))
    session.add(case)
    session.flush()
    return case


def attach_tip(session: Session, tip: Tip, route: Router, embedder: Embedder | None,
               now: datetime | None = None) -> tuple[Case, bool]:
    """Put a submitted tip into a case: an open one that says the same thing, or a new, routed one.

    Returns (case, created). Idempotent: a tip already routed returns its case unchanged.
    """
    now = now or utcnow()
    if tip.case_id is not None:
        case = session.get(Case, tip.case_id)
        assert case is not None
        return case, False
    case = find_same_case(open_cases(session), tip.text, embedder)
    created = case is None
    if case is None:
        case = open_case(session, tip.text, route(tip.text), embedder, now)
    add_requester(session, case, tip.user_id, now)
    tip.case_id, tip.routed_at = case.id, now
    return case, created


def unannounced_case_ids(session: Session, cutoff: datetime) -> list[int]:
    """Open cases created before `cutoff` whose card and timers were never set up (the job after routing was lost)."""
    return list(session.scalars(select(Case.id).where(Case.announced_at.is_(None), Case.status != CaseStatus.ANSWERED,
                                                     Case.created_at <= cutoff).order_by(Case.id)))
