"""Check a writer's file of the story set: format, counts, and which claims each message is nearest to.

    .venv/bin/python bench/data/stories/check_written.py bench/data/stories/written/NAME.jsonl [--near]

With --near it prints, for every hard negative and unrelated message, the 3 nearest AFNC claims (rapidfuzz
over normalised text), so the writer can confirm none of them says the same thing as the message.
"""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[3]
STYLES = {"chain", "question", "retelling", "excerpt", "noisy", "numbers"}
NEGATIVE_TYPES = {"same_entity_other_fact", "changed_amount", "changed_date", "changed_place", "changed_agency",
                  "negation", "lookalike_abbreviation"}


def main() -> None:
    path = Path(sys.argv[1])
    claims = {row["id"]: row for row in csv.DictReader(open(ROOT / "data/afnc_claims.csv", encoding="utf-8"))}
    ids = list(claims)
    texts = [claims[i]["claim"] for i in ids]
    rows = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            sys.exit(f"{path}:{number}: not JSON: {error}")
        kind = row.get("kind")
        if kind not in {"positive", "hard_negative", "unrelated"} or not isinstance(row.get("text"), str):
            sys.exit(f"{path}:{number}: bad kind or text")
        if kind != "unrelated" and row.get("claim_id") not in claims:
            sys.exit(f"{path}:{number}: unknown claim_id {row.get('claim_id')}")
        if kind == "positive" and row.get("style") not in STYLES:
            sys.exit(f"{path}:{number}: style must be one of {sorted(STYLES)}")
        if kind == "hard_negative" and row.get("style") not in NEGATIVE_TYPES:
            sys.exit(f"{path}:{number}: hard-negative style must be one of {sorted(NEGATIVE_TYPES)}")
        rows.append(row)
    seen = Counter(row["text"] for row in rows)
    duplicates = [text for text, count in seen.items() if count > 1]
    if duplicates:
        sys.exit(f"duplicate texts: {duplicates[:3]}")
    print(Counter(row["kind"] for row in rows))
    print("positive styles", Counter(row["style"] for row in rows if row["kind"] == "positive"))
    print("negative types", Counter(row["style"] for row in rows if row["kind"] == "hard_negative"))
    if "--near" in sys.argv:
        for row in rows:
            if row["kind"] == "positive":
                continue
            print("\n>>", row["kind"], row.get("style"), row["text"][:150])
            for text, score, index in process.extract(row["text"], texts, scorer=fuzz.token_set_ratio, limit=3):
                mark = " (its near claim)" if ids[index] == row.get("claim_id") else ""
                print(f"   {score:5.1f} {ids[index]}{mark}: {text[:120]}")


if __name__ == "__main__":
    main()
