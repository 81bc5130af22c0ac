"""The per-process indexes over centres and FAQ entries (data.refresh), rebuilt when an import changes their table.

A change is seen through the table's row count and newest `updated_at`. That aggregate runs at most once per
STAMP_SECONDS per table and process, not for every message (every 1:1 text is classified with the FAQ index),
so an import reaches every web process and worker within seconds, without a restart.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.centres import active_centres
from data.faq import faq_texts
from data.models import Centre, FaqEntry
from data.nearest import NearestIndex
from data.refresh import RefreshingIndex
from nlp.faq import FaqIndex

Stamp = tuple[int, datetime | None]
STAMP_SECONDS = 5.0


@dataclass(frozen=True)
class NearCentre:
    centre: Centre
    km: float


def _table_stamp(model: Any) -> Callable[[Session], Stamp]:
    def stamp(session: Session) -> Stamp:
        count, newest = session.execute(select(func.count(), func.max(model.updated_at)).select_from(model)).one()
        return count, newest
    return stamp


def _centre_index(session: Session, _previous: NearestIndex | None) -> NearestIndex:
    return NearestIndex((centre.code, centre.latitude, centre.longitude) for centre in active_centres(session)
                        if centre.latitude is not None and centre.longitude is not None)


class Knowledge:
    def __init__(self, stamp_seconds: float = STAMP_SECONDS) -> None:
        self._centres = RefreshingIndex("centre index", _table_stamp(Centre), _centre_index, stamp_seconds)
        self._faq = RefreshingIndex("FAQ index", _table_stamp(FaqEntry),
                                    lambda session, _previous: FaqIndex(faq_texts(session)), stamp_seconds)

    def nearest_centres(self, session: Session, latitude: float, longitude: float, limit: int,
                        within_km: float) -> list[NearCentre]:
        nearby = self._centres.get(session)[0].nearest(latitude, longitude, limit, within_km)
        centres = {centre.code: centre for centre in session.scalars(
            select(Centre).where(Centre.code.in_([near.key for near in nearby])))}
        return [NearCentre(centres[near.key], near.km) for near in nearby if near.key in centres]

    def faq(self, session: Session) -> FaqIndex:
        return self._faq.get(session)[0]
