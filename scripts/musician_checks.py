"""What a musician reading the takes complains of, counted on takes and on real music side by side.

    python scripts/musician_checks.py clashes [--style folk] [--n 60]
    python scripts/musician_checks.py reel-openings [--n 40]
    python scripts/musician_checks.py chorale-cadences [--n 40]
    python scripts/musician_checks.py chorale-parallels [--n 40]
    python scripts/musician_checks.py beat-parallels [--n 40]
    python scripts/musician_checks.py beat-sonorities [--n 40]
    python scripts/musician_checks.py fermatas [--n 40]
    python scripts/musician_checks.py leaps [--n 60]
    python scripts/musician_checks.py classifier-features [--style folk] [--seeds 0,1,2]

Each check answers one complaint with a rate, so that a complaint about one take can be told from
a habit of the composer:
- clashes: melody notes on strong beats (the downbeat and the bar's middle) that are not tones of
  the chord over them and lie a semitone from one ("D natural over B7"); takes of `--n` seeds
  (16 bars) against the validation split and the shippable training split;
- reel-openings: notes in the first two whole bars of `--dance reel` takes (32 bars, 8 keys and
  modes) against the Nottingham reels ("reels that open like slow airs");
- chorale-cadences: the bass's last move (degrees) of composed chorales (8 bars, 8 keys) against
  Bach's validation chorales ("no V-I at the end");
- chorale-parallels: parallel fifths and octaves in composed chorales, with the voices, bar and
  beat of each ("alto and bass in fifths");
- beat-parallels: fifths and octaves from beat to beat (the sounding pitches on each beat, both
  voices moving the same way, passing notes between ignored), per 100 beats: Bach's validation
  chorales, harmonizations of the first `--n` of their sopranos (seed i) and `--n` composed chorales
  ("parallel octaves hidden behind passing eighths");
- beat-sonorities: the share of beats whose four sounding pitch classes are no triad or seventh
  chord (major, minor, diminished, augmented; dominant, major, minor, half-diminished and
  diminished sevenths), Bach's / harmonized / composed as for beat-parallels ("8-14 dissonant
  beats a take");
- fermatas: at each fermata inside a chorale (its last note left out), whether the four voices
  sound a major or minor triad, whether its root is in the bass, whether the lower voices hold
  under the soprano's fermata note (none strikes a new note before it ends) and whether the bass
  moves into the chord by a fourth or a fifth (a cadence's bass): Bach's chorales
  of the music21 corpus (research-only, read with their fermatas; the works of the JSB split
  `--split`) against harmonizations of the first `--n` of their sopranos, fermatas kept, and
  `--n` composed 8-bar chorales, marked at their phrase ends ("the voices run on through the
  fermata"); and Bach's phrases: the beats between fermatas and the chord (root's degree,
  quality) each fermata before the last closes on, per mode;
- leaps: folk melodies' intervals over an octave and sevenths, takes of every dance against real
  tunes ("a tenth no fiddler would write");
- classifier-features: the classifier two-sample test's features that weigh most when one
  logistic regression is fitted on all real pieces and takes (what tells them apart), with the
  mean of each on either side.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from collections import Counter

import numpy as np

KEYS = (("G", "minor"), ("D", None), ("F", None), ("A", "minor"), ("Bb", None), ("E", "minor"), ("C", None), ("G", None))
FOLK_KEYS = (("D", None), ("G", None), ("A", None), ("E", "minor"), ("A", "dorian"), ("B", "minor"), ("C", None), ("F", None))


MAJOR = {0, 2, 4, 5, 7, 9, 11}
MINOR = {0, 2, 3, 5, 7, 8, 9, 10, 11}  # with the raised 6th and 7th


def key_scale(piece) -> set[int]:
    """The pitch classes of the piece's first key (minor: with its raised 6th and 7th)."""
    key = piece.keys[0]
    return {(key.tonic_pc + i) % 12 for i in (MINOR if key.mode == "minor" else MAJOR)}


def satb_lines(piece) -> tuple[dict, int] | None:
    """The four voices' notes by role (soprano, alto, tenor, bass), each in time order, and the
    piece's length in beats (rounded); None for a piece without exactly those four voices."""
    tracks = {t.role: sorted(t.notes, key=lambda n: n.onset) for t in piece.tracks}
    if set(tracks) != {"soprano", "alto", "tenor", "bass"}:
        return None
    end = max(n.onset + n.duration for ns in tracks.values() for n in ns)
    return tracks, int(end / piece.time_signature.beat_length + 0.5)


def strong_beat_clashes(pieces) -> dict:
    """Strong-beat melody notes, the share off the chord, and the share a semitone from a chord tone."""
    from tunesmith.harmony import chord_pitch_classes
    from tunesmith.performance import metrical_weight

    n = clash = off = 0
    for p in pieces:
        mel = p.melody()
        if mel is None or not p.chords:
            continue
        chords = sorted(p.chords, key=lambda c: c.onset)
        onsets, bars = [c.onset for c in chords], p.bars()
        for x in mel.notes:
            i = bisect.bisect_right(onsets, x.onset + 1e-6) - 1
            if i < 0 or metrical_weight(p, x.onset, bars) > 1:
                continue
            try:
                pcs = chord_pitch_classes(chords[i].figure)
            except ValueError:
                continue
            if not pcs:
                continue
            n += 1
            if x.pitch % 12 not in pcs:
                off += 1
                clash += any((x.pitch - q) % 12 in (1, 11) for q in pcs)
    return {"strong_beat_notes": n, "off_the_chord": round(off / max(n, 1), 4), "semitone_clash": round(clash / max(n, 1), 4)}


def opening_notes(piece, bars_counted: int = 2) -> tuple[int, float] | None:
    """(notes in the first `bars_counted` whole bars, share of them eighths)."""
    bars = piece.bars()
    first = 1 if piece.pickup_beats() > 0 else 0
    if len(bars) < first + bars_counted + 1 or piece.melody() is None:
        return None
    lo, hi = bars[first], bars[first + bars_counted]
    notes = [n for n in piece.melody().notes if lo - 1e-6 <= n.onset < hi - 1e-6]
    return len(notes), sum(abs(n.duration - 0.5) < 1e-6 for n in notes) / max(len(notes), 1)


def opening_summary(rows) -> dict:
    rows = [r for r in rows if r]
    counts = np.array([r[0] for r in rows])
    return {"pieces": len(rows), "median_notes_in_bars_1_2": float(np.median(counts)),
            "share_with_at_most_6_notes": round(float(np.mean(counts <= 6)), 3),
            "mean_eighth_share": round(float(np.mean([r[1] for r in rows])), 3)}  # fmt: skip


def last_bass_move(piece) -> tuple[int | None, int]:
    """(degree of the bass's last pitch before its final one, degree of the final one), in semitones above the tonic."""
    from tunesmith.score import pitch_class_of

    bass = piece.track("bass") or piece.tracks[-1]
    notes = sorted(bass.notes, key=lambda n: n.onset)
    final = notes[-1].pitch
    before = next((n.pitch for n in reversed(notes[:-1]) if n.pitch != final), None)
    tonic = pitch_class_of(piece.key.tonic) if piece.key else 0
    return (None if before is None else (before - tonic) % 12, (final - tonic) % 12)


def cadence_summary(moves) -> dict:
    c, n = Counter(moves), len(moves)
    return {"pieces": n, "V-I": round(c[(7, 0)] / n, 3), "IV-I": round(c[(5, 0)] / n, 3),
            "ends_on_the_tonic": round(sum(v for (_, b), v in c.items() if b == 0) / n, 3),
            "most_common": [[list(k), v] for k, v in c.most_common(6)]}  # fmt: skip


def parallels_where(piece) -> list[dict]:
    """Every parallel fifth or octave (similar motion) between two of the four voices, where it lands."""
    from tunesmith.metrics.harmony_rules import VOICES, _voices

    voices, bars, found = _voices(piece), piece.bars(), []
    for i in range(4):
        for j in range(i + 1, 4):
            upper, lower = voices[VOICES[i]], voices[VOICES[j]]
            before = None
            for t in sorted(upper.change_times() | lower.change_times()):
                a, b = upper.pitch_at(t), lower.pitch_at(t)
                now = (a, b) if a is not None and b is not None else None
                if before and now:
                    (a0, b0), (a1, b1) = before, now
                    for interval in (0, 7):
                        if a1 != a0 and b1 != b0 and (a1 > a0) == (b1 > b0) and abs(a0 - b0) % 12 == interval == abs(a1 - b1) % 12:
                            k = bisect.bisect_right(bars, t + 1e-6) - 1
                            found.append({"voices": VOICES[i][0].upper() + VOICES[j][0].upper(),
                                          "kind": "octave" if interval == 0 else "fifth", "bar": k + 1 if bars[0] == 0 and piece.pickup_beats() == 0 else k,
                                          "beat": round(t - bars[k] + 1, 2), "onset": round(t, 3)})  # fmt: skip
                before = now
    return found


def beat_parallels(pieces) -> dict:
    """Fifths and octaves from one beat's sounding pitches to the next's, similar motion."""
    from tunesmith.metrics.harmony_rules import beat_to_beat_parallels

    counts = [beat_to_beat_parallels(piece) for piece in pieces]
    found, beats = sum(c[0] for c in counts), sum(c[1] for c in counts)
    return {"beats": beats, "parallels": found, "per_100_beats": round(100 * found / max(beats, 1), 2)}


def _chord_sets() -> list[frozenset[int]]:
    from tunesmith.harmony import QUALITIES

    qualities = ("", "m", "dim", "aug", "7", "maj7", "m7", "m7b5", "dim7")
    return [frozenset((root + i) % 12 for i in QUALITIES[q]) for root in range(12) for q in qualities]


def beat_sonorities(pieces) -> dict:
    """Beats whose sounding pitch classes (all four voices) fit no triad or seventh chord."""
    from tunesmith.metrics.harmony_rules import beat_sonorities

    chords = _chord_sets()
    beats = odd = 0
    for piece in pieces:
        for now in beat_sonorities(piece):
            if now is not None:
                beats += 1
                pcs = {p % 12 for p in now}
                odd += not any(pcs <= c for c in chords)
    return {"beats": beats, "no_chord": odd, "share": round(odd / max(beats, 1), 4)}


def fermata_cadences(pieces) -> dict:
    """At each fermata before the last note: a major or minor triad, in root position, held under,
    and the bass moving into it by a fourth or a fifth (V-I, I-V, ii-V, IV-I: a cadence's bass)."""
    from tunesmith.harmony import QUALITIES
    from tunesmith.metrics.harmony_rules import VOICES, _voices

    triads = {frozenset((root + i) % 12 for i in QUALITIES[q]): root for root in range(12) for q in ("", "m")}
    n = triad = root_position = held = fourth_or_fifth = 0
    for piece in pieces:
        voices, soprano = _voices(piece), sorted(piece.track("soprano").notes, key=lambda x: x.onset)
        lower = [x.onset for role in VOICES[1:] for x in piece.track(role).notes]
        for f in piece.fermatas:
            note = next((x for x in soprano if x.onset <= f + 1e-6 < x.onset + x.duration), None)
            now = [voices[r].pitch_at(f) for r in VOICES]
            if note is None or note is soprano[-1] or None in now:
                continue
            n += 1
            root = triads.get(frozenset(p % 12 for p in now))
            triad += root is not None
            root_position += root is not None and now[3] % 12 == root
            held += not any(note.onset + 1e-6 < on < note.onset + note.duration - 1e-6 for on in lower)
            before = voices["bass"].pitch_at(note.onset - 1e-3)  # the bass into the fermata chord
            fourth_or_fifth += before is not None and (now[3] - before) % 12 in (5, 7)
    return {"fermatas": n, "triad": round(triad / max(n, 1), 3), "root_position_triad": round(root_position / max(n, 1), 3),
            "lower_voices_hold": round(held / max(n, 1), 3),
            "bass_in_by_fourth_or_fifth": round(fourth_or_fifth / max(n, 1), 3)}  # fmt: skip


def phrase_shapes(pieces) -> dict:
    """Beats between one fermata and the next (pieces in 4/4), and the chord each fermata before
    the last closes on, as its root's degree and quality in the piece's key, per mode."""
    from tunesmith.harmony import QUALITIES
    from tunesmith.metrics.harmony_rules import VOICES, _voices
    from tunesmith.score import pitch_class_of

    triads = {frozenset((root + i) % 12 for i in QUALITIES[q]): (root, q) for root in range(12) for q in ("", "m")}
    gaps: Counter = Counter()
    chords: dict[str, Counter] = {"major": Counter(), "minor": Counter()}
    for piece in pieces:
        if piece.time_signature.numerator != 4 or piece.key is None:
            continue
        marks = sorted(piece.fermatas)
        gaps.update(b - a for a, b in zip(marks, marks[1:]))
        voices, tonic = _voices(piece), pitch_class_of(piece.key.tonic)
        for f in marks[:-1]:
            now = [voices[r].pitch_at(f) for r in VOICES]
            if None not in now:
                chord = triads.get(frozenset(p % 12 for p in now))
                name = f"{(chord[0] - tonic) % 12}{chord[1]}" if chord else "other"
                chords["minor" if piece.key.mode == "minor" else "major"][name] += 1
    return {"gaps_in_beats": dict(gaps.most_common(6)),
            **{mode: {k: round(v / max(sum(c.values()), 1), 3) for k, v in c.most_common(6)} for mode, c in chords.items()}}  # fmt: skip


def leap_shares(pieces) -> dict:
    n = over = sevenths = 0
    for p in pieces:
        mel = p.melody()
        if mel is None:
            continue
        notes = sorted(mel.notes, key=lambda x: x.onset)
        for a, b in zip(notes, notes[1:]):
            d = abs(b.pitch - a.pitch)
            n += 1
            over += d > 12
            sevenths += d in (10, 11)
    return {"intervals": n, "over_an_octave_pct": round(100 * over / max(n, 1), 3), "sevenths_pct": round(100 * sevenths / max(n, 1), 3)}


def feature_names() -> list[str]:
    from tunesmith.metrics.yang_lerch import NOTE_LENGTH_CLASSES

    lengths = [name for name, _ in NOTE_LENGTH_CLASSES]
    return (["pitch count"] + [f"pitch class {i}" for i in range(12)]
            + [f"pitch class {i}>{j}" for i in range(12) for j in range(12)]
            + ["pitch range", "mean interval", "note count", "mean inter-onset"]
            + [f"length {a}" for a in lengths] + [f"length {a}>{b}" for a in lengths for b in lengths])  # fmt: skip


def harmonized_sopranos(chorales) -> list:
    """Each chorale's soprano harmonized anew (seed i for the i-th), its fermatas kept."""
    import copy

    import tunesmith as ts

    out = []
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        out.append(ts.harmonize(soprano, style="chorale", seed=i).piece)
    return out


def composed_chorales(n: int) -> list:
    """`n` composed 8-bar chorales in the keys of `KEYS` by turns, seeds 500, 501, ..."""
    import tunesmith as ts

    return [ts.compose(style="chorale", key=KEYS[s % 8][0], mode=KEYS[s % 8][1], bars=8, seed=500 + s, check=False).piece
            for s in range(n)]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("check", choices=("clashes", "reel-openings", "chorale-cadences", "chorale-parallels", "beat-parallels",
                                      "beat-sonorities", "fermatas", "leaps", "classifier-features"))  # fmt: skip
    ap.add_argument("--style", default="folk")
    ap.add_argument("--n", type=int, default=40, help="takes")
    ap.add_argument("--seeds", default="0,1,2", help="classifier-features: the musicality seeds pooled")
    ap.add_argument("--split", default="valid", choices=("train", "valid", "test"))
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)

    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    corpus = load_corpus(None)
    out: dict = {"check": args.check}
    if args.check == "clashes":
        def with_chords(pieces):
            return [p for p in pieces if p.chords and p.melody() is not None and p.melody().notes]

        out["real"] = strong_beat_clashes(with_chords(corpus.filter(split=args.split, style=args.style)))
        out["shippable_training"] = strong_beat_clashes(with_chords(corpus.filter(split="train", style=args.style, shippable=True)))
        out["takes"] = strong_beat_clashes([ts.compose(style=args.style, bars=16, seed=3000 + s, check=False).piece for s in range(args.n)])
    elif args.check == "reel-openings":
        reels = re.compile(r"/reels")
        real = [p for p in corpus.filter(style="folk", shippable=True)
                if p.source == "nottingham" and reels.search(p.work_id) and str(p.time_signature) in ("4/4", "2/2")]  # fmt: skip
        out["real_nottingham_reels"] = opening_summary([opening_notes(p) for p in real])
        takes = [ts.compose(style="folk", dance="reel", key=FOLK_KEYS[s % 8][0], mode=FOLK_KEYS[s % 8][1], bars=32,
                            seed=700 + s, check=False).piece for s in range(args.n)]  # fmt: skip
        out["reel_takes"] = opening_summary([opening_notes(p) for p in takes])
    elif args.check in ("chorale-cadences", "chorale-parallels"):
        takes = composed_chorales(args.n)
        if args.check == "chorale-cadences":
            out["bach"] = cadence_summary([last_bass_move(p) for p in corpus.filter(split=args.split, style="chorale", source="jsb")])
            out["composed"] = cadence_summary([last_bass_move(p) for p in takes])
        else:
            found = {500 + s: parallels_where(p) for s, p in enumerate(takes)}
            out["parallels"] = {str(seed): f for seed, f in found.items() if f}
            out["total"] = sum(len(f) for f in found.values())
    elif args.check in ("beat-parallels", "beat-sonorities"):

        count = beat_parallels if args.check == "beat-parallels" else beat_sonorities
        bach = list(corpus.filter(split=args.split, style="chorale", source="jsb"))
        out["bach"] = count(bach)
        out["harmonized"] = count(harmonized_sopranos(bach[: args.n]))
        out["composed"] = count(composed_chorales(args.n))
    elif args.check == "fermatas":

        # the music21 corpus's chorales are dropped from the corpus as the JSB's duplicates (which
        # have no fermatas): read with the dropped records, on the JSB work's split
        everything = load_corpus(None, include_dropped=True)
        jsb_split = {p.work_id: p.split for p in everything.filter(source="jsb")}
        bach = [p for p in everything.filter(source="bach-chorales") if p.fermatas and jsb_split.get(p.work_id) == args.split
                and sorted(t.role for t in p.tracks) == ["alto", "bass", "soprano", "tenor"]]  # fmt: skip
        out["bach"] = fermata_cadences(bach)
        out["bach_phrases"] = phrase_shapes(bach)
        out["bach_first_n"] = fermata_cadences(bach[: args.n])
        out["harmonized"] = fermata_cadences(harmonized_sopranos(bach[: args.n]))
        out["composed"] = fermata_cadences(composed_chorales(args.n))
    elif args.check == "leaps":
        out["real_valid"] = leap_shares(corpus.filter(split="valid", style="folk", shippable=True))
        out["real_training"] = leap_shares(corpus.filter(split="train", style="folk", shippable=True))
        dances = ("reel", "jig", "hornpipe", "waltz", "slip-jig", None)
        out["takes"] = leap_shares([ts.compose(style="folk", dance=dances[s % 6], bars=32, seed=1200 + s, check=False).piece
                                    for s in range(args.n)])  # fmt: skip
    else:
        from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched, real_pieces
        from tunesmith.inference import load_numpy_model
        from tunesmith.metrics.c2st import _standardize, cross_validated_accuracy, feature_vector, fit_logistic
        from tunesmith.pretrained import DEFAULT_MODEL_DIR

        model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
        held = {args.style: list(corpus.filter(split=args.split, style=args.style))}
        real, takes = [], []
        for seed in [int(x) for x in args.seeds.split(",")]:
            reals = real_pieces(held, args.style, 120, seed)
            config = MusicalityConfig(seed=seed)
            # each real piece's first bars, as many as its take has (as the musicality classifier compares them)
            real += [feature_vector(p) for p in length_matched(reals, args.style, config.max_bars)]
            takes += [feature_vector(p) for p in compose_like(model, tok, reals, args.style, config)]
        x = np.array(real + takes)
        y = np.array([0] * len(real) + [1] * len(takes))
        out["cross_validated_accuracy"] = round(cross_validated_accuracy(x, y, seed=0)[0], 3)
        weights, _ = fit_logistic(_standardize(x, x)[0], y)
        names, r, t = feature_names(), np.array(real), np.array(takes)
        out["top_features"] = [{"feature": names[i], "weight": round(float(weights[i]), 2), "real": round(float(r[:, i].mean()), 4),
                                "takes": round(float(t[:, i].mean()), 4)} for i in np.argsort(-np.abs(weights))[:20]]  # fmt: skip
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        for key, value in out.items():
            print(f"{key}: {json.dumps(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
