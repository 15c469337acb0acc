"""The evaluation suite: generate under random requests, compare with held-out real music.

    from tunesmith.evaluation import EvalConfig, load_eval_data, load_system, run_evaluation
    model = load_system("default")
    data = load_eval_data()                       # the cached corpus: test split + train split
    result = run_evaluation(model, data, EvalConfig(samples=200, seed=0))

For each style, and for the model (and the `compare` system if given):

1. samples: `config.samples` pieces composed under random requests (`evaluation.requests`),
   `per_request` takes per request;
2. constraints, re-checked from the WRITTEN files: each sample is written as MIDI and (the
   first `xml_max` per style and system, default 50: music21's MusicXML export costs about a
   second a file) as MusicXML, read back with `tunesmith.inputs.read_file`, and every check of
   `metrics.constraints` is run on what was read (style excepted: files do not record it);
   share of samples passing all checks, per format, and the share failing each check. This runs
   in `workers` background processes while the rest of the suite goes on;
3. sample statistics against held-out real pieces of the same style (test split, at most
   `real_max`, pieces with at least `MIN_NOTES` notes): MusPy metrics per piece (mean, std,
   and the overlapping area of the generated and real distributions), Yang & Lerch relative
   measures (OA, KLD per feature), RL Tuner statistics (32-step compositions, as the paper)
   beside the paper's Note RNN column, C2ST accuracy (real vs generated);
4. memorization: each sample's longest run (notes) found in the TRAINING split (all styles),
   shares >= 8 and >= 16 notes, matched work ids;
5. likelihood: held-out NLL on the test split (canonical views, see `evaluation.likelihood`);
   the scored figures are whole-piece ("joint") NLLs, tunesmith's header priced under a
   uniform prior, so that an unconditioned baseline is not behind by construction.

Fairness against a system without controls (the GPT-2 + REMI baseline, `takes_controls`
False): it is asked only for the number of bars. Its constraint checks are run and kept in
the JSON (`constraints.compare`, with "scored": false) but NOT scored: the table shows
"n/a (no controls)" and gives no verdict. It cannot be asked for a style either, so its
per-style statistics compare one style-blind sample set with each style's real set; the
report says so (`header.fairness`). Keys for the RL Tuner statistics are estimated from its
notes (tunesmith's samples use the requested key).

The real column is the human baseline: its statistics; Yang-Lerch and C2ST between two random
halves of the real set (what "indistinguishable" looks like at this sample size); the
memorization of held-out real pieces against the training set.
"""

from __future__ import annotations

import math
import os
import platform
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.paths import shown_path
from tunesmith.score import STYLES, Piece

FORMAT = "tunesmith-evaluation"
VERSION = 1
MIN_NOTES = 8  # real pieces with fewer notes (chord-only progressions) are not music to compare with
SCALAR_FEATURES = ("pitch_count", "pitch_range", "avg_pitch_interval", "note_count", "avg_ioi")
CHECK_FORMATS = ("midi", "musicxml")


@dataclass
class EvalConfig:
    samples: int = 200  # generated pieces per style and system
    styles: list[str] = field(default_factory=lambda: list(STYLES))
    seed: int = 0
    per_request: int = 8  # takes per request (decoded as one batch)
    real_max: int = 200  # held-out real pieces per style (seeded subsample)
    likelihood_max: int | None = 200  # test pieces per style scored for NLL (None: all)
    formats: tuple[str, ...] = CHECK_FORMATS  # files written and re-read for the constraint checks
    xml_max: int | None = 50  # samples per style and system also checked through MusicXML (None: all)
    workers: int = 2  # processes for writing/re-reading files (0: in this process)
    jsb: bool = True  # JSB chorales frame-level NLL
    jsb_path: str | None = None
    c2st_folds: int = 5
    yl_max: int | None = 200  # pieces per set for the Yang-Lerch distances (quadratic cost)
    out_dir: str | None = None  # where the checked files go (default: a temporary folder, removed)
    progress: bool = True

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise ValueError(f"samples must be at least 1, got {self.samples}")
        unknown = [s for s in self.styles if s not in STYLES]
        if unknown or not self.styles:
            raise ValueError(f"unknown style(s) {unknown}; choose among {', '.join(STYLES)}")
        bad = [f for f in self.formats if f not in CHECK_FORMATS]
        if bad:
            raise ValueError(f"unknown format(s) {bad}; one of {CHECK_FORMATS}")


@dataclass
class EvalData:
    """Held-out real pieces per style (the test split) and the training pieces (memorization)."""

    test: dict[str, list[Piece]]
    train: list[Piece]
    source: dict[str, Any] = field(default_factory=dict)


def load_eval_data(corpus_dir: str | Path | None = None, styles: Iterable[str] = STYLES) -> EvalData:
    """Test and train splits of the cached corpus (`tunesmith corpus build` first)."""
    from tunesmith.corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    styles = list(styles)
    test = {s: list(corpus.filter(split="test", style=s)) for s in styles}
    train = list(corpus.filter(split="train"))
    return EvalData(
        test=test,
        train=train,
        source={
            "kind": "corpus",
            "path": shown_path(getattr(corpus, "path", "") or corpus_dir or ""),  # no machine path in the report
            "created": corpus.manifest.get("created", ""),
            "test_split": "test",
            "memorization_index": "train split, all styles",
        },
    )


def synthetic_eval_data(n: int = 160, seed: int = 0) -> EvalData:
    """Synthetic pieces (`solvers.train.synthetic_pieces`) split by their own split field: for
    smoke runs without a corpus."""
    from tunesmith.solvers.train import synthetic_pieces

    pieces = synthetic_pieces(n, seed=seed)
    test: dict[str, list[Piece]] = {s: [] for s in STYLES}
    for p in pieces:
        if p.split in ("test", "valid"):
            test[p.style].append(p)
    return EvalData(test=test, train=[p for p in pieces if p.split == "train"], source={"kind": "synthetic", "n": n})


# ------------------------------------------------------------------ helpers
def _progress(iterable: Iterable[Any], enabled: bool, **kw: Any) -> Iterable[Any]:
    if not enabled:
        return iterable
    from tunesmith.progress import progress_bar

    return progress_bar(iterable, leave=False, **kw)


def _with_key(piece: Piece) -> Piece:
    """The piece with an estimated key when it has none (the RL Tuner statistics need one)."""
    if piece.key is None and piece.n_notes:
        from tunesmith.harmony import estimate_key

        piece.keys = [estimate_key(piece)]
    return piece


def _finite_mean(values: Sequence[float]) -> float:
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if len(a) else math.nan


def _finite_std(values: Sequence[float]) -> float:
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.std()) if len(a) else math.nan


def _subsample(items: Sequence[Any], k: int | None, rng: random.Random) -> list[Any]:
    items = list(items)
    if k is None or len(items) <= k:
        return items
    return [items[i] for i in sorted(rng.sample(range(len(items)), k))]


def _halves(items: Sequence[Piece], seed: int) -> tuple[list[Piece], list[Piece]]:
    idx = list(range(len(items)))
    random.Random(f"halves:{seed}").shuffle(idx)
    mid = len(idx) // 2
    return [items[i] for i in idx[:mid]], [items[i] for i in idx[mid:]]


# ------------------------------------------------------------------ constraint checks on written files
def check_written(piece: Piece, request: dict[str, Any], stem: str, formats: Sequence[str]) -> dict[str, Any]:
    """Write `piece` in each format to `stem`.<ext>, read it back with `inputs.read_file`, and
    run every `metrics.constraints` check on what was read. One result per format:
    {"ok", "failed": [check names], "violations": [first messages], "seconds"}."""
    from tunesmith.inputs import read_file
    from tunesmith.metrics.constraints import CHECKS
    from tunesmith.outputs import write_midi, write_musicxml

    out: dict[str, Any] = {}
    for fmt in formats:
        path = Path(f"{stem}.{'mid' if fmt == 'midi' else 'musicxml'}")
        t0 = time.perf_counter()
        try:
            if fmt == "midi":
                write_midi(piece, path)
            else:
                write_musicxml(piece, path)
            pieces = read_file(path)
            if not pieces:
                raise ValueError("nothing read back")
            back = pieces[0]
            failed, messages = [], []
            for check in CHECKS:
                v = check(back, request)
                if v:
                    failed.append(check.__name__.removeprefix("check_"))
                    messages.extend(v[:2])
            out[fmt] = {"ok": not failed, "failed": failed, "violations": messages[:4]}
        except Exception as exc:  # a file we cannot write or read back fails every check
            out[fmt] = {"ok": False, "failed": ["write_or_read"], "violations": [f"{type(exc).__name__}: {exc}"[:300]]}
        out[fmt]["seconds"] = time.perf_counter() - t0
    return out


def _check_task(task: tuple[Piece, dict[str, Any], str, tuple[str, ...]]) -> dict[str, Any]:
    piece, request, stem, formats = task
    return check_written(piece, request, stem, formats)


class _Checker:
    """Runs `check_written` tasks in `workers` background processes while the caller goes on
    (composing, statistics); `results()` waits for them. workers=0: run them in `results()`."""

    def __init__(self, workers: int) -> None:
        self.pool = None
        if workers and workers > 0:
            import multiprocessing

            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        self.items: list[Any] = []

    def submit(self, task: tuple) -> None:
        self.items.append(self.pool.submit(_check_task, task) if self.pool is not None else task)

    def results(self, progress: bool) -> list[dict[str, Any]]:
        bar = _progress(self.items, progress, desc="write + re-read + check", unit="file")
        try:
            if self.pool is not None:
                return [f.result() for f in bar]
            return [_check_task(t) for t in bar]
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def summarize_checks(results: Sequence[dict[str, Any]], formats: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fmt in formats:
        rows = [r[fmt] for r in results if fmt in r]
        if not rows:
            continue
        failed = Counter(name for r in rows for name in r["failed"])
        out[fmt] = {
            "n": len(rows),
            "all_satisfied": sum(r["ok"] for r in rows) / len(rows),
            "failed_share": {k: v / len(rows) for k, v in sorted(failed.items())},
            "examples": [m for r in rows for m in r["violations"]][:8],
            "seconds_per_file": float(np.mean([r["seconds"] for r in rows])),
        }
    return out


# ------------------------------------------------------------------ statistics of one set
def set_statistics(pieces: Sequence[Piece]) -> dict[str, Any]:
    """Per-piece MusPy metrics and scalar Yang-Lerch features of a set: values, mean, std."""
    from tunesmith.metrics import yang_lerch as yl
    from tunesmith.metrics.muspy_metrics import muspy_metrics

    values: dict[str, list[float]] = {}
    for p in pieces:
        for k, v in muspy_metrics(p).items():
            values.setdefault(f"muspy.{k}", []).append(float(v))
        feats = yl.extract_features(p)
        for k in SCALAR_FEATURES:
            values.setdefault(f"yl.{k}", []).append(float(feats[k]))
    return {
        "values": values,
        "mean": {k: _finite_mean(v) for k, v in values.items()},
        "std": {k: _finite_std(v) for k, v in values.items()},
    }


def distribution_overlap(a: Sequence[float], b: Sequence[float]) -> float:
    """Overlapping area of the two samples' Gaussian KDEs (Yang & Lerch's OA), NaN when a
    sample has fewer than two finite values; 1.0 for two identical constant samples."""
    from tunesmith.metrics.yang_lerch import overlapping_area

    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if len(x) < 2 or len(y) < 2:
        return math.nan
    if np.ptp(np.concatenate([x, y])) == 0:
        return 1.0
    try:
        return float(overlapping_area(x, y))
    except (ValueError, FloatingPointError, np.linalg.LinAlgError):
        return math.nan


def _c2st(real: Sequence[Piece], other: Sequence[Piece], folds: int, seed: int) -> dict[str, Any]:
    """`metrics.c2st`'s test, and what its classifier tells the sets apart by (`explain`)."""
    from tunesmith.metrics.c2st import c2st, explain

    m = min(len(real), len(other))
    k = min(folds, m)
    if k < 2:
        return {"accuracy": math.nan, "p_value": math.nan, "folds": k, "note": "too few pieces"}
    out = dict(c2st(real, other, folds=k, seed=seed))
    out["folds"] = k
    out["explained"] = explain(real, other, folds=k, seed=seed, top=5)
    return out


def _relative(real: Sequence[Piece], other: Sequence[Piece], max_pieces: int | None, seed: int) -> dict[str, Any]:
    from tunesmith.metrics.yang_lerch import relative_measures

    if len(real) < 2 or not other:
        return {}
    with np.errstate(all="ignore"):
        try:
            return relative_measures(real, other, max_pieces=max_pieces, seed=seed)
        except (ValueError, np.linalg.LinAlgError):
            return {}


def _memorization(pieces: Sequence[Piece], index: Any) -> dict[str, Any]:
    from tunesmith.metrics.memorization import memorization_report

    if not pieces:
        return {}
    rep = memorization_report(pieces, index)
    runs = [r["longest_run"] for r in rep["pieces"]]
    worst = sorted(rep["pieces"], key=lambda r: -r["longest_run"])[:5]
    return {
        "mean_longest_run": float(np.mean(runs)),
        "median_longest_run": float(np.median(runs)),
        "max_longest_run": int(max(runs)),
        "share_ge_8": rep["share_ge_8"],
        "share_ge_16": rep["share_ge_16"],
        "longest_runs": runs,
        "top_matches": [
            {"piece_id": r["piece_id"], "longest_run": r["longest_run"], "work_ids": r["work_ids"][:10]} for r in worst
        ],
        "matched_work_ids_ge_16": sorted({w for r in rep["pieces"] if r["longest_run"] >= 16 for w in r["work_ids"]}),
    }


def _rl_tuner(pieces: Sequence[Piece]) -> dict[str, float]:
    from tunesmith.metrics.rl_tuner import rl_tuner_stats

    keyed = [p for p in pieces if p.key is not None and p.n_notes]
    if not keyed:
        return {}
    with np.errstate(all="ignore"):
        return rl_tuner_stats(keyed, segment_steps=32)


# ------------------------------------------------------------------ what the report must say
def fairness_notes(model: Any, compare: Any | None, data_source: dict[str, Any] | None = None) -> list[str]:
    """The choices that keep the comparison from favouring tunesmith by construction, in words
    (the report prints them above the table), and a warning when a tunesmith model was trained
    from another corpus cache than the one evaluated."""
    notes = [
        "Likelihood: the scored rows ('NLL per note', 'NLL per bar') are whole-piece NLLs. tunesmith is "
        "scored given its header (style, key, meter, tempo, bars...), so the header's cost under a uniform "
        "prior is added (about 18.7 nats a piece, pessimistic for tunesmith); the header-given figures are "
        "shown for reference only (no verdict).",
        "The real (held-out) column is the test split of the corpus; Yang-Lerch and C2ST 'real' values "
        "compare two random halves of it (what indistinguishable looks like at this sample size).",
    ]
    evaluated = str((data_source or {}).get("path") or "")
    for name, system in (("model", model), ("compare", compare)):
        trained_on = str(((getattr(system, "info", None) or {}).get("training") or {}).get("corpus") or "")
        if system is not None and evaluated and trained_on and Path(trained_on).name != Path(evaluated).name:
            notes.append(
                f"Data: the {name} system was trained from corpus cache {shown_path(trained_on)}, this evaluation "
                f"reads {shown_path(evaluated)} (rebuilt since). Splits are by work with a fixed seed, so its test split should "
                "still be unseen, but the likelihood and memorization figures rely on that: check before citing."
            )
        if system is not None and not getattr(system, "takes_controls", True):
            notes += [
                f"Constraints: the {name} system ({system.label}) has no controls (it cannot be asked for a key, "
                "meter, tempo, range or chords), so its constraint rows read 'n/a (no controls)' and get no "
                "verdict. How often its output happens to satisfy the request it never saw is kept in the JSON "
                "(constraints.<name>.<format>, scored: false).",
                f"Style: the {name} system ({system.label}) cannot be asked for a style; it is asked only for the "
                "number of bars. Its per-style rows compare ONE style-blind sample set with each style's real set, "
                "which is against it by construction: read its per-style verdicts with that in mind.",
                f"Keys: the {name} system's samples carry no key, so the RL Tuner statistics (notes not in key, "
                "starting with the tonic) use a key estimated from their notes; tunesmith's use the requested key.",
            ]
    return notes


def reference_sources() -> dict[str, Any]:
    """Where each published reference figure in the report comes from, and whether it was
    checked against a public copy of the paper ("verified")."""
    from tunesmith.evaluation.likelihood import JSB_REFERENCE_FIGURES
    from tunesmith.metrics.rl_tuner import RL_TUNER_PAPER_SOURCE

    return {"rl_tuner_note_rnn": dict(RL_TUNER_PAPER_SOURCE), "jsb": [dict(x) for x in JSB_REFERENCE_FIGURES]}


# ------------------------------------------------------------------ the run
def run_evaluation(
    model: Any,
    data: EvalData,
    config: EvalConfig | None = None,
    compare: Any | None = None,
) -> dict[str, Any]:
    """Run the whole suite; returns a JSON-ready dict (see `report.REPORT_KEYS`)."""
    from tunesmith import __version__
    from tunesmith.evaluation.likelihood import canonical_view, jsb_frame_nll
    from tunesmith.evaluation.requests import constraint_request, request_plan
    from tunesmith.metrics.memorization import MemorizationIndex
    from tunesmith.metrics.rl_tuner import RL_TUNER_PAPER_NOTE_RNN

    config = config or EvalConfig()
    t_start = time.perf_counter()
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    timings: dict[str, float] = {}
    systems = [("model", model)] + ([("compare", compare)] if compare is not None else [])
    rng = random.Random(config.seed)

    # real sets
    real: dict[str, list[Piece]] = {}
    for style in config.styles:
        usable = [p for p in data.test.get(style, []) if p.n_notes >= MIN_NOTES]
        real[style] = [_with_key(p) for p in _subsample(usable, config.real_max, rng)]

    # 1. generate; each sample goes to the background checker at once (written, re-read, checked)
    tmp_ctx = tempfile.TemporaryDirectory(prefix="tunesmith-eval-") if config.out_dir is None else None
    out_root = Path(tmp_ctx.name if tmp_ctx else config.out_dir)  # type: ignore[arg-type]
    checker = _Checker(config.workers)
    owners: list[tuple[str, str]] = []
    generated: dict[str, dict[str, list[tuple[Piece, dict[str, Any]]]]] = {s: {} for s in config.styles}
    gen_seconds: dict[str, dict[str, float]] = {s: {} for s in config.styles}
    try:
        for style in config.styles:
            plan = request_plan(style, config.samples, real[style], config.per_request, config.seed)
            for name, system in systems:
                folder = out_root / style / name
                folder.mkdir(parents=True, exist_ok=True)
                rows: list[tuple[Piece, dict[str, Any]]] = []
                t0 = time.perf_counter()
                bar = _progress(plan, config.progress, desc=f"compose {style} ({name})", unit="request")
                for j, (request, k) in enumerate(bar):
                    pieces = system.compose(request, k, seed=config.seed * 100_003 + j)
                    req = constraint_request(request)
                    for p in pieces:
                        i = len(rows)
                        p.piece_id = f"{name}-{style}-{i:04d}"
                        p.work_id = p.piece_id
                        p.style = style
                        rows.append((p, req))
                        formats = tuple(
                            f for f in config.formats if f == "midi" or config.xml_max is None or i < config.xml_max
                        )
                        checker.submit((p, req, str(folder / f"{i:04d}"), formats))
                        owners.append((style, name))
                gen_seconds[style][name] = time.perf_counter() - t0
                generated[style][name] = rows
        timings["generate"] = sum(v for d in gen_seconds.values() for v in d.values())

        # 2. memorization index over the training split
        t0 = time.perf_counter()
        index = MemorizationIndex.build(p for p in data.train if p.n_notes >= 2)
        timings["memorization_index"] = time.perf_counter() - t0

        # 3. statistics per style
        styles_out: dict[str, Any] = {}
        t_stats = time.perf_counter()
        for style in _progress(config.styles, config.progress, desc="statistics", unit="style"):
            t_style = time.perf_counter()
            sets: dict[str, list[Piece]] = {
                name: [_with_key(p) for p, _ in generated[style][name]] for name, _ in systems
            }
            sets["real"] = real[style]
            nonempty = {k: [p for p in v if p.n_notes] for k, v in sets.items()}
            stats = {k: set_statistics(v) for k, v in nonempty.items()}
            real_a, real_b = _halves(real[style], config.seed)
            entry: dict[str, Any] = {
                "n": {k: len(v) for k, v in sets.items()},
                "n_empty": {k: len(sets[k]) - len(nonempty[k]) for k in sets},
                "statistics": {k: {"mean": s["mean"], "std": s["std"]} for k, s in stats.items()},
                "distributions": {k: s["values"] for k, s in stats.items()},
                "overlap_with_real": {
                    name: {
                        m: distribution_overlap(stats[name]["values"][m], stats["real"]["values"].get(m, []))
                        for m in stats[name]["values"]
                    }
                    for name, _ in systems
                },
                "yang_lerch": {
                    name: _relative(real[style], nonempty[name], config.yl_max, config.seed) for name, _ in systems
                },
                "rl_tuner": {k: _rl_tuner(v) for k, v in nonempty.items()},
                "c2st": {
                    name: _c2st(real[style], nonempty[name], config.c2st_folds, config.seed) for name, _ in systems
                },
                "memorization": {k: _memorization(v, index) for k, v in nonempty.items()},
                "compose_seconds_per_piece": {
                    name: gen_seconds[style][name] / max(1, len(generated[style][name])) for name, _ in systems
                },
            }
            entry["yang_lerch"]["real"] = (
                _relative(real_a, real_b, config.yl_max, config.seed) if len(real_a) >= 2 else {}
            )
            entry["c2st"]["real"] = _c2st(real_a, real_b, config.c2st_folds, config.seed)
            entry["rl_tuner"]["paper_note_rnn"] = dict(RL_TUNER_PAPER_NOTE_RNN)
            entry["seconds"] = time.perf_counter() - t_style
            styles_out[style] = entry
        timings["statistics"] = time.perf_counter() - t_stats

        # 4. likelihood on the test split (canonical views, shared by both systems)
        t0 = time.perf_counter()
        for style in _progress(config.styles, config.progress, desc="likelihood", unit="style"):
            pieces = [p for p in data.test.get(style, []) if p.n_notes >= MIN_NOTES]
            pieces = _subsample(pieces, config.likelihood_max, random.Random(f"nll:{config.seed}:{style}"))
            views, refused = [], Counter()
            for p in pieces:
                try:
                    v = canonical_view(p)
                except ValueError as exc:
                    refused[str(exc).split(": ", 1)[-1][:60]] += 1
                    continue
                if v.n_notes:
                    views.append(v)
            lik: dict[str, Any] = {name: (system.nll(views) if views else {}) for name, system in systems}
            lik["pieces"] = {"drawn": len(pieces), "scored": len(views), "refused_by_tokenizer": dict(refused)}
            styles_out[style]["likelihood"] = lik
        timings["likelihood"] = time.perf_counter() - t0

        # 5. JSB chorales, frame level
        jsb: dict[str, Any] = {}
        if config.jsb:
            t0 = time.perf_counter()
            try:
                for name, system in systems:
                    jsb[name] = jsb_frame_nll(system, path=config.jsb_path)
            except FileNotFoundError as exc:
                jsb = {"skipped": f"JSB chorales file not found ({exc})"}
            except Exception as exc:  # the JSB reader's InputError, an odd file
                jsb = {"skipped": f"{type(exc).__name__}: {exc}"}
            timings["jsb"] = time.perf_counter() - t0

        # 6. constraints: collect what the background checker found
        t0 = time.perf_counter()
        results = checker.results(config.progress)
        checks: dict[str, dict[str, list[dict[str, Any]]]] = {s: {n: [] for n, _ in systems} for s in config.styles}
        for (style, name), r in zip(owners, results):
            checks[style][name].append(r)
        for style in config.styles:
            styles_out[style]["constraints"] = {}
            for name, system in systems:
                summary = summarize_checks(checks[style][name], config.formats)
                controls = bool(getattr(system, "takes_controls", True))
                for per_fmt in summary.values():
                    per_fmt["scored"] = controls
                    if not controls:
                        per_fmt["note"] = (
                            "no controls: unconditioned output checked against a request it never saw "
                            "(information only, not scored)"
                        )
                styles_out[style]["constraints"][name] = summary
        timings["constraints_wait"] = time.perf_counter() - t0
    finally:
        checker.close()
        if tmp_ctx is not None:
            tmp_ctx.cleanup()
    timings["total"] = time.perf_counter() - t_start

    header = {
        "model": model.describe(),
        "compare": compare.describe() if compare is not None else None,
        "fairness": fairness_notes(model, compare, data.source),
        "data": {
            "split": "test",
            **data.source,
            "real_per_style": {s: len(real[s]) for s in config.styles},
            "test_pieces_per_style": {s: len(data.test.get(s, [])) for s in config.styles},
            "train_pieces": len(data.train),
            "min_notes": MIN_NOTES,
        },
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()},
        "seed": config.seed,
        "samples_per_style": config.samples,
        "styles": list(config.styles),
        "started": started,
        "timings": timings,
        "tunesmith_version": __version__,
        "host": {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()},
    }
    from tunesmith.evaluation.report import build_table, to_jsonable

    result = {
        "format": FORMAT,
        "version": VERSION,
        "header": header,
        "styles": styles_out,
        "jsb": jsb,
        "references": reference_sources(),
    }
    result["table"] = build_table(result)
    return to_jsonable(result)
