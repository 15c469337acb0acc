"""One token vocabulary for lead sheets (melody + chord symbols) and four-voice chorales.

Why not miditok's REMI: REMI has no tokens for chord *symbols* with their exact figure (its
chord tokens are detected from notes), no notion of voices (S/A/T/B or melody) within one
stream, and no layout for fill-in-the-middle. We need all three, so this module writes a
small REMI-like scheme of its own.

Layout of one piece (bars in order)::

    <bos> Style_folk Key_D Mode_major Meter_6/8 Tempo_112 Bars_16 Layout_lead [Pickup Pos_k]
    Bar [Meter_x] [Pos_k] Root_D Qual_maj [Bass_F#] [Pos_k Root_A Qual_7] ...
        Voice_M [Pos_k] Pitch_62 Dur_6 Pitch_64 Dur_6 ...
    Bar ...
    <eos>

and with fill-in-the-middle (FIM) ordering, bar-aligned, for a fraction of training examples::

    <bos> header <fill> prefix bars <suffix> suffix bars <middle> middle bars <eos>

so that the model learns to write bars between given music.

Time: a grid of `TICKS_PER_BEAT` = 12 ticks per quarter beat, so sixteenths (3), triplet
eighths (4), triplet sixteenths (2) and eighths of a 6/8 jig (6) are exact; 32nd notes round
to the nearest tick. `Pos_k` is the position in the bar, in ticks. Within a voice a note
without a `Pos` starts where the previous note of that voice ended (the voice's *cursor*):
a legato melody costs two tokens per note (`Pitch`, `Dur`), and a `Pos` appears only after a
rest. Voices are monophonic (chords within a voice keep the top note; the bass keeps the
bottom one). A note may last past the bar line (a tie); at each `Bar` the cursor moves back
by one bar length. Cursors restart at 0 at the start of each FIM section.

Chord symbols: `Root_<spelled name>` + `Qual_<quality>` [+ `Bass_<spelled name>`], placed at
the bar start or after a `Pos`. Figures are first normalised by `tunesmith.harmony`
("Cmin7" -> "Cm7"); a canonical figure comes back out exactly as given ("Bbm7/Ab", "F#m7b5",
"Cmaj7", "G7sus4"). The quality vocabulary is `QUALITIES` below (a frozen copy of harmony's
table when this vocabulary was made); harmony maps rare spellings to the nearest of them
("m7b9" -> "m7", "13sus4" -> "9sus4", "7#9b13" -> "7alt"), and a quality harmony knows but this
vocabulary does not is mapped by `_nearest_quality` (most shared chord tones).

Header: style, key tonic (spelled) and mode, meter, tempo bucket (`TEMPO_BUCKETS`, written
back as the bucket's value), number of bars, layout (`lead`: one melody voice; `satb`: four
voices) and an optional pickup (anacrusis): `Pickup Pos_k` says the first bar's music starts
k ticks into a full bar.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from tunesmith import harmony
from tunesmith.score import (
    MODES,
    STYLES,
    ChordSymbol,
    KeySignature,
    Note,
    Piece,
    Tempo,
    TimeSignature,
    Track,
    header_mode,
    pitch_class_of,
)

TOKENIZER_VERSION = 2  # 2: pitches and chord roots relative to the key's tonic (see `Tokenizer`)
TICKS_PER_BEAT = 12
MAX_BAR_TICKS = 8 * TICKS_PER_BEAT  # 4/2 and 8/4 are the longest bars (8 beats)
PITCH_MIN, PITCH_MAX = 21, 108  # piano range A0..C8; notes outside are moved by octaves
MAX_BARS = 128

SPECIALS = ("<pad>", "<bos>", "<eos>", "<fill>", "<suffix>", "<middle>")
TOKEN_STYLES = (*STYLES, "unknown")
NOTE_NAMES = (
    "C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab", "A", "A#", "Bb", "B",
    "Cb", "Fb", "E#", "B#",
)  # fmt: skip
# The chord qualities (suffix after the root, "" = major triad), frozen from tunesmith.harmony.
QUALITIES = (
    "", "m", "dim", "aug", "sus2", "sus4", "5", "6", "m6", "69", "m69", "7", "maj7", "m7", "mMaj7",
    "dim7", "m7b5", "7#5", "7b5", "maj7#5", "7sus4", "7sus2", "add9", "madd9", "9", "maj9", "m9",
    "7b9", "7#9", "7#11", "maj7#11", "7b13", "7alt", "9sus4", "11", "m11", "13", "maj13", "m13",
    "7b9#5", "7#9#5", "7b9b5", "9#11", "13#11", "13b9", "7b9b13", "m7#5", "dim(maj7)",
)  # fmt: skip
METERS = (
    "2/4", "3/4", "4/4", "5/4", "6/4", "7/4", "8/4", "2/2", "3/2", "4/2",
    "3/8", "5/8", "6/8", "7/8", "9/8", "12/8",
)  # fmt: skip
TEMPO_BUCKETS = (40, 48, 56, 63, 69, 76, 84, 92, 100, 108, 120, 132, 144, 160, 176, 192, 208, 224, 240)
# Durations in ticks: every tick up to two beats, then coarser. Longer notes clamp to the last.
DUR_TICKS = (
    *range(1, 25),
    *range(26, 49, 2),
    *range(54, 97, 6),
    *range(108, 193, 12),
    216, 240, 288, 336, 384,
)  # fmt: skip
LAYOUTS: dict[str, tuple[str, ...]] = {"lead": ("M",), "satb": ("S", "A", "T", "B")}
VOICE_ROLES = {"M": "melody", "S": "soprano", "A": "alto", "T": "tenor", "B": "bass"}
VOICE_NAMES = {"M": "Melody", "S": "Soprano", "A": "Alto", "T": "Tenor", "B": "Bass"}

_FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_MIXED_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
# Version 2 writes chord roots and basses relative to the tonic: pitch class (pc - tonic) spelled
# as one fixed name each, so "the dominant" is one token in every key (Root_G = V, Root_Bb = bVII).
_REL_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_LETTERS = "CDEFGAB"
_LETTER_PC = (0, 2, 4, 5, 7, 9, 11)


def spell_degree(tonic: str, rel_pc: int) -> str:
    """The note `rel_pc` semitones above `tonic`, spelled as the degree `_REL_NAMES` names it
    (bII, bIII, #IV, bVI, bVII): in D, 1 -> "Eb", 11 -> "C#", 6 -> "G#"; a name outside
    `NOTE_NAMES` (a double accidental) falls back to the key's plain spelling."""
    rel = _REL_NAMES[rel_pc % 12]
    step = _LETTERS.index(rel[0])
    t = spell_name(tonic)
    letter = _LETTERS[(_LETTERS.index(t[0]) + step) % 7]
    target = (pitch_class_of(t) + rel_pc) % 12
    alter = (target - _LETTER_PC[_LETTERS.index(letter)] + 6) % 12 - 6
    name = letter + {0: "", 1: "#", -1: "b"}.get(alter, "?")
    if name not in NOTE_NAMES or name in ("Cb", "Fb", "E#", "B#"):  # what a lead sheet would not write
        return names_for_key(t, "major")[target]
    return name
_FIGURE_RE = re.compile(r"^([A-G](?:bb|##|b|#)?)(.*?)(?:/([A-G](?:bb|##|b|#)?))?$")


def quality_suffix(quality_token: str) -> str:
    """'maj' (the token name of the plain major triad) -> ''; other names are the suffix."""
    return "" if quality_token == "maj" else quality_token


def _quality_token(quality: str) -> str:
    return "maj" if quality == "" else quality


def spell_name(name: str) -> str:
    """A note name as one of `NOTE_NAMES` ("B-" -> "Bb", "Ebb" -> "D"); ValueError if not a name."""
    name = name.strip().replace("-", "b").replace("♭", "b").replace("♯", "#")
    if name in NOTE_NAMES:
        return name
    pc = pitch_class_of(name)
    return _MIXED_NAMES[pc]


def _nearest_quality(quality: str) -> str:
    """A quality outside `QUALITIES` -> the one sharing the most chord tones (ties: fewer tones)."""
    if quality in QUALITIES:
        return quality
    tones = {i % 12 for i in harmony.QUALITIES.get(quality, (0, 4, 7))}

    def score(q: str) -> tuple[int, int]:
        other = {i % 12 for i in harmony.QUALITIES.get(q, (0, 4, 7))}
        return (len(tones & other) - len(tones ^ other), -len(other))

    return max(QUALITIES, key=score)


def split_figure(figure: str) -> tuple[str, str, str | None]:
    """`(root name, quality, bass name | None)` of a chord figure, quality one of `QUALITIES`.

    The figure is normalised by `tunesmith.harmony.normalize_figure` first; ValueError if it
    does not parse (including "N.C.").
    """
    canon = harmony.normalize_figure(figure)
    m = _FIGURE_RE.match(canon)
    if not m:
        raise ValueError(f"not a chord figure: {figure!r}")
    root, quality, bass = m.group(1), m.group(2), m.group(3)
    return spell_name(root), _nearest_quality(quality), (spell_name(bass) if bass else None)


def join_figure(root: str, quality: str, bass: str | None = None) -> str:
    return root + quality + (f"/{bass}" if bass else "")


def scale_pitch_classes(tonic_pc: int, mode: str) -> frozenset[int]:
    """Pitch classes of the key's scale; minor also allows the raised 6th and 7th (melodic/harmonic)."""
    steps = {
        "major": (0, 2, 4, 5, 7, 9, 11),
        "minor": (0, 2, 3, 5, 7, 8, 9, 10, 11),
        "dorian": (0, 2, 3, 5, 7, 9, 10),
        "phrygian": (0, 1, 3, 5, 7, 8, 10),
        "lydian": (0, 2, 4, 6, 7, 9, 11),
        "mixolydian": (0, 2, 4, 5, 7, 9, 10),
        "aeolian": (0, 2, 3, 5, 7, 8, 10),
        "locrian": (0, 1, 3, 5, 6, 8, 10),
    }[mode]
    return frozenset((tonic_pc + s) % 12 for s in steps)


def meter_ticks(meter: str) -> int:
    num, den = (int(x) for x in meter.split("/"))
    return num * 4 * TICKS_PER_BEAT // den


def tempo_bucket(qpm: float) -> int:
    """The `TEMPO_BUCKETS` value nearest to `qpm` on a log scale."""
    qpm = max(1.0, float(qpm))
    return min(TEMPO_BUCKETS, key=lambda b: abs(math.log(b / qpm)))


def names_for_key(tonic: str, mode: str) -> tuple[str, ...]:
    """How to spell the 12 pitch classes in a key: flats in flat keys, sharps in sharp keys."""
    try:
        sharps = harmony.sharps_of(KeySignature(0.0, tonic, mode))
    except (ValueError, KeyError, AttributeError):
        sharps = 0
    if sharps >= 3:
        return _SHARP_NAMES
    if sharps <= -2:
        return _FLAT_NAMES
    return _MIXED_NAMES


def spell_tonic(tonic_pc: int, mode: str) -> str:
    """Conventional spelling of a key's tonic (fewest accidentals in the signature)."""
    best = None
    for name in NOTE_NAMES:
        if pitch_class_of(name) != tonic_pc % 12:
            continue
        try:
            n = abs(harmony.sharps_of(KeySignature(0.0, name, mode)))
            ok = harmony.key_from_sharps(harmony.sharps_of(KeySignature(0.0, name, mode)), mode).tonic == name
        except (ValueError, KeyError, AttributeError):
            n, ok = 99, False
        cand = (not ok, n, len(name))
        if best is None or cand < best[0]:
            best = (cand, name)
    return best[1] if best else _MIXED_NAMES[tonic_pc % 12]


# ------------------------------------------------------------------ intermediate form
@dataclass
class _Bar:
    ticks: int  # length of this bar by its meter
    meter: str | None = None  # set when the meter changes at this bar
    chords: list[tuple[int, str, str, str | None]] = field(default_factory=list)  # (pos, root, quality, bass)
    voices: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)  # v -> [(pos, pitch, dur)]


@dataclass
class _Analysed:
    style: str
    tonic: str
    mode: str
    meter: str
    tempo: int
    layout: str
    pickup: int  # ticks into the first bar where the music starts (0: no pickup)
    bars: list[_Bar]
    shift: int = 0  # semitones the tokens are moved down by (version 2: the key's `key_shift`)


def key_shift(tonic_pc: int) -> int:
    """Semitones from C to the key's tonic, in -5..+6: version-2 tokens write every pitch
    moved by minus this, so the tonic is always C (D major: -2, A major: +3 -> written in C)."""
    pc = tonic_pc % 12
    return pc if pc <= 6 else pc - 12


class Tokenizer:
    """Token <-> id tables and `encode`/`decode`. The vocabulary is fixed by this module's
    constants; `to_dict`/`from_dict` store it with a model and refuse a different one.

    `version` 2 (the default) writes pitches and chord roots *relative to the key*: a piece in
    D major is written as if in C major (every pitch moved by `key_shift`, roots spelled as
    degrees), and the header's Key token says where to move it back. What the model learns in
    D then serves in B-flat: scale degrees and chord functions are the tokens themselves.
    Version 1 (absolute pitches, spelled roots) is kept so that older models still load.
    """

    def __init__(self, version: int = TOKENIZER_VERSION) -> None:
        if version not in (1, 2):
            raise ValueError(f"unknown tokenizer version {version!r}; this tunesmith reads 1 and 2")
        self.version = version
        self.relative = version >= 2
        vocab: list[str] = list(SPECIALS)
        self.style_base = len(vocab)
        vocab += [f"Style_{s}" for s in TOKEN_STYLES]
        self.key_base = len(vocab)
        vocab += [f"Key_{n}" for n in NOTE_NAMES]
        self.mode_base = len(vocab)
        vocab += [f"Mode_{m}" for m in MODES]
        self.meter_base = len(vocab)
        vocab += [f"Meter_{m}" for m in METERS]
        self.tempo_base = len(vocab)
        vocab += [f"Tempo_{t}" for t in TEMPO_BUCKETS]
        self.bars_base = len(vocab)
        vocab += [f"Bars_{n}" for n in range(1, MAX_BARS + 1)]
        self.layout_base = len(vocab)
        vocab += [f"Layout_{name}" for name in LAYOUTS]
        vocab += ["Pickup", "Bar"]
        self.pos_base = len(vocab)
        vocab += [f"Pos_{k}" for k in range(MAX_BAR_TICKS)]
        self.root_base = len(vocab)
        vocab += [f"Root_{n}" for n in NOTE_NAMES]
        self.qual_base = len(vocab)
        vocab += [f"Qual_{_quality_token(q)}" for q in QUALITIES]
        self.bass_base = len(vocab)
        vocab += [f"Bass_{n}" for n in NOTE_NAMES]
        self.voice_base = len(vocab)
        self.voice_order = ("M", "S", "A", "T", "B")
        vocab += [f"Voice_{v}" for v in self.voice_order]
        self.pitch_base = len(vocab)
        vocab += [f"Pitch_{p}" for p in range(PITCH_MIN, PITCH_MAX + 1)]
        self.dur_base = len(vocab)
        vocab += [f"Dur_{d}" for d in DUR_TICKS]
        self.vocab: list[str] = vocab
        self.ids: dict[str, int] = {t: i for i, t in enumerate(vocab)}
        self.pad_id, self.bos_id, self.eos_id = 0, 1, 2
        self.fill_id, self.suffix_id, self.middle_id = 3, 4, 5
        self.pickup_id = self.ids["Pickup"]
        self.bar_id = self.ids["Bar"]

    def __len__(self) -> int:
        return len(self.vocab)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    # ------------------------------------------------------------------ id helpers
    def style_id(self, style: str) -> int:
        return self.ids[f"Style_{style if style in TOKEN_STYLES else 'unknown'}"]

    def key_id(self, tonic: str) -> int:
        return self.ids[f"Key_{spell_name(tonic)}"]

    def mode_id(self, mode: str) -> int:
        return self.ids[f"Mode_{mode}"]

    def meter_id(self, meter: str) -> int:
        if meter not in METERS:
            raise ValueError(f"unsupported meter {meter}; supported: {', '.join(METERS)}")
        return self.ids[f"Meter_{meter}"]

    def tempo_id(self, qpm: float) -> int:
        return self.ids[f"Tempo_{tempo_bucket(qpm)}"]

    def bars_id(self, n: int) -> int:
        return self.bars_base + max(1, min(MAX_BARS, n)) - 1

    def layout_id(self, layout: str) -> int:
        return self.ids[f"Layout_{layout}"]

    def pos_id(self, ticks: int) -> int:
        return self.pos_base + ticks

    def root_id(self, name: str, shift: int = 0) -> int:
        return self.root_base + NOTE_NAMES.index(self._name_token(name, shift))

    def qual_id(self, quality: str) -> int:
        return self.qual_base + QUALITIES.index(quality)

    def bass_id(self, name: str, shift: int = 0) -> int:
        return self.bass_base + NOTE_NAMES.index(self._name_token(name, shift))

    def voice_id(self, voice: str) -> int:
        return self.voice_base + self.voice_order.index(voice)

    def pitch_id(self, pitch: int, shift: int = 0) -> int:
        """The token of MIDI `pitch` in a key whose `key_shift` is `shift` (0 for version 1)."""
        p = pitch - (shift if self.relative else 0)
        while p < PITCH_MIN:
            p += 12
        while p > PITCH_MAX:
            p -= 12
        return self.pitch_base + p - PITCH_MIN

    def shift_for(self, tonic: str) -> int:
        """How far this tokenizer moves pitches of a piece in `tonic` (0 unless relative)."""
        return key_shift(pitch_class_of(tonic)) if self.relative else 0

    def _name_token(self, name: str, shift: int) -> str:
        """The spelled name a root/bass token uses: as given (v1) or as a degree (v2)."""
        if not self.relative:
            return name
        return _REL_NAMES[(pitch_class_of(name) - shift) % 12]

    def dur_id(self, ticks: int) -> int:
        return self.dur_base + DUR_TICKS.index(ticks)

    def header_ids(
        self, style: str, tonic: str, mode: str, meter: str, qpm: float, n_bars: int, layout: str, pickup: int = 0
    ) -> list[int]:
        ids = [
            self.bos_id,
            self.style_id(style),
            self.key_id(tonic),
            self.mode_id(mode),
            self.meter_id(meter),
            self.tempo_id(qpm),
            self.bars_id(n_bars),
            self.layout_id(layout),
        ]
        if pickup:
            ids += [self.pickup_id, self.pos_id(pickup)]
        return ids

    def chord_ids(self, figure: str, shift: int = 0) -> list[int]:
        """Root, Qual (and Bass) ids of a figure in a key of `key_shift` `shift`; ValueError if
        it does not parse."""
        root, quality, bass = split_figure(figure)
        ids = [self.root_id(root, shift), self.qual_id(quality)]
        if bass is not None:
            ids.append(self.bass_id(bass, shift))
        return ids

    # ------------------------------------------------------------------ to / from a model
    def to_dict(self) -> dict:
        return {"kind": "tunesmith-remi", "version": self.version, "vocab": list(self.vocab)}

    @classmethod
    def from_dict(cls, d: dict) -> Tokenizer:
        version = d.get("version", 1)
        if version not in (1, 2):
            raise ValueError(f"the model's tokenizer is version {version!r}; this tunesmith reads versions 1 and 2")
        tok = cls(version)
        if d.get("kind") != "tunesmith-remi" or d.get("vocab") != tok.vocab:
            raise ValueError(
                "the model's tokenizer vocabulary differs from this tunesmith version's; retrain or use a matching version"
            )
        return tok

    # ------------------------------------------------------------------ encode
    def encode(
        self,
        piece: Piece,
        *,
        start_bar: int = 0,
        end_bar: int | None = None,
        fim: tuple[int, int] | None = None,
    ) -> list[int]:
        """Token ids of bars [start_bar, end_bar) of `piece` (whole piece by default).

        `fim=(a, b)` (bar indices within the window, 0 <= a < b <= n) writes the FIM order:
        bars [a, b) become the middle, generated after the prefix [0, a) and the suffix [b, n).
        ValueError for a meter this vocabulary cannot write.
        """
        a = self._analyse(piece)
        n_all = len(a.bars)
        end_bar = n_all if end_bar is None else min(end_bar, n_all)
        if not 0 <= start_bar < end_bar:
            raise ValueError(f"{piece.piece_id}: empty bar window [{start_bar}, {end_bar}) of {n_all} bars")
        bars = a.bars[start_bar:end_bar]
        meter = a.meter
        for bar in a.bars[: start_bar + 1]:
            meter = bar.meter or meter
        pickup = a.pickup if start_bar == 0 else 0
        n = len(bars)
        ids = self.header_ids(a.style, a.tonic, a.mode, meter, a.tempo, n, a.layout, pickup)
        voices = LAYOUTS[a.layout]
        sh = a.shift
        if fim is None:
            self._emit_bars(ids, bars, voices, first_meter=meter, shift=sh)
        else:
            lo, hi = fim
            if not 0 <= lo < hi <= n:
                raise ValueError(f"bad FIM span {fim} for {n} bars")
            ids.append(self.fill_id)
            self._emit_bars(ids, bars[:lo], voices, first_meter=meter, shift=sh)
            ids.append(self.suffix_id)
            self._emit_bars(ids, bars[hi:], voices, first_meter=None, shift=sh)
            ids.append(self.middle_id)
            self._emit_bars(ids, bars[lo:hi], voices, first_meter=None, shift=sh)
        ids.append(self.eos_id)
        return ids

    def _emit_bars(
        self, ids: list[int], bars: list[_Bar], voices: tuple[str, ...], first_meter: str | None, shift: int = 0
    ) -> None:
        cursors = dict.fromkeys(voices, 0)
        prev_ticks: int | None = None
        meter = first_meter
        for bar in bars:
            ids.append(self.bar_id)
            if prev_ticks is not None:
                for v in voices:
                    cursors[v] = max(0, cursors[v] - prev_ticks)
            if bar.meter and bar.meter != meter and meter is not None:
                ids.append(self.meter_id(bar.meter))
            meter = bar.meter or meter
            for pos, root, quality, bass in bar.chords:
                if pos > 0:
                    ids.append(self.pos_base + pos)
                ids.append(self.root_id(root, shift))
                ids.append(self.qual_id(quality))
                if bass is not None:
                    ids.append(self.bass_id(bass, shift))
            for v in voices:
                ids.append(self.voice_id(v))
                cur = cursors[v]
                for pos, pitch, dur in bar.voices.get(v, ()):
                    if pos != cur:
                        ids.append(self.pos_base + pos)
                    ids.append(self.pitch_id(pitch, shift))
                    ids.append(self.dur_base + _DUR_INDEX[dur])
                    cur = pos + dur
                cursors[v] = cur
            prev_ticks = bar.ticks

    def _analyse(self, piece: Piece) -> _Analysed:
        ts = piece.time_signature
        meter = f"{ts.numerator}/{ts.denominator}"
        if meter not in METERS:
            raise ValueError(f"{piece.piece_id}: unsupported meter {meter}; supported: {', '.join(METERS)}")
        bar_ticks = meter_ticks(meter)
        key = piece.key or harmony.estimate_key(piece)
        mode = key.mode.lower() if key.mode else "major"
        mode = {"ionian": "major"}.get(mode, mode)
        # a tune in a church mode is learned under its family's header, as a take in one is asked
        # for (`score.header_mode`)
        mode = header_mode(mode) if mode in MODES else "major"
        tonic = spell_name(key.tonic)
        style = piece.style if piece.style in TOKEN_STYLES else "unknown"

        # bar starts in ticks; a short first bar (or music before the first bar line) is a pickup
        starts_beats = piece.bars()
        if starts_beats and starts_beats[0] > 1e-6:
            starts_beats = [0.0, *starts_beats]
        starts = [round(s * TICKS_PER_BEAT) for s in starts_beats]
        pickup = 0
        if len(starts) >= 2 and 0 < starts[1] - starts[0] < bar_ticks:
            pickup = bar_ticks - (starts[1] - starts[0])
        shift = pickup  # virtual time = real time + shift; the pickup bar starts at virtual 0
        vstarts = [0] + [s + shift for s in starts[1:]]

        # meter per bar (meter changes at bar lines)
        signatures = sorted(piece.time_signatures, key=lambda t: t.onset)
        bars = []
        prev_meter = meter
        for i, s in enumerate(starts):
            m = prev_meter
            for t in signatures:
                if round(t.onset * TICKS_PER_BEAT) <= s:
                    cand = f"{t.numerator}/{t.denominator}"
                    m = cand if cand in METERS else m
            bars.append(_Bar(ticks=meter_ticks(m), meter=m if (m != prev_meter and i > 0) else None))
            prev_meter = m

        def locate(t_ticks_virtual: int) -> tuple[int, int] | None:
            i = bisect.bisect_right(vstarts, t_ticks_virtual) - 1
            if i < 0:
                return None
            pos = t_ticks_virtual - vstarts[i]
            limit = (vstarts[i + 1] - vstarts[i]) if i + 1 < len(vstarts) else bars[i].ticks
            if pos >= min(limit, MAX_BAR_TICKS):
                return None
            return i, pos

        # chords
        for c in sorted(piece.chords, key=lambda c: c.onset):
            try:
                root, quality, bass = split_figure(c.figure)
            except ValueError:
                continue  # "N.C." and figures harmony cannot read
            where = locate(round(c.onset * TICKS_PER_BEAT) + shift)
            if where is None:
                continue
            i, pos = where
            if bars[i].chords and bars[i].chords[-1][0] >= pos:
                bars[i].chords[-1] = (pos, root, quality, bass) if bars[i].chords[-1][0] == pos else bars[i].chords[-1]
                continue
            bars[i].chords.append((pos, root, quality, bass))

        # voices
        layout, tracks = self._voices_of(piece)
        for v, track in tracks.items():
            notes = self._monophonic(track, lowest=(v == "B"), shift=shift)
            for onset, pitch, dur in notes:
                where = locate(onset)
                if where is None:
                    continue
                i, pos = where
                bars[i].voices.setdefault(v, []).append((pos, pitch, dur))
        key_sh = self.shift_for(tonic)
        return _Analysed(style, tonic, mode, meter, tempo_bucket(piece.tempo), layout, pickup, bars, key_sh)

    @staticmethod
    def _voices_of(piece: Piece) -> tuple[str, dict[str, Track]]:
        satb = {"soprano": "S", "alto": "A", "tenor": "T", "bass": "B"}
        found = {satb[t.role]: t for t in reversed(piece.tracks) if t.role in satb and not t.is_drum}
        if len(found) >= 2:
            return "satb", found
        melody = piece.melody()
        return "lead", ({"M": melody} if melody is not None else {})

    @staticmethod
    def _monophonic(track: Track, *, lowest: bool, shift: int) -> list[tuple[int, int, int]]:
        """(onset tick, pitch, duration ticks) of one voice: one note per onset, no overlaps,
        durations from `DUR_TICKS`, pitches folded into PITCH_MIN..PITCH_MAX by octaves."""
        by_onset: dict[int, tuple[int, int]] = {}
        for n in track.notes:
            onset = round(n.onset * TICKS_PER_BEAT) + shift
            end = round((n.onset + n.duration) * TICKS_PER_BEAT) + shift
            pitch = n.pitch
            while pitch < PITCH_MIN:
                pitch += 12
            while pitch > PITCH_MAX:
                pitch -= 12
            old = by_onset.get(onset)
            if old is None or (pitch < old[0] if lowest else pitch > old[0]):
                by_onset[onset] = (pitch, max(end, onset + 1))
        onsets = sorted(by_onset)
        out = []
        for j, onset in enumerate(onsets):
            pitch, end = by_onset[onset]
            length = end - onset
            if j + 1 < len(onsets):
                length = min(length, onsets[j + 1] - onset)
            out.append((onset, pitch, quantize_duration(length, max_ticks=length)))
        return out

    # ------------------------------------------------------------------ decode
    def decode(self, ids: list[int], *, piece_id: str = "generated", title: str = "") -> Piece:
        """The Piece written by `ids` (FIM order is put back in bar order).

        Lenient: tokens out of place are skipped, so any id list decodes. Bar lines are
        written explicitly (`bar_onsets`), `end` is the end of the last bar; tempo is the
        header's bucket value, velocities are 80.
        """
        tok = self.vocab
        style, tonic, mode, meter, qpm, layout, pickup = "unknown", "C", "major", "4/4", 120.0, "lead", 0
        i = 0
        ids = [int(x) for x in ids]
        if ids and ids[0] == self.bos_id:
            i = 1
        # header
        while i < len(ids):
            name = tok[ids[i]] if 0 <= ids[i] < len(tok) else ""
            kind, _, val = name.partition("_")
            if kind == "Style":
                style = val
            elif kind == "Key":
                tonic = val
            elif kind == "Mode":
                mode = val
            elif kind == "Meter":
                meter = val
            elif kind == "Tempo":
                qpm = float(val)
            elif kind == "Bars":
                pass
            elif kind == "Layout":
                layout = val
            elif name == "Pickup":
                if i + 1 < len(ids) and self.pos_base <= ids[i + 1] < self.pos_base + MAX_BAR_TICKS:
                    pickup = ids[i + 1] - self.pos_base
                    i += 1
            else:
                break
            i += 1
        voices = LAYOUTS.get(layout, ("M",))
        sections: dict[str, list[dict]] = {"prefix": [], "suffix": [], "middle": []}
        section = "prefix"
        bar: dict | None = None
        voice: str | None = None
        cursors: dict[str, int] = {}
        prev_ticks: int | None = None
        cur_meter = meter
        chord_pos = 0
        note_pos: int | None = None
        pitch: int | None = None
        in_chords = False
        for t in ids[i:]:
            if t == self.eos_id:
                break
            if t in (self.fill_id, self.suffix_id, self.middle_id):
                section = {self.fill_id: "prefix", self.suffix_id: "suffix", self.middle_id: "middle"}[t]
                bar, voice, prev_ticks, cursors, pitch = None, None, None, {}, None
                continue
            if t == self.bar_id:
                if prev_ticks is not None:
                    cursors = {v: max(0, c - prev_ticks) for v, c in cursors.items()}
                bar = {"meter": None, "chords": [], "notes": {}, "ticks": meter_ticks(cur_meter)}
                sections[section].append(bar)
                prev_ticks = bar["ticks"]
                voice, pitch, note_pos, chord_pos, in_chords = None, None, None, 0, True
                continue
            if bar is None:
                continue
            name = tok[t] if 0 <= t < len(tok) else ""
            kind, _, val = name.partition("_")
            if kind == "Meter" and in_chords and not bar["chords"]:
                if val in METERS:
                    cur_meter = val
                    bar["meter"] = val
                    bar["ticks"] = prev_ticks = meter_ticks(val)
            elif kind == "Pos":
                k = int(val)
                if in_chords:
                    chord_pos = k
                else:
                    note_pos = k
            elif kind == "Root" and in_chords:
                bar["chords"].append([chord_pos, val, "", None])
            elif kind == "Qual" and in_chords and bar["chords"]:
                bar["chords"][-1][2] = quality_suffix(val)
            elif kind == "Bass" and in_chords and bar["chords"]:
                bar["chords"][-1][3] = val
            elif kind == "Voice":
                in_chords = False
                voice = val
                cursors.setdefault(voice, 0)
                note_pos, pitch = None, None
            elif kind == "Pitch":
                if voice is None:  # lenient: a note before any voice marker belongs to the first voice
                    voice, in_chords = voices[0], False
                    cursors.setdefault(voice, 0)
                pitch = int(val)
            elif kind == "Dur" and voice is not None and pitch is not None:
                start = cursors[voice] if note_pos is None else note_pos
                dur = int(val)
                bar["notes"].setdefault(voice, []).append((start, pitch, dur))
                cursors[voice] = start + dur
                note_pos, pitch = None, None
        ordered = sections["prefix"] + sections["middle"] + sections["suffix"]
        if self.relative:
            ordered = self._unshift(ordered, tonic, mode)
        return self._build_piece(ordered, piece_id, title, style, tonic, mode, meter, qpm, voices, pickup)

    def _unshift(self, bars: list[dict], tonic: str, mode: str) -> list[dict]:
        """Version-2 bars (written in C) moved back to the header's key, names spelled by the key."""
        try:
            shift = self.shift_for(tonic)
        except ValueError:
            return bars

        def name(n: str | None) -> str | None:
            return None if n is None else spell_degree(tonic, pitch_class_of(n))

        for b in bars:
            b["chords"] = [[pos, name(root), q, name(bass)] for pos, root, q, bass in b["chords"]]
            b["notes"] = {v: [(pos, p + shift, d) for pos, p, d in ns] for v, ns in b["notes"].items()}
        return bars

    @staticmethod
    def _build_piece(
        bars: list[dict],
        piece_id: str,
        title: str,
        style: str,
        tonic: str,
        mode: str,
        meter: str,
        qpm: float,
        voices: tuple[str, ...],
        pickup: int,
    ) -> Piece:
        program = 52 if len(voices) > 1 else 0  # GM "Choir Aahs" for chorale voices, piano for a melody
        tracks = {
            v: Track(name=VOICE_NAMES.get(v, v), role=VOICE_ROLES.get(v, "other"), program=program) for v in voices
        }
        chords: list[ChordSymbol] = []
        num, den = (int(x) for x in meter.split("/"))
        time_signatures = [TimeSignature(0.0, num, den)]
        bar_onsets: list[float] = []
        start = 0  # virtual ticks
        for b in bars:
            real = start - pickup
            bar_onsets.append(max(0, real) / TICKS_PER_BEAT)
            if b["meter"] and bar_onsets:
                n2, d2 = (int(x) for x in b["meter"].split("/"))
                time_signatures.append(TimeSignature(max(0, real) / TICKS_PER_BEAT, n2, d2))
            for pos, root, quality, bass in b["chords"]:
                if start + pos - pickup >= 0:
                    chords.append(ChordSymbol((real + pos) / TICKS_PER_BEAT, join_figure(root, quality, bass)))
            for v, notes in b["notes"].items():
                if v not in tracks:
                    tracks[v] = Track(name=VOICE_NAMES.get(v, v), role=VOICE_ROLES.get(v, "other"))
                for pos, pitch, dur in notes:
                    onset = real + pos
                    if onset < 0:
                        continue
                    tracks[v].notes.append(Note(pitch, onset / TICKS_PER_BEAT, dur / TICKS_PER_BEAT))
            start += b["ticks"]
        end = max(0, start - pickup) / TICKS_PER_BEAT
        for j, c in enumerate(chords):
            nxt = chords[j + 1].onset if j + 1 < len(chords) else end
            c.duration = max(nxt - c.onset, 1.0 / TICKS_PER_BEAT) if nxt > c.onset else None
        for track in tracks.values():
            track.notes.sort(key=lambda n: n.onset)
        if len(time_signatures) > 1 and time_signatures[1].onset == 0.0:
            time_signatures = time_signatures[1:]
        return Piece(
            piece_id=piece_id,
            work_id=piece_id,
            title=title,
            style=style if style in STYLES else "",
            source="tunesmith",
            license="unknown",
            tracks=list(tracks.values()),
            chords=chords,
            keys=[KeySignature(0.0, tonic, mode)],
            time_signatures=time_signatures,
            tempos=[Tempo(0.0, qpm)],
            bar_onsets=bar_onsets,
            end=end,
        )

    # ------------------------------------------------------------------ misc
    def describe(self, ids: list[int]) -> list[str]:
        return [self.vocab[i] if 0 <= i < len(self.vocab) else f"<{i}?>" for i in ids]


_DUR_INDEX = {d: j for j, d in enumerate(DUR_TICKS)}


def quantize_duration(ticks: int, *, max_ticks: int | None = None) -> int:
    """The `DUR_TICKS` value nearest to `ticks` (not above `max_ticks` when given)."""
    ticks = max(1, int(ticks))
    j = bisect.bisect_left(DUR_TICKS, ticks)
    cands = [DUR_TICKS[k] for k in (j - 1, j) if 0 <= k < len(DUR_TICKS)]
    if max_ticks is not None:
        cands = [c for c in cands if c <= max(1, max_ticks)] or [max(c for c in DUR_TICKS if c <= max(1, max_ticks))]
    return min(cands, key=lambda c: (abs(c - ticks), -c))


def transpose_piece(piece: Piece, semitones: int) -> Piece:
    """A copy of `piece` moved by `semitones`: notes, key (respelled conventionally) and chord
    symbols (roots spelled as the new key spells them). Used for training augmentation."""
    if semitones == 0:
        return piece
    key = piece.key
    mode = (key.mode if key else "major") or "major"
    mode = mode if mode in MODES else "major"
    old_tonic_pc = key.tonic_pc if key else harmony.estimate_key(piece).tonic_pc
    tonic = spell_tonic((old_tonic_pc + semitones) % 12, mode)
    names = names_for_key(tonic, mode)

    def move(name: str) -> str:
        return names[(pitch_class_of(name) + semitones) % 12]

    chords = []
    for c in piece.chords:
        try:
            root, quality, bass = split_figure(c.figure)
        except ValueError:
            continue
        chords.append(ChordSymbol(c.onset, join_figure(move(root), quality, move(bass) if bass else None), c.duration))
    tracks = [
        Track(
            t.name,
            t.role,
            t.program,
            t.is_drum,
            [Note(n.pitch + (0 if t.is_drum else semitones), n.onset, n.duration, n.velocity) for n in t.notes],
        )
        for t in piece.tracks
    ]
    keys = [
        KeySignature(k.onset, tonic if k is key else spell_tonic((k.tonic_pc + semitones) % 12, k.mode), k.mode)
        for k in piece.keys
    ]
    return Piece(
        piece_id=piece.piece_id,
        work_id=piece.work_id,
        title=piece.title,
        style=piece.style,
        source=piece.source,
        path=piece.path,
        license=piece.license,
        tracks=tracks,
        chords=chords,
        keys=keys,
        time_signatures=list(piece.time_signatures),
        tempos=list(piece.tempos),
        bar_onsets=list(piece.bar_onsets),
        end=piece.end,
        split=piece.split,
        meta=dict(piece.meta),
        fermatas=list(piece.fermatas),  # beats: a transposition leaves them where they are
    )
