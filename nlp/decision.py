"""The learned same-story decision: a small gradient-boosted model over the signals of (message, candidate).

The `claim` kind (is this message that verified claim?) has two models sharing one feature layout: `lexical`
sees words only (the embedding's columns are missing), `full` also sees the embedding. The matcher asks the
lexical model first and embeds the message only when words alone cannot decide and the lexical model gives
the best candidate at least `embed_from`. Thresholds were chosen on out-of-fold predictions (see
`nlp/training.py`) and are stored in `nlp/models/manifest.json`; the files are rebuilt by `make model`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np
import numpy.typing as npt

MODELS = Path(__file__).parent / "models"
FEATURES = (
    "lexical", "lexical_rank", "lexical_gap", "lexical_lead",
    "semantic", "semantic_rank", "semantic_gap", "semantic_lead",
    "coverage", "query_coverage", "query_extra", "claim_missing", "overlap", "partial",
    "numbers_query_only", "numbers_claim_only", "numbers_shared",
    "entity_conflict", "entities_shared", "negation_mismatch",
    "distinctive", "contained", "entities_missing",
    "length_ratio", "query_tokens", "rival_lexical_gap", "rival_semantic_gap",
)
SEMANTIC_FEATURES = frozenset({"semantic", "semantic_rank", "semantic_gap", "semantic_lead", "rival_semantic_gap"})


@dataclass(frozen=True)
class Band:
    auto: float
    """A candidate at or above this probability is answered without asking."""
    suggest: float
    """At or above this it is offered as a suggestion."""
    join: float | None = None
    """At or above this a tip surely tells a case's story and joins it; None: `auto`. Lower than `auto`: a
    wrong join is judged by the issue's wrong-join target (`nlp.training.JOIN_PRECISION_FLOOR`), a verdict also by
    how few look-alikes it answers."""

    @property
    def join_threshold(self) -> float:
        return self.auto if self.join is None else self.join


@dataclass(frozen=True)
class DecisionModel:
    name: str
    booster: lightgbm.Booster
    band: Band

    def probabilities(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if len(rows) == 0:
            return np.zeros(0)
        return np.asarray(self.booster.predict(rows, num_threads=1), dtype=np.float64)


@dataclass(frozen=True)
class DecisionModels:
    lexical: DecisionModel
    full: DecisionModel
    embed_from: float
    """The lexical model's best probability from which the message is embedded and the full model asked:
    below it, out of fold, the embedding never turned a message into an automatic answer."""


def manifest(directory: Path = MODELS) -> dict[str, Any]:
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))


@cache
def load_models(kind: str = "claim", directory: Path = MODELS) -> DecisionModels:
    """The shipped models of one kind, read once per process (small and read-only)."""
    entries = manifest(directory)[kind]

    def read(name: str) -> DecisionModel:
        entry = entries[name]
        booster = lightgbm.Booster(model_file=str(directory / str(entry["file"])))
        if tuple(booster.feature_name()) != FEATURES:
            raise ValueError(f"{name} model was trained on other features; rebuild it with `make model`")
        return DecisionModel(name=f"{kind}_{name}", booster=booster,
                             band=Band(auto=float(entry["auto"]), suggest=float(entry["suggest"]),
                                       join=float(entry["join"])))

    return DecisionModels(lexical=read("lexical"), full=read("full"), embed_from=float(entries["embed_from"]))
