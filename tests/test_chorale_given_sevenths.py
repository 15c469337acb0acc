"""A chorale over chords the musician gave sings their sevenths: where a seventh chord starts (G7,
Dm7), the tenor takes its seventh if the voices above have not, and a voice on the seventh when the
next chord starts holds it or falls a step. A choir director had found no F under G7 in 4 of 10 bars;
over 96 such chords 16 sounded no seventh, and 40 % of the sevenths sung into the next chord went
down by step or held (Bach 91 %) (session 51)."""

from __future__ import annotations

import tunesmith as ts
from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.sampling import automaton, part_writing

REQUESTS = [("C", "C F | G7 C | Am Dm7 | G7 C", 4), ("G", "G | C D7 | Em Am7 | D7 | G", 5),
            ("F", "F Bb | C7 F | Dm Gm7 | C7 F", 4), ("D", "D | G A7 | Bm | Em7 A7 | D", 5)]  # fmt: skip


def _seventh(figure: str) -> set[int]:
    """The pitch classes of chord symbol `figure` a seventh over its root (none for a triad)."""
    root = parse_chord(figure)[0]
    return {pc for pc in chord_pitch_classes(figure) if (pc - root) % 12 in (10, 11)}


def seventh_counts(piece) -> tuple[int, int, int, int]:
    """(its given seventh chords, those whose seventh sounds, sevenths sung into the next chord,
    those held or falling a step there) in one take over given chords."""
    chords = sung = into = resolved = 0
    given = sorted(piece.chords, key=lambda c: c.onset)
    for i, chord in enumerate(given):
        seventh = _seventh(chord.figure)
        if not seventh:
            continue
        end = given[i + 1].onset if i + 1 < len(given) else piece.duration()
        chords += 1
        sounding = [n for t in piece.tracks for n in t.notes if n.onset < end - 1e-6 and n.onset + n.duration > chord.onset + 1e-6]
        sung += any(n.pitch % 12 in seventh for n in sounding)
        for track in piece.tracks:
            notes = sorted(track.notes, key=lambda n: n.onset)
            for a, b in zip(notes, notes[1:]):
                if a.pitch % 12 in seventh and chord.onset - 1e-6 <= a.onset and a.onset + a.duration >= end - 1e-6 > a.onset:
                    into += 1
                    resolved += b.pitch - a.pitch in (0, -1, -2)
    return chords, sung, into, resolved


def doubled_seventh_beats(piece) -> tuple[int, int]:
    """(beats of one take under a given seventh chord, those where two voices or more sing its
    seventh)."""
    given = sorted(piece.chords, key=lambda c: c.onset)
    beats = doubled = 0
    for t in range(int(piece.duration())):
        chord = next((c for c in reversed(given) if c.onset <= t), None)
        seventh = _seventh(chord.figure) if chord is not None else set()
        if seventh:
            now = [n.pitch for tr in piece.tracks for n in tr.notes if n.onset <= t < n.onset + n.duration]
            beats, doubled = beats + 1, doubled + (sum(p % 12 in seventh for p in now) > 1)
    return beats, doubled


def sevenths() -> tuple[int, int, int, int]:
    """(seventh chords, those whose seventh sounds, sevenths sung into the next chord, those held or
    falling a step there) over 24 takes."""
    model = ts.load_model("default")
    total = [0, 0, 0, 0]
    for key, figures, bars in REQUESTS:
        for seed in range(6):
            piece = ts.compose("chorale", key=key, bars=bars, chords=figures, seed=seed, model=model, check=False).piece
            total = [a + b for a, b in zip(total, seventh_counts(piece))]
    chords, sung, into, resolved = total
    return chords, sung, into, resolved


def test_a_given_chords_seventh_is_sung_and_resolved(monkeypatch):
    chords, sung, into, resolved = sevenths()
    monkeypatch.setattr(automaton, "GIVEN_SEVENTH_SUNG", False)
    monkeypatch.setattr(part_writing, "GIVEN_SEVENTHS_RESOLVE", False)
    chords_off, sung_off, into_off, resolved_off = sevenths()
    # (the weights shipped in session 56 sing 67 of these 72 sevenths; over seeds 0-17, 205 of 216 with
    # the rules and 159 without, and 95 of 112 resolve with them, 55 of 101 without)
    assert sung >= 0.9 * chords and sung > sung_off, (chords, sung, sung_off)
    assert resolved / into >= 0.6 and resolved / into > resolved_off / into_off, (into, resolved, into_off, resolved_off)


def doubled_sevenths() -> tuple[int, int]:
    """(beats under a given seventh chord, those where two voices or more sing its seventh), 18 takes."""
    model = ts.load_model("default")
    beats = doubled = 0
    for key, figures, bars in REQUESTS[:3]:
        for seed in range(300, 306):
            piece = ts.compose("chorale", key=key, bars=bars, chords=figures, seed=seed, model=model, check=False).piece
            b, d = doubled_seventh_beats(piece)
            beats, doubled = beats + b, doubled + d
    return beats, doubled


def test_a_given_chords_seventh_is_sung_once(monkeypatch):
    """A theory teacher's G7 stood as F4 F4 D4 F3 and fell in octaves. Once the seventh had to be sung
    at all, two voices or more sang it on 13 of these 120 beats (2 with the rule), and on 100 of 336
    over 36 takes of three progressions in both textures (11 with it) (session 51)."""
    beats, doubled = doubled_sevenths()
    # the weights shipped in session 56 reach dead ends where the softer rules leave only the seventh:
    # 12 of these 120 beats without `GIVEN_SEVENTH_ONCE_OVER_SOFT_RULES`; over 180 takes of five
    # progressions 168 of 1,512 seventh-chord beats, 32 with it (beat-to-beat parallels 38 -> 46 in
    # 4,286 beats)
    monkeypatch.setattr(automaton, "GIVEN_SEVENTH_ONCE_OVER_SOFT_RULES", False)
    _, doubled_soft = doubled_sevenths()
    monkeypatch.setattr(automaton, "GIVEN_SEVENTH_ONCE", False)
    beats_off, doubled_off = doubled_sevenths()
    assert doubled <= 0.06 * beats and doubled * 3 < doubled_off, (beats, doubled, doubled_off)
    assert doubled * 2 < doubled_soft, (doubled, doubled_soft)
