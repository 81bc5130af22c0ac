"""Route submitted tips into cases, and re-drive any whose job was lost."""
from __future__ import annotations

import logging

from bot.services import current_services
from data.cases import attach_tip, lock_case_routing, unannounced_case_ids
from data.models import Case, CaseStatus, Tip, utcnow
from data.tips import UNROUTED_GRACE, unrouted_tip_ids
from workers.coordination import fanout_job_id, notify_coordinators, notify_job_id, send_verdict_to_requesters
from workers.sla import schedule_case_timers

log = logging.getLogger(__name__)


def route_tip_job_id(tip_id: int) -> str:
    return f"route-tip-{tip_id}"


def route_tip(tip_id: int) -> None:
    """Attach the tip to a case (joining an open one or opening a routed one); a no-op once routed."""
    services = current_services()
    embedder = services.checker.embedder
    with services.db.session() as session:
        lock_case_routing(session)
        tip = session.get(Tip, tip_id)
        if tip is None or tip.submitted_at is None or tip.routed_at is not None:
            return
        case, created = attach_tip(session, tip, services.route, embedder)
        case_id = case.id
    log.info("tip %d → case %d (%s)", tip_id, case_id, "new" if created else "joined")
    with services.db.session() as session:
        answered = session.get(Case, case_id).status is CaseStatus.ANSWERED  # type: ignore[union-attr]
    if answered:
        # The verdict landed while this tip was joining: its fan-out may have read the requesters before us.
        # Sending again is safe: only requesters not yet told are sent to.
        services.queue.enqueue(send_verdict_to_requesters, case_id, job_id=f"{fanout_job_id(case_id)}-{tip_id}")
    if created:
        services.queue.enqueue(announce_case, case_id, job_id=announce_job_id(case_id))


def announce_job_id(case_id: int) -> str:
    return f"announce-case-{case_id}"


def announce_case(case_id: int) -> None:
    """Send a new case's card and set its SLA timers, once: recorded in `announced_at`."""
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id, with_for_update=True)
        if case is None or case.announced_at is not None:
            return
        schedule_case_timers(case)
        services.queue.enqueue(notify_coordinators, case_id, "routed", job_id=notify_job_id(case_id, "routed"))
        case.announced_at = utcnow()


def sweep_unrouted_tips() -> int:
    """Re-enqueue every submitted tip still unrouted, and every case never announced, after the grace period."""
    services = current_services()
    with services.db.session() as session:
        tip_ids = unrouted_tip_ids(session)
        case_ids = unannounced_case_ids(session, utcnow(), UNROUTED_GRACE)
    for tip_id in tip_ids:
        services.queue.enqueue(route_tip, tip_id, job_id=route_tip_job_id(tip_id))
    for case_id in case_ids:
        services.queue.enqueue(announce_case, case_id, job_id=announce_job_id(case_id))
    if tip_ids or case_ids:
        log.warning("re-enqueued unrouted tips %s and unannounced cases %s", tip_ids, case_ids)
    return len(tip_ids) + len(case_ids)
