"""The image bench's pictures, generated once and kept in the repo (bench/data/images/), so every machine
measures the same bytes and needs no Thai fonts: `make image-set` regenerates them (it installs Debian's
fonts-thai-tlwg). bench/data/images/README.md says where the claims, texts and fonts come from.

Known AFNC claims rendered as LINE chat screenshots (light and dark mode, sent and received), posters, letters
and social-media posts, in ten Thai fonts and several sizes and grounds, then forwarded: JPEG quality 30–90,
scaled, tilted, cropped, framed. Plus unrelated Thai text (the FAQ's answers) in the same templates, and
pictures without text. A template is one layout in one font, size and colours: the pictures a hash must tell
apart look alike within a template."""
from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from bench.corpus import ROOT, seed_claims
from bench.render import NOTO_SANS_THAI, Style, chrome_text, jpeg, render, variant
from nlp.match import ClaimText

SET_DIR = ROOT / "bench" / "data" / "images"
MANIFEST = SET_DIR / "manifest.csv"
TLWG = Path("/usr/share/fonts/truetype/tlwg")
"""Debian's fonts-thai-tlwg: the Thai fonts of the Thai Linux Working Group, NECTEC and SIPA."""
SEED = 14
CLAIMS = 60
PICTURES_PER_CLAIM = 5
MIN_CLAIM_CHARS, MAX_CLAIM_CHARS = 40, 140
"""Poster-length claims: what fits one picture."""
UNRELATED_TEXT = 60
RESTATED = {"dv-join": "afnc-296c9e261d"}
"""FAQ answers that restate an AFNC claim word for word (found when the first bench run answered one with it):
their pictures are unrelated to the known claims, but answering them with that claim is right, not wrong."""
NO_TEXT = 40
TEMPLATES = {
    "chat": Style(font=NOTO_SANS_THAI),
    "chat-dark": Style(font=str(TLWG / "Loma.ttf"), font_size=28, background="#111111", bubble="#2C2C2C",
                       ink="#F2F2F2", chrome="#1A1A1A", chrome_ink="#E0E0E0"),
    "chat-sent": Style(font=str(TLWG / "Waree.ttf"), font_size=28, bubble="#85E27B", background="#7C9BC6"),
    "chat-large": Style(font=str(TLWG / "Garuda.ttf"), font_size=36, width=900),
    "poster-red": Style(layout="poster", font=NOTO_SANS_THAI, weight=700, font_size=40, background="#C62828",
                        ink="#FFFFFF"),
    "poster-yellow": Style(layout="poster", font=str(TLWG / "Kinnari-Bold.ttf"), font_size=36,
                           background="#FFEB3B", ink="#1A237E"),
    "poster-dark": Style(layout="poster", font=str(TLWG / "Sawasdee-Bold.ttf"), font_size=38,
                         background="#0D2A4A", ink="#FFD54F"),
    "poster-white": Style(layout="poster", font=str(TLWG / "Umpush.ttf"), font_size=30, background="#FFFFFF",
                          ink="#212121"),
    "letter": Style(layout="letter", font=str(TLWG / "Laksaman.ttf"), font_size=32, background="#FFFFFF",
                    ink="#000000", width=800),
    "post": Style(layout="post", font=str(TLWG / "Norasi.ttf"), font_size=28, background="#F0F2F5",
                  ink="#050505", width=760),
}
"""Laksaman is the SIPA clone of TH Sarabun, the font Thai government letters must use."""
FORWARDS: tuple[dict[str, Any], ...] = (
    {}, {"scale": 0.6}, {"scale": 0.8}, {"rotate": 1.5}, {"rotate": -1.0}, {"crop": 0.02},
    {"crop": 0.02, "border": 12}, {"border": 24},
)
"""What forwarding did to a picture: each picture gets one, drawn at random."""


@dataclass(frozen=True)
class Entry:
    file: str
    claim_id: str
    """"" for a picture of unrelated text or without text: it must never get a verdict."""
    also_right: str
    """A claim this picture may rightly be answered with though it is not one of the known claims' pictures:
    an FAQ answer that restates an AFNC claim (RESTATED)."""
    template: str
    quality: int
    forward: str
    text: str
    """The message drawn ("" for a picture without text)."""
    written: str
    """Everything drawn, top to bottom, one line per piece: the message and the UI's words around it (a group's
    name, times, buttons). What an OCR reading is scored against."""


def picked_claims(claims: list[ClaimText]) -> list[ClaimText]:
    fitting = [claim for claim in claims if MIN_CLAIM_CHARS <= len(claim.text) <= MAX_CLAIM_CHARS]
    return random.Random(SEED).sample(fitting, CLAIMS)


def _faq_answers() -> list[tuple[str, str]]:
    """(the claim it restates or "", the answer cut to a picture's length) for each FAQ entry."""
    with (ROOT / "data" / "sample" / "faq.csv").open(encoding="utf-8") as handle:
        return [(RESTATED.get(row["code"], ""), row["answer"][:MAX_CLAIM_CHARS]) for row in csv.DictReader(handle)]


def _photo(rng: random.Random) -> Image.Image:
    """A picture without text: a gradient sky with a few shapes, like a landscape or a product photo."""
    image = Image.new("RGB", (640, 480))
    top, bottom = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(2)]
    draw = ImageDraw.Draw(image)
    for y in range(480):
        mix = y / 479
        draw.line((0, y, 640, y), fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom)))
    for _ in range(rng.randrange(3, 8)):
        x, y, size = rng.randrange(600), rng.randrange(440), rng.randrange(30, 160)
        draw.ellipse((x, y, x + size, y + size), fill=tuple(rng.randrange(256) for _ in range(3)))
    return image


def _pictures(claims: list[ClaimText]) -> Iterator[tuple[Entry, Image.Image]]:
    rng = random.Random(SEED)
    names = list(TEMPLATES)
    texts = [(claim.id, "", claim.text) for claim in picked_claims(claims) for _ in range(PICTURES_PER_CLAIM)]
    answers = _faq_answers()
    texts += [("", *answers[index % len(answers)]) for index in range(UNRELATED_TEXT)]
    for index, (claim_id, also_right, text) in enumerate(texts):
        # Claim k's five pictures take five consecutive templates: each template shows 30 different claims.
        template = names[index % len(names)]
        forward = rng.choice(FORWARDS)
        quality = rng.randrange(30, 91)
        label = ",".join(f"{key}={value}" for key, value in forward.items()) or "none"
        picture = variant(render(text, TEMPLATES[template]), **forward)
        kind = "known" if claim_id else "unrelated"
        above, below = chrome_text(TEMPLATES[template])
        yield Entry(f"{kind}-{index:03d}.jpg", claim_id, also_right, template, quality, label, text,
                    "\n".join([*above, text, *below])), picture
    for index in range(NO_TEXT):
        quality = rng.choice((40, 70, 90))
        yield Entry(f"photo-{index:03d}.jpg", "", "", "photo", quality, "none", "", ""), _photo(rng)


def generate() -> None:
    missing = [style.font for style in TEMPLATES.values() if not Path(style.font).exists()]
    if missing:
        raise SystemExit(f"fonts missing (apt-get install fonts-thai-tlwg): {', '.join(sorted(set(missing)))}")
    SET_DIR.mkdir(parents=True, exist_ok=True)
    entries = []
    for entry, picture in _pictures(seed_claims(with_embeddings=False)):
        (SET_DIR / entry.file).write_bytes(jpeg(picture, entry.quality))
        entries.append(entry)
    with MANIFEST.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(Entry.__dataclass_fields__))
        writer.writeheader()
        writer.writerows(entry.__dict__ for entry in entries)
    size = sum(path.stat().st_size for path in SET_DIR.glob("*.jpg"))
    print(f"wrote {len(entries)} pictures ({size / 1e6:.1f} MB) to {SET_DIR}")


def load() -> list[tuple[Entry, bytes]]:
    """The stored set: each picture's manifest entry and its JPEG bytes."""
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        entries = [Entry(file=row["file"], claim_id=row["claim_id"], also_right=row["also_right"],
                         template=row["template"], quality=int(row["quality"]), forward=row["forward"],
                         text=row["text"], written=row["written"]) for row in csv.DictReader(handle)]
    return [(entry, (SET_DIR / entry.file).read_bytes()) for entry in entries]


if __name__ == "__main__":
    generate()
