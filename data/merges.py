"""Coordinators' corrections to how tips were grouped: two cases that are one story are merged. Callers hold
data.cases.lock_case_routing first, so no tip is being attached meanwhile."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.models import AuditEntry, Case, CaseRequester, CaseStatus, Tip, User
from data.verdicts import ensure_open


def merge_cases(session: Session, source: Case, target: Case, coordinator: User) -> None:
    """Fold `source` into `target`: its tips and requesters move (a citizen in both counts once) and it closes as
    merged, pointing at the target, which keeps its text, agency and SLA."""
    if source.id == target.id:
        raise ValueError(f"case {source.id} cannot be merged into itself")
    ensure_open(session, source)
    ensure_open(session, target)
    tips = session.execute(update(Tip).where(Tip.case_id == source.id).values(case_id=target.id)).rowcount
    shared = 0
    for requester in list(session.scalars(select(CaseRequester).where(CaseRequester.case_id == source.id))):
        if session.get(CaseRequester, (target.id, requester.user_id)) is None:
            session.add(CaseRequester(case_id=target.id, user_id=requester.user_id, created_at=requester.created_at))
        else:
            shared += 1
        session.delete(requester)
    # The count, not the rows: it still counts citizens who since asked to be forgotten (their rows are gone).
    target.requester_count += source.requester_count - shared
    target.last_seen_at = max(target.last_seen_at, source.last_seen_at)
    session.add(AuditEntry(actor=coordinator.line_user_id, action="case.merge", object_type="case",
                           object_id=str(source.id),
                           detail={"into": target.id, "tips": tips, "requesters": source.requester_count,
                                   "shared": shared}))
    source.status, source.merged_into_id, source.requester_count = CaseStatus.MERGED, target.id, 0
    session.flush()
