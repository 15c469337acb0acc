"""The one in-memory representation every reader produces and every writer consumes.

Times are in quarter-note beats (a 6/8 bar is 3.0 beats long), so that a piece read from
MIDI, ABC, MusicXML or a JSB grid lines up the same way. A `Piece` carries everything the
later steps need: notes per track, chord symbols, key, meter, tempo, bar lines, and where
the music came from (source, path, license, style, work id).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

# Roles a track can play. Tokenizers and writers look at roles, not at track names.
TRACK_ROLES = (
    "melody",
    "soprano",
    "alto",
    "tenor",
    "bass",
    "chords",  # accompaniment voicing of chord symbols
    "accompaniment",
    "other",
)
BAR_TOLERANCE = 1e-6  # beats: float noise below this does not start a bar
STYLES = ("folk", "chorale", "pop", "jazz")
MODES = ("major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "aeolian", "locrian")
MINOR_THIRD_MODES = ("minor", "dorian", "phrygian", "aeolian", "locrian")
# The modes a model learns from its header. A take in a church mode is composed under its family's
# header (`header_mode`) and held to its own scale, melody and chords (`sampling`'s `_Tables.modal`):
# asked for D dorian, the model alone wrote D major under a dorian key signature (F-sharps,
# C-sharps, A7). A tune in a mode is learned under the same header (`tokenizer`): the corpus names
# modes (editors' K: fields; the Irish and Nottingham tunes by their final,
# `harmony.settle_modal_final`), and a header no request ever writes would teach nothing.
MODEL_MODES = ("major", "minor")


def mode_family(mode: str) -> str:
    """"minor" for the modes with a minor third, else "major" (the degree calibration's two tables)."""
    return "minor" if mode in MINOR_THIRD_MODES else "major"


def header_mode(mode: str) -> str:
    """The mode a model is told in a take's header: `mode` when models learn it (`MODEL_MODES`),
    else its family ("minor" for dorian, phrygian, aeolian and locrian; "major" for lydian and
    mixolydian)."""
    return mode if mode in MODEL_MODES else mode_family(mode)


# The usual vocal ranges of four-part writing (MIDI): soprano C4-G5, alto G3-D5, tenor C3-G4,
# bass E2-C4. Compose keeps chorale voices inside them; the harmony metrics count notes outside.
SATB_RANGES: dict[str, tuple[int, int]] = {"soprano": (60, 79), "alto": (55, 74), "tenor": (48, 67), "bass": (40, 60)}
PITCH_CLASS_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def pitch_class_of(name: str) -> int:
    """Pitch class of a note name such as 'C', 'F#', 'Bb', 'B-' (music21 flat), 'Ebb'."""
    if not name or name[0].upper() not in _LETTER_PC:
        raise ValueError(f"not a note name: {name!r}")
    pc = _LETTER_PC[name[0].upper()]
    for accidental in name[1:]:
        if accidental == "#":
            pc += 1
        elif accidental in ("b", "-"):
            pc -= 1
        else:
            raise ValueError(f"not a note name: {name!r}")
    return pc % 12


@dataclass
class Note:
    pitch: int  # MIDI number, 0..127
    onset: float  # beats from the start of the piece
    duration: float  # beats, > 0
    velocity: int = 80
    # the name the source wrote ("Ab", "G#", "Cb"; letter and accidentals, no octave): a musician's
    # own spelling, kept when the note is written to MusicXML; None (MIDI, generated notes):
    # spelled from the key and the chord when written. Not part of a note's identity.
    spelling: str | None = field(default=None, compare=False)
    # the length the source wrote when another voice on its staff strikes the same pitch while it
    # still sounds (a held dotted quarter under a moving inner voice): `duration` ends there, since
    # one key sounds one note (MIDI cannot hold both), and the score writes this length. None
    # otherwise. Not part of a note's identity.
    held: float | None = field(default=None, compare=False)
    # the ornament the source wrote over the note: "roll", "trill", "mordent" (lower),
    # "inverted-mordent" (upper) or "turn"; None otherwise. Kept so that a fiddler's rolls come back
    # on their own bars in a take's ABC and MusicXML; no model reads or writes it, and it is not part
    # of a note's identity.
    ornament: str | None = field(default=None, compare=False)


@dataclass
class Track:
    name: str
    role: str = "melody"
    program: int = 0  # General MIDI program, 0-based
    is_drum: bool = False
    notes: list[Note] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.role not in TRACK_ROLES:
            raise ValueError(f"track {self.name!r}: unknown role {self.role!r}; one of {TRACK_ROLES}")


@dataclass
class ChordSymbol:
    onset: float
    figure: str  # as written by the source, normalized to lead-sheet spelling ("Dm7", "G7", "Cmaj7")
    duration: float | None = None


@dataclass
class KeySignature:
    onset: float
    tonic: str  # "D", "Bb", "F#"
    mode: str = "major"

    @property
    def tonic_pc(self) -> int:
        return pitch_class_of(self.tonic)


@dataclass
class TimeSignature:
    onset: float
    numerator: int
    denominator: int

    @property
    def bar_length(self) -> float:
        """Length of one bar in quarter-note beats."""
        return self.numerator * 4.0 / self.denominator

    @property
    def is_compound(self) -> bool:
        """6/8, 9/8, 12/8 (and /16): beats of three eighths (sixteenths), a dotted note each."""
        return self.denominator >= 8 and self.numerator in (6, 9, 12)

    @property
    def beat_length(self) -> float:
        """Length of one beat in quarter notes: the dotted quarter of 6/8, 9/8, 12/8 (1.5), else
        the denominator's note (4/4: 1.0, 2/2: 2.0, 3/8: 0.5). `--tempo` counts these beats."""
        unit = 4.0 / self.denominator
        return 3 * unit if self.is_compound else unit

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def meter_of(text: str) -> TimeSignature:
    """TimeSignature at onset 0 of '6/8' (ValueError for anything else)."""
    try:
        num, den = (int(x) for x in str(text).replace(" ", "").split("/"))
    except ValueError:
        raise ValueError(f"meter {text!r}: use NUMERATOR/DENOMINATOR, e.g. 6/8") from None
    return TimeSignature(0.0, num, den)


@dataclass
class Tempo:
    onset: float
    qpm: float  # quarter notes per minute


@dataclass
class Piece:
    """One piece of music with its provenance.

    `work_id` names the musical work (the same chorale read from two sources has the same
    work id, which is how the corpus deduplicates and splits); `piece_id` names this record
    (source + file + index in file) and is unique in a corpus.
    """

    piece_id: str
    work_id: str
    title: str = ""
    style: str = ""
    source: str = ""
    path: str = ""
    license: str = "unknown"
    tracks: list[Track] = field(default_factory=list)
    chords: list[ChordSymbol] = field(default_factory=list)
    keys: list[KeySignature] = field(default_factory=list)
    time_signatures: list[TimeSignature] = field(default_factory=list)
    tempos: list[Tempo] = field(default_factory=list)
    bar_onsets: list[float] = field(default_factory=list)  # empty: derived from the meter
    end: float = 0.0  # beats; 0: derived from the last note or chord
    split: str = ""  # "train" | "valid" | "test" once the corpus assigns it
    meta: dict[str, Any] = field(default_factory=dict)
    # beats where a fermata is written (a chorale's phrase ends): every part's note sounding there
    # carries it. Read from MusicXML and ABC, written to MusicXML and held in the audio.
    fermatas: list[float] = field(default_factory=list)

    # ----------------------------------------------------------------- derived views
    @property
    def key(self) -> KeySignature | None:
        return self.keys[0] if self.keys else None

    @property
    def time_signature(self) -> TimeSignature:
        return self.time_signatures[0] if self.time_signatures else TimeSignature(0.0, 4, 4)

    @property
    def tempo(self) -> float:
        return self.tempos[0].qpm if self.tempos else 120.0

    @property
    def n_notes(self) -> int:
        return sum(len(t.notes) for t in self.tracks)

    def duration(self) -> float:
        """End of the piece in beats: `end` if set, else the last note or chord end."""
        if self.end > 0:
            return self.end
        last = 0.0
        for track in self.tracks:
            for n in track.notes:
                last = max(last, n.onset + n.duration)
        for c in self.chords:
            last = max(last, c.onset + (c.duration or 0.0))
        return last

    def bars(self) -> list[float]:
        """Onsets of every bar. Explicit `bar_onsets` win (they keep pickups); else the meter.
        A bar that would start within `BAR_TOLERANCE` beats of the end is no bar (float noise:
        an end at 16.0000003 beats in 4/4 gives 4 bars, not 5)."""
        if self.bar_onsets:
            return list(self.bar_onsets)
        end = self.duration()
        signatures = sorted(self.time_signatures, key=lambda ts: ts.onset) or [TimeSignature(0.0, 4, 4)]
        onsets: list[float] = []
        for i, ts in enumerate(signatures):
            stop = signatures[i + 1].onset if i + 1 < len(signatures) else end
            t = ts.onset
            while t < stop - BAR_TOLERANCE:
                onsets.append(t)
                t += ts.bar_length
        return onsets or [0.0]

    @property
    def n_bars(self) -> int:
        return len(self.bars())

    def pickup_beats(self) -> float:
        """Length in beats of a pickup (anacrusis): a first bar shorter than the meter's bar;
        0.0 when the piece starts on a full bar."""
        bars = self.bars()
        if len(bars) >= 2 and bars[1] - bars[0] < self.time_signature.bar_length - BAR_TOLERANCE:
            return bars[1] - bars[0]
        return 0.0

    def track(self, role: str) -> Track | None:
        """The first track playing `role`, or None."""
        return next((t for t in self.tracks if t.role == role), None)

    def melody(self) -> Track | None:
        """The melody: the 'melody' track, else the soprano, else the first pitched track."""
        return self.track("melody") or self.track("soprano") or next((t for t in self.tracks if not t.is_drum), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Piece:
        d = dict(d)
        d["tracks"] = [
            Track(**{**t, "notes": [Note(**n) if isinstance(n, dict) else Note(*n) for n in t["notes"]]})
            for t in d.get("tracks", [])
        ]
        d["chords"] = [ChordSymbol(**c) for c in d.get("chords", [])]
        d["keys"] = [KeySignature(**k) for k in d.get("keys", [])]
        d["time_signatures"] = [TimeSignature(**ts) for ts in d.get("time_signatures", [])]
        d["tempos"] = [Tempo(**t) for t in d.get("tempos", [])]
        return cls(**d)

    def validate(self) -> None:
        """Raise ValueError naming the piece and the problem if anything is out of bounds."""
        where = self.path or self.piece_id
        if not self.piece_id or not self.work_id:
            raise ValueError(f"{where}: piece_id and work_id are required")
        for track in self.tracks:
            for n in track.notes:
                if not 0 <= n.pitch <= 127:
                    raise ValueError(f"{where}: track {track.name!r} has pitch {n.pitch} outside 0..127")
                if not (math.isfinite(n.onset) and n.onset >= 0 and n.duration > 0):
                    raise ValueError(f"{where}: a note at {n.onset:g} beats lasting {n.duration:g} in part "
                                     f"{track.name or track.role!r}: a negative or zero duration")  # fmt: skip
        for ts in self.time_signatures:
            if ts.numerator <= 0 or ts.denominator not in (1, 2, 4, 8, 16, 32):
                raise ValueError(f"{where}: invalid time signature {ts}")
