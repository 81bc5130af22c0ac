"""Alembic migrations on SQLite and PostgreSQL: up, down, up again, and no drift from the models."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Enum, Index, Integer, MetaData, String, create_engine, inspect, text

from data import migrate
from data.models import Base, Role

MODEL_TABLES = set(Base.metadata.tables)


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    """An empty database (conftest's `database_url`: a fresh SQLite file, or PostgreSQL's `test` with its schema
    recreated)."""
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_drift(engine: Engine, metadata: MetaData) -> list[Any]:
    """What `flask db revision` would autogenerate: empty when the migrations match `metadata`."""
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), metadata)


def scripts(database_url: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config(database_url))


def test_there_is_one_head(database_url: str) -> None:
    # Two heads (two branches each adding a migration) make `upgrade head` fail in production.
    assert len(scripts(database_url).get_heads()) == 1


def test_upgrade_downgrade_upgrade(database_url: str, engine: Engine) -> None:
    head = scripts(database_url).get_current_head()

    migrate.upgrade(database_url)
    assert table_names(engine) == MODEL_TABLES | {"alembic_version"}
    assert current_revision(engine) == head
    migrate.upgrade(database_url)  # already at head: a restart runs this again and must not fail
    assert current_revision(engine) == head

    migrate.downgrade(database_url, "base")
    assert table_names(engine) == {"alembic_version"}
    assert current_revision(engine) is None

    migrate.upgrade(database_url)
    assert table_names(engine) == MODEL_TABLES | {"alembic_version"}
    assert current_revision(engine) == head
    assert schema_drift(engine, Base.metadata) == []  # the downgrade left no index or column behind


def test_every_revision_downgrades_and_upgrades_again(database_url: str, engine: Engine) -> None:
    """Stairway: each step up, one step down, and up again, so every downgrade() really undoes its upgrade()."""
    revisions = list(reversed(list(scripts(database_url).walk_revisions())))  # oldest first
    for revision in revisions:
        tables_before = table_names(engine)
        migrate.upgrade(database_url, revision.revision)
        tables_after_upgrade = table_names(engine)
        previous = revision.down_revision or "base"
        assert isinstance(previous, str), f"{revision.revision} merges branches; step it down by hand"
        migrate.downgrade(database_url, previous)
        assert current_revision(engine) == revision.down_revision
        assert table_names(engine) == tables_before | {"alembic_version"}
        migrate.upgrade(database_url, revision.revision)
        assert table_names(engine) == tables_after_upgrade
        assert current_revision(engine) == revision.revision


def test_migrations_match_the_models(database_url: str, engine: Engine) -> None:
    """A model change without a migration fails here: run `flask db revision -m ...` and commit the file."""
    migrate.upgrade(database_url)
    assert schema_drift(engine, Base.metadata) == []


def _add_column(metadata: MetaData) -> None:
    metadata.tables["claims"].append_column(Column("severity", Integer))


def _widen_string(metadata: MetaData) -> None:
    metadata.tables["claims"].c.category.type = String(200)


def _lengthen_enum(metadata: MetaData) -> None:
    # The non-native enums are VARCHARs: a longer member needs a migration too.
    metadata.tables["users"].c.role.type = Enum(*[role.value for role in Role], name="role", native_enum=False,
                                                 length=32)


def _allow_null(metadata: MetaData) -> None:
    metadata.tables["claims"].c.text.nullable = True


def _add_index(metadata: MetaData) -> None:
    Index("ix_claims_verdict", metadata.tables["claims"].c.verdict)


def _drop_table(metadata: MetaData) -> None:
    metadata.remove(metadata.tables["audit_log"])


@pytest.mark.parametrize("change, expected_operation", [
    pytest.param(_add_column, "add_column", id="add column"),
    pytest.param(_widen_string, "modify_type", id="widen string"),
    pytest.param(_lengthen_enum, "modify_type", id="lengthen enum"),
    pytest.param(_allow_null, "modify_nullable", id="allow null"),
    pytest.param(_add_index, "add_index", id="add index"),
    pytest.param(_drop_table, "remove_table", id="drop table"),
])
def test_drift_check_notices_a_model_change(change: Callable[[MetaData], None], expected_operation: str,
                                            database_url: str, engine: Engine) -> None:
    """The drift test above can fail: the same comparison sees each kind of unmigrated change."""
    migrate.upgrade(database_url)
    changed = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    change(changed)
    # Column changes come back grouped in a list per column; table and index changes as tuples.
    operations = {(diff[0][0] if isinstance(diff, list) else diff[0]) for diff in schema_drift(engine, changed)}
    assert expected_operation in operations



def test_lost_job_records_start_as_done_where_their_time_has_passed(database_url: str, engine: Engine) -> None:
    """0008 backfills: without it, the first housekeeping after the upgrade would send every old tip's reference
    and every overdue case's timers again."""
    migrate.upgrade(database_url, "0007_long_claim_fields")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (id, line_user_id, role, is_active, created_at, last_seen_at) "
                                "VALUES (1, 'U1', 'citizen', true, :now, :now)"), {"now": now})
        connection.execute(text("INSERT INTO tips (user_id, text, source_type, created_at, submitted_at) "
                                "VALUES (1, 'ข่าวลือ', 'user', :at, :at)"), {"at": now - timedelta(days=2)})
        connection.execute(text("INSERT INTO cases (text, status, requester_count, created_at, last_seen_at, due_at) "
                                "VALUES ('ข่าวลือ', 'open', 1, :created, :created, :due)"),
                           {"created": now - timedelta(hours=3), "due": now - timedelta(hours=1)})
    migrate.upgrade(database_url)
    with engine.connect() as connection:
        tip = connection.execute(text("SELECT submitted_at, acknowledged_at FROM tips")).one()
        case = connection.execute(text("SELECT reminded_at, escalation_checked_at, requesters_updated_at "
                                       "FROM cases")).one()
    assert tip.acknowledged_at == tip.submitted_at
    assert (case.reminded_at is not None, case.escalation_checked_at is not None,
            case.requesters_updated_at) == (True, True, None)  # the 24-hour message is still ahead


def test_stored_routing_reasons_lose_their_codes_and_scores(database_url: str, engine: Engine) -> None:
    """0012: case cards read the stored reason; issue 13 item 4 says no code or score is shown to people."""
    migrate.upgrade(database_url, "0011_images")
    now = datetime.now(UTC)
    reasons = ["ไม่มีหน่วยงานใดชัดเจนพอ ส่งศูนย์ฯ คัดกรอง (ใกล้เคียงที่สุด: pea 13%)",
               "หมวดการเงิน-หุ้น (62%) ซึ่งหน่วยงานนี้รับผิดชอบ", "พบคำว่า “ออมสิน”"]
    with engine.begin() as connection:
        for reason in reasons:
            connection.execute(text("INSERT INTO cases (text, status, requester_count, created_at, last_seen_at, "
                                    "routing_reason) VALUES ('ข่าวลือ', 'open', 1, :now, :now, :reason)"),
                               {"now": now, "reason": reason})
    migrate.upgrade(database_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT routing_reason FROM cases ORDER BY id")).scalars().all()
    assert stored == ["ไม่มีหน่วยงานใดชัดเจนพอ ส่งศูนย์ฯ คัดกรอง", "หมวดการเงิน-หุ้น ซึ่งหน่วยงานนี้รับผิดชอบ",
                      "พบคำว่า “ออมสิน”"]
