"""Session 64: a census of chorale part-writing over many seeds, for one model setting per run, so
that settings are compared on many takes rather than on the tests' handful of fixed seeds. Each
measure copies the definition of the test named beside it. All rules on, as shipped.

Composed: `--takes` 8-bar chorales in G minor, D, F, A minor, Bb, E minor, C, G in turn, seeds
`--seed-base` on (per 100 beats unless said; Bach: the 77 valid chorales in four parts):
- parallels/take, parallels/100: parallel fifths + octaves (`count_parallel_fifths` + `_octaves`)
  (test_part_writing::test_composed_chorales_keep_out_of_parallels_into_their_cadences);
- beat-to-beat parallels: `beat_to_beat_parallels` (..._keep_out_of_fifths_from_beat_to_beat);
- 4-3 soprano, 4-3 inner: a note held into a beat a fourth over the bass, falling a step
  (test_a_composed_chorales_4_3_suspensions_lie_in_the_inner_voices);
- rock alto/tenor/bass: of x-y-x, the share going on to y (`fit_interval_feedback.return_rates`,
  test_a_composed_chorales_lower_voices_step_without_rocking);
- quick rocks alto/tenor: x-y-x-y with the first three notes eighths or shorter
  (test_a_composed_chorales_inner_voices_seldom_rock_in_eighths);
- bass knots: bass x-y-x by a semitone, x or y outside the key (..._bass_seldom_knots_a_chromatic_note);
- bass repeats, bass runs>=3: the bass striking its pitch again at once, and the third and later
  strikes of a run (..._bass_seldom_strikes_one_pitch_again; Bach not given: the JSB grids cannot
  show a repeated note);
- chordless beats: share of beats whose four voices sound no triad or seventh chord
  (test_composed_chorales_sound_a_chord_on_most_beats);
- lower wide leaps: alto, tenor and bass leaps of a seventh or past the octave between touching
  notes (test_harmonizer::test_a_chorales_lower_voices_leap_no_seventh, there composed in C);
- aug2 / tritone / leap7 per voice, doubled_lt, unresolved_7ths (a share of the sevenths): the
  `census` of docs/notes/2026-12-06-session-54/lower_voice_census.py (its beats: beats where all sound);
- fermatas moved under: share of the fermatas before the last note where a lower voice does not
  strike with the soprano or strikes again under it (test_fermatas::_held_under; Bach: the one
  valid chorale that has fermatas).
Harmonized: the first `--sopranos` JSB valid sopranos, soprano i with seed seed_base + i (Bach: the
same chorales as he set them). The measures above that apply, and (test_part_writing::
_harmonized_jsb_sopranos's tests) beat-to-beat parallels up to the soprano's end, bass wide leaps
(a seventh or past the octave, per 100 beats: test_harmonized_basses_leap_no_seventh_to_reach_their_
planned_root); (test_chorale_harmonize_whole_chords::inner_motion) inner wide moves (alto and tenor
moves of a sixth or more, per move), bass wide moves (tritone, sixth, seventh, per move), alto on the
soprano's pitch class (per beat). The Passion chorale (BWV 244.62, `--passion` seeds): share of takes
moving into the final chord in fifths or octaves, and not holding it
(test_chorale_planned_close::test_the_final_chord_is_the_cadences_held_and_out_of_parallels).
Given chords, `--given` seeds per progression: outer-voice beat-to-beat parallels per 100 beats
(test_chorale_given_chords_outer_voices, its progressions); all beat-to-beat parallels of hymns over
three 8-bar progressions (test_a_voice_the_chord_overrules_keeps_out_of_parallels); given sevenths
sung, resolved, and sung twice (share of seventh-chord beats with two voices or more on it; over
all four progressions where the test takes three) (test_chorale_given_sevenths).

    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-64/chorale_census.py \\
        [--model default|DIR] [--chorale-decoding decoding.json [--keys k1,k2]] [--takes 96] \\
        [--seed-base 3000] [--bach | --bach-only] [--json OUT] [--no-progress]
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics.harmony_rules import (
    VOICES,
    _voices,
    beat_to_beat_parallel_places,
    count_parallel_fifths,
    count_parallel_octaves,
)

ROOT = Path(__file__).resolve().parents[3]
KEYS = (
    ("G", "minor"),
    ("D", None),
    ("F", None),
    ("A", "minor"),
    ("Bb", None),
    ("E", "minor"),
    ("C", None),
    ("G", None),
)
SHAPES = (
    (0, 4, 7),
    (0, 3, 7),
    (0, 3, 6),
    (0, 4, 8),
    (0, 4, 7, 10),
    (0, 4, 7, 11),
    (0, 3, 7, 10),
    (0, 3, 6, 10),
    (0, 3, 6, 9),
)
CHORDS = [{(r + i) % 12 for i in s} for r in range(12) for s in SHAPES]
OUTER_REQUESTS = [("C", "C F | G7 C | Am Dm | G C", 4), ("G", "G | C D | Em Am | D7 | G", 5),
                  ("F", "F Bb | C F | Dm Gm | C7 F", 4), ("D", "D | G A | Bm | Em A | D", 5)]  # fmt: skip
HYMNS = [("C", "C | Am | Dm7 | G7 | C | F | G7 | C", 8), ("G", "G | Em | Am | D7 | G | C | D7 | G", 8),
         ("C", "C F | Dm7 G7 | Am Dm7 | G7 C", 4)]  # fmt: skip


def load_file(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


return_rates = load_file(ROOT / "scripts/fit_interval_feedback.py").return_rates
lower_census = load_file(ROOT / "docs/notes/2026-12-06-session-54/lower_voice_census.py").census
whole_chords_tests = load_file(ROOT / "tests/test_chorale_harmonize_whole_chords.py")
given_sevenths_tests = load_file(ROOT / "tests/test_chorale_given_sevenths.py")


def progress(args, text: str) -> None:
    if not args.no_progress:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def ordered(piece, role: str) -> list:
    return sorted(piece.track(role).notes, key=lambda n: n.onset)


def counts(piece, minor: bool) -> Counter:
    """The raw counts of one four-part piece (rates are taken over the pooled counts)."""
    out: Counter = Counter()
    beats = piece.duration() / piece.time_signature.beat_length
    out["beats"] += beats
    out["parallels"] += count_parallel_fifths(piece) + count_parallel_octaves(piece)
    found, b2b_beats = beat_to_beat_parallel_places(piece)
    out["b2b"], out["b2b beats"] = len(found), b2b_beats
    out["outer b2b"] += sum((f[1], f[2]) == (0, 3) for f in found)
    bass = ordered(piece, "bass")
    for role in ("soprano", "alto", "tenor"):  # 4-3 suspensions (4/4: quarter beats)
        notes = ordered(piece, role)
        for a, b in zip(notes, notes[1:]):
            beat = float(int(a.onset) + 1)
            if not a.onset < beat < a.onset + a.duration - 1e-6:
                continue
            low = next((n.pitch for n in bass if n.onset <= beat + 1e-6 < n.onset + n.duration), None)
            if low is not None and (a.pitch - low) % 12 == 5 and 1 <= a.pitch - b.pitch <= 2:
                out["4-3 soprano" if role == "soprano" else "4-3 inner"] += 1
    for role in ("alto", "tenor"):
        ns = ordered(piece, role)
        for a, b, c, d in zip(ns, ns[1:], ns[2:], ns[3:]):
            quick = max(a.duration, b.duration, c.duration) <= 0.5 + 1e-9
            out[f"quick rocks {role}"] += quick and a.pitch == c.pitch != b.pitch == d.pitch
    tonic = piece.key.tonic_pc
    scale = {(tonic + i) % 12 for i in ((0, 2, 3, 5, 7, 8, 9, 10, 11) if minor else (0, 2, 4, 5, 7, 9, 11))}
    for a, b, c in zip(bass, bass[1:], bass[2:]):
        out["bass knots"] += (
            a.pitch == c.pitch and abs(a.pitch - b.pitch) == 1 and not {a.pitch % 12, b.pitch % 12} <= scale
        )
    run = 1
    for a, b in zip(bass, bass[1:]):
        if a.pitch == b.pitch and abs(a.onset + a.duration - b.onset) < 1e-6:
            out["bass repeats"], run = out["bass repeats"] + 1, run + 1
            out["bass runs>=3"] += run >= 3
        else:
            run = 1
    voices, t = _voices(piece), 0.0
    while t < piece.duration() - 1e-6:  # chordless beats
        pitches = [voices[r].pitch_at(t) for r in VOICES]
        out["all beats"] += 1
        if None not in pitches:
            out["chordless"] += not any({p % 12 for p in pitches} <= c for c in CHORDS)
        t += 1.0
    for track in piece.tracks[1:]:  # test_harmonizer's wide leaps, between touching notes
        ns = sorted(track.notes, key=lambda n: n.onset)
        leaps = [abs(b.pitch - a.pitch) for a, b in zip(ns, ns[1:]) if b.onset - (a.onset + a.duration) < 1e-6]
        out["lower wide leaps"] += sum(x in (10, 11) or x > 12 for x in leaps)
    ps = [n.pitch for n in bass]
    out["bass wide leaps"] += sum(abs(b - a) in (10, 11) or abs(b - a) > 12 for a, b in zip(ps, ps[1:]))
    for key, value in lower_census(piece).items():
        out[f"census {key}"] += value
    return out


def held_under(piece) -> list[bool]:
    """test_fermatas::_held_under: per fermata before the last note, every lower voice strikes with
    the soprano's note and none strikes again under it."""
    soprano = piece.track("soprano").notes
    out = []
    for f in piece.fermatas:
        note = next((x for x in soprano if x.onset <= f + 1e-6 < x.onset + x.duration), None)
        if note is None or note is soprano[-1]:
            continue
        end = note.onset + note.duration
        lower = [x for role in ("alto", "tenor", "bass") for x in piece.track(role).notes]
        struck = all(
            any(abs(x.onset - note.onset) < 1e-6 for x in piece.track(r).notes) for r in ("alto", "tenor", "bass")
        )
        out.append(struck and not any(note.onset + 1e-6 < x.onset < end - 1e-6 for x in lower))
    return out


def inner_motion(pieces) -> dict:
    """test_chorale_harmonize_whole_chords::inner_motion, its three shares named."""
    wide, bass_wide, doubled = whole_chords_tests.inner_motion(pieces)
    return {"inner wide moves (share of moves)": wide, "bass wide moves (share of moves)": bass_wide,
            "alto on soprano's pc (share of beats)": doubled}  # fmt: skip


def rates(pieces, minors, harmonized_ends=None) -> dict:
    """The measures of `pieces` (four-part, 4/4); `harmonized_ends`: beat-to-beat parallels only up
    to each soprano's end, as the harmonize test counts them."""
    c: Counter = Counter()
    for piece, minor in zip(pieces, minors):
        c += counts(piece, minor)
    per100 = lambda k, beats="beats": 100 * c[k] / max(1, c[beats])  # noqa: E731
    row = {"parallels/take": c["parallels"] / max(1, len(pieces)), "parallels/100": per100("parallels")}
    if harmonized_ends is not None:
        found = beats = 0
        for piece, end in zip(pieces, harmonized_ends):
            placed, counted = beat_to_beat_parallel_places(piece, end=end)
            found, beats = found + len(placed), beats + counted
        row["beat-to-beat parallels/100"] = 100 * found / max(1, beats)
    else:
        row["beat-to-beat parallels/100"] = per100("b2b", "b2b beats")
    row["outer beat-to-beat parallels/100"] = per100("outer b2b", "b2b beats")
    row["4-3 soprano/100"], row["4-3 inner/100"] = per100("4-3 soprano"), per100("4-3 inner")
    for v, role in ((1, "alto"), (2, "tenor"), (3, "bass")):
        row[f"rock {role}"] = float(return_rates(pieces, v)[1])
    row["quick rocks alto/100"], row["quick rocks tenor/100"] = per100("quick rocks alto"), per100("quick rocks tenor")
    row["bass knots/100"] = per100("bass knots")
    row["bass repeats/100"], row["bass runs>=3/100"] = per100("bass repeats"), per100("bass runs>=3")
    row["chordless beats (share)"] = c["chordless"] / max(1, c["all beats"])
    row["lower wide leaps/100"], row["bass wide leaps/100"] = per100("lower wide leaps"), per100("bass wide leaps")
    for name in [f"{fault} {role}" for fault in ("aug2", "tritone", "leap7") for role in ("alto", "tenor", "bass")] + [
        "doubled_lt"
    ]:
        row[f"{name}/100"] = 100 * c[f"census {name}"] / max(1, c["census beats"])
    row["unresolved_7ths (share)"] = c["census unresolved_7ths"] / max(1, c["census sevenths"])
    held = [h for piece in pieces for h in held_under(piece)]
    row["fermatas moved under (share)"] = (1 - sum(held) / len(held)) if held else None
    row["fermatas counted"] = len(held)
    row["takes"], row["beats"] = len(pieces), round(c["beats"])
    return row


def composed(model, args) -> list:
    out = []
    for s in range(args.takes):
        key, mode = KEYS[s % 8]
        out.append(ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=args.seed_base + s, check=False,
                              model=model).piece)  # fmt: skip
    return out


def passion_closes(model, args, folder: Path) -> dict:
    """test_chorale_planned_close::closes over `--passion` seeds."""
    import music21

    path = folder / "passion.musicxml"
    music21.corpus.parse("bach/bwv244.62").parts[0].write("musicxml", fp=str(path))
    moved = unheld = 0
    for seed in range(args.seed_base, args.seed_base + args.passion):
        piece = ts.harmonize(path, style="chorale", seed=seed, model=model).piece
        strike = max(n.onset for n in piece.tracks[0].notes)
        unheld += not all(not any(n.onset > strike + 1e-6 for n in t.notes) for t in piece.tracks)

        def sounding(track, x):
            return next((n.pitch for n in track.notes if n.onset <= x + 1e-6 < n.onset + n.duration), None)

        before = [sounding(t, strike - 0.01) for t in piece.tracks]
        after = [sounding(t, strike) for t in piece.tracks]
        moved += any(None not in (before[i], before[j], after[i], after[j]) and before[i] != after[i]
                     and (before[i] - before[j]) % 12 in (0, 7) and (before[i] - before[j]) % 12 == (after[i] - after[j]) % 12
                     for i in range(4) for j in range(i + 1, 4))  # fmt: skip
    return {
        "passion: takes into the close in parallels (share)": moved / max(1, args.passion),
        "passion: takes not holding the close (share)": unheld / max(1, args.passion),
        "passion takes": args.passion,
    }


def given_chords(model, args) -> dict:
    seeds = range(args.seed_base, args.seed_base + args.given)
    outer = beats = 0
    for key, figures, bars in OUTER_REQUESTS:
        for seed in seeds:
            piece = ts.compose("chorale", key=key, bars=bars, chords=figures, seed=seed, model=model, check=False).piece
            found, counted = beat_to_beat_parallel_places(piece)
            outer, beats = outer + sum((f[1], f[2]) == (0, 3) for f in found), beats + counted
    row = {"outer beat-to-beat parallels/100": 100 * outer / max(1, beats)}
    found = beats = 0
    for key, figures, bars in HYMNS:
        for seed in seeds:
            piece = ts.compose("chorale", key=key, bars=bars, chords=figures, seed=seed, texture="hymn", model=model,
                               check=False).piece  # fmt: skip
            placed, counted = beat_to_beat_parallel_places(piece)
            found, beats = found + len(placed), beats + counted
    row["hymns: beat-to-beat parallels/100"] = 100 * found / max(1, beats)
    chords = sung = into = resolved = seventh_beats = doubled = 0
    for key, figures, bars in given_sevenths_tests.REQUESTS:  # test_chorale_given_sevenths's counts, per take
        for seed in seeds:
            piece = ts.compose("chorale", key=key, bars=bars, chords=figures, seed=seed, model=model, check=False).piece
            c, s_, i, r = given_sevenths_tests.seventh_counts(piece)
            b_, d = given_sevenths_tests.doubled_seventh_beats(piece)
            chords, sung, into, resolved = chords + c, sung + s_, into + i, resolved + r
            seventh_beats, doubled = seventh_beats + b_, doubled + d
    row["given sevenths sung (share of chords)"] = sung / max(1, chords)
    row["given sevenths resolved (share)"] = resolved / max(1, into)
    row["given seventh sung twice (share of beats)"] = doubled / max(1, seventh_beats)
    row["takes per progression"] = args.given
    return row


def chorale_section(path: str) -> dict:
    """The "chorale" section of a decoding.json (or of a model folder's), as `read_decoding` checks it."""
    from tunesmith.inference import DECODING_FILE, read_decoding

    source = Path(path)
    if source.is_dir():
        return read_decoding(source)["chorale"]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(source, Path(tmp) / DECODING_FILE)
        return read_decoding(Path(tmp))["chorale"]


def setting(args):
    model = ts.load_model(args.model)
    if args.chorale_decoding:
        section, target = chorale_section(args.chorale_decoding), model.model.decoding.setdefault("chorale", {})
        keys = [k for k in (args.keys or "").split(",") if k]
        if missing := [k for k in keys if k not in section]:
            sys.exit(f"{args.chorale_decoding}: no {', '.join(missing)} in its chorale section")
        if not keys:
            target.clear()
        target.update({k: section[k] for k in keys} if keys else section)
    return model


def table(sections: dict) -> str:
    lines = []
    for section, rows in sections.items():
        lines.append(f"\n== {section}")
        for name, cell in rows.items():
            fmt = lambda x: "-" if x is None else (f"{x:.3f}" if isinstance(x, float) else str(x))  # noqa: E731
            lines.append(f"  {name:<52} {fmt(cell.get('value')):>9}   bach {fmt(cell.get('bach')):>9}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--model", default="default", help="'default' (the packaged model) or a model folder")
    ap.add_argument(
        "--chorale-decoding", help="a decoding.json (or a folder with one) whose chorale section replaces the model's"
    )
    ap.add_argument("--keys", help="with --chorale-decoding: replace only these keys of the section (k1,k2)")
    ap.add_argument("--takes", type=int, default=96, help="composed chorales")
    ap.add_argument("--sopranos", type=int, default=40, help="JSB valid sopranos to harmonize")
    ap.add_argument("--passion", type=int, default=48, help="harmonized takes of the Passion chorale")
    ap.add_argument("--given", type=int, default=24, help="takes per progression under given chords")
    ap.add_argument("--seed-base", type=int, default=3000)
    ap.add_argument("--bach", action="store_true", help="Bach's values too")
    ap.add_argument("--bach-only", action="store_true", help="only Bach's values (no model)")
    ap.add_argument("--json", help="write the table here")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args()
    start = time.time()
    jsb = [c for c in load_corpus(None).filter(split="valid", source="jsb") if len(c.tracks) >= 4][: args.sopranos]
    sections: dict[str, dict] = {"composed": {}, "harmonized": {}, "given chords": {}}
    record = None

    def put(section: str, row: dict, column: str) -> None:
        for name, value in row.items():
            sections[section].setdefault(name, {})[column] = None if value is None else round(value, 4)

    if args.bach or args.bach_only:
        progress(args, "Bach's valid chorales")
        bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
        row = rates(bach, [p.key.mode == "minor" for p in bach])
        row["bass repeats/100"] = row["bass runs>=3/100"] = None  # the JSB grids show no repeated note
        put("composed", row, "bach")
        row = {**rates(jsb, [p.key.mode == "minor" for p in jsb]), **inner_motion(jsb)}
        row["bass repeats/100"] = row["bass runs>=3/100"] = None
        put("harmonized", row, "bach")
        put("given chords", {"outer beat-to-beat parallels/100": sections["composed"]["outer beat-to-beat parallels/100"]["bach"],
                             "hymns: beat-to-beat parallels/100": sections["composed"]["beat-to-beat parallels/100"]["bach"]},
            "bach")  # fmt: skip
    if not args.bach_only:
        model = setting(args)
        record = {**model.record(), "chorale_decoding": args.chorale_decoding, "keys": args.keys}
        progress(args, f"{args.takes} composed chorales")
        takes = composed(model, args)
        put("composed", rates(takes, [KEYS[s % 8][1] == "minor" for s in range(len(takes))]), "value")
        progress(args, f"{len(jsb)} harmonized JSB sopranos")
        pieces, ends = [], []
        for i, chorale in enumerate(jsb):
            soprano = copy.deepcopy(chorale)
            soprano.tracks = soprano.tracks[:1]
            pieces.append(ts.harmonize(soprano, style="chorale", seed=args.seed_base + i, model=model).piece)
            ends.append(soprano.duration())
        put(
            "harmonized",
            {**rates(pieces, [p.key.mode == "minor" for p in pieces], ends), **inner_motion(pieces)},
            "value",
        )
        progress(args, f"{args.passion} Passion chorale closes")
        with tempfile.TemporaryDirectory() as tmp:
            put("harmonized", passion_closes(model, args, Path(tmp)), "value")
        progress(args, f"given chords, {args.given} takes per progression")
        put("given chords", given_chords(model, args), "value")
    seconds = round(time.time() - start, 1)
    print(f"model {record}  seeds from {args.seed_base}  ({seconds} s)" if record else f"Bach only ({seconds} s)")
    print(table(sections))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"model": record, "args": vars(args), "seconds": seconds, "measures": sections}, f, indent=1)


if __name__ == "__main__":
    main()
