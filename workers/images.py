"""Answer a picture a citizen sent: fetch it from LINE, recognise it by its hash or read its text, then check
that text as a typed message would be. Slow (seconds of OCR), so always a job, never the webhook."""
from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

from PIL import Image
from sqlalchemy.orm import Session

from bot.flex.messages import build_text_message
from bot.flex.verdict import (
    ClaimCard,
    build_suggestions_message,
    build_tip_offer_message,
    build_verdict_message,
    build_verdict_quick_reply,
)
from bot.line.client import OutgoingReply
from bot.runtime.queue import hashed_job_id
from bot.runtime.services import Services, current_services
from data.claims import get_claim
from data.images import image_of_message, record_image, ruled_claim_id
from data.models import Claim, StoredImage, User
from data.tips import draft_tip
from nlp.image import ImageProblem, ImageRejectedError, hash_image, open_image, read_text
from nlp.match import Match, MatchStatus

log = logging.getLogger(__name__)

READ_FROM_PICTURE = "ผลตรวจสอบจากข้อความในรูปที่คุณส่งมา"
SEEN_BEFORE = "รูปนี้เคยตรวจสอบแล้ว"
PICTURE_OFFER = ("ยังไม่พบผลตรวจสอบของรูปนี้ค่ะ ระหว่างนี้อย่าเพิ่งแชร์ต่อนะคะ\n"
                 "ส่งรูปให้เจ้าหน้าที่ตรวจสอบไหมคะ?")
UNREADABLE_OFFER = ("อ่านข้อความในรูปนี้ไม่ออกค่ะ และยังไม่เคยมีผลตรวจรูปนี้\n"
                    "ส่งรูปให้เจ้าหน้าที่ตรวจสอบไหมคะ? หรือพิมพ์ข้อความในรูปส่งมาก็ได้ค่ะ")
NOT_VERIFIED = "ยังไม่พบผลตรวจสอบของรูปนี้ค่ะ ระหว่างนี้อย่าเพิ่งแชร์ต่อนะคะ"
GONE = "ขออภัยค่ะ เปิดรูปนี้ไม่ได้แล้ว รบกวนส่งรูปมาใหม่อีกครั้งนะคะ"
REJECTED = {
    ImageProblem.TOO_LARGE: "รูปนี้ใหญ่เกินไปค่ะ รบกวนส่งภาพหน้าจอหรือรูปที่เล็กลง หรือพิมพ์ข้อความในรูปส่งมาแทนนะคะ",
    ImageProblem.NOT_AN_IMAGE: "ขออภัยค่ะ เปิดไฟล์นี้เป็นรูปไม่ได้ รบกวนส่งเป็นรูปภาพ หรือพิมพ์ข้อความส่งมาแทนนะคะ",
    ImageProblem.ANIMATED: "ตอนนี้ช่วยเช็กอ่านภาพเคลื่อนไหวยังไม่ได้ค่ะ รบกวนส่งภาพนิ่ง หรือพิมพ์ข้อความส่งมาแทนนะคะ",
}
NO_TEXT = "(รูปภาพที่อ่านข้อความไม่ได้)"
"""A picture's tip text when OCR read nothing: what coordinators see beside the picture."""
MIN_OCR_CHARS = 8
"""Below this, what Tesseract found is noise (a logo, a stray glyph), not a message to check."""


@dataclass(frozen=True)
class ImageRequest:
    """One image message to answer, in plain values a job can carry."""

    event_id: str
    chat_id: str
    reply_token: str | None
    timestamp_ms: int
    message_id: str
    user_id: int | None
    """Our users.id of the sender: the picture and its draft tip are theirs."""

    def as_job_payload(self) -> dict[str, Any]:
        return asdict(self)


def check_image_job_id(event_id: str) -> str:
    return hashed_job_id("image", event_id)


def check_image(payload: dict[str, Any]) -> str:
    """Show the loading dots, fetch the picture, answer it; returns how the answer was sent.

    The picture and its draft tip are stored before the answer is sent: when sending fails and the job runs
    again, it answers from what the first attempt stored rather than storing them twice."""
    request = ImageRequest(**payload)
    services = current_services()
    services.line.show_loading(request.chat_id)
    started = time.perf_counter()
    with services.db.session() as session:
        earlier = image_of_message(session, request.message_id)
        if earlier is not None:
            messages = answer_again(session, services, earlier)
        else:
            messages = answer_image(session, services, services.line.message_content(request.message_id), request)
    log.info("image of event %s answered in %.2f s", request.event_id, time.perf_counter() - started)
    return services.line.deliver(OutgoingReply(event_id=request.event_id, chat_id=request.chat_id,
                                               reply_token=request.reply_token,
                                               event_timestamp_ms=request.timestamp_ms, messages=messages))


def answer_image(session: Session, services: Services, data: bytes | None,
                 request: ImageRequest) -> list[dict[str, Any]]:
    if data is None:
        return [build_text_message(GONE)]
    try:
        picture = open_image(data)
    except ImageRejectedError as error:
        log.info("image rejected: %s (%d bytes)", error.problem.value, len(data))
        return [build_text_message(REJECTED[error.problem])]
    hashes = hash_image(picture.image)
    text = _read(picture.image, services)
    known = ruled_claim_id(session, hashes, text)
    claim = get_claim(session, known) if known else None
    if claim is not None:  # nothing to keep: the ruled picture already recognises the next forward
        return [build_verdict_message(ClaimCard.of(claim), build_verdict_quick_reply(None), subtitle=SEEN_BEFORE)]
    match = services.checker.check(session, text) if text else None
    matched = _matched_claim(session, match)
    user = session.get(User, request.user_id) if request.user_id is not None else None
    draft = draft_tip(session, user, text or NO_TEXT, "user") if user is not None else None
    draft_id = draft.id if draft else None
    record_image(session, hashes, user_id=request.user_id, ocr_text=text or None,
                 claim_id=matched.id if matched else None, tip_id=draft_id, content=data if draft_id else None,
                 content_type=picture.content_type, line_message_id=request.message_id)
    return _answer(session, match, matched, draft_id, bool(text))


def answer_again(session: Session, services: Services, earlier: StoredImage) -> list[dict[str, Any]]:
    """The answer an earlier attempt stored the picture for, from its text: no second fetch, OCR or draft."""
    text = earlier.ocr_text or ""
    match = services.checker.check(session, text) if text else None
    return _answer(session, match, _matched_claim(session, match), earlier.tip_id, bool(text))


def _matched_claim(session: Session, match: Match | None) -> Claim | None:
    if match is None or match.status is not MatchStatus.MATCH or not match.claim_id:
        return None
    return get_claim(session, match.claim_id)


def _answer(session: Session, match: Match | None, matched: Claim | None, draft_id: int | None,
            was_read: bool) -> list[dict[str, Any]]:
    if matched is not None:
        return [build_verdict_message(ClaimCard.of(matched), build_verdict_quick_reply(draft_id), draft_id,
                                      READ_FROM_PICTURE)]
    if match is not None and match.status is MatchStatus.SUGGEST:
        cards = [ClaimCard.of(claim) for candidate in match.candidates
                 if (claim := get_claim(session, candidate.claim_id)) is not None]
        if cards:
            return [build_suggestions_message(cards, draft_id)]
    if draft_id is None:
        return [build_text_message(NOT_VERIFIED)]
    return [build_tip_offer_message(draft_id, PICTURE_OFFER if was_read else UNREADABLE_OFFER)]


def _read(image: Image.Image, services: Services) -> str:
    if not services.ocr_available:
        return ""
    text = read_text(image)
    return text if len(text.replace(" ", "")) >= MIN_OCR_CHARS else ""
