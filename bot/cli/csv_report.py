"""What an import command says about a CSV file: why it could not be read at all, and which rows it rejected."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from data.csv_import import ImportReport, RowError


@contextmanager
def reading_csv(path: Path) -> Iterator[None]:
    """A file that cannot be read (a bad header, not UTF-8) stops the command with one clear line."""
    try:
        yield
    except RowError as error:
        raise click.ClickException(str(error)) from None
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not UTF-8: save it from Excel as \"CSV UTF-8\"") from None


def echo_rejected(path: Path, report: ImportReport) -> None:
    for line, reason in report.rejected:
        click.echo(f"{path}:{line}: rejected: {reason}", err=True)
