"""Rich menus as code: a layout, its image drawn with Pillow, and LINE's limits checked before any upload.

A `RichMenuSpec` is everything LINE needs for one menu. `tile_menu` builds the common kind (a grid of
tiles, each a Thai label under a drawn glyph); `COORDINATOR_MENU` is the agency coordinators' menu.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from bot import postback
from bot.limits import MAX_POSTBACK_DATA_CHARS
from bot.messages import MAX_ACTION_LABEL, postback_action

MIN_WIDTH, MAX_WIDTH, MIN_HEIGHT = 800, 2500, 250
MIN_ASPECT_RATIO = 1.45
MAX_IMAGE_BYTES = 1024 * 1024
MAX_AREAS = 20
MAX_CHAT_BAR_TEXT = 14
MAX_DISPLAY_TEXT = 300
ALIAS_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""A spec's name is also its rich menu alias id, so it must be a valid one."""

FONT_PACKAGE = "fontpkg_noto_sans_thai"
FONT_FILE = "NotoSansThai[wdth,wght].ttf"
"""Noto Sans Thai (OFL-1.1), a variable font, from PyPI: rendering needs no system fonts."""

PAGE_COLOUR = "#0B6E4F"  # bot.flex.BRAND_COLOUR: the menu matches the bot's cards
CARD_COLOUR = "#FFFFFF"
LABEL_COLOUR = "#1F2A24"
Box = tuple[int, int, int, int]
"""left, top, right, bottom in pixels."""
Glyph = Callable[[ImageDraw.ImageDraw, int, int, int, str], None]
"""Draws a pictogram centred on (x, y) within radius r, in white on a disc of the given accent colour."""


class RichMenuLimitError(ValueError):
    """A spec LINE would refuse: a bug in the spec, so it is raised before anything is sent."""


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
        action = area.action
        if len(action.get("label", "")) > MAX_ACTION_LABEL or len(action.get("data", "")) > MAX_POSTBACK_DATA_CHARS \
                or len(action.get("displayText", "")) > MAX_DISPLAY_TEXT:
            out.append(f"areas[{index}] action has a label, data or displayText over LINE's limit")
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


@cache
def font_bytes() -> bytes:
    with as_file(files(FONT_PACKAGE) / "files" / FONT_FILE) as path:
        return path.read_bytes()


def thai_font(size: int, weight: str = "Bold") -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(io.BytesIO(font_bytes()), size)
    font.set_variation_by_name(weight)
    return font


@dataclass(frozen=True)
class Tile:
    label: str
    """Large on the image, and the action's label that screen readers speak."""
    display_text: str
    """What the chat shows as the user's message when they tap."""
    data: str
    glyph: Glyph
    accent: str


def tile_menu(name: str, chat_bar_text: str, tiles: tuple[Tile, ...], columns: int,
              size: tuple[int, int] = (2500, 1686)) -> RichMenuSpec:
    """A grid of equal tiles, filled row by row; each tile is one tappable area."""
    boxes = _grid(size, columns, -(-len(tiles) // columns))
    areas = tuple(Area(box, postback_action(tile.label, tile.data, tile.display_text))
                  for box, tile in zip(boxes, tiles))
    return RichMenuSpec(name=name, size=size, chat_bar_text=chat_bar_text, areas=areas,
                        render=lambda: _render_tiles(size, tuple(zip(boxes, tiles))))


def _grid(size: tuple[int, int], columns: int, rows: int) -> list[Box]:
    width, height = size
    xs = [width * column // columns for column in range(columns + 1)]
    ys = [height * row // rows for row in range(rows + 1)]
    return [(xs[c], ys[r], xs[c + 1], ys[r + 1]) for r in range(rows) for c in range(columns)]


def _render_tiles(size: tuple[int, int], tiles: tuple[tuple[Box, Tile], ...]) -> Image.Image:
    image = Image.new("RGB", size, PAGE_COLOUR)
    draw = ImageDraw.Draw(image)
    for (left, top, right, bottom), tile in tiles:
        height = bottom - top
        gap = max(12, height // 40)
        draw.rounded_rectangle((left + gap, top + gap, right - gap, bottom - gap), radius=gap * 3,
                               fill=CARD_COLOUR)
        centre_x, radius = (left + right) // 2, height * 23 // 100
        centre_y = top + height * 40 // 100
        draw.ellipse((centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=tile.accent)
        tile.glyph(draw, centre_x, centre_y, radius * 55 // 100, tile.accent)
        draw.text((centre_x, top + height * 80 // 100), tile.label, font=thai_font(height * 16 // 100),
                  fill=LABEL_COLOUR, anchor="mm")
    return image


def glyph_queue(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A stack of papers waiting to be read."""
    width, height, step = r * 13 // 10, r * 16 // 10, r * 22 // 100
    for offset in (2, 1):  # the sheets behind, peeking out at the top right
        left, top = x - width // 2 + offset * step - step, y - height // 2 - offset * step + step
        draw.rounded_rectangle((left, top, left + width, top + height), radius=r // 10, fill=accent,
                               outline="white", width=max(4, r // 14))
    left, top = x - width // 2 - step, y - height // 2 + step
    draw.rounded_rectangle((left, top, left + width, top + height), radius=r // 10, fill="white")
    for line in range(4):
        line_y = top + height * (2 + line * 2) // 11
        draw.rounded_rectangle((left + width // 6, line_y, left + width * 5 // 6 - (line == 3) * width // 4,
                                line_y + max(6, r // 12)), radius=r // 24, fill=accent)


def glyph_mine(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A clipboard with a tick: work I have taken on."""
    width, height = r * 14 // 10, r * 18 // 10
    top = y - height // 2 + r // 8
    draw.rounded_rectangle((x - width // 2, top, x + width // 2, top + height), radius=r // 8, fill="white")
    clip = r // 2
    draw.rounded_rectangle((x - clip // 2 - r // 6, top - r // 5, x + clip // 2 + r // 6, top + r // 6),
                           radius=r // 12, fill=accent, outline="white", width=max(4, r // 16))
    tick = [(x - r // 2, y + r // 8), (x - r // 8, y + r // 2), (x + r // 2, y - r // 5)]
    draw.line(tick, fill=accent, width=max(8, r // 6), joint="curve")


def glyph_stats(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """Three rising bars on a baseline."""
    base, bar, gap = y + r * 7 // 10, r * 46 // 100, r * 16 // 100
    left = x - (3 * bar + 2 * gap) // 2
    for index, share in enumerate((60, 100, 140)):
        bar_left = left + index * (bar + gap)
        draw.rounded_rectangle((bar_left, base - r * share // 100, bar_left + bar, base), radius=r // 14,
                               fill="white")
    draw.rounded_rectangle((left - gap, base + gap // 2, left + 3 * bar + 3 * gap, base + gap // 2 + r // 10),
                           radius=r // 20, fill="white")


def glyph_help(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A question mark in a ring."""
    draw.ellipse((x - r, y - r, x + r, y + r), outline="white", width=max(6, r // 9))
    draw.text((x, y), "?", font=thai_font(r * 15 // 10), fill="white", anchor="mm")


COORDINATOR_MENU = tile_menu("coordinator", "เมนูหน่วยงาน", columns=2, tiles=(
    Tile("งานรอตรวจ", "ดูงานรอตรวจ", postback.encode("cq"), glyph_queue, "#D9622B"),
    Tile("งานของฉัน", "ดูงานของฉัน", postback.encode("cm"), glyph_mine, "#0B6E4F"),
    Tile("สถิติ", "ดูสถิติหน่วยงาน", postback.encode("cs"), glyph_stats, "#2F6DB5"),
    Tile("ช่วยเหลือ", "วิธีใช้เมนูเจ้าหน้าที่", postback.encode("ch"), glyph_help, "#6B5B95"),
))
"""Agency coordinators' menu: open cases for their agency, cases they took, their agency's stats, help."""
