"""The agency router a process shares: built lazily from the database, rebuilt when the catalog changes."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from data.agencies import FALLBACK_AGENCY, active_agencies, labelled_claims
from data.cases import RouteDecision
from data.claims import catalog_version
from data.refresh import RefreshingIndex
from nlp.route import AgencyRouter, alternatives

log = logging.getLogger(__name__)


class AgencyRouting:
    """Lexical signals only: 3 ms a route against 44 ms with embeddings, for 1.7 points of top-1 accuracy."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._routers = RefreshingIndex("agency router", catalog_version, self._build)

    @staticmethod
    def _build(session: Session, _previous: AgencyRouter | None) -> AgencyRouter:
        specs = active_agencies(session)
        log.info("agency router: %d agencies", len(specs))
        return AgencyRouter.build(labelled_claims(session, specs), specs, FALLBACK_AGENCY)

    def _current(self) -> AgencyRouter:
        with self._sessions() as session:
            return self._routers.get(session)[0]

    def warm_up(self) -> None:
        self._current()

    def route(self, text: str) -> RouteDecision:
        routing = self._current().route(text)
        return RouteDecision(agency_code=routing.agency_code, decided_by=routing.decided_by,
                             category=routing.category, reason=routing.reason)

    def reroute_choices(self, text: str, current: str) -> list[str]:
        """What ไม่ใช่หน่วยงานนี้ offers: the router's other choices, best first, then the AFNC desk."""
        return alternatives(self._current().route(text), {current}, FALLBACK_AGENCY)
