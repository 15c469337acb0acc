"""The evaluation's table (every metric per style, model / compare / real) and JSON helpers.

Each table row says which direction is better, so a reader (and the HTML report) can mark
where the model is ahead of or behind the compare column, and how it stands against the real
(human) column:

- ``higher``: larger is better (overlapping areas, constraint satisfaction);
- ``lower``: smaller is better (NLL per note / bar, KL divergences, memorization, seconds);
- ``match``: closer to the real column is better (means of per-piece statistics, RL Tuner
  statistics); against the real column itself a row can only be on par or off;
- ``half``: closer to 0.5 is better (C2ST accuracy: 0.5 = indistinguishable from real);
- ``info``: no verdict (NLL per token: depends on the tokenization).

A difference within `TOLERANCE` (relative) is a tie.

A cell can also carry a text instead of a number (`<column>_text`, e.g. a compare system with
no controls gets "n/a (no controls)" in the constraint rows), and such a row gets no verdict
against that column. RL Tuner rows carry the paper's Note RNN value (`reference`) and whether
that value was checked against the paper (`reference_status`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

TOLERANCE = 0.02
REPORT_KEYS = ("format", "version", "header", "styles", "jsb", "table", "references")
COLUMNS = ("model", "compare", "real")
NO_CONTROLS = "n/a (no controls)"


def to_jsonable(obj: Any) -> Any:
    """Plain JSON types: numpy scalars/arrays converted, NaN/inf -> None, tuples -> lists."""
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer, int)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        x = float(obj)
        return x if math.isfinite(x) else None
    if isinstance(obj, Path):
        return str(obj)
    return obj


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def verdict(direction: str, ours: float | None, other: float | None, real: float | None = None) -> str | None:
    """ "ahead" / "behind" / "tie" of `ours` against `other` (None when undecidable)."""
    if ours is None or other is None or direction == "info":
        return None
    if direction == "higher":
        d, scale = ours - other, max(abs(ours), abs(other))
    elif direction == "lower":
        d, scale = other - ours, max(abs(ours), abs(other))
    elif direction == "half":
        d, scale = abs(other - 0.5) - abs(ours - 0.5), 0.5
    elif direction == "match":
        if real is None:
            return None
        d = abs(other - real) - abs(ours - real)
        scale = max(abs(real), abs(ours), abs(other))
    else:
        return None
    if abs(d) <= TOLERANCE * max(scale, 1e-12):
        return "tie"
    return "ahead" if d > 0 else "behind"


def verdict_vs_real(direction: str, ours: float | None, real: float | None) -> str | None:
    """Against the human column: for "match" rows only "tie" (on par) or "behind" (off)."""
    if ours is None or real is None or direction == "info":
        return None
    if direction == "match":
        scale = max(abs(real), abs(ours), 1e-12)
        return "tie" if abs(ours - real) <= 5 * TOLERANCE * scale else "behind"
    return verdict(direction, ours, real)


def _row(
    style: str,
    group: str,
    metric: str,
    direction: str,
    values: Mapping[str, Any],
    texts: Mapping[str, str] | None = None,
    **extra: Any,
) -> dict:
    """One table row. `texts` replaces a column's number by a text (and removes the verdicts
    that would use it)."""
    texts = dict(texts or {})
    vals = {c: (None if c in texts else _num(values.get(c))) for c in COLUMNS}
    row = {"style": style, "group": group, "metric": metric, "direction": direction, **vals, **extra}
    for c, text in texts.items():
        row[f"{c}_text"] = text
    row["vs_compare"] = verdict(direction, vals["model"], vals["compare"], vals["real"])
    row["vs_real"] = verdict_vs_real(direction, vals["model"], vals["real"])
    if vals["compare"] is not None:
        row["compare_vs_real"] = verdict_vs_real(direction, vals["compare"], vals["real"])
    return row


def told_apart_by(explained: Mapping[str, Any]) -> str:
    """The group of features the classifier does best on alone, and the feature whose mean differs
    most, as a table cell: "note lengths (NLH) 0.78; NLH 16th 0.219 real, 0.028 here"."""
    group, acc = max(((g, v["alone"]) for g, v in explained["groups"].items()), key=lambda gv: gv[1])
    diffs = explained.get("differences") or []
    most = f"; {diffs[0]['feature']} {diffs[0]['real']:.3f} real, {diffs[0]['generated']:.3f} here" if diffs else ""
    return f"{group} {acc:.2f}{most}"


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, Mapping) or k not in d:
            return None
        d = d[k]
    return d


def build_table(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every metric of every style as rows (see the module docstring)."""
    rows: list[dict[str, Any]] = []
    header = result.get("header") or {}
    no_controls = {c: NO_CONTROLS for c in ("model", "compare") if (header.get(c) or {}).get("takes_controls") is False}
    rl_status = _rl_reference_status(result.get("references") or {})
    for style, s in result.get("styles", {}).items():
        lik = s.get("likelihood", {})
        for key, metric, direction in (
            ("per_note_joint", "NLL per note", "lower"),
            ("per_bar_joint", "NLL per bar", "lower"),
            ("per_note", "NLL per note, header given (reference only)", "info"),
            ("per_bar", "NLL per bar, header given (reference only)", "info"),
            ("per_token", "NLL per token (tokenizer-dependent)", "info"),
        ):
            rows.append(
                _row(
                    style,
                    "likelihood (nats, test split)",
                    metric,
                    direction,
                    {c: _get(lik, c, key) for c in COLUMNS},
                )
            )
        cons = s.get("constraints", {})
        for fmt in ("midi", "musicxml"):
            if any(_get(cons, c, fmt) for c in ("model", "compare")):
                rows.append(
                    _row(
                        style,
                        "constraints (re-read from files)",
                        f"all satisfied ({fmt})",
                        "higher",
                        {c: _get(cons, c, fmt, "all_satisfied") for c in COLUMNS},
                        texts={c: t for c, t in no_controls.items() if _get(cons, c, fmt)},
                    )
                )
        c2 = s.get("c2st", {})
        rows.append(
            _row(
                style,
                "two-sample test",
                "C2ST accuracy (0.5 = indistinguishable)",
                "half",
                {c: _get(c2, c, "accuracy") for c in COLUMNS},
            )
        )
        told = {c: told_apart_by(e) for c in COLUMNS if (e := _get(c2, c, "explained"))}
        if told:  # what the classifier reads (`metrics.c2st.explain`); text, no verdict
            rows.append(_row(style, "two-sample test", "C2ST: told apart most by", "match", {},
                             texts={c: told.get(c, "") for c in COLUMNS}))  # fmt: skip
        yl = s.get("yang_lerch", {})
        features = next((list(v) for v in yl.values() if v), [])
        for f in features:
            rows.append(
                _row(style, "Yang-Lerch vs real", f"OA {f}", "higher", {c: _get(yl, c, f, "oa") for c in COLUMNS})
            )
            rows.append(
                _row(style, "Yang-Lerch vs real", f"KLD {f}", "lower", {c: _get(yl, c, f, "kld") for c in COLUMNS})
            )
        st = s.get("statistics", {})
        ov = s.get("overlap_with_real", {})
        metrics = list(_get(st, "real", "mean") or _get(st, "model", "mean") or {})
        for m in metrics:
            group = "MusPy (per-piece mean)" if m.startswith("muspy.") else "Yang-Lerch features (per-piece mean)"
            name = m.split(".", 1)[1]
            rows.append(_row(style, group, name, "match", {c: _get(st, c, "mean", m) for c in COLUMNS}))
            rows.append(
                _row(
                    style,
                    group,
                    f"{name}: overlap with real",
                    "higher",
                    {"model": _get(ov, "model", m), "compare": _get(ov, "compare", m), "real": None},
                )
            )
        rl = s.get("rl_tuner", {})
        for stat in _get(rl, "paper_note_rnn") or {}:
            rows.append(
                _row(
                    style,
                    "RL Tuner statistics (32-step compositions)",
                    stat,
                    "match",
                    {c: _get(rl, c, stat) for c in COLUMNS},
                    reference=_num(_get(rl, "paper_note_rnn", stat)),
                    reference_status=rl_status,
                )
            )
        mem = s.get("memorization", {})
        for key, label in (
            ("mean_longest_run", "mean longest run in training set (notes)"),
            ("share_ge_8", "share with a run >= 8 notes"),
            ("share_ge_16", "share with a run >= 16 notes"),
        ):
            rows.append(
                _row(style, "memorization (vs train split)", label, "lower", {c: _get(mem, c, key) for c in COLUMNS})
            )
        sec = s.get("compose_seconds_per_piece", {})
        rows.append(
            _row(
                style,
                "speed",
                "compose seconds per piece (in this run, indicative)",
                "lower",
                {c: sec.get(c) for c in COLUMNS},
            )
        )
    return rows


def _rl_reference_status(refs: Mapping[str, Any]) -> str:
    src = refs.get("rl_tuner_note_rnn") or {}
    if not src:
        return "unverified"
    where = f"{src.get('paper', '')} {src.get('url', '')}".strip()
    return f"verified: {where}" if src.get("verified") else f"unverified: {where}"


def scoreboard(table: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per style, how many rows the model is ahead / behind / tied with the compare column."""
    out: dict[str, dict[str, int]] = {}
    for row in table:
        v = row.get("vs_compare")
        if v is None:
            continue
        counts = out.setdefault(row["style"], {"ahead": 0, "behind": 0, "tie": 0})
        counts[v] += 1
    return out


def format_value(x: Any) -> str:
    v = _num(x)
    if v is None:
        return "—"
    a = abs(v)
    if a != 0 and (a >= 1e5 or a < 1e-3):
        return f"{v:.2e}"
    if a >= 100:
        return f"{v:.1f}"
    return f"{v:.3f}"


def text_summary(result: Mapping[str, Any]) -> str:
    """A few headline lines per style, for the terminal."""
    h = result["header"]
    lines = [
        f"model: {h['model']['label']}  ({h['model']['path']}, sha256 {str(h['model']['sha256'])[:12]})",
    ]
    if h.get("compare"):
        lines.append(f"compare: {h['compare']['label']}  ({h['compare']['path']})")
    lines.append(
        f"seed {h['seed']}, {h['samples_per_style']} samples per style, real = {h['data'].get('split', 'test')} split; "
        f"total {h['timings']['total']:.1f} s"
    )
    wanted = (
        "NLL per note",
        "all satisfied (midi)",
        "all satisfied (musicxml)",
        "C2ST accuracy (0.5 = indistinguishable)",
        "share with a run >= 16 notes",
    )
    cols = ["model"] + (["compare"] if h.get("compare") else []) + ["real"]
    for style in h["styles"]:
        lines.append(f"[{style}]")
        for row in result["table"]:
            if row["style"] == style and row["metric"] in wanted:
                vals = "  ".join(f"{c} {row.get(f'{c}_text') or format_value(row.get(c))}" for c in cols)
                mark = f"  ({row['vs_compare']})" if row.get("vs_compare") else ""
                lines.append(f"  {row['metric']:<42} {vals}{mark}")
    jsb = result.get("jsb") or {}
    for name in ("model", "compare"):
        if isinstance(jsb.get(name), Mapping):
            a = jsb[name]["all"]
            lines.append(
                f"JSB test ({name}): {format_value(a.get('nats_per_frame_joint'))} nats/frame, "
                f"{format_value(a.get('nats_per_frame_voice_joint'))} nats/frame-voice (whole piece) over "
                f"{a['n_chorales']} chorales"
            )
    return "\n".join(lines)
