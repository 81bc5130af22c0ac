"""Put every role's rich menus on LINE and keep each user linked to the one their role gets.

A deploy is idempotent: LINE allows 100 rich menu creations an hour, so a menu whose definition and image
LINE already has (same content hash in its name) is left alone. Each menu's alias (the spec's name) is
the commit point: it moves to a new version first, then the default menu and users' links follow, and the
versions replaced are deleted last, so a deploy that stopped half-way is finished by the next one.

The citizen's menu is the channel default: citizens (and admins, and users the bot has not met) have no
menu of their own. Volunteers and coordinators are linked to their role's first page; a volunteer reaches
the second page through a tab, which switches by alias.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bot.line.client import LineClient
from bot.richmenu.spec import ROLE_MENUS, RichMenuLimitError, RichMenuSpec, RoleMenus, check, menu_pages
from data.db import Database
from data.models import Role, User

log = logging.getLogger(__name__)


@dataclass
class _Published:
    menu_id: str
    replaced: list[dict[str, Any]]
    steps: list[str] = field(default_factory=list)

    @property
    def is_fresh(self) -> bool:
        """Created now, or older versions still around: its users' links may point elsewhere."""
        return bool(self.steps or self.replaced)


def menus_to_deploy(menus: RoleMenus = ROLE_MENUS) -> list[RichMenuSpec]:
    """Every page of every role, the default first, each once; refuses pages whose tabs lead nowhere."""
    specs: dict[str, RichMenuSpec] = {}
    for spec in (*menu_pages(Role.CITIZEN, menus), *(page for pages in menus.values() for page in pages)):
        if specs.setdefault(spec.name, spec) is not spec:
            raise RichMenuLimitError(f"two different rich menus are named {spec.name!r}")
    for spec in specs.values():
        missing = spec.switch_targets() - specs.keys()
        if missing:
            raise RichMenuLimitError(f"rich menu {spec.name!r} switches to {sorted(missing)}, which are not deployed")
    return list(specs.values())


def _versions_of(spec: RichMenuSpec, menus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [menu for menu in menus if menu.get("name", "").partition("#")[0] == spec.name]


def _publish(line: LineClient, spec: RichMenuSpec, image: bytes, listing: list[dict[str, Any]]) -> _Published:
    """Make the spec's alias point at a menu with this exact definition and image, creating one if needed."""
    name = spec.menu_name(image)
    versions = _versions_of(spec, listing)
    aliased = line.rich_menu_alias(spec.name)
    # A menu of the right name but not aliased may have no image (a deploy stopped half-way): not trusted.
    current = next((menu["richMenuId"] for menu in versions
                    if menu["richMenuId"] == aliased and menu["name"] == name), None)
    steps: list[str] = []
    if current is None:
        current = line.create_rich_menu(spec.definition(name))
        line.set_rich_menu_image(current, image)
        line.set_rich_menu_alias(spec.name, current)
        steps += [f"created {current} ({name}, image {len(image):,} bytes)", f"alias {spec.name} -> {current}"]
    return _Published(current, [menu for menu in versions if menu["richMenuId"] != current], steps)


def _role_user_ids(db: Database, role: Role) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(User.line_user_id).where(User.role == role).order_by(User.line_user_id)))


def deploy(line: LineClient, db: Database, menus: RoleMenus = ROLE_MENUS, relink: bool = False) -> list[str]:
    """Make LINE show every role its menu; returns what was done, one `name: step` line per step.

    A role's users are (re)linked to its first page when any of its pages changed, or always with `relink`,
    which repairs links a lost job left wrong.
    """
    specs = menus_to_deploy(menus)
    images = {spec.name: spec.image_png() for spec in specs}
    for spec in specs:
        check(spec, images[spec.name])
    listing = line.rich_menus()
    published = {spec.name: _publish(line, spec, images[spec.name], listing) for spec in specs}

    default = menu_pages(Role.CITIZEN, menus)[0]
    default_id = published[default.name].menu_id
    if line.default_rich_menu() != default_id:
        line.set_default_rich_menu(default_id)
        published[default.name].steps.append(f"default menu -> {default_id}")
    for role, pages in menus.items():
        first = published[pages[0].name]
        # A tab links the user to the page it shows, so a user may be on any page about to be deleted.
        changed = any(published[page.name].is_fresh for page in pages)
        if pages[0].name == default.name or not (changed or relink):
            continue
        user_ids = _role_user_ids(db, role)
        if user_ids:
            line.link_rich_menu_to_users(user_ids, first.menu_id)
        first.steps.append(f"linked {len(user_ids)} {role.value} user(s) to {first.menu_id}")
    for done in published.values():
        for menu in done.replaced:
            line.delete_rich_menu(menu["richMenuId"])
            done.steps.append(f"deleted {menu['richMenuId']} ({menu['name']})")
    lines: list[str] = []
    for name, done in published.items():
        lines += [f"{name}: {step}" for step in done.steps] or [f"{name}: up to date ({done.menu_id})"]
    return lines


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


def show_role_menu(line: LineClient, line_user_id: str, role: Role | None, menus: RoleMenus = ROLE_MENUS) -> bool:
    """Give the user their role's menu at once: link its first page, or unlink them so they see the default.

    Call from a job (it talks to LINE). False when the role's menu was never deployed.
    """
    first = menu_pages(role, menus)[0]
    if first.name == menu_pages(Role.CITIZEN, menus)[0].name:
        line.unlink_rich_menu(line_user_id)
        return True
    return link_menu(line, line_user_id, first)
