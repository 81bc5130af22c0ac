"""Periodic clean-up, triggered by a deterministic sample of webhook events rather than a clock."""
from __future__ import annotations

import logging
import zlib
from datetime import timedelta

from bot.line.dedupe import purge_processed
from bot.runtime.services import current_services
from data.group_checks import purge_group_checks
from data.images import purge_images
from data.tips import purge_drafts
from workers.coordination import sweep_unsent_verdicts
from workers.reminders import sweep_course_reminders
from workers.sla import sweep_case_timers
from workers.tips import sweep_unacknowledged_tips, sweep_unrouted_tips

log = logging.getLogger(__name__)

HOUSEKEEPING_ONE_EVENT_IN = 1000
"""About one event in this many triggers housekeeping: at 2.4M followers that is every few seconds at peak
and still a few times an hour at night, with no scheduler to keep alive."""
HOUSEKEEPING_JOB_ID = "housekeeping"


def is_housekeeping_due(event_id: str) -> bool:
    return zlib.crc32(event_id.encode()) % HOUSEKEEPING_ONE_EVENT_IN == 0


def housekeep() -> None:
    """Forget old webhook ids, unsent drafts, group checks and pictures, and re-drive from the database every job whose
    loss matters (Redis restarted empty, a worker died): routing, references, verdicts, SLA timers, reminders."""
    purge_processed_events()
    with current_services().db.session() as session:
        log.info("forgot %d tip draft(s) nobody sent", purge_drafts(session))
        log.info("forgot %d group check(s) past retention", purge_group_checks(session))
        log.info("forgot %d picture(s) past retention", purge_images(session))
    sweep_unrouted_tips()
    sweep_unacknowledged_tips()
    sweep_unsent_verdicts()
    sweep_case_timers()
    sweep_course_reminders()


def redrive_interrupted() -> None:
    """At a worker's start, re-drive at once the routing, announcements and fan-outs still owed, without the
    grace housekeeping waits: a worker killed in the middle of one (a deploy, an OOM kill) must not leave a tip
    unrouted, or half the requesters without their verdict, until RQ gives up on the dead job minutes later.
    These jobs are safe to run twice: routing is a no-op once done, a fan-out sends only to those not yet told,
    and a batch LINE already accepted is answered 409 for its retry key. Replies and references keep the grace:
    one may be on its way from a web process right now."""
    sweep_unrouted_tips(grace=timedelta(0))
    sweep_unsent_verdicts(grace=timedelta(0))


def purge_processed_events() -> int:
    with current_services().db.session() as session:
        removed = purge_processed(session)
    log.info("forgot %d processed webhook event ids past retention", removed)
    return removed
