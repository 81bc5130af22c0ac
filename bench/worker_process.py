"""`python -m bench.worker_process fork|frozen|simple`: an RQ worker for `python -m bench workers`.

It starts as `flask worker` does (the app, then the warm-up before any fork) but takes the worker class from
its argument: RQ's `Worker`, which forks a work horse per job; the same after `gc.freeze()`, so the horses'
collector leaves the warmed-up heap alone (its pages stay shared with the parent instead of being copied); or
RQ's `SimpleWorker`, which runs each job in its own process. No scheduler and no re-drive pass, so the worker
runs only the jobs the benchmark queued. Runs until SIGTERM."""
from __future__ import annotations

import gc
import sys

from rq import SimpleWorker, Worker

from app import create_app
from bot.runtime.queue import RQJobQueue
from bot.runtime.services import current_services, warm_up

VARIANTS = ("fork", "frozen", "simple")


def main(variant: str) -> None:
    app = create_app()
    with app.app_context():
        services = current_services()
        assert isinstance(services.queue, RQJobQueue)
        warm_up(services)
        if variant == "frozen":
            gc.freeze()
        services.queue.worker(SimpleWorker if variant == "simple" else Worker).work()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in VARIANTS:
        raise SystemExit(f"usage: python -m bench.worker_process {'|'.join(VARIANTS)}")
    main(sys.argv[1])
