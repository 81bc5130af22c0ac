"""Periodic clean-up, triggered by a deterministic sample of webhook events rather than a clock."""
from __future__ import annotations

import logging
import zlib

from bot.dedupe import purge_processed
from bot.services import current_services

log = logging.getLogger(__name__)

PURGE_ONE_EVENT_IN = 1000
"""About one event in this many triggers a purge: at 2.4M followers that is often enough, and cheap."""
PURGE_JOB_ID = "purge-processed-events"


def is_purge_due(event_id: str) -> bool:
    return zlib.crc32(event_id.encode()) % PURGE_ONE_EVENT_IN == 0


def purge_processed_events() -> int:
    with current_services().db.session() as session:
        removed = purge_processed(session)
    log.info("forgot %d processed webhook event ids past retention", removed)
    return removed
