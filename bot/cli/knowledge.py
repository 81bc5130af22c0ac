"""`flask centres import`, `flask courses import` / `import-sessions`, `flask faq import`: the knowledge side's
CSVs (schemas in the README, "Knowledge data")."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from bot.cli.csv_report import echo_rejected, reading_csv
from bot.runtime.services import current_services
from data.csv_import import ImportReport
from data.knowledge_import import import_centres, import_courses, import_faq, import_sessions

centres_cli = AppGroup("centres", help="Community digital centres.")
courses_cli = AppGroup("courses", help="Digital-skills courses and their sessions.")
faq_cli = AppGroup("faq", help="FAQ and explainer entries.")
CSV_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)


def _run(what: str, path: Path, load: Callable[[Session, Path], ImportReport]) -> None:
    """One transaction per file: a file with rejected rows still imports its good ones, and nothing is half-written
    when the process dies."""
    with reading_csv(path), current_services().db.session() as session:
        report = load(session, path)
    echo_rejected(path, report)
    click.echo(report.summary(what))


@centres_cli.command("import")
@click.argument("path", type=CSV_PATH)
def import_centres_command(path: Path) -> None:
    """Upsert centres from PATH by code."""
    _run("centres", path, import_centres)


@courses_cli.command("import")
@click.argument("path", type=CSV_PATH)
def import_courses_command(path: Path) -> None:
    """Upsert courses from PATH by code."""
    _run("courses", path, import_courses)


@courses_cli.command("import-sessions")
@click.argument("path", type=CSV_PATH)
@click.option("--include-illustrative", is_flag=True,
              help="Also import demo rows (note 'illustrative (not a real session)'); replies label them as examples.")
def import_sessions_command(path: Path, include_illustrative: bool) -> None:
    """Upsert course sessions from PATH by (course, centre, start); import courses and centres first."""
    _run("sessions", path, lambda session, csv_path: import_sessions(session, csv_path, include_illustrative))


@faq_cli.command("import")
@click.argument("path", type=CSV_PATH)
def import_faq_command(path: Path) -> None:
    """Upsert FAQ entries from PATH by code."""
    _run("faq", path, import_faq)
