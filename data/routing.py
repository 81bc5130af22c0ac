"""The agency router a process shares: built lazily from the database, rebuilt when the catalog changes."""
from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from data.agencies import active_agencies, labelled_claims
from data.cases import RouteDecision
from data.claims import catalog_version
from nlp.route import AgencyRouter, alternatives

log = logging.getLogger(__name__)


class AgencyRouting:
    """Lexical signals only: 3 ms a route against 44 ms with embeddings, for 1.7 points of top-1 accuracy."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._router: AgencyRouter | None = None
        self._version = -1

    def _current(self) -> AgencyRouter:
        with self._sessions() as session, self._lock:
            version = catalog_version(session)
            if self._router is None or version != self._version:
                specs = active_agencies(session)
                self._router = AgencyRouter.build(labelled_claims(session, specs), specs)
                self._version = version
                log.info("agency router built: %d agencies, catalog version %d", len(specs), version)
            return self._router

    def warm_up(self) -> None:
        self._current()

    def route(self, text: str) -> RouteDecision:
        routing = self._current().route(text)
        return RouteDecision(agency_code=routing.agency_code, decided_by=routing.decided_by,
                             category=routing.category, reason=routing.reason)

    def reroute_choices(self, text: str, current: str) -> list[str]:
        """What ไม่ใช่หน่วยงานนี้ offers: the router's other choices, best first, then the AFNC desk."""
        return alternatives(self._current().route(text), {current})
