"""The simple harmonization baseline anyone would try first: counts from the training split.

Lead sheets (`LeadSheetBaseline`): for every bar (or half bar) of a melody, the chord seen most
often in training over the same set of melody pitch classes; back-off: the chord seen most
often over the same main melody note (the pitch class sounding longest in the unit); then the
tonic triad. Everything is counted relative to the key's tonic, separately for major-like and
minor-like modes, so one tune in D teaches every key.

Chorales (`ChoraleBaseline`): for every soprano note, the alto/tenor/bass voicing (intervals
below the soprano) seen most often in training under the same soprano pitch in the same scale
degree and mode family; back-off: the same degree in any register; then the most frequent
voicing of all. The lower voices take the soprano's rhythm (note against note).

`chord_of_pitches` names the chord of a set of sounding pitches (template matching over triads
and seventh chords), used to read chord symbols out of four-voice music per beat.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from tunesmith import harmony
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Track
from tunesmith.tokenizer import names_for_key

MINOR_LIKE = ("minor", "aeolian", "dorian", "phrygian", "locrian")
UNITS = ("bar", "half")
# chord templates for `chord_of_pitches` (quality -> intervals above the root)
TEMPLATES: dict[str, tuple[int, ...]] = {
    "": (0, 4, 7),
    "m": (0, 3, 7),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10),
    "m7b5": (0, 3, 6, 10),
    "dim7": (0, 3, 6, 9),
}


def _key(piece: Piece) -> tuple[int, str, KeySignature]:
    k = piece.key or harmony.estimate_key(piece)
    family = "minor" if (k.mode or "major").lower() in MINOR_LIKE else "major"
    return k.tonic_pc, family, k


def _spell(root_pc: int, quality: str, key: KeySignature) -> str:
    mode = (key.mode or "major").lower()
    try:
        names = names_for_key(key.tonic, mode)
    except (ValueError, KeyError):
        names = names_for_key("C", "major")
    return names[root_pc % 12] + quality


def _bar_grid(piece: Piece) -> list[float]:
    starts = list(piece.bars())
    if starts and starts[0] > 1e-6:
        starts = [0.0, *starts]
    return starts


def units_of(piece: Piece, unit: str = "bar") -> list[tuple[float, float]]:
    """(start, end) beats of every bar, or of every half bar (bars with an even numerator)."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
    starts = _bar_grid(piece)
    end = max(piece.duration(), starts[-1] + piece.time_signature.bar_length) if starts else piece.duration()
    out = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else end
        if (
            unit == "half"
            and piece.time_signature.numerator % 2 == 0
            and e - s >= piece.time_signature.bar_length - 1e-6
        ):
            m = s + (e - s) / 2
            out += [(s, m), (m, e)]
        else:
            out.append((s, e))
    return out


def chord_at(chords: Sequence[ChordSymbol], t: float) -> ChordSymbol | None:
    """The chord sounding at `t`: the last one starting at or before it."""
    onsets = [c.onset for c in chords]
    i = bisect.bisect_right(onsets, t + 1e-6) - 1
    return chords[i] if i >= 0 else None


def _melody_profile(notes: Sequence[Note], s: float, e: float, tonic: int) -> tuple[frozenset[int], int | None]:
    weight: Counter[int] = Counter()
    for n in notes:
        overlap = min(e, n.onset + n.duration) - max(s, n.onset)
        if overlap > 1e-6:
            weight[(n.pitch - tonic) % 12] += overlap
    if not weight:
        return frozenset(), None
    return frozenset(weight), max(sorted(weight), key=lambda pc: weight[pc])


def _key_text(key) -> str:
    """(family, pcs | main) or family -> 'major|0,4,7' / 'major|4' / 'major' (JSON keys)."""
    if isinstance(key, str):
        return key
    family, rest = key
    if isinstance(rest, frozenset):
        return f"{family}|set:{','.join(map(str, sorted(rest)))}"
    return f"{family}|note:{rest}"


def _key_parse(text: str):
    if "|" not in text:
        return text
    family, rest = text.split("|", 1)
    kind, _, value = rest.partition(":")
    if kind == "set":
        return (family, frozenset(int(x) for x in value.split(",") if x))
    return (family, None if value == "None" else int(value))


class LeadSheetBaseline:
    """Most frequent chord per melody pitch-class set (back-off: per main melody note)."""

    def __init__(self, unit: str = "bar"):
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
        self.unit = unit
        self.by_set: dict[tuple, Counter] = defaultdict(Counter)
        self.by_note: dict[tuple, Counter] = defaultdict(Counter)
        self.by_family: dict[str, Counter] = defaultdict(Counter)
        self.n_units = 0

    def fit(self, pieces: Iterable[Piece]) -> LeadSheetBaseline:
        for piece in pieces:
            melody = piece.melody()
            if melody is None or not melody.notes or not piece.chords:
                continue
            tonic, family, _ = _key(piece)
            chords = sorted(piece.chords, key=lambda c: c.onset)
            for s, e in units_of(piece, self.unit):
                c = chord_at(chords, s)
                if c is None:
                    continue
                try:
                    root, quality, _ = harmony.parse_chord(c.figure)
                except ValueError:
                    continue
                label = ((root - tonic) % 12, quality)
                pcs, main = _melody_profile(melody.notes, s, e, tonic)
                if main is None:
                    continue
                self.by_set[(family, pcs)][label] += 1
                self.by_note[(family, main)][label] += 1
                self.by_family[family][label] += 1
                self.n_units += 1
        return self

    def _choose(self, family: str, pcs: frozenset[int], main: int | None, rng=None) -> tuple[int, str]:
        """The most frequent label (or, with `rng`, one drawn in proportion to its count)."""
        for counts in (self.by_set.get((family, pcs)), self.by_note.get((family, main)), self.by_family.get(family)):
            if counts:
                labels = sorted(counts)
                if rng is None:
                    return max(labels, key=lambda lab: counts[lab])
                weights = [counts[lab] for lab in labels]
                return labels[rng.choices(range(len(labels)), weights=weights)[0]]
        return (0, "m" if family == "minor" else "")

    def predict(self, piece: Piece, rng=None) -> list[ChordSymbol]:
        """One chord symbol per unit of `piece`'s melody (units without melody repeat the last
        chord); with `rng` (a `random.Random`) each chord is drawn in proportion to its count."""
        melody = piece.melody()
        notes = melody.notes if melody is not None else []
        tonic, family, key = _key(piece)
        out: list[ChordSymbol] = []
        for s, e in units_of(piece, self.unit):
            pcs, main = _melody_profile(notes, s, e, tonic)
            if main is None and out:
                continue
            rel_root, quality = self._choose(family, pcs, main, rng)
            out.append(ChordSymbol(s, _spell(rel_root + tonic, quality, key), e - s))
        return out

    # ---------------------------------------------------------------- saved tables
    def to_dict(self) -> dict:
        """JSON-ready counts (the table `tunesmith harmonize` ships with)."""

        def table(t: dict) -> list:
            return [
                [_key_text(k), [[rel, q, n] for (rel, q), n in sorted(c.items())]] for k, c in sorted(t.items(), key=str)
            ]

        return {
            "format": "tunesmith-chord-table",
            "version": 1,
            "unit": self.unit,
            "n_units": self.n_units,
            "by_set": table(self.by_set),
            "by_note": table(self.by_note),
            "by_family": table(self.by_family),
        }

    @classmethod
    def from_dict(cls, d: dict) -> LeadSheetBaseline:
        if d.get("format") != "tunesmith-chord-table":
            raise ValueError("not a tunesmith chord table")
        out = cls(d["unit"])
        out.n_units = int(d["n_units"])
        for name in ("by_set", "by_note", "by_family"):
            target = getattr(out, name)
            for key_text, rows in d[name]:
                target[_key_parse(key_text)] = Counter({(int(rel), str(q)): int(n) for rel, q, n in rows})
        return out

    def harmonize(self, piece: Piece) -> Piece:
        melody = piece.melody()
        return Piece(
            piece_id=piece.piece_id + "-baseline",
            work_id=piece.work_id,
            style=piece.style,
            tracks=[Track(melody.name, "melody", melody.program, notes=list(melody.notes))] if melody else [],
            chords=self.predict(piece),
            keys=list(piece.keys),
            time_signatures=list(piece.time_signatures),
            tempos=list(piece.tempos),
            bar_onsets=list(piece.bar_onsets),
            end=piece.end,
        )


# --------------------------------------------------------------------------- chorales
VOICES = ("soprano", "alto", "tenor", "bass")


def sounding(notes: Sequence[Note], t: float) -> int | None:
    """Highest pitch sounding at `t` (onset <= t < end), else None."""
    best = None
    for n in notes:
        if n.onset <= t + 1e-9 < n.onset + n.duration - 1e-9 and (best is None or n.pitch > best):
            best = n.pitch
    return best


class ChoraleBaseline:
    """Most frequent ATB voicing under a soprano note (same degree, register and mode family)."""

    def __init__(self) -> None:
        self.by_pitch: dict[tuple, Counter] = defaultdict(Counter)
        self.by_degree: dict[tuple, Counter] = defaultdict(Counter)
        self.overall: Counter = Counter()

    def fit(self, pieces: Iterable[Piece]) -> ChoraleBaseline:
        for piece in pieces:
            tracks = [piece.track(r) for r in VOICES]
            if any(t is None or not t.notes for t in tracks):
                continue
            tonic, family, _ = _key(piece)
            for n in tracks[0].notes:
                below = [sounding(t.notes, n.onset) for t in tracks[1:]]
                if any(p is None for p in below):
                    continue
                voicing = tuple(n.pitch - p for p in below)
                degree = (n.pitch - tonic) % 12
                self.by_pitch[(family, degree, n.pitch)][voicing] += 1
                self.by_degree[(family, degree)][voicing] += 1
                self.overall[voicing] += 1
        return self

    def voicing(self, family: str, degree: int, pitch: int) -> tuple[int, int, int]:
        for table, key in ((self.by_pitch, (family, degree, pitch)), (self.by_degree, (family, degree))):
            counts = table.get(key)
            if counts:
                return max(sorted(counts), key=lambda v: counts[v])
        if self.overall:
            return max(sorted(self.overall), key=lambda v: self.overall[v])
        return (4 if family == "major" else 3, 12, 24)

    def harmonize(self, piece: Piece) -> Piece:
        """`piece`'s melody as soprano, with alto, tenor and bass note against note."""
        melody = piece.melody()
        if melody is None:
            raise ValueError(f"{piece.path or piece.piece_id}: no melody to harmonize")
        tonic, family, _ = _key(piece)
        parts: dict[str, list[Note]] = {v: [] for v in VOICES}
        for n in melody.notes:
            parts["soprano"].append(Note(n.pitch, n.onset, n.duration, n.velocity))
            for v, gap in zip(VOICES[1:], self.voicing(family, (n.pitch - tonic) % 12, n.pitch)):
                parts[v].append(Note(n.pitch - gap, n.onset, n.duration, n.velocity))
        return Piece(
            piece_id=piece.piece_id + "-baseline",
            work_id=piece.work_id,
            style="chorale",
            tracks=[Track(v.capitalize(), v, 52, notes=notes) for v, notes in parts.items()],
            keys=list(piece.keys),
            time_signatures=list(piece.time_signatures),
            tempos=list(piece.tempos),
            bar_onsets=list(piece.bar_onsets),
            end=piece.end,
        )


# --------------------------------------------------------------------------- chord reading
def chord_of_pitches(pitches: Iterable[int]) -> str | None:
    """The chord symbol that best explains the sounding `pitches` (None for fewer than two pitch
    classes): the template (triads, seventh chords) covering the most of them and leaving the
    fewest out; ties go to the chord whose root is in the bass, then to the triad."""
    pitches = list(pitches)
    pcs = {p % 12 for p in pitches}
    if len(pcs) < 2:
        return None
    bass = min(pitches) % 12
    best = None
    for root in range(12):
        for quality, intervals in TEMPLATES.items():
            tones = {(root + i) % 12 for i in intervals}
            score = (
                2.0 * len(pcs & tones)
                - 1.0 * len(pcs - tones)
                - 0.6 * len(tones - pcs)
                + (0.3 if root == bass else 0.0)
                - (0.1 if len(intervals) > 3 else 0.0)
            )
            if best is None or score > best[0]:
                best = (score, root, quality)
    _, root, quality = best
    return harmony.make_figure(root, quality)


def chords_per_beat(piece: Piece, roles: Sequence[str] = VOICES, step: float = 1.0) -> list[str | None]:
    """The chord read from the parts `roles` at every beat (`step` beats apart) of `piece`."""
    tracks = [piece.track(r) for r in roles]
    tracks = [t for t in tracks if t is not None]
    out: list[str | None] = []
    t, end = 0.0, piece.duration()
    while t < end - 1e-9:
        out.append(chord_of_pitches(p for p in (sounding(tr.notes, t) for tr in tracks) if p is not None))
        t += step
    return out


__all__ = [
    "ChoraleBaseline",
    "LeadSheetBaseline",
    "TEMPLATES",
    "chord_at",
    "chord_of_pitches",
    "chords_per_beat",
    "sounding",
    "units_of",
]
