"""`tunesmith compose`: new music in a style, under hard controls, written as a take bundle."""

from __future__ import annotations

import argparse
import sys
import time

from tunesmith.cli._common import (
    add_chorale_options,
    add_generation_controls,
    check_out,
    check_signer,
    write_and_report,
)

HELP = "compose new pieces (lead sheets or 4-voice chorales) that obey every control"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--style", required=True, type=str.lower, help="folk, chorale, pop or jazz (any case)")
    parser.add_argument("--meter", default=None, help="time signature, e.g. 4/4, 3/4, 6/8 (default: by style)")
    parser.add_argument("--bars", type=int, default=None, help="bars (default 16; folk and a --dance 32: two 8-bar strains, AABB; over --chords of 8 bars or "
                        "more the chart once through, over a shorter loop as many times through as reach 16)")
    parser.add_argument(
        "--tempo",
        type=float,
        default=None,
        help="beats per minute of the meter's beat: a quarter in 4/4, 3/4 and 5/4, a dotted quarter in 6/8, 9/8, "
        "12/8, a half in 2/2, an eighth in 5/8 and 7/8 (default: by style; in 5/8 and 7/8 twice the style's, "
        "in eighths)",
    )
    parser.add_argument(
        "--chords",
        help="one chord symbol per bar, cycling: 'Dm7 G7 Cmaj7 Cmaj7'; between bar lines a bar may hold more, sharing "
        "its beats: 'Dm7 G7 | Cmaj7' (beats 1 and 3 of 4/4), 'C / G7 / | F' (a slash holds a beat); N.C. for no "
        "chord: 'N.C. | C | F' (without --key, the key is read from them)",
    )
    parser.add_argument(
        "--chords-optional",
        action="store_true",
        help="let the model leave bars without a chord symbol (default: a chord on every downbeat)",
    )
    add_generation_controls(parser)
    parser.add_argument(
        "--allow-close",
        action="store_true",
        help="keep a take the copy guard calls a copy of a training work (labelled so in STEM.json) instead of "
        "drawing it again (at most 3 times); a take it calls close is always kept, labelled",
    )
    parser.add_argument(
        "--form",
        default=None,
        help="sections, one letter each, equal length: AABB (reels, jigs), AABA (songs), ABAB, or with their "
        "bars: A4A4B8; a repeated letter repeats its section (with a new last bar), a primed one (A') varies "
        "it; 'none' for through-composed (default: the style's usual form when the bars divide into sections "
        "of 4+; chorales draw bar form per take as often as Bach's have it)",
    )
    parser.add_argument(
        "--dance",
        type=str.lower,
        default=None,
        help="a folk dance: reel, jig, hornpipe, slip-jig, waltz or polka: its meter (a jig's 6/8) and its tunes' note "
        "lengths (a reel runs in eighths), measured on the shippable tunes of that dance (folk only)",
    )
    parser.add_argument(
        "--cadence",
        choices=("tonic", "home", "free", "loop"),
        type=str.lower,
        default=None,
        help="tonic: close as the style's pieces close, each take drawing its ending as often as they do: a "
        "chorale on the tonic chord (a minor one sometimes on its dominant, as 11 of Bach's 104 do); a lead "
        "sheet's melody on a degree drawn as the style's tunes end (the tonic in about 3 of 4) over the chord they "
        "put under it (mostly the tonic chord; V, IV, vi, ii or bVII under a closing fifth or other degree, about 1 in 5 "
        "jazz takes; a folk tune always over the tonic chord, on a tone of it); home: always the tonic, the melody's last note over the tonic chord (a chorale never on "
        "its dominant); free: as the model likes; loop: no close, the last bar a half close on V that leads back to "
        "bar 1, for music played round and round (a game level): the score between repeat signs, loopStart/loopEnd "
        "markers in the MIDI, the WAV exactly the piece's length with its loop points, no pickup (default: tonic)",
    )
    parser.add_argument(
        "--modulation",
        default=None,
        metavar="KEY",
        help="a chorale's passage through a related key, after its first third: 'auto' (default: drawn as often as "
        "Bach's chorales pass through each), 'none' (stay in the key), or the key: V, IV, vi, ii (major), "
        "III, iv, VII, v (minor); 8 bars or more",
    )
    parser.add_argument(
        "--pickup",
        type=_beats,
        default=None,
        metavar="BEATS",
        help="quarter-note beats before the first bar line (1: one beat in 4/4; 0.5 or 1/2: an eighth in 6/8; 0: "
        "none); the take is the pickup and --bars whole bars, a lead sheet's last bar short by the pickup "
        "(default: drawn per take as often as the style's training pieces in the meter have one: chorales 70 %% a "
        "beat; folk 6/8 68 %% an eighth, 4/4 51 %% a beat, 3/4 79 %% a beat; pop 3/4 22 %% a beat; jazz 4/4 5 %% a "
        "beat; the shipped model's decoding.json \"pickups\" has them)",
    )
    parser.add_argument(
        "--chords-from",
        choices=("model", "harmonizer", "none"),
        default=None,
        help="lead sheets without --chords: the composer's own chord symbols, the harmonizer's for the "
        "finished melody, or none (default: the model's choice for the style; none for a model whose "
        "training pieces had no chords)",
    )
    parser.add_argument(
        "--chord-rhythm",
        choices=("bar",),
        default=None,
        help="bar: one chord symbol a bar, the harmonizer's for the bar's whole melody (chords a beginner can "
        "strum; the close keeps its cadence where it has one chord a bar). Default: as the harmonizer hears the "
        "melody, at most one a half bar (jazz: the composer's own chords)",
    )
    parser.add_argument(
        "--shortest",
        choices=("eighth", "sixteenth"),
        type=str.lower,
        default=None,
        help="the shortest note or rest a take holds, and no triplets: eighth (eighths and longer: rhythms for "
        "beginners' sight-singing) or sixteenth (default: any the style writes)",
    )
    add_chorale_options(parser, given_melody=False)
    parser.add_argument(
        "--tonal-feedback",
        type=float,
        default=None,
        help="weight of the style's tonal feedback, which draws a melody that has strayed from its key's "
        "profile of scale degrees back home (default 1; 0: the model's raw pitch choices)",
    )
    parser.add_argument(
        "--rhythm-feedback",
        type=float,
        default=None,
        help="weight of the style's rhythm feedback, which draws a voice that has drifted into running "
        "notes back toward the style's note lengths (default 1 where the model has one; 0: off)",
    )
    parser.add_argument(
        "--interval-feedback",
        type=float,
        default=None,
        help="weight of the style's interval offsets, which keep a lead sheet's melody (a chorale's soprano) "
        "moving by repeats, steps and leaps as often as the style's pieces do (default 1 where the model has them; "
        "0: off)",
    )
    parser.add_argument(
        "--rhythm-temperature",
        type=float,
        default=None,
        help="temperature of note lengths and positions (default: the model's for the style; with --temperature, the same)",
    )
    parser.add_argument(
        "--rest-penalty",
        type=float,
        default=2.0,
        help="discourage ending a bar early with a rest (0: the model's own choice; default 2)",
    )


def _beats(text: str) -> float:
    """A length in quarter-note beats: "1", "0.5" or "1/2"."""
    from fractions import Fraction

    try:
        return float(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of beats (e.g. 1, 0.5, 1/2)") from None


def _controls(args: argparse.Namespace) -> dict:
    return dict(
        key=args.key,
        mode=args.mode,
        meter=args.meter,
        bars=args.bars,
        tempo=args.tempo,
        chords=args.chords,
        pitch_range=args.pitch_range,
        in_scale=args.in_scale,
        temperature=args.temperature,
        top_p=args.top_p,
        rhythm_temperature=args.rhythm_temperature,
        rest_penalty=args.rest_penalty,
        chords_optional=args.chords_optional,
        seed=args.seed,
        form=args.form,
        dance=args.dance,
        cadence=args.cadence,
        modulation=args.modulation,
        pickup=args.pickup,
        chords_from=args.chords_from,
        chord_rhythm=args.chord_rhythm,
        shortest=args.shortest,
        texture=args.texture,
        voice_ranges=args.voice_ranges,
        tonal_feedback=args.tonal_feedback,
        rhythm_feedback=args.rhythm_feedback,
        interval_feedback=args.interval_feedback,
    )


def build_request(args: argparse.Namespace):
    """A validated ComposeRequest from the command line (ValueError names the bad control):
    `tunesmith.api.compose_request`, the one `tunesmith.compose` sends, with the same defaults."""
    from tunesmith.api import compose_request

    return compose_request(args.style, **_controls(args))


def run(args: argparse.Namespace) -> int:
    if args.n < 1:
        raise ValueError(f"--n must be at least 1, got {args.n}")
    request = build_request(args)  # every check before any heavy work
    check_out(args)
    check_signer(args)
    from tunesmith import api

    t0 = time.perf_counter()
    takes = api.compose(args.style, **_controls(args), n=args.n, model=args.model, allow_close=args.allow_close)
    takes = takes if isinstance(takes, list) else [takes]
    first = takes[0].provenance
    seed = takes[0].seed
    # the same keys as the co-create verbs' summaries (`cli.cocreate`): a program reads them alike
    summary = {
        "command": "compose",
        "seed": seed,
        "request": first["request"],
        "model": first["model"],
        "seconds": {
            "load_model": round(first["timings"]["load_model"], 3),
            "generate": round(sum(t.provenance["timings"]["generate"] for t in takes), 3),
            "generate_per_take": round(first["timings"]["generate"], 3),
        },
    }
    key = f"{request.key} {request.mode}"
    done = f"seed {seed}; {key}; {first['timings']['generate']:.2f} s per take to compose"
    for note in first.get("notes", []):
        print(f"note: {note}", file=sys.stderr)
    # a take the copy guard drew again (its seed is not the one asked for), or one that closes off the tonic chord
    for i, take in enumerate(takes, 1):
        for line in take.remarks:
            if "drawn again" in line or line.startswith("it closes over"):
                print(f"note: {'take ' + str(i) + ': ' if len(takes) > 1 else ''}{line}", file=sys.stderr)
    if first.get("notes"):
        summary["notes"] = first["notes"]
    return write_and_report(args, takes, summary, t0, done)
