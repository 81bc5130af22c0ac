"""Coordinators' corrections to how tips were grouped: two cases that are one story are merged, and a wording that
tells another story is split out into a case of its own. Callers hold data.cases.lock_case_routing first, so
no tip is being attached meanwhile."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.audit import AuditAction, record_audit
from data.cases import Router, add_requester, case_embedding, open_case
from data.db import rows_changed
from data.models import Case, CaseRequester, CaseStatus, Tip, User, utcnow
from data.verdicts import ensure_open
from nlp.embed import Embedder


def merge_cases(session: Session, source: Case, target: Case, coordinator: User) -> None:
    """Fold `source` into `target`: its tips and requesters move (a citizen in both counts once) and it closes as
    merged, pointing at the target, which keeps its text, agency and SLA."""
    if source.id == target.id:
        raise ValueError(f"case {source.id} cannot be merged into itself")
    ensure_open(session, source)
    ensure_open(session, target)
    tips = rows_changed(session, update(Tip).where(Tip.case_id == source.id).values(case_id=target.id))
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
    record_audit(session, actor=coordinator.line_user_id, action=AuditAction.CASE_MERGE, object_type="case",
                 object_id=str(source.id),
                 detail={"into": target.id, "tips": tips, "requesters": source.requester_count,
                         "shared": shared})
    source.status, source.merged_into_id, source.requester_count = CaseStatus.MERGED, target.id, 0
    session.flush()


def case_wordings(session: Session, case_id: int) -> list[Tip]:
    """One tip per distinct text in the case, newest first: a wrong join is most often a recent one."""
    wordings: dict[str, Tip] = {}
    for tip in session.scalars(select(Tip).where(Tip.case_id == case_id).order_by(Tip.id.desc())):
        wordings.setdefault(tip.text, tip)
    return list(wordings.values())


def split_tip(session: Session, case: Case, tip: Tip, route: Router, embedder: Embedder | None,
              coordinator: User) -> Case:
    """Open a new case, routed like any other, for a tip that tells another story than its case.

    Tips of the case with exactly its words go with it (one wording, one story). Their senders wait on the new
    case, and leave the old one unless another of their messages stays there.
    """
    ensure_open(session, case)
    tips = list(session.scalars(select(Tip).where(Tip.case_id == case.id).order_by(Tip.id)))
    moving = [other for other in tips if other.text == tip.text]
    staying = [other for other in tips if other.text != tip.text]
    if tip.case_id != case.id or not staying:
        raise ValueError(f"tip {tip.id} is not a wording of case {case.id} that can be split out of it")
    now = utcnow()
    new = open_case(session, tip.text, route(tip.text), case_embedding(tip.text, embedder), now)
    new.split_from_id = case.id
    for moved in moving:
        moved.case_id = new.id
    # A sender since forgotten has no requester row; each such message stands for one person, as in the trends.
    forgotten = sum(1 for moved in moving if moved.user_id is None)
    new.requester_count += forgotten
    case.requester_count -= forgotten
    staying_senders = {other.user_id for other in staying}
    for user_id in {moved.user_id for moved in moving if moved.user_id is not None}:
        add_requester(session, new, user_id, now)
        requester = session.get(CaseRequester, (case.id, user_id))
        if user_id not in staying_senders and requester is not None:
            session.delete(requester)
            case.requester_count -= 1
    if all(other.text != case.text for other in staying):  # coordinators read the case as its first tip's text
        case.text, case.embedding = staying[0].text, case_embedding(staying[0].text, embedder)
    record_audit(session, actor=coordinator.line_user_id, action=AuditAction.CASE_SPLIT, object_type="case",
                 object_id=str(case.id), detail={"tip": tip.id, "into": new.id, "tips": len(moving)})
    session.flush()
    return new
