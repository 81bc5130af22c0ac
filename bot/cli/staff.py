"""`flask staff add|remove|list`: web desk accounts. The password is read from standard input, never an argument
(arguments show in `ps` and shell history)."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from bot.cli.operator import CLI_ACTOR, operator_session
from bot.runtime.services import current_services
from data.staff import StaffError, add_staff, list_staff, remove_staff

staff_cli = AppGroup("staff", help="Web desk accounts: AFNC desk staff and agency supervisors (audited).")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@staff_cli.command("add")
@click.option("--email", required=True)
@click.option("--agency", "agency_code", default=None, help="A supervisor's agency code (data/agencies.yaml).")
@click.option("--desk", is_flag=True, help="An AFNC desk account, which sees every agency's cases.")
def add_staff_command(email: str, agency_code: str | None, desk: bool) -> None:
    """Create an account, or set a new password and scope for an existing one (its sessions end)."""
    if desk == (agency_code is not None):
        raise click.UsageError("give exactly one of --agency CODE or --desk")
    with operator_session(StaffError) as session:
        account = add_staff(session, email, _read_password(), agency_code, actor=CLI_ACTOR)
        scope = account.agency_code or "the AFNC desk (all agencies)"
        email = account.email
    click.echo(f"staff: {email} can log in at /desk/login for {scope}")


@staff_cli.command("remove")
@click.option("--email", required=True)
def remove_staff_command(email: str) -> None:
    """End an account and its sessions; its audit entries keep naming it."""
    with operator_session(StaffError) as session:
        remove_staff(session, email, actor=CLI_ACTOR)
    click.echo(f"staff: {email} removed")


@staff_cli.command("list")
def list_staff_command() -> None:
    with current_services().db.session() as session:
        for account in list_staff(session):
            click.echo(f"{account.email}\t{account.agency_code or 'desk'}\t{account.created_at:%Y-%m-%d}")
