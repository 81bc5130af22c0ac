"""Pictures: OCR error, answers and their speed on generated screenshots and posters, with and without
preprocessing; how perceptual hashes tell forwards of one picture from posters of one template.

The image set is generated, deterministically, by `image_set()`: known AFNC claims rendered as LINE-style chat
screenshots and posters (regular and bold Thai, sizes, grounds, JPEG quality 30–90, scaling, small rotations,
crops and frames), plus unrelated Thai text (the FAQ's answers) and pictures without text. Nothing is stored:
the same seed gives the same pictures on every machine with the same Pillow and font."""
from __future__ import annotations

import csv
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageDraw
from rapidfuzz.distance import Levenshtein

from bench.corpus import ROOT, seed_claims
from bench.render import Style, jpeg, render, variant
from nlp.embed import load_embedder
from nlp.image import ImageHashes, hash_image, is_ocr_available, open_image, read_text
from nlp.match import ClaimMatcher, ClaimText, MatchStatus

SEED = 14
CLAIMS = 60
"""Known claims rendered; each in VARIANTS ways, so 300 pictures of known claims."""
MIN_CLAIM_CHARS, MAX_CLAIM_CHARS = 40, 140
"""Poster-length claims: what fits one picture."""
UNRELATED_TEXT = 60
NO_TEXT = 40
STYLES = {
    "chat": Style(),
    "chat-large": Style(font_size=38, width=900),
    "poster-red": Style(layout="poster", background="#C62828", ink="#FFFFFF", font_size=40, weight=700),
    "poster-yellow": Style(layout="poster", background="#FFEB3B", ink="#1A237E", font_size=34, weight=700),
    "poster-white": Style(layout="poster", background="#FFFFFF", ink="#212121", font_size=28),
}
VARIANTS = (
    ("chat", 90, {}),
    ("poster-red", 60, {}),
    ("chat-large", 30, {"rotate": 1.5}),
    ("poster-yellow", 45, {"scale": 0.6}),
    ("poster-white", 75, {"crop": 0.02, "border": 12}),
)
"""(style, JPEG quality, forwarding changes) of the five pictures of each claim."""
COPIES = (("recompressed", 30, {}), ("cropped 3 %", 60, {"crop": 0.03}), ("framed", 60, {"border": 24}),
          ("scaled 0.5", 60, {"scale": 0.5}), ("rotated 1°", 60, {"rotate": 1.0}))
"""Forwards of one picture, for the hash: what each copy does to it."""


@dataclass(frozen=True)
class Sample:
    data: bytes
    text: str
    """What is written in it ("" for a picture without text)."""
    claim_id: str | None
    """The claim it shows; None for unrelated pictures, which must never get a verdict."""
    template: str


def _picked_claims(claims: list[ClaimText]) -> list[ClaimText]:
    fitting = [claim for claim in claims if MIN_CLAIM_CHARS <= len(claim.text) <= MAX_CLAIM_CHARS]
    return random.Random(SEED).sample(fitting, CLAIMS)


def _faq_answers() -> list[str]:
    with (ROOT / "data" / "sample" / "faq.csv").open(encoding="utf-8") as handle:
        answers = [row["answer"] for row in csv.DictReader(handle)]
    return [answer[:MAX_CLAIM_CHARS] for answer in answers]


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


def image_set(claims: list[ClaimText]) -> Iterator[Sample]:
    for claim in _picked_claims(claims):
        for style, quality, change in VARIANTS:
            yield Sample(jpeg(variant(render(claim.text, STYLES[style]), **change), quality), claim.text, claim.id,
                         style)
    rng = random.Random(SEED)
    answers = _faq_answers()
    for index in range(UNRELATED_TEXT):
        style, quality, change = VARIANTS[index % len(VARIANTS)]
        text = answers[index % len(answers)]
        yield Sample(jpeg(variant(render(text, STYLES[style]), **change), quality), text, None, style)
    for _ in range(NO_TEXT):
        yield Sample(jpeg(_photo(rng), rng.choice((40, 70, 90))), "", None, "photo")


@dataclass(frozen=True)
class Outcome:
    errors: int
    """Character edits between what is written and what was read (spaces ignored)."""
    status: MatchStatus
    right_auto: bool
    wrong_auto: bool
    in_top3: bool
    seconds: float


def _letters(text: str) -> str:
    return "".join(text.split())


def twins_of(claims: list[ClaimText]) -> dict[str, set[str]]:
    """Claim id → the ids of AFNC's re-publications of it (same words and verdict): answering either is right."""
    by_text: dict[tuple[str, str], set[str]] = {}
    for claim in claims:
        by_text.setdefault((_letters(claim.text), claim.verdict), set()).add(claim.id)
    return {claim.id: by_text[(_letters(claim.text), claim.verdict)] for claim in claims}


def answer(matcher: ClaimMatcher, twins: dict[str, set[str]], sample: Sample, preprocessed: bool) -> Outcome:
    started = time.perf_counter()
    picture = open_image(sample.data)
    hash_image(picture.image)
    text = read_text(picture.image, preprocessed=preprocessed)
    match = matcher.match(text) if text else None
    seconds = time.perf_counter() - started
    status = match.status if match else MatchStatus.NONE
    auto = match.claim_id if match and status is MatchStatus.MATCH else None
    top3 = {candidate.claim_id for candidate in match.candidates[:3]} if match else set()
    right = twins.get(sample.claim_id or "", set())
    return Outcome(errors=Levenshtein.distance(_letters(sample.text), _letters(text)), status=status,
                   right_auto=auto is not None and auto in right, wrong_auto=auto is not None and auto not in right,
                   in_top3=bool(right & (top3 | {auto})), seconds=seconds)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ocr_rows(matcher: ClaimMatcher, twins: dict[str, set[str]], samples: list[Sample]) -> list[str]:
    rows = ["| preprocessing | OCR character error rate | known claims answered with the right verdict | top-3 "
            "recall | wrong automatic answers | median s / image | p95 s / image |", "|---|---|---|---|---|---|---|"]
    known = [sample for sample in samples if sample.claim_id]
    written = sum(len(_letters(sample.text)) for sample in samples if sample.text)
    for preprocessed in (False, True):
        outcomes = [answer(matcher, twins, sample, preprocessed) for sample in samples]
        on_known = [outcome for sample, outcome in zip(samples, outcomes) if sample.claim_id]
        errors = sum(outcome.errors for sample, outcome in zip(samples, outcomes) if sample.text)
        seconds = [outcome.seconds for outcome in outcomes]
        right = sum(outcome.right_auto for outcome in on_known)
        top3 = sum(outcome.in_top3 for outcome in on_known)
        wrong = sum(outcome.wrong_auto for outcome in outcomes)
        rows.append(f"| {'grayscale, scale, Otsu' if preprocessed else 'none'} | {errors / written:.1%} | "
                    f"{right} of {len(known)} ({right / len(known):.0%}) | {top3 / len(known):.0%} | {wrong} of "
                    f"{len(samples)} | {statistics.median(seconds):.2f} | {_percentile(seconds, 0.95):.2f} |")
    return rows


def hash_rows(claims: list[ClaimText]) -> list[str]:
    """Copies of one picture should hash near it; pictures of other claims in the same template should not."""
    picked = _picked_claims(claims)[:20]
    rows = [f"| template | copies recognised ({len(COPIES)} kinds × {len(picked)}) | other claims in the template "
            "taken for it (pairs) |", "|---|---|---|"]
    for name, style in STYLES.items():
        originals = [render(claim.text, style) for claim in picked]
        hashes = [hash_image(open_image(jpeg(original, 75)).image) for original in originals]
        recognised = sum(hash_image(open_image(jpeg(variant(original, **change), quality)).image).is_near(mine)
                         for original, mine in zip(originals, hashes) for _, quality, change in COPIES)
        pairs = [(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1:]]
        false = sum(a.is_near(b) for a, b in pairs)
        rows.append(f"| {name} | {recognised} of {len(originals) * len(COPIES)} | {false} of {len(pairs)} |")
    return rows


def lookup_ms(stored: int = 10_000) -> float:
    """One forward checked against `stored` ruled pictures (the linear scan data.images does)."""
    rng = random.Random(SEED)
    known = [ImageHashes(f"{rng.getrandbits(64):016x}", f"{rng.getrandbits(64):016x}") for _ in range(stored)]
    probe = ImageHashes(f"{rng.getrandbits(64):016x}", f"{rng.getrandbits(64):016x}")
    started = time.perf_counter()
    any(probe.is_near(other) for other in known)
    return (time.perf_counter() - started) * 1000


def run() -> str:
    claims = seed_claims()
    samples = list(image_set(claims))
    lines = ["## Pictures (OCR and perceptual hashes)", "",
             f"{sum(1 for s in samples if s.claim_id)} generated pictures of {CLAIMS} AFNC claims (chat screenshots "
             f"and posters, JPEG 30–90, rotation, scaling, crops, frames), {UNRELATED_TEXT} of unrelated Thai text and "
             f"{NO_TEXT} photos without text (`bench/images.py`). One core; time is decode + hash + OCR + match."]
    if is_ocr_available():
        matcher = ClaimMatcher(claims, load_embedder())
        lines += ["", *ocr_rows(matcher, twins_of(claims), samples), "",
                  "A right verdict is the claim shown, or one of AFNC's re-publications of it (same words, same "
                  "verdict); a wrong automatic answer is any other claim answered without asking."]
    else:
        lines += ["", "Tesseract with Thai is not installed here: OCR rows skipped."]
    lines += ["", "Perceptual hashes (pHash ≤ 10 and dHash ≤ 14 of 64 bits, after trimming flat margins) on copies "
              "(recompressed, cropped, framed, scaled, rotated) and on pictures of other claims in the same "
              "template. On posters the hash tells claims apart; on chat screenshots it sees mostly the layout, "
              "so a picture is taken for a ruled one only when the texts read from both agree as well, and by "
              "the hash alone only when OCR reads nothing (or Tesseract is missing: the risk the chat rows show).",
              "", *hash_rows(claims), "",
              f"Looking one forward up among 10,000 ruled pictures: {lookup_ms():.1f} ms."]
    return "\n".join(lines)
