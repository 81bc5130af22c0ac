"""`flask volunteers list|approve|remove`: the admin side of digital volunteers (role changes are audited)."""
from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from bot.cli.operator import CLI_ACTOR, operator_session
from bot.runtime.services import current_services
from data.models import User, VolunteerStatus
from data.volunteers import VolunteerError, approve_by_line_id, list_volunteers, remove_by_line_id
from workers.richmenu_jobs import link_menu_job_id, sync_user_menu
from workers.volunteers import welcome_job_id, welcome_volunteer

volunteers_cli = AppGroup("volunteers", help="Digital volunteers (อสด.): approve registrations.")


@volunteers_cli.command("list")
@click.option("--pending", is_flag=True, help="Only registrations waiting for approval.")
def list_volunteers_command(pending: bool) -> None:
    """One line per volunteer: LINE user id, status, display name, area codes, applied."""
    with current_services().db.session() as session:
        rows = list_volunteers(session, VolunteerStatus.PENDING if pending else None)
        for volunteer, user in rows:
            click.echo(f"{user.line_user_id}\t{volunteer.status.value}\t{volunteer.display_name}\t"
                       f"{user.province_code or '-'}/{user.district_code or '-'}\t{volunteer.applied_at:%Y-%m-%d}")
    click.echo(f"volunteers: {len(rows)}")


def _change(user_id: str, change: Callable[[Session, str, str], User]) -> None:
    """Apply a role change, then relink the user's rich menu (a job: it talks to LINE)."""
    with operator_session(VolunteerError) as session:
        change(session, user_id, CLI_ACTOR)
    current_services().queue.enqueue(sync_user_menu, user_id, job_id=link_menu_job_id(user_id))


@volunteers_cli.command("approve")
@click.option("--user-id", required=True, help="The volunteer's LINE user id (U…); see `flask volunteers list`.")
def approve_volunteer_command(user_id: str) -> None:
    """Approve a registration: the user becomes a volunteer, gets the volunteer menu and a welcome message."""
    _change(user_id, approve_by_line_id)
    current_services().queue.enqueue(welcome_volunteer, user_id, job_id=welcome_job_id(user_id))
    click.echo(f"volunteers: {user_id} approved")


@volunteers_cli.command("remove")
@click.option("--user-id", required=True)
def remove_volunteer_command(user_id: str) -> None:
    """Withdraw a registration: the user is a citizen again, with the default menu."""
    _change(user_id, remove_by_line_id)
    click.echo(f"volunteers: {user_id} is a citizen again")
