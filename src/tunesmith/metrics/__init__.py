"""Evaluation metrics, MusPy style: each metric is a pure function of pieces whose docstring gives
its definition and the paper it comes from.

Modules:

- `muspy_metrics`: MusPy's metrics (Dong et al., ISMIR 2020) on a Piece, and `piece_to_muspy`.
- `yang_lerch`: Yang & Lerch (2018) per-piece features and relative measures (OA, KLD).
- `rl_tuner`: the music-theory statistics of Jaques et al. (Sequence Tutor / RL Tuner, 2017).
- `memorization`: longest run of a generated melody found in the training data.
- `constraints`: checks that a composed piece (re-read from its file) honours the request.
- `c2st`: classifier two-sample test (Lopez-Paz & Oquab, ICLR 2017).
- `harmony_rules`: voice-leading rule counts for SATB pieces and chord-symbol agreement.

Importing this package is cheap; the names below load their module on first use (muspy in
particular takes seconds to import). Functions named like their module (`muspy_metrics`,
`c2st`) are reached through the module: `from tunesmith.metrics.c2st import c2st`.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    # muspy_metrics
    "piece_to_muspy": "muspy_metrics",
    # yang_lerch
    "extract_features": "yang_lerch",
    "relative_measures": "yang_lerch",
    "absolute_measures": "yang_lerch",
    # rl_tuner
    "rl_tuner_stats": "rl_tuner",
    "RL_TUNER_PAPER_NOTE_RNN": "rl_tuner",
    # memorization
    "MemorizationIndex": "memorization",
    "longest_common_run": "memorization",
    "memorization_report": "memorization",
    # constraints
    "check_all": "constraints",
    # c2st
    "c2st_accuracy": "c2st",
    # harmony_rules
    "harmony_rule_rates": "harmony_rules",
    "chord_agreement": "harmony_rules",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
