"""Run in its own process by bench.matching: build a large matcher and time it, print one JSON line."""
from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from dataclasses import replace

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from bench.corpus import dev_queries, grown_corpus, seed_claims  # noqa: E402
from nlp.decision import load_models  # noqa: E402
from nlp.embed import load_embedder  # noqa: E402
from nlp.match import ClaimMatcher  # noqa: E402


def main(size: int) -> None:
    claims = grown_corpus(seed_claims(), size)
    texts = [query.text for query in dev_queries()][:200]
    started = time.perf_counter()
    matcher = ClaimMatcher(claims, load_embedder())
    build_seconds = time.perf_counter() - started
    del claims  # a serving process keeps only the matcher
    timings = []
    for text in texts:
        begun = time.perf_counter()
        matcher.match(text)
        timings.append((time.perf_counter() - begun) * 1000)
    naive = matcher.with_models(replace(load_models(), embed_from=0.0))
    naive_timings = []
    for text in texts:
        begun = time.perf_counter()
        naive.match(text)
        naive_timings.append((time.perf_counter() - begun) * 1000)
    lexical_timings = []
    for text in texts:
        begun = time.perf_counter()
        matcher.match(text, semantic=False)
        lexical_timings.append((time.perf_counter() - begun) * 1000)
    timings.sort()
    print(json.dumps({"claims": len(matcher), "build_seconds": build_seconds, "median_ms": statistics.median(timings),
                      "p99_ms": timings[int(0.99 * (len(timings) - 1))],
                      "naive_median_ms": statistics.median(naive_timings),
                      "lexical_median_ms": statistics.median(lexical_timings),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
