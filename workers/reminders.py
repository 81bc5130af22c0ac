"""The day-before reminder for a course session a user said "สนใจ" to. The job re-reads the interest, so a
cancelled registration, a deleted user or a repeated run sends nothing."""
from __future__ import annotations

import logging

from bot.flex.course import reminder_text
from bot.flex.messages import build_text_message, message_action
from bot.line.client import retry_key
from bot.runtime.services import current_services
from data.centres import area_label
from data.courses import get_session_view, reminders_due
from data.models import CourseInterest, User, utcnow

log = logging.getLogger(__name__)


def reminder_job_id(interest_id: int) -> str:
    return f"course-reminder-{interest_id}"


def send_course_reminder(interest_id: int) -> None:
    services = current_services()
    now = utcnow()
    with services.db.session() as session:
        interest = session.get(CourseInterest, interest_id)
        if interest is None or interest.cancelled_at is not None or interest.reminded_at is not None \
                or interest.user_id is None:
            return
        user = session.get(User, interest.user_id)
        view = get_session_view(session, interest.session_id)
        if user is None or not user.is_active or view is None or view.session.starts_at <= now:
            return
        line_user_id = user.line_user_id
        area = area_label(view.centre) if view.centre else None
        message = build_text_message(reminder_text(view, now, area), [message_action("ยกเลิก")])
    # No transaction stays open while LINE answers; the retry key makes a second run (a retried or re-driven
    # job, or one whose bookkeeping below failed) a no-op at LINE.
    services.line.push(line_user_id, [message], key=retry_key("course-reminder", str(interest_id)))
    with services.db.session() as session:
        sent = session.get(CourseInterest, interest_id)
        if sent is not None:
            sent.reminded_at = now


def sweep_course_reminders() -> int:
    """Re-drive reminders whose scheduled job was lost (Redis flushed, in-process timer gone with a restart)."""
    services = current_services()
    with services.db.session() as session:
        due = reminders_due(session, utcnow())
    for interest_id in due:
        services.queue.enqueue(send_course_reminder, interest_id, job_id=reminder_job_id(interest_id))
    if due:
        log.info("re-drove %d course reminder(s) whose timer was lost", len(due))
    return len(due)
