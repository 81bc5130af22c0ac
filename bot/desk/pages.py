"""The desk's read-only pages: overview, queue, a case, trends."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.desk.blueprint import bp, member
from bot.desk.charts import Line, bar_chart, line_chart
from bot.desk.scope import agency_scope, visible_case
from bot.flex.thai_dates import thai_time
from bot.runtime.services import current_services
from data.case_details import details_of
from data.case_queue import STATUS_FILTERS, CaseFilter, categories, count_cases, find_cases
from data.cases import merge_targets
from data.claim_matches import most_matched
from data.figures import agency_names, agency_table, daily_series, opened_by_category
from data.models import BANGKOK, AuditEntry, Claim, StaffAccount, Tip, User, utcnow
from data.staff import staff_actor
from data.trends import TREND_WINDOW, trending_cases, trending_provinces
from data.verdicts import MAX_TITLE_CHARS
from handlers.coordinator import VERDICT_WORDS
from nlp.places import load_gazetteer
from nlp.tokenise import claim_title
from workers.coordination import detail_text

PER_PAGE = 25
TIPS_SHOWN = 50
TRENDS_SHOWN = 10
OPENED_COLOUR, ANSWERED_COLOUR = "#c05621", "#2f855a"
STATUS_WORDS = {"open": "รอตรวจ", "taken": "มีผู้รับเรื่อง", "answered": "ตอบแล้ว", "merged": "รวมกับเรื่องอื่น",
                "all": "ทุกสถานะ"}

ACTION_WORDS = {"case.take": "รับเรื่อง", "case.reroute": "ส่งต่อหน่วยงาน", "case.verdict": "ให้ผลตรวจ",
                "case.same_verdict": "ปิดด้วยผลของเรื่องเดียวกัน", "case.merge": "รวมเข้ากับเรื่องอื่น",
                "case.split": "แยกข้อความเป็นเรื่องใหม่", "case.verdict_cancelled": "ยกเลิกการให้ผล"}


def province_names() -> dict[str, str]:
    return {place.code: place.label() for place in load_gazetteer().provinces()}


@bp.app_template_filter("thai_time")
def _thai_time(moment: object) -> str:
    return thai_time(moment) if moment is not None else "-"  # type: ignore[arg-type]


@bp.get("/")
def overview() -> str:
    now, scope = utcnow(), agency_scope()
    with current_services().db.session() as db:
        rows, total = agency_table(db, now, scope)
        series = daily_series(db, now, scope)
        by_category = opened_by_category(db, now, scope)[:10]
    rows.sort(key=lambda row: (-row[2].open_cases, row[0]))
    daily = line_chart("เรื่องเปิดใหม่และตอบแล้วต่อวัน", series.days,
                       [Line("เปิดใหม่", series.opened, OPENED_COLOUR), Line("ตอบแล้ว", series.answered, ANSWERED_COLOUR)])
    return render_template("desk/overview.html", total=total, rows=rows, daily_chart=daily,
                           category_chart=bar_chart("เรื่องเปิดใหม่ตามหมวด", by_category), series=series)


def case_filter_from(args: dict[str, str]) -> CaseFilter:
    """The queue's filters from the query string; 400 for a value no form offers."""
    status = args.get("status") or "open"
    if status not in STATUS_FILTERS:
        abort(400)
    return CaseFilter(agency_code=args.get("agency") or None, status=status, overdue=args.get("overdue") == "1",
                      category=args.get("category") or None, province_code=args.get("province") or None,
                      visible_agency=member().agency_code)


@bp.get("/cases")
def queue() -> str:
    case_filter = case_filter_from(request.args)
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        abort(400)
    now, number = utcnow(), int(page)
    with current_services().db.session() as db:
        total = count_cases(db, case_filter, now)
        cases = find_cases(db, case_filter, now, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
        names = agency_names(db)
        category_choices = categories(db)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("desk/queue.html", cases=cases, total=total, page=number, pages=pages, now=now,
                           filter=case_filter, agencies=names, categories=category_choices,
                           provinces=province_names(), statuses=STATUS_WORDS, args=request.args)


def _actor_names(db: Session, actors: set[str]) -> dict[str, str]:
    """Audit actors as people read them: a coordinator's LINE name or a desk account's e-mail, never an id."""
    names = {line_id: name or "เจ้าหน้าที่" for line_id, name in db.execute(
        select(User.line_user_id, User.display_name).where(User.line_user_id.in_(actors)))}
    accounts = db.execute(select(StaffAccount.id, StaffAccount.email))
    staff = {staff_actor(account_id): email for account_id, email in accounts if staff_actor(account_id) in actors}
    return {**names, **staff}


@bp.get("/cases/<int:case_id>")
def case_page(case_id: int) -> str:
    services = current_services()
    with services.db.session() as db:
        case = visible_case(db, case_id, "view")
        tips = list(db.scalars(select(Tip).where(Tip.case_id == case_id)
                               .order_by(Tip.submitted_at.desc(), Tip.id.desc()).limit(TIPS_SHOWN)))
        tip_count = db.scalar(select(func.count()).select_from(Tip).where(Tip.case_id == case_id)) or 0
        entries = list(db.scalars(select(AuditEntry).where(AuditEntry.object_type == "case",
                                                           AuditEntry.object_id == str(case_id))
                                  .order_by(AuditEntry.created_at, AuditEntry.id)))
        actors = _actor_names(db, {entry.actor for entry in entries})
        claim = db.get(Claim, case.claim_id) if case.claim_id else None
        details = [detail_text(detail.kind, detail.text) for detail in details_of(db, [case_id]).get(case_id, [])]
        names = agency_names(db)
        # preselected: the router's best other choice, as ไม่ใช่หน่วยงานนี้ offers first in LINE
        choices = services.routing.reroute_choices(case.text, case.agency_code or "") if case.is_open else []
        next_agency = choices[0] if choices else None
    timeline = [(case.created_at, "เปิดเรื่อง", "ระบบ")] + [
        (entry.created_at, ACTION_WORDS.get(entry.action, entry.action), actors.get(entry.actor, "ระบบ"))
        for entry in entries]
    return render_template("desk/case.html", case=case, tips=tips, tip_count=tip_count, timeline=timeline,
                           claim=claim, details=details, agencies=names, next_agency=next_agency,
                           provinces=province_names(), statuses=STATUS_WORDS, verdicts=VERDICT_WORDS,
                           title=claim_title(case.text), max_title=MAX_TITLE_CHARS, now=utcnow())


@bp.get("/cases/<int:case_id>/similar")
def similar_cases(case_id: int) -> str:
    """Open cases like this one that this member may act on: the merge targets LINE offers too."""
    services = current_services()
    with services.db.session() as db:
        case = visible_case(db, case_id, "view")
        targets = [other for other in merge_targets(db, case, services.checker.embedder)
                   if member().may_see(other.agency_code)]
    return render_template("desk/similar.html", case=case, targets=targets)


@bp.get("/trends")
def trends() -> str:
    now = utcnow()
    since = now - TREND_WINDOW
    province = request.args.get("province") or None
    names = province_names()
    if province is not None and province not in names:
        abort(400)
    with current_services().db.session() as db:
        national = trending_cases(db, since, limit=TRENDS_SHOWN)
        local = trending_cases(db, since, province, limit=TRENDS_SHOWN) if province else []
        provinces = trending_provinces(db, since, limit=TRENDS_SHOWN)
        matched = most_matched(db, since.astimezone(BANGKOK).date(), limit=TRENDS_SHOWN)
    province_chart = bar_chart("จังหวัดที่ส่งเรื่องมากที่สุด", [(names.get(code, code), count) for code, count in provinces]) \
        if provinces else None
    return render_template("desk/trends.html", national=national, local=local, province=province,
                           provinces=names, province_chart=province_chart, matched=matched, verdicts=VERDICT_WORDS,
                           links=member().agency_code is None)
