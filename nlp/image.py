"""Pictures citizens forward: checked (size, format, one frame), hashed (pHash + dHash) and read (Tesseract).

Pure functions, bytes in and frozen dataclasses out; no database, Flask or LINE.
"""
from __future__ import annotations

import io
import logging
import re
import shutil
from dataclasses import dataclass
from enum import StrEnum

import imagehash
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError
from rapidfuzz import fuzz

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 10 * 1024 * 1024
"""LINE sends photos recompressed well under this; anything larger is not a screenshot worth reading."""
MAX_PIXELS = 40_000_000
"""Pillow decodes every pixel: a small file declaring a huge canvas (a decompression bomb) stops here."""
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP"})
OCR_LANGUAGES = "tha+eng"
OCR_TARGET_HEIGHT = 1600
"""Tesseract reads Thai best with glyphs about 30 px tall; small screenshots are scaled up towards this."""
OCR_MAX_SCALE = 3.0
OCR_TIMEOUT_SECONDS = 20
GROUND_TILES = 10
"""Tiles across the picture's shorter side whose commonest level is taken for the ground: larger than a
poster's bold glyph, so the glyph never becomes the ground."""
MIN_GROUND_TILE = 32
GROUND_BIN = 8
"""Grey levels counted together when finding a tile's commonest one: JPEG noise spreads a flat ground."""
TEXT_PERCENTILE = 99.5
MIN_TEXT_CONTRAST = 64.0
"""The distance from ground stretched to full black: the strongest text in the picture, but never less than
this, or a picture without text would have its JPEG noise blown up into specks."""
DARK_FRAME_MAX_LEVEL = 48
"""A corner this dark is a frame a forwarder added; a coloured corner is a poster's ground."""
OCR_MARGIN = 24
"""Tesseract misses text that touches the edge of the page."""
HASH_SIZE = 8
"""64-bit hashes: the usual size, robust to recompression and small crops."""
TRIM_ROUNDS = 8
"""Margins inside margins (a frame, a chat's ground, a bubble): trimmed until what is left stops shrinking."""
TRIM_INSET = 4
TRIM_TOLERANCE = 32
"""Grey levels a margin may vary by and still be flat: JPEG ringing along an edge stays under it."""
MIN_TRIMMED_SHARE = 0.1
PHASH_MAX_DISTANCE = 10
DHASH_MAX_DISTANCE = 14
"""Both must hold for two pictures to count as the same (bench/images.py: most recompressed, cropped, framed,
scaled copies stay within them). Chat screenshots of one layout do too whatever they say, so when OCR read
text from both, the texts must agree as well."""
SAME_TEXT_MIN_RATIO = 75
"""rapidfuzz ratio of two readings of one picture; two claims in one template share far less."""
THOUSANDS_DOT = re.compile(r"(\d)\.(\d{3})(?!\d)")
"""5.000 read from "5,000": Thai prices and amounts group thousands with commas, never with dots."""


class ImageProblem(StrEnum):
    TOO_LARGE = "too_large"
    NOT_AN_IMAGE = "not_an_image"
    ANIMATED = "animated"


class ImageRejectedError(ValueError):
    def __init__(self, problem: ImageProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class ImageHashes:
    phash: str
    dhash: str
    """Hex strings of 64-bit hashes, as stored."""

    def is_near(self, other: ImageHashes) -> bool:
        return (_distance(self.phash, other.phash) <= PHASH_MAX_DISTANCE
                and _distance(self.dhash, other.dhash) <= DHASH_MAX_DISTANCE)


def is_same_picture(hashes: ImageHashes, text: str | None, other: ImageHashes, other_text: str | None) -> bool:
    """Near hashes, and texts that agree when both were read: chat screenshots of one layout hash alike."""
    return hashes.is_near(other) and (not text or not other_text or is_same_text(text, other_text))


def is_same_text(read: str, stored: str) -> bool:
    """Two readings of one picture: OCR varies a little between copies (a glyph, a line), rarely more."""
    return fuzz.ratio(_letters(read), _letters(stored)) >= SAME_TEXT_MIN_RATIO


def _letters(text: str) -> str:
    return "".join(text.split())


def _distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class Picture:
    image: Image.Image
    """Upright (EXIF orientation applied) RGB pixels."""
    content_type: str
    """As sent (image/jpeg, image/png…): what a stored copy is served as."""


def open_image(data: bytes) -> Picture:
    """The one still picture in `data`, decoded; raises ImageRejectedError for anything else."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejectedError(ImageProblem.TOO_LARGE)
    undecodable = (UnidentifiedImageError, OSError, SyntaxError, ValueError)
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only: size and frames are known before decoding
    except Image.DecompressionBombError:
        raise ImageRejectedError(ImageProblem.TOO_LARGE) from None
    except undecodable:
        raise ImageRejectedError(ImageProblem.NOT_AN_IMAGE) from None
    if image.format not in ACCEPTED_FORMATS:
        raise ImageRejectedError(ImageProblem.NOT_AN_IMAGE)
    if image.width * image.height > MAX_PIXELS:
        raise ImageRejectedError(ImageProblem.TOO_LARGE)
    if getattr(image, "n_frames", 1) > 1:
        raise ImageRejectedError(ImageProblem.ANIMATED)
    content_type = Image.MIME.get(image.format, "application/octet-stream")
    try:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    except undecodable:  # truncated or corrupt data shows only when the pixels are decoded
        raise ImageRejectedError(ImageProblem.NOT_AN_IMAGE) from None
    return Picture(upright, content_type)


def hash_image(image: Image.Image) -> ImageHashes:
    content = trim_borders(image)
    return ImageHashes(phash=str(imagehash.phash(content, hash_size=HASH_SIZE)),
                       dhash=str(imagehash.dhash(content, hash_size=HASH_SIZE)))


def trim_borders(image: Image.Image) -> Image.Image:
    """Cut away flat margins (a frame a forwarder added, a poster's plain ground) so two copies that differ
    only there hash alike. Repeated, since a frame can sit around a margin."""
    for _ in range(TRIM_ROUNDS):
        gray = ImageOps.grayscale(image)
        corner = gray.getpixel((0, 0))
        assert isinstance(corner, int)
        found = gray.point(lambda value, corner=corner: 255 if abs(value - corner) > TRIM_TOLERANCE else 0).getbbox()
        if found is None or found == (0, 0, image.width, image.height):
            break
        # Inset past the blur JPEG leaves along a cut edge, or the next round's corner would be that blur.
        box = (found[0] + TRIM_INSET, found[1] + TRIM_INSET, found[2] - TRIM_INSET, found[3] - TRIM_INSET)
        if (box[2] - box[0]) * (box[3] - box[1]) < MIN_TRIMMED_SHARE * image.width * image.height:
            break  # what is left is a detail, not the picture
        image = image.crop(box)
    return image


def preprocess(image: Image.Image) -> Image.Image:
    """Dark text on white, whatever the picture's grounds: each pixel's colour distance from the nearest local
    ground, stretched. Chat screenshots have several grounds (the chat's, a bubble's, the header's), light or
    dark: one global threshold splits ground from bubble rather than text from ground, and Tesseract then
    skips the bubble. Taking the ground as the commonest colour of a tile and its neighbours lets a bubble's
    edge count as ground too; light text on dark comes out dark on white like the rest; colour keeps grey text
    apart from a blue ground of the same brightness. Tesseract thresholds the result itself. A dark frame a
    forwarder added is cut off first and the picture scaled (measured at the scaled size: grounds found on the
    small picture and stretched read worse); a white margin is added last."""
    image = _cut_dark_frame(image)
    scale = min(OCR_MAX_SCALE, OCR_TARGET_HEIGHT / max(image.height, 1))
    if scale > 1.05:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
    distance = _distance_from_ground(np.asarray(image, dtype=np.int32))
    top = max(MIN_TEXT_CONTRAST, float(np.percentile(distance, TEXT_PERCENTILE)))
    ink = np.clip(distance * (255 / top), 0, 255)
    return ImageOps.expand(Image.fromarray((255 - ink).astype(np.uint8)), OCR_MARGIN, fill=255)


def _distance_from_ground(pixels: npt.NDArray[np.int32]) -> npt.NDArray[np.float32]:
    """Each pixel's colour distance from the nearest ground among its tile's and the eight neighbouring tiles'."""
    height, width, _ = pixels.shape
    tile = max(MIN_GROUND_TILE, min(height, width) // GROUND_TILES)
    rows, columns = -(-height // tile), -(-width // tile)
    grounds = np.empty((rows, columns, 3), dtype=np.int32)
    quantised = pixels // GROUND_BIN
    levels = 256 // GROUND_BIN
    for row in range(rows):
        for column in range(columns):
            block = quantised[row * tile:(row + 1) * tile, column * tile:(column + 1) * tile].reshape(-1, 3)
            commonest = int(np.bincount((block[:, 0] * levels + block[:, 1]) * levels + block[:, 2]).argmax())
            grounds[row, column] = (commonest // levels // levels, commonest // levels % levels, commonest % levels)
    grounds = grounds * GROUND_BIN + GROUND_BIN // 2
    padded = np.pad(grounds, ((1, 1), (1, 1), (0, 0)), mode="edge")
    nearest = np.empty((height, width), dtype=np.int32)
    channels = [pixels[:, :, channel] for channel in range(3)]
    for row in range(rows):
        for column in range(columns):
            rows_here, columns_here = slice(row * tile, (row + 1) * tile), slice(column * tile, (column + 1) * tile)
            # Most tiles and their neighbours share one ground: a few distinct colours to measure from, not nine.
            candidates = np.unique(padded[row:row + 3, column:column + 3].reshape(-1, 3), axis=0)
            nearest[rows_here, columns_here] = np.minimum.reduce([
                (channels[0][rows_here, columns_here] - red) ** 2 + (channels[1][rows_here, columns_here] - green) ** 2
                + (channels[2][rows_here, columns_here] - blue) ** 2 for red, green, blue in candidates])
    return np.sqrt(nearest, dtype=np.float32)


def _cut_dark_frame(image: Image.Image) -> Image.Image:
    """Only a near-black corner is taken for a frame: a coloured corner is a poster's ground, whose text must
    stay whole."""
    gray = ImageOps.grayscale(image)
    corner = gray.getpixel((0, 0))
    assert isinstance(corner, int)
    if corner > DARK_FRAME_MAX_LEVEL:
        return image
    found = gray.point(lambda value: 255 if value - corner > TRIM_TOLERANCE else 0).getbbox()
    if found is None or (found[2] - found[0]) * (found[3] - found[1]) < MIN_TRIMMED_SHARE * gray.width * gray.height:
        return image
    return image.crop((found[0] + TRIM_INSET, found[1] + TRIM_INSET, found[2] - TRIM_INSET, found[3] - TRIM_INSET))


def is_ocr_available() -> bool:
    """Tesseract with its Thai data; without it images are answered by their hash alone."""
    if shutil.which("tesseract") is None:
        return False
    import pytesseract  # imported here so a machine without the package still hashes images

    try:
        return "tha" in pytesseract.get_languages(config="")
    except pytesseract.TesseractError:
        return False


def read_text(image: Image.Image, *, preprocessed: bool = True) -> str:
    """Thai and English text in the picture, one line per line read; "" when Tesseract finds none."""
    import pytesseract

    source = preprocess(image) if preprocessed else image
    try:
        text: str = pytesseract.image_to_string(source, lang=OCR_LANGUAGES, config="--psm 3",
                                                timeout=OCR_TIMEOUT_SECONDS)
    except RuntimeError:  # pytesseract's timeout: a pathological picture must not hold the worker
        log.warning("OCR timed out after %d s", OCR_TIMEOUT_SECONDS)
        return ""
    return _join_thai_lines(text)


def _join_thai_lines(text: str) -> str:
    """One line of text, as a typed message would be. Tesseract puts spaces between Thai glyph clusters, and a
    picture wraps lines inside Thai words; Thai writes no spaces inside a sentence and the matcher's tokeniser
    finds the words again, so both go where Thai meets Thai. OCR also reads a thousands comma as a dot."""
    joined = " ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    out: list[str] = []
    for index, char in enumerate(joined):
        if char == " " and 0 < index < len(joined) - 1 and _is_thai(joined[index - 1]) and _is_thai(joined[index + 1]):
            continue
        out.append(char)
    return THOUSANDS_DOT.sub(r"\1,\2", "".join(out))


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"
