"""How often the bot answers citizens with each claim, counted per Bangkok day (no message, no user: a count)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data.models import BANGKOK, Claim, ClaimMatchDay, Verdict


def record_match(session: Session, claim_id: str, now: datetime) -> None:
    """One more answer with this claim today; an upsert, so parallel webhooks never collide on the row."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(ClaimMatchDay).values(claim_id=claim_id, day=now.astimezone(BANGKOK).date(), matches=1)
    session.execute(statement.on_conflict_do_update(index_elements=["claim_id", "day"],
                                                    set_={"matches": ClaimMatchDay.matches + 1}))


@dataclass(frozen=True)
class MatchedClaim:
    claim_id: str
    text: str
    verdict: Verdict
    matches: int


def most_matched(session: Session, since: date, limit: int = 10) -> list[MatchedClaim]:
    """Claims the bot answered with most often since `since` (a Bangkok date), most first."""
    total = func.sum(ClaimMatchDay.matches)
    rows = session.execute(select(Claim.id, Claim.text, Claim.verdict, total)
                           .join(ClaimMatchDay, ClaimMatchDay.claim_id == Claim.id)
                           .where(ClaimMatchDay.day >= since)
                           .group_by(Claim.id, Claim.text, Claim.verdict)
                           .order_by(total.desc(), Claim.id).limit(limit))
    return [MatchedClaim(claim_id=claim_id, text=text, verdict=verdict, matches=int(matches))
            for claim_id, text, verdict, matches in rows]
