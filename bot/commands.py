"""Operator commands: `flask db …`, `flask claims import`, `flask worker`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from rq import Worker
from sqlalchemy import func, select
from tqdm import tqdm

from bot.services import current_services
from data import migrate
from data.claims_import import ClaimRowError, ImportReport, read_claims_csv, upsert_claims
from data.models import Claim
from workers.queue import RQJobQueue

db_cli = AppGroup("db", help="Database migrations (Alembic, in migrations/).")
claims_cli = AppGroup("claims", help="Verified claims.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Migrate the database down to REVISION (`base` removes every table)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="Why the schema changes.")
def revision_command(message: str) -> None:
    """Autogenerate a migration from the models; read it before committing."""
    migrate.make_revision(current_app.config["DATABASE_URL"], message)


@claims_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Do nothing when the claims table already has rows.")
def import_claims_command(path: Path, if_empty: bool) -> None:
    """Upsert verified claims from an AFNC-format CSV (see data/PROVENANCE.md)."""
    database = current_services().db
    with database.session() as session:
        if if_empty and session.scalar(select(func.count()).select_from(Claim)):
            click.echo("claims: table already seeded; nothing to do")
            return
        report = ImportReport()
        with path.open(encoding="utf-8-sig") as handle:
            total_rows = max(sum(1 for _line in handle) - 1, 0)
        try:
            with tqdm(total=total_rows, unit="row", desc="claims", disable=None) as progress:
                upsert_claims(session, read_claims_csv(path, report), report, on_progress=progress.update)
        except ClaimRowError as error:
            raise click.ClickException(str(error)) from None
    for line, reason in report.rejected:
        click.echo(f"{path}:{line}: rejected: {reason}", err=True)
    click.echo(f"claims: inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged}, "
               f"rejected {len(report.rejected)}")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker (with the scheduler, for retry intervals) inside the app context."""
    queue = current_services().queue
    if not isinstance(queue, RQJobQueue):
        raise click.ClickException("REDIS_URL is not set: jobs already run inside the web process")
    Worker([queue.queue], connection=queue.connection).work(burst=burst, with_scheduler=True)
