"""SQLAlchemy 2 models. Timestamps are timezone-aware UTC; statuses are `StrEnum`s stored as strings."""
from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

BANGKOK = ZoneInfo("Asia/Bangkok")
"""Thailand's one time zone: for dates shown to people and "today" in statistics."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back aware datetimes, because SQLite forgets the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use data.models.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


def _string_enum(enum_class: type[StrEnum], length: int = 16) -> Enum:
    # Plain VARCHAR with a CHECK-free mapping keeps migrations identical on SQLite and PostgreSQL.
    return Enum(enum_class, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [member.value for member in members])


class Role(StrEnum):
    CITIZEN = "citizen"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    STAFF = "staff"
    """A web desk account's stand-in (data.staff): never a LINE user, never active, so nothing is sent to it."""


class Verdict(StrEnum):
    FAKE = "fake"
    TRUE = "true"
    DISTORTED = "distorted"


WARNING_VERDICTS = frozenset({Verdict.FAKE, Verdict.DISTORTED})
"""Verdicts worth warning people about unasked (in groups) and listing as "the latest fakes"."""


class ClaimOrigin(StrEnum):
    AFNC_IMPORT = "afnc_import"
    COORDINATOR = "coordinator"


class CaseStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    ANSWERED = "answered"
    MERGED = "merged"
    """Closed into another case (`merged_into_id`), which now holds its tips and requesters."""


OPEN_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.TAKEN)
"""Cases still waiting for a verdict; answered and merged ones are closed."""


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_string_enum(Role), default=Role.CITIZEN)
    province_code: Mapped[str | None] = mapped_column(String(2))
    district_code: Mapped[str | None] = mapped_column(String(4))
    """geothai codes of where a volunteer works."""
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
    agency: Mapped[str | None] = mapped_column(Text)
    """As AFNC wrote it: sometimes several agencies in one cell (one seed row is 494 characters)."""
    published_on: Mapped[date | None]
    source_url: Mapped[str | None] = mapped_column(Text)
    """75 seed links are over 1,000 characters: AFNC's URLs carry percent-encoded Thai titles."""
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
    # The desk: its queue (open cases, most requested first) and its per-day figures stay fast at 100k cases.
    __table_args__ = (Index("ix_cases_open_queue", "agency_code", "requester_count", "created_at",
                            sqlite_where=text("status IN ('open', 'taken')"),
                            postgresql_where=text("status IN ('open', 'taken')")),
                      Index("ix_cases_created_at", "created_at", "category"),
                      Index("ix_cases_answered_at", "answered_at"),
                      Index("ix_cases_category", "category"),
                      # Every column the agency figures read: PostgreSQL answers them from the index alone.
                      Index("ix_cases_figures", "agency_code", "status", "created_at", "answered_at", "due_at"))

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
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", name="cases_merged_into_id_fkey"))
    """Set with status merged: the case a coordinator folded this one into."""
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", name="cases_split_from_id_fkey"))
    """The case a coordinator split this one's tips out of: they told them apart, so a verdict on either never
    closes the other on its own."""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES
    reminded_at: Mapped[datetime | None]
    """When the half-time reminder timer ran. The timers live in Redis; these three record that each ran, so
    housekeeping can run one whose time has passed without it (workers.sla)."""
    escalation_checked_at: Mapped[datetime | None]
    """When the due-time timer ran: it escalated the case then, unless a coordinator had taken it."""
    requesters_updated_at: Mapped[datetime | None]
    """When the 24-hour "still being checked" message went to the requesters."""


class Tip(Base):
    """A message a citizen asked us to verify. Stored before anything is enqueued, so none is ever lost."""

    __tablename__ = "tips"
    # The week's trends (data.trends) read these columns of the recent tips, from the index alone.
    __table_args__ = (Index("ix_tips_trends", "submitted_at", "case_id", "user_id", "province_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    source_type: Mapped[str] = mapped_column(String(10))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    """None while the bot has only offered to send it; set when the citizen says ส่งเลย."""
    province_code: Mapped[str | None] = mapped_column(String(2), index=True)
    """The sender's province when known (a volunteer's), kept when the sender is forgotten: it feeds the
    province trends and no longer points at anyone."""
    routed_at: Mapped[datetime | None] = mapped_column(index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(index=True)
    """When the reply giving its reference (T-…) was sent. That reply is a job in Redis; a tip submitted a while
    ago without it lost the job, and housekeeping sends the reference again."""


class TipReference(Base):
    """The number a citizen is given for a submitted tip. Counted by this table's own key, not the tip's: every
    offer stores a draft tip, so tip ids jump, and a first tip must not read T-000016."""

    __tablename__ = "tip_references"

    number: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), unique=True)


class CaseDetail(Base):
    """What a requester sent in answer to a coordinator's "ขอข้อมูลเพิ่ม": a link, a note or a picture about the
    case, never a new rumour to check."""

    __tablename__ = "case_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    """LINE's message type: text, image, video, file…"""
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseRequester(Base):
    """A citizen waiting for a case's verdict; one row per person, however often they sent it."""

    __tablename__ = "case_requesters"
    # Housekeeping looks for answered cases with requesters never told (a lost fan-out); only those rows are
    # indexed, so the search stays small however many verdicts were sent.
    __table_args__ = (Index("ix_case_requesters_unnotified", "case_id", sqlite_where=text("notified_at IS NULL"),
                            postgresql_where=text("notified_at IS NULL")),)

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


class CentreType(StrEnum):
    COMMUNITY_DIGITAL_CENTRE = "ศูนย์ดิจิทัลชุมชน"
    PUBLIC_INTERNET_POINT = "จุดบริการอินเทอร์เน็ตสาธารณะ"
    OTHER = "other"


class LocationPrecision(StrEnum):
    """How precisely a centre's coordinates (or, without them, its address) place it."""

    EXACT = "exact"
    SUBDISTRICT = "subdistrict"
    DISTRICT = "district"
    PROVINCE = "province"


class Centre(Base):
    """A community digital centre or public internet point; codes are geothai's (DOPA) codes."""

    __tablename__ = "centres"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[CentreType] = mapped_column(_string_enum(CentreType, 40))
    hosts: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(Text)
    subdistrict_code: Mapped[str | None] = mapped_column(String(6))
    district_code: Mapped[str | None] = mapped_column(String(4), index=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    location_precision: Mapped[LocationPrecision] = mapped_column(_string_enum(LocationPrecision))
    phone: Mapped[str | None] = mapped_column(String(40))
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    """In data.opening_hours' grammar; None means unknown, never closed."""
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    opened_on: Mapped[str | None] = mapped_column(String(10))
    """ISO date, possibly reduced to YYYY-MM or YYYY."""
    active: Mapped[bool] = mapped_column(default=True)
    source_url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    """For maintainers: which source supports which field, what is approximate."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CourseFormat(StrEnum):
    ONSITE = "onsite"
    ONLINE = "online"
    HYBRID = "hybrid"


class Course(Base):
    __tablename__ = "courses"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    format: Mapped[CourseFormat] = mapped_column(_string_enum(CourseFormat))
    hours: Mapped[float | None]
    url: Mapped[str | None] = mapped_column(String(1000))
    audience: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CourseSession(Base):
    """One dated run of a course, at a centre or online."""

    __tablename__ = "course_sessions"
    __table_args__ = (UniqueConstraint("course_code", "centre_code", "starts_at", name="uq_course_sessions_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_code: Mapped[str] = mapped_column(ForeignKey("courses.code", ondelete="CASCADE"), index=True)
    centre_code: Mapped[str | None] = mapped_column(ForeignKey("centres.code", ondelete="SET NULL"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    seats: Mapped[int | None]
    registration_url: Mapped[str | None] = mapped_column(String(1000))
    illustrative: Mapped[bool] = mapped_column(default=False)
    """A demo row, not a real session: every answer that shows it says so."""
    source_url: Mapped[str | None] = mapped_column(Text)


class CourseInterest(Base):
    """A user's "สนใจ" in a session: the day-before reminder goes to them.

    Deleting a user's data clears user_id and keeps the row, so seat counts stay right.
    """

    __tablename__ = "course_interests"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_course_interests_session_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    remind_at: Mapped[datetime | None] = mapped_column(index=True)
    """None when the session was too close for a reminder."""
    reminded_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class FaqEntry(Base):
    """An explainer for citizens and volunteers, found by fuzzy matching over its question phrasings."""

    __tablename__ = "faq_entries"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(1000))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_url: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GroupCheck(Base):
    """What the bot found for one group or room message, by LINE message id, so "@ช่วยเช็ก ตรวจ" can answer
    a reply to it later. Never the text (PDPA), only messages that matched something, and only for
    GROUP_CHECK_RETENTION (data.group_checks)."""

    __tablename__ = "group_checks"

    message_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE",
                                                     name="group_checks_claim_id_fkey"))
    band: Mapped[str] = mapped_column(String(16))
    """The matcher's band: `match` (auto) or `suggest`."""
    checked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class VolunteerStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"


class Volunteer(Base):
    """A digital volunteer's (อสด.) registration: the name they gave, their consent, and its approval.
    Where they work is the user's `province_code` / `district_code`."""

    __tablename__ = "volunteers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE", name="volunteers_user_id_fkey"),
                                         primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[VolunteerStatus] = mapped_column(_string_enum(VolunteerStatus), index=True)
    consent_at: Mapped[datetime]
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(100))


class StoredImage(Base):
    """A picture a citizen sent: its hashes, what OCR read, and (while a case may need it) the picture itself.

    An image "ruled on" has a claim: the one its text matched, or its tip's case verdict. A forward of it is
    answered from the hash."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    tip_id: Mapped[int | None] = mapped_column(ForeignKey("tips.id", ondelete="SET NULL"), index=True)
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"), index=True)
    phash: Mapped[str] = mapped_column(String(16))
    dhash: Mapped[str] = mapped_column(String(16))
    ocr_text: Mapped[str | None] = mapped_column(Text)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    """Kept only for a tip's picture, which coordinators may need to see; dropped after the retention period."""
    content_type: Mapped[str | None] = mapped_column(String(32))
    line_message_id: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    """The LINE message it came in: a retried job finds what its first attempt stored (None for a claim's)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class StaffAccount(Base):
    """A web desk login: an AFNC desk member (no agency: sees every case) or an agency supervisor.

    Verdicts and audit entries name people by a `users` row, so each account has one of its own (role staff,
    inactive, LINE id `staff:<account id>`): a verdict given on the desk reads like one given in LINE."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """None once removed: the row stays, so the audit log still says who acted."""
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    """The supervisor's agency; None for the AFNC desk."""
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    session_version: Mapped[int] = mapped_column(default=0)
    """In every session cookie; raised on removal or a new password, which ends the sessions already given."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]


class ClaimMatchDay(Base):
    """How many times a day the bot answered a citizen with a claim: the desk's "claims most matched"."""

    __tablename__ = "claim_match_days"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True, index=True)
    """Bangkok date."""
    matches: Mapped[int] = mapped_column(default=0)
