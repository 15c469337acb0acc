"""The co-create verbs, `tunesmith continue | harmonize | inpaint`: shared arguments and the run.

    tunesmith continue motif.mid --bars 8 --style folk --out out/cont
    tunesmith harmonize melody.musicxml --style chorale --out out/satb
    tunesmith harmonize tune.abc --style jazz --out out/chords
    tunesmith inpaint piece.mid --bars 5-8 --n 3 --out out/var
    tunesmith inpaint piece.musicxml --bars 9-12 --keep melody --out out/rehar

Each verb lives in its own small module for the CLI registry (`cli/continue_.py`,
`cli/harmonize.py`, `cli/inpaint.py`: HELP, add_arguments, run); they call `add_arguments`
and `run` here. Every check of the input (readable file, meter, melody, bar range, keep) runs
before the model is loaded; the takes are written like `compose`'s (STEM.mid .musicxml .wav
.svg .json) with the request, model, seed and input file in their provenance.
"""

from __future__ import annotations

import argparse
import sys
import time

from tunesmith.cli._common import (
    add_chorale_options,
    add_generation_controls,
    check_out,
    check_overwrite_of,
    check_signer,
    write_and_report,
)

VERB_HELP = {
    "continue": "continue a piece: the given music exactly as it is, then new bars in its key, meter and style",
    "harmonize": "harmonize a melody: chord symbols (lead sheet) or alto, tenor and bass (--style chorale)",
    "inpaint": "regenerate some bars of a piece (e.g. --bars 5-8), everything outside them kept note for note",
}


ALLOW_CLOSE_HELP = ("keep a take whose new music the copy guard calls a copy of a training work (labelled so in "
                    "STEM.json) instead of drawing it again (at most 3 times); a take it calls close is always kept, "
                    "labelled; the musician's own notes never count")


def add_arguments(verb: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="the musician's file: MIDI, MusicXML, ABC, kern, ...")
    parser.add_argument("--tune", type=int, default=1, help="which tune of a file with several (1-based)")
    parser.add_argument("--pickup", type=float, metavar="BEATS",
                        help="the first bar is a pickup of BEATS quarter notes (0: none); for a file that does not "
                        "say where its bars start, such as a MIDI file whose first note is a pickup")  # fmt: skip
    if verb == "continue":
        parser.add_argument("--bars", type=int, help="number of new bars (default 8; after a folk strain played "
                            "twice, A A, twice its length: a B strain played twice)")
        parser.add_argument(
            "--style", type=str.lower, help="folk, chorale, pop or jazz (default: the piece's, else folk)"
        )
    elif verb == "harmonize":
        parser.add_argument(
            "--style",
            type=str.lower,
            help="chorale: alto, tenor, bass under the melody; folk, pop, jazz: chord symbols",
        )
        _add_rhythm(parser, "auto")
    else:
        parser.add_argument("--bars", required=True, help="bars to regenerate, FIRST-LAST as the score numbers them (from 1; a pickup is bar 0), e.g. 5-8; "
                            "in a score with repeat signs, bars as played (its repeats written out)")
        parser.add_argument(
            "--keep",
            help="parts kept inside the bars too: melody (new chords only), chords, soprano, alto, tenor, "
            "bass; several with commas",
        )
        parser.add_argument(
            "--style", type=str.lower, help="folk, chorale, pop or jazz (default: the piece's, else folk)"
        )
        _add_rhythm(parser, None)
    if verb in ("harmonize", "inpaint"):
        parser.add_argument(
            "--lookahead",
            type=int,
            default=8,
            help="lead sheets: chord proposals per bar, each scored by the given melody after it (1 = off)",
        )
    if verb == "inpaint":
        parser.add_argument(
            "--chords-from",
            choices=("harmonizer", "model"),
            default="harmonizer",
            help="with --keep melody (new chords only): the shipped harmonizer, which hears the whole melody "
            "(default), or the composer",
        )
    if verb == "harmonize":
        parser.add_argument(
            "--chords-from",
            choices=("harmonizer", "table", "model", "accompaniment"),
            default="harmonizer",
            help="where the chords come from: the shipped harmonizer network, which hears the whole melody "
            "(default; lead sheets and chorales), the count table (lead sheets), the composer alone, or the "
            "file's own accompaniment (the chords its other tracks play, named)",
        )
        add_chorale_options(parser, given_melody=True)
    parser.add_argument(
        "--no-voice-leading",
        action="store_true",
        help="chorales: do not mask voice crossings and parallel fifths/octaves",
    )
    parser.add_argument("--allow-close", action="store_true", help=ALLOW_CLOSE_HELP)
    if verb in ("continue", "inpaint"):
        parser.add_argument(
            "--tonal-feedback",
            type=float,
            default=None,
            help="weight of the style's tonal feedback, which hears the given music too and draws a melody that "
            "strays from its key's profile back home (default 1; 0: off)",
        )
    parser.add_argument(
        "--rhythm-feedback",
        type=float,
        default=None,
        help="weight of the style's rhythm feedback on the voices written (default 1 where the model has one; 0: off)",
    )
    if verb == "continue":
        parser.add_argument(
            "--cadence",
            choices=("tonic", "home", "free"),
            type=str.lower,
            default=None,
            help="tonic: the new bars end the piece as compose ends a take, as the style's pieces end (mostly on the "
            "tonic; sometimes on another degree over the chord the style puts under it) (default); home: always on "
            "the tonic over the tonic chord; free: wherever the model leaves them (to continue again later)",
        )
        parser.add_argument(
            "--reprise",
            type=int,
            default=None,
            help="the new bars begin by restating the given music's first N full bars note for note, then go "
            "their own way (A A'); default: half the new bars for pop, else 0",
        )
        parser.add_argument(
            "--contrast",
            choices=("on", "off"),
            type=str.lower,
            default=None,
            help="on: the new bars are a contrasting strain (a B after the given A A), their melody lifted over the "
            "given melody's register; off: they go on in its register; default: on for folk after at least 8 given "
            "bars when the new bars are at most as many and nothing is restated",
        )
        parser.add_argument(
            "--form",
            default=None,
            help="the whole tune's sections, the given music its first A (AABA: A B A follow, each as long as it); each "
            "later A restates it note for note but for its last bar, written anew (the last one closes the piece), "
            "the other sections are new; --bars then follows from it",
        )
        parser.add_argument(
            "--chords",
            default=None,
            help="the new bars' chord symbols, one per bar, cycling (\"F7 Bb7 F7 F7\"; two in a bar between bar "
            "lines: \"Dm7 G7 | C\"; N.C. for no chord), or 'again': the given "
            "music's own chords once more, bar by bar (a blues's next chorus), the last bar on the tonic chord under "
            "the closing cadence (--cadence free: the given chords to the end); the melody is written over them "
            "(default: the model writes the chords, as the given music has them: none where it has none)",
        )
    add_generation_controls(parser)


def _check_audio_length(name: str, piece) -> None:
    """A take at least as long as the musician's music would be refused by the WAV writer after
    the work, in a line naming neither file (1,600 seconds of a slow MIDI file): say so first."""
    from pathlib import Path

    from tunesmith.limits import limit

    tempo = min((t.qpm for t in piece.tempos if t.qpm > 0), default=120.0)
    seconds = piece.duration() * 60.0 / tempo
    if seconds > limit("MAX_RENDER_SECONDS"):
        raise ValueError(f"{Path(name).name}: {seconds:,.0f} seconds of music, over the {limit('MAX_RENDER_SECONDS'):,.0f} "
                         "seconds a take's WAV may last; --no-audio writes the take without it")  # fmt: skip


def _add_rhythm(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--chord-rhythm",
        default=default,
        choices=("auto", "bar", "half", "free"),
        help="chord symbols: auto = one on every downbeat and more where the model likes, bar = one per bar, "
        "half = one at every half bar, the same chord named again where it stays (in 3/4 and other meters of "
        "an odd number of beats, one per bar), free = as the model likes"
        + (" (default: auto when the melody is kept, else free)" if default is None else f" (default: {default})"),
    )


def load_model(name: str | None):
    """(model, tokenizer, info) for --model: a model folder, or 'default' (shipped in the package)."""
    from tunesmith import pretrained

    try:
        return pretrained.load(name, torch=False)
    except FileNotFoundError as exc:
        if name in (None, "default"):
            raise FileNotFoundError(f"{exc}; or pass --model PATH to a trained model folder") from None
        raise


def run(verb: str, args: argparse.Namespace) -> int:
    """`tunesmith.api.continue_ / harmonize / inpaint` with the command line's controls; every
    check of the input runs before the model is loaded."""
    from tunesmith import api

    if args.n < 1:
        raise ValueError(f"--n must be at least 1, got {args.n}")
    check_out(args, overwrite=False)
    check_signer(args, claims=True)
    t0 = time.perf_counter()
    options = dict(
        tune=args.tune,
        n=args.n,
        model=args.model,
        style=args.style,
        key=args.key,
        mode=args.mode,
        pitch_range=args.pitch_range,
        in_scale=args.in_scale,
        seed=args.seed,
        temperature=args.temperature,
        top_p=args.top_p,
        voice_leading=not args.no_voice_leading,
        rhythm_feedback=args.rhythm_feedback,
        pickup=args.pickup,
        allow_close=args.allow_close,
    )
    if verb in ("continue", "inpaint"):
        options["tonal_feedback"] = args.tonal_feedback
    if verb == "continue":
        options.update(bars=args.bars, cadence=args.cadence, reprise=args.reprise, chords=args.chords,
                       contrast=None if args.contrast is None else args.contrast == "on", form=args.form)
    elif verb == "harmonize":
        options.update(chord_rhythm=args.chord_rhythm, lookahead=args.lookahead, chords_from=args.chords_from,
                       texture=args.texture, voice_ranges=args.voice_ranges)  # fmt: skip
    else:
        options.update(bars=args.bars, keep=args.keep, chord_rhythm=args.chord_rhythm, lookahead=args.lookahead,
                       chords_from=args.chords_from)  # fmt: skip
    # the output is checked once the input has passed its own checks: a bad input is the error reported
    def before_model(piece) -> None:
        check_overwrite_of(args)
        if not args.no_audio:
            _check_audio_length(args.input, piece)

    takes, seconds = api._cocreate(verb, args.input, before_model=before_model, **options)
    takes = takes if isinstance(takes, list) else [takes]
    first = takes[0].provenance
    seed = takes[0].seed
    summary = {
        "command": verb,
        "seed": seed,
        "request": first["request"],
        "input_file": first["input_file"],
        "model": first["model"],
        "seconds": {**{k: round(v, 3) for k, v in seconds.items()},
                    "generate_per_take": round(seconds["generate"] / max(1, len(takes)), 3)},  # as compose's
    }
    hint = (first["input_file"] or {}).get("pickup_hint")
    if hint is not None:
        print(f"tunesmith {verb}: note: {first['input_file']['path']}: its notes sit off the bar lines the file "
              f"implies, or end past one, as after a pickup (the notes suggest a pickup of {hint:g} "
              f"beat{'' if hint == 1 else 's'}); if the tune starts with one, run again with --pickup BEATS as the "
              f"score has it", file=sys.stderr)  # fmt: skip
    done = f"seed {seed}; {seconds['generate']:.2f} s to {verb} ({len(takes)} take(s))"
    made = first.get("cocreate") or {}
    if made.get("chords_from") == "harmonizer" and made.get("layout") == "lead" and len(takes) == 1:
        # the first take's chords are the harmonizer's most likely reading, whatever the seed
        done += "; chords: the harmonizer's most likely (--n 3 for alternatives)"
    from tunesmith.remarks import take_remarks

    # what the musician should know, a line each under the summary (joined to it, a continuation's
    # had made one line of 800 characters): the style's default may restate the opening, say so and how not to
    said = [remark.replace("(A A')", "(A A'; --reprise 0: all new)").replace(
        "lift theirs", "lift theirs (--contrast off: the same register)") for remark in take_remarks(first)]  # fmt: skip
    status = write_and_report(args, takes, summary, t0, done)
    if not args.json:
        for line in said:
            print(f"  {line}")
    return status


def main(verb: str, argv: list[str] | None = None) -> int:
    """Run one verb without the top-level registry (tests, scripts): `main("inpaint", [...])`."""
    parser = argparse.ArgumentParser(prog=f"tunesmith {verb}", description=VERB_HELP[verb])
    add_arguments(verb, parser)
    args = parser.parse_args(argv)
    args.verb = verb
    try:
        return run(verb, args)
    except (ValueError, FileNotFoundError, FileExistsError) as exc:
        from tunesmith.cli import one_line

        print(f"tunesmith {verb}: error: {one_line(exc)}", file=sys.stderr)
        return 2
