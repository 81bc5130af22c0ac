"""Render Thai text as the pictures citizens forward: a LINE-style chat screenshot or a poster, as JPEG bytes.

Used by the image bench (bench/images.py) and the tests, so both read the same kind of picture."""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from importlib.resources import files

from PIL import Image, ImageDraw, ImageFont, ImageOps

FONT = str(files("fontpkg_noto_sans_thai") / "files" / "NotoSansThai[wdth,wght].ttf")
LINE_GREEN = "#06C755"
CHAT_BACKGROUND = "#8CABD9"
WRAP_CHARS = 28
"""Thai characters per line: about what a phone screenshot's bubble holds."""


@dataclass(frozen=True)
class Style:
    layout: str = "chat"
    """"chat": a grey bubble on LINE's blue, with a header bar; "poster": big text on a coloured ground."""
    font_size: int = 30
    weight: int = 400
    """The variable font's weight axis: 400 regular, 700 bold."""
    background: str = CHAT_BACKGROUND
    ink: str = "#111111"
    width: int = 720


def _font(style: Style) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(FONT, style.font_size)
    font.set_variation_by_axes([100, style.weight])
    return font


def render(text: str, style: Style = Style()) -> Image.Image:
    font = _font(style)
    lines = [part for paragraph in text.split("\n") for part in textwrap.wrap(paragraph, WRAP_CHARS) or [""]]
    line_height = round(style.font_size * 1.6)
    body_height = line_height * len(lines)
    header = 90 if style.layout == "chat" else 40
    image = Image.new("RGB", (style.width, header + body_height + 80), style.background)
    draw = ImageDraw.Draw(image)
    if style.layout == "chat":
        draw.rectangle((0, 0, style.width, 64), fill="#FFFFFF")
        draw.text((24, 14), "‹  กลุ่มครอบครัว (12)", font=ImageFont.truetype(FONT, 26), fill="#333333")
        draw.ellipse((20, header, 76, header + 56), fill="#CCCCCC")
        draw.rounded_rectangle((92, header - 10, style.width - 40, header + body_height + 20), 28, fill="#FFFFFF")
        left = 116
    else:
        left = 40
    for index, line in enumerate(lines):
        draw.text((left, header + index * line_height), line, font=font, fill=style.ink)
    return image


def jpeg(image: Image.Image, quality: int = 75) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def variant(image: Image.Image, *, crop: float = 0.0, border: int = 0, rotate: float = 0.0,
            scale: float = 1.0) -> Image.Image:
    """The same picture forwarded again: cropped by a share of each side, re-bordered, tilted, rescaled."""
    width, height = image.size
    dx, dy = round(width * crop), round(height * crop)
    out = image.crop((dx, dy, width - dx, height - dy))
    if rotate:
        out = out.rotate(rotate, expand=True, fillcolor="#FFFFFF", resample=Image.Resampling.BICUBIC)
    if scale != 1.0:
        out = out.resize((round(out.width * scale), round(out.height * scale)), Image.Resampling.LANCZOS)
    if border:
        out = ImageOps.expand(out, border, fill="#000000")
    return out
