"""SQLAlchemy 2 models. Timestamps are timezone-aware UTC; statuses are `StrEnum`s stored as strings."""
from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Index, LargeBinary, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back aware datetimes, because SQLite forgets the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use data.models.utcnow()")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=timezone.utc)


def _string_enum(enum_class: type[StrEnum], length: int = 16) -> Enum:
    # Plain VARCHAR with a CHECK-free mapping keeps migrations identical on SQLite and PostgreSQL.
    return Enum(enum_class, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [member.value for member in members])


class Role(StrEnum):
    CITIZEN = "citizen"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Verdict(StrEnum):
    FAKE = "fake"
    TRUE = "true"
    DISTORTED = "distorted"


class ClaimOrigin(StrEnum):
    AFNC_IMPORT = "afnc_import"
    COORDINATOR = "coordinator"


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_string_enum(Role), default=Role.CITIZEN)
    province_code: Mapped[int | None]
    district_code: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    profile_fetched_at: Mapped[datetime | None]
    privacy_notice_at: Mapped[datetime | None]
    consent_at: Mapped[datetime | None]


class Claim(Base):
    """A claim AFNC (or one of our coordinators) has verified."""

    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[Verdict] = mapped_column(_string_enum(Verdict))
    category: Mapped[str | None] = mapped_column(String(100))
    agency: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date | None]
    source_url: Mapped[str | None] = mapped_column(String(1000))
    origin: Mapped[ClaimOrigin] = mapped_column(_string_enum(ClaimOrigin), default=ClaimOrigin.AFNC_IMPORT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProcessedEvent(Base):
    """A webhook event id seen once; the primary key is what makes redeliveries no-ops."""

    __tablename__ = "processed_events"

    webhook_event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AuditEntry(Base):
    """Who did what, when, to which object."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClaimEmbedding(Base):
    """A claim's sentence embedding, computed once per (model, text) and reused by every process."""

    __tablename__ = "claim_embeddings"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(60))
    text_digest: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    """float32, little-endian."""


class ClaimCatalog(Base):
    """One row whose version goes up whenever a claim changes: a cheap check for every matcher process."""

    __tablename__ = "claim_catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class VerdictFeedback(Base):
    """👍/👎 on a verdict the bot gave; user_id is cleared when a user asks to be forgotten."""

    __tablename__ = "verdict_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    helpful: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
