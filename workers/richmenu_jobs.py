"""Give a user the rich menu their role calls for, after a role change (it talks to LINE, so it is a job)."""
from __future__ import annotations

from bot.richmenu.deploy import show_role_menu
from bot.runtime.queue import hashed_job_id
from bot.runtime.services import current_services
from data.users import find_user


def link_menu_job_id(line_user_id: str) -> str:
    return hashed_job_id("richmenu", line_user_id)


def sync_user_menu(line_user_id: str) -> None:
    """Link a volunteer or coordinator to their menu, or unlink anyone else back to the default.

    The role is read when the job runs, not when it was enqueued, so of two quick role changes the last wins.
    """
    services = current_services()
    if not services.line.enabled:
        return
    with services.db.session() as session:
        user = find_user(session, line_user_id)
        role = user.role if user is not None else None
    show_role_menu(services.line, line_user_id, role)
