"""The MusPy metrics (Dong et al., ISMIR 2020) on a `Piece`.

Reference: Hao-Wen Dong, Ke Chen, Julian McAuley, Taylor Berg-Kirkpatrick, "MusPy: A Toolkit
for Symbolic Music Generation", ISMIR 2020 (muspy.metrics, version 0.5). Each function here
converts the piece with `piece_to_muspy` (which calls `Music.adjust_resolution(24)`, 24 time
steps per quarter beat, as the muspy docs ask for before computing metrics) and calls the muspy
implementation, so the values are those muspy gives. The definitions (and muspy's quirks, kept
on purpose so that numbers compare with published muspy numbers) are restated in each docstring.

Drum tracks are ignored by the pitch metrics (muspy's rule); `empty_beat_rate` and
`groove_consistency` count drum notes too (again muspy's rule).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from tunesmith.score import Note, Piece, Track

RESOLUTION = 24  # muspy time steps per quarter beat
_BUILD_RESOLUTION = 960  # exact for halves, thirds, fifths... of a beat before rounding to 24


def piece_to_muspy(piece: Piece) -> Any:
    """Convert a Piece to a `muspy.Music` at resolution 24 (steps per quarter beat).

    The music is first built at resolution 960 (onsets and ends rounded to 1/960 beat), then
    `adjust_resolution(24)` rounds onsets and ends (muspy rounds the end, so a duration can become
    0 for notes shorter than 1/48 beat). Tempos, key and time signatures, bar lines, chord
    symbols (as annotations) and the title come along; the pitch metrics only read the notes.
    """
    import muspy

    def ticks(beats: float) -> int:
        return int(round(beats * _BUILD_RESOLUTION))

    tracks = []
    for t in piece.tracks:
        notes = [
            muspy.Note(
                time=ticks(n.onset),
                pitch=int(n.pitch),
                duration=max(ticks(n.onset + n.duration) - ticks(n.onset), 1),
                velocity=int(n.velocity),
            )
            for n in sorted(t.notes, key=lambda n: (n.onset, n.pitch))
        ]
        tracks.append(muspy.Track(program=int(t.program), is_drum=bool(t.is_drum), name=t.name, notes=notes))
    key_signatures = []
    for k in piece.keys:
        mode = k.mode if k.mode in ("major", "minor") else None
        key_signatures.append(muspy.KeySignature(time=ticks(k.onset), root=k.tonic_pc, mode=mode, root_str=k.tonic))
    music = muspy.Music(
        metadata=muspy.Metadata(title=piece.title or None),
        resolution=_BUILD_RESOLUTION,
        tempos=[muspy.Tempo(time=ticks(t.onset), qpm=float(t.qpm)) for t in piece.tempos],
        key_signatures=key_signatures,
        time_signatures=[
            muspy.TimeSignature(time=ticks(ts.onset), numerator=ts.numerator, denominator=ts.denominator)
            for ts in piece.time_signatures
        ],
        barlines=[muspy.Barline(time=ticks(b)) for b in (piece.bar_onsets or [])],
        annotations=[muspy.Annotation(time=ticks(c.onset), annotation=c.figure, group="chord") for c in piece.chords],
        tracks=tracks,
    )
    music.adjust_resolution(RESOLUTION)
    return music


def _has_notes(music: Any) -> bool:
    return any(track.notes for track in music.tracks)


def pitch_range(piece: Piece) -> int:
    """Highest minus lowest pitch in semitones over all non-drum notes; 0 if there is no note.

    muspy.pitch_range (Dong et al. 2020).
    """
    import muspy

    return int(muspy.pitch_range(piece_to_muspy(piece)))


def n_pitches_used(piece: Piece) -> int:
    """Number of distinct MIDI pitches among the non-drum notes. muspy.n_pitches_used."""
    import muspy

    return int(muspy.n_pitches_used(piece_to_muspy(piece)))


def n_pitch_classes_used(piece: Piece) -> int:
    """Number of distinct pitch classes (pitch mod 12) among the non-drum notes.
    muspy.n_pitch_classes_used."""
    import muspy

    return int(muspy.n_pitch_classes_used(piece_to_muspy(piece)))


def pitch_entropy(piece: Piece) -> float:
    """Shannon entropy (bits) of the normalized histogram of note pitches (each note counts once,
    whatever its duration): H = -sum_i P(pitch=i) log2 P(pitch=i). NaN if there is no note.

    muspy.pitch_entropy (Dong et al. 2020).
    """
    import muspy

    return float(muspy.pitch_entropy(piece_to_muspy(piece)))


def pitch_class_entropy(piece: Piece) -> float:
    """Shannon entropy (bits) of the normalized pitch-class histogram of the notes (note counts):
    H = -sum_{i=0}^{11} P(pc=i) log2 P(pc=i). NaN if there is no note.

    muspy.pitch_class_entropy; used in S.-L. Wu and Y.-H. Yang, "The Jazz Transformer on the
    Front Line", ISMIR 2020.
    """
    import muspy

    return float(muspy.pitch_class_entropy(piece_to_muspy(piece)))


def scale_consistency(piece: Piece) -> float:
    """Largest, over the 24 major and (natural) minor scales, share of notes whose pitch class is
    in the scale. NaN if there is no note.

    muspy.scale_consistency; from O. Mogren, "C-RNN-GAN: Continuous recurrent neural networks
    with adversarial training", NeurIPS Constructive Machine Learning Workshop 2016.
    """
    import muspy

    return float(muspy.scale_consistency(piece_to_muspy(piece)))


def pitch_in_scale_rate(piece: Piece, root: int | None = None, mode: str | None = None) -> float:
    """Share of non-drum notes in the major / natural-minor scale on `root` (pitch class).
    Defaults to the piece's first key (modes other than major/minor are refused by muspy).

    muspy.pitch_in_scale_rate; from H.-W. Dong et al., "MuseGAN", AAAI 2018.
    """
    import muspy

    if root is None or mode is None:
        key = piece.key
        if key is None:
            raise ValueError(f"{piece.piece_id}: no key given and the piece has none")
        root = key.tonic_pc if root is None else root
        mode = key.mode if mode is None else mode
    return float(muspy.pitch_in_scale_rate(piece_to_muspy(piece), root, mode))


def polyphony(piece: Piece) -> float:
    """Mean number of pitches sounding at once, over the time steps (1/24 beat) where at least one
    non-drum pitch sounds. NaN if there is no note. muspy.polyphony."""
    import muspy

    music = piece_to_muspy(piece)
    if not _has_notes(music):
        return math.nan
    return float(muspy.polyphony(music))


def polyphony_rate(piece: Piece, threshold: int = 2) -> float:
    """Share of time steps (1/24 beat, from 0 to the end of the last note) where MORE THAN
    `threshold` non-drum pitches sound. NaN for an empty piece.

    muspy.polyphony_rate (its "multiple pitches" is implemented as `> threshold`, default 2, so
    by default a step counts when three or more pitches sound; pass `threshold=1` for "two or
    more"). "Polyphonicity" in H.-W. Dong et al., "MuseGAN", AAAI 2018.
    """
    import muspy

    music = piece_to_muspy(piece)
    if not _has_notes(music):
        return math.nan
    return float(muspy.polyphony_rate(music, threshold=threshold))


def empty_beat_rate(piece: Piece) -> float:
    """Share of beats (quarter beats) in which no note sounds. NaN for an empty piece.

    muspy.empty_beat_rate (after Pypianoroll, Dong et al., ISMIR LBD 2018). muspy's counting,
    kept as is: there are `end // 24 + 1` beats (end = last note end in steps), and a note
    covers beats `onset // 24` through `end // 24` INCLUSIVE, so a note that ends exactly on a
    beat line also marks the following beat as non-empty. Drum notes count.
    """
    import muspy

    music = piece_to_muspy(piece)
    if not _has_notes(music):
        return math.nan
    return float(muspy.empty_beat_rate(music))


def measure_resolution(piece: Piece) -> int:
    """Time steps per bar at resolution 24, from the piece's (first) meter: 4/4 -> 96, 6/8 -> 72."""
    steps = piece.time_signature.bar_length * RESOLUTION
    if abs(steps - round(steps)) > 1e-9:
        raise ValueError(f"{piece.piece_id}: bar of {piece.time_signature} is not a whole number of steps")
    return int(round(steps))


def _pickup_shift(piece: Piece) -> float:
    """Beats to shift the piece so that bar lines fall on multiples of the bar length."""
    bars = piece.bars()
    bar_length = piece.time_signature.bar_length
    if len(bars) >= 2 and bars[0] <= 1e-9 and bars[1] < bar_length - 1e-9:
        return bar_length - bars[1]
    return 0.0


def groove_consistency(piece: Piece) -> float:
    """1 - mean Hamming distance between the binary onset vectors of neighbouring bars:
    GC = 1 - 1/(T-1) * sum_{i=1}^{T-1} d(G_i, G_{i+1}) / R, with G_i the onset pattern of bar i on
    R = `measure_resolution(piece)` steps. NaN with fewer than two bars. Drum notes count.

    muspy.groove_consistency; from S.-L. Wu and Y.-H. Yang, "The Jazz Transformer on the Front
    Line", ISMIR 2020. The measure resolution comes from the piece's first time signature (muspy
    assumes a constant meter). muspy cuts bars from time 0; for a piece whose explicit bar lines
    start with a pickup, the notes are shifted so that bars line up with the bar lines.
    """
    import muspy

    shift = _pickup_shift(piece)
    if shift:
        piece = replace(
            piece,
            tracks=[
                Track(
                    t.name,
                    t.role,
                    t.program,
                    t.is_drum,
                    [Note(n.pitch, n.onset + shift, n.duration, n.velocity) for n in t.notes],
                )
                for t in piece.tracks
            ],
            bar_onsets=[],
            end=0.0,
        )
    music = piece_to_muspy(piece)
    if not _has_notes(music):
        return math.nan
    return float(muspy.groove_consistency(music, measure_resolution(piece)))


def muspy_metrics(piece: Piece) -> dict[str, float]:
    """All the metrics above in one dict (the piece is converted once per metric)."""
    out: dict[str, float] = {
        "pitch_range": float(pitch_range(piece)),
        "n_pitches_used": float(n_pitches_used(piece)),
        "n_pitch_classes_used": float(n_pitch_classes_used(piece)),
        "pitch_entropy": pitch_entropy(piece),
        "pitch_class_entropy": pitch_class_entropy(piece),
        "scale_consistency": scale_consistency(piece),
        "polyphony": polyphony(piece),
        "polyphony_rate": polyphony_rate(piece),
        "empty_beat_rate": empty_beat_rate(piece),
        "groove_consistency": groove_consistency(piece),
    }
    return out
