"""Re-drive jobs a Redis restart or a dead worker lost: the database says what is still owed."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.runtime.queue import LOST_JOB_GRACE
from bot.runtime.services import current_services
from data.models import utcnow

log = logging.getLogger(__name__)


def redrive(owed: Callable[[Session, datetime], list[int]], job: Callable[[int], object],
            job_id: Callable[[int], str], what: str, grace: timedelta = LOST_JOB_GRACE) -> int:
    """Enqueue `job` again for every id `owed` still lists after the grace period; the job id dedupes a
    job that is merely late."""
    services = current_services()
    with services.db.session() as session:
        ids = owed(session, utcnow() - grace)
    for item in ids:
        services.queue.enqueue(job, item, job_id=job_id(item))
    if ids:
        log.warning("re-drove %s %s", what, ids)
    return len(ids)
