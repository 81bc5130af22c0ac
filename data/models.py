"""SQLAlchemy 2 models. Timestamps are timezone-aware UTC; statuses are `StrEnum`s stored as strings."""
from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Index, LargeBinary, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


BANGKOK = ZoneInfo("Asia/Bangkok")
"""Thailand's one time zone: for dates shown to people and "today" in statistics."""


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


class CaseStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    ANSWERED = "answered"


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
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    """The agency a coordinator works for; None for everyone else."""
    state: Mapped[str | None] = mapped_column(String(40))
    """Where a multi-step conversation stands (e.g. a coordinator writing a verdict's explanation)."""
    state_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
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
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    """The coordinator whose verdict made this claim (origin `coordinator`)."""
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


class Agency(Base):
    """An agency that verifies claims; loaded from data/agencies.yaml by `flask agencies sync`."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Spellings of the agency's name in AFNC's `agency` column."""
    sla_hours: Mapped[float] = mapped_column(default=2.0)
    active: Mapped[bool] = mapped_column(default=True)


class Case(Base):
    """One rumour, however many citizens sent it in however many wordings."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    """The first tip's text: what coordinators read."""
    status: Mapped[CaseStatus] = mapped_column(_string_enum(CaseStatus), default=CaseStatus.OPEN, index=True)
    category: Mapped[str | None] = mapped_column(String(100))
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    routed_by: Mapped[str | None] = mapped_column(String(40))
    """Which routing signal decided: neighbours, category, keywords or fallback."""
    routing_reason: Mapped[str | None] = mapped_column(Text)
    """The router's one-line explanation, shown to coordinators."""
    requester_count: Mapped[int] = mapped_column(default=0)
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"))
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The first tip's embedding (float32), so new tips can be compared with open cases cheaply."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]
    announced_at: Mapped[datetime | None]
    """When its card first reached coordinators and its SLA timers were set; None means re-drive it."""
    answered_at: Mapped[datetime | None]


class Tip(Base):
    """A message a citizen asked us to verify. Stored before anything is enqueued, so none is ever lost."""

    __tablename__ = "tips"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    source_type: Mapped[str] = mapped_column(String(10))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    """None while the bot has only offered to send it; set when the citizen says ส่งเลย."""
    routed_at: Mapped[datetime | None] = mapped_column(index=True)


class CaseRequester(Base):
    """A citizen waiting for a case's verdict; one row per person, however often they sent it."""

    __tablename__ = "case_requesters"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None]


class CoordinatorInvite(Base):
    """A one-time code a coordinator sends as `ลงทะเบียน CODE`."""

    __tablename__ = "coordinator_invites"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None]
