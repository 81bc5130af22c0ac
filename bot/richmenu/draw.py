"""Drawing rich menu images with Pillow: tiles (a pictogram over a Thai caption) and a strip of page tabs.

Only integer geometry and one bundled font, so the same layout always gives the same pixels.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files

from PIL import Image, ImageDraw, ImageFont

FONT_PACKAGE = "fontpkg_noto_sans_thai"
FONT_FILE = "NotoSansThai[wdth,wght].ttf"
"""Noto Sans Thai (OFL-1.1), a variable font, from PyPI: rendering needs no system fonts."""

PAGE_COLOUR = "#0B6E4F"  # bot.flex.components.BRAND_COLOUR: the menu matches the bot's cards
CARD_COLOUR = "#FFFFFF"
LABEL_COLOUR = "#1F2A24"
TAB_STRIP_COLOUR = "#074A35"
"""Darker than the page, so the active tab, drawn as a white card, stands out."""
TAB_IDLE_COLOUR = "#A9D3C3"
CAPTION_WIDTH_SHARE = 86
"""Percent of a card's width a caption may fill; longer captions shrink every caption of the menu."""

Box = tuple[int, int, int, int]
"""left, top, right, bottom in pixels."""
Glyph = Callable[[ImageDraw.ImageDraw, int, int, int, str], None]
"""Draws a pictogram centred on (x, y) within radius r, in white on a disc of the given accent colour."""


@dataclass(frozen=True)
class Drawn:
    """One tile as drawn: where it goes and what it shows."""

    box: Box
    caption: str
    """Thai text under the pictogram; a newline breaks it."""
    glyph: Glyph
    accent: str


@cache
def font_bytes() -> bytes:
    with as_file(files(FONT_PACKAGE) / "files" / FONT_FILE) as path:
        return path.read_bytes()


def thai_font(size: int, weight: str = "Bold") -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(io.BytesIO(font_bytes()), size)
    font.set_variation_by_name(weight)
    return font


def render_page(size: tuple[int, int], tiles: tuple[Drawn, ...], tabs: tuple[tuple[Box, str], ...] = (),
                active_tab: int = 0) -> Image.Image:
    image = Image.new("RGB", size, PAGE_COLOUR)
    draw = ImageDraw.Draw(image)
    for index, (box, caption) in enumerate(tabs):
        _draw_tab(draw, box, caption, index == active_tab)
    font = _caption_font(draw, tiles)
    slot = max(_caption_height(draw, tile.caption, font) for tile in tiles)
    for tile in tiles:
        _draw_tile(draw, tile, font, slot)
    return image


def _unit(box: Box) -> int:
    """The scale of everything inside a tile: its shorter side, so tall and wide tiles look alike."""
    left, top, right, bottom = box
    return min(right - left, bottom - top)


def _gap(box: Box) -> int:
    return max(12, _unit(box) // 40)


def _caption_height(draw: ImageDraw.ImageDraw, caption: str, font: ImageFont.FreeTypeFont) -> int:
    _, top, _, bottom = draw.multiline_textbbox((0, 0), caption, font=font, anchor="ma", align="center")
    return int(bottom - top)


def _caption_font(draw: ImageDraw.ImageDraw, tiles: tuple[Drawn, ...]) -> ImageFont.FreeTypeFont:
    """The largest size at which every caption fits its card: one size for the menu reads calmer."""
    size = min(_unit(tile.box) for tile in tiles) * 16 // 100
    while True:
        font = thai_font(size)
        fits = all(draw.multiline_textbbox((0, 0), tile.caption, font=font, anchor="ma", align="center")[2] * 2
                   <= (tile.box[2] - tile.box[0] - 2 * _gap(tile.box)) * CAPTION_WIDTH_SHARE // 100
                   for tile in tiles)
        if fits or size <= 24:
            return font
        size -= 4


def _draw_tile(draw: ImageDraw.ImageDraw, tile: Drawn, font: ImageFont.FreeTypeFont, slot: int) -> None:
    left, top, right, bottom = tile.box
    unit, gap = _unit(tile.box), _gap(tile.box)
    draw.rounded_rectangle((left + gap, top + gap, right - gap, bottom - gap), radius=gap * 3, fill=CARD_COLOUR)
    # The disc and the caption slot are centred together, so tiles in a row line up whatever their captions.
    radius, spacing = unit * 23 // 100, unit * 7 // 100
    block_top = (top + bottom - (2 * radius + spacing + slot)) // 2
    centre_x, centre_y = (left + right) // 2, block_top + radius
    draw.ellipse((centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=tile.accent)
    tile.glyph(draw, centre_x, centre_y, radius * 55 // 100, tile.accent)
    draw.multiline_text((centre_x, centre_y + radius + spacing), tile.caption, font=font, fill=LABEL_COLOUR,
                        anchor="ma", align="center")


def _draw_tab(draw: ImageDraw.ImageDraw, box: Box, caption: str, active: bool) -> None:
    left, top, right, bottom = box
    height = bottom - top
    gap = height // 10
    draw.rectangle(box, fill=TAB_STRIP_COLOUR)
    if active:
        draw.rounded_rectangle((left + gap, top + gap, right - gap, bottom - gap), radius=gap * 2, fill=CARD_COLOUR)
    draw.text(((left + right) // 2, (top + bottom) // 2), caption, font=thai_font(height * 38 // 100),
              fill=PAGE_COLOUR if active else TAB_IDLE_COLOUR, anchor="mm")


def _width(r: int, share: int = 16) -> int:
    """A stroke width in proportion to the glyph, never hairline."""
    return max(6, r * share // 100)


def glyph_check(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A chat bubble with a tick: a forwarded message, checked."""
    width, height = r * 17 // 10, r * 13 // 10
    left, top = x - width // 2, y - height // 2 - r // 8
    draw.rounded_rectangle((left, top, left + width, top + height), radius=r // 4, fill="white")
    draw.polygon([(left + width // 5, top + height - 2), (left + width // 5, top + height + r * 4 // 10),
                  (left + width * 45 // 100, top + height - 2)], fill="white")
    tick = [(x - r * 4 // 10, top + height // 2), (x - r // 10, top + height * 3 // 4),
            (x + r * 45 // 100, top + height // 4)]
    draw.line(tick, fill=accent, width=_width(r), joint="curve")


def glyph_pin(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A map pin: a place near me."""
    head, centre_y = r * 6 // 10, y - r * 3 // 10
    draw.ellipse((x - head, centre_y - head, x + head, centre_y + head), fill="white")
    draw.polygon([(x - head * 86 // 100, centre_y + head // 2), (x + head * 86 // 100, centre_y + head // 2),
                  (x, y + r)], fill="white")
    hole = head * 4 // 10
    draw.ellipse((x - hole, centre_y - hole, x + hole, centre_y + hole), fill=accent)


def glyph_book(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """An open book: courses."""
    page, height, spine = r * 9 // 10, r * 12 // 10, r // 12
    top = y - height // 2
    for side in (-1, 1):
        inner, outer = x + side * spine, x + side * (spine + page)
        draw.polygon([(inner, top + r // 8), (outer, top), (outer, top + height), (inner, top + height + r // 8)],
                     fill="white")
        for line in range(3):
            line_y = top + height * (3 + line * 2) // 10
            start, end = sorted((inner + side * page // 5, outer - side * page // 6))
            draw.line([(start, line_y), (end, line_y)], fill=accent, width=_width(r, 8))


def glyph_megaphone(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A megaphone: telling the agencies."""
    back, mouth = x - r * 6 // 10, x + r * 35 // 100
    draw.polygon([(back, y - r * 3 // 10), (mouth, y - r * 75 // 100), (mouth, y + r * 75 // 100),
                  (back, y + r * 3 // 10)], fill="white")
    draw.rounded_rectangle((x - r * 9 // 10, y - r * 3 // 10, back, y + r * 3 // 10), radius=r // 12, fill="white")
    draw.line([(back + r // 10, y + r * 3 // 10), (back + r * 3 // 10, y + r * 8 // 10)], fill="white",
              width=_width(r, 20))
    draw.arc((mouth - r * 3 // 10, y - r * 6 // 10, x + r, y + r * 6 // 10), start=-45, end=45, fill="white",
             width=_width(r, 11))


def glyph_alert(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A warning sign: fakes to watch out for."""
    apex, right, left = (x, y - r * 9 // 10), (x + r, y + r * 7 // 10), (x - r, y + r * 7 // 10)
    draw.polygon([apex, right, left], fill="white")
    # Softer corners; the outline starts mid-edge, since its ends get no rounded joint.
    draw.line([(x, left[1]), right, apex, left, (x, left[1])], fill="white", width=_width(r, 14), joint="curve")
    bar = r // 11
    draw.rounded_rectangle((x - bar, y - r * 4 // 10, x + bar, y + r * 2 // 10), radius=bar, fill=accent)
    draw.ellipse((x - bar * 13 // 10, y + r * 32 // 100, x + bar * 13 // 10, y + r * 32 // 100 + bar * 26 // 10),
                 fill=accent)


def glyph_search(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A magnifying glass."""
    lens, centre_x, centre_y = r * 6 // 10, x - r * 15 // 100, y - r * 15 // 100
    draw.ellipse((centre_x - lens, centre_y - lens, centre_x + lens, centre_y + lens), outline="white",
                 width=_width(r, 17))
    start = lens * 7 // 10
    draw.line([(centre_x + start, centre_y + start), (x + r * 8 // 10, y + r * 8 // 10)], fill="white",
              width=_width(r, 26))


def glyph_trend(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """A line rising to an arrow, over a baseline."""
    points = [(x - r * 8 // 10, y + r * 4 // 10), (x - r * 3 // 10, y - r // 10), (x, y + r * 2 // 10),
              (x + r * 55 // 100, y - r * 4 // 10)]
    draw.line(points, fill="white", width=_width(r), joint="curve")
    draw.polygon([(x + r * 85 // 100, y - r * 7 // 10), (x + r * 3 // 10, y - r * 6 // 10),
                  (x + r * 75 // 100, y - r * 15 // 100)], fill="white")
    draw.rounded_rectangle((x - r * 9 // 10, y + r * 65 // 100, x + r * 9 // 10, y + r * 77 // 100), radius=r // 20,
                           fill="white")


def glyph_profile(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, accent: str) -> None:
    """An ID card: the volunteer's profile."""
    width, height = r * 18 // 10, r * 13 // 10
    left, top = x - width // 2, y - height // 2
    draw.rounded_rectangle((left, top, left + width, top + height), radius=r // 6, fill="white")
    face_x, head = left + width * 3 // 10, height * 15 // 100
    draw.ellipse((face_x - head, top + height * 38 // 100 - head, face_x + head, top + height * 38 // 100 + head),
                 fill=accent)
    shoulders = height * 26 // 100
    draw.pieslice((face_x - shoulders, top + height * 60 // 100, face_x + shoulders, top + height * 112 // 100),
                  start=180, end=360, fill=accent)
    for line in range(3):
        line_y = top + height * (3 + line * 2) // 10
        draw.rounded_rectangle((left + width * 55 // 100, line_y, left + width * (88 - line * 12) // 100,
                                line_y + _width(r, 9)), radius=r // 24, fill=accent)


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
