"""How a composed chorale's bass comes to each phrase's cadence: the degree of its note in the beat
before (`phrase_cadence_approach`), and for the half closes inside the piece a degree drawn per
cadence as Bach's basses come to V, with what the voices around a drawn Phrygian approach do
(`HALF_CLOSE_APPROACH_SHARES`). Masks over the candidate pitches, applied by
`part_writing.part_writing` after the parallels rules; split from it (session 55) as one idea."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tunesmith.sampling.automaton import Constrainer

def bass_before_a_cadence(auto: Constrainer, at: int, window: int) -> tuple[str, int] | None:
    """(the cadence kind, the tick its closing zone starts) where the current voice is the bass
    of a four-part take and tick `at` lies in the `window` ticks before that zone in a cadence
    bar; None elsewhere (and in a bar the form repeats, which is sung as it was)."""
    t, v = auto.t, auto.v
    if auto.vl is None or v != len(t.voices) - 1 or v == 0 or auto.copy_src is not None:
        return None
    kind = auto._cadence()
    if kind is None:
        return None
    zone = auto.bar * t.L + auto._phrase_end(auto.bar) - auto._cadence_zone(auto.bar)
    return (kind, zone) if zone - window <= at < zone else None


# the bass's degree (semitones over the tonic) just before a chorale phrase's cadence: V before a
# close on I (an authentic cadence); I, IV or ii before a half close on V, in minor also VI (the
# lowered sixth falling a semitone: the Phrygian close iv6 - V); I or VII before the
# half close on iv of a mode whose fifth degree has no perfect fifth (phrygian, locrian:
# `_Tables.open_degree`)
PHRASE_APPROACH_DEGREES = {"closed": (7,), "open": (0, 5, 2), "open in minor": (0, 5, 2, 8), "open on iv": (0, 10)}
# ... and which of them each half close inside the piece takes, drawn per cadence as Bach's bass comes
# to V (the degree of the bass note before it, of the degrees above; in minor also the lowered sixth,
# the Phrygian close iv6 - V). Bach, 80 of music21's chorales: major from 2 0.63, 5 0.17, 0 0.09 (6
# 0.06, 9 0.03: chromatic, left out); minor from 8 0.30, 2 0.24, 0 0.24, 5 0.16. Composed chorales
# without the draw: major from 0 0.43, 2 0.37, 5 0.10; minor from 2 0.40, 0 0.33, 5 0.10, 8 0.07
# (`docs/notes/2026-12-06-session-55/half_close_approach.py`). A choir director missed the Phrygian
# close. Empty: the degrees above, undrawn (as before session 55).
HALF_CLOSE_APPROACH_SHARES = {"major": ((2, 0.63), (5, 0.17), (0, 0.09)),
                              "minor": ((8, 0.30), (2, 0.24), (0, 0.24), (5, 0.16))}  # fmt: skip


def half_close_approach_shares(t) -> tuple[tuple[int, float], ...]:
    """The (bass degree, probability) a composed chorale draws the approach to each half close
    inside it from (`HALF_CLOSE_APPROACH_SHARES`, normalized); () for a lead sheet, a church mode
    (its half close is on iv), a chorale over chords the musician gave, or a take without phrase
    cadences (`_Tables.phrase_bars`: only a composed chorale has them)."""
    if not (t.voice_leading and t.phrase_bars) or getattr(t, "modal", False) or getattr(t, "given_bars", None) is not None:
        return ()  # (over chords the musician gave, those chords say where the bass goes)
    shares = HALF_CLOSE_APPROACH_SHARES.get("minor" if t.minor else "major", ())
    total = sum(w for _, w in shares)
    return tuple((d, w / total) for d, w in shares) if total else ()


def phrase_cadence_approach(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray | None:
    """Which candidate pitches the bass's note struck in the beat before a composed chorale
    phrase's cadence may take (`PHRASE_APPROACH_DEGREES`); None where no such note is due. A
    teacher found the fermata chords approached from the same chord or over a pedal bass: the
    bass moved into them by a fourth or a fifth at 0.28 of the fermatas, Bach's at 0.68
    (`scripts/musician_checks.py fermatas`)."""
    t = auto.t
    before = bass_before_a_cadence(auto, at, t.beat_ticks) if auto.bar in t.phrase_bars else None
    if before is None or before[0] not in PHRASE_APPROACH_DEGREES:
        return None
    kind = "open on iv" if before[0] == "open" and t.open_degree == 5 else before[0]
    if kind == "open" and t.minor and HALF_CLOSE_APPROACH_SHARES:
        kind = "open in minor"
    return np.isin(vals % 12, [(t.tonic_pc + d) % 12 for d in PHRASE_APPROACH_DEGREES[kind]])


def drawn_half_close_approach(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray | None:
    """Which candidate pitches for the bass's note struck in the beat before a half close inside a
    composed chorale have the degree the take drew for it (`HALF_CLOSE_APPROACH_SHARES`); None where
    no such note is due or none was drawn. Applied after `phrase_cadence_approach`, as a preference
    among its degrees."""
    t = auto.t
    drawn = auto.phrase_approaches.get(auto.bar)
    if drawn is None or auto._cadence() != "open" or phrase_cadence_approach(auto, at, vals) is None:
        return None  # (a bar drawn for a half close whose cadence is another's now: a passage's, a close on I)
    return vals % 12 == (t.tonic_pc + drawn) % 12


def doubles_a_drawn_phrygian_bass(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray | None:
    """Which candidate pitches for an upper voice's note in the beat before a half close inside a
    composed chorale, where the take drew the Phrygian approach (the bass on the lowered sixth,
    falling a semitone to V), sing that sixth too, or on the beat itself any tone but iv6's root and
    fifth (`PHRYGIAN_UPPER_DEGREES`); None elsewhere. The upper voices are written
    before the bass: a soprano and alto on E-flat falling to D (G minor) had left the bass's E-flat
    parallel octaves, and it came from elsewhere (drawn 8, the Phrygian approach was sung at 0.15 of
    the minor half closes; Bach's 0.30)."""
    t, v = auto.t, auto.v
    if auto.phrase_approaches.get(auto.bar) != 8 or v >= len(t.voices) - 1 or auto.copy_src is not None:
        return None
    if auto._cadence() != "open" or auto.bar not in t.phrase_bars:
        return None
    zone = auto.bar * t.L + auto._phrase_end(auto.bar) - auto._cadence_zone(auto.bar)
    if not zone - t.beat_ticks <= at < zone:
        return None
    if at == zone - t.beat_ticks:  # on the beat, iv6's other tones (D and A over F, in A minor), first one not sung above
        tones = {(t.tonic_pc + d) % 12 for d in PHRYGIAN_UPPER_DEGREES}
        above = auto.vl.pcs_above(v, at) if auto.vl else set()
        return ~np.isin(vals % 12, sorted(tones - above or tones))
    return vals % 12 == (t.tonic_pc + 8) % 12


# the tones the voices above sing on the beat of a drawn Phrygian approach: iv6's root and fifth over
# its third in the bass, each voice first one that no voice above sings (an alto's E over the bass's F
# had sounded a major seventh, not iv6; then soprano, alto and tenor all on A, a bare sixth)
PHRYGIAN_UPPER_DEGREES = (5, 0)


def held_into_a_drawn_approach(auto: Constrainer, at: int, pitch: int) -> int | None:
    """Ticks from `at` to the beat before a half close inside a composed chorale, where a bass note
    struck at `at` (before that beat) without the degree drawn for the approach ends, so that the
    bass strikes the drawn one there (None: no such beat ahead in this bar, or the note has the
    degree). A bass struck earlier and held through that beat had kept the drawn degree from being
    struck at all."""
    t = auto.t
    drawn = auto.phrase_approaches.get(auto.bar)
    if drawn is None or (pitch - t.tonic_pc - drawn) % 12 == 0:
        return None
    before = bass_before_a_cadence(auto, at, t.L)
    if before is None or before[0] != "open":
        return None
    start = before[1] - t.beat_ticks
    return start - at if at < start else None
