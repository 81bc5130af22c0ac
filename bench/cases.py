"""Tips into cases on a held-out split: each story's wordings must meet in one case, look-alikes apart.

A held-out split's wordings (3 per story; `test` by default, `python -m bench cases --split fresh23` for the
sealed one) and its hard negatives (look-alike stories: same agency or place, another fact) are sent one by
one in shuffled order, as tips about rumours nobody has verified: each joins the open case
`nlp.cases.related` is sure of, or opens a new one. Wave 1's rule (the claim matcher over open cases) runs
from its own commit on the same order.
"""
from __future__ import annotations

import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass

from bench.corpus import ROOT
from bench.matching import WAVE1, WAVE1_FILES
from bench.stories import load as load_stories
from nlp.cases import related
from nlp.embed import load_embedder
from nlp.match import ClaimText
from nlp.normalise import clean

WAVE1_SCRIPT = """
import json, sys
from bench.cases import OpenCase, same_case
from nlp.embed import load_embedder
from nlp.normalise import clean
embedder = load_embedder()
cases, placed = [], []
for text in json.load(sys.stdin):
    index = same_case(cases, text, embedder)
    if index is None:
        cases.append(OpenCase(text, frozenset(), embedder.embed([clean(text)])[0] if embedder else None))
        index = len(cases) - 1
    placed.append(index)
print(json.dumps(placed))
"""


@dataclass(frozen=True)
class Clustering:
    cases: int
    in_story_case: float
    """Share of a story's tips in the case that holds most of them."""
    wrong_joins: int
    joins: int
    lookalike_joins: int
    """Wrong joins of a look-alike to a case another look-alike of the same claim opened: two writers may change
    the same fact the same way ("ดอนเมือง" for "สุวรรณภูมิ"), one new story the set counts as two."""
    pair_precision: float
    pair_recall: float


def place(texts: list[str]) -> tuple[list[int], list[float]]:
    embedder = load_embedder()
    cases: list[ClaimText] = []
    placed, timings = [], []
    for text in texts:
        started = time.perf_counter()
        sure, _similar = related(cases, text, embedder)
        timings.append((time.perf_counter() - started) * 1000)
        if sure:
            placed.append(int(sure[0]))
        else:
            vector = embedder.embed([clean(text)])[0] if embedder else None
            cases.append(ClaimText(id=str(len(cases)), text=text, verdict="open", embedding=vector))
            placed.append(len(cases) - 1)
    return placed, timings


def wave1_place(texts: list[str]) -> list[int]:
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", WAVE1, *WAVE1_FILES, "bench/cases.py"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        output = subprocess.run([sys.executable, "-c", WAVE1_SCRIPT], cwd=folder, input=json.dumps(texts),
                                capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(stories: list[str], placed: list[int], written_from: list[str | None]) -> Clustering:
    """written_from: per tip, the claim a look-alike was written from (None for a wording of its story)."""
    founder: dict[int, int] = {}
    joins = wrong = lookalike_joins = 0
    for index, (story, case) in enumerate(zip(stories, placed)):
        if case in founder:
            joins += 1
            first = founder[case]
            wrong += stories[first] != story
            lookalike_joins += (stories[first] != story and written_from[index] is not None
                                and written_from[first] == written_from[index])
        else:
            founder[case] = index
    by_story: dict[str, list[int]] = {}
    for story, case in zip(stories, placed):
        by_story.setdefault(story, []).append(case)
    grouped = [cases for cases in by_story.values() if len(cases) > 1]
    grouped_tips = sum(len(cases) for cases in grouped)
    in_case = sum(Counter(cases).most_common(1)[0][1] for cases in grouped) / grouped_tips if grouped_tips else 1.0
    same_case = same_story = both = 0
    for first, second in itertools.combinations(range(len(placed)), 2):
        together, alike = placed[first] == placed[second], stories[first] == stories[second]
        same_case += together
        same_story += alike
        both += together and alike
    return Clustering(cases=len(set(placed)), in_story_case=in_case, wrong_joins=wrong, joins=joins,
                      lookalike_joins=lookalike_joins,
                      pair_precision=both / same_case if same_case else 1.0,
                      pair_recall=both / same_story if same_story else 1.0)


def title(split: str) -> str:
    """The test split keeps its section's title, so evaluating another split leaves its figures."""
    return f"## Tips into cases (clustering, {'frozen test' if split == 'test' else split} split)"


def run(split: str = "test") -> str:
    tips = [q for q in load_stories(frozenset({split})) if q.kind != "unrelated"]
    if not tips:
        raise SystemExit(f"no {split} messages in bench/data/stories/")
    random.Random(11).shuffle(tips)  # tips arrive interleaved, not grouped by story
    stories = [q.story if q.kind == "positive" else f"lookalike-{index}" for index, q in enumerate(tips)]
    written_from = [None if q.kind == "positive" else q.claim_id for q in tips]
    texts = [q.text for q in tips]
    placed, timings = place(texts)
    ours = measure(stories, placed, written_from)
    theirs = measure(stories, wave1_place(texts), written_from)
    positives = sum(1 for q in tips if q.kind == "positive")
    story_count = len({q.story for q in tips if q.kind == "positive"})
    distinct = story_count + len(tips) - positives

    def line(name: str, result: Clustering) -> str:
        return (f"| {name} | {result.cases} | {result.in_story_case:.1%} | {result.wrong_joins} of {result.joins} "
                f"({result.wrong_joins / result.joins if result.joins else 0:.1%}; {result.lookalike_joins} of them "
                f"two look-alikes of one claim) | {result.pair_precision:.3f} | {result.pair_recall:.3f} |")

    return "\n".join([
        title(split),
        "",
        f"{len(tips)} tips: {positives} wordings of {story_count} {split} "
        f"stories ({positives / story_count:.0f} each: chain, question, retelling, excerpt, noisy or number-word "
        "styles) and "
        f"{len(tips) - positives} look-alike stories (the hard negatives: same agency, place or product, another "
        f"fact), shuffled. Ideal: {distinct} cases.",
        "",
        "| decision | cases opened | tips in their story's case | wrong joins | pairwise precision | pairwise recall |",
        "|---|---|---|---|---|---|",
        line("ChuayCheck: the learned claim decision over open cases", ours),
        line(f"wave 1: claim matcher over open cases ({WAVE1})", theirs),
        "",
        f"Targets: ≥ 90% of tips in their story's case, wrong joins ≤ 3%. Time to place a tip (open cases grow "
        f"to {max(placed) + 1}): median {statistics.median(timings):.0f} ms, p95 "
        f"{sorted(timings)[int(0.95 * (len(timings) - 1))]:.0f} ms (the matcher over open cases is rebuilt per tip).",
    ])
