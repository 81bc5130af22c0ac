"""Route submitted tips into cases, and re-drive any whose job was lost."""
from __future__ import annotations

import logging
from datetime import timedelta

from bot.flex.messages import build_text_message
from bot.line.client import retry_key
from bot.runtime.queue import LOST_JOB_GRACE
from bot.runtime.services import current_services
from data.cases import attach_tip, lock_case_routing, unannounced_case_ids
from data.models import Case, CaseStatus, Tip, User, utcnow
from data.tips import acknowledge, reference, unacknowledged_tip_ids, unrouted_tip_ids
from workers.coordination import fanout_job_id, notify_coordinators, notify_job_id, send_verdict_to_requesters
from workers.redrive import redrive
from workers.sla import schedule_case_timers

log = logging.getLogger(__name__)

REFERENCE_AGAIN = ("ได้รับเรื่องที่คุณส่งให้เจ้าหน้าที่ตรวจสอบแล้วค่ะ 🙏 เลขที่อ้างอิง {ref}\n"
                   "เมื่อมีผลจะแจ้งในแชตนี้นะคะ ระหว่างนี้อย่าเพิ่งแชร์ต่อนะคะ")
"""The reference of a tip whose reply was lost, pushed later: worded to stand alone, not as an answer."""


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


def sweep_unrouted_tips(grace: timedelta = LOST_JOB_GRACE) -> int:
    """Re-enqueue every submitted tip still unrouted, and every case never announced, after the grace period."""
    services = current_services()
    cutoff = utcnow() - grace
    with services.db.session() as session:
        tip_ids = unrouted_tip_ids(session, cutoff)
        case_ids = unannounced_case_ids(session, cutoff)
    for tip_id in tip_ids:
        services.queue.enqueue(route_tip, tip_id, job_id=route_tip_job_id(tip_id))
    for case_id in case_ids:
        services.queue.enqueue(announce_case, case_id, job_id=announce_job_id(case_id))
    if tip_ids or case_ids:
        log.warning("re-enqueued unrouted tips %s and unannounced cases %s", tip_ids, case_ids)
    return len(tip_ids) + len(case_ids)


def reference_job_id(tip_id: int) -> str:
    return f"reference-tip-{tip_id}"


def send_tip_reference(tip_id: int) -> None:
    """Push the reference of a tip whose reply never went out (the reply token is long expired by now)."""
    services = current_services()
    with services.db.session() as session:
        tip = session.get(Tip, tip_id)
        if tip is None or tip.acknowledged_at is not None or tip.user_id is None:
            return  # the reply went out after all, or the citizen asked to be forgotten
        user = session.get(User, tip.user_id)
        if user is None or not user.is_active:  # blocked the bot: nothing can reach them, stop trying
            acknowledge(session, tip_id)
            return
        line_user_id, ref = user.line_user_id, reference(session, tip_id)
    message = build_text_message(REFERENCE_AGAIN.format(ref=ref))
    services.line.push(line_user_id, [message], key=retry_key("tip-reference", str(tip_id)))
    with services.db.session() as session:
        acknowledge(session, tip_id)


def sweep_unacknowledged_tips() -> int:
    """Send again the references whose reply job was lost with Redis."""
    return redrive(unacknowledged_tip_ids, send_tip_reference, reference_job_id, "the lost reference replies of tips")
