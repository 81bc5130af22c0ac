"""`make bench`: run every benchmark and rewrite bench/RESULTS.md."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # the targets are per core; the embedding engine would take both

from bench import (  # noqa: E402
    cache,
    capacity,
    cases,
    desk,
    fanout,
    group,
    images,
    intent,
    load,
    machine,
    matching,
    nearest,
    places,
    routing,
    scams,
    volunteer,
    webhook_ack,
    workers,
)

RESULTS = Path(__file__).with_name("RESULTS.md")
BENCHMARKS = {"matching": matching.run, "routing": routing.run, "cache": cache.run, "cases": cases.run,
              "webhook_ack": webhook_ack.run, "intent": intent.run, "places": places.run, "nearest": nearest.run,
              "group": group.run, "volunteer": volunteer.run, "images": images.run, "scams": scams.run,
              "desk": desk.run, "load": load.run, "fanout": fanout.run,
              "workers": workers.run, "capacity": capacity.run}


def sections_of(text: str) -> dict[str, str]:
    """The file's "## " sections by title, in order."""
    parts = text.split("\n## ")[1:]
    return {part.split("\n", 1)[0]: "## " + part.rstrip() for part in parts}


def main(selected: list[str]) -> None:
    """Run the named benchmarks (all by default); a partial run replaces only its own sections."""
    names = selected or list(BENCHMARKS)
    sections = sections_of(RESULTS.read_text(encoding="utf-8")) if selected and RESULTS.exists() else {}
    for name in names:
        print(f"bench: {name} …", flush=True)
        section = BENCHMARKS[name]()
        sections.update(sections_of("\n" + section))
        print(section, flush=True)
    machine_line = f"Machine: {machine.describe()}" + (
        f". This run: {', '.join(names)}; the other sections are from earlier runs (see git log)" if selected else "")
    RESULTS.write_text("# Benchmark results\n\n" + machine_line + "\n\n" + "\n\n".join(sections.values()) + "\n",
                       encoding="utf-8")
    print(f"bench: wrote {RESULTS}")


if __name__ == "__main__":
    main([name for name in sys.argv[1:] if not name.startswith("--")])  # flags such as --quick are the sections' own
