"""The case queue with filters, most requested first: the admin JSON API's and the web desk's, one query."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select, text
from sqlalchemy.orm import Session

from data.models import OPEN_CASE_STATUSES, Case, CaseStatus, Tip

OPEN = "open"
"""The status filter for cases still waiting (open or taken); the default."""
ANY = "all"
STATUS_FILTERS = (OPEN, *(status.value for status in CaseStatus), ANY)


@dataclass(frozen=True)
class CaseFilter:
    agency_code: str | None = None
    status: str = OPEN
    overdue: bool = False
    category: str | None = None
    province_code: str | None = None
    """Cases with a tip sent from this province (a volunteer's)."""
    visible_agency: str | None = None
    """A supervisor's own agency: they see nothing else, whatever the other filters say."""


def _filtered(query: Select[Any], case_filter: CaseFilter, now: datetime) -> Select[Any]:
    if case_filter.status == OPEN:
        query = query.where(Case.status.in_(OPEN_CASE_STATUSES))
    elif case_filter.status != ANY:
        query = query.where(Case.status == CaseStatus(case_filter.status))
    for agency in (case_filter.agency_code, case_filter.visible_agency):
        if agency is not None:
            query = query.where(Case.agency_code == agency)
    if case_filter.overdue:
        query = query.where(Case.status.in_(OPEN_CASE_STATUSES), Case.due_at < now)
    if case_filter.category is not None:
        query = query.where(Case.category == case_filter.category)
    if case_filter.province_code is not None:
        query = query.where(exists().where(Tip.case_id == Case.id, Tip.province_code == case_filter.province_code))
    return query


def find_cases(session: Session, case_filter: CaseFilter, now: datetime, limit: int | None = None,
               offset: int = 0) -> list[Case]:
    query = _filtered(select(Case), case_filter, now).order_by(Case.requester_count.desc(), Case.created_at,
                                                               Case.id)
    return list(session.scalars(query.offset(offset).limit(limit)))


def count_cases(session: Session, case_filter: CaseFilter, now: datetime) -> int:
    return session.scalar(_filtered(select(func.count()).select_from(Case), case_filter, now)) or 0


def categories(session: Session) -> list[str]:
    """Every category a case has, for the filter's choices: one index probe per category (a "loose index scan"
    over ix_cases_category), not a scan of every case as DISTINCT would be."""
    return list(session.scalars(text(
        "WITH RECURSIVE found(category) AS ("
        " SELECT min(category) FROM cases"
        " UNION ALL"
        " SELECT (SELECT min(category) FROM cases WHERE category > found.category)"
        " FROM found WHERE found.category IS NOT NULL)"
        " SELECT category FROM found WHERE category IS NOT NULL")))
