"""The claim matcher a process shares: built from the database once, rebuilt only when the catalog changes."""
from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy.orm import Session

from data.claims import catalog_version, claim_texts
from data.refresh import RefreshingIndex
from nlp.embed import Embedder
from nlp.match import ClaimMatcher, Match
from nlp.normalise import normalise

log = logging.getLogger(__name__)

CACHE_SIZE = 20_000
"""Viral chain messages repeat word for word: remember this many recent answers per process."""


class ClaimChecker:
    def __init__(self, load_embedder: Callable[[], Embedder | None]) -> None:
        self._load_embedder = load_embedder
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._embedder_loaded = False
        self._matchers = RefreshingIndex("claim index", catalog_version, self._build_matcher)
        self._cache: OrderedDict[tuple[int, str], Match] = OrderedDict()
        self._cache_version = -1

    @property
    def embedder(self) -> Embedder | None:
        with self._lock:
            return self._embedder_locked()

    def _embedder_locked(self) -> Embedder | None:
        if not self._embedder_loaded:
            self._embedder = self._load_embedder()
            self._embedder_loaded = True
        return self._embedder

    def _build_matcher(self, session: Session, previous: ClaimMatcher | None) -> ClaimMatcher:
        embedder = self.embedder
        claims = claim_texts(session, embedder.model if embedder else None)
        log.info("claim index: %d claims", len(claims))
        return ClaimMatcher(claims, embedder, previous=previous)

    def matcher(self, session: Session) -> tuple[ClaimMatcher, int]:
        """The matcher for the catalog's current version, rebuilt here if a claim changed since the last call."""
        matcher, version = self._matchers.get(session)
        with self._lock:
            if version != self._cache_version:  # answers of an older catalog are never asked for again
                self._cache.clear()
                self._cache_version = version
        return matcher, version

    def check(self, session: Session, text: str) -> Match:
        matcher, version = self.matcher(session)
        normalised = normalise(text)
        key = (version, hashlib.sha1("\x1f".join((normalised.text, *normalised.urls)).encode()).hexdigest())
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        match = matcher.match(text)
        with self._lock:
            self._cache[key] = match
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return match
