"""What a coordinator does to a case, whether from LINE (handlers.coordinator, handlers.reroute) or the web desk
(bot.desk): one implementation, so both change a case, audit it and close it the same way. Callers enqueue the jobs
that follow (announce, fan out) after committing."""
from __future__ import annotations

from sqlalchemy.orm import Session

from data.audit import AuditAction, record_audit
from data.cases import RoutedBy, reassign
from data.claims import embed_missing
from data.models import Case, CaseStatus, User, Verdict
from data.verdicts import VerdictOutcome, ensure_open, give_verdict
from nlp.embed import Embedder


def take_case(session: Session, case: Case, user: User) -> bool:
    """Mark the case as this person's; False (and nothing changed) when someone else took it first."""
    ensure_open(session, case)
    if case.taken_by not in (None, user.id):
        return False
    case.taken_by, case.status = user.id, CaseStatus.TAKEN
    record_audit(session, actor=user.line_user_id, action=AuditAction.CASE_TAKE, object_type="case",
                 object_id=str(case.id))
    return True


def reroute_case(session: Session, case: Case, agency_code: str, user: User) -> None:
    """Send the case to another agency's queue, untaken, with the new routing recorded."""
    ensure_open(session, case)
    reassign(session, case, agency_code, RoutedBy.REROUTE, user.line_user_id, AuditAction.CASE_REROUTE)


def publish_verdict(session: Session, case: Case, verdict: Verdict, explanation: str, url: str | None,
                    user: User, embedder: Embedder | None, title: str) -> VerdictOutcome:
    """Give the verdict and index its claim by meaning at once, not only by its words."""
    outcome = give_verdict(session, case, verdict, explanation, url, user, embedder, title=title)
    if embedder is not None:
        embed_missing(session, embedder, only=[outcome.claim.id])
    return outcome

