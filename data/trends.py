"""What volunteers watch: the most-asked open cases in a province, the newest verdicts, the latest fakes."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from data.models import BANGKOK, OPEN_CASE_STATUSES, WARNING_VERDICTS, Case, Claim, ClaimOrigin, Tip, utcnow
from nlp.normalise import without_contacts

TREND_WINDOW = timedelta(days=7)
TOP = 5
"""Rows per list: what fits on a phone screen without scrolling."""
MIN_LOCAL_CASES = 3
"""Below this a province's list says little, so the national one is shown beside it."""
MIN_ASKERS = 2
"""A case only one person sent may be their own words about their own life; what several people sent in is a
circulating message. Volunteers see only the latter (coordinators see every case in their queue)."""


@dataclass(frozen=True)
class TrendingCase:
    case_id: int
    text: str
    """The case's text without links or phone numbers: it was a citizen's message."""
    askers: int
    """Distinct people who sent it in the window; a tip whose sender was forgotten counts as one."""
    opened_at: datetime


@dataclass(frozen=True)
class Trends:
    province_code: str | None
    local: tuple[TrendingCase, ...]
    """Empty when no province is known: then `national` is the whole answer."""
    national: tuple[TrendingCase, ...]
    """Only when the province has fewer than MIN_LOCAL_CASES; never repeats a local case."""
    verdicts: tuple[Claim, ...]


def trending_cases(session: Session, since: datetime, province_code: str | None = None, limit: int = TOP,
                   exclude: Collection[int] = ()) -> list[TrendingCase]:
    """Open cases by how many people sent them in since `since` (from one province, or from anywhere)."""
    # A forgotten sender's tips have no user id; each still stands for someone, so it counts by its own id.
    askers = func.count(distinct(func.coalesce(Tip.user_id, -Tip.id)))
    query = (select(Case.id, Case.text, Case.created_at, askers)
             .join(Tip, Tip.case_id == Case.id)
             .where(Case.status.in_(OPEN_CASE_STATUSES), Tip.submitted_at >= since)
             .group_by(Case.id, Case.text, Case.created_at)
             .having(askers >= MIN_ASKERS)
             .order_by(askers.desc(), func.max(Tip.submitted_at).desc(), Case.id.desc())
             .limit(limit))
    if province_code is not None:
        query = query.where(Tip.province_code == province_code)
    if exclude:
        query = query.where(Case.id.not_in(list(exclude)))
    return [TrendingCase(case_id=case_id, text=without_contacts(text), askers=count, opened_at=opened_at)
            for case_id, text, opened_at, count in session.execute(query)]


def newest_verdicts(session: Session, since: datetime, today: date, limit: int = TOP) -> list[Claim]:
    """Claims published since `since`, and coordinators' verdicts given since then, newest first.

    An imported claim's created_at is when we imported it, not when AFNC published it, so only a
    coordinator's claim is dated by created_at. A date after today is a typo in the source, not news.
    """
    since_day = since.astimezone(BANGKOK).date()
    query = (select(Claim)
             .where(or_(and_(Claim.origin == ClaimOrigin.COORDINATOR, Claim.created_at >= since),
                        Claim.published_on.between(since_day, today)))
             .order_by(Claim.published_on.desc().nulls_last(), Claim.created_at.desc(), Claim.id)
             .limit(limit))
    return list(session.scalars(query))


def latest_fakes(session: Session, today: date, limit: int = TOP) -> list[Claim]:
    """Verified fake and distorted claims, newest first; undated ones last, by when we learnt of them."""
    query = (select(Claim)
             .where(Claim.verdict.in_(WARNING_VERDICTS),
                    or_(Claim.published_on.is_(None), Claim.published_on <= today))
             .order_by(Claim.published_on.desc().nulls_last(), Claim.created_at.desc(), Claim.id)
             .limit(limit))
    return list(session.scalars(query))


def province_trends(session: Session, province_code: str | None, now: datetime | None = None) -> Trends:
    """A volunteer's view of the last TREND_WINDOW: their province's cases (the nation's too when few), and
    the newest verdicts."""
    now = now or utcnow()
    since = now - TREND_WINDOW
    local = trending_cases(session, since, province_code) if province_code else []
    national: list[TrendingCase] = []
    if len(local) < MIN_LOCAL_CASES:
        national = trending_cases(session, since, exclude=[case.case_id for case in local])
    verdicts = newest_verdicts(session, since, now.astimezone(BANGKOK).date())
    return Trends(province_code=province_code, local=tuple(local), national=tuple(national),
                  verdicts=tuple(verdicts))


def trending_provinces(session: Session, since: datetime, limit: int = TOP) -> list[tuple[str, int]]:
    """Provinces by how many people sent in open cases since `since`, most first. A province where fewer than
    MIN_ASKERS did is left out: a count of one points at a person, not at a spreading message."""
    askers = func.count(distinct(func.coalesce(Tip.user_id, -Tip.id)))
    query = (select(Tip.province_code, askers).join(Case, Case.id == Tip.case_id)
             .where(Case.status.in_(OPEN_CASE_STATUSES), Tip.submitted_at >= since, Tip.province_code.is_not(None))
             .group_by(Tip.province_code).having(askers >= MIN_ASKERS)
             .order_by(askers.desc(), Tip.province_code).limit(limit))
    return [(code, count) for code, count in session.execute(query) if code is not None]  # typed: filtered above
