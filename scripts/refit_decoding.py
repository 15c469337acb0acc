#!/usr/bin/env python
"""Refit everything a new model needs beside its weights before it ships, in order.

    python scripts/refit_decoding.py runs/candidate            # every step, into runs/candidate/
    python scripts/refit_decoding.py runs/candidate --from tonal --dry-run

A model folder (model.safetensors + model.json) composes with the sampling defaults of the
decoding.json beside it. The harmonizers and chord table fitted beside it ship with it
(`scripts/ship_model.py`); until then harmonizing uses the package's unless they are given
(`eval_cocreate.py --harmonizer DIR --chorale-harmonizer DIR`, the API's `harmonizer=`). The defaults are
corrections fitted to one model's leanings (how far its melodies leap, rock, stray from the key,
run in eighths), so weights trained again need them fitted again: the package's, fitted to the
weights before, made the retrained model's chorales easier to tell from Bach's (session 28). Each
step runs one of the fit scripts with `--model FOLDER --write`, in the order the package's were
fitted in; their reports go to FOLDER/fits/. Every step reads the shippable training split only,
but plan, which reads the JSB validation chorales (public domain) as the harmonizer's early
stopping does.

Steps (`--from NAME` starts at one; `--only NAME[,NAME]` runs those):
  harmonizer    scripts/fit_harmonizer.py --out FOLDER (the lead-sheet and chorale networks)
  plan          scripts/fit_chorale_plan.py (the chorale plan's costs of keeping a chord and of
                returning to the chord before last, on the harmonizer just fitted: its plans change
                and come back as often as Bach's on the JSB validation sopranos, session 67)
  chord-table   scripts/fit_chord_table.py --out FOLDER/chord_table.json
  tempos        scripts/fit_header_tempos.py          pickups  scripts/fit_pickups.py
  rhythm        scripts/fit_rhythm_feedback.py (chorale)
  modulation    scripts/fit_modulation.py (chorale)
  iv-chorale    scripts/fit_interval_feedback.py --styles chorale --rounds 4 --returns, then the
                alto's and tenor's return offsets set to 0 (the bass's kept: with all three the
                validation classifier rose, session 19)
  tonal         scripts/fit_tonal_feedback.py (folk, pop, jazz)
  iv-folk       scripts/fit_interval_feedback.py --styles folk --rounds 4 --returns
  iv-pop        scripts/fit_interval_feedback.py --styles pop --rounds 3 (pop's return offsets
                were not kept: its shippable tunes rock more than its held-out songs)
  pitch         scripts/fit_pitch_offsets.py --styles folk,chorale --rounds 4 (a folk melody's and a chorale
                soprano's offset per real pitch)
  registers     scripts/fit_voice_registers.py --style jazz|pop --voices 1 (a lead sheet's melody drawn toward
                the style's register: each take had kept a register of its own, session 36)
  lower-moves   scripts/fit_interval_feedback.py --styles chorale --only-lower-moves --returns --rounds 4 (the
                alto's, tenor's and bass's interval offsets and their return offsets, fitted together: with
                the moves alone the stepping voices rocked more than Bach's, session 34; fitted together they
                led soprano and tenor into parallels at 3 cadences of 40 takes until the soprano's pitch
                offsets, and since then do not, session 35)
  register      scripts/fit_register_lift.py (folk, AABB, 32 bars)
  dances        scripts/fit_dance_profiles.py
  length-moves  scripts/fit_length_moves.py --dances reel,hornpipe,waltz (each dance's note-length moves, on
                the profiles just fitted; the jig's takes already moved as its tunes do, and its fitted moves
                took the held-out jigs' further away, session 35)
  dance-intervals scripts/fit_dance_intervals.py --dances jig,polka,hornpipe,waltz (each dance's own interval
                offsets, on its profile and length moves: the style's left its takes leaping more than its
                tunes; the reel's takes already moved as its tunes do, session 69)
  header-keys   scripts/fit_header_keys.py (chorale: the key each key's header tells, for the register;
                late, as it measures takes with every other default in place)
  rests         scripts/fit_rest_offset.py --styles pop,jazz --rounds 4, then --intervals (a lead-sheet
                melody's rest offset, and the intervals after a rest, on that offset; sessions 47-48)
Not refitted, as they read the tunes alone, not the model's takes: jazz's seventh shares
(scripts/fit_jazz_sevenths.py), pop's chord label shift (scripts/fit_label_shift.py) and its chord
prior correction; nor the chosen values: jazz's secondary dominants, temperatures and top-p.
Jazz keeps no interval offsets (fitted to its 58 shippable tunes' half steps, they made it easier
to tell, session 18). Temperatures and top-p stay as decoding.json has them; check them with
`scripts/tune_decoding.py`. About 60 minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent


def steps(folder: Path, reports: Path) -> list[tuple[str, list[list[str]]]]:
    """(name, the commands it runs) in order; a command is a script and its arguments."""
    m = ["--model", str(folder)]

    def fit(script: str, *args: str, report: str) -> list[str]:
        return [script, *m, *args, "--json", str(reports / report), "--write"]

    return [
        ("harmonizer", [["fit_harmonizer.py", "--out", str(folder), "--json", str(reports / "harmonizer.json"), "--json-only"]]),
        ("plan", [fit("fit_chorale_plan.py", report="chorale_plan.json")]),
        ("chord-table", [["fit_chord_table.py", "--out", str(folder / "chord_table.json")]]),
        ("tempos", [fit("fit_header_tempos.py", "--min-pieces", "10", "--max-off-grid", "0.5", report="header_tempos.json")]),
        ("pickups", [fit("fit_pickups.py", "--min-share", "0.05", "--min-pieces", "30", report="pickups.json")]),
        ("rhythm", [fit("fit_rhythm_feedback.py", report="rhythm_feedback.json")]),
        ("modulation", [fit("fit_modulation.py", "--gains", "0,1,2,3", "--n", "120", report="modulation.json")]),
        ("iv-chorale", [fit("fit_interval_feedback.py", "--styles", "chorale", "--rounds", "4", "--returns",
                            report="iv_chorale.json")]),
        ("tonal", [fit("fit_tonal_feedback.py", "--key-heard", report="tonal_feedback.json")]),
        ("iv-folk", [fit("fit_interval_feedback.py", "--styles", "folk", "--rounds", "4", "--returns", report="iv_folk.json")]),
        ("iv-pop", [fit("fit_interval_feedback.py", "--styles", "pop", "--rounds", "3", report="iv_pop.json")]),
        ("pitch", [fit("fit_pitch_offsets.py", "--styles", "folk,chorale", "--rounds", "4", report="pitch_offsets.json")]),
        ("registers", [fit("fit_voice_registers.py", "--style", style, "--voices", "1", "--gains", "0,0.5,1,1.5,2",
                           "--n", "75", report=f"voice_registers_{style}.json") for style in ("jazz", "pop")]),
        ("lower-moves", [fit("fit_interval_feedback.py", "--styles", "chorale", "--only-lower-moves", "--returns",
                             "--rounds", "4", report="lower_moves.json")]),
        ("register", [fit("fit_register_lift.py", "--style", "folk", "--bars", "32", "--form", "AABB",
                          "--gains", "0,1,1.5,2,3", "--n", "120", report="register_lift.json")]),
        ("dances", [fit("fit_dance_profiles.py", "--gains", "0,0.5,1,1.5,2,3", "--takes", "60", "--seed", "0",
                        report="dances.json")]),
        ("length-moves", [fit("fit_length_moves.py", "--dances", "reel,hornpipe,waltz", "--rounds", "6", "--n", "200",
                              report="length_moves.json")]),
        ("dance-intervals", [fit("fit_dance_intervals.py", "--dances", "jig,polka,hornpipe,waltz", "--rounds", "4", "--n", "150",
                                 report="dance_intervals.json")]),
        ("header-keys", [fit("fit_header_keys.py", "--takes", "12", "--lifts", "0,1,2,3,4", report="header_keys.json")]),
        ("rests", [fit("fit_rest_offset.py", "--styles", "pop,jazz", "--rounds", "4", report="rest_offset.json"),
                   fit("fit_rest_offset.py", "--intervals", "--styles", "jazz,pop", "--rounds", "4",
                       report="rest_intervals.json")]),
    ]  # fmt: skip


def bass_returns_only(folder: Path) -> None:
    """The chorale's alto and tenor return offsets back to 0, the bass's kept (see the docstring)."""
    from tunesmith.inference import update_decoding_file

    decoding = json.loads((folder / "decoding.json").read_text(encoding="utf-8"))
    lower = decoding.get("chorale", {}).get("lower_return_offsets")
    if not lower or len(lower) != 3:
        return
    kept = [{"return": 0.0, "rock": 0.0}, {"return": 0.0, "rock": 0.0}, lower[2]]
    update_decoding_file(folder, {"chorale": {"lower_return_offsets": kept}}, "lower_return_offsets_fitted_on",
                         "chorale bass only (alto and tenor 0: with all three the validation classifier rose, session 19); "
                         "python scripts/fit_interval_feedback.py --styles chorale --rounds 4 --returns")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="the model folder (model.safetensors + model.json); decoding.json is updated")
    ap.add_argument("--from", dest="start", default=None, help="start at this step")
    ap.add_argument("--only", default=None, help="comma-separated steps to run")
    ap.add_argument("--dry-run", action="store_true", help="print the commands")
    args = ap.parse_args(argv)
    folder = args.folder
    if not (folder / "model.safetensors").is_file() or not (folder / "model.json").is_file():
        ap.error(f"{folder}: not a model folder (needs model.safetensors and model.json)")
    start_from_package = not (folder / "decoding.json").is_file()
    if start_from_package and (args.only or args.start):
        # a partial refit refits defaults already fitted to these weights: the package's are not
        ap.error(f"{folder}: no decoding.json to refit (a refit of every step starts from the package's; "
                 "or copy src/tunesmith/models/default/decoding.json there)")  # fmt: skip
    reports = folder / "fits"
    plan = steps(folder, reports)
    names = [n for n, _ in plan]
    wanted = set(names)
    if args.only:
        wanted = {s.strip() for s in args.only.split(",")}
    elif args.start:
        if args.start not in names:
            ap.error(f"--from: no step {args.start!r} (steps: {', '.join(names)})")
        wanted = set(names[names.index(args.start) :])
    unknown = sorted(wanted - set(names))
    if unknown:
        ap.error(f"--only: no step {', '.join(map(repr, unknown))} (steps: {', '.join(names)})")
    if not args.dry_run:  # a dry run leaves the folder as it is
        reports.mkdir(parents=True, exist_ok=True)
        if start_from_package:
            # a folder `tunesmith train` wrote has no sampling defaults: every step refits the
            # package's (a chained train-then-refit had stopped here, asking for the copy)
            from tunesmith.paths import atomic_write_text
            from tunesmith.pretrained import DEFAULT_MODEL_DIR

            atomic_write_text(folder / "decoding.json", (DEFAULT_MODEL_DIR / "decoding.json").read_text(encoding="utf-8"))
            print(f"[refit] {folder}: no decoding.json; starting from the package's", flush=True)
    for i, (name, commands) in enumerate(plan, 1):
        if name not in wanted:
            continue
        for command in commands:
            line = [sys.executable, str(SCRIPTS / command[0]), *command[1:]]
            print(f"[refit {i}/{len(plan)}] {name}: python scripts/{' '.join(command)}", flush=True)
            if args.dry_run:
                continue
            t0 = time.time()
            done = subprocess.run(line, check=False)
            if done.returncode != 0:
                print(f"[refit] {name} failed (exit {done.returncode}); rerun with --from {name}", file=sys.stderr)
                return done.returncode
            print(f"[refit] {name} done in {time.time() - t0:.0f} s", flush=True)
        if name == "iv-chorale" and not args.dry_run:
            bass_returns_only(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
