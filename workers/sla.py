"""SLA timers for a case: remind the agency at half time, escalate to the AFNC desk when due, and tell
requesters after a day that their case is still being checked.

The timers wait in Redis (RQ's scheduler), which loses them when it restarts empty. Each timer records on the
case that it ran, so housekeeping runs any whose time passed without it; and each re-reads the case and does
nothing once answered or already run, so a late or repeated timer is harmless."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.flex.thai_dates import thai_time
from bot.line.client import retry_key
from bot.runtime.queue import LOST_JOB_GRACE
from bot.runtime.services import current_services
from data.audit import AuditAction
from data.cases import RoutedBy, open_cases, reassign
from data.coordinators import FALLBACK_AGENCY, coordinators_of
from data.models import BANGKOK, Case, CaseStatus, utcnow
from data.verdicts import unnotified_requesters
from workers.coordination import notify_coordinators, notify_job_id

log = logging.getLogger(__name__)

REQUESTER_UPDATE_AFTER = timedelta(hours=24)
REMINDER = "⏰ เรื่องที่ {case} ({count} คนรอผล) ใช้เวลาไปครึ่งหนึ่งแล้วค่ะ ควรตอบภายใน {due} น."
STILL_CHECKING = ("เรื่องที่คุณส่งมา ({ref}) ยังอยู่ระหว่างตรวจสอบค่ะ ขออภัยที่ใช้เวลานาน "
                  "เมื่อมีผลจะแจ้งในแชตนี้ทันทีนะคะ 🙏")


@dataclass(frozen=True)
class Timer:
    job_id: str
    run: Callable[[int], None]
    at: datetime
    ran_at: datetime | None


def case_timers(case: Case) -> list[Timer]:
    """The case's three timers: when each is due, and when it ran (None: not yet)."""
    assert case.due_at is not None
    half = case.created_at + (case.due_at - case.created_at) / 2
    return [Timer(f"remind-case-{case.id}", remind_agency, half, case.reminded_at),
            Timer(f"escalate-case-{case.id}", escalate_case, case.due_at, case.escalation_checked_at),
            Timer(f"update-case-{case.id}", update_requesters, case.created_at + REQUESTER_UPDATE_AFTER,
                  case.requesters_updated_at)]


def schedule_case_timers(case: Case) -> None:
    """Called once, when a case is announced (workers.tips.announce_case)."""
    if case.due_at is None:
        return
    queue = current_services().queue
    for timer in case_timers(case):
        queue.enqueue_at(timer.at, timer.run, case.id, job_id=timer.job_id)


def sweep_case_timers() -> int:
    """Run the timers of open cases whose time passed without them: their jobs were lost with Redis."""
    services = current_services()
    cutoff = utcnow() - LOST_JOB_GRACE
    with services.db.session() as session:
        lost = [(timer, case.id) for case in open_cases(session) if case.announced_at and case.due_at
                for timer in case_timers(case) if timer.ran_at is None and timer.at <= cutoff]
    for timer, case_id in lost:
        services.queue.enqueue(timer.run, case_id, job_id=timer.job_id)
    if lost:
        log.warning("re-drove lost SLA timers %s", [timer.job_id for timer, _case_id in lost])
    return len(lost)


def remind_agency(case_id: int) -> None:
    services = current_services()
    now = utcnow()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        if case is None or not case.is_open or case.reminded_at is not None:
            return
        # A reminder re-driven after the case fell due would say "half the time left": the escalation speaks.
        recipients = coordinators_of(session, case.agency_code) if case.due_at and now < case.due_at else []
        text = REMINDER.format(case=case.id, count=case.requester_count, due=_due(case.due_at, now))
    if recipients:
        services.line.multicast(recipients, [{"type": "text", "text": text}], key=retry_key("remind", str(case_id)))
    with services.db.session() as session:
        reminded = session.get(Case, case_id)
        if reminded is not None:
            reminded.reminded_at = now


def _due(due_at: datetime | None, now: datetime) -> str:
    """"14:30", or "4 ธ.ค. 2569 09:00" when the case falls due on another Bangkok day than today."""
    if due_at is None:
        return "-"
    local = due_at.astimezone(BANGKOK)
    return f"{local:%H:%M}" if local.date() == now.astimezone(BANGKOK).date() else thai_time(due_at)


def escalate_case(case_id: int) -> None:
    """Past due and unanswered: the AFNC desk takes it over."""
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id, with_for_update=True)
        if case is None or not case.is_open or case.escalation_checked_at is not None:
            return
        case.escalation_checked_at = utcnow()
        if case.status is not CaseStatus.OPEN or case.agency_code == FALLBACK_AGENCY:
            return  # taken: a coordinator is writing the verdict, do not pull it away
        reassign(session, case, FALLBACK_AGENCY, RoutedBy.ESCALATED, "sla", AuditAction.CASE_ESCALATE)
    services.queue.enqueue(notify_coordinators, case_id, "escalated", job_id=notify_job_id(case_id, "escalated"))


def update_requesters(case_id: int) -> None:
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        if case is None or not case.is_open or case.requesters_updated_at is not None:
            return
        recipients = [line_id for _user_id, line_id in unnotified_requesters(session, case_id)]
        text = STILL_CHECKING.format(ref=f"เรื่องที่ {case.id}")
    if recipients:
        services.line.multicast(recipients, [{"type": "text", "text": text}], key=retry_key("update", str(case_id)))
    with services.db.session() as session:
        updated = session.get(Case, case_id)
        if updated is not None:
            updated.requesters_updated_at = utcnow()
