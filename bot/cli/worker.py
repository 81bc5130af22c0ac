"""`flask worker`: one RQ worker with the scheduler, restarted after Redis outages and replaced after
WORKER_MAX_JOBS jobs (workers/supervisor.py)."""
from __future__ import annotations

import logging

import click
from flask import current_app

from bot.runtime.queue import RQJobQueue
from bot.runtime.services import current_services, warm_up
from workers.housekeeping import HOUSEKEEPING_JOB_ID, housekeep, redrive_interrupted
from workers.supervisor import supervise

log = logging.getLogger(__name__)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker (with the scheduler, for retry intervals and SLA timers) inside the app context."""
    services = current_services()
    queue = services.queue
    if not isinstance(queue, RQJobQueue):
        raise click.ClickException("REDIS_URL is not set: jobs already run inside the web process")
    warm_up(services)  # built before the first job (and before any fork, with WORKER_CLASS=fork): no job pays
    max_jobs = int(current_app.config["WORKER_MAX_JOBS"]) or None

    def run() -> None:
        # Jobs lost while no worker ran, or with Redis, are re-driven from the database now.
        redrive_interrupted()
        queue.enqueue(housekeep, job_id=HOUSEKEEPING_JOB_ID)
        queue.worker().work(burst=burst, with_scheduler=True, max_jobs=max_jobs)

    def rewarm() -> None:
        # A retired worker's successor is forked from this process: indexes rebuilt here after a verdict
        # are built once, not once per successor.
        try:
            warm_up(services)
        except Exception:  # the database away, say: the successor builds its own at its first job
            log.warning("warm-up before a fresh worker failed", exc_info=True)

    if burst:
        run()
    else:
        supervise(run, queue.connection, rewarm)
