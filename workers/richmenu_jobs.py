"""Give a user the rich menu their role calls for, after a role change (it talks to LINE, so it is a job)."""
from __future__ import annotations

from bot.richmenu_deploy import link_coordinator_menu, unlink_menu
from bot.services import current_services
from data.models import Role
from data.users import find_user


def link_menu_job_id(line_user_id: str) -> str:
    return f"richmenu-{line_user_id}"


def sync_coordinator_menu(line_user_id: str) -> None:
    services = current_services()
    if not services.line.enabled:
        return
    with services.db.session() as session:
        user = find_user(session, line_user_id)
        is_coordinator = user is not None and user.role is Role.COORDINATOR
    if is_coordinator:
        link_coordinator_menu(services.line, line_user_id)
    else:
        unlink_menu(services.line, line_user_id)
