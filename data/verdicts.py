"""A coordinator's verdict: the case becomes a verified claim that the matcher answers from at once, and every
other open case that surely says the same thing is closed with it."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data.audit import AuditAction, record_audit
from data.cases import related_open_cases
from data.claims import bump_catalog_version
from data.models import (
    BANGKOK,
    Agency,
    Case,
    CaseRequester,
    CaseStatus,
    Claim,
    ClaimOrigin,
    User,
    Verdict,
    utcnow,
)
from nlp.embed import Embedder
from nlp.normalise import without_contacts

MAX_TITLE_CHARS = 200
"""A verdict's title, as citizens read it on the card."""


class CaseDecidedError(ValueError):
    """The case already has a verdict; carries who gave it and when, for the polite refusal."""

    def __init__(self, case: Case, decided_by: str, decided_at: datetime) -> None:
        super().__init__(f"case {case.id} was decided by {decided_by} at {decided_at.isoformat()}")
        self.case_id = case.id
        self.decided_by = decided_by
        self.decided_at = decided_at


class CaseMergedError(ValueError):
    """The case was merged into another; carries which, for the polite refusal."""

    def __init__(self, case: Case) -> None:
        super().__init__(f"case {case.id} was merged into case {case.merged_into_id}")
        self.case_id = case.id
        self.merged_into_id = case.merged_into_id


@dataclass(frozen=True)
class VerdictOutcome:
    claim: Claim
    closed: list[Case]
    """Other open cases the claim surely answers, closed with it."""
    similar: list[Case]
    """Open cases the claim only resembles: the coordinator decides whether they are the same story."""


def claim_id_for(case_id: int) -> str:
    return f"case-{case_id:06d}"


def decided_error(session: Session, case: Case) -> CaseDecidedError:
    claim = session.get(Claim, case.claim_id) if case.claim_id else None
    user = session.get(User, claim.verified_by) if claim and claim.verified_by else None
    name = (user.display_name if user else None) or "เจ้าหน้าที่"
    return CaseDecidedError(case, name, case.answered_at or utcnow())


def ensure_open(session: Session, case: Case) -> None:
    """Refuse to act on a closed case: one that has a verdict, or was merged into another."""
    if case.status is CaseStatus.ANSWERED:
        raise decided_error(session, case)
    if case.status is CaseStatus.MERGED:
        raise CaseMergedError(case)


def give_verdict(session: Session, case: Case, verdict: Verdict, explanation: str, url: str | None,
                 coordinator: User, embedder: Embedder | None, now: datetime | None = None,
                 title: str | None = None) -> VerdictOutcome:
    """Record the verdict as a claim (origin coordinator), close the case and the open cases it surely answers,
    and tell every matcher. `title` is the claim as the coordinator confirmed it; the case's text otherwise."""
    ensure_open(session, case)
    now = now or utcnow()
    agency = session.get(Agency, case.agency_code) if case.agency_code else None
    # The claim is public (the API, every future answer): never the citizen's links or phone numbers.
    text = without_contacts(title or case.text)
    claim = Claim(id=claim_id_for(case.id), text=text, explanation=explanation or None, verdict=verdict,
                  category=case.category, agency=agency.name if agency else None,
                  published_on=now.astimezone(BANGKOK).date(), source_url=url, origin=ClaimOrigin.COORDINATOR,
                  verified_by=coordinator.id, created_at=now, updated_at=now)
    session.add(claim)
    session.flush()  # the claim row must exist before the case points at it
    case.status, case.claim_id, case.answered_at = CaseStatus.ANSWERED, claim.id, now
    record_audit(session, actor=coordinator.line_user_id, action=AuditAction.CASE_VERDICT, object_type="case",
                 object_id=str(case.id), detail={"verdict": verdict.value, "claim": claim.id})
    sure, similar = related_open_cases(session, claim.text, embedder, exclude_case_id=case.id, closing=True)
    # A case split from this one (or this one's origin) was told apart by a coordinator: only a coordinator closes it.
    apart = [other for other in sure if _split_apart(case, other)]
    closed = [other for other in sure if other not in apart]
    for other in closed:
        close_with_claim(session, other, claim, coordinator, case.id, now)
    bump_catalog_version(session)
    session.flush()
    return VerdictOutcome(claim=claim, closed=closed, similar=apart + similar)


def _split_apart(case: Case, other: Case) -> bool:
    return other.split_from_id == case.id or case.split_from_id == other.id


def close_with_claim(session: Session, case: Case, claim: Claim, coordinator: User, decided_case_id: int,
                     now: datetime | None = None) -> None:
    """Close an open case with the verdict given on another that tells the same story: the same claim, so the
    same fan-out tells its requesters."""
    ensure_open(session, case)
    case.status, case.claim_id, case.answered_at = CaseStatus.ANSWERED, claim.id, now or utcnow()
    record_audit(session, actor=coordinator.line_user_id, action=AuditAction.CASE_SAME_VERDICT, object_type="case",
                 object_id=str(case.id),
                 detail={"verdict": claim.verdict.value, "claim": claim.id, "decided_case": decided_case_id})


def unsent_verdict_case_ids(session: Session, cutoff: datetime) -> list[int]:
    """Cases answered before `cutoff` with requesters never told the verdict: their fan-out job was lost.
    Driven from the requesters not yet told (a partial index), so the verdicts long sent cost nothing."""
    return list(session.scalars(select(CaseRequester.case_id).distinct()
                                .join(Case, Case.id == CaseRequester.case_id)
                                .where(CaseRequester.notified_at.is_(None), Case.status == CaseStatus.ANSWERED,
                                       Case.answered_at <= cutoff).order_by(CaseRequester.case_id)))


def unnotified_requesters(session: Session, case_id: int) -> list[tuple[int, str]]:
    """(user id, LINE user id) of requesters not yet told the verdict, in a stable order."""
    rows = session.execute(select(User.id, User.line_user_id).join(CaseRequester, CaseRequester.user_id == User.id)
                           .where(CaseRequester.case_id == case_id, CaseRequester.notified_at.is_(None))
                           .order_by(User.id))
    return [(user_id, line_user_id) for user_id, line_user_id in rows]


def untold_requesters(session: Session, claim_id: str) -> list[tuple[int, str]]:
    """(user id, LINE user id) of everyone waiting on a case this claim answered and not yet told it, once each
    however many of those cases they sent, in a stable order."""
    told = func.count(CaseRequester.notified_at)
    rows = session.execute(select(User.id, User.line_user_id)
                           .join(CaseRequester, CaseRequester.user_id == User.id)
                           .join(Case, Case.id == CaseRequester.case_id)
                           .where(Case.claim_id == claim_id)
                           .group_by(User.id, User.line_user_id).having(told == 0).order_by(User.id))
    return [(user_id, line_user_id) for user_id, line_user_id in rows]


def mark_told(session: Session, claim_id: str, user_ids: Collection[int], now: datetime) -> None:
    """Record that these users were told the claim: on every case of theirs it answered.

    The id range adds nothing to which rows change, but it bounds the primary-key scan: without it, on a
    table whose statistics lag behind a burst of requesters, PostgreSQL read all of a case's 100,000 rows for
    each batch of 500 (18 ms a batch instead of 3)."""
    answered = select(Case.id).where(Case.claim_id == claim_id)
    session.execute(update(CaseRequester).where(CaseRequester.case_id.in_(answered),
                                                CaseRequester.user_id.between(min(user_ids), max(user_ids)),
                                                CaseRequester.user_id.in_(list(user_ids)))
                    .values(notified_at=now))
