"""A repeated (viral) message: served from the checker's cache, against matching it again."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus import SEED_CSV, dev_queries
from data import migrate
from data.checker import ClaimChecker
from data.claims import bump_catalog_version, embed_missing
from data.claims_import import ImportReport, read_claims_csv, upsert_claims
from data.db import connect
from data.embeddings import load_shipped
from nlp.embed import load_embedder

REPEATS = 200


def run() -> str:
    texts = [query.text for query in dev_queries() if query.kind == "positive"][:50]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'cache.sqlite3'}"
        migrate.upgrade(url)
        database = connect(url)
        checker = ClaimChecker(load_embedder)
        with database.session() as session:
            upsert_claims(session, read_claims_csv(SEED_CSV, ImportReport()), ImportReport())
            bump_catalog_version(session)
            embedder = checker.embedder
            if embedder is not None:
                embed_missing(session, embedder, load_shipped())
        first, repeated = [], []
        with database.session() as session:
            checker.matcher(session)  # build once, outside the timings
            for text in texts:
                started = time.perf_counter()
                checker.check(session, text)
                first.append((time.perf_counter() - started) * 1000)
            for _ in range(REPEATS // len(texts)):
                for text in texts:
                    started = time.perf_counter()
                    checker.check(session, text)
                    repeated.append((time.perf_counter() - started) * 1000)
        database.engine.dispose()
    ratio = statistics.median(first) / statistics.median(repeated)
    return "\n".join([
        "## Repeated messages (cache)",
        "",
        "`ClaimChecker.check` on SQLite with the seed, including the catalog-version read every check makes.",
        "",
        "| path | checks | median | p99 |",
        "|---|---|---|---|",
        f"| first time (full match) | {len(first)} | {statistics.median(first):.2f} ms | "
        f"{sorted(first)[int(0.99 * (len(first) - 1))]:.2f} ms |",
        f"| repeated (cache hit) | {len(repeated)} | {statistics.median(repeated):.3f} ms | "
        f"{sorted(repeated)[int(0.99 * (len(repeated) - 1))]:.3f} ms |",
        "",
        f"A repeat costs 1/{ratio:.0f} of a first check (target: ≤ 1 ms).",
    ])
