"""`make bench`: run every benchmark and rewrite bench/RESULTS.md."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # the targets are per core; the embedding engine would take both

from bench import (cache, cases, group, intent, machine, matching, nearest, places, routing,  # noqa: E402
                   volunteer, webhook_ack)

RESULTS = Path(__file__).with_name("RESULTS.md")
BENCHMARKS = {"matching": matching.run, "routing": routing.run, "cache": cache.run, "cases": cases.run,
              "webhook_ack": webhook_ack.run, "intent": intent.run, "places": places.run, "nearest": nearest.run,
              "group": group.run, "volunteer": volunteer.run}


def main(selected: list[str]) -> None:
    names = selected or list(BENCHMARKS)
    sections = []
    for name in names:
        print(f"bench: {name} …", flush=True)
        sections.append(BENCHMARKS[name]())
        print(sections[-1], flush=True)
    RESULTS.write_text("# Benchmark results\n\n" + f"Machine: {machine.describe()}\n\n" + "\n\n".join(sections) + "\n",
                       encoding="utf-8")
    print(f"bench: wrote {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
