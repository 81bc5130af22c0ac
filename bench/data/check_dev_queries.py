"""Validate bench/data/dev_queries.jsonl against data/afnc_claims.csv and print its composition.

    .venv/bin/python bench/data/check_dev_queries.py

Exits non-zero if a line is not a JSON object with the expected fields, a claim id is unknown,
a text is duplicated, or a required minimum count is not met.
"""

import csv
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "bench" / "data" / "dev_queries.jsonl"
CLAIMS = ROOT / "data" / "afnc_claims.csv"

KINDS = {"positive", "hard_negative", "unrelated"}
POSITIVE_STYLES = {"chain", "paraphrase", "question", "noisy"}
MINIMUMS = {"positive": 170, "hard_negative": 110, "unrelated": 90}


def main() -> int:
    claims = {row["id"]: row for row in csv.DictReader(CLAIMS.open(encoding="utf-8"))}
    errors: list[str] = []
    rows = []
    for n, line in enumerate(QUERIES.open(encoding="utf-8"), 1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        if not isinstance(row, dict):
            errors.append(f"line {n}: not an object")
            continue
        kind, text, cid, style = (row.get(k) for k in ("kind", "text", "claim_id", "style"))
        if kind not in KINDS:
            errors.append(f"line {n}: bad kind {kind!r}")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"line {n}: empty text")
        if not isinstance(style, str) or not style:
            errors.append(f"line {n}: missing style")
        if kind == "positive" and style not in POSITIVE_STYLES:
            errors.append(f"line {n}: positive with style {style!r}")
        if kind == "unrelated":
            if cid is not None:
                errors.append(f"line {n}: unrelated with claim_id {cid!r}")
        elif cid not in claims:
            errors.append(f"line {n}: unknown claim_id {cid!r}")
        also = row.get("also_ok")
        if also is not None:
            if kind != "positive" or not isinstance(also, list):
                errors.append(f"line {n}: also_ok only as a list on positives")
            else:
                errors += [f"line {n}: unknown also_ok id {a!r}" for a in also if a not in claims]
                if cid in also:
                    errors.append(f"line {n}: also_ok repeats claim_id")
        extra = set(row) - {"kind", "text", "claim_id", "style", "also_ok"}
        if extra:
            errors.append(f"line {n}: unexpected fields {sorted(extra)}")
        rows.append(row)

    texts = Counter(r["text"].strip() for r in rows if isinstance(r.get("text"), str))
    errors += [f"duplicate text: {t[:60]!r} x{c}" for t, c in texts.items() if c > 1]

    kinds = Counter(r.get("kind") for r in rows)
    for kind, minimum in MINIMUMS.items():
        if kinds[kind] < minimum:
            errors.append(f"{kind}: {kinds[kind]} < {minimum}")

    pos = [r for r in rows if r.get("kind") == "positive" and r.get("claim_id") in claims]
    neg = [r for r in rows if r.get("kind") == "hard_negative" and r.get("claim_id") in claims]
    distinct = {r["claim_id"] for r in pos}
    if len(distinct) < 120:
        errors.append(f"positives cover only {len(distinct)} claims (< 120)")

    print(f"{QUERIES.relative_to(ROOT)}: {len(rows)} lines, {len(texts)} distinct texts")
    print("\nkind            count")
    for kind in ("positive", "hard_negative", "unrelated"):
        print(f"{kind:<15} {kinds[kind]:>5}")
    print(f"\npositives: {len(pos)} over {len(distinct)} distinct claims; "
          f"{sum(1 for r in pos if r.get('also_ok'))} carry also_ok")
    for title, counter in (
        ("positive style", Counter(r["style"] for r in pos)),
        ("positive verdict", Counter(claims[r["claim_id"]]["verdict"] for r in pos)),
        ("positive category", Counter(claims[r["claim_id"]]["category"] for r in pos)),
        ("hard_negative style", Counter(r["style"] for r in neg)),
        ("hard_negative near-claim verdict", Counter(claims[r["claim_id"]]["verdict"] for r in neg)),
        ("hard_negative near-claim category", Counter(claims[r["claim_id"]]["category"] for r in neg)),
        ("unrelated style", Counter(r["style"] for r in rows if r.get("kind") == "unrelated")),
    ):
        print(f"\n{title}")
        for key, count in counter.most_common():
            print(f"  {key:<34} {count:>4}")

    if errors:
        print("\nERRORS", *errors, sep="\n  ", file=sys.stderr)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
