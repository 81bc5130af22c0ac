"""SLA timers for a case: remind the agency at half time, escalate to the AFNC desk when due, and tell
requesters after a day that their case is still being checked. Each timer re-reads the case and does
nothing once it is answered, so a late or repeated timer is harmless."""
from __future__ import annotations

from datetime import timedelta

from bot.client import retry_key
from bot.services import current_services
from data.coordinators import FALLBACK_AGENCY, coordinators_of
from data.models import AuditEntry, Case, CaseStatus
from data.verdicts import unnotified_requesters
from workers.coordination import notify_coordinators, notify_job_id

REQUESTER_UPDATE_AFTER = timedelta(hours=24)
REMINDER = "⏰ เรื่องที่ {case} ({count} คนรอผล) เหลือเวลาอีกครึ่งหนึ่งของกำหนดตอบค่ะ"
STILL_CHECKING = ("เรื่องที่คุณส่งมา ({ref}) ยังอยู่ระหว่างตรวจสอบค่ะ ขออภัยที่ใช้เวลานาน "
                  "เมื่อมีผลจะแจ้งในแชตนี้ทันทีนะคะ 🙏")


def schedule_case_timers(case: Case) -> None:
    """Called once, when a case is announced (workers.tips.announce_case)."""
    if case.due_at is None:
        return
    queue = current_services().queue
    half = case.created_at + (case.due_at - case.created_at) / 2
    queue.enqueue_at(half, remind_agency, case.id, job_id=f"remind-case-{case.id}")
    queue.enqueue_at(case.due_at, escalate_case, case.id, job_id=f"escalate-case-{case.id}")
    queue.enqueue_at(case.created_at + REQUESTER_UPDATE_AFTER, update_requesters, case.id,
                     job_id=f"update-case-{case.id}")


def remind_agency(case_id: int) -> None:
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        if case is None or not case.is_open:
            return
        recipients = coordinators_of(session, case.agency_code)
        text = REMINDER.format(case=case.id, count=case.requester_count)
    if recipients:
        services.line.multicast(recipients, [{"type": "text", "text": text}], key=retry_key("remind", str(case_id)))


def escalate_case(case_id: int) -> None:
    """Past due and unanswered: the AFNC desk takes it over."""
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        if case is None or case.status is not CaseStatus.OPEN or case.agency_code == FALLBACK_AGENCY:
            return  # answered, or taken: a coordinator is writing the verdict, do not pull it away
        session.add(AuditEntry(actor="sla", action="case.escalate", object_type="case", object_id=str(case_id),
                               detail={"from": case.agency_code, "to": FALLBACK_AGENCY}))
        case.agency_code, case.routed_by, case.taken_by, case.status = \
            FALLBACK_AGENCY, "escalated", None, CaseStatus.OPEN
        case.routing_reason = None
    services.queue.enqueue(notify_coordinators, case_id, "escalated", job_id=notify_job_id(case_id, "escalated"))


def update_requesters(case_id: int) -> None:
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        if case is None or not case.is_open:
            return
        recipients = [line_id for _user_id, line_id in unnotified_requesters(session, case_id)]
        text = STILL_CHECKING.format(ref=f"เรื่องที่ {case.id}")
    if recipients:
        services.line.multicast(recipients, [{"type": "text", "text": text}], key=retry_key("update", str(case_id)))
