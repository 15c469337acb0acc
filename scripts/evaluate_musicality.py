"""Musicality side by side: real held-out music, and takes of one or more models under the
real pieces' own headers (see `tunesmith.evaluation.musicality`).

    python scripts/evaluate_musicality.py --model new=default --model old=runs/old-default \
        --per-style 120 --json runs/musicality.json

`--real folk=DIR[,FILE...]`: that style's real pieces are read from those files instead of the
split (music the project has never seen; issue #9 will measure takes against such music).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

from tunesmith.evaluation.musicality import MusicalityConfig, format_table, musicality_report, pooled_report
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES

# ":option" suffixes of --model and the request fields they set
MODEL_OPTIONS = {
    # the first-generation composer: no form, no cadence, its own chords, no tonal feedback
    "legacy": {"form": "", "cadence": "free", "chords_from": "model", "tonal_feedback": 0.0, "rhythm_feedback": 0.0,
               "interval_feedback": 0.0},
    "chords-harmonizer": {"chords_from": "harmonizer"},
    "chords-model": {"chords_from": "model"},
    "no-tonal-feedback": {"tonal_feedback": 0.0},
    "no-rhythm-feedback": {"rhythm_feedback": 0.0},
    "no-interval-offsets": {"interval_feedback": 0.0},
    "no-modulation": {"modulation": "none"},  # a chorale that stays in its key
    "no-pickup": {"pickup": 0.0},  # every take starts on the downbeat (as before the pickups were drawn)
}
# --task continue: keyword arguments of cocreate.continue_piece
CONTINUE_OPTIONS = {
    # co-create as it was before it sampled like compose: temperature 1, top-p 0.95, no feedback,
    # no closing cadence
    "legacy": {"temperature": 1.0, "top_p": 0.95, "tonal_feedback": 0.0, "rhythm_feedback": 0.0, "cadence": "free",
               "reprise": 0},
    "no-tonal-feedback": {"tonal_feedback": 0.0},
    "no-rhythm-feedback": {"rhythm_feedback": 0.0},
    "no-cadence": {"cadence": "free"},
    "reprise-half": {"reprise": "half"},
    "no-reprise": {"reprise": 0},
    "no-contrast": {"contrast": False},  # the new bars not lifted as a contrasting strain
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--model",
        action="append",
        required=True,
        help="NAME=PATH[:OPTION...] (PATH 'default': the shipped model; ':legacy' composes without the form "
        "and cadence controls, the tonal feedback and with the composer's own chords, as the "
        "first-generation composer did; ':chords-harmonizer' / ':chords-model' choose where lead-sheet chords "
        "come from, else the style's default; ':no-tonal-feedback' / ':no-rhythm-feedback' / ':no-interval-offsets' turn the tonal / rhythm feedback / interval offsets off, ':no-modulation' keeps a chorale in its key, ':no-pickup' starts every take on the downbeat, ':rhythm-feedback=W' / ':tonal-feedback=W' weigh it)",
    )
    ap.add_argument("--per-style", type=int, default=120)
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--split", default="test", choices=("test", "valid"))
    ap.add_argument("--real", action="append", default=[], metavar="STYLE=PATH[,PATH...]",
                    help="that style's real pieces read from these files or folders (ABC, MIDI, MusicXML ...) "
                    "instead of --split; unreadable tunes are skipped and counted, verbatim copies of a model's "
                    "training pieces and repeats within the files left out")  # fmt: skip
    ap.add_argument("--shippable-only", action="store_true",
                    help="compare with the split's pieces whose licenses may ship (the music a shipped model learns "
                    "from), not the whole split: the folk split is mostly Essen songs, which no shipped model hears")  # fmt: skip
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", default=None,
                    help="comma-separated seeds: one run each, and the table of their means ± standard deviations "
                    "(a figure of one seed moves by several points)")  # fmt: skip
    ap.add_argument("--temperature", type=float, default=None)
    ap.add_argument("--top-p", type=float, default=None)
    ap.add_argument("--json", default=None, help="write the report here")
    ap.add_argument("--explain", action="store_true",
                    help="also say what the classifier tells each system's takes from the real pieces by: its "
                    "accuracy on each group of features alone and without it, and the features that differ most")  # fmt: skip
    ap.add_argument("--task", default="compose", choices=("compose", "continue"),
                    help="continue: each real piece's first half given to `tunesmith continue`, which writes the "
                    "rest (model options then: legacy, no-tonal-feedback, no-rhythm-feedback, no-cadence, reprise-half, no-reprise, no-contrast)")  # fmt: skip
    args = ap.parse_args(argv)
    known = CONTINUE_OPTIONS if args.task == "continue" else MODEL_OPTIONS

    from tunesmith.corpus import load_corpus, pieces_digest
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    systems = {}
    trained_on = []  # each model's train_config: which corpus pieces it learned from
    for spec in args.model:
        name, _, path = spec.partition("=")
        path, *options = (path or name).split(":")
        weights = {}
        for option in [o for o in options if "=" in o]:
            # "tonal-feedback=0.5" / "rhythm-feedback=0.5": the request's feedback weight
            field, _, value = option.partition("=")
            if field not in ("tonal-feedback", "rhythm-feedback"):
                ap.error(f"--model {spec}: unknown weighted option {field!r}")
            weights[field.replace("-", "_")] = float(value)
            options.remove(option)
        unknown = sorted(set(options) - set(known))
        if unknown:
            ap.error(f"--model {spec}: unknown option(s) {', '.join(unknown)}; known: {', '.join(known)}")
        model, tok, info = load_numpy_model(DEFAULT_MODEL_DIR if path == "default" else path)
        overrides = {}
        for option in options:
            overrides.update(known[option])
        overrides.update(weights)
        systems[name] = (model, tok, overrides)
        trained_on.append(info.get("train_config") or {})
    styles = [s for s in args.styles.split(",") if s]
    corpus = load_corpus(None)
    shippable = True if args.shippable_only else None
    test = {s: list(corpus.filter(split=args.split, style=s, shippable=shippable)) for s in styles}
    real_files = {}
    for spec in args.real:
        style, _, paths = spec.partition("=")
        if style not in styles or not paths:
            ap.error(f"--real {spec}: give STYLE=PATH[,PATH...] with a style of --styles")
        training = [p for cfg in trained_on for p in training_pieces(corpus, style, cfg)]
        test[style], real_files[style] = read_real(style, [x for x in paths.split(",") if x], training)
        print(f"[musicality] {style}: {real_summary(real_files[style])}", flush=True)
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()] if args.seeds else [args.seed]
    t0 = time.time()
    reports = []
    for seed in seeds:
        config = MusicalityConfig(per_style=args.per_style, seed=seed, temperature=args.temperature, top_p=args.top_p,
                                  task=args.task, explain=args.explain)  # fmt: skip
        reports.append(musicality_report(systems, test, config, styles))
        if len(seeds) > 1:
            print(f"[musicality] seed {seed}:" + format_table(reports[-1]), flush=True)
    report = reports[0] if len(reports) == 1 else pooled_report(reports)
    if len(reports) > 1:
        report["per_seed"] = reports
    report["seconds"] = round(time.time() - t0, 1)
    report["split"] = None if set(real_files) == set(styles) else args.split  # (the styles without --real)
    report["shippable_only"] = args.shippable_only
    report["models"] = {spec.partition("=")[0]: spec.partition("=")[2] for spec in args.model}
    # the held-out pieces measured against, pinned: a rebuilt corpus may hold other ones
    report["data"] = {s: {"pieces": len(test[s]), "digest": pieces_digest(test[s])} for s in styles}
    for s, files in real_files.items():
        report["data"][s].update(split=None, real=files)
    print(format_table(report))
    print("data: " + "; ".join(f"{s} {'unseen files' if s in real_files else args.split} {d['pieces']} pieces, "
                               f"digest {d['digest']}" for s, d in report["data"].items()))  # fmt: skip
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    return 0


def training_pieces(corpus, style: str, train_config: dict) -> list:
    """The corpus pieces of `style` a model with this train_config learned from (its train and
    valid splits; only licenses that may ship when it says shippable_only); none for a model
    that does not say how it was trained."""
    if not train_config or train_config.get("styles") and style not in train_config["styles"]:
        return []
    splits = {train_config.get("train_split", "train"), train_config.get("valid_split", "valid")}
    shippable = True if train_config.get("shippable_only") else None
    return list(corpus.filter(split=splits, style=style, shippable=shippable))


def shown_path(path: Path) -> str:
    """A file's name for the report, not where it lies on this machine: "music21:corpus/..." in
    music21's bundled corpus, else as `tunesmith.paths.shown_path` names it."""
    from tunesmith.corpus.sources import music21_corpus_dir
    from tunesmith.paths import shown_path as named

    music21 = music21_corpus_dir().parent.resolve()
    return f"music21:{path.resolve().relative_to(music21).as_posix()}" if path.resolve().is_relative_to(music21) \
        else named(path)  # fmt: skip


def read_real(style: str, paths: list[str], training: list) -> tuple[list, dict]:
    """(pieces, record) of real music read from `paths` (files, or folders read whole) with the
    project's readers (`tunesmith.inputs.read_file`). A file or tune that cannot be read is
    skipped and counted; a piece whose notes are verbatim those of a `training` piece, or of a
    piece read before it, is left out (`corpus.fingerprint.exact_hash`, as the corpus build
    finds copies). Tunes whose title is a training tune's (`corpus.dedupe.title_key`) are kept,
    counted: another version of a tune is still music the model has not seen."""
    from tunesmith.corpus.dedupe import title_key
    from tunesmith.corpus.fingerprint import exact_hash
    from tunesmith.corpus.records import piece_to_record
    from tunesmith.inputs import list_inputs, read_file

    def notes_hash(piece) -> str | None:
        return exact_hash(*piece_to_record(piece))

    taught = {notes_hash(p) for p in training} - {None}
    titles = {title_key(p.title or "") for p in training} - {""}
    files = [f for x in paths for f in (list_inputs(x) if os.path.isdir(x) else [Path(x)])]
    pieces, seen = [], set()
    record = {"paths": [shown_path(Path(x)) for x in paths], "files": [], "unreadable_files": [],
              "unreadable_tunes": 0, "training_copies": [], "repeats": 0, "same_title_as_training": 0}  # fmt: skip
    for f in files:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the ABC reader warns per tune it skips: counted below
            try:
                got = read_file(f, style=style)
            except ValueError:  # InputError, LimitError: one line naming the file
                record["unreadable_files"].append(shown_path(f))
                continue
        record["files"].append(shown_path(f))
        record["unreadable_tunes"] += sum(len(p.meta.get("skipped_tunes") or []) for p in got)
        for p in got:
            h = notes_hash(p)
            if h is not None and h in taught:
                record["training_copies"].append(f"{shown_path(f)}#{p.meta.get('tune_index', 0)} {p.title}")
            elif h is not None and h in seen:
                record["repeats"] += 1
            else:
                seen.add(h)
                title = title_key(p.title or "")
                record["same_title_as_training"] += len(title) >= 4 and title in titles
                pieces.append(p)
    record["pieces"] = len(pieces)
    return pieces, record


def real_summary(record: dict) -> str:
    return (f"{record['pieces']} real pieces from {len(record['files'])} files; skipped: "
            f"{len(record['unreadable_files'])} unreadable files, {record['unreadable_tunes']} unreadable tunes, "
            f"{len(record['training_copies'])} verbatim copies of training pieces, {record['repeats']} repeats "
            f"within the files; {record['same_title_as_training']} kept share a training tune's title")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
