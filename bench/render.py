"""Render Thai text as the pictures citizens forward: a LINE chat screenshot (light or dark), a poster, an
"official" letter or a social-media post, each with its UI chrome; as pixels, then JPEG bytes.

Used by the image set's generator (bench/image_set.py) and the tests, so both read the same kind of picture."""
from __future__ import annotations

import io
from dataclasses import dataclass
from importlib.resources import files

from PIL import Image, ImageDraw, ImageFont, ImageOps
from pythainlp.tokenize import word_tokenize

NOTO_SANS_THAI = str(files("fontpkg_noto_sans_thai") / "files" / "NotoSansThai[wdth,wght].ttf")
"""A pip dependency: the tests render with it on every machine."""
LINE_GREEN = "#06C755"
CHAT_BACKGROUND = "#8CABD9"
CHROME_SIZE = 24
"""UI text (a group's name, times, buttons): smaller than the message, as on a phone."""


@dataclass(frozen=True)
class Style:
    layout: str = "chat"
    """"chat": a bubble under LINE's header with the input bar below; "poster": big text on a coloured ground;
    "letter": a government letter head (emblem, ที่/วันที่/เรื่อง) above the text; "post": a social-media post
    with its author and like/share bar."""
    font: str = NOTO_SANS_THAI
    font_size: int = 30
    weight: int = 400
    """Only for a variable font (Noto Sans Thai's weight axis): 400 regular, 700 bold. Static fonts choose a
    bold file instead."""
    background: str = CHAT_BACKGROUND
    ink: str = "#111111"
    bubble: str = "#FFFFFF"
    """The message bubble (chat) or card (post)."""
    chrome: str = "#FFFFFF"
    """The header and input bars' ground; their text is drawn in `chrome_ink`."""
    chrome_ink: str = "#333333"
    width: int = 720


def _font(path: str, size: int, weight: int = 400) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(path, size)
    try:
        font.set_variation_by_axes([100, weight])
    except OSError:  # a static font: no axes
        pass
    return font


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Lines no wider than `width`, broken between words as a phone breaks Thai (never inside a cluster)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in word_tokenize(paragraph, engine="newmm", keep_whitespace=True):
            if line and font.getlength(line + word) > width:
                lines.append(line.rstrip())
                line = word.lstrip()
            else:
                line += word
        lines.append(line.rstrip())
    return lines


def chrome_text(style: Style) -> tuple[list[str], list[str]]:
    """The UI's words above and below the message, in reading order: what OCR reads besides the message."""
    if style.layout == "chat":
        return ["กลุ่มครอบครัว (12)"], ["14:05", "Aa"]
    if style.layout == "letter":
        return ["ที่ มท 0211.3/ว 1234", "วันที่ 12 มีนาคม 2567", "เรื่อง แจ้งเพื่อทราบ"], ["จึงเรียนมาเพื่อทราบ"]
    if style.layout == "post":
        return ["ข่าวด่วนทันใจ", "2 ชม. · แชร์แล้ว 1.2K ครั้ง"], ["ถูกใจ", "แสดงความคิดเห็น", "แชร์"]
    return [], []


def render(text: str, style: Style = Style()) -> Image.Image:
    font = _font(style.font, style.font_size, style.weight)
    small = _font(style.font, CHROME_SIZE)
    above, below = chrome_text(style)
    margin = {"chat": 116, "poster": 40, "letter": 80, "post": 48}[style.layout]
    lines = wrap(text, font, style.width - margin - 64)
    line_height = round(style.font_size * 1.6)
    body_height = line_height * len(lines)
    top = {"chat": 110, "poster": 40, "letter": 280, "post": 140}[style.layout]
    bottom = {"chat": 150, "poster": 60, "letter": 160, "post": 110}[style.layout]
    image = Image.new("RGB", (style.width, top + body_height + bottom), style.background)
    draw = ImageDraw.Draw(image)
    end = top + body_height
    if style.layout == "chat":
        draw.rectangle((0, 0, style.width, 64), fill=style.chrome)
        draw.text((24, 16), "‹  " + above[0], font=small, fill=style.chrome_ink)
        draw.ellipse((20, top, 76, top + 56), fill="#9E9E9E")
        draw.rounded_rectangle((92, top - 14, style.width - 40, end + 18), 28, fill=style.bubble)
        draw.text((style.width - 110, end + 28), below[0], font=small, fill=style.chrome_ink)
        draw.rectangle((0, image.height - 64, style.width, image.height), fill=style.chrome)
        draw.rounded_rectangle((90, image.height - 52, style.width - 90, image.height - 12), 20, outline="#BDBDBD")
        draw.text((110, image.height - 48), below[1], font=small, fill="#9E9E9E")
    elif style.layout == "letter":
        centre = style.width // 2
        draw.ellipse((centre - 45, 20, centre + 45, 110), outline=style.ink, width=3)
        for index, line in enumerate(above):
            draw.text((margin, 130 + index * 44), line, font=small, fill=style.ink)
        draw.text((margin + 60, end + 50), below[0], font=small, fill=style.ink)
    elif style.layout == "post":
        draw.rectangle((16, 16, style.width - 16, image.height - 16), fill=style.bubble)
        draw.ellipse((margin, 36, margin + 60, 96), fill="#1877F2")
        draw.text((margin + 76, 36), above[0], font=small, fill=style.ink)
        draw.text((margin + 76, 70), above[1], font=_font(style.font, 18), fill="#65676B")
        draw.line((margin, end + 30, style.width - margin, end + 30), fill="#CED0D4", width=2)
        for index, word in enumerate(below):
            draw.text((margin + index * (style.width - 2 * margin) // 3, end + 46), word, font=small, fill="#65676B")
    for index, line in enumerate(lines):
        draw.text((margin, top + index * line_height), line, font=font, fill=style.ink)
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
