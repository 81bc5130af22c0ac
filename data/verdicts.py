"""A coordinator's verdict: the case becomes a verified claim that the matcher answers from at once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.claims import bump_catalog_version
from data.models import (BANGKOK, Agency, AuditEntry, Case, CaseRequester, CaseStatus, Claim, ClaimOrigin, User,
                         Verdict, utcnow)
from nlp.normalise import without_contacts


class CaseDecidedError(ValueError):
    """The case already has a verdict; carries who gave it and when, for the polite refusal."""

    def __init__(self, case: Case, decided_by: str, decided_at: datetime) -> None:
        super().__init__(f"case {case.id} was decided by {decided_by} at {decided_at.isoformat()}")
        self.decided_by = decided_by
        self.decided_at = decided_at


def claim_id_for(case_id: int) -> str:
    return f"case-{case_id:06d}"


def decided_error(session: Session, case: Case) -> CaseDecidedError:
    claim = session.get(Claim, case.claim_id) if case.claim_id else None
    user = session.get(User, claim.verified_by) if claim and claim.verified_by else None
    name = (user.display_name if user else None) or "เจ้าหน้าที่"
    return CaseDecidedError(case, name, case.answered_at or utcnow())


def give_verdict(session: Session, case: Case, verdict: Verdict, explanation: str, url: str | None,
                 coordinator: User, now: datetime | None = None) -> Claim:
    """Record the verdict as a claim (origin coordinator), close the case, and tell every matcher."""
    if case.status is CaseStatus.ANSWERED:
        raise decided_error(session, case)
    now = now or utcnow()
    agency = session.get(Agency, case.agency_code) if case.agency_code else None
    # The claim is public (the API, every future answer): never the citizen's links or phone numbers.
    claim = Claim(id=claim_id_for(case.id), text=without_contacts(case.text), explanation=explanation or None, verdict=verdict,
                  category=case.category, agency=agency.name if agency else None,
                  published_on=now.astimezone(BANGKOK).date(), source_url=url, origin=ClaimOrigin.COORDINATOR,
                  verified_by=coordinator.id, created_at=now, updated_at=now)
    session.add(claim)
    session.flush()  # the claim row must exist before the case points at it
    case.status, case.claim_id, case.answered_at = CaseStatus.ANSWERED, claim.id, now
    session.add(AuditEntry(actor=coordinator.line_user_id, action="case.verdict", object_type="case",
                           object_id=str(case.id), detail={"verdict": verdict.value, "claim": claim.id}))
    bump_catalog_version(session)
    session.flush()
    return claim


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
