"""Nearest-centre search over 10,000 synthetic centres against the naive loop, and the cost of "open now"."""
from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

import numpy as np

from data.nearest import Nearby, NearestIndex, haversine_km
from data.opening_hours import BANGKOK, OpeningHours, thai_holidays

SEED = 20261123
CENTRES = 10_000
QUERIES = 1_000
NAIVE_QUERIES = 200
"""The naive loop takes ~20 ms a query, so it runs on the first queries only."""
LIMIT = 5
WITHIN_KM = 25.0
LATITUDES = (5.6, 20.5)
LONGITUDES = (97.3, 105.7)
"""Thailand's bounding box."""
HOURS = "mon-fri 08:30-12:00,13:00-16:30; sat 10:00-02:00; hol closed"
INSTANTS = 10_000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def naive(centres: list[tuple[str, float, float]], latitude: float,
          longitude: float) -> list[tuple[float, str]]:
    """Every centre measured in a Python loop, then sorted: what the index must match exactly."""
    return sorted((haversine_km(latitude, longitude, lat, lon), key) for key, lat, lon in centres)


def kept(ranked: list[tuple[float, str]], within_km: float | None) -> list[Nearby]:
    return [Nearby(key, km) for km, key in ranked if within_km is None or km <= within_km][:LIMIT]


def run() -> str:
    rng = np.random.default_rng(SEED)
    centres = [(f"centre-{number:05d}", float(lat), float(lon)) for number, (lat, lon) in
               enumerate(zip(rng.uniform(*LATITUDES, CENTRES), rng.uniform(*LONGITUDES, CENTRES)))]
    queries = [(float(lat), float(lon)) for lat, lon in
               zip(rng.uniform(*LATITUDES, QUERIES), rng.uniform(*LONGITUDES, QUERIES))]

    started = time.perf_counter()
    index = NearestIndex(centres)
    build_ms = (time.perf_counter() - started) * 1000
    fast, found = [], []
    for latitude, longitude in queries:
        started = time.perf_counter()
        found.append(index.nearest(latitude, longitude, limit=LIMIT))
        fast.append((time.perf_counter() - started) * 1000)

    slow, same, same_within = [], 0, 0
    for (latitude, longitude), answer in zip(queries[:NAIVE_QUERIES], found):
        started = time.perf_counter()
        ranked = naive(centres, latitude, longitude)
        expected = kept(ranked, None)
        slow.append((time.perf_counter() - started) * 1000)
        same += answer == expected
        same_within += index.nearest(latitude, longitude, limit=LIMIT, within_km=WITHIN_KM) == kept(ranked, WITHIN_KM)

    opening = OpeningHours.parse(HOURS)
    assert opening is not None
    thai_holidays(2025), thai_holidays(2026)  # the calendar is built once a year, outside the timings
    start_of_year = datetime(2026, 1, 1, tzinfo=BANGKOK)
    instants = [start_of_year + timedelta(minutes=int(minute)) for minute in rng.integers(0, 365 * 24 * 60, INSTANTS)]
    open_now, parse = [], []
    for at in instants:
        started = time.perf_counter()
        opening.is_open(at)
        open_now.append((time.perf_counter() - started) * 1_000_000)
    for _ in range(1_000):
        started = time.perf_counter()
        OpeningHours.parse(HOURS)
        parse.append((time.perf_counter() - started) * 1_000_000)

    median = statistics.median(fast)
    return "\n".join([
        "## Nearest centres",
        "",
        f"{CENTRES:,} synthetic centres spread uniformly over Thailand's bounding box (lat {LATITUDES[0]}–"
        f"{LATITUDES[1]}, lon {LONGITUDES[0]}–{LONGITUDES[1]}, seed {SEED}), {QUERIES:,} random query points, "
        f"`NearestIndex.nearest(limit={LIMIT})`. Index build: {build_ms:.1f} ms. The naive loop measures "
        f"every centre with `haversine_km` in Python and sorts, on the first {NAIVE_QUERIES} queries.",
        "",
        "| search | queries | median | p95 |",
        "|---|---|---|---|",
        f"| `NearestIndex.nearest` (numpy) | {len(fast):,} | {median:.2f} ms | {percentile(fast, 0.95):.2f} ms |",
        f"| naive Python loop + sort | {len(slow):,} | {statistics.median(slow):.1f} ms | "
        f"{percentile(slow, 0.95):.1f} ms |",
        "",
        f"The index is {statistics.median(slow) / median:.0f}× faster at the median (target: median ≤ 5 ms, "
        f"{'met' if median <= 5 else 'NOT met'}). Identical answers (keys, order and km) on "
        f"{same}/{len(slow)} queries with `limit={LIMIT}` and {same_within}/{len(slow)} with "
        f"`within_km={WITHIN_KM:g}`.",
        "",
        f"`OpeningHours.is_open` on `{HOURS}` at {INSTANTS:,} random instants of 2026: median "
        f"{statistics.median(open_now):.1f} µs, p95 {percentile(open_now, 0.95):.1f} µs; `parse` median "
        f"{statistics.median(parse):.0f} µs.",
    ])
