"""Measure: the evaluation suite and the benchmark harness.

    from tunesmith.evaluation import EvalConfig, load_eval_data, load_system, run_evaluation, write_html
    result = run_evaluation(load_system("default"), load_eval_data(), EvalConfig(samples=200),
                            compare=load_system("runs/gpt2-baseline"))
    write_html(result, "eval.html")

Modules:

- `likelihood`: held-out NLL per token / note / bar (tunesmith and the GPT-2 baseline on the
  same canonical pieces; whole-piece figures price tunesmith's header under a uniform prior)
  and the JSB chorales frame-level figures, with their units and the published figures
  (marked unverified where no public copy of the paper could be checked).
- `systems`: a tunesmith model or a GPT-2 + REMI baseline behind one compose / score interface.
- `requests`: random compose requests from a per-style grid.
- `suite`: the run: generate, re-check constraints from written files, statistics vs real,
  memorization, likelihood; returns a JSON-ready dict.
- `report`: the table of every metric (with better-direction and verdicts), JSON helpers.
- `html` + `svgplot`: the self-contained HTML report with hand-drawn SVG plots.
- `bench`: compose latency, batched throughput and training tokens/s, tunesmith vs the
  GPT-2 baseline of the same parameter count, measured in the same run.

Importing this package is cheap; names load their module on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EvalConfig": "suite",
    "EvalData": "suite",
    "load_eval_data": "suite",
    "synthetic_eval_data": "suite",
    "run_evaluation": "suite",
    "check_written": "suite",
    "load_system": "systems",
    "random_tunesmith": "systems",
    "default_model_config": "systems",
    "System": "systems",
    "TunesmithSystem": "systems",
    "Gpt2RemiSystem": "systems",
    "tunesmith_nll": "likelihood",
    "baseline_nll": "likelihood",
    "canonical_view": "likelihood",
    "jsb_frame_nll": "likelihood",
    "header_cost_nats": "likelihood",
    "JSB_REFERENCE_FIGURES": "likelihood",
    "fairness_notes": "suite",
    "reference_sources": "suite",
    "build_table": "report",
    "text_summary": "report",
    "render_html": "html",
    "write_html": "html",
    "run_bench": "bench",
    "format_bench": "bench",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
