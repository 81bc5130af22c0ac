"""Scam and victim detection (nlp.scam) on bench/data/scams.jsonl: precision, recall and false alarms per split.

The dev split was written first and the patterns tuned on it; the test split was written before the detector was
first run on it and has not been tuned on. "none" rows are the false-alarm candidates: bank and agency news,
warnings about scams, rumours that mention money or links. The naive baseline flags any message with a scam word.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import regex

from nlp.scam import ScamKind, read_scam

DATA = Path(__file__).with_name("data") / "scams.jsonl"
NAIVE_SCAM = regex.compile(r"ลิงก์|https?://|โหลดแอป|โอนเงิน|otp|รหัส", regex.IGNORECASE)
NAIVE_VICTIM = regex.compile(r"โดน|ถูกหลอก")
LABELS = (ScamKind.SCAM, ScamKind.VICTIM)
INTRO = ("`python -m bench scams`: nlp.scam on bench/data/scams.jsonl (scam lures, victims' messages, and false-alarm "
         "candidates: bank and agency news, scam warnings, rumours about money). Dev was tuned on (in-sample); test "
         "was written before the detector first ran on it and never tuned on. Small sets: one message is several "
         "points.")
HEADER = ("| split | reader | scam precision | scam recall | victim precision | victim recall | false alarms on "
          "ordinary messages |")


@dataclass(frozen=True)
class Example:
    text: str
    label: ScamKind
    split: str


def load_examples() -> list[Example]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Example(row["text"], ScamKind(row["label"]), row["split"]) for row in rows]


def naive(text: str) -> ScamKind:
    if NAIVE_VICTIM.search(text):
        return ScamKind.VICTIM
    return ScamKind.SCAM if NAIVE_SCAM.search(text) else ScamKind.NONE


def ours(text: str) -> ScamKind:
    return read_scam(text).kind


def _ratio(hits: int, total: int) -> str:
    return f"{hits / total:.0%} ({hits}/{total})" if total else "-"


def score_rows(examples: list[Example], reader: Callable[[str], ScamKind]) -> list[str]:
    """Table cells: precision and recall per label, then the share of "none" rows flagged as anything."""
    predicted = [(example.label, reader(example.text)) for example in examples]
    cells = []
    for label in LABELS:
        flagged = [gold for gold, guess in predicted if guess is label]
        actual = [guess for gold, guess in predicted if gold is label]
        cells += [_ratio(sum(gold is label for gold in flagged), len(flagged)),
                  _ratio(sum(guess is label for guess in actual), len(actual))]
    innocent = [guess for gold, guess in predicted if gold is ScamKind.NONE]
    cells.append(_ratio(sum(guess is not ScamKind.NONE for guess in innocent), len(innocent)))
    return cells


def run() -> str:
    examples = load_examples()
    lines = ["## Scams and victims", "", INTRO, "", HEADER, "|---|---|---|---|---|---|---|"]
    for split in ("dev", "test"):
        chosen = [example for example in examples if example.split == split]
        for name, reader in (("nlp.scam", ours), ("naive: any scam word", naive)):
            lines.append(f"| {split} | {name} | " + " | ".join(score_rows(chosen, reader)) + " |")
    missed = [example for example in examples if example.split == "test" and ours(example.text) is not example.label]
    if missed:
        lines += ["", "Test errors (gold → read):", ""]
        lines += [f"- {example.label} → {ours(example.text)}: {example.text}" for example in missed]
    return "\n".join(lines)
