"""`flask agencies sync`: the agencies tips are routed to (data/agencies.yaml)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from bot.runtime.services import current_services
from data.agencies import AGENCIES_FILE, AgencyFileError, load_agencies, sync_agencies
from data.claims import bump_catalog_version

agencies_cli = AppGroup("agencies", help="The agencies tips are routed to (data/agencies.yaml).")


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
