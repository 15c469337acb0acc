"""Where each token sits in the music: metrical features computed from the token stream alone.

The grammar already knows, after every token, where in the bar the next note would start (the
voice's cursor) and which bar it is in; a small model that has to count durations itself loses
count (bars closed early, notes drifting off the beat). So the model is *given* these facts as
extra embeddings, at no cost in sequence length (version-2 models, `ModelConfig.metric`):

- `beat`: after this token, the position in the bar (ticks, 0..MAX_BAR_TICKS-1) where the next
  event starts: the cursor of the current voice, a `Pos` just read, the onset of the note being
  written; `BAR_FULL` when the voice has reached the bar line; `NONE` outside the bars.
- `left`: bars left after the current one in the piece (0 = the last bar), capped at
  `MAX_LEFT`; `NONE_LEFT` where unknown (header, FIM suffix: its first bar is not known yet).
- `phrase`: the bar's index from the piece's first full bar, modulo 8 (phrases of 2, 4 and 8
  bars); `NONE_PHRASE` where unknown.

`MeterTracker.push(token)` is incremental (sampling feeds one token at a time);
`metric_features(ids)` runs it over a whole sequence (training, scoring). One implementation
serves both, so what the model sees in training is what it sees when composing.
"""

from __future__ import annotations

import numpy as np

from tunesmith.tokenizer import MAX_BAR_TICKS, METERS, Tokenizer, meter_ticks

BAR_FULL = MAX_BAR_TICKS
NONE = MAX_BAR_TICKS + 1
N_BEAT = MAX_BAR_TICKS + 2
MAX_LEFT = 15
NONE_LEFT = MAX_LEFT + 1
N_LEFT = MAX_LEFT + 2
NONE_PHRASE = 8
N_PHRASE = 9


class _Kinds:
    """Token id -> (kind, value) for the tokens that move the tracker; built once per vocabulary."""

    def __init__(self, tok: Tokenizer):
        V = tok.vocab_size
        self.kind = np.zeros(V, dtype=np.int8)
        self.value = np.zeros(V, dtype=np.int64)
        for i, name in enumerate(tok.vocab):
            head, _, val = name.partition("_")
            if name == "Bar":
                self.kind[i] = 1
            elif head == "Pos":
                self.kind[i], self.value[i] = 2, int(val)
            elif head == "Voice":
                self.kind[i], self.value[i] = 3, tok.voice_order.index(val)
            elif head == "Pitch":
                self.kind[i] = 4
            elif head == "Dur":
                self.kind[i], self.value[i] = 5, int(val)
            elif head in ("Root", "Qual", "Bass"):
                self.kind[i] = 6
            elif head == "Meter" and val in METERS:
                self.kind[i], self.value[i] = 7, meter_ticks(val)
            elif head == "Bars":
                self.kind[i], self.value[i] = 8, int(val)
            elif name in ("<fill>", "<suffix>", "<middle>"):
                self.kind[i] = {"<fill>": 9, "<suffix>": 10, "<middle>": 11}[name]
            elif name == "<bos>":
                self.kind[i] = 12


_KINDS: dict[int, _Kinds] = {}


def _kinds(tok: Tokenizer) -> _Kinds:
    key = tok.vocab_size
    if key not in _KINDS:
        _KINDS[key] = _Kinds(tok)
    return _KINDS[key]


class MeterTracker:
    """The metrical state after each token of one sequence (see the module docstring)."""

    def __init__(self, tok: Tokenizer):
        self.k = _kinds(tok)
        self.reset()

    def reset(self) -> None:
        self.bar_len = meter_ticks("4/4")
        self.n_bars: int | None = None
        self.bar = -1  # index of the current bar in the piece; None where unknown
        self.known = True
        self.in_header = True
        self.in_chords = False
        self.voice = 0
        self.cursors = [0] * 5
        self.onset = 0
        self.prefix_bars = 0
        self.section = "plain"
        self.started = False  # a Bar has been read in this section

    def _feat(self, beat: int) -> tuple[int, int, int]:
        if self.in_header or self.bar is None or not self.known or self.bar < 0:
            return beat, NONE_LEFT, NONE_PHRASE
        left = NONE_LEFT if self.n_bars is None else max(0, min(MAX_LEFT, self.n_bars - 1 - self.bar))
        return beat, left, self.bar % 8

    def _beat(self, ticks: int) -> int:
        return BAR_FULL if ticks >= self.bar_len else max(0, min(MAX_BAR_TICKS - 1, ticks))

    def push(self, token: int) -> tuple[int, int, int]:
        """Consume one token; (beat, left, phrase) features of the state after it."""
        kind = int(self.k.kind[token]) if 0 <= token < len(self.k.kind) else 0
        val = int(self.k.value[token]) if kind else 0
        if kind == 1:  # Bar
            if self.started:
                self.cursors = [max(0, c - self.bar_len) for c in self.cursors]
            self.started = True
            self.in_header = False
            self.in_chords = True
            if self.bar is not None:
                self.bar += 1
            if self.section == "prefix":
                self.prefix_bars += 1
            self.onset = 0
            return self._feat(0)
        if kind == 7:  # Meter: in the header, or a change at a bar line
            self.bar_len = val
            return self._feat(NONE if self.in_header else 0)
        if kind == 8:  # Bars_n (header)
            self.n_bars = val
            return self._feat(NONE)
        if kind in (9, 10, 11):  # FIM sections: cursors restart; bar numbers where known
            self.in_header = False
            self.started = False
            self.cursors = [0] * 5
            if kind == 9:
                self.section, self.bar, self.known = "prefix", -1, True
            elif kind == 10:
                self.section, self.bar, self.known = "suffix", None, False
            else:
                self.section, self.bar, self.known = "middle", self.prefix_bars - 1, True
            return self._feat(NONE)
        if kind == 12:  # <bos>
            self.reset()
            return self._feat(NONE)
        if self.in_header:
            return self._feat(NONE)
        if kind == 2:  # Pos
            self.onset = val
            return self._feat(self._beat(val))
        if kind == 6:  # chord tokens: at the chord's position
            return self._feat(self._beat(self.onset))
        if kind == 3:  # Voice
            self.in_chords = False
            self.voice = val
            self.onset = self.cursors[val]
            return self._feat(self._beat(self.onset))
        if kind == 4:  # Pitch: the note starts at onset (a Pos or the cursor)
            return self._feat(self._beat(self.onset))
        if kind == 5:  # Dur: the cursor moves to the note's end
            self.onset = self.onset + val
            self.cursors[self.voice] = self.onset
            return self._feat(self._beat(self.onset))
        return self._feat(NONE)


def metric_features(tok: Tokenizer, ids) -> np.ndarray:
    """(T, 3) int64 features (beat, left, phrase) of a token sequence, one row per token."""
    tr = MeterTracker(tok)
    out = np.empty((len(ids), 3), dtype=np.int64)
    for i, t in enumerate(ids):
        out[i] = tr.push(int(t))
    return out
