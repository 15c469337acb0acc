"""Playback shaping: a metrical accent for generated notes, and swing for the audio of jazz.

Neither changes what is notated: `accent` sets the velocity of notes tunesmith wrote (never the
musician's), and `swing` returns a copy whose off-beat eighths are delayed, used only to render
the WAV (the MIDI and MusicXML keep straight eighths, so a round trip reads the same rhythm).
"""

from __future__ import annotations

import bisect
import copy
import math
from collections.abc import Callable

from tunesmith.score import Note, Piece, TimeSignature

# velocity by metrical weight: downbeat, the middle of the bar (beat 3 of 4/4, beat 4 of 6/8),
# other beats, off-beats
VELOCITIES = (96, 88, 80, 70)
ACCOMPANIMENT_SCALE = 0.85  # lower voices and chord parts sit under the melody
SWING_RATIO = 2 / 3  # the long eighth of a swung pair: 2/3 of the beat (triplet feel)
_EPS = 1e-6


def _meter_at(piece: Piece, t: float) -> TimeSignature:
    cur = piece.time_signature
    for ts in sorted(piece.time_signatures, key=lambda x: x.onset):
        if ts.onset <= t + _EPS:
            cur = ts
    return cur


def metrical_weight(piece: Piece, onset: float, bars: list[float] | None = None) -> int:
    """0 on a downbeat, 1 on the bar's middle beat (4/4, 6/8, 12/8, 2/2 ...), 2 on other beats, 3 off the beat."""
    bars = bars if bars is not None else piece.bars()
    i = max(0, bisect.bisect_right(bars, onset + _EPS) - 1)
    ts = _meter_at(piece, onset)
    start = bars[i]
    if i == 0 and len(bars) > 1 and bars[1] - bars[0] < ts.bar_length - _EPS:
        start = bars[1] - ts.bar_length  # a pickup counts from where its full bar would start
    rel = onset - start
    beat = ts.beat_length
    if abs(rel) < _EPS:
        return 0
    n_beats = round(ts.bar_length / beat)
    pos = rel / beat
    if abs(pos - round(pos)) > 1e-3:
        return 3
    if n_beats % 2 == 0 and n_beats >= 2 and round(pos) == n_beats // 2:
        return 1
    return 2


def accent(piece: Piece, keep: Callable[[int, Note], bool] | None = None) -> Piece:
    """Set the velocity of every note of `piece` (in place; returns it) by its metrical weight
    (`VELOCITIES`), parts other than the melody/soprano a little softer. `keep(track_index, note)`
    True leaves a note as it is (the musician's notes)."""
    bars = piece.bars()
    for ti, track in enumerate(piece.tracks):
        if track.is_drum:
            continue
        scale = 1.0 if track.role in ("melody", "soprano") else ACCOMPANIMENT_SCALE
        for n in track.notes:
            if keep is not None and keep(ti, n):
                continue
            n.velocity = max(1, min(127, round(VELOCITIES[metrical_weight(piece, n.onset, bars)] * scale)))
    return piece


def _retimed(piece: Piece, moved: Callable[[float], float]) -> Piece:
    """`piece` (in place; returned) with every note's onset and end moved by `moved`; a note that
    would vanish keeps its times."""
    for track in piece.tracks:
        for n in track.notes:
            start, stop = moved(n.onset), moved(n.onset + n.duration)
            if stop > start + _EPS:
                n.onset, n.duration = start, stop - start
    return piece


def played_swung(piece: Piece) -> bool:
    """Whether the WAV swings the eighths (and the score says "Swing" over jazz): jazz, and a dance
    played swung (`SWUNG_DANCES`: a hornpipe), as the request recorded in the piece says."""
    from tunesmith.sampling.request import SWUNG_DANCES

    request = piece.meta.get("request")
    dance = request.get("dance") if isinstance(request, dict) else None
    return piece.style == "jazz" or (piece.style == "folk" and dance in SWUNG_DANCES)


def swing(piece: Piece, ratio: float = SWING_RATIO) -> Piece:
    """A copy with swung eighths: in x/4 and 2/2 meters, a note starting half a beat after a quarter
    beat moves to `ratio` of the beat, and a note ending there ends there too. Other meters
    (compound ones are already triple) come back unchanged."""
    out = copy.deepcopy(piece)
    if ratio <= 0.5 or ratio >= 1:
        return out

    def moved(t: float) -> float:
        ts = _meter_at(piece, t)
        if ts.denominator != 4 or ts.is_compound:
            return t
        frac = t - int(t + _EPS)
        if abs(frac - 0.5) < _EPS:
            return int(t + _EPS) + ratio
        return t

    return _retimed(out, moved)


# ============================================================================ reading a performance
# A MIDI file rendered from notation by a player program can carry its performance in the times:
# the Irish set's files start every note one tick late (1/480 beat) and play hornpipes swung, the
# long eighth of each pair written as two thirds of the beat. A model that learns from them should
# learn the tune as written, so the corpus reads them back onto the grid and straight.
GRID_PER_BEAT = 48  # sixteenths, triplets and their halves all lie on it
SNAP_TOLERANCE = 0.15  # of a grid step: 3 ticks at 480 per beat
SWUNG_MIN_PAIRS = 8  # a piece with fewer swung off-beats is not judged swung
SWUNG_DOMINANCE = 4  # ... nor one with fewer than 4 swung off-beats for each straight one


def snap_to_grid(piece: Piece, per_beat: int = GRID_PER_BEAT, tolerance: float = SNAP_TOLERANCE) -> Piece:
    """A copy whose note onsets and ends within `tolerance` of a grid step (1/`per_beat` beat) lie on it;
    a note that would vanish keeps its times. The bar lines, chord symbols, key and time signatures
    and the end move with the notes: the Irish set's MIDI files whose pickup is a tick long had kept
    bar lines 1/480 beat late (646 of 1,195 tunes), each downbeat note lying just before its bar
    line, where a measure that cuts at the bar line counts it into the bar before (session 59)."""
    out = copy.deepcopy(piece)

    def snapped(t: float) -> float:
        k = round(t * per_beat)
        return k / per_beat if abs(t * per_beat - k) <= tolerance else t

    out.bar_onsets = [snapped(t) for t in out.bar_onsets]
    for mark in (*out.time_signatures, *out.keys):
        mark.onset = snapped(mark.onset)
    for chord in out.chords:
        start = snapped(chord.onset)
        if chord.duration is not None:
            stop = snapped(chord.onset + chord.duration)
            chord.duration = stop - start if stop > start + _EPS else chord.duration
        chord.onset = start
    if out.end:
        out.end = snapped(out.end)
    return _retimed(out, snapped)


def _simple_meter_at(piece: Piece, t: float) -> bool:
    ts = _meter_at(piece, t)
    return ts.denominator in (2, 4) and not ts.is_compound


def swung_off_beats(piece: Piece, ratio: float = SWING_RATIO, tolerance: float = 0.02) -> tuple[int, int]:
    """(onsets at `ratio` of a quarter beat, onsets at half the beat) in the piece's simple meters."""
    swung = straight = 0
    for track in piece.tracks:
        for n in track.notes:
            if not _simple_meter_at(piece, n.onset):
                continue
            frac = n.onset - int(n.onset + _EPS)
            swung += abs(frac - ratio) < tolerance
            straight += abs(frac - 0.5) < tolerance
    return swung, straight


def is_swung(piece: Piece, ratio: float = SWING_RATIO) -> bool:
    """True when the piece's off-beat eighths are written swung: at least `SWUNG_MIN_PAIRS` onsets
    at `ratio` of the beat and `SWUNG_DOMINANCE` times as many as at half the beat."""
    swung, straight = swung_off_beats(piece, ratio)
    return swung >= SWUNG_MIN_PAIRS and swung >= SWUNG_DOMINANCE * straight


def unswing(piece: Piece, ratio: float = SWING_RATIO) -> Piece:
    """The inverse of `swing`: a copy whose quarter beats in x/4 and x/2 meters are straightened, the
    time `ratio` into a beat moving to its half and the rest of the beat stretched or squeezed
    around it (a sixteenth after a swung eighth stays a sixteenth). A beat with a note starting a
    third of the way in is a written triplet and stays as it is. The map is monotonic and fixes
    every beat, so no note crosses another or a bar line."""
    out = copy.deepcopy(piece)
    if ratio <= 0.5 or ratio >= 1:
        return out
    triplet_beats = {
        int(n.onset + _EPS)
        for track in piece.tracks for n in track.notes
        if abs(n.onset - int(n.onset + _EPS) - 1 / 3) < 0.02
    }

    def moved(t: float) -> float:
        beat = int(t + _EPS)
        frac = t - beat
        if frac < _EPS or beat in triplet_beats or not _simple_meter_at(piece, t):
            return t
        if frac <= ratio:
            return beat + frac * 0.5 / ratio
        return beat + 0.5 + (frac - ratio) * 0.5 / (1 - ratio)

    return _retimed(out, moved)


# A melody played in (a musician's MIDI file recorded against a click, unquantized) has its onsets a
# few hundredths of a beat off any written value, and its score came out in sextuplets, 64th rests
# and ties. Its score is written quantized, as a notation program's MIDI import does it; its MIDI
# keeps the times as played.
PLAYED_MIN_NOTES = 8  # a piece is played in when at least this many of its notes ...
PLAYED_SHARE = 0.10  # ... and this share of them start or end off every written value
WRITTEN_TOLERANCE = 2.5e-3  # beats: a time this near a written value is written (a tick at 480 is 2.1e-3)
WRITTEN_GRID = 24  # per beat: 32nds and 16th triplets
EARLY = 0.1  # of a beat: a time this much before a beat belongs to that beat
# the grids a beat's onsets may be read on (fractions of the quarter, or of the eighth in x/8), each
# with what it costs per onset (squared beats): a beat takes the grid whose squared distances to its
# onsets plus that cost are least. The costs are about a played note's squared timing error (0.03
# beats: 15 ms at 120 bpm), so that a finer grid is taken only where it fits the onsets better than
# the timing's noise: with 1e-5 a beat of triplets played 0.04 beats late had read as 32nds
NOTATION_GRIDS = {1.0: 0.0, 1 / 2: 5e-4, 1 / 4: 1e-3, 1 / 3: 1e-3, 1 / 8: 3e-3, 1 / 6: 3e-3}


def _written(t: float) -> bool:
    """Whether a time is a written value: on the grid of 32nds and 16th triplets (1/24 beat: not
    1/48, where a note released 10 ticks early at 480 lies) or a tuplet fraction (1/5, 2/13, 1/16),
    within `WRITTEN_TOLERANCE` (a file a tick late at 480 ticks a beat is written)."""
    from tunesmith.convert.common import tuplet_fraction

    if abs(t * WRITTEN_GRID - round(t * WRITTEN_GRID)) <= WRITTEN_TOLERANCE * WRITTEN_GRID:
        return True
    return tuplet_fraction(t, WRITTEN_TOLERANCE) is not None


def is_played(piece: Piece) -> bool:
    """Whether `piece`'s times are played, not written (`PLAYED_MIN_NOTES`, `PLAYED_SHARE`): a
    note is played where its onset or its end lies off every written value. The ends count too:
    a DAW's "quantize starts" leaves every note released a few ticks early, and such a keys
    part had come out in 96th-note tuplets and 64th rests."""
    notes = [n for t in piece.tracks for n in t.notes]
    off = sum(not (_written(n.onset) and _written(n.onset + n.duration)) for n in notes)
    return off >= PLAYED_MIN_NOTES and off >= PLAYED_SHARE * len(notes)


def notated(piece: Piece) -> Piece:
    """A copy of a played piece with its times as a score writes them: per beat (a quarter; an
    eighth in x/8 meters), counted from the first full bar, the beat's onsets and ends on the grid
    of `NOTATION_GRIDS` that fits its onsets best (least squared distance plus the grid's cost).
    A note keeps at least one step of its beat's grid, and one that stops a sixteenth or less
    before the next note's onset runs to it. A piece that is not played (`is_played`) comes back
    unchanged (itself, not a copy: the score writer only reads it)."""
    if not is_played(piece):
        return piece
    out = copy.deepcopy(piece)
    bars = piece.bars()
    unit = 0.5 if piece.time_signature.denominator == 8 else 1.0
    origin = (bars[1] if len(bars) > 1 else 0.0) % unit

    def cell(t: float) -> int:  # a time played a little early (up to EARLY of a beat) is the next beat's
        return math.floor((t - origin) / unit + EARLY)

    onsets: dict[int, list[float]] = {}
    for track in piece.tracks:
        for n in track.notes:
            onsets.setdefault(cell(n.onset), []).append(n.onset)
    # every beat is read again, its written values too: a played onset lies within a 1/48-beat step
    # of a written value as often as not, so no single time tells a written beat from a played one
    steps: dict[int, float] = {}  # per beat, its grid step
    for c, ts in onsets.items():
        start = origin + c * unit

        def cost(g: float, start: float = start, ts: list[float] = ts) -> float:
            step = g * unit
            return sum((t - start - round((t - start) / step) * step) ** 2 for t in ts)

        ranked = [(cost(g) + extra * len(ts), k, g) for k, (g, extra) in enumerate(NOTATION_GRIDS.items())]
        steps[c] = min(ranked)[2] * unit

    def on_grid(t: float, step: float) -> float:
        start = origin + cell(t) * unit
        return start + round((t - start) / step) * step

    for track in out.tracks:
        for n in track.notes:
            step = steps[cell(n.onset)]
            onset = on_grid(n.onset, step)
            end_step = steps.get(cell(n.onset + n.duration)) or unit / 2  # a beat with no onset: its half
            end = on_grid(n.onset + n.duration, end_step)
            n.onset, n.duration = onset, max(end - onset, step)
            n.held = None  # a played part is one voice a track: its times are the ones just set
        # a gap of a sixteenth or less before the next note is how it was played (detached), not
        # a rest the player counted: the note is written to the next onset, as notation imports do
        starts = sorted({n.onset for n in track.notes})
        for n in track.notes:
            k = bisect.bisect_right(starts, n.onset + _EPS)
            if k < len(starts) and 0 < starts[k] - (n.onset + n.duration) <= unit / 4 + _EPS:
                n.duration = starts[k] - n.onset
    if out.end > 0:
        # the piece's end as played (a DAW's end of track, 1/32 beat before the bar line) is written
        # where its beat's grid puts it, and never before the last note's written end: a songwriter's
        # harmonized vocal idea had its last bar written 3 31/32 beats long, the last note a half tied
        # to a quarter tied to a quadruple-dotted eighth
        last = max((n.onset + n.duration for t in out.tracks for n in t.notes), default=0.0)
        out.end = max(last, on_grid(out.end, steps.get(cell(out.end)) or unit / 2))
    out.meta["notated_from_played"] = True
    return out


def as_written(piece: Piece) -> Piece:
    """A performed piece read as notation: snapped to the grid and, where its eighths are swung,
    straightened (`meta["unswung"] = True` then)."""
    out = snap_to_grid(piece)
    if is_swung(out):
        out = unswing(out)
        out.meta["unswung"] = True
    return out


# ============================================================================ instruments and comping
# General MIDI programs (0-based) a take plays on, by style: (melody, chord track). Only a track
# whose program is the default 0 (unspecified: ABC, MusicXML and the model's output) gets the
# style's melody instrument (`orchestrate`, when a take is made); a musician's MIDI keeps its
# programs. Chorale voices sing.
STYLE_PROGRAMS: dict[str, tuple[int, int]] = {
    "folk": (40, 24),  # violin (fiddle) over nylon-string guitar
    "jazz": (66, 0),  # tenor sax over acoustic piano
    "pop": (80, 4),  # square lead over electric piano
    "chorale": (52, 52),  # choir aahs
}
# The comping bass of a lead sheet plays on its own track (`convert.BASS_TRACK_NAME`), as a DAW user
# routes it to a bass of their own (a game composer asked for it): jazz on an acoustic bass, pop on a
# fingered electric bass; folk's boom-chick bass is the guitarist's thumb, so the guitar again.
BASS_PROGRAMS: dict[str, int] = {"folk": 24, "jazz": 32, "pop": 33}
VOICE_ROLES = ("soprano", "alto", "tenor", "bass")
BASS_LOW = 36  # comping bass notes lie in C2..B2
CHORD_BASE = 52  # chord and shell voicings lie from E3 up
COMP_VELOCITIES = {"bass": 74, "chord": 60, "shell": 62, "arp": 56, "block": 60}


def track_program(piece: Piece, track) -> int:
    """The GM program `track` plays on in `piece`'s MIDI and WAV: its own, or when that is the
    default 0, the style's (`STYLE_PROGRAMS`: the melody of a lead sheet, every voice of a chorale).
    A track read from a MIDI file (named in `meta["midi_program_tracks"]`) keeps its program, 0 too:
    there 0 is the acoustic piano, and a musician's piano part, continued, had come back played on a
    violin. The tracks tunesmith writes beside it (a harmonization's voices) get the style's."""
    program = int(track.program)
    given = track.name in (piece.meta.get("midi_program_tracks") or ())
    if program != 0 or track.is_drum or piece.style not in STYLE_PROGRAMS or given:
        return program
    melody, _ = STYLE_PROGRAMS[piece.style]
    if piece.style == "chorale":
        return melody if track.role in (*VOICE_ROLES, "melody") else program
    return melody if track.role == "melody" else program


def orchestrate(piece: Piece) -> Piece:
    """Give the tracks of a take the style's instruments (`track_program`), in place; returns it.
    Called where a take is made (compose, co-create), so the MIDI file and the WAV agree, and a
    file read and written again keeps its programs."""
    for track in piece.tracks:
        track.program = track_program(piece, track)
    return piece


def chord_program(piece: Piece) -> int:
    """The GM program of the chord track: by style (`STYLE_PROGRAMS`), else acoustic piano."""
    return STYLE_PROGRAMS.get(piece.style or "", (0, 0))[1]


def bass_program(piece: Piece) -> int | None:
    """The GM program of the comping bass's own track (`BASS_PROGRAMS`), or None where the comping
    has no bass line of its own (a chorale's or a style-less piece's block chords)."""
    return BASS_PROGRAMS.get(piece.style or "")


def _in_range(pc: int, low: int) -> int:
    return low + (pc - low) % 12


def _voicings(figure: str) -> dict[str, list[int]] | None:
    """The pitches each comping hit plays for `figure`: bass (root, or the slash bass), fifth
    (or the bass again), chord (close voicing above the bass), shell (3rd and 7th, or 6th / 5th,
    above the root) and arp (the chord's tones, low to high); None when it does not parse."""
    from tunesmith.harmony import chord_pitches, parse_chord

    try:
        root, _quality, slash = parse_chord(figure)
        tones = chord_pitches(figure)  # root in C3..B3, a slash bass below
    except (ValueError, KeyError, IndexError):
        return None
    # the chord's tones above the bass, lifted into CHORD_BASE.. (an inversion where needed)
    upper = sorted({p if p >= CHORD_BASE else p + 12 for p in tones if p >= 48}) or tones
    pcs = {p % 12 for p in tones}
    bass = _in_range(slash if slash is not None else root, BASS_LOW)
    rel = {(pc - root) % 12 for pc in pcs}
    fifth = _in_range((root + 7) % 12, BASS_LOW) if 7 in rel and slash is None else bass
    third = next((i for i in (4, 3, 5, 2) if i in rel), None)
    seventh = next((i for i in (10, 11, 9, 6) if i in rel), None)
    if seventh is None:
        seventh = 7 if 7 in rel else None
    shell = sorted({_in_range((root + i) % 12, CHORD_BASE + 1) for i in (third, seventh) if i is not None}) or upper
    return {"bass": [bass], "fifth": [fifth], "chord": upper, "shell": shell, "arp": sorted(upper)}


def _bar_pattern(style: str, ts: TimeSignature) -> list[tuple[float, float, str]]:
    """One bar of comping for `style` in meter `ts`: (offset, duration, hit) in quarter notes,
    hit one of bass, fifth, chord, shell, arp:<i>. folk: bass on beat 1 (the fifth on the middle
    beat), the chord on the other beats and off-beats ("boom-chick"); jazz: bass on 1 (and 3),
    shell voicings on 2 and 4; pop: the bass on 1, then the chord broken into eighths."""
    beat = ts.beat_length
    n = max(1, round(ts.bar_length / beat))
    middle = n // 2 if n % 2 == 0 and n >= 4 else None
    if ts.is_compound and n == 2 and style == "folk":
        # 6/8: the bass alternates, root on the first dotted beat and fifth on the second, the chord
        # on each one's third eighth (boom-chick, boom-chick); the second beat's chord had been struck
        # where a backer's bass goes, with no bass there (a fiddler's report)
        middle = 1
    events: list[tuple[float, float, str]] = []
    if style == "folk":
        for k in range(n):
            t = k * beat
            if ts.is_compound:  # each dotted beat: bass (or chord) on its first eighth, chord on its third
                head = "bass" if k == 0 else "fifth" if k == middle else "chord"
                events += [(t, 1.0, head), (t + 1.0, 0.5, "chord")]
            else:
                head = "bass" if k == 0 else "fifth" if k == middle else "chord"
                events.append((t, beat if head != "chord" else beat / 2, head))
    elif style == "jazz":
        for k in range(n):
            t = k * beat
            if ts.is_compound:
                events += [(t, 1.0, "bass" if k == 0 else "fifth"), (t + 1.0, 0.4, "shell")]
            elif k % 2 == 0:
                events.append((t, beat, "bass" if k == 0 else "fifth"))
            else:
                events.append((t, beat * 0.6, "shell"))
        if n == 3 and not ts.is_compound:  # jazz waltz: bass on 1, shells on 2 and 3
            events = [(0.0, beat, "bass"), (beat, beat * 0.6, "shell"), (2 * beat, beat * 0.6, "shell")]
    elif style == "pop":
        eighths = round(ts.bar_length / 0.5)
        events.append((0.0, min(ts.bar_length, 2.0), "bass"))
        cycle = (0, 1, 2, 1)
        for i in range(1, eighths):
            events.append((i * 0.5, 0.5, f"arp:{cycle[i % 4]}"))
    return events


def comp_notes(piece: Piece, chords: list) -> list[tuple[float, float, int, int]]:
    """The comping's notes (onset, duration, pitch, velocity) for `chords`, bass and chords
    together (`comp_parts`)."""
    return [note for part in comp_parts(piece, chords).values() for note in part]


def comp_parts(piece: Piece, chords: list) -> dict[str, list[tuple[float, float, int, int]]]:
    """The comping's notes (onset, duration, pitch, velocity) for `chords` (ChordSymbols with
    durations, `convert.chord_durations`), by part: "bass" (the pattern's bass and fifth hits) and
    "chords" (the rest): a comping pattern by the piece's style (`_bar_pattern`), every note a
    tone of the chord sounding (or its slash bass); where a chord starts between the pattern's
    hits, it is struck there. Chorales and pieces without a style hold each chord as a block for
    its duration, all of it under "chords"."""
    from tunesmith.harmony import chord_pitches

    style = piece.style if piece.style in ("folk", "jazz", "pop") else None
    out: list[tuple[float, float, int, int]] = []
    bass: list[tuple[float, float, int, int]] = []
    if style is None:
        for c in chords:
            if _voicings(c.figure) is None:
                continue
            dur = c.duration or 1.0
            out += [(c.onset, dur, p, COMP_VELOCITIES["block"]) for p in chord_pitches(c.figure)]
        return {"bass": bass, "chords": out}
    bars = piece.bars()
    end = max([piece.duration(), *(c.onset + (c.duration or 0.0) for c in chords)])
    for c in chords:
        v = _voicings(c.figure)
        if v is None or not c.duration or c.duration <= _EPS:
            continue
        start, stop = c.onset, min(c.onset + c.duration, end)
        hits: list[tuple[float, float, str]] = []
        i = max(0, bisect.bisect_right(bars, start + _EPS) - 1)
        while i < len(bars) and bars[i] < stop - _EPS:
            ts = _meter_at(piece, bars[i])
            bar_start = bars[i]
            if i == 0 and len(bars) > 1 and bars[1] - bars[0] < ts.bar_length - _EPS:
                bar_start = bars[1] - ts.bar_length  # a pickup counts from where its bar would start
            bar_end = bars[i + 1] if i + 1 < len(bars) else bar_start + ts.bar_length
            for off, dur, hit in _bar_pattern(style, ts):
                t = bar_start + off
                if start - _EPS <= t < stop - _EPS and t >= bars[i] - _EPS:
                    hits.append((t, min(dur, stop - t, bar_end - t), hit))
            i += 1
        if not hits or hits[0][0] > start + _EPS:  # the chord starts between two hits: strike it there
            nxt = hits[0][0] if hits else stop
            hits.insert(0, (start, nxt - start, "bass"))
            if nxt - start > 0.5 + _EPS:
                hits.insert(1, (start, nxt - start, "chord"))
        elif hits[0][2] not in ("bass", "fifth"):
            # a chord that changes on a hit of the chords (pop's "C F" on beat 3, jazz's on beat 2) has its
            # bass there too, a slash chord's named one: a songwriter's "C F" bar had no F in the bass,
            # and G/B none of its B
            nxt = next((t for t, _, hit in hits[1:] if hit in ("bass", "fifth")), stop)
            hits.insert(0, (start, min(nxt, stop) - start, "bass"))
        for j, (t, dur, hit) in enumerate(hits):
            if dur <= _EPS:
                continue
            if j == 0 and hit == "fifth":
                hit = "bass"  # a chord that starts on the bar's middle beat sounds its own bass first
            if hit.startswith("arp:"):
                tones = v["arp"]
                pitches = [tones[int(hit[4:]) % len(tones)]]
                velocity = COMP_VELOCITIES["arp"]
            else:
                pitches = v[hit]
                velocity = COMP_VELOCITIES["bass" if hit == "fifth" else hit]
            if metrical_weight(piece, t, bars) == 0:
                velocity = min(127, velocity + 8)
            (bass if hit in ("bass", "fifth") else out).extend((t, dur, p, velocity) for p in pitches)
    return {"bass": bass, "chords": out}
