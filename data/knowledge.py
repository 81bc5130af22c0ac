"""The per-process indexes over centres and FAQ entries, rebuilt when an import changes their table.

A change is seen through the table's row count and newest `updated_at`. That aggregate runs at most once per
STAMP_SECONDS per table and process, not for every message (every 1:1 text is classified with the FAQ index),
so an import reaches every web process and worker within seconds, without a restart.
"""
from __future__ import annotations

import threading
import time
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
STAMP_SECONDS = 5.0


@dataclass(frozen=True)
class NearCentre:
    centre: Centre
    km: float


class _Cached(Generic[T]):
    """One index and the table stamp it was built from."""

    def __init__(self, model: Any, build: Callable[[Session], T], stamp_seconds: float) -> None:
        self._model = model
        self._build = build
        self._stamp_seconds = stamp_seconds
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._value: T | None = None
        self._checked_at = 0.0

    def get(self, session: Session) -> T:
        with self._lock:
            if self._value is not None and time.monotonic() - self._checked_at < self._stamp_seconds:
                return self._value
        count, newest = session.execute(select(func.count(), func.max(self._model.updated_at))
                                        .select_from(self._model)).one()
        stamp = (count, newest)
        with self._lock:
            if self._value is None or stamp != self._stamp:
                self._value = self._build(session)
                self._stamp = stamp
            self._checked_at = time.monotonic()
            return self._value


def _centre_index(session: Session) -> NearestIndex:
    return NearestIndex((centre.code, centre.latitude, centre.longitude) for centre in active_centres(session)
                        if centre.latitude is not None and centre.longitude is not None)


class Knowledge:
    def __init__(self, stamp_seconds: float = STAMP_SECONDS) -> None:
        self._centres = _Cached(Centre, _centre_index, stamp_seconds)
        self._faq = _Cached(FaqEntry, lambda session: FaqIndex(faq_texts(session)), stamp_seconds)

    def nearest_centres(self, session: Session, latitude: float, longitude: float, limit: int,
                        within_km: float) -> list[NearCentre]:
        nearby = self._centres.get(session).nearest(latitude, longitude, limit, within_km)
        centres = {centre.code: centre for centre in session.scalars(
            select(Centre).where(Centre.code.in_([near.key for near in nearby])))}
        return [NearCentre(centres[near.key], near.km) for near in nearby if near.key in centres]

    def faq(self, session: Session) -> FaqIndex:
        return self._faq.get(session)
