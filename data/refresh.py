"""The one way a process keeps an index over database rows (claims, agency routing, centres, FAQ): built on
first use, rebuilt when the rows' version moves, shared by the process's threads.

Each index says what its version is (the claim catalog's counter, or a table's row count and newest change),
and how often that is worth asking: every call, or at most once per so many seconds for a hot path.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

T = TypeVar("T")
V = TypeVar("V", bound=Hashable)


class RefreshingIndex(Generic[T, V]):
    def __init__(self, name: str, version: Callable[[Session], V],
                 build: Callable[[Session, T | None], T], check_every_seconds: float = 0.0) -> None:
        """`build(session, previous)` makes the index; `previous` (the index it replaces, or None) lets it reuse
        work. With `check_every_seconds`, the version is read at most that often."""
        self._name = name
        self._version_of = version
        self._build = build
        self._check_every = check_every_seconds
        self._lock = threading.Lock()
        self._current: tuple[T, V] | None = None
        self._checked_at = 0.0

    def get(self, session: Session) -> tuple[T, V]:
        """The index for the rows' current version, and that version."""
        with self._lock:
            if self._current is not None and self._check_every and \
                    time.monotonic() - self._checked_at < self._check_every:
                return self._current
        version = self._version_of(session)
        with self._lock:
            if self._current is None or version != self._current[1]:
                started = time.perf_counter()
                self._current = (self._build(session, self._current[0] if self._current else None), version)
                log.info("%s built for version %s in %.2f s", self._name, version, time.perf_counter() - started)
            self._checked_at = time.monotonic()
            return self._current
