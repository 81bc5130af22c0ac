"""`flask db upgrade|downgrade|revision`: the database schema (Alembic, in migrations/)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from data import migrate

db_cli = AppGroup("db", help="Database migrations (Alembic, in migrations/).")


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
