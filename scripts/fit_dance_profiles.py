"""The folk dances `--dance` composes: each one's meter and note lengths, and the feedback's gain.

    python scripts/fit_dance_profiles.py [--gains 0,0.5,1,2,3] [--takes 20] [--dances polka] [--json FILE] [--write]

`--dances`: fit only these dances' profiles (the others in decoding.json stay as they are, with
their length moves); the gain is then chosen on these dances' takes alone.

Why: a fiddler asked for a reel (4/4, AABB) and got a march or an air, crotchets and minims; a
folk take knows no dance, only the style. The Nottingham collection files its tunes by dance
(reels*.abc, jigs.abc, hpps.abc, slip.abc, waltzes.abc; GPL-3.0, shippable), and the other
shippable folk sources name it in the title ("CrossesofAnnaghreel", "KerrymansCloghornpipeThe":
the Irish MIDI tunes, CC-BY-4.0), kept where they are in the dance's meter. Each dance's melodic
note lengths are counted on its training tunes, and a take of that dance is steered toward them by the rhythm feedback
(`sampling.set_rhythm_feedback`). The gain is the one whose takes' note lengths lie nearest the
dance's validation tunes' (mean L1 distance over the dances; 0 = no steering, measured too).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter

import numpy as np

from tunesmith.paths import atomic_write_text

# which Nottingham files hold each dance (their work ids: nottingham:ABC_cleaned/<file>#<n>). None:
# by title, as the other sources: no file of polkas, and Nottingham's reels*.abc files are English
# and Scottish dance tunes of every kind, not the running reel a fiddler means: a third of their
# training tunes' notes last a beat or more (321 tunes: 0.332), the titled reels' 0.092 (530) and the
# held-out titled reels' 0.075, which the reel's takes are judged against (session 66)
DANCE_FILES = {"reel": None, "jig": r"/jigs\.abc", "hornpipe": r"/hpps\.abc", "slip-jig": r"/slip\.abc",
               "waltz": r"/waltzes\.abc", "polka": None}  # fmt: skip


def length_shares(pieces) -> tuple[np.ndarray, int]:
    """The melody's share of each note length of DUR_TICKS (a length between two is counted at the
    nearest), and the number of notes."""
    from tunesmith.tokenizer import DUR_TICKS, TICKS_PER_BEAT

    ticks = np.array(DUR_TICKS)
    counts = np.zeros(len(DUR_TICKS))
    for p in pieces:
        mel = p.melody()
        for n in mel.notes if mel is not None else ():
            counts[int(np.argmin(np.abs(ticks - n.duration * TICKS_PER_BEAT)))] += 1
    total = counts.sum()
    return (counts / total if total else counts), int(total)


# how another source's title names each dance (a slip jig is not a jig)
DANCE_TITLES = {"reel": r"reel", "jig": r"(?<!slip)(?<!slip[- ])jig", "hornpipe": r"hornpipe", "slip-jig": r"slip[- ]?jig",
                "waltz": r"waltz", "polka": r"polka"}  # fmt: skip


def dance_pieces(corpus, dance: str, split: str) -> list:
    """The shippable folk tunes of `dance` in `split`: Nottingham's by the file that holds them,
    the other sources' by a title that names the dance, in one of the dance's meters.
    Why both: Nottingham's reels files are many English and Scottish dance tunes (43 % of their
    time in eighths); the Irish reels (62 %) were left out, though they are the reels a fiddler
    means (session 32). Since session 66 the reel is learned from its titled tunes alone
    (`DANCE_FILES`)."""
    from tunesmith.sampling.request import DANCE_METERS

    by_file = re.compile(DANCE_FILES[dance]) if DANCE_FILES[dance] else None
    by_title = re.compile(DANCE_TITLES[dance], re.I)
    meters = DANCE_METERS[dance]
    return [p for p in corpus.filter(split=split, style="folk", shippable=True)
            if (by_file.search(p.work_id) if p.source == "nottingham" and by_file is not None
                else by_title.search(p.title or "") and str(p.time_signature) in meters)]  # fmt: skip


def fit_each_dance(ap: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str] | None, script: str,
                   fit_dance, key: str, note_key: str) -> int:  # fmt: skip
    """The driver a per-dance offset fit shares (`fit_length_moves.py`, `fit_dance_intervals.py`):
    `--dances` checked, `--model` loaded, `fit_dance(model, dance, training tunes, rounds, damping,
    n, seed)` run on each dance's shippable training tunes, the report printed and written to
    `--json`, and with `--write` each dance's "chosen_offsets" stored as its entry's `key` in the
    folk decoding's "dances" (`note_key` records the command); a dance whose round 0 won (none of
    its own) loses a former fit's `key`."""
    import copy
    import time

    from tunesmith.api import load_model
    from tunesmith.corpus import load_corpus
    from tunesmith.evaluation.feedback_fit import check_round_fit, write_fitted
    from tunesmith.pretrained import resolve_model
    from tunesmith.sampling.request import DANCES

    dances = [d for d in args.dances.split(",") if d]
    if not dances or set(dances) - set(DANCES):
        ap.error(f"--dances: among {', '.join(DANCES)}")
    check_round_fit(ap, args)
    folder = resolve_model(args.model)
    model = load_model(str(folder))
    if not set(dances) <= set((model.model.decoding.get("folk") or {}).get("dances") or {}):
        ap.error(f"{folder}: its folk decoding has no profile for every dance asked (scripts/fit_dance_profiles.py first)")
    corpus = load_corpus(None)
    command = " ".join([f"python scripts/{script}", *(sys.argv[1:] if argv is None else argv)])
    report: dict = {"command": command, "dances": {}}
    t0 = time.time()
    for dance in dances:
        tunes = [p for p in dance_pieces(corpus, dance, "train") if p.melody() is not None]
        report["dances"][dance] = fit_dance(model, dance, tunes, args.rounds, args.damping, args.n, args.seed)
    report["seconds"] = round(time.time() - t0, 1)
    print(json.dumps({d: r.get("chosen_round", r.get("note")) for d, r in report["dances"].items()}))
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    if args.write:
        entries: dict[str, dict] = {}
        table = copy.deepcopy(model.model.decoding["folk"]["dances"])
        for d, r in report["dances"].items():
            if r.get("chosen_offsets"):
                table[d][key] = r["chosen_offsets"]
            elif r.get("chosen_round") == 0:  # round 0 (none of the dance's own) won: a former fit goes
                table[d].pop(key, None)
        if table != model.model.decoding["folk"]["dances"]:
            entries["folk"] = {"dances": table}
        write_fitted(folder, entries, key, note_key, command)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default", help="the model folder whose decoding.json --write updates")
    ap.add_argument("--gains", default="0,0.5,1,2,3")
    ap.add_argument("--takes", type=int, default=20, help="takes per dance and gain")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store dances and dance_rhythm_feedback in decoding.json")
    ap.add_argument("--dances", default=None, help="comma-separated dances to fit (default: all); the others are kept")
    args = ap.parse_args(argv)
    chosen = list(DANCE_FILES) if args.dances is None else [d.strip() for d in args.dances.split(",") if d.strip()]
    if unknown := [d for d in chosen if d not in DANCE_FILES]:
        ap.error(f"--dances: unknown {', '.join(unknown)}; one of {', '.join(DANCE_FILES)}")

    from tunesmith.api import compose, load_model
    from tunesmith.corpus import load_corpus
    from tunesmith.inference import update_decoding_file
    from tunesmith.pretrained import resolve_model
    from tunesmith.progress import progress_bar
    from tunesmith.sampling.request import DANCE_METERS

    corpus = load_corpus(None)
    dances, valid = {}, {}
    for dance in chosen:
        train = dance_pieces(corpus, dance, "train")
        shares, notes = length_shares(train)
        meters = Counter(f"{p.time_signature.numerator}/{p.time_signature.denominator}" for p in train)
        dances[dance] = {"meter": DANCE_METERS[dance][0], "rhythm_profile": [round(float(x), 5) for x in shares],
                         "pieces": len(train)}  # fmt: skip
        dances[dance]["rhythm_profile"][int(np.argmax(shares))] += round(1.0 - sum(dances[dance]["rhythm_profile"]), 5)
        valid[dance] = length_shares(dance_pieces(corpus, dance, "valid"))[0]
        print(f"{dance}: {len(train)} training tunes ({notes} notes; meters {dict(meters.most_common(3))}), "
              f"{len(dance_pieces(corpus, dance, 'valid'))} validation tunes", flush=True)  # fmt: skip
    folder = resolve_model(args.model)
    model = load_model(str(folder))
    kept = (model.model.decoding.get("folk") or {}).get("dances") or {}
    dances = {**{d: v for d, v in kept.items() if d not in dances}, **dances}  # (the dances not fitted stay)
    model.model.decoding.setdefault("folk", {})["dances"] = dances
    gains = [float(g) for g in args.gains.split(",")]
    if args.write and not all(0 <= g <= 4 for g in gains):  # what decoding.json may hold (`inference.read_decoding`)
        ap.error(f"--write: gains must lie in [0, 4], not {args.gains}")
    report = {"dances": dances, "gains": {}}
    for gain in progress_bar(gains, desc="gains"):
        model.model.decoding["folk"]["dance_rhythm_feedback"] = gain
        dist = {}
        for dance in chosen:
            takes = compose(style="folk", dance=dance, bars=16, seed=args.seed, n=args.takes, model=model, check=False)
            shares, _ = length_shares([t.piece for t in takes])
            dist[dance] = round(float(np.abs(shares - valid[dance]).sum()), 4)
        report["gains"][gain] = {"l1_by_dance": dist, "mean_l1": round(float(np.mean(list(dist.values()))), 4)}
        print(f"gain {gain:g}: mean L1 to the validation tunes {report['gains'][gain]['mean_l1']} {dist}", flush=True)
    best = min(gains, key=lambda g: (report["gains"][g]["mean_l1"], g))
    report["chosen_gain"] = best
    print(f"chosen gain: {best:g}")
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    if args.write:
        command = (f"python scripts/fit_dance_profiles.py --model {args.model} --gains {args.gains} --takes {args.takes} "
                   f"--seed {args.seed}" + (f" --dances {args.dances}" if args.dances else "") + " --write")
        note = ("shippable training tunes by dance (Nottingham by file, others by title and meter); gain on the "
                "validation tunes; " + command)
        if args.dances:  # the other dances' note stays, this one added
            before = json.loads((folder / "decoding.json").read_text(encoding="utf-8")).get("dances_fitted_on")
            note = f"{before}; {args.dances}: {command}" if before else note
        update_decoding_file(folder, {"folk": {"dances": dances, "dance_rhythm_feedback": best}}, "dances_fitted_on", note)
        print("wrote dances and dance_rhythm_feedback into the model's decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
