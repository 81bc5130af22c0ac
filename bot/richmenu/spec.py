"""Rich menus as code: each role's menu, its layout and actions, and LINE's limits checked before any upload.

A `RichMenuSpec` is everything LINE needs for one menu page. `tile_menu` builds a grid of tiles; `paged_menu`
builds several pages under a strip of tabs that switch between them through rich menu aliases. Images are
drawn by `bot.richmenu.draw`. `ROLE_MENUS` says which pages each role gets; citizens get the channel default.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from types import MappingProxyType
from typing import Any

from PIL import Image

from bot.flex.messages import MAX_ACTION_LABEL, message_action, postback_action, shorten
from bot.line import postback
from bot.line.limits import MAX_POSTBACK_DATA_CHARS
from bot.line.postback import Action
from bot.richmenu.draw import (
    Box,
    Drawn,
    Glyph,
    glyph_alert,
    glyph_book,
    glyph_check,
    glyph_help,
    glyph_megaphone,
    glyph_mine,
    glyph_pin,
    glyph_profile,
    glyph_queue,
    glyph_search,
    glyph_stats,
    glyph_trend,
    render_page,
)
from data.models import Role

MIN_WIDTH, MAX_WIDTH, MIN_HEIGHT = 800, 2500, 250
MIN_ASPECT_RATIO = 1.45
MAX_IMAGE_BYTES = 1024 * 1024
MAX_AREAS = 20
MAX_CHAT_BAR_TEXT = 14
MAX_ACTION_TEXT = 300
"""LINE's limit for a message action's `text` and a postback's `displayText`."""
ALIAS_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""A spec's name is also its rich menu alias id, so it must be a valid one."""
QUICK_REPLY_ONLY_ACTIONS = frozenset({"camera", "cameraRoll", "location"})
"""Actions LINE accepts in quick replies only: a rich menu tile cannot share a location."""
MENU_SIZE = (2500, 1686)
"""LINE's large full-width menu: the most room for Thai captions."""
TAB_HEIGHT = 220
"""Postback action of a tab: LINE posts it to the webhook on every page switch, and the bot answers nothing."""


class RichMenuLimitError(ValueError):
    """A spec LINE would refuse: a bug in the spec, so it is raised before anything is sent."""


class MenuCommand(StrEnum):
    """The text a menu tile sends as the user's own message; handlers recognise exactly these."""

    CHECK = "ตรวจข่าว"
    CENTRES = "ศูนย์ใกล้ฉัน"
    COURSES = "หลักสูตร"
    TIP = "แจ้งเบาะแส"
    LATEST_FAKES = "ข่าวปลอมล่าสุด"
    HELP = "ช่วยเหลือ"
    SEARCH = "ค้นหาข่าว"
    TRENDS = "เทรนด์"
    VOLUNTEER_PROFILE = "โปรไฟล์ อสด."


@dataclass(frozen=True)
class Area:
    bounds: Box
    action: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        left, top, right, bottom = self.bounds
        return {"bounds": {"x": left, "y": top, "width": right - left, "height": bottom - top},
                "action": self.action}


@dataclass(frozen=True)
class RichMenuSpec:
    name: str
    """Stable across versions: LINE's menu name is this plus a content hash, and the alias id is this."""
    size: tuple[int, int]
    chat_bar_text: str
    areas: tuple[Area, ...]
    render: Callable[[], Image.Image]

    def definition(self, menu_name: str) -> dict[str, Any]:
        """The createRichMenu body; `menu_name` is LINE's `name` (see `menu_name`)."""
        width, height = self.size
        return {"size": {"width": width, "height": height}, "selected": False, "name": menu_name,
                "chatBarText": self.chat_bar_text, "areas": [area.as_json() for area in self.areas]}

    def image_png(self) -> bytes:
        # No pnginfo and no timestamp chunk: the same spec gives the same bytes, hence the same hash.
        buffer = io.BytesIO()
        self.render().convert("RGB").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()

    def menu_name(self, image: bytes) -> str:
        """`name#hash` of definition and image: a deploy can tell whether LINE already has this version."""
        digest = hashlib.sha256(json.dumps(self.definition(self.name), sort_keys=True).encode() + image)
        return f"{self.name}#{digest.hexdigest()[:16]}"

    def switch_targets(self) -> set[str]:
        """The aliases this page's tabs switch to."""
        return {area.action["richMenuAliasId"] for area in self.areas if area.action["type"] == "richmenuswitch"}


def _action_problems(action: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if not 1 <= len(action.get("label", "")) <= MAX_ACTION_LABEL:
        out.append(f"label must have 1-{MAX_ACTION_LABEL} characters")
    if len(action.get("data", "")) > MAX_POSTBACK_DATA_CHARS:
        out.append(f"data is over {MAX_POSTBACK_DATA_CHARS} characters")
    if max(len(action.get("text", "")), len(action.get("displayText", ""))) > MAX_ACTION_TEXT:
        out.append(f"text or displayText is over {MAX_ACTION_TEXT} characters")
    if action.get("type") in QUICK_REPLY_ONLY_ACTIONS:
        out.append(f"a {action['type']} action is for quick replies only")
    if action.get("type") == "richmenuswitch" and not (ALIAS_ID.fullmatch(action.get("richMenuAliasId", ""))
                                                        and action.get("data")):
        out.append("richmenuswitch needs a valid richMenuAliasId and data")
    return out


def problems(spec: RichMenuSpec, image: bytes) -> list[str]:
    """Every LINE limit the spec or its rendered image breaks; empty when LINE will accept it."""
    out: list[str] = []
    width, height = spec.size
    if not (MIN_WIDTH <= width <= MAX_WIDTH and height >= MIN_HEIGHT and width / height >= MIN_ASPECT_RATIO):
        out.append(f"size {width}x{height}: width {MIN_WIDTH}-{MAX_WIDTH}, height >= {MIN_HEIGHT}, "
                   f"width/height >= {MIN_ASPECT_RATIO}")
    if not ALIAS_ID.fullmatch(spec.name):
        out.append(f"name {spec.name!r} is not a valid alias id")
    if not 1 <= len(spec.chat_bar_text) <= MAX_CHAT_BAR_TEXT:
        out.append(f"chatBarText has {len(spec.chat_bar_text)} characters (1-{MAX_CHAT_BAR_TEXT})")
    if not 1 <= len(spec.areas) <= MAX_AREAS:
        out.append(f"{len(spec.areas)} areas (1-{MAX_AREAS})")
    for index, area in enumerate(spec.areas):
        left, top, right, bottom = area.bounds
        if not (0 <= left < right <= width and 0 <= top < bottom <= height):
            out.append(f"areas[{index}] {area.bounds} is not inside the {width}x{height} image")
        out.extend(f"areas[{index}] action: {problem}" for problem in _action_problems(area.action))
    with Image.open(io.BytesIO(image)) as rendered:
        if rendered.format != "PNG" or rendered.size != spec.size:
            out.append(f"image is {rendered.format} {rendered.size}, the menu is {spec.size}")
    if len(image) > MAX_IMAGE_BYTES:
        out.append(f"image is {len(image)} bytes (max {MAX_IMAGE_BYTES})")
    return out


def check(spec: RichMenuSpec, image: bytes) -> None:
    found = problems(spec, image)
    if found:
        raise RichMenuLimitError(f"rich menu {spec.name!r}: " + "; ".join(found))


def describe(spec: RichMenuSpec) -> list[str]:
    """One line per tappable area, in area order: its label and what a tap does (for `flask chat`)."""
    lines = []
    for area in spec.areas:
        action = area.action
        if action["type"] == "message":
            effect = f'sends "{action["text"]}"'
        elif action["type"] == "postback":
            effect = f'postback {action["data"]}' + (f' (shows "{action["displayText"]}")'
                                                     if action.get("displayText") else "")
        elif action["type"] == "richmenuswitch":
            effect = f"switches to menu {action['richMenuAliasId']}"
        else:
            effect = action["type"]
        lines.append(f"{action.get('label', '')} → {effect}")
    return lines


@dataclass(frozen=True)
class Tile:
    caption: str
    """Large on the image, under the pictogram; a newline breaks it."""
    action: dict[str, Any]
    """What a tap does; its label is what screen readers speak."""
    glyph: Glyph
    accent: str


def command_tile(command: MenuCommand, glyph: Glyph, accent: str, caption: str | None = None,
                 label: str | None = None) -> Tile:
    """A tile that sends `command` as the user's message, as if they had typed it."""
    return Tile(caption or command.value, message_action(label or command.value, command.value), glyph, accent)


@dataclass(frozen=True)
class Page:
    name: str
    """The page's spec name, hence its alias: the other pages' tabs switch to it."""
    tab: str
    tiles: tuple[Tile, ...]
    columns: int


def switch_action(label: str, alias_id: str) -> dict[str, Any]:
    return {"type": "richmenuswitch", "label": shorten(label, MAX_ACTION_LABEL), "richMenuAliasId": alias_id,
            "data": postback.encode(Action.MENU_TAB, m=alias_id)}


def _grid(box: Box, columns: int, rows: int) -> list[Box]:
    left, top, right, bottom = box
    xs = [left + (right - left) * column // columns for column in range(columns + 1)]
    ys = [top + (bottom - top) * row // rows for row in range(rows + 1)]
    return [(xs[c], ys[r], xs[c + 1], ys[r + 1]) for r in range(rows) for c in range(columns)]


def _layout(name: str, chat_bar_text: str, size: tuple[int, int], tiles: tuple[Tile, ...], columns: int,
            tabs: tuple[Page, ...] = (), active_tab: int = 0) -> RichMenuSpec:
    width, height = size
    tabs_bottom = TAB_HEIGHT if tabs else 0
    tab_boxes = _grid((0, 0, width, tabs_bottom), len(tabs), 1) if tabs else []
    tile_boxes = _grid((0, tabs_bottom, width, height), columns, -(-len(tiles) // columns))
    # The active tab is no area: tapping the page you are on should not post anything to the bot.
    areas = tuple(Area(box, switch_action(page.tab, page.name))
                  for index, (box, page) in enumerate(zip(tab_boxes, tabs)) if index != active_tab)
    areas += tuple(Area(box, tile.action) for box, tile in zip(tile_boxes, tiles))
    drawn = tuple(Drawn(box, tile.caption, tile.glyph, tile.accent) for box, tile in zip(tile_boxes, tiles))
    return RichMenuSpec(name=name, size=size, chat_bar_text=chat_bar_text, areas=areas,
                        render=partial(render_page, size, drawn, tuple(zip(tab_boxes, (page.tab for page in tabs))),
                                       active_tab))


def tile_menu(name: str, chat_bar_text: str, tiles: tuple[Tile, ...], columns: int,
              size: tuple[int, int] = MENU_SIZE) -> RichMenuSpec:
    """A grid of equal tiles, filled row by row; each tile is one tappable area."""
    return _layout(name, chat_bar_text, size, tiles, columns)


def paged_menu(chat_bar_text: str, pages: tuple[Page, ...], size: tuple[int, int] = MENU_SIZE
               ) -> tuple[RichMenuSpec, ...]:
    """One spec per page, each under a strip of tabs (its own drawn highlighted) that switch by alias."""
    return tuple(_layout(page.name, chat_bar_text, size, page.tiles, page.columns, pages, index)
                 for index, page in enumerate(pages))


CITIZEN_TILES = (
    command_tile(MenuCommand.CHECK, glyph_check, "#0B6E4F"),
    command_tile(MenuCommand.CENTRES, glyph_pin, "#D9622B"),
    command_tile(MenuCommand.COURSES, glyph_book, "#1E8C93"),
    command_tile(MenuCommand.TIP, glyph_megaphone, "#7A4FB5"),
    command_tile(MenuCommand.LATEST_FAKES, glyph_alert, "#C8373E"),
    command_tile(MenuCommand.HELP, glyph_help, "#5A6B7B"),
)
VOLUNTEER_TILES = (
    command_tile(MenuCommand.SEARCH, glyph_search, "#2F6DB5"),
    command_tile(MenuCommand.TRENDS, glyph_trend, "#E08A1E", caption="เทรนด์ในจังหวัด\nของฉัน",
                 label="เทรนด์จังหวัดของฉัน"),
    command_tile(MenuCommand.VOLUNTEER_PROFILE, glyph_profile, "#0B6E4F"),
)

CITIZEN_MENU = tile_menu("citizen", "เมนูช่วยเช็ก", CITIZEN_TILES, columns=3)
"""Everyone's menu, the channel default: check, centres near me, courses, tip-off, latest fakes, help."""

VOLUNTEER_MENU, VOLUNTEER_TOOLS_MENU = paged_menu("เมนูอาสาสมัคร", (
    Page("volunteer", "ทั่วไป", CITIZEN_TILES, columns=3),
    Page("volunteer-tools", "อาสาสมัคร", VOLUNTEER_TILES, columns=3),
))
"""Digital volunteers (อสด.): the citizen's menu on the first page, their own tools on the second."""

COORDINATOR_MENU = tile_menu("coordinator", "เมนูหน่วยงาน", columns=2, tiles=(
    Tile("งานรอตรวจ", postback_action("งานรอตรวจ", postback.encode(Action.SHOW_QUEUE), "ดูงานรอตรวจ"), glyph_queue,
         "#D9622B"),
    Tile("งานของฉัน", postback_action("งานของฉัน", postback.encode(Action.SHOW_MINE), "ดูงานของฉัน"), glyph_mine,
         "#0B6E4F"),
    Tile("สถิติ", postback_action("สถิติ", postback.encode(Action.SHOW_STATS), "ดูสถิติหน่วยงาน"), glyph_stats,
         "#2F6DB5"),
    Tile("ช่วยเหลือ", postback_action("ช่วยเหลือ", postback.encode(Action.SHOW_HELP), "วิธีใช้เมนูเจ้าหน้าที่"), glyph_help,
         "#6B5B95"),
))
"""Agency coordinators' menu: open cases for their agency, cases they took, their agency's stats, help."""

RoleMenus = Mapping[Role, tuple[RichMenuSpec, ...]]
ROLE_MENUS: RoleMenus = MappingProxyType({
    Role.CITIZEN: (CITIZEN_MENU,),
    Role.VOLUNTEER: (VOLUNTEER_MENU, VOLUNTEER_TOOLS_MENU),
    Role.COORDINATOR: (COORDINATOR_MENU,),
})
"""Each role's pages, the one a user lands on first. The citizen's menu is the channel default, which every
user without a menu of their own sees (citizens, admins, users the bot has not met yet)."""


def menu_pages(role: Role | None, menus: RoleMenus = ROLE_MENUS) -> tuple[RichMenuSpec, ...]:
    """The pages a user with `role` sees, first page first."""
    return menus.get(role, menus[Role.CITIZEN]) if role is not None else menus[Role.CITIZEN]
