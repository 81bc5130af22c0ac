"""How agencies keep up: the figures the LINE stats tile, the admin JSON API and the web desk all show, from one
set of queries (aggregates in the database: they stay fast at 100k cases)."""
from __future__ import annotations

import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

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
                f"30 วันล่าสุด ครึ่งหนึ่งของเรื่องตอบภายใน: {median}\nตอบทันกำหนด: {share}")


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
    `with_total` their sum under ALL, whose median is over every case, not a median of medians. Verdicts count
    over the last SERIES_DAYS days: how an agency keeps up now, read from the recent rows only.

    PostgreSQL answers in one pass over the cases (GROUPING SETS gives the total beside each agency, and the
    covering index ix_cases_figures lets it read the index alone); SQLite, for local runs and tests, has no
    percentile, so there Python takes the medians."""
    today = now.astimezone(BANGKOK).date()
    since = start_of_day(today - timedelta(days=SERIES_DAYS - 1))
    answered = Case.answered_at >= since
    is_open = Case.status.in_(OPEN_CASE_STATUSES)
    counts = (func.count().filter(is_open), func.count().filter(and_(is_open, Case.due_at < now)),
              func.count().filter(answered), func.count().filter(Case.answered_at >= start_of_day(today)),
              func.count().filter(and_(answered, or_(Case.due_at.is_(None), Case.answered_at <= Case.due_at))))
    in_scope = and_(_scope(agency_codes), or_(is_open, answered))
    query = select(Case.agency_code, *counts).where(in_scope)
    if session.get_bind().dialect.name == "postgresql":
        # NULL (which the percentile skips) for an open case
        seconds = func.extract("epoch", case((answered, Case.answered_at - Case.created_at)))
        median = func.percentile_cont(0.5).within_group(seconds) / 60
        groups = text("GROUPING SETS ((cases.agency_code), ())") if with_total else Case.agency_code
        rows = session.execute(query.add_columns(median, func.grouping(Case.agency_code)).group_by(groups))
        return {ALL if total else code or "": _stats(values, minutes)
                for code, *values, minutes, total in rows}
    figures = {code or "": values for code, *values in session.execute(query.group_by(Case.agency_code))}
    if with_total:
        figures[ALL] = list(session.execute(select(*counts).where(in_scope)).one())
    medians = _median_minutes(session, agency_codes, since, with_total)
    return {code: _stats(values, medians.get(code)) for code, values in figures.items()}


def _stats(counts: Sequence[int], median_minutes: float | None) -> AgencyStats:
    open_cases, overdue, answered, answered_today, on_time = counts
    return AgencyStats(open_cases=open_cases, overdue=overdue, answered=answered, answered_today=answered_today,
                       answered_on_time=on_time,
                       median_minutes_to_verdict=float(median_minutes) if median_minutes is not None else None)


def _median_minutes(session: Session, agency_codes: Collection[str] | None, since: datetime,
                    with_total: bool) -> dict[str, float]:
    """SQLite's medians: minutes from a case's first tip to its verdict since `since`, per agency and under ALL."""
    by_agency: dict[str, list[float]] = {}
    for code, created_at, answered_at in session.execute(select(Case.agency_code, Case.created_at, Case.answered_at)
                                                         .where(_scope(agency_codes), Case.answered_at >= since)):
        minutes = (answered_at - created_at).total_seconds() / 60 if answered_at is not None else 0.0
        by_agency.setdefault(code or "", []).append(minutes)
        if with_total:
            by_agency.setdefault(ALL, []).append(minutes)
    return {code: statistics.median(minutes) for code, minutes in by_agency.items()}


def agency_stats(session: Session, agency_code: str, now: datetime) -> AgencyStats:
    return agency_figures(session, now, [agency_code]).get(agency_code, EMPTY_STATS)


def agency_names(session: Session, scope: Collection[str] | None = None) -> dict[str, str]:
    """Agency code → Thai name, limited to `scope` when given (None: every agency)."""
    query = select(Agency.code, Agency.name).order_by(Agency.code)
    if scope is not None:
        query = query.where(Agency.code.in_(scope))
    return dict(session.execute(query).all())


def agency_table(session: Session, now: datetime,
                 scope: Collection[str] | None) -> tuple[list[tuple[str, str, AgencyStats]], AgencyStats]:
    """Each agency in `scope` as (code, Thai name, figures), by code, one without cases at zero; and their total."""
    figures = agency_figures(session, now, scope, with_total=True)
    names = agency_names(session, scope)
    return [(code, name, figures.get(code, EMPTY_STATS)) for code, name in names.items()], figures[ALL]


def _bangkok_day(session: Session, column: InstrumentedAttribute[Any]) -> ColumnElement[str]:
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

