"""The per-process indexes over centres and FAQ entries, rebuilt when an import changes their table.

A change is seen through the table's row count and newest `updated_at`: one cheap aggregate per use,
so an import reaches every web process and worker on their next request without a restart.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.centres import active_centres
from data.faq import faq_texts
from data.models import Centre, FaqEntry
from data.nearest import NearestIndex
from nlp.faq import FaqIndex

T = TypeVar("T")
Stamp = tuple[int, datetime | None]


@dataclass(frozen=True)
class NearCentre:
    centre: Centre
    km: float


class _Cached(Generic[T]):
    """One index and the table stamp it was built from."""

    def __init__(self, model: Any, build: Callable[[Session], T]) -> None:
        self._model = model
        self._build = build
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._value: T | None = None

    def get(self, session: Session) -> T:
        count, newest = session.execute(select(func.count(), func.max(self._model.updated_at))
                                        .select_from(self._model)).one()
        stamp = (count, newest)
        with self._lock:
            if self._value is None or stamp != self._stamp:
                self._value = self._build(session)
                self._stamp = stamp
            return self._value


def _centre_index(session: Session) -> NearestIndex:
    return NearestIndex((centre.code, centre.latitude, centre.longitude) for centre in active_centres(session)
                        if centre.latitude is not None and centre.longitude is not None)


class Knowledge:
    def __init__(self) -> None:
        self._centres = _Cached(Centre, _centre_index)
        self._faq = _Cached(FaqEntry, lambda session: FaqIndex(faq_texts(session)))

    def nearest_centres(self, session: Session, latitude: float, longitude: float, limit: int,
                        within_km: float) -> list[NearCentre]:
        nearby = self._centres.get(session).nearest(latitude, longitude, limit, within_km)
        centres = {centre.code: centre for centre in session.scalars(
            select(Centre).where(Centre.code.in_([near.key for near in nearby])))}
        return [NearCentre(centres[near.key], near.km) for near in nearby if near.key in centres]

    def faq(self, session: Session) -> FaqIndex:
        return self._faq.get(session)
