"""Cases: one rumour, many requesters. A new tip joins the open case that says the same thing."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from data.agencies import FALLBACK_AGENCY
from data.audit import AuditAction, record_audit
from data.images import open_case_with_same_picture
from data.models import OPEN_CASE_STATUSES, Agency, Case, CaseRequester, CaseStatus, Tip, utcnow
from nlp.cases import alike, related
from nlp.embed import Embedder
from nlp.match import ClaimText
from nlp.normalise import clean
from nlp.route import Decider

DEFAULT_SLA_HOURS = 2.0


class RoutedBy(StrEnum):
    """Why a case is with its agency (`Case.routed_by`): what the router decided on, or a later move. Stored."""

    NEIGHBOURS = Decider.NEIGHBOURS.value
    CATEGORY = Decider.CATEGORY.value
    KEYWORDS = Decider.KEYWORDS.value
    FALLBACK = Decider.FALLBACK.value
    REROUTE = "reroute"
    """A coordinator said ไม่ใช่หน่วยงานนี้."""
    ESCALATED = "escalated"
    """Past its deadline, sent to the AFNC desk."""

ROUTING_LOCK = 730_001
"""PostgreSQL advisory lock id: see lock_case_routing."""


@dataclass(frozen=True)
class RouteDecision:
    agency_code: str
    decided_by: str
    category: str | None
    reason: str


Router = Callable[[str], RouteDecision]


def lock_case_routing(session: Session) -> None:
    """Until the transaction ends, be the only one putting tips into cases: tips are attached one at a time, so
    two wordings never open two cases, and no tip lands in a case while it is being merged or split."""
    if session.get_bind().dialect.name == "postgresql":  # SQLite has one writer at a time anyway
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": ROUTING_LOCK})


def reassign(session: Session, case: Case, agency_code: str, routed_by: RoutedBy, actor: str,
             action: AuditAction) -> None:
    """Give an open case to another agency's queue, untaken, and audit the move (a reroute, an escalation)."""
    record_audit(session, actor=actor, action=action, object_type="case", object_id=str(case.id),
                 detail={"from": case.agency_code, "to": agency_code})
    case.agency_code, case.routed_by, case.taken_by, case.status = agency_code, routed_by, None, CaseStatus.OPEN
    case.routing_reason = None


def open_cases(session: Session) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.status.in_(OPEN_CASE_STATUSES)).order_by(Case.id)))


def related_open_cases(session: Session, text: str, embedder: Embedder | None, exclude_case_id: int | None = None,
                       embedding: bytes | None = None, closing: bool = False) -> tuple[list[Case], list[Case]]:
    """(sure, similar): open cases the text surely describes, and ones it only resembles, best first.

    The one place the same-story decision is applied to the database (a tip joins its first sure case; a
    verdict, `closing`, closes all of them and lists the similar ones); `nlp.cases.related` makes it.
    `embedding`: the text's, as `case_embedding` stores it, when it is already known.
    """
    cases = {str(case.id): case for case in open_cases(session) if case.id != exclude_case_id}
    sure, similar = related(_as_texts(cases), text, embedder, stored_vector(embedding), closing=closing)
    return [cases[case_id] for case_id in sure], [cases[case_id] for case_id in similar]


def merge_targets(session: Session, case: Case, embedder: Embedder | None) -> list[Case]:
    """The open cases most like `case`, to merge it into (`nlp.cases.alike`)."""
    cases = {str(other.id): other for other in open_cases(session) if other.id != case.id}
    return [cases[case_id] for case_id in alike(_as_texts(cases), case.text, embedder)]


def _as_texts(cases: dict[str, Case]) -> list[ClaimText]:
    """Open cases as the matcher reads them, keyed by their ids."""
    return [ClaimText(id=case_id, text=case.text, verdict="open", embedding=stored_vector(case.embedding))
            for case_id, case in cases.items()]


def add_requester(session: Session, case: Case, user_id: int | None, now: datetime) -> bool:
    """Count a citizen once per case, however many times they send it."""
    case.last_seen_at = now
    if user_id is None or session.get(CaseRequester, (case.id, user_id)) is not None:
        return False
    session.add(CaseRequester(case_id=case.id, user_id=user_id, created_at=now))
    case.requester_count += 1
    return True


def case_embedding(text: str, embedder: Embedder | None) -> bytes | None:
    """What Case.embedding stores for a case's text."""
    return embedder.embed([clean(text)])[0].astype("<f4").tobytes() if embedder else None


def stored_vector(embedding: bytes | None) -> npt.NDArray[np.float32] | None:
    """A stored `case_embedding` as the matcher reads it."""
    return np.frombuffer(embedding, dtype="<f4") if embedding else None


def open_case(session: Session, text: str, decision: RouteDecision, embedding: bytes | None,
              now: datetime) -> Case:
    """A new open case for the agency the decision names; `embedding`: the text's, from `case_embedding`."""
    agency = session.get(Agency, decision.agency_code) or session.get(Agency, FALLBACK_AGENCY)
    sla_hours = agency.sla_hours if agency else DEFAULT_SLA_HOURS
    case = Case(text=text, status=CaseStatus.OPEN, category=decision.category,
                agency_code=agency.code if agency else None, routed_by=decision.decided_by,
                routing_reason=decision.reason, embedding=embedding,
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
    case, created = open_case_with_same_picture(session, tip.id), False
    if case is None:
        embedding = case_embedding(tip.text, embedder)  # once: asked of the open cases, kept by a new one
        sure, _similar = related_open_cases(session, tip.text, embedder, embedding=embedding)
        case = sure[0] if sure else open_case(session, tip.text, route(tip.text), embedding, now)
        created = not sure
    add_requester(session, case, tip.user_id, now)
    tip.case_id, tip.routed_at = case.id, now
    return case, created


def unannounced_case_ids(session: Session, cutoff: datetime) -> list[int]:
    """Open cases created before `cutoff` whose card and timers were never set up (the job after routing was lost)."""
    return list(session.scalars(select(Case.id).where(
        Case.announced_at.is_(None), Case.status.in_(OPEN_CASE_STATUSES), Case.created_at <= cutoff).order_by(Case.id)))
