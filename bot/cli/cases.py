"""Operator commands for the tip pipeline: `flask tips requeue`, `flask coordinators add|invite|remove`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from bot.cli.operator import CLI_ACTOR, operator_session
from bot.runtime.services import current_services
from data.coordinators import CoordinatorError, create_invite, make_coordinator, remove_coordinator
from workers.richmenu_jobs import link_menu_job_id, sync_user_menu
from workers.tips import sweep_unrouted_tips

tips_cli = AppGroup("tips", help="Citizens' tips.")
coordinators_cli = AppGroup("coordinators", help="Agency coordinators (role changes are audited).")


@tips_cli.command("requeue")
def requeue_tips_command() -> None:
    """Re-enqueue submitted tips that were never routed (Redis or a worker died)."""
    click.echo(f"tips: re-enqueued {sweep_unrouted_tips()}")


@coordinators_cli.command("add")
@click.option("--user-id", required=True, help="The coordinator's LINE user id (U…).")
@click.option("--agency", "agency_code", required=True, help="Agency code from data/agencies.yaml.")
@click.option("--name", default=None, help="Display name, if LINE's is not wanted.")
def add_coordinator_command(user_id: str, agency_code: str, name: str | None) -> None:
    with operator_session(CoordinatorError) as session:
        make_coordinator(session, user_id, agency_code, actor=CLI_ACTOR, display_name=name)
    current_services().queue.enqueue(sync_user_menu, user_id, job_id=link_menu_job_id(user_id))
    click.echo(f"coordinators: {user_id} now works for {agency_code}")


@coordinators_cli.command("invite")
@click.option("--agency", "agency_code", required=True)
def invite_coordinator_command(agency_code: str) -> None:
    """Print a one-time code; the coordinator sends `ลงทะเบียน CODE` to the bot."""
    with operator_session(CoordinatorError) as session:
        code = create_invite(session, agency_code, actor=CLI_ACTOR)
    click.echo(f"ลงทะเบียน {code}")


@coordinators_cli.command("remove")
@click.option("--user-id", required=True)
def remove_coordinator_command(user_id: str) -> None:
    with operator_session(CoordinatorError) as session:
        remove_coordinator(session, user_id, actor=CLI_ACTOR)
    current_services().queue.enqueue(sync_user_menu, user_id, job_id=link_menu_job_id(user_id))
    click.echo(f"coordinators: {user_id} is a citizen again")
