"""What the desk does to a case: take, reroute, rule with an explanation, merge. The same domain functions as the
LINE buttons (data.case_actions, data.merges), and the same jobs after commit, so citizens hear the verdict in
LINE and coordinators get rerouted cases there."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from bot.desk.blueprint import bp, member
from bot.desk.scope import visible_case
from bot.runtime.services import current_services
from data.case_actions import publish_verdict, reroute_case, take_case
from data.cases import lock_case_routing
from data.merges import merge_cases
from data.models import Agency, Verdict
from data.staff import staff_user
from data.verdicts import MAX_TITLE_CHARS, CaseDecidedError, CaseMergedError
from handlers.coordinator import CLOSED_TOO, TAKEN_BY_OTHER
from handlers.reroute import REROUTED
from workers.coordination import (
    fanout_job_id,
    new_occurrence,
    notify_coordinators,
    notify_job_id,
    send_verdict_to_requesters,
)

MAX_EXPLANATION_CHARS = 2000
TAKEN = "รับเรื่องที่ {case} แล้วค่ะ"
RULED = "บันทึกผลตรวจเรื่องที่ {case} แล้วค่ะ ระบบกำลังแจ้งผู้ส่งทุกคนทาง LINE"
MERGED = "รวมเรื่องที่ {case} เข้ากับเรื่องที่ {into} แล้วค่ะ ตอนนี้มีผู้รอผล {count} คน"
CLOSED = "เรื่องที่ {case} ปิดไปแล้วค่ะ ({reason})"
BAD_FORM = "กรุณากรอกข้อมูลให้ครบและถูกต้อง: {what}"


def _back(case_id: int) -> Response:
    return redirect(url_for("desk.case_page", case_id=case_id))


def _closed(case_id: int, error: CaseDecidedError | CaseMergedError) -> Response:
    reason = f"ตัดสินแล้วโดย {error.decided_by}" if isinstance(error, CaseDecidedError) \
        else f"รวมเข้ากับเรื่องที่ {error.merged_into_id}"
    flash(CLOSED.format(case=case_id, reason=reason), "error")
    return _back(case_id)


@bp.post("/cases/<int:case_id>/take")
def take(case_id: int) -> Response:
    with current_services().db.session() as db:
        case = visible_case(db, case_id, "take", for_update=True)
        try:
            taken = take_case(db, case, staff_user(db, member()))
        except (CaseDecidedError, CaseMergedError) as error:
            return _closed(case_id, error)
    flash((TAKEN if taken else TAKEN_BY_OTHER).format(case=case_id), "ok" if taken else "error")
    return _back(case_id)


@bp.post("/cases/<int:case_id>/reroute")
def reroute(case_id: int) -> Response:
    services = current_services()
    agency_code = request.form.get("agency", "")
    with services.db.session() as db:
        case = visible_case(db, case_id, "reroute", for_update=True)
        agency = db.get(Agency, agency_code)
        if agency is None or agency.code == case.agency_code:
            flash(BAD_FORM.format(what="เลือกหน่วยงานอื่น"), "error")
            return _back(case_id)
        try:
            reroute_case(db, case, agency.code, staff_user(db, member()))
        except (CaseDecidedError, CaseMergedError) as error:
            return _closed(case_id, error)
        name = agency.name
    occurrence = new_occurrence()
    services.queue.enqueue(notify_coordinators, case_id, occurrence, job_id=notify_job_id(case_id, occurrence))
    flash(REROUTED.format(case=case_id, agency=name), "ok")
    return _back(case_id)


def _verdict_form() -> tuple[Verdict, str, str, str | None] | str:
    """(verdict, title, explanation, source URL) from the form, or what is wrong with it."""
    form = request.form
    try:
        verdict = Verdict(form.get("verdict", ""))
    except ValueError:
        return "เลือกผลตรวจ"
    title = " ".join(form.get("title", "").split())
    explanation = form.get("explanation", "").strip()
    url = form.get("url", "").strip() or None
    if not 0 < len(title) <= MAX_TITLE_CHARS:
        return f"หัวข้อยาวไม่เกิน {MAX_TITLE_CHARS} ตัวอักษร"
    if not 0 < len(explanation) <= MAX_EXPLANATION_CHARS:
        return f"คำอธิบายยาวไม่เกิน {MAX_EXPLANATION_CHARS} ตัวอักษร"
    if url is not None and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        return "ลิงก์แหล่งอ้างอิงต้องขึ้นต้นด้วย https://"
    return verdict, title, explanation, url


@bp.post("/cases/<int:case_id>/rule")
def rule(case_id: int) -> Response:
    services = current_services()
    parsed = _verdict_form()
    if isinstance(parsed, str):
        flash(BAD_FORM.format(what=parsed), "error")
        return _back(case_id)
    verdict, title, explanation, url = parsed
    with services.db.session() as db:
        case = visible_case(db, case_id, "verdict", for_update=True)
        try:
            outcome = publish_verdict(db, case, verdict, explanation, url, staff_user(db, member()),
                                      services.checker.embedder, title)
        except (CaseDecidedError, CaseMergedError) as error:
            return _closed(case_id, error)
        closed = [other.id for other in outcome.closed]
    services.queue.enqueue(send_verdict_to_requesters, case_id, job_id=fanout_job_id(case_id))
    flash(RULED.format(case=case_id), "ok")
    if closed:
        flash(CLOSED_TOO.format(cases=", ".join(map(str, closed))), "ok")
    return _back(case_id)


@bp.post("/cases/<int:case_id>/merge")
def merge(case_id: int) -> Response:
    target_id = request.form.get("into", "").strip().removeprefix("#")
    if not target_id.isdigit() or int(target_id) == case_id:
        flash(BAD_FORM.format(what="เลขเรื่องที่จะรวมเข้า"), "error")
        return _back(case_id)
    with current_services().db.session() as db:
        lock_case_routing(db)  # before the row locks, in the order routing takes them
        case = visible_case(db, case_id, "merge", for_update=True)
        target = visible_case(db, int(target_id), "merge", for_update=True)
        try:
            merge_cases(db, case, target, staff_user(db, member()))
        except (CaseDecidedError, CaseMergedError) as error:
            return _closed(error.case_id, error)
        count = target.requester_count
    flash(MERGED.format(case=case_id, into=target_id, count=count), "ok")
    return redirect(url_for("desk.case_page", case_id=int(target_id)))

