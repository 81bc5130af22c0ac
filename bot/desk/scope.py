"""What a desk member may see: the AFNC desk every agency, a supervisor only their own. Refusals are audited."""
from __future__ import annotations

from flask import abort
from sqlalchemy.orm import Session

from bot.desk.blueprint import member
from data.audit import REFUSED_PREFIX
from data.models import Case
from data.staff import audit


def agency_scope() -> list[str] | None:
    """The agency codes the figures are limited to; None for all."""
    code = member().agency_code
    return [code] if code is not None else None


def visible_case(db: Session, case_id: int, action: str, for_update: bool = False) -> Case:
    """The case if this member may see it; 404 if there is none, 403 (audited, committed) if it is another
    agency's."""
    case = db.get(Case, case_id, with_for_update=for_update)
    if case is None:
        abort(404)
    if not member().may_see(case.agency_code):
        audit(db, member(), REFUSED_PREFIX + action, "case", str(case_id))
        db.commit()
        abort(403)
    return case
