"""Engine and session factory. One `Database` per app, kept in `app.extensions`."""
from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Executable, Insert, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

DialectInsert = Callable[[Any], postgresql.Insert | sqlite.Insert]
"""`postgresql.insert` or `sqlite.insert`: the two have ON CONFLICT, plain `insert` has not."""


def per_dialect(build: Callable[[DialectInsert], Insert]) -> Callable[[Session], Insert]:
    """An INSERT .. ON CONFLICT statement built once per process for each database we run on, taken by the
    session's dialect. For statements every webhook event runs: composing them per call through the ORM cost
    about as much CPU as running them (issue 11)."""
    built = {"postgresql": build(postgresql.insert), "sqlite": build(sqlite.insert)}
    return lambda session: built[session.get_bind().dialect.name]


def update_columns(row: Any, values: dict[str, Any]) -> bool:
    """Set the attributes whose value differs; True if any did. Unchanged rows stay clean, so re-imports and
    syncs write nothing and report "unchanged"."""
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in changed.items():
        setattr(row, name, value)
    return bool(changed)


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it touched."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on error, always closed."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def is_reachable(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # any driver error means "not reachable" for health checks
            return False


def connect(url: str, **engine_options: Any) -> Database:
    """Build the engine; SQLite gets foreign keys and a busy timeout so threads can share the file."""
    if url.startswith("sqlite"):
        engine_options.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    else:
        engine_options.setdefault("pool_pre_ping", True)
        # A database that drops packets must fail a health check quickly, not hang it.
        engine_options.setdefault("connect_args", {"connect_timeout": 5})
    # Parameters hold citizens' messages: keep them out of error logs.
    engine = create_engine(url, hide_parameters=True, **engine_options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    os.register_at_fork(after_in_child=partial(_forget_parent_connections, weakref.ref(engine)))
    return Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _forget_parent_connections(engine: weakref.ref[Engine]) -> None:
    """In a forked child (an RQ work horse, a gunicorn worker), start a new pool and leave the parent's
    connections alone, unclosed: they are the parent's sessions on the server. A child that used one shared it:
    psycopg prepares a query run five times, naming statements _pg3_0, _pg3_1… per connection object, so the
    next child, forked from a parent that never saw them, failed with "prepared statement _pg3_0 already
    exists" (and the parent would have talked over the children's traffic)."""
    forked = engine()
    if forked is not None:  # the engine of an app that is gone (a test's) needs nothing
        forked.dispose(close=False)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
