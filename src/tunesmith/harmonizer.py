"""The harmonizer: a small bidirectional network that names the chord of every half bar of a
melody (lead sheets), or of every beat of a soprano (chorales: the voices then aim at it).

    net = load_harmonizer()                       # the one shipped beside the default model
    chords = net.predict(piece)                   # [ChordSymbol] at every unit where it changes
    chords = net.predict(piece, rng=np.random.default_rng(1), temperature=0.8)  # a sampled take

Why a second network: the composer writes a bar's chord symbols before the bar's melody (its
token order), so when it harmonizes a given melody it can only judge a chord by how likely it
finds the melody that follows, one bar at a time, and it names the chord root on held-out
Nottingham tunes 0.60 of the time against 0.73 for a count table. A harmonizer should hear the
whole tune, forwards and backwards, like a musician reading it before writing the changes
(the same reason Coconet and DeepBach harmonize with bidirectional context).

The melody is cut into units (lead sheets: half bars where the meter's numerator is even, else
bars, the units of `baselines.harmony_baseline.units_of`; chorales: beats, `units_for`). Each unit is described relative to the key's
tonic, so what is learnt in D serves in B-flat:

- how long each of the 12 pitch classes sounds in it, the pitch class sounding at its start, at
  its end, its lowest and its highest note (5 x 12);
- whether it is empty, its note count, the key's mode family (major-like / minor-like);
- the style (folk, pop, jazz, other), whether the meter is triple;
- where it is: first or second half of the bar, the bar number modulo 2, 4 and 8, the share of
  the piece before it, first unit, last unit, last bar.

A linear layer, a 2-layer bidirectional GRU and a 2-layer head (trained in torch by
`solvers.harmonizer`, run here in numpy so that composing never imports torch) give, per unit, a distribution
over 96 chord labels: a root relative to the tonic (12) x a quality class (`QUALITY_CLASSES`:
major, minor, dominant seventh, minor seventh, major seventh, diminished, half-diminished,
suspended). Take 1 is the best path (Viterbi; by default without a prior, which did not help on
the validation split); further takes are drawn by forward filtering, backward sampling at
`temperature`, with a chord-to-chord prior of the style (label bigrams counted on the training
units, and for pop on Billboard's CC0 progressions too) weighted by `sample_transition_weight`.

Files: `harmonizer.safetensors` / `harmonizer_chorale.safetensors` (weights; config, labels,
transition matrix and provenance in the metadata) and a .json beside each (the same, for
people); read with safetensors and JSON only.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith import harmony
from tunesmith.baselines.harmony_baseline import MINOR_LIKE, chord_at, units_of
from tunesmith.chord_paths import draw
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece

FORMAT = "tunesmith-harmonizer"
FILE = "harmonizer.safetensors"  # lead sheets (half-bar units)
CHORALE_FILE = "harmonizer_chorale.safetensors"  # four-part chorales (beat units)
STYLES = ("folk", "pop", "jazz")  # anything else: the fourth, "other" slot
STYLE_SLOTS = (*STYLES, "other")  # the transition prior's styles ("other": all pooled)
# quality class -> the qualities of `harmony.QUALITIES` it stands for (first: how it is written)
QUALITY_CLASSES: dict[str, tuple[str, ...]] = {
    "": ("", "6", "69", "add9", "5", "aug", "maj7#5"),
    "m": ("m", "m6", "m69", "madd9", "mMaj7"),
    "7": ("7", "9", "11", "13", "7b9", "7#9", "7#11", "7b13", "7alt", "7#5", "7b5", "7b9#5", "7#9#5",
          "7b9b5", "9#11", "13#11", "13b9", "7b9b13", "7sus4", "9sus4", "7sus2"),  # fmt: skip
    "m7": ("m7", "m9", "m11", "m13", "m7#5"),
    "maj7": ("maj7", "maj9", "maj13", "maj7#11"),
    "dim": ("dim", "dim7", "dim(maj7)"),
    "m7b5": ("m7b5",),
    "sus4": ("sus4", "sus2"),
}
QUALITY_OF: dict[str, int] = {q: i for i, qs in enumerate(QUALITY_CLASSES.values()) for q in qs}
QUALITY_NAMES: tuple[str, ...] = tuple(QUALITY_CLASSES)
N_LABELS = 12 * len(QUALITY_NAMES)
N_FEATURES = 5 * 12 + 3 + 4 + 1 + 1 + 14 + 4
STYLE_COLUMNS = slice(63, 67)  # the style one-hot in `unit_features` (folk, pop, jazz, other)


def label_of(figure: str, tonic_pc: int) -> int | None:
    """The label (relative root x quality class) of a chord figure in a key; None if unknown."""
    try:
        root, quality, _ = harmony.parse_chord(figure)
    except ValueError:
        return None
    q = QUALITY_OF.get(quality)
    if q is None:
        return None
    return ((root - tonic_pc) % 12) * len(QUALITY_NAMES) + q


def figure_of(label: int, key: KeySignature) -> str:
    """The chord figure of `label` in `key`, spelled as the key spells it: a scale degree as the
    scale does (Cb in G-flat), a root off the scale as a copyist would (`harmony.spell_chord_root`:
    Db7 in F, whose F is the key's, where C#7 spells none of its tones as F major does; the key's
    own names had given C#7, which a jazz pianist read over a D-flat melody)."""
    rel, q = divmod(int(label), len(QUALITY_NAMES))
    return harmony.spell_chord_root((rel + key.tonic_pc) % 12, QUALITY_NAMES[q], key) + QUALITY_NAMES[q]


def chord_tones(label: int, tonic_pc: int) -> tuple[int, ...]:
    """The pitch classes of a label's chord in a key (its quality class as first written), the
    root first."""
    rel, q = divmod(int(label), len(QUALITY_NAMES))
    root = (rel + tonic_pc) % 12
    return tuple((root + i) % 12 for i in harmony.QUALITIES[QUALITY_NAMES[q]])


def piece_key(piece: Piece) -> KeySignature:
    return piece.key or harmony.estimate_key(piece)


def _only(logp: np.ndarray, key: KeySignature, roots: set[int] | None, scale: set[int] | None) -> np.ndarray:
    """`logp` (units, N_LABELS) with the labels ruled out made impossible: roots not in `roots`,
    chords with a tone not in `scale` (None: no rule). Unchanged if nothing would be left."""
    keep = np.ones(N_LABELS, dtype=bool)
    if roots is not None:
        rel = {(r - key.tonic_pc) % 12 for r in roots}
        keep &= np.array([lab // len(QUALITY_NAMES) in rel for lab in range(N_LABELS)])
    if scale is not None:
        keep &= np.array([set(chord_tones(lab, key.tonic_pc)) <= set(scale) for lab in range(N_LABELS)])
    if not keep.any() or keep.all():
        return logp
    return np.where(keep[None, :], logp, -1e9)


# a minor chord (m, m7, m7b5, dim) is not put under a unit whose melody dwells on the chord's
# major third (A natural over F minor) for this share of the unit's melody time or more
WRONG_THIRD_SHARE = 0.2
# per label: whether its quality is minor, and its major third as a pitch class relative to the tonic
_MINOR_LABEL = np.array([QUALITY_NAMES[lab % len(QUALITY_NAMES)] in harmony.MINOR_QUALITIES for lab in range(N_LABELS)])
_MAJOR_THIRD_OF_LABEL = np.array([(lab // len(QUALITY_NAMES) + 4) % 12 for lab in range(N_LABELS)])


def _no_wrong_thirds(logp: np.ndarray, features: np.ndarray) -> np.ndarray:
    """`logp` (units, N_LABELS) with the minor chords whose major third the unit's melody sings
    (`WRONG_THIRD_SHARE` of its time or more) made impossible, unit by unit (a unit where that
    would leave nothing is left as it was); `features`: the units' `unit_features`, whose first
    12 columns are the melody's time on each pitch class relative to the tonic. Why: the
    harmonized takes put their melody on the major third of a minor chord 4.6 times as often as
    the songs (pop, 1.43 % of the melody's time over minor chords against POP909's 0.31 %, 100
    validation headers), A natural over Fm for a melody that leans on the leading tone."""
    time = features[:, :12].astype(np.float64)  # (units, 12)
    wrong = _MINOR_LABEL[None, :] & (time[:, _MAJOR_THIRD_OF_LABEL] >= WRONG_THIRD_SHARE * time.sum(1, keepdims=True))
    return _ruled_out(logp, wrong, time)


def _ruled_out(logp: np.ndarray, wrong: np.ndarray, time: np.ndarray) -> np.ndarray:
    """`logp` with the `wrong` (units, N_LABELS) labels made impossible, but in no unit without
    melody (`time`: its time per pitch class) and none where nothing would be left."""
    wrong = wrong & (time.sum(1, keepdims=True) > 0)
    wrong[~((logp > -1e8) & ~wrong).any(axis=1)] = False
    return np.where(wrong, -1e9, logp)


# a chord is not put under a unit whose melody dwells on a pitch a semitone above one of the
# chord's tones (not itself one: C over G7, F over C, B natural over B-flat) for this share of the
# unit's melody time or more; a dominant's flat ninth (D-flat over C7) is the idiom, not a clash.
# Real chords reach it in 0.021 / 0.029 / 0.067 of the valid split's half bars (folk, pop, jazz;
# 0.008 / 0.016 / 0.025 at 0.6), the composed pop takes' harmonizer chords in 0.071
# (docs/notes session 49, clash_rule.py)
CLASH_SHARE = 0.5


def _clash_mask() -> np.ndarray:
    """(N_LABELS, 12) bool: per label, the pitch classes relative to the tonic that clash with it."""
    mask = np.zeros((N_LABELS, 12), bool)
    for lab in range(N_LABELS):
        tones = chord_tones(lab, 0)
        above = {(t + 1) % 12 for t in tones} - set(tones)
        if QUALITY_NAMES[lab % len(QUALITY_NAMES)] == "7":
            above.discard((tones[0] + 1) % 12)
        mask[lab, sorted(above)] = True
    return mask


_CLASHES_OF_LABEL = _clash_mask()


def _no_clashes(logp: np.ndarray, features: np.ndarray) -> np.ndarray:
    """`logp` (units, N_LABELS) with the chords the unit's melody clashes with (`CLASH_SHARE` of
    its time or more on their clashing pitch classes) made impossible, unit by unit, where
    something is left. Why: the harmonizer's drawn chords for composed pop took the melody's
    held tonic under V7 (C over G7, F over C7 in F) 10 times as often as the songs (0.025 of the
    melody's time in notes of a beat or longer, POP909 and the shippable songs 0.002)."""
    if CLASH_SHARE is None:
        return logp
    time = features[:, :12].astype(np.float64)  # (units, 12)
    clash = time @ _CLASHES_OF_LABEL.T.astype(np.float64)  # (units, N_LABELS): time on clashing tones
    return _ruled_out(logp, clash >= CLASH_SHARE * time.sum(1, keepdims=True) - 1e-9, time)


def mode_scale(key: KeySignature) -> set[int] | None:
    """The pitch classes of `key`'s scale when it is in a church mode (one models do not learn:
    `sampling.MODEL_MODES`), else None."""
    from tunesmith.sampling.request import MODEL_MODES
    from tunesmith.tokenizer import MODES, scale_pitch_classes

    mode = (key.mode or "major").lower()
    if mode in MODEL_MODES or mode not in MODES:
        return None
    return set(scale_pitch_classes(key.tonic_pc, mode))


UNITS = ("half", "beat")


def units_for(piece: Piece, unit: str) -> list[tuple[float, float]]:
    """The harmonic units of `piece`: half bars ("half", see `units_of`) or beats ("beat": a
    quarter, or a dotted quarter in compound meters), each (start, end) in beats."""
    if unit == "half":
        return units_of(piece, "half")
    if unit != "beat":
        raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
    ts = piece.time_signature
    compound = ts.denominator == 8 and ts.numerator % 3 == 0 and ts.numerator > 3
    step = 4.0 / ts.denominator * (3 if compound else 1)
    out = []
    for s, e in units_of(piece, "bar"):
        t = s
        while t < e - 1e-6:
            out.append((t, min(e, t + step)))
            t += step
    return out


def voice_labels(piece: Piece, units: list[tuple[float, float]], key: KeySignature) -> np.ndarray:
    """(units,) int64: the chord read from all the parts at each unit's start (four-part music
    has no chord symbols: `chord_of_pitches` names it), -1 where none."""
    from tunesmith.baselines.harmony_baseline import chord_of_pitches, sounding

    tracks = [t for t in piece.tracks if not t.is_drum and t.notes]
    out = np.full(len(units), -1, np.int64)
    for u, (s, _) in enumerate(units):
        fig = chord_of_pitches(p for p in (sounding(t.notes, s) for t in tracks) if p is not None)
        if fig is not None:
            lab = label_of(fig, key.tonic_pc)
            out[u] = -1 if lab is None else lab
    return out


# ----------------------------------------------------------------------------- features
def unit_features(piece: Piece, units: list[tuple[float, float]] | None = None,
                  key: KeySignature | None = None) -> np.ndarray:  # fmt: skip
    """(units, N_FEATURES) float32: the description of every unit of `piece`'s melody."""
    melody = piece.melody()
    notes: list[Note] = sorted(melody.notes, key=lambda n: n.onset) if melody is not None else []
    units = units if units is not None else units_for(piece, "half")
    key = key or piece_key(piece)
    tonic = key.tonic_pc
    minor = (key.mode or "major").lower() in MINOR_LIKE
    ts = piece.time_signature
    triple = ts.numerator in (3, 9)  # simple or compound triple
    style = STYLES.index(piece.style) if piece.style in STYLES else len(STYLES)
    bars = [round(b, 6) for b in piece.bars()]
    n_units = len(units)
    x = np.zeros((n_units, N_FEATURES), np.float32)
    j0 = 0
    bar_no = -1
    last_bar_start = bars[-1] if bars else 0.0
    for u, (s, e) in enumerate(units):
        length = max(e - s, 1e-6)
        while j0 < len(notes) and notes[j0].onset + notes[j0].duration <= s + 1e-9:
            j0 += 1
        inside = []
        j = j0
        while j < len(notes) and notes[j].onset < e - 1e-9:
            n = notes[j]
            if n.onset + n.duration > s + 1e-9:
                inside.append(n)
            j += 1
        row = x[u]
        if inside:
            for n in inside:
                pc = (n.pitch - tonic) % 12
                row[pc] += (min(e, n.onset + n.duration) - max(s, n.onset)) / length
            first = min(inside, key=lambda n: (n.onset, -n.pitch))
            last = max(inside, key=lambda n: (n.onset, n.pitch))
            row[12 + (first.pitch - tonic) % 12] = 1.0
            row[24 + (last.pitch - tonic) % 12] = 1.0
            row[36 + (min(n.pitch for n in inside) - tonic) % 12] = 1.0
            row[48 + (max(n.pitch for n in inside) - tonic) % 12] = 1.0
        c = 60
        row[c] = 0.0 if inside else 1.0
        row[c + 1] = min(len(inside), 8) / 8.0
        row[c + 2] = 1.0 if minor else 0.0
        row[c + 3 + style] = 1.0
        c += 7
        row[c] = 1.0 if triple else 0.0
        on_downbeat = round(s, 6) in bars
        if on_downbeat:
            bar_no += 1
        row[c + 1] = 0.0 if on_downbeat else 1.0
        b = max(bar_no, 0)
        c += 2
        row[c + b % 2] = 1.0
        row[c + 2 + b % 4] = 1.0
        row[c + 6 + b % 8] = 1.0
        c += 14
        row[c] = u / max(1, n_units - 1)
        row[c + 1] = 1.0 if u == 0 else 0.0
        row[c + 2] = 1.0 if u == n_units - 1 else 0.0
        row[c + 3] = 1.0 if s >= last_bar_start - 1e-6 else 0.0
    return x


def unit_labels(piece: Piece, units: list[tuple[float, float]], key: KeySignature) -> np.ndarray:
    """(units,) int64: the label of the chord sounding at each unit's start, -1 where none/unknown."""
    chords = sorted(piece.chords, key=lambda c: c.onset)
    out = np.full(len(units), -1, np.int64)
    for u, (s, _) in enumerate(units):
        c = chord_at(chords, s)
        if c is not None:
            lab = label_of(c.figure, key.tonic_pc)
            if lab is not None:
                out[u] = lab
    return out


# ----------------------------------------------------------------------------- network
@dataclass
class HarmonizerConfig:
    """The network's shape and the decoding defaults (saved with the weights)."""

    n_features: int = N_FEATURES
    n_labels: int = N_LABELS
    hidden: int = 128
    layers: int = 2
    dropout: float = 0.2
    unit: str = "half"  # "half": lead sheets; "beat": chorales
    transition_weight: float = 0.0  # the best path (take 1): measured best without the prior
    sample_transition_weight: float = 0.3  # drawn takes: keeps chords from flickering
    temperature: float = 1.0

    def __post_init__(self) -> None:
        if self.n_features != N_FEATURES or self.n_labels != N_LABELS:
            raise ValueError(f"harmonizer config: features/labels {self.n_features}/{self.n_labels}, "
                             f"this version reads {N_FEATURES}/{N_LABELS}")  # fmt: skip
        if not (1 <= self.hidden <= 1024 and 1 <= self.layers <= 8 and 0 <= self.dropout < 1):
            raise ValueError(f"harmonizer config out of range: {self}")
        if self.unit not in UNITS:
            raise ValueError(f"harmonizer config: unit must be one of {UNITS}, got {self.unit!r}")
        if not (0 <= self.transition_weight <= 10 and 0 <= self.sample_transition_weight <= 10
                and 0 < self.temperature <= 10):  # fmt: skip
            raise ValueError(f"harmonizer decoding settings out of range: {self}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def numpy_forward(params: dict[str, np.ndarray], x: np.ndarray, layers: int) -> np.ndarray:
    """Logits (T, L) of one network for features x (T, F), in numpy (composing never imports
    torch). `params` are the weights of `solvers.harmonizer.HarmonizerNet` by their torch names:
    Linear -> GELU -> bidirectional GRU (`layers`) -> Linear -> GELU -> Linear."""
    z = _gelu(x @ params["inp.0.weight"].T + params["inp.0.bias"])  # (T, H)
    for k in range(layers):
        fwd = _gru(params, z, f"l{k}", reverse=False)
        bwd = _gru(params, z, f"l{k}_reverse", reverse=True)
        z = np.concatenate([fwd, bwd], axis=1)  # (T, 2H)
    h = _gelu(z @ params["head.1.weight"].T + params["head.1.bias"])
    return h @ params["head.3.weight"].T + params["head.3.bias"]  # (T, L)


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def _gru(params: dict[str, np.ndarray], x: np.ndarray, suffix: str, reverse: bool) -> np.ndarray:
    """One direction of one GRU layer (torch's gate order r, z, n) over x (T, in) -> (T, H)."""
    from scipy.special import expit
    w_ih, w_hh = params[f"rnn.weight_ih_{suffix}"], params[f"rnn.weight_hh_{suffix}"]
    b_ih, b_hh = params[f"rnn.bias_ih_{suffix}"], params[f"rnn.bias_hh_{suffix}"]
    H = w_hh.shape[1]
    gi = x @ w_ih.T + b_ih  # (T, 3H): every input's gates at once
    out = np.zeros((len(x), H), dtype=x.dtype)
    h = np.zeros(H, dtype=x.dtype)
    order = range(len(x) - 1, -1, -1) if reverse else range(len(x))
    for t in order:
        gh = w_hh @ h + b_hh
        r = expit(gi[t, :H] + gh[:H])
        zt = expit(gi[t, H : 2 * H] + gh[H : 2 * H])
        n = np.tanh(gi[t, 2 * H :] + r * gh[2 * H :])
        h = (1.0 - zt) * n + zt * h
        out[t] = h
    return out


def param_shapes(config: HarmonizerConfig) -> dict[str, tuple[int, ...]]:
    """Every weight of a network of `config` and its shape (torch names)."""
    H, F, L = config.hidden, config.n_features, config.n_labels
    out: dict[str, tuple[int, ...]] = {"inp.0.weight": (H, F), "inp.0.bias": (H,)}
    for k in range(config.layers):
        width = H if k == 0 else 2 * H
        for suffix in (f"l{k}", f"l{k}_reverse"):
            out[f"rnn.weight_ih_{suffix}"] = (3 * H, width)
            out[f"rnn.weight_hh_{suffix}"] = (3 * H, H)
            out[f"rnn.bias_ih_{suffix}"] = (3 * H,)
            out[f"rnn.bias_hh_{suffix}"] = (3 * H,)
    out.update({"head.1.weight": (H, 2 * H), "head.1.bias": (H,), "head.3.weight": (L, H), "head.3.bias": (L,)})
    return out


@dataclass
class Harmonizer:
    """A trained harmonizer: its network's weights (numpy; several networks from different seeds
    average their probabilities), the transition prior and where they came from."""

    config: HarmonizerConfig
    nets: list[dict[str, np.ndarray]]  # each: weights by the torch names of HarmonizerNet
    log_transition: np.ndarray  # (S, L, L) log P(next label | label), per style of STYLE_SLOTS
    log_start: np.ndarray  # (S, L)
    info: dict[str, Any] = field(default_factory=dict)
    _label_priors: dict[int, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.nets:
            raise ValueError("a harmonizer needs at least one network")

    def log_probs(self, piece: Piece, units: list[tuple[float, float]], key: KeySignature) -> np.ndarray:
        """(units, L) log-probabilities of each unit's chord label given the whole melody."""
        return self._log_probs(unit_features(piece, units, key))

    def _log_probs(self, x: np.ndarray) -> np.ndarray:
        """`log_probs` of the units' features `x` (`unit_features`)."""
        probs = np.zeros((len(x), N_LABELS))
        for params in self.nets:
            logits = numpy_forward(params, x, self.config.layers).astype(np.float64)
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            probs += e / e.sum(axis=1, keepdims=True)
        return np.log(probs / len(self.nets) + 1e-30)

    def label_prior(self, style: str = "other") -> np.ndarray:
        """(L,) how often each label stands in `style`'s progressions: the stationary distribution
        of its chord-to-chord prior (the training units' label shares, smoothed)."""
        slot = STYLE_SLOTS.index(style) if style in STYLE_SLOTS else len(STYLE_SLOTS) - 1
        if slot not in self._label_priors:  # the prior is fixed: worked out once per style
            trans = np.exp(self.log_transition[slot])
            trans /= trans.sum(axis=1, keepdims=True)
            pi = np.full(len(trans), 1.0 / len(trans))
            for _ in range(200):
                pi = pi @ trans
            self._label_priors[slot] = pi / pi.sum()
        return self._label_priors[slot]

    def decode(self, logp: np.ndarray, rng: np.random.Generator | None = None, temperature: float | None = None,
               transition_weight: float | None = None, style: str = "other",
               prior_correction: float = 0.0, label_shift: np.ndarray | None = None,
               stay_cost: float = 0.0, return_cost: float = 0.0) -> np.ndarray:  # fmt: skip
        """The label path: Viterbi (rng None) or one path drawn by forward filtering, backward
        sampling, with `style`'s chord-to-chord prior. `stay_cost`: what keeping a unit's label
        on the next unit costs a path (log-units): each unit's most likely chord stays on more
        often than the music does (see `plan`). `return_cost`: what a change back to the label
        before the last change costs a path (X-Y-X, however long Y lasts; `chord_paths.best_path`
        and `drawn_path`). `prior_correction` beta divides each unit's label probabilities by the
        label's share in the style (`label_prior`) to the power beta: the network's posterior
        leans to the commonest chord, the tonic, more than the music does (drawn for 40 validation
        POP909 melodies: the tonic under 0.56 of beats, 0.31 in the songs; for the shippable pop
        tunes 0.43 against 0.33). Per style in decoding.json
        ("chords_prior_correction"), for composed takes' drawn chords only. `label_shift`: log
        P_style(label) - log P_learned(label), added to every unit's scores (a label-shift correction:
        the network's posterior carries the prior of the songs it learned, pop's pre-1931 lead sheets
        writing V as V7 0.77 of its time where Billboard's songs do 0.27; decoding.json's
        "chords_label_shift", `scripts/fit_label_shift.py`)."""
        if rng is not None and DRAW_FLOOR is not None:
            # a drawn path keeps to the chords the network finds plausible for each unit's melody
            # (`DRAW_FLOOR`), before the correction lifts the rare ones
            logp = np.where(logp >= logp.max(axis=1, keepdims=True) - DRAW_FLOOR, logp, -1e9)
        if prior_correction:
            logp = logp - prior_correction * np.log(self.label_prior(style) + 1e-9)
        if label_shift is not None:
            logp = logp + label_shift
        if transition_weight is None:
            transition_weight = self.config.transition_weight if rng is None else self.config.sample_transition_weight
        w = transition_weight
        temp = self.config.temperature if temperature is None else temperature
        slot = STYLE_SLOTS.index(style) if style in STYLE_SLOTS else len(STYLE_SLOTS) - 1
        emit = logp / temp if rng is not None else logp
        trans = w * self.log_transition[slot] / (temp if rng is not None else 1.0)
        start = w * self.log_start[slot] / (temp if rng is not None else 1.0)
        T, L = emit.shape
        if T == 0:
            return np.zeros(0, np.int64)
        if stay_cost:
            trans = trans - stay_cost * np.eye(L)
        if return_cost > 0:  # a second-order path (the stay cost is in `trans`)
            from tunesmith.chord_paths import best_path, drawn_path

            if rng is None:
                return best_path(emit, trans, start, return_cost=return_cost)
            return drawn_path(emit, trans, start, rng, return_cost=return_cost)
        if rng is None:
            score = start + emit[0]
            back = np.zeros((T, L), np.int64)
            for t in range(1, T):
                cand = score[:, None] + trans  # (from, to)
                back[t] = cand.argmax(0)
                score = cand.max(0) + emit[t]
            path = np.zeros(T, np.int64)
            path[-1] = int(score.argmax())
            for t in range(T - 1, 0, -1):
                path[t - 1] = back[t, path[t]]
            return path
        from scipy.special import logsumexp

        alpha = np.zeros((T, L))
        alpha[0] = start + emit[0]
        for t in range(1, T):
            alpha[t] = logsumexp(alpha[t - 1][:, None] + trans, axis=0) + emit[t]
        path = np.zeros(T, np.int64)
        path[-1] = draw(alpha[-1], rng)
        for t in range(T - 1, 0, -1):
            path[t - 1] = draw(alpha[t - 1] + trans[:, path[t]], rng)
        return path

    def plan(self, piece: Piece, *, key: KeySignature | None = None, rng: np.random.Generator | None = None,
             temperature: float | None = None, triads_at: Sequence[float] = (),
             stay_cost: float = 0.0, return_cost: float = 0.0) -> list[tuple[float, tuple[int, ...]]]:  # fmt: skip
        """(onset in beats, pitch classes of the chord) for every unit: what four-part voices aim
        at. The units where a time of `triads_at` falls (a chorale's fermatas) take a major or minor
        triad: Bach's phrases end on one at 0.90 of the fermatas before the last (the music21
        corpus's valid chorales), the plans had put one there at 0.55 (`scripts/musician_checks.py
        fermatas`). `stay_cost` and `return_cost`: as in `decode` (the chorale's are in
        decoding.json, "plan_stay_cost" and "plan_return_cost", `scripts/fit_chorale_plan.py`).
        Without them each beat's most likely chord kept the chord of the beat before on 0.305 of
        the JSB validation sopranos' beats (under their held notes 0.691), and came back to the
        chord before last on 0.256 of its changes, where Bach's settings do 0.257 (0.583) and
        0.151; at 0.35 and 0.5, 0.258 and 0.142, with 0.563 of the labels Bach's against 0.572
        (JSB test: kept 0.277 -> 0.236, Bach 0.225; returns 0.257 -> 0.137, Bach 0.140). Of those
        returns 0.42 had gone on to rock (X-Y-X-Y), 0.25 now, Bach 0.21 (test 0.35 -> 0.24, Bach
        0.17). Drawn plans kept it on 0.285 and returned on 0.222; at 0.35 and 0.5, 0.260 and
        0.160 (docs/notes/2026-12-07-session-67/plan_rhythm.py, plan_rock.py, drawn_rock.py)."""
        key = key or piece_key(piece)
        units = units_for(piece, self.config.unit)
        logp = _only(self.log_probs(piece, units, key), key, None, mode_scale(key))
        if len(triads_at):
            triad = np.array([QUALITY_NAMES[lab % len(QUALITY_NAMES)] in ("", "m") for lab in range(N_LABELS)])
            for u, (start, end) in enumerate(units):
                if any(start - 1e-6 <= f < end - 1e-6 for f in triads_at) and (logp[u, triad] > -1e8).any():
                    logp[u, ~triad] = -1e9
        path = self.decode(logp, rng=rng, temperature=temperature, style=piece.style, stay_cost=stay_cost,
                           return_cost=return_cost)  # fmt: skip
        return [(s, chord_tones(int(lab), key.tonic_pc)) for (s, _), lab in zip(units, path)]

    def predict(self, piece: Piece, *, key: KeySignature | None = None, rng: np.random.Generator | None = None,
                temperature: float | None = None, unit: str = "half", merge: bool = True,
                roots: set[int] | None = None, scale: set[int] | None = None,
                prior_correction: float = 0.0, label_shift: Sequence[float] | None = None) -> list[ChordSymbol]:  # fmt: skip
        """Chord symbols for `piece`'s melody: one per unit (merged where the chord does not change
        unless `merge` is False). `unit` "bar": one chord per bar (the label best over both halves
        of an even-meter bar). `roots`: only chords on these pitch classes (an in-scale request);
        `scale`: only chords whose tones are all in it. A key in a church mode (not one of
        `sampling.MODEL_MODES`) gets the mode's own chords unless `scale` is given: the
        harmonizer learned major and minor keys, and gave a D dorian tune A7, a G mixolydian one D7.
        `label_shift` (N_LABELS log-ratios, major keys only): added to each unit's label scores
        after the draw's floor, moving the chords toward another corpus's prior (see `decode`)."""
        key = key or piece_key(piece)
        units = units_for(piece, self.config.unit)
        features = unit_features(piece, units, key)
        logp = _only(self._log_probs(features), key, roots, mode_scale(key) if scale is None else scale)
        logp = _no_clashes(_no_wrong_thirds(logp, features), features)
        if unit == "bar" and self.config.unit == "half":
            merged_units, merged_logp = [], []
            downbeats = {round(b, 6) for b in piece.bars()}
            for (s, e), row in zip(units, logp):
                if merged_units and round(s, 6) not in downbeats:
                    merged_units[-1] = (merged_units[-1][0], e)
                    merged_logp[-1] = merged_logp[-1] + row
                else:
                    merged_units.append((s, e))
                    merged_logp.append(row.copy())
            units, logp = merged_units, np.array(merged_logp).reshape(len(merged_units), -1)
        # a style's chord prior moved from the songs the network learned to the style's own (decoding.json's
        # "chords_label_shift", fitted on major keys: `scripts/fit_label_shift.py`)
        shift = np.asarray(label_shift, np.float64) if label_shift is not None and (key.mode or "major") == "major" else None
        path = self.decode(logp, rng=rng, temperature=temperature, style=piece.style, prior_correction=prior_correction,
                           label_shift=shift)  # fmt: skip
        out: list[ChordSymbol] = []
        for (s, _), lab in zip(units, path):
            fig = figure_of(int(lab), key)
            if merge and out and out[-1].figure == fig:
                continue
            out.append(ChordSymbol(s, fig, None))
        return out

    # ------------------------------------------------------------------------- files
    def save(self, folder: str | Path, extra: dict[str, Any] | None = None) -> Path:
        import safetensors.numpy

        from tunesmith.paths import atomic_write_bytes, atomic_write_text

        folder = Path(folder)
        info = {
            "format": FORMAT,
            "version": 1,
            "config": self.config.to_dict(),
            "labels": {"roots": "relative to the key's tonic, 0-11", "qualities": list(QUALITY_NAMES)},
            **{k: v for k, v in self.info.items() if k not in ("format", "version", "config", "labels")},
            **(extra or {}),
        }
        tensors = {}
        for i, params in enumerate(self.nets):
            prefix = "net." if i == 0 else f"net{i}."
            tensors.update({prefix + k: np.ascontiguousarray(v, np.float32) for k, v in params.items()})
        info["ensemble"] = len(self.nets)
        tensors["log_transition"] = np.ascontiguousarray(self.log_transition, np.float32)
        tensors["log_start"] = np.ascontiguousarray(self.log_start, np.float32)
        name = FILE if self.config.unit == "half" else CHORALE_FILE
        data = safetensors.numpy.save(tensors, metadata={"format": FORMAT, "tunesmith": json.dumps(info)})
        atomic_write_bytes(folder / name, data)
        atomic_write_text(folder / name.replace(".safetensors", ".json"), json.dumps(info, indent=1) + "\n")
        self.info = info
        return folder / name

    @classmethod
    def load(cls, path: str | Path) -> Harmonizer:
        """From a folder holding harmonizer.safetensors (or the file). Only safetensors and JSON."""
        import safetensors.numpy

        from tunesmith.inference import read_safetensors_file

        file = Path(path)
        if file.is_dir():
            file = file / FILE
        if not file.is_file():
            raise FileNotFoundError(f"no harmonizer at {file}; train one with scripts/fit_harmonizer.py")
        tensors, meta = read_safetensors_file(file, safetensors.numpy.load)
        if meta.get("format") != FORMAT:
            raise ValueError(f"{file}: not a tunesmith harmonizer (format {meta.get('format')!r})")
        try:
            info = json.loads(meta["tunesmith"])
            config = HarmonizerConfig(**info["config"])
        except (KeyError, TypeError, json.JSONDecodeError) as err:
            raise ValueError(f"{file}: harmonizer metadata unreadable ({err})") from None
        n = info.get("ensemble", 1)
        if not isinstance(n, int) or not 1 <= n <= 16:
            raise ValueError(f"{file}: ensemble size {n!r} out of range 1-16")
        nets = []
        expected = param_shapes(config)
        for i in range(n):
            prefix = "net." if i == 0 else f"net{i}."
            params = {k[len(prefix) :]: np.asarray(v, np.float32) for k, v in tensors.items() if k.startswith(prefix)}
            shapes = {k: tuple(v.shape) for k, v in params.items()}
            if shapes != expected or not all(np.isfinite(v).all() for v in params.values()):
                missing = sorted(set(expected) - set(shapes))[:3]
                raise ValueError(f"{file}: weights do not match the config (missing {missing}, or wrong shapes)")
            nets.append(params)
        if "log_transition" not in tensors or "log_start" not in tensors:
            raise ValueError(f"{file}: no transition prior")
        trans = np.asarray(tensors["log_transition"], np.float64)
        start = np.asarray(tensors["log_start"], np.float64)
        S = len(STYLE_SLOTS)
        if trans.shape != (S, N_LABELS, N_LABELS) or start.shape != (S, N_LABELS) or not np.isfinite(trans).all():
            raise ValueError(f"{file}: transition prior has the wrong shape or non-finite values")
        return cls(config, nets, trans, start, info)


def reharmonize(piece: Piece, net: Harmonizer | None = None, *, every_bar: bool = True,
                keep_bars: set[int] | None = None, copy_plan: list[int | None] | None = None, roots: set[int] | None = None,
                scale: set[int] | None = None, rng: np.random.Generator | None = None,
                temperature: float | None = None, prior_correction: float = 0.0, unit: str = "half",
                label_shift: Sequence[float] | None = None) -> Piece:  # fmt: skip
    """Replace `piece`'s chord symbols (in place) by the harmonizer's best progression for its
    melody (or, with `rng`, one drawn at `temperature`); returns the piece.

    `every_bar`: a chord symbol at every bar line (repeated where it does not change);
    `keep_bars`: the chords in these bars (indices into `piece.bars()`; the last one reaches to the
    end) stay as they are (a requested closing cadence, a form's section cadences, which the
    composer wrote to close or half-close there);
    `copy_plan`: per bar, the earlier bar it repeats (a form's returning section): that bar
    gets the same chords as the one it repeats; `roots`: only chords on these pitch classes;
    `scale`: only chords whose tones are all in it; `prior_correction`: see `Harmonizer.decode`;
    `unit`: "half" (a chord a half bar at most) or "bar" (one a bar, for the bar's whole melody);
    `label_shift`: see `Harmonizer.predict`."""
    net = net or load_harmonizer()
    key = piece_key(piece)
    starts = list(piece.bars())
    downbeats = {round(b, 6) for b in starts}
    new = net.predict(piece, key=key, merge=False, roots=roots, scale=scale, rng=rng, temperature=temperature,
                      prior_correction=prior_correction, unit=unit, label_shift=label_shift)
    ends = [*starts[1:], math.inf]
    spans = [(starts[i], ends[i]) for i in sorted(keep_bars or ()) if 0 <= i < len(starts)]

    def kept(t: float) -> bool:
        return any(a - 1e-6 <= t < b - 1e-6 for a, b in spans)

    def copy_sections(chords: list[ChordSymbol], keep: set[int]) -> list[ChordSymbol]:
        """Each bar the copy plan repeats gets the chords of the bar it repeats, but a bar in `keep`."""
        by_bar: dict[int, list[ChordSymbol]] = {}
        for c in chords:
            by_bar.setdefault(max(0, sum(1 for b in starts if b <= c.onset + 1e-6) - 1), []).append(c)
        copied: list[ChordSymbol] = []
        for i, b0 in enumerate(starts):
            src = copy_plan[i] if i < len(copy_plan) else None
            if src is not None and src in by_bar and i not in keep:
                copied += [ChordSymbol(c.onset + b0 - starts[src], c.figure, None) for c in by_bar[src]]
            else:
                copied += by_bar.get(i, [])
        return copied

    if copy_plan and not COPY_AFTER_KEEP:
        new = copy_sections(new, set())
    if keep_bars:
        # a kept bar keeps the chord sounding at its start too, where the composer named none there
        # (its chord from the bar before sounds on): else the harmonizer's chord of the bar before
        # had sounded through it (a jig's close over A | D had become Bm | D)
        from tunesmith.baselines.harmony_baseline import chord_at

        held = [ChordSymbol(a, c.figure, None) for a, _ in spans
                if (c := chord_at(piece.chords, a)) is not None and abs(c.onset - a) > 1e-6]  # fmt: skip
        new = sorted([c for c in new if not kept(c.onset)] + [c for c in piece.chords if kept(c.onset)] + held,
                     key=lambda c: c.onset)  # fmt: skip
    if copy_plan and COPY_AFTER_KEEP:
        # after the kept bars: a bar that repeats a kept one gets the chords it kept (a second B
        # strain had opened on the harmonizer's "G D" where the first B kept the composer's G, and
        # the score wrote the whole B strain out twice for that one bar); a kept bar keeps its own
        new = copy_sections(new, set(keep_bars or ()))
    chords: list[ChordSymbol] = []
    for c in new:
        on_bar = round(c.onset, 6) in downbeats
        if chords and chords[-1].figure == c.figure and not (on_bar and every_bar):
            continue
        if chords and not on_bar and not kept(c.onset) and _lesser_repeat(chords[-1].figure, c.figure):
            continue  # (`_lesser_repeat`; a kept bar's chords stay as the composer wrote them)
        chords.append(ChordSymbol(c.onset, c.figure, None))
    piece.chords = chords
    return piece


# Whether a returning section's bars copy their chords after the kept bars are in place (False: the
# harmonizer's chords were copied first, and a kept bar's composer chords stayed in it alone, before
# session 53).
COPY_AFTER_KEEP = True


def _lesser_repeat(before: str, after: str) -> bool:
    """Whether chord `after`, inside the bar of chord `before`, names its root again with no tone of
    its own (G after G7, C after Cmaj7): the bar reads as the chord before. A composed pop bar had
    read "G7 G", half and half, the harmonizer's chord for one half and the composer's for the other."""
    try:
        a_root, _, a_bass = harmony.parse_chord(before)
        b_root, _, b_bass = harmony.parse_chord(after)
    except ValueError:
        return False
    return (a_root == b_root and a_bass == b_bass
            and set(harmony.chord_pitch_classes(after)) <= set(harmony.chord_pitch_classes(before)))  # fmt: skip


def chords_from_of(request: Any, model: Any = None) -> tuple[str, float | None]:
    """Where a compose request's chord symbols come from: the request's `chords_from`, else the
    model's tuned default for the style (`decoding.json`), else "model"; and the temperature the
    harmonizer draws them at (None: its best progression)."""
    tuned = (getattr(model, "decoding", None) or {}).get(getattr(request, "style", ""), {})
    given = getattr(request, "chords_from", None)
    return given or tuned.get("chords_from", "model"), tuned.get("chords_temperature")


def harmonize_takes(takes: list[Any], request: Any, model: Any = None) -> str:
    """Give composed lead-sheet takes the harmonizer's chords where the request (or the style's
    default) asks for them; returns where the chords came from ("model", "harmonizer" or "none":
    the melody alone). A take written without chords (`meta["written_without_chords"]`: a model
    that never learned them) gets the harmonizer's too.

    Never where the musician gave the chords (a control), never for four-part music. The
    composer's chords of the last bar stay when the request ends on a tonic cadence; a
    returning section gets the chords of the section it repeats; an in-scale request gets
    chords whose tones are all in the scale. Where the style's default says so (`chords_temperature` in
    decoding.json) each take's progression is drawn, seeded by the take's seed and index, not
    the single best one. The takes' token ids still hold the composer's own chords (tuning
    learns from what the composer wrote); `take.meta["chords_from"]` says which."""
    source, temperature = chords_from_of(request, model)
    tuned = (getattr(model, "decoding", None) or {}).get(getattr(request, "style", ""), {})
    correction = float(tuned.get("chords_prior_correction", 0.0))
    if source == "none" and not request.chords and request.layout == "lead":  # the melody alone
        for t in takes:
            t.meta["chords_from"] = "none"
        return "none"
    if source != "harmonizer" or request.chords or request.layout != "lead":
        for t in takes:
            t.meta["chords_from"] = "model"
            if request.chords or request.layout != "lead" or t.piece.melody() is None:
                continue
            key = t.piece.key or KeySignature(0.0, request.key or "C", request.mode or "major")
            if tuned.get("home_through_the_dominant"):
                # II goes home through V, a secondary dominant to its target (Dm7 | C becomes Dm7 G7 |
                # C; D7 | C, Dm | C where the melody leaves no room for G7; decoding.json's
                # "home_through_the_dominant"; `cocreate.chords.home_through_the_dominant`): before
                # the dominants below are drawn
                from tunesmith.cocreate.chords import home_through_the_dominant

                t.piece.chords = home_through_the_dominant(t.piece.chords, t.piece.melody(), key.tonic, key.mode,
                                                           t.piece.duration(), t.piece.time_signature.beat_length)  # fmt: skip
            if tuned.get("turnaround"):
                # I held a bar into II goes through VI7 where the melody allows (decoding.json's
                # "turnaround"; `cocreate.chords.with_turnaround`)
                from tunesmith.cocreate.chords import with_turnaround

                t.piece.chords = with_turnaround(
                    t.piece.chords, t.piece.melody(), key.tonic, key.mode, t.piece.duration(),
                    np.random.default_rng([int(t.seed or 0), int(t.meta.get("take", 0)), 23]),
                    t.piece.time_signature.beat_length)  # fmt: skip
            if tuned.get("secondary_dominants"):
                # some of the key's own chords that move down a fifth become their dominant seventh
                # (decoding.json's "secondary_dominants"; `cocreate.chords.with_secondary_dominants`):
                # a 1920s song's E7 A7 D7 G7 and its I7 into IV
                from tunesmith.cocreate.chords import with_secondary_dominants

                t.piece.chords = with_secondary_dominants(
                    t.piece.chords, t.piece.melody(), key.tonic, key.mode, t.piece.duration(),
                    np.random.default_rng([int(t.seed or 0), int(t.meta.get("take", 0)), 13]))  # fmt: skip
            if tuned.get("sevenths"):
                # each triad its degree's seventh chord where the melody allows (decoding.json's
                # "sevenths"; `cocreate.chords.jazz_sevenths`, as jazz harmonize writes them), but
                # the key's own triads as often as the tunes write them plain ("seventh_shares"):
                # every I had become Cmaj7 or C6, where jazz tunes write C in 0.76-0.81 of its time
                from tunesmith.cocreate.chords import _in_jazz_sevenths, plain_triads

                plain = plain_triads(tuned.get("seventh_shares"), key.mode,
                                     np.random.default_rng([int(t.seed or 0), int(t.meta.get("take", 0)), 11]))  # fmt: skip
                t.piece.chords = _in_jazz_sevenths(t.piece.chords, t.piece.melody(), key.tonic, key.mode,
                                                   t.piece.duration(), plain)  # fmt: skip
            if tuned.get("minor_plagal"):
                # IV held a bar into I goes home through iv where the melody allows (decoding.json's
                # "minor_plagal"; `cocreate.chords.with_minor_plagal`): after the sevenths, which
                # would write the tunes' plain iv as a minor seventh
                from tunesmith.cocreate.chords import with_minor_plagal

                t.piece.chords = with_minor_plagal(
                    t.piece.chords, t.piece.melody(), key.tonic, key.mode, t.piece.duration(),
                    np.random.default_rng([int(t.seed or 0), int(t.meta.get("take", 0)), 19]),
                    t.piece.time_signature.beat_length)  # fmt: skip
            if tuned.get("ii_v"):
                # a resolving dominant held a bar gets its ii where the melody suits it (decoding.json's
                # "ii_v"; `cocreate.chords.with_ii_before_v`)
                from tunesmith.cocreate.chords import with_ii_before_v

                t.piece.chords = with_ii_before_v(t.piece.chords, t.piece.melody(), key.tonic, key.mode,
                                                  t.piece.duration(), t.piece.time_signature.beat_length)  # fmt: skip
            if tuned.get("sevenths") or tuned.get("ii_v") or tuned.get("minor_plagal") or tuned.get("turnaround"):  # (a triad and its seventh now read alike: "C7 C7")
                from tunesmith.cocreate.chords import without_repeats_in_a_bar

                t.piece.chords = without_repeats_in_a_bar(t.piece.chords, {round(b, 6) for b in t.piece.bars()})
        return "model"
    from tunesmith.sampling.request import contrast_openings, form_sections, section_cadences
    from tunesmith.score import pitch_class_of
    from tunesmith.tokenizer import scale_pitch_classes

    net = load_harmonizer()
    roots = set(scale_pitch_classes(pitch_class_of(request.key), request.mode)) if request.in_scale else None
    plan = request.copy_plan()
    # the form's section ends (a second A coming home before the B strain, a first A's half close):
    # the composer wrote the melody to close there over its own chords, which stay (the harmonizer
    # had put Em A7 under a second A's D F# close, and the tune went into its B strain unresolved)
    sections = form_sections(request.resolved_form(), request.bars)
    cadence_bars = {i for i, c in enumerate(section_cadences(sections, request.bars)) if c}
    # ... and a contrasting section's first bar, whose chord the take drew off the tonic or on it
    # (`CONTRAST_TONIC_SHARES`) and whose melody the composer wrote over it: the harmonizer, which
    # knows no form, had opened 22 of 36 pop bridges on I again
    bridges = contrast_openings(sections, plan)
    for t in takes:
        piece = t.piece
        if not piece.chords and not t.meta.get("written_without_chords"):  # a take the composer left bare
            t.meta["chords_from"] = "model"
            continue
        bars = piece.bars()
        rng = np.random.default_rng([int(t.seed or 0), int(t.meta.get("take", 0)), 7]) if temperature else None
        take_plan, take_cadences = plan, cadence_bars | (bridges if t.meta.get("contrast_chord") else set())
        if t.meta.get("pickup"):  # the pickup is bar 0 of piece.bars(): the plan's bars move one on
            take_plan = [None] + [None if b is None else b + 1 for b in plan]
            take_cadences = {b + 1 for b in take_cadences}
        if request.closes() and bars:
            # the composer's close stays: its last bar's chords, and from a drawn approach's bar on
            # (`endings.closing_bars`), with the bars the form repeats there (the first B's, which
            # the composer closed alike) and every bar that repeats those (an AABA's second A)
            from tunesmith.sampling.endings import closing_bars

            close = range(max(0, len(bars) - closing_bars(t.meta)), len(bars))
            sources = {take_plan[b] for b in close if b < len(take_plan) and take_plan[b] is not None
                       } if t.meta.get("approach_chord") else set()  # fmt: skip
            repeats = {b for b, src in enumerate(take_plan) if src in sources}
            take_cadences = {*take_cadences, *close, *sources, *repeats}
        elif request.resolved_cadence() == "loop" and bars:
            take_cadences = {*take_cadences, len(bars) - 1}  # the half close that leads back to the start
        unit = "half"
        if getattr(request, "chord_rhythm", None) == "bar":
            # one chord a bar: the composer's close stays only in bars where it has one chord (its
            # half-bar approach, "Dm G7 | C", becomes the harmonizer's chord for the bar)
            unit = "bar"
            ends = [*bars[1:], math.inf]
            take_cadences = {b for b in take_cadences if b < len(bars)
                             and sum(bars[b] - 1e-6 <= c.onset < ends[b] - 1e-6 for c in piece.chords) <= 1}  # fmt: skip
        reharmonize(piece, net, every_bar=request.chord_every_bar, keep_bars=take_cadences,
                    copy_plan=take_plan, roots=roots, scale=roots, rng=rng, temperature=temperature,
                    prior_correction=correction, unit=unit, label_shift=tuned.get("chords_label_shift"))  # fmt: skip
        if t.meta.get("pickup") and len(bars) > 1:
            # a lead sheet names no chord over the pickup: the first symbol stands on bar 1
            piece.chords = [c for c in piece.chords if c.onset >= bars[1] - 1e-6]
        t.meta["chords_from"] = "harmonizer"
        if temperature:
            t.meta["chords_temperature"] = temperature
        if correction:
            t.meta["chords_prior_correction"] = correction
        share = DOMINANT_SEVENTH_SHARES.get(getattr(request, "style", ""))
        if share is not None and take_cadences and bars:
            ends = [*bars[1:], piece.duration()]  # (the bars whose chords the composer wrote and kept)
            kept = [(bars[b], ends[b]) for b in sorted(take_cadences) if b < len(bars)]
            plain_dominants(piece, share, np.random.default_rng([int(t.seed or 0), int(t.meta.get("take", 0)), 17]), kept)
    return "harmonizer"


# per style, the share of a major key's V chord time that writes it V7 (a take draws once whether the
# composer's kept chords do): the harmonizer's V is V7 0.16 of the time in pop (its prior moved to
# Billboard's), but a composed take keeps the composer's own closing and section chords, and its V
# was V7 0.80 of the time (40 takes), against 0.26 in the Billboard songs' major keys (shippable
# training split): a songwriter heard Tin Pan Alley. `plain_dominants`.
DOMINANT_SEVENTH_SHARES: dict[str, float] = {"pop": 0.26}


def plain_dominants(piece: Piece, share: float, rng: np.random.Generator,
                    within: Sequence[tuple[float, float]] = ((0.0, math.inf),)) -> None:  # fmt: skip
    """In a major key, with probability 1 - `share` (one draw for the take), write each V7 of the
    key that starts within one of the spans `within` (the composer's kept bars) as a plain V, where
    the melody under it does not sing the seventh for half its time or more (it is then the
    melody's chord, as written). In place."""
    key = piece.key
    if key is None or key.mode != "major" or rng.random() < share:
        return
    melody = piece.melody()
    notes = melody.notes if melody is not None else []
    chords = sorted(piece.chords, key=lambda c: c.onset)
    ends = [c.onset for c in chords[1:]] + [piece.duration()]
    out = []
    for c, end in zip(chords, ends):
        try:
            root, quality, slash = harmony.parse_chord(c.figure)
        except ValueError:
            out.append(c)
            continue
        inside = any(a - 1e-6 <= c.onset < z - 1e-6 for a, z in within)
        if inside and quality == "7" and slash is None and (root - key.tonic_pc) % 12 == 7:
            seventh = (root + 10) % 12
            span = max(end - c.onset, 1e-9)
            sung = sum(max(0.0, min(n.onset + n.duration, end) - max(n.onset, c.onset)) for n in notes if n.pitch % 12 == seventh)
            if sung < 0.5 * span:
                c = ChordSymbol(c.onset, c.figure[:-1], c.duration)  # (quality "7", no slash: "G7" -> "G")
        out.append(c)
    piece.chords = out


# A drawn progression (`Harmonizer.decode` with an rng: pop's composed takes, co-create's
# alternatives) draws each unit's chord only from those at least a twentieth as likely for its
# melody as the unit's best (log 20 = 3.0); None: from all. Drawn from all, with the prior
# correction lifting rare chords, a pop take in C had opened on C#maj7 under E E, and one put Cdim
# under G A B A. 60 pop takes (docs/notes/2026-12-05-session-44/harmonizer_fit.py): chords outside
# the key that are no secondary dominant 0.038 -> 0.007 (mostly diminished triads on odd roots
# before; iv and bVII kept; the valid split's songs 0.039, their bVI, bVII, bII, iv), chords under
# which a third or less of the melody is on their tones 0.063 -> 0.043 (songs 0.067), melody time
# on chord tones 0.796 -> 0.811 (songs 0.730: the chords fit a little more than before).
DRAW_FLOOR: float | None = 3.0


@functools.lru_cache(maxsize=2)
def harmonizer_provenance(kind: str = "lead") -> dict[str, Any] | None:
    """What the shipped harmonizer of `kind` learned from, read from its JSON (no weights):
    {"harmonizer", "licenses": {license: pieces}, "sources": {source: pieces}}; the sources of its
    chord-to-chord prior count too. None where the file is missing or unreadable."""
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    path = DEFAULT_MODEL_DIR / (FILE if kind == "lead" else CHORALE_FILE)
    try:
        info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    from tunesmith.corpus.sources import BUILTIN_SOURCES

    prov = info.get("provenance") or {}
    sources, licenses = dict(prov.get("sources") or {}), dict(prov.get("licenses") or {})
    prior_licenses = prov.get("transition_prior_licenses") or {}
    for name, n in (prov.get("transition_prior_sources") or {}).items():
        if name in sources:
            continue  # the same pieces, counted with the network's
        sources[name] = n
        # and their license: billboard's CC0 songs had been named as a source with no license beside them
        spec = BUILTIN_SOURCES.get(name)
        lic = prior_licenses.get(name) or (spec.license if spec is not None else "unknown")
        licenses[lic] = licenses.get(lic, 0) + n
    return {"harmonizer": info.get("name"), "licenses": licenses, "sources": sources}


@functools.lru_cache(maxsize=4)
def load_harmonizer(path: str | None = None, kind: str = "lead") -> Harmonizer:
    """The harmonizer shipped beside the default model (or the one at `path`: a folder or a
    .safetensors file), cached. `kind` "lead" (lead sheets) or "chorale" (four parts)."""
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    if kind not in ("lead", "chorale"):
        raise ValueError(f"kind must be 'lead' or 'chorale', got {kind!r}")
    where = Path(path) if path else DEFAULT_MODEL_DIR
    if where.is_dir():
        where = where / (FILE if kind == "lead" else CHORALE_FILE)
    return Harmonizer.load(where)


__all__ = ["CHORALE_FILE", "FILE", "Harmonizer", "HarmonizerConfig", "QUALITY_NAMES", "figure_of", "label_of",
           "chord_tones", "chords_from_of", "harmonize_takes", "load_harmonizer", "numpy_forward", "param_shapes", "reharmonize", "unit_features",
           "unit_labels", "units_for", "voice_labels"]  # fmt: skip
