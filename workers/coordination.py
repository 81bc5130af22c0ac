"""Coordinator-side jobs: push a new case to its agency, and send a verdict to everyone who asked."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy.orm import Session

from bot.flex.case import CaseCard, build_case_message
from bot.flex.messages import shorten
from bot.flex.verdict import ClaimCard, build_verdict_message
from bot.line.client import retry_key
from bot.line.limits import MAX_MULTICAST_RECIPIENTS
from bot.runtime.picture_links import picture_url
from bot.runtime.queue import LOST_JOB_GRACE
from bot.runtime.services import current_services
from data.case_details import ask_for_details
from data.claims import get_claim
from data.coordinators import coordinators_of
from data.images import case_picture_id
from data.models import Case, CaseDetail, utcnow
from data.verdicts import mark_told, unnotified_requesters, unsent_verdict_case_ids, untold_requesters
from workers.redrive import redrive

log = logging.getLogger(__name__)

VERDICT_INTRO = "ผลตรวจสอบเรื่องที่คุณส่งมาออกแล้วค่ะ 🙏"
MORE_DETAILS = ("เจ้าหน้าที่กำลังตรวจสอบเรื่องที่คุณส่งมาค่ะ: “{case}”\n"
                "ถ้ามีลิงก์ต้นทาง ภาพ หรือข้อมูลเพิ่มเติม ตอบกลับในแชตนี้ภายใน 24 ชั่วโมงได้เลย ข้อมูลจะถึงเจ้าหน้าที่โดยตรง 🙏")
"""The window is data.conversation.TIMEOUTS[State.CASE_DETAILS]."""
MORE_DETAILS_EXCERPT = 80
MAX_DETAIL_CHARS = 2000
"""A citizen's detail as pushed: a long paste is cut, far under LINE's 5,000."""
DETAIL_FOR_COORDINATORS = "📎 ผู้แจ้งเรื่องที่ {case} ส่งข้อมูลเพิ่มมาค่ะ\n{detail}"
DETAIL_WORDS = {"image": "(รูปภาพ)", "video": "(วิดีโอ)", "audio": "(ข้อความเสียง)", "file": "(ไฟล์)"}
"""A detail that is not text, as coordinators read it; the file stays in LINE, we keep no copy."""


def notify_job_id(case_id: int, occurrence: str) -> str:
    return f"notify-case-{case_id}-{occurrence}"


def new_occurrence() -> str:
    """Tells one send of the same card apart from the next (a reroute back, a second request for details),
    so LINE's 409 for a reused retry key only ever stops a retried job, never a new send."""
    return uuid.uuid4().hex[:12]


def fanout_job_id(case_id: int) -> str:
    return f"verdict-case-{case_id}"


def case_card(case: Case, *, with_reason: bool = False, close_claims: tuple[tuple[str, str], ...] = (),
              picture: str | None = None, details: Sequence[CaseDetail] = ()) -> CaseCard:
    """The one way a case becomes a coordinator's card. The card pushed to an agency says in words why the router
    sent it there (`with_reason`); a queue's cards name only how it was routed."""
    return CaseCard(id=case.id, text=case.text, requester_count=case.requester_count, first_seen=case.created_at,
                    last_seen=case.last_seen_at, category=case.category, routed_by=case.routed_by,
                    routing_reason=case.routing_reason if with_reason else None, close_claims=close_claims,
                    details=tuple(detail_text(detail.kind, detail.text) for detail in details), picture_url=picture)


def case_picture_url(session: Session, case_id: int) -> str | None:
    """A signed link to the case's picture, when it has one and the bot has a public HTTPS address."""
    services = current_services()
    if services.public_base_url is None:
        return None
    image_id = case_picture_id(session, case_id)
    return picture_url(services.public_base_url, image_id, services.picture_key) if image_id is not None else None


def notify_coordinators(case_id: int, occurrence: str) -> None:
    """Push the case card to the routed agency's coordinators (the AFNC desk's if it has none)."""
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            return
        recipients = coordinators_of(session, case.agency_code)
        candidates = services.checker.check(session, case.text).candidates
        close = tuple((c.verdict, claim.text) for c in candidates if (claim := get_claim(session, c.claim_id)))
        card = case_card(case, with_reason=True, close_claims=close, picture=case_picture_url(session, case_id))
        message = build_case_message(card, services.postback_key)
        key = retry_key("case-card", str(case_id), case.agency_code or "", occurrence)
    if not recipients:
        log.error("case %d: no coordinator for agency %s nor the AFNC desk", case_id, case.agency_code)
        return
    services.line.multicast(recipients, [message], key=key)


def details_job_id(case_id: int, occurrence: str) -> str:
    return f"details-case-{case_id}-{occurrence}"


def ask_requesters_for_details(case_id: int, occurrence: str) -> None:
    """Ask everyone waiting on the case, and take their next messages as its details (data.case_details)."""
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        requesters = unnotified_requesters(session, case_id)
        if case is None:
            return
        ask_for_details(session, [user_id for user_id, _line_id in requesters], case_id)
        text = MORE_DETAILS.format(case=shorten(case.text, MORE_DETAILS_EXCERPT))
    if requesters:
        services.line.multicast([line_id for _user_id, line_id in requesters], [{"type": "text", "text": text}],
                                key=retry_key("details", str(case_id), occurrence))


def detail_text(kind: str, text: str | None) -> str:
    return text if kind == "text" and text else DETAIL_WORDS.get(kind, f"({kind})")


def detail_job_id(detail_id: int) -> str:
    return f"detail-{detail_id}"


def send_detail_to_coordinators(detail_id: int) -> None:
    """Push a requester's detail to the case's agency, so the coordinator reads it where they work."""
    services = current_services()
    with services.db.session() as session:
        detail = session.get(CaseDetail, detail_id)
        case = session.get(Case, detail.case_id) if detail else None
        if detail is None or case is None:
            return
        recipients = coordinators_of(session, case.agency_code)
        text = DETAIL_FOR_COORDINATORS.format(case=case.id, detail=shorten(detail_text(detail.kind, detail.text),
                                                                           MAX_DETAIL_CHARS))
    if recipients:
        services.line.multicast(recipients, [{"type": "text", "text": text}], key=retry_key("detail", str(detail_id)))


def send_verdict_to_requesters(case_id: int) -> int:
    """Multicast the case's verdict card to everyone not yet told it; safe to re-run after a crash.

    "Everyone" is every requester of every case the same claim answered (the case and those closed with it),
    each once: someone who sent two of those cases gets one card. Batches are cut from the still-untold
    requesters in a stable order, and each batch's retry key is derived from the claim and its members, so a
    batch LINE accepted before a crash is answered 409 on the re-run and only marked, never sent again.

    A batch is marked told on a thread of its own while the next one is sent (half the wall time at 100,000
    requesters: the two waits overlap). Marks run one at a time and in order, so the told rows are always whole
    batches from the start of the list: a re-run cuts the same batches again and gets the same keys.
    """
    services = current_services()
    with services.db.session() as session:
        case = session.get(Case, case_id)
        claim = get_claim(session, case.claim_id) if case and case.claim_id else None
        if claim is None:
            return 0
        card, claim_id = ClaimCard.of(claim), claim.id
        pending = untold_requesters(session, claim_id)
    messages = [{"type": "text", "text": VERDICT_INTRO}, build_verdict_message(card)]

    def mark(user_ids: list[int]) -> None:
        with services.db.session() as session:
            mark_told(session, claim_id, user_ids, utcnow())

    sent = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verdict-marks") as marker:
        marking: Future[None] | None = None
        for start in range(0, len(pending), MAX_MULTICAST_RECIPIENTS):
            batch = pending[start:start + MAX_MULTICAST_RECIPIENTS]
            key = retry_key("verdict", claim_id, *(line_id for _user_id, line_id in batch))
            services.line.multicast([line_id for _user_id, line_id in batch], messages, key=key)
            if marking is not None:
                marking.result()  # a failed mark fails the job; the re-run finds this batch's key taken
            marking = marker.submit(mark, [user_id for user_id, _line_id in batch])
            sent += len(batch)
        if marking is not None:
            marking.result()
    return sent


def sweep_unsent_verdicts(grace: timedelta = LOST_JOB_GRACE) -> int:
    """Re-drive the fan-out of every verdict some requesters never got: its job was lost with Redis, or died
    with a worker. The re-run sends only to those not yet told."""
    return redrive(unsent_verdict_case_ids, send_verdict_to_requesters, fanout_job_id, "the verdict fan-out of cases",
                   grace)
