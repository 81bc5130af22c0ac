"""CSV downloads of the queue (with the page's filters) and of the figures, for spreadsheets and reports.
Every download is audited: the queue holds citizens' messages."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response, request

from bot.desk.blueprint import bp, member
from bot.desk.pages import case_filter_from
from bot.desk.scope import agency_scope
from bot.runtime.services import current_services
from data.audit import AuditAction
from data.case_queue import find_cases
from data.figures import ALL, AgencyStats, agency_table, daily_series
from data.models import utcnow
from data.staff import audit

EXPORT_MAX_ROWS = 100_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A spreadsheet must never run a citizen's message as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads Thai as UTF-8 only with the mark
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/cases.csv")
def queue_csv() -> Response:
    case_filter = case_filter_from(request.args)
    now = utcnow()
    with current_services().db.session() as db:
        cases = find_cases(db, case_filter, now, limit=EXPORT_MAX_ROWS)
        audit(db, member(), AuditAction.DESK_EXPORT, "queue", "-",
              {"rows": len(cases), "filter": request.args.to_dict()})
        rows = [(case.id, case.status.value, case.agency_code, case.category, case.requester_count, case.text,
                 case.created_at.isoformat(), case.due_at.isoformat() if case.due_at else None,
                 bool(case.is_open and case.due_at and case.due_at < now),
                 case.answered_at.isoformat() if case.answered_at else None, case.claim_id) for case in cases]
    return _csv("cases.csv", ("id", "status", "agency", "category", "requesters", "text", "created_at", "due_at",
                              "overdue", "answered_at", "claim_id"), rows)


@bp.get("/figures.csv")
def figures_csv() -> Response:
    now, scope = utcnow(), agency_scope()
    with current_services().db.session() as db:
        agencies, total = agency_table(db, now, scope)
        audit(db, member(), AuditAction.DESK_EXPORT, "figures", "-")
    rows = [(code, name, *_stats_row(stats)) for code, name, stats in agencies]
    rows.append((ALL, "รวม", *_stats_row(total)))
    return _csv("figures.csv", ("agency", "name", "open", "overdue", "answered", "answered_today",
                                "median_minutes_to_verdict", "answered_within_sla"), rows)


def _stats_row(stats: AgencyStats) -> tuple[object, ...]:
    return (stats.open_cases, stats.overdue, stats.answered, stats.answered_today,
            round(stats.median_minutes_to_verdict, 1) if stats.median_minutes_to_verdict is not None else None,
            round(stats.within_sla_share, 4) if stats.within_sla_share is not None else None)


@bp.get("/daily.csv")
def daily_csv() -> Response:
    now, scope = utcnow(), agency_scope()
    with current_services().db.session() as db:
        series = daily_series(db, now, scope)
        audit(db, member(), AuditAction.DESK_EXPORT, "daily", "-")
    return _csv("daily.csv", ("day", "opened", "answered"),
                zip([day.isoformat() for day in series.days], series.opened, series.answered))
