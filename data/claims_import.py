"""Idempotent import of verified claims from AFNC's CSV export (see data/PROVENANCE.md)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.csv_import import ImportReport, Raw, RowError, max_length, optional, read_csv
from data.db import update_columns
from data.models import Claim, ClaimOrigin, Verdict

REQUIRED_COLUMNS = ("id", "claim", "verdict")
CLAIM_ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*-[0-9a-zA-Z_-]{1,57}$")
"""`afnc-1fbcbb635d` from AFNC; our own claims use another prefix."""
BARE_HOST_URL = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+/", re.IGNORECASE)
BATCH_SIZE = 500
"""Rows looked up and flushed together: few round trips, bounded memory."""


class ClaimRowError(RowError):
    """A CSV row that cannot become a claim; the message is shown to the operator."""


@dataclass(frozen=True)
class ClaimRow:
    id: str
    text: str
    explanation: str | None
    verdict: Verdict
    category: str | None
    agency: str | None
    published_on: date | None
    source_url: str | None


def parse_row(raw: Raw) -> ClaimRow:
    """Validate one CSV row; raise ClaimRowError with a reason an operator can act on."""
    claim_id = (raw.get("id") or "").strip()
    if not CLAIM_ID_PATTERN.match(claim_id):
        raise ClaimRowError(f"bad id {claim_id!r}")
    text = (raw.get("claim") or "").strip()
    if not text:
        raise ClaimRowError("empty claim text")
    try:
        verdict = Verdict((raw.get("verdict") or "").strip())
    except ValueError:
        allowed = [v.value for v in Verdict]
        raise ClaimRowError(f"verdict must be one of {allowed}, got {raw.get('verdict')!r}") from None
    published = optional(raw, "date")
    try:
        published_on = date.fromisoformat(published) if published else None
    except ValueError:
        raise ClaimRowError(f"date is not ISO (YYYY-MM-DD): {published!r}") from None
    url = optional(raw, "url")
    if url and BARE_HOST_URL.match(url):
        url = "https://" + url  # a few AFNC rows drop the scheme; the host is still unambiguous
    if url and not url.startswith(("http://", "https://")):
        raise ClaimRowError(f"url must start with http(s)://: {url!r}")
    return ClaimRow(id=claim_id, text=text, explanation=optional(raw, "explanation"), verdict=verdict,
                    category=optional(raw, "category", max_length(Claim.category)),
                    agency=optional(raw, "agency"), published_on=published_on,
                    source_url=url)


def read_claims_csv(path: Path, report: ImportReport) -> Iterator[ClaimRow]:
    """Yield valid rows; invalid ones are recorded in `report` with their line number."""
    return read_csv(path, REQUIRED_COLUMNS, parse_row, report)


def _apply(claim: Claim, row: ClaimRow) -> bool:
    """Copy the row onto the claim; True if anything changed."""
    values = {"text": row.text, "explanation": row.explanation, "verdict": row.verdict, "category": row.category,
              "agency": row.agency, "published_on": row.published_on, "source_url": row.source_url}
    return update_columns(claim, values)


def _batches(rows: Iterable[ClaimRow], size: int) -> Iterator[list[ClaimRow]]:
    batch: list[ClaimRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def upsert_claims(session: Session, rows: Iterable[ClaimRow], report: ImportReport,
                  on_progress: Callable[[int], object] = lambda _count: None) -> ImportReport:
    """Insert new ids, update changed ones; a repeated id within one file keeps its last row."""
    for batch in _batches(rows, BATCH_SIZE):
        latest = {row.id: row for row in batch}
        existing = {claim.id: claim for claim in session.scalars(select(Claim).where(Claim.id.in_(latest)))}
        for claim_id, row in latest.items():
            claim = existing.get(claim_id)
            if claim is None:
                claim = Claim(id=claim_id, origin=ClaimOrigin.AFNC_IMPORT)
                _apply(claim, row)
                session.add(claim)
                report.inserted += 1
            elif _apply(claim, row):
                report.updated += 1
            else:
                report.unchanged += 1
        session.flush()
        on_progress(len(batch))
    return report
