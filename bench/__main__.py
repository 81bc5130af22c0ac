"""`make bench`: run every benchmark and rewrite bench/RESULTS.md.

`python -m bench matching cases --split fresh23` evaluates the story set's sealed `fresh23` split instead of the
frozen `test` one, in sections of their own (the test figures stay); a split already trained on is refused."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # the targets are per core; the embedding engine would take both
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # two OpenMP pools (embedding, LightGBM) must not spin

from bench import (  # noqa: E402
    cache,
    capacity,
    cases,
    desk,
    emulator_cpu,
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
from bench.stories import HELD_OUT  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS.md")
BENCHMARKS = {"matching": matching.run, "routing": routing.run, "cache": cache.run, "cases": cases.run,
              "webhook_ack": webhook_ack.run, "intent": intent.run, "places": places.run, "nearest": nearest.run,
              "group": group.run, "volunteer": volunteer.run, "images": images.run, "scams": scams.run,
              "desk": desk.run, "load": load.run, "fanout": fanout.run,
              "workers": workers.run, "capacity": capacity.run, "emulator": emulator_cpu.run}


def sections_of(text: str) -> dict[str, str]:
    """The file's "## " sections by title, in order."""
    parts = text.split("\n## ")[1:]
    return {part.split("\n", 1)[0]: "## " + part.rstrip() for part in parts}


SPLIT_AWARE = {"matching": matching.run, "cases": cases.run}
"""Benchmarks over a held-out split of the story set, which `--split NAME` chooses."""


def main(selected: list[str], split: str | None = None) -> None:
    """Run the named benchmarks (all by default); a partial run replaces only its own sections."""
    names = selected or list(BENCHMARKS)
    if split is not None and (not selected or set(names) - set(SPLIT_AWARE)):
        sys.exit(f"--split is for {' and '.join(SPLIT_AWARE)} only: name them")
    if split is not None and split not in HELD_OUT:
        sys.exit(f"--split {split}: only a held-out split ({', '.join(sorted(HELD_OUT))}) gives a figure nothing was "
                 "trained on")
    sections = sections_of(RESULTS.read_text(encoding="utf-8")) if selected and RESULTS.exists() else {}
    for name in names:
        print(f"bench: {name} …", flush=True)
        section = SPLIT_AWARE[name](split) if split is not None else BENCHMARKS[name]()
        sections.update(sections_of("\n" + section))
        print(section, flush=True)
    machine_line = f"Machine: {machine.describe()}" + (
        f". This run: {', '.join(names)}; the other sections are from earlier runs (see git log)" if selected else "")
    RESULTS.write_text("# Benchmark results\n\n" + machine_line + "\n\n" + "\n\n".join(sections.values()) + "\n",
                       encoding="utf-8")
    print(f"bench: wrote {RESULTS}")


def arguments(argv: list[str]) -> tuple[list[str], str | None]:
    """Benchmark names and the `--split` value; other flags (such as --quick) are the sections' own."""
    names, split = [], None
    for index, argument in enumerate(argv):
        if argument.startswith("--split="):
            split = argument.removeprefix("--split=")
        elif argument == "--split" and index + 1 < len(argv):
            split = argv[index + 1]
        elif not argument.startswith("--") and (index == 0 or argv[index - 1] != "--split"):
            names.append(argument)
    return names, split


if __name__ == "__main__":
    main(*arguments(sys.argv[1:]))
