"""How agencies keep up: the figures the LINE stats tile, the admin JSON API and the web desk all show, from one
set of queries (aggregates in the database: they stay fast at 100k cases)."""
from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from data.models import BANGKOK, OPEN_CASE_STATUSES, Agency, Case

SERIES_DAYS = 30
"""The desk's charts: the last 30 days, today included."""
NO_CATEGORY = "ไม่ระบุหมวด"


@dataclass(frozen=True)
class AgencyStats:
    open_cases: int
    overdue: int
    answered: int
    answered_today: int
    answered_on_time: int
    median_minutes_to_verdict: float | None

    @property
    def within_sla_share(self) -> float | None:
        return self.answered_on_time / self.answered if self.answered else None

    def as_thai(self) -> str:
        median = f"{self.median_minutes_to_verdict:.0f} นาที" if self.median_minutes_to_verdict is not None else "-"
        share = f"{self.within_sla_share:.0%}" if self.within_sla_share is not None else "-"
        return (f"สถิติหน่วยงาน\nรอตรวจ: {self.open_cases} เรื่อง\nตอบแล้ววันนี้: {self.answered_today} เรื่อง\n"
                f"ครึ่งหนึ่งของเรื่องตอบภายใน: {median}\nตอบทันกำหนด: {share}")


EMPTY_STATS = AgencyStats(open_cases=0, overdue=0, answered=0, answered_today=0, answered_on_time=0,
                          median_minutes_to_verdict=None)
ALL = "*"
"""The key of the figures over every agency in scope, beside each agency's own."""


def start_of_day(day: date) -> datetime:
    """Midnight in Bangkok, as an aware datetime: "today" in every figure is Thailand's day."""
    return datetime.combine(day, time(), tzinfo=BANGKOK)


def _scope(agency_codes: Collection[str] | None) -> ColumnElement[bool]:
    return Case.agency_code.in_(list(agency_codes)) if agency_codes is not None else Case.id.is_not(None)


def agency_figures(session: Session, now: datetime, agency_codes: Collection[str] | None = None,
                   with_total: bool = False) -> dict[str, AgencyStats]:
    """Each agency's figures (those named, or all with cases; a case never routed counts under ""), and with
    `with_total` their sum under ALL, whose median is over every case, not a median of medians."""
    today = start_of_day(now.astimezone(BANGKOK).date())
    answered = Case.answered_at.is_not(None)
    is_open = Case.status.in_(OPEN_CASE_STATUSES)
    counts = (func.count().filter(is_open), func.count().filter(and_(is_open, Case.due_at < now)),
              func.count().filter(answered), func.count().filter(Case.answered_at >= today),
              func.count().filter(and_(answered, or_(Case.due_at.is_(None), Case.answered_at <= Case.due_at))))
    rows = [(code or "", *values) for code, *values in session.execute(
        select(Case.agency_code, *counts).where(_scope(agency_codes)).group_by(Case.agency_code))]
    medians = _median_minutes(session, agency_codes, grouped=True)
    if with_total:
        rows.append((ALL, *session.execute(select(*counts).where(_scope(agency_codes))).one()))
        medians[ALL] = _median_minutes(session, agency_codes, grouped=False).get(ALL)
    return {code: AgencyStats(open_cases=open_cases, overdue=overdue, answered=answered_count,
                              answered_today=today_count, answered_on_time=on_time,
                              median_minutes_to_verdict=medians.get(code))
            for code, open_cases, overdue, answered_count, today_count, on_time in rows}


def _median_minutes(session: Session, agency_codes: Collection[str] | None,
                    grouped: bool) -> dict[str, float | None]:
    """Median minutes from a case's first tip to its verdict, per agency or (not grouped) under ALL. PostgreSQL
    computes it; SQLite (local runs, tests) has no percentile, so Python takes the median of the durations."""
    scope = and_(_scope(agency_codes), Case.answered_at.is_not(None))
    key = Case.agency_code if grouped else literal(ALL)
    if session.get_bind().dialect.name == "postgresql":
        median = func.percentile_cont(0.5).within_group(func.extract("epoch", Case.answered_at - Case.created_at))
        query = select(key, median).where(scope)
        return {code or "": float(value) / 60 if value is not None else None for code, value in
                session.execute(query.group_by(Case.agency_code) if grouped else query)}
    by_agency: dict[str, list[float]] = {}
    for code, created_at, answered_at in session.execute(select(key, Case.created_at, Case.answered_at)
                                                         .where(scope)):
        by_agency.setdefault(code or "", []).append((answered_at - created_at).total_seconds() / 60)
    return {code: statistics.median(minutes) for code, minutes in by_agency.items()}


def agency_stats(session: Session, agency_code: str, now: datetime) -> AgencyStats:
    return agency_figures(session, now, [agency_code]).get(agency_code, EMPTY_STATS)


def agency_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Agency.code, Agency.name).order_by(Agency.code)).all())


def _bangkok_day(session: Session, column: ColumnElement[datetime]) -> ColumnElement[str]:
    """The Bangkok date of a timestamp, as 'YYYY-MM-DD' text, computed in the database (Thailand keeps +07:00)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Bangkok", column), "YYYY-MM-DD")
    return func.date(column, "+7 hours")


@dataclass(frozen=True)
class DailySeries:
    days: tuple[date, ...]
    opened: tuple[int, ...]
    answered: tuple[int, ...]


def daily_series(session: Session, now: datetime, agency_codes: Collection[str] | None = None,
                 days: int = SERIES_DAYS) -> DailySeries:
    """Cases opened and answered on each of the last `days` Bangkok days, today last."""
    today = now.astimezone(BANGKOK).date()
    all_days = tuple(today - timedelta(days=offset) for offset in range(days - 1, -1, -1))
    since = start_of_day(all_days[0])
    counts = {}
    for name, column in (("opened", Case.created_at), ("answered", Case.answered_at)):
        day = _bangkok_day(session, column)
        counts[name] = dict(session.execute(select(day, func.count()).where(_scope(agency_codes), column >= since)
                                            .group_by(day)).all())
    return DailySeries(days=all_days,
                       opened=tuple(counts["opened"].get(day.isoformat(), 0) for day in all_days),
                       answered=tuple(counts["answered"].get(day.isoformat(), 0) for day in all_days))


def opened_by_category(session: Session, now: datetime, agency_codes: Collection[str] | None = None,
                       days: int = SERIES_DAYS) -> list[tuple[str, int]]:
    """Cases opened in the last `days` days by category, most first."""
    since = start_of_day(now.astimezone(BANGKOK).date() - timedelta(days=days - 1))
    category = func.coalesce(Case.category, NO_CATEGORY)
    rows = session.execute(select(category, func.count()).where(_scope(agency_codes), Case.created_at >= since)
                           .group_by(category).order_by(func.count().desc(), category))
    return [(name, count) for name, count in rows]

