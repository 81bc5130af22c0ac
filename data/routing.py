"""The agency router a process shares, built lazily from the database like the claim checker."""
from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data.cases import FALLBACK_AGENCY, RouteDecision
from data.models import Agency


class AgencyRouting:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._keywords: list[tuple[str, str]] | None = None

    def _keyword_rules(self) -> list[tuple[str, str]]:
        with self._lock:
            if self._keywords is None:
                with self._sessions() as session:
                    agencies = session.scalars(select(Agency).where(Agency.active.is_(True))).all()
                    self._keywords = [(keyword.lower(), agency.code) for agency in agencies
                                      for keyword in agency.keywords]
            return self._keywords

    def route(self, text: str) -> RouteDecision:
        lowered = text.lower()
        for keyword, code in self._keyword_rules():
            if keyword and keyword in lowered:
                return RouteDecision(agency_code=code, decided_by="keywords", category=None)
        return RouteDecision(agency_code=FALLBACK_AGENCY, decided_by="fallback", category=None)

    def next_agency(self, text: str, current: str) -> str:
        decision = self.route(text)
        return decision.agency_code if decision.agency_code != current else FALLBACK_AGENCY
