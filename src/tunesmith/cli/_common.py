"""Argument parsing shared by the verbs that compose (compose, continue, harmonize, inpaint)."""

from __future__ import annotations

import argparse
import re

from tunesmith.score import MODES

# accidentals, then the octave; a minus sign before the octave's digits is the octave's (scientific pitch
# notation, as tunesmith says C-1 for MIDI 0), not a flat: "C-5" had been read as C-flat 5 (MIDI 71)
_NOTE_RE = re.compile(r"^\s*([A-Ga-g])([#b\-]*?)(-?\d+)\s*$")
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def parse_pitch(text: str) -> int:
    """MIDI number of 'C4' (=60), 'F#3', 'Bb5', or a plain number '60'."""
    text = text.strip()
    if text.lstrip("-").isdigit():
        value = int(text)
    else:
        m = _NOTE_RE.match(text)
        if not m:
            raise ValueError(f"not a pitch: {text!r} (use a name with octave such as C3, F#4, Bb5, or a MIDI number)")
        letter, accidentals, octave = m.groups()
        value = 12 * (int(octave) + 1) + _LETTER_PC[letter.upper()]
        value += accidentals.count("#") - accidentals.count("b") - accidentals.count("-")
    if not 0 <= value <= 127:
        flat = "; a flat is written b, as in Bb3" if re.search(r"[A-Ga-g][#b-]*-\d", text) else ""
        raise ValueError(f"pitch {text!r} is outside MIDI 0..127 (C-1 to G9{flat})")
    return value


def parse_range(text: str | None) -> tuple[int, int] | None:
    """'C3:A5' -> (48, 81). The lower pitch must come first."""
    if text is None:
        return None
    parts = text.split(":")
    if len(parts) != 2:
        raise ValueError(f"range {text!r}: use LOW:HIGH, e.g. C3:A5")
    pitches, problems = [], []
    for part in parts:  # both bounds said, not the second alone ("C-5:C12" had named only C12)
        try:
            pitches.append(parse_pitch(part))
        except ValueError as e:
            problems.append(str(e))
    if problems:
        raise ValueError(f"range {text!r}: {', and '.join(problems)}")
    low, high = pitches
    if low > high:
        raise ValueError(f"range {text!r}: the lowest pitch comes first")
    return low, high


_ABC_MODES = {"maj": "major", "min": "minor", "ion": "ionian", "dor": "dorian", "phr": "phrygian", "lyd": "lydian",
              "mix": "mixolydian", "aeo": "aeolian", "loc": "locrian"}  # fmt: skip


def parse_key(key: str | None, mode: str | None) -> tuple[str | None, str | None]:
    """'D' -> ('D', mode); 'g minor' -> ('G', 'minor'); 'F#m' -> ('F#', 'minor'); ABC's modes as
    its K: field writes them: 'Ador' -> ('A', 'dorian'), 'Gmix', 'Emin', 'Dmaj', 'Bphr', 'Flyd', 'Bloc'
    (a fiddler's --key Ador had been "unknown key tonic"); --mode takes ABC's abbreviations too
    ('mix', 'dor', 'm': --mode mix had been "unknown mode 'mix'" where --key Dmix worked)."""
    if mode is not None:
        short = re.fullmatch(r"(maj|min|ion|dor|phr|lyd|mix|aeo|loc)[a-z]*|m", mode.strip(), re.IGNORECASE)
        if short and mode.strip().lower() not in MODES:
            mode = _ABC_MODES.get((short.group(1) or "min").lower())
    if key is None:
        return None, mode
    # "B flat", "F sharp minor", "E-flat": the accidental as a word, as musicians say it ("B flat"
    # had answered "unknown mode 'flat'")
    key = re.sub(r"^\s*([A-Ga-g])[\s-]*(flat|sharp)\b", lambda m: m.group(1) + ("b" if m.group(2).lower() == "flat" else "#"),
                 key, flags=re.IGNORECASE)  # fmt: skip
    words = key.split()
    if not words:
        raise ValueError("--key is empty; give a tonic such as D, Bb, 'g minor', F#m")
    tonic = words[0]
    if len(words) == 2:
        if mode is not None and mode.lower() != words[1].lower():
            raise ValueError(f"--key {key!r} contradicts --mode {mode}")
        mode = words[1].lower()
    elif len(words) > 2:
        raise ValueError(f"key {key!r}: use a tonic and an optional mode, e.g. 'g minor'")
    abc = re.fullmatch(r"([A-Ga-g][#b]?)(maj|min|ion|dor|phr|lyd|mix|aeo|loc)[a-z]*", tonic, re.IGNORECASE)
    if abc and len(words) == 1:
        named = _ABC_MODES[abc.group(2).lower()]
        if mode is not None and mode.lower() != named:
            raise ValueError(f"--key {key!r} contradicts --mode {mode}")
        tonic, mode = abc.group(1), named
    elif len(tonic) > 1 and tonic.endswith("m") and tonic[:-1] and tonic[-2] in "ABCDEFGabcdefg#b":
        # "F#m" names a minor third: a --mode with one (dorian, phrygian) refines it, one with a
        # major third contradicts it ("F#m --mode major" had composed in F# major without a word)
        from tunesmith.sampling.request import mode_family

        if mode is not None and mode_family(mode.lower()) != "minor":
            raise ValueError(f"--key {key!r} contradicts --mode {mode}")
        tonic, mode = tonic[:-1], mode or "minor"
    return tonic[0].upper() + tonic[1:], mode


def parse_chords(text: str | None) -> list[str] | None:
    """'Dm7 G7 Cmaj7' -> one figure per bar; 'Dm7 G7 | Cmaj7' -> one entry per bar, a bar's chords
    separated by spaces (`sampling.request.chords_per_bar`)."""
    from tunesmith.sampling.request import chords_per_bar

    if text is None:
        return None
    return chords_per_bar(text) or None


def add_generation_controls(parser: argparse.ArgumentParser) -> None:
    """Controls every generating verb accepts."""
    parser.add_argument("--model", default="default", help="model folder, or 'default' (shipped with tunesmith)")
    parser.add_argument("--key", help="key tonic, optionally with mode: D, Bb, 'g minor', F#m")
    parser.add_argument("--mode", help="major, minor, dorian, mixolydian, ...")
    parser.add_argument("--range", dest="pitch_range", help="pitch range LOW:HIGH, e.g. C4:G5 or C3:A5")
    parser.add_argument("--in-scale", action="store_true", help="no note or chord outside the key's scale (a minor key's scale holds its raised 6th and 7th, as melodic and harmonic minor: E minor allows C# and D#)")
    parser.add_argument(
        "--temperature", type=float, default=None, help="sampling temperature (default: the model's for the style, else 1.0)"
    )
    parser.add_argument("--top-p", type=float, default=None, help="nucleus sampling (default: the model's, else 0.95)")
    parser.add_argument("--seed", type=int, help="random seed (default: random; recorded in STEM.json)")
    parser.add_argument("--n", type=int, default=1, help="number of takes (STEM-1 ... STEM-n)")
    parser.add_argument(
        "--out",
        required=True,
        help="output stem: writes STEM.mid .musicxml .wav .svg .json ('song.mid' is the stem 'song')",
    )
    parser.add_argument("--force", action="store_true", help="overwrite takes already at --out")
    parser.add_argument("--no-audio", action="store_true", help="skip the WAV rendering")
    parser.add_argument("--no-svg", action="store_true", help="skip the SVG score")
    parser.add_argument("--json", action="store_true", help="print a JSON summary for programs (errors too)")


def model_record(info: dict) -> dict:
    """What a take's JSON records about the model that made it."""
    return {
        "id": info.get("name") or info.get("model_id") or info.get("path"),
        "path": info.get("path"),
        "sha256": info.get("sha256"),
    }


def training_record(info: dict) -> dict:
    """The training-data provenance stored in a model (sources, licenses, counts)."""
    return info.get("provenance") or info.get("training_data") or {}


def check_out(args, overwrite: bool = True) -> None:
    """Refuse, before any work, a bad --n or --out and (`overwrite`) takes already at --out
    without --force (FileExistsError)."""
    from tunesmith.limits import check_output_stem, check_takes

    check_takes(args.n)  # 1..MAX_TAKES
    check_output_stem(args.out)  # not a directory (--out /tmp), not the filesystem root
    if overwrite:
        check_overwrite_of(args)


def check_signer(args, *, claims: bool = False) -> None:
    """Before the work: this installation's signing identity is readable where the takes will be
    signed when written (their WAV's C2PA credentials; `claims`: a co-created take's record of the
    musician's notes), so that a damaged key is said first, not after every take was made."""
    if claims or not getattr(args, "no_audio", False):
        from tunesmith.rights.content_credentials import check_signing_identity

        check_signing_identity()


def check_overwrite_of(args) -> None:
    """FileExistsError if takes are already at --out and --force is not given."""
    from tunesmith.take import bundle_paths, check_overwrite

    check_overwrite(bundle_paths(args.out, args.n), getattr(args, "force", False), hint="--force")


def unshippable_training_licenses(takes: list) -> list[str]:
    """The licenses of the takes' training data that may not ship (research-only, non-commercial, ...)."""
    from tunesmith.licenses import may_ship
    from tunesmith.rights.guard import training_licenses

    return sorted({name for take in takes for name in training_licenses(take.provenance, take.piece) if not may_ship(name)})


def _repeats_written(json_path) -> str:
    """"bars 1-8 (1. and 2. endings), 17-24" from a take's JSON (`rendering.musicxml.repeats`), or ""."""
    import json

    try:
        spans = json.loads(json_path.read_text(encoding="utf-8"))["rendering"]["musicxml"]["repeats"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ""
    parts = [f"bars {s['bars'][0]}-{s['bars'][1]}{' (1. and 2. endings)' if s.get('endings') else ''}" for s in spans]
    return ", ".join(parts)


def write_and_report(args, takes: list, summary: dict, started: float, done: str) -> int:
    """Write the takes (`tunesmith.api.Take`s) as bundles (`args.out`, `--force`, `--no-audio`,
    `--no-svg`), then print the summary as JSON (`--json`) or the written files and `done`.
    The summary gains the files and the total."""
    import json
    import sys
    import time

    from tunesmith.api import write_takes

    t_write = time.perf_counter()
    results = write_takes(takes, args.out, force=True, audio=not args.no_audio, svg=not args.no_svg)  # checked
    write_seconds = time.perf_counter() - t_write
    barred = unshippable_training_licenses(takes)
    if barred:  # stderr, so that --json's stdout stays one object
        print(f"note: this model learned from music licensed {', '.join(barred)}: its takes are for study and "
              "research only unless you hold those rights (see rights.usage in the JSON)", file=sys.stderr)  # fmt: skip
    relabelled = {f"{name} ({change.get('from')} -> {change.get('to')})" for take in takes
                  for name, change in ((take.provenance.get("training_data") or {}).get("relabelled") or {}).items()}  # fmt: skip
    if relabelled:
        print(f"note: this model learned from sources whose license was changed by --override: {', '.join(sorted(relabelled))}",
              file=sys.stderr)  # fmt: skip
    for i, take in enumerate(takes, 1):  # a take the copy guard found near a training work, said here
        rights = take.provenance.get("rights") or {}
        if rights.get("verdict") in ("close", "copy") and rights.get("nearest"):
            work = rights["nearest"][0]
            which = f"take {i}" if len(takes) > 1 else "the take"
            print(f"note: {which} is {'a copy of' if rights['verdict'] == 'copy' else 'close to'} "
                  f"{work.get('title') or work.get('work_id')!r} ({work.get('source')}, {work.get('license')}; score "
                  f"{rights.get('score', 0):.1f}): see rights.usage in its JSON before publishing", file=sys.stderr)  # fmt: skip
    summary = {
        "takes": [{k: str(v) for k, v in files.items()} for files in results],
        "copy_guard": [(t.provenance.get("rights") or {}).get("verdict") for t in takes],
        # what the musician should know of each take (the notes the CLI prints without --json)
        "remarks": [t.remarks for t in takes],
        **summary,
        "write_seconds": round(write_seconds, 3),
        "total_seconds": round(time.perf_counter() - started, 3),
    }
    if args.json:
        json.dump(summary, sys.stdout, indent=1)
        print()
    else:
        for files in results:
            print("wrote " + ", ".join(str(path) for path in files.values()))
            folded = _repeats_written(files.get("json"))
            if folded:
                print(f"  score: {folded} under repeat signs (bars as played; the MIDI and audio play them out)")
        # the files' time said too: "0.23 s per take to compose" had read as the whole of a 6 s run
        parts = [kind for kind, on in (("audio", not args.no_audio), ("score", not args.no_svg)) if on]
        print(f"{done}; {write_seconds:.1f} s to write the files{' (' + ' and '.join(parts) + ' rendered)' if parts else ''}")
    return 0


def add_chorale_options(parser: argparse.ArgumentParser, *, given_melody: bool) -> None:
    """--texture and --voice-ranges, a chorale's (compose; harmonize, whose melody is the soprano:
    `given_melody`)."""
    voice = "melody" if given_melody else "soprano"
    parser.add_argument(
        "--texture",
        choices=("chorale", "hymn"),
        type=str.lower,
        default=None,
        help=f"a chorale's texture: chorale (Bach's: the alto, tenor and bass pass between the {voice}'s notes; "
        "the default) or hymn (note against note, as a hymnal sets a tune: they strike only on beats, with the "
        f"{voice}" + (" or where the chord changes under its held note)" if given_melody else ")"),
    )
    parser.add_argument(
        "--voice-ranges",
        default=None,
        metavar="V=LOW:HIGH,...",
        help=f"a chorale's {'alto, tenor and bass' if given_melody else 'voices'}: their own ranges, each replacing "
        "its textbook range (S C4:G5, A G3:D5, T C3:G4, B E2:C4), e.g. T=C3:E4,B=F2:D4 for a choir's tenors and "
        "basses",
    )
