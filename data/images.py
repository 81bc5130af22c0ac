"""Pictures citizens sent: recognising one already ruled on, keeping a tip's picture, forgetting the rest."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from data.models import Case, StoredImage, Tip, utcnow
from nlp.image import ImageHashes

IMAGE_RETENTION = timedelta(days=90)
"""A picture is kept this long for coordinators; after it only its hashes and text remain (they recognise a
forward), and a picture tied to no tip and no claim is deleted."""


@dataclass(frozen=True)
class RuledImage:
    claim_id: str
    ocr_text: str | None
    """What was read from it: two posters of one template hash alike, and their texts tell them apart."""


def ruled_images(session: Session, hashes: ImageHashes) -> list[RuledImage]:
    """Earlier pictures near this one that have a verdict (their own, or their tip's case's), newest first.

    A linear scan over the hashes: ruled pictures number in the thousands, and a 64-bit XOR each is cheap."""
    rows = session.execute(
        select(StoredImage.phash, StoredImage.dhash, StoredImage.claim_id, Case.claim_id, StoredImage.ocr_text)
        .outerjoin(Tip, Tip.id == StoredImage.tip_id).outerjoin(Case, Case.id == Tip.case_id)
        .where(or_(StoredImage.claim_id.is_not(None), Case.claim_id.is_not(None)))
        .order_by(StoredImage.id.desc()))
    return [RuledImage(own_claim or case_claim, text) for phash, dhash, own_claim, case_claim, text in rows
            if hashes.is_near(ImageHashes(phash, dhash))]


def record_image(session: Session, hashes: ImageHashes, *, user_id: int | None, ocr_text: str | None,
                 claim_id: str | None = None, tip_id: int | None = None, content: bytes | None = None,
                 content_type: str | None = None) -> StoredImage:
    image = StoredImage(user_id=user_id, tip_id=tip_id, claim_id=claim_id, phash=hashes.phash, dhash=hashes.dhash,
                        ocr_text=ocr_text, content=content, content_type=content_type)
    session.add(image)
    session.flush()
    return image


def erase_user_images(session: Session, user_id: int) -> int:
    """ลบข้อมูลของฉัน: the user's pictures go, except those of a submitted tip (a case needs them), which
    data.privacy then unlinks from the user. Returns how many were deleted."""
    submitted = select(Tip.id).where(Tip.submitted_at.is_not(None))
    return session.execute(delete(StoredImage).where(
        StoredImage.user_id == user_id,
        or_(StoredImage.tip_id.is_(None), StoredImage.tip_id.not_in(submitted)))).rowcount


def purge_images(session: Session, now: datetime | None = None) -> int:
    """Past retention, drop pictures' content, and delete pictures that recognise nothing (no tip, no claim)."""
    cutoff = (now or utcnow()) - IMAGE_RETENTION
    session.execute(update(StoredImage).where(StoredImage.created_at < cutoff, StoredImage.content.is_not(None))
                    .values(content=None))
    return session.execute(delete(StoredImage).where(
        StoredImage.created_at < cutoff, StoredImage.tip_id.is_(None), StoredImage.claim_id.is_(None))).rowcount


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
