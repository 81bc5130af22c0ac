"""What every operator command shares: the actor its audit rows name, and its transaction."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from bot.runtime.services import current_services

CLI_ACTOR = "cli"
"""The audit log's actor for what an operator does from the terminal."""


@contextmanager
def operator_session(*refusals: type[Exception]) -> Iterator[Session]:
    """One command's transaction. A domain refusal among `refusals` (an unknown agency, a used invite) rolls it
    back and stops the command with the refusal's message on one line, not a traceback."""
    try:
        with current_services().db.session() as session:
            yield session
    except refusals as error:
        raise click.ClickException(str(error)) from None
