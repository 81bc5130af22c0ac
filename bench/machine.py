"""A short description of the machine a benchmark ran on, for RESULTS.md."""
from __future__ import annotations

import os
import platform
from datetime import UTC, datetime


def describe() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                      if line.startswith("MemTotal")), 0)
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {cpu} · {os.cpu_count()} cores · "
            f"{memory_kb / 1024 / 1024:.0f} GiB RAM · Python {platform.python_version()} · "
            f"{platform.system()} {platform.release()} (a shared, noisy machine)")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""
