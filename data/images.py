"""Pictures citizens sent: recognising one already ruled on, keeping a tip's picture, forgetting the rest."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from data.db import rows_changed
from data.models import OPEN_CASE_STATUSES, Case, StoredImage, Tip, utcnow
from nlp.image import ImageHashes, is_same_picture

IMAGE_RETENTION = timedelta(days=90)
"""A picture is kept this long for coordinators; after it only its hashes and text remain (they recognise a
forward), and a picture tied to no tip and no claim is deleted."""


def ruled_claim_id(session: Session, hashes: ImageHashes, text: str) -> str | None:
    """The verdict of the newest earlier picture that is this one (its own claim, or its tip's case's).

    A linear scan over the hashes: ruled pictures number in the thousands, and a 64-bit XOR each is cheap."""
    rows = session.execute(
        select(StoredImage.phash, StoredImage.dhash, StoredImage.ocr_text, StoredImage.claim_id, Case.claim_id)
        .outerjoin(Tip, Tip.id == StoredImage.tip_id).outerjoin(Case, Case.id == Tip.case_id)
        .where(or_(StoredImage.claim_id.is_not(None), Case.claim_id.is_not(None)))
        .order_by(StoredImage.id.desc()))
    return next((own_claim or case_claim for phash, dhash, ocr_text, own_claim, case_claim in rows
                 if is_same_picture(hashes, text, ImageHashes(phash, dhash), ocr_text)), None)


def open_case_with_same_picture(session: Session, tip_id: int) -> Case | None:
    """Two citizens forwarding one picture join one case, even when no text could be read from it."""
    mine = session.scalar(select(StoredImage).where(StoredImage.tip_id == tip_id))
    if mine is None:
        return None
    hashes = ImageHashes(mine.phash, mine.dhash)
    rows = session.execute(
        select(StoredImage.phash, StoredImage.dhash, StoredImage.ocr_text, Tip.case_id)
        .join(Tip, Tip.id == StoredImage.tip_id).join(Case, Case.id == Tip.case_id)
        .where(Case.status.in_(OPEN_CASE_STATUSES), StoredImage.id != mine.id).order_by(StoredImage.id))
    case_id = next((case_id for phash, dhash, ocr_text, case_id in rows
                    if is_same_picture(hashes, mine.ocr_text, ImageHashes(phash, dhash), ocr_text)), None)
    return session.get(Case, case_id) if case_id is not None else None


def record_image(session: Session, hashes: ImageHashes, *, user_id: int | None, ocr_text: str | None,
                 claim_id: str | None = None, tip_id: int | None = None, content: bytes | None = None,
                 content_type: str | None = None, line_message_id: str | None = None) -> StoredImage:
    image = StoredImage(user_id=user_id, tip_id=tip_id, claim_id=claim_id, phash=hashes.phash, dhash=hashes.dhash,
                        ocr_text=ocr_text, content=content, content_type=content_type,
                        line_message_id=line_message_id)
    session.add(image)
    session.flush()
    return image


def image_of_message(session: Session, line_message_id: str) -> StoredImage | None:
    """What an earlier attempt at answering this LINE message stored, if any."""
    return session.scalar(select(StoredImage).where(StoredImage.line_message_id == line_message_id))


def erase_user_images(session: Session, user_id: int) -> int:
    """ลบข้อมูลของฉัน: the user's pictures go, except those of a submitted tip (a case needs them), which
    data.privacy then unlinks from the user. Returns how many were deleted."""
    submitted = select(Tip.id).where(Tip.submitted_at.is_not(None))
    return rows_changed(session, delete(StoredImage).where(
        StoredImage.user_id == user_id,
        or_(StoredImage.tip_id.is_(None), StoredImage.tip_id.not_in(submitted))))


def purge_images(session: Session, now: datetime | None = None) -> int:
    """Past retention, drop pictures' content, and delete pictures that recognise nothing (no tip, no claim)."""
    cutoff = (now or utcnow()) - IMAGE_RETENTION
    session.execute(update(StoredImage).where(StoredImage.created_at < cutoff, StoredImage.content.is_not(None))
                    .values(content=None))
    return rows_changed(session, delete(StoredImage).where(
        StoredImage.created_at < cutoff, StoredImage.tip_id.is_(None), StoredImage.claim_id.is_(None)))


def picture_content(session: Session, image_id: int) -> tuple[bytes, str] | None:
    image = session.get(StoredImage, image_id)
    if image is None or image.content is None:
        return None
    return image.content, image.content_type or "image/jpeg"


def case_picture_id(session: Session, case_id: int) -> int | None:
    """The first stored picture among the case's tips: what its card shows."""
    return session.scalar(select(StoredImage.id).join(Tip, Tip.id == StoredImage.tip_id)
                          .where(Tip.case_id == case_id, StoredImage.content.is_not(None))
                          .order_by(StoredImage.id).limit(1))
