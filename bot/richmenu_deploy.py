"""Put rich menus on LINE and keep users linked to the one their role gets.

A deploy is idempotent: LINE allows 100 rich menu creations an hour, so a menu whose definition and image
LINE already has (same content hash in its name) is left alone. Each menu's alias (the spec's name) is
the commit point: it moves to a new menu before users are re-linked, and older versions are deleted last,
so a deploy that stopped half-way is finished by the next one.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from bot.client import LineClient
from bot.richmenu import COORDINATOR_MENU, RichMenuSpec, check
from data.db import Database
from data.models import Role, User

log = logging.getLogger(__name__)

DEPLOYED: tuple[tuple[RichMenuSpec, Role], ...] = ((COORDINATOR_MENU, Role.COORDINATOR),)
"""Every menu `flask richmenu deploy` puts on LINE, and the role whose users are linked to it."""


def _versions_of(spec: RichMenuSpec, menus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [menu for menu in menus if menu.get("name", "").partition("#")[0] == spec.name]


def deploy(line: LineClient, db: Database, spec: RichMenuSpec, role: Role) -> list[str]:
    """Make LINE show `spec` to every user with `role`; returns what was done, one line per step."""
    image = spec.image_png()
    check(spec, image)
    name = spec.menu_name(image)
    versions = _versions_of(spec, line.rich_menus())
    aliased = line.rich_menu_alias(spec.name)
    current = next((menu["richMenuId"] for menu in versions
                    if menu["richMenuId"] == aliased and menu["name"] == name), None)
    done: list[str] = []
    if current is None:
        current = line.create_rich_menu(spec.definition(name))
        line.set_rich_menu_image(current, image)
        line.set_rich_menu_alias(spec.name, current)
        done += [f"created {current} ({name}, image {len(image):,} bytes)", f"alias {spec.name} -> {current}"]
    replaced = [menu for menu in versions if menu["richMenuId"] != current]
    if not done and not replaced:
        return [f"{spec.name}: up to date ({current}, {name})"]
    with db.session() as session:
        user_ids = list(session.scalars(select(User.line_user_id).where(User.role == role)
                                        .order_by(User.line_user_id)))
    if user_ids:
        line.link_rich_menu_to_users(user_ids, current)
    done.append(f"linked {len(user_ids)} {role.value} user(s) to {current}")
    for menu in replaced:
        line.delete_rich_menu(menu["richMenuId"])
        done.append(f"deleted {menu['richMenuId']} ({menu['name']})")
    return [f"{spec.name}: {step}" for step in done]


def link_menu(line: LineClient, line_user_id: str, spec: RichMenuSpec) -> bool:
    """Link the user to the deployed version of `spec`, found through its alias.

    False when the menu was never deployed: nothing to link yet, and the first deploy links every user
    of the role anyway, so a job should not retry.
    """
    menu_id = line.rich_menu_alias(spec.name)
    if menu_id is None:
        log.warning("rich menu %s is not deployed: run `flask richmenu deploy`", spec.name)
        return False
    line.link_rich_menu(line_user_id, menu_id)
    return True


def link_coordinator_menu(line: LineClient, line_user_id: str) -> bool:
    """Call when a user becomes a coordinator (from a job: it talks to LINE)."""
    return link_menu(line, line_user_id, COORDINATOR_MENU)


def unlink_menu(line: LineClient, line_user_id: str) -> None:
    """Call when a coordinator loses the role: they go back to the channel's default menu."""
    line.unlink_rich_menu(line_user_id)
