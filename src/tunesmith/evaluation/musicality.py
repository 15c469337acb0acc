"""Does it sound like its style? Takes and real music side by side on `metrics.musicality`.

    tunesmith evaluate-musicality --model default --model runs/old --per-style 120 --json out.json

For each style, real held-out pieces with a melody (the test split) are the reference. Each
system composes one take per real piece under that piece's own header (key, mode, meter, bar
count capped at `max_bars`, tempo), so "key heard as requested" and "ends on the tonic" mean the
same thing for takes and for the music they are compared with. The figures per set are the
means of the per-piece measures; the classifier two-sample test (`metrics.c2st`, a fresh
logistic classifier on per-piece features, cross-validated) gives the held-out accuracy of
telling the takes from the real pieces, beside real-vs-real (two random halves of the real set).
The classifier compares each take with its real piece's first bars, as many as the take has
(`length_matched`): its features count notes and pitches, so a 32-bar take against a whole
77-bar POP909 song was told apart by its length (note count 100 against 281, session 31).
`c2st_whole_real` keeps the figure against the whole pieces, as reported before.

`task="continue"` measures co-creation instead: each real piece's first half (of its first
`max_bars` bars; melody and chord symbols, or a chorale's four voices) is given to
`cocreate.continue_piece`, which writes the other half; the whole result is measured.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tunesmith.metrics import musicality as mm
from tunesmith.score import STYLES, Piece

MEASURES = {
    "mean_abs_interval": mm.mean_abs_interval,
    "leap_share": mm.leap_share,
    "opening_leap_share": mm.opening_leap_share,
    "stepwise_share": mm.stepwise_share,
    "rocking_share": mm.rocking_share,
    "repeated_bar_share": mm.repeated_bar_share,
    "rests_per_8_bars": mm.rests_per_8_bars,
    "key_heard": mm.key_heard,
    "home_key_share": mm.home_key_share,
    "ends_on_tonic": mm.ends_on_tonic,
    "ends_on_estimated_tonic": mm.ends_on_estimated_tonic,
    "chord_tone_share": mm.chord_tone_share,
}


@dataclass
class MusicalityConfig:
    per_style: int = 120  # real pieces (and takes) per style
    max_bars: int = 32
    seed: int = 0
    folds: int = 5
    temperature: float | None = None  # None: the request's default
    top_p: float | None = None
    task: str = "compose"  # or "continue": the second half written after the real first half
    # also say what the classifier tells each system's takes from the real pieces by
    # (`metrics.c2st.explain`: each group of features alone and without it, the features that differ most)
    explain: bool = False

    def __post_init__(self) -> None:
        if self.per_style < 4:
            raise ValueError("per_style must be at least 4")
        if not 1 <= self.max_bars <= 64:
            raise ValueError("max_bars must be in 1..64")
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}, got {self.task!r}")
        if not isinstance(self.explain, bool):
            raise ValueError(f"explain must be true or false, got {self.explain!r}")


TASKS = ("compose", "continue")


def _has_melody(p: Piece) -> bool:
    m = p.melody()
    return m is not None and len(m.notes) >= 8


def as_a_take_has(piece: Piece, style: str) -> Piece:
    """The real piece as a take of its style is written: a lead sheet's melody and chord symbols
    (POP909 songs also carry a bridge and a piano part, which a melody-only take lacks: with them
    music21 heard the key of 0.835 of the test songs, from the melody alone 0.684), a chorale's
    four voices. A shallow copy when tracks are dropped, else the piece itself."""
    import copy

    if style == "chorale":
        return piece
    melody = piece.melody()
    if melody is None or len([t for t in piece.tracks if not t.is_drum]) <= 1:
        return piece
    out = copy.copy(piece)
    out.tracks = [melody]
    return out


def real_pieces(test: dict[str, list[Piece]], style: str, n: int, seed: int) -> list[Piece]:
    """Up to `n` held-out pieces of `style` that have a melody and a key, in a fixed random order,
    each as a take has it (`as_a_take_has`)."""
    pool = [p for p in test.get(style, []) if _has_melody(p)]
    rng = random.Random(f"musicality:{style}:{seed}")
    rng.shuffle(pool)
    out = []
    for p in pool:
        if p.key is None:
            from tunesmith.harmony import estimate_key

            p.keys = [estimate_key(p)]
        out.append(as_a_take_has(p, style))
        if len(out) >= n:
            break
    return out


def length_matched(reals: Sequence[Piece], style: str, max_bars: int) -> list[Piece]:
    """Each real piece cut to the bars a take composed under its header has (`request_for`: at
    most `max_bars`), for the classifier: its features count notes and pitches, so a whole song
    against a 32-bar take is told apart by length alone. Pieces that fit are kept as they are."""
    return [first_bars(p, max_bars, chorale=style == "chorale") if len(p.bars()) > max_bars else p for p in reals]


def request_for(piece: Piece, style: str, max_bars: int, seed: int, **overrides: Any):
    """A compose request with the real piece's header (what the take is compared against)."""
    from tunesmith.sampling import ComposeRequest
    from tunesmith.tokenizer import METERS, spell_name

    ts = piece.time_signature
    meter = f"{ts.numerator}/{ts.denominator}"
    if meter not in METERS:
        meter = "4/4"
    key = piece.key
    mode = (key.mode or "major").lower() if key else "major"
    mode = mode if mode in ("major", "minor", "dorian", "mixolydian", "aeolian", "lydian", "phrygian", "locrian") else "major"
    bars = max(4, min(max_bars, len(piece.bars()) or 8))
    return ComposeRequest(
        style=style,
        key=spell_name(key.tonic) if key else "C",
        mode=mode,
        meter=meter,
        bars=bars,
        tempo=min(400.0, max(20.0, piece.tempo)),
        seed=seed,
        **overrides,
    )


def measure(pieces: Sequence[Piece]) -> dict[str, float]:
    out = {}
    for name, fn in MEASURES.items():
        vals = np.array([fn(p) for p in pieces], dtype=float)
        vals = vals[np.isfinite(vals)]
        out[name] = float(vals.mean()) if len(vals) else math.nan
    return out


def compose_like(
    system_model,
    tokenizer,
    reals: Sequence[Piece],
    style: str,
    config: MusicalityConfig,
    requests: list | None = None,
    **overrides: Any,
) -> list[Piece]:
    """One take per real piece under its header; `overrides` go into every ComposeRequest
    (e.g. form="", cadence="free": the first-generation composer's behaviour). `requests`: a
    list that receives the request of every take (to check the controls afterwards)."""
    from tunesmith.sampling import generate
    from tunesmith.sampling.decode import finish_composed_takes

    takes = []
    for i, p in enumerate(reals):
        req = request_for(p, style, config.max_bars, config.seed * 100_003 + i, **overrides)
        got = generate(system_model, tokenizer, req, n=1, temperature=config.temperature, top_p=config.top_p)
        finish_composed_takes(got, req, system_model)  # as a user gets them: the chords, the chorale voices
        takes.append(got[0].piece)
        if requests is not None:
            requests.append(req)
    return takes


def first_bars(piece: Piece, k: int, *, chorale: bool = False) -> Piece:
    """The piece's first `k` bars: its melody (a chorale: its four voices) and chord symbols,
    cut at bar k's line (notes held over it shortened)."""
    import copy
    import dataclasses

    from tunesmith.score import Track

    bars = piece.bars()
    end = bars[k] if k < len(bars) else piece.duration()
    tracks = piece.tracks[:4] if chorale else [piece.melody()]
    out = copy.deepcopy(piece)
    out.tracks = [
        Track(t.name, t.role, t.program, t.is_drum,
              [dataclasses.replace(n, duration=min(n.duration, end - n.onset)) for n in t.notes if n.onset < end - 1e-6])
        for t in tracks
    ]  # fmt: skip
    out.chords = [c for c in piece.chords if c.onset < end - 1e-6]
    out.bar_onsets = list(bars[:k])
    out.end = end
    return out


def continue_like(
    system_model, tokenizer, reals: Sequence[Piece], style: str, config: MusicalityConfig, **overrides: Any
) -> list[Piece]:
    """Per real piece (its first `max_bars` bars), its first half given and the rest written by
    `cocreate.continue_piece` (`overrides`: its keyword arguments, e.g. temperature=1.0,
    cadence="free"; reprise="half": the first half of the new bars restates the given opening);
    pieces co-create refuses are skipped."""
    from tunesmith import cocreate

    out = []
    for i, p in enumerate(reals):
        total = max(4, min(config.max_bars, len(p.bars()) or 8))
        half = total // 2
        given = first_bars(p, half, chorale=style == "chorale")
        kw = {"temperature": config.temperature, "top_p": config.top_p, **overrides}
        if kw.get("reprise") == "half":
            first = 1 if p.bars() and p.bars()[0] > 1e-6 else 0  # a pickup is not restated
            kw["reprise"] = max(0, min((total - half) // 2, half - first - 1))
        try:
            take = cocreate.continue_piece(system_model, tokenizer, given, total - half, style=style,
                                           seed=config.seed * 100_003 + i, **kw)[0]  # fmt: skip
        except ValueError:
            continue
        out.append(take.piece)
    return out


def c2st_explained(real: Sequence[Piece], other: Sequence[Piece], folds: int, seed: int) -> dict[str, Any] | None:
    """`metrics.c2st.explain` of the classifier that `c2st_accuracy` reports (None where the sets are
    too small for it)."""
    from tunesmith.metrics.c2st import explain

    k = min(folds, len(real), len(other))
    return explain(real, other, folds=k, seed=seed) if k >= 2 else None


def c2st_accuracy(real: Sequence[Piece], other: Sequence[Piece], folds: int, seed: int) -> float:
    from tunesmith.metrics.c2st import c2st

    k = min(folds, len(real), len(other))
    if k < 2:
        return math.nan
    return float(c2st(real, other, folds=k, seed=seed)["accuracy"])


def musicality_report(
    systems: dict[str, tuple],
    test: dict[str, list[Piece]],
    config: MusicalityConfig,
    styles: Sequence[str] = STYLES,
    progress: bool = True,
) -> dict[str, Any]:
    """{style: {"real": measures, "real_vs_real": c2st, system: {measures..., "c2st": acc}}}.

    `systems`: {name: (model, tokenizer[, request overrides])}."""
    report: dict[str, Any] = {"config": config.__dict__, "styles": {}}
    for style in styles:
        reals = real_pieces(test, style, config.per_style, config.seed)
        if len(reals) < 4:
            report["styles"][style] = {"note": f"only {len(reals)} held-out {style} pieces with a melody"}
            continue
        cut = length_matched(reals, style, config.max_bars)  # what the classifier compares takes with
        row: dict[str, Any] = {
            "n_real": len(reals),
            "real": measure(reals),  # the measures: whole pieces (their endings are the pieces' own)
            "real_vs_real_c2st": c2st_accuracy(cut[::2], cut[1::2], config.folds, config.seed),
        }
        for name, (model, tok, *rest) in systems.items():
            overrides = rest[0] if rest else {}
            if progress:
                print(f"[musicality] {style}: composing {len(reals)} takes with {name}", flush=True)
            if config.task == "continue":
                takes = continue_like(model, tok, reals, style, config, **overrides)
            else:
                takes = compose_like(model, tok, reals, style, config, **overrides)
            row[name] = {**measure(takes), "c2st": c2st_accuracy(cut, takes, config.folds, config.seed),
                         "c2st_whole_real": c2st_accuracy(reals, takes, config.folds, config.seed),
                         "n_takes": len(takes)}  # fmt: skip
            if config.explain:
                row[name]["c2st_explained"] = c2st_explained(cut, takes, config.folds, config.seed)
        report["styles"][style] = row
    return report


def pooled_report(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Several seeds' reports as one: every figure the mean over the seeds, and `row["sd"]` the
    standard deviation beside it (same keys). One seed's figure moves a lot: the jazz takes' key
    heard on the 67 test songs read 0.537 at seed 0 and 0.791 at seed 1."""
    first = reports[0]
    out: dict[str, Any] = {"config": {**first["config"], "seed": None, "seeds": [r["config"]["seed"] for r in reports]},
                           "styles": {}}  # fmt: skip
    for style, row in first["styles"].items():
        rows = [r["styles"][style] for r in reports]
        if "note" in row:
            out["styles"][style] = row
            continue

        def stat(get, fn, rows=rows):
            return float(fn([get(r) for r in rows]))

        pooled: dict[str, Any] = {"n_real": row["n_real"]}
        sd: dict[str, Any] = {}
        pooled["real_vs_real_c2st"] = stat(lambda r: r["real_vs_real_c2st"], np.mean)
        sd["real_vs_real_c2st"] = stat(lambda r: r["real_vs_real_c2st"], np.std)
        for name in [k for k in row if k not in ("n_real", "real_vs_real_c2st")]:
            keys = [k for k, v in row[name].items() if isinstance(v, int | float) and not isinstance(v, bool)]
            pooled[name] = {k: stat(lambda r, k=k, name=name: r[name][k], np.mean) for k in keys}
            sd[name] = {k: stat(lambda r, k=k, name=name: r[name][k], np.std) for k in keys}
            explained = [r[name].get("c2st_explained") for r in rows]
            if all(explained):
                pooled[name]["c2st_explained"] = pooled_explanations(explained)
        pooled["sd"] = sd
        out["styles"][style] = pooled
    return out


def pooled_explanations(explained: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Several seeds' `c2st_explained` as one. Each group's accuracies: their mean over the seeds.
    Each feature that any seed lists among its largest differences: its d and means averaged over
    the seeds that list it, and `seeds`, how many do; sorted by that count, then by |d|."""
    groups = {g: {k: float(np.mean([e["groups"][g][k] for e in explained])) for k in ("alone", "without")}
              for g in explained[0]["groups"]}  # fmt: skip
    by_feature: dict[str, list[dict[str, Any]]] = {}
    for e in explained:
        for d in e["differences"]:
            by_feature.setdefault(d["feature"], []).append(d)
    differences = [{"feature": f, "d": float(np.mean([x["d"] for x in ds])),
                    "real": float(np.mean([x["real"] for x in ds])),
                    "generated": float(np.mean([x["generated"] for x in ds])), "seeds": len(ds)}
                   for f, ds in by_feature.items()]  # fmt: skip
    differences.sort(key=lambda d: (-d["seeds"], -abs(d["d"])))
    out = {"groups": groups, "differences": differences}
    if all("accuracy" in e for e in explained):
        out["accuracy"] = float(np.mean([e["accuracy"] for e in explained]))
    return out


def explanation_lines(system: str, explained: dict[str, Any], shown: int = 5) -> list[str]:
    """Two lines: the groups of features the classifier does best on alone, and the features
    whose means differ most (real against takes)."""
    groups = sorted(explained["groups"].items(), key=lambda kv: -kv[1]["alone"])[:3]
    told = ", ".join(f"{g} {v['alone']:.3f}" for g, v in groups)
    diffs = "; ".join(f"{d['feature']} (d {d['d']:+.2f}: real {d['real']:.3f}, takes {d['generated']:.3f})"
                      for d in explained["differences"][:shown])  # fmt: skip
    return [f"- {system}: told apart best by (accuracy on that group alone) {told}",
            f"- {system}: the features that differ most: {diffs}"]  # fmt: skip


def format_table(report: dict[str, Any]) -> str:
    """A markdown table: one row per style and measure, a column per system and real (a pooled
    report's cells: mean ± standard deviation over its seeds)."""
    lines = []
    seeds = report.get("config", {}).get("seeds")
    for style, row in report["styles"].items():
        if "note" in row:
            lines.append(f"{style}: {row['note']}")
            continue
        sd = row.get("sd")

        def cell(value: float, spread: float | None) -> str:
            return f"{value:.3f}" if spread is None else f"{value:.3f} ± {spread:.3f}"

        systems = [k for k in row if k not in ("n_real", "real", "real_vs_real_c2st", "sd")]
        over = f", mean ± sd over seeds {', '.join(map(str, seeds))}" if seeds else ""
        lines.append(f"\n{style} ({row['n_real']} real pieces{over})\n")
        lines.append("| measure | " + " | ".join(systems) + " | real |")
        lines.append("|---|" + "---|" * (len(systems) + 1))
        lines.append(
            "| C2ST accuracy (0.5 = cannot tell) | "
            + " | ".join(cell(row[s]["c2st"], sd[s]["c2st"] if sd else None) for s in systems)
            + f" | {cell(row['real_vs_real_c2st'], sd['real_vs_real_c2st'] if sd else None)} (real vs real) |"
        )
        if all("c2st_whole_real" in row[s] for s in systems):  # (reports from before session 31 lack it)
            lines.append("| C2ST against whole real pieces (lengths unmatched) | "
                         + " | ".join(cell(row[s]["c2st_whole_real"], sd[s]["c2st_whole_real"] if sd else None)
                                      for s in systems) + " | |")  # fmt: skip
        for m in MEASURES:
            lines.append(f"| {m} | " + " | ".join(cell(row[s][m], sd[s][m] if sd else None) for s in systems)
                         + f" | {cell(row['real'][m], sd['real'][m] if sd else None)} |")  # fmt: skip
        explained = [(s, row[s]["c2st_explained"]) for s in systems if row[s].get("c2st_explained")]
        if explained:
            lines.append("")
        for s, e in explained:
            lines += explanation_lines(s, e)
    return "\n".join(lines)
