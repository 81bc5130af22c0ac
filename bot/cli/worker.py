"""`flask worker`: one RQ worker with the scheduler, restarted after Redis outages (workers/supervisor.py)."""
from __future__ import annotations

import click

from bot.runtime.queue import RQJobQueue
from bot.runtime.services import current_services, warm_up
from workers.housekeeping import HOUSEKEEPING_JOB_ID, housekeep, redrive_interrupted
from workers.supervisor import supervise


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker (with the scheduler, for retry intervals and SLA timers) inside the app context."""
    services = current_services()
    queue = services.queue
    if not isinstance(queue, RQJobQueue):
        raise click.ClickException("REDIS_URL is not set: jobs already run inside the web process")
    warm_up(services)  # built before the first job (and before any fork, with WORKER_CLASS=fork): no job pays

    def run() -> None:
        # Jobs lost while no worker ran, or with Redis, are re-driven from the database now.
        redrive_interrupted()
        queue.enqueue(housekeep, job_id=HOUSEKEEPING_JOB_ID)
        queue.worker().work(burst=burst, with_scheduler=True)

    if burst:
        run()
    else:
        supervise(run, queue.connection)
