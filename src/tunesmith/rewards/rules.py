"""Music-theory rules as rewards, each `rule(piece) -> float` in [0, 1] (1: the rule is kept).

RL Tuner's rules (Jaques et al. 2017; counted as `tunesmith.metrics.rl_tuner` counts them, on the
melody's 16th-note event grid), plus what a style's teacher would also check:

- `no_excessive_repeats`: 1 - share of steps flagged as excessively repeated;
- `in_key`: share of melody notes whose pitch class is in the key's scale (minor: raised 6/7 ok);
- `leaps_resolved`: resolved / (resolved + doubled) leaps (1 without leaps);
- `starts_on_tonic`, `ends_on_tonic`: the melody's first / last note is the tonic;
- `motif`: share of steps inside a motif (3+ distinct pitches within 8 steps);
- `repeated_motif`: share of steps whose motif already occurred (capped: 0.25 -> 1);
- `chord_tones_strong_beats`: share of melody notes starting on a beat that are tones of the
  chord symbol sounding there (lead sheets; NaN without chords);
- `cadence`: lead sheets: the last chord is the tonic triad (root and quality) and the melody ends
  on the tonic; chorales: soprano and bass end on the tonic;
- `voice_leading`: chorales: 1 - (parallel fifths + octaves + crossings) per bar, floored at 0.

`RULES_BY_STYLE` weights them per style and `rules(piece)` applies the piece's style's weights:
that is the reward `tunesmith tune --reward rules` uses.
"""

from __future__ import annotations

import math
import weakref

from tunesmith.score import Piece, pitch_class_of

_NAN = float("nan")


_COUNTS: dict[int, tuple] = {}  # id(piece) -> (weak reference, counts): the rules share one pass


def _counts(piece: Piece):
    from tunesmith.metrics.rl_tuner import rl_tuner_counts

    hit = _COUNTS.get(id(piece))
    if hit is not None and hit[0]() is piece:
        return hit[1]
    counts = rl_tuner_counts(piece, raised_6_7=True)
    if len(_COUNTS) > 512:
        _COUNTS.clear()
    _COUNTS[id(piece)] = (weakref.ref(piece), counts)
    return counts


def _melody(piece: Piece):
    from tunesmith.metrics._common import melody_line

    return melody_line(piece)


def no_excessive_repeats(piece: Piece) -> float:
    c = _counts(piece)
    return 1.0 - c.repeated_notes / c.n_steps if c.n_steps else _NAN


def in_key(piece: Piece) -> float:
    from tunesmith.metrics._common import scale_pitch_classes

    notes = _melody(piece)
    if not notes or piece.key is None:
        return _NAN
    scale = scale_pitch_classes(piece.key.tonic_pc, piece.key.mode, raised_6_7=True)
    return sum(n.pitch % 12 in scale for n in notes) / len(notes)


def leaps_resolved(piece: Piece) -> float:
    c = _counts(piece)
    leaps = c.resolved_leaps + c.doubled_leaps
    return c.resolved_leaps / leaps if leaps else 1.0


def starts_on_tonic(piece: Piece) -> float:
    notes = _melody(piece)
    if not notes or piece.key is None:
        return _NAN
    return float(notes[0].pitch % 12 == piece.key.tonic_pc)


def ends_on_tonic(piece: Piece) -> float:
    notes = _melody(piece)
    if not notes or piece.key is None:
        return _NAN
    return float(notes[-1].pitch % 12 == piece.key.tonic_pc)


def motif(piece: Piece) -> float:
    c = _counts(piece)
    return c.notes_in_motif / c.n_steps if c.n_steps else _NAN


def repeated_motif(piece: Piece) -> float:
    c = _counts(piece)
    return min(1.0, 4.0 * c.notes_in_repeated_motif / c.n_steps) if c.n_steps else _NAN


def _chord_spans(piece: Piece):
    from tunesmith import harmony

    chords = sorted(piece.chords, key=lambda c: c.onset)
    spans = []
    for i, c in enumerate(chords):
        end = chords[i + 1].onset if i + 1 < len(chords) else math.inf
        try:
            spans.append((c.onset, end, set(harmony.chord_pitch_classes(c.figure)), c.figure))
        except (ValueError, KeyError):
            continue
    return spans


def chord_tones_strong_beats(piece: Piece) -> float:
    spans = _chord_spans(piece)
    notes = _melody(piece)
    if not spans or not notes:
        return _NAN
    beat = piece.time_signature.beat_length
    on = total = 0
    for n in notes:
        if abs(n.onset / beat - round(n.onset / beat)) > 1e-6:
            continue  # not on a beat
        for s, e, pcs, _ in spans:
            if s - 1e-9 <= n.onset < e:
                total += 1
                on += n.pitch % 12 in pcs
                break
    return on / total if total else _NAN


def cadence(piece: Piece) -> float:
    key = piece.key
    if key is None:
        return _NAN
    tonic = key.tonic_pc
    if piece.track("soprano") is not None and piece.track("bass") is not None:
        ends = []
        for role in ("soprano", "bass"):
            notes = sorted(piece.track(role).notes, key=lambda n: n.onset)
            ends.append(bool(notes) and notes[-1].pitch % 12 == tonic)
        return sum(ends) / 2
    score = ends_on_tonic(piece)
    score = 0.0 if math.isnan(score) else score
    spans = _chord_spans(piece)
    if not spans:
        return score
    from tunesmith.tokenizer import split_figure

    root, quality, _ = split_figure(spans[-1][3])
    minor = key.mode in ("minor", "dorian", "phrygian", "aeolian", "locrian")
    tonic_quality = (
        quality.startswith("m") and not quality.startswith("maj") if minor else not quality.startswith(("m", "dim"))
    )
    chord_ok = pitch_class_of(root) == tonic and tonic_quality
    return (score + float(chord_ok)) / 2


def voice_leading(piece: Piece) -> float:
    from tunesmith.metrics import harmony_rules as hr

    if any(piece.track(r) is None for r in ("soprano", "alto", "tenor", "bass")):
        return _NAN
    faults = hr.count_parallel_fifths(piece) + hr.count_parallel_octaves(piece) + hr.count_voice_crossings(piece)
    return max(0.0, 1.0 - faults / max(1, piece.n_bars))


RULES = {
    "no_excessive_repeats": no_excessive_repeats,
    "in_key": in_key,
    "leaps_resolved": leaps_resolved,
    "starts_on_tonic": starts_on_tonic,
    "ends_on_tonic": ends_on_tonic,
    "motif": motif,
    "repeated_motif": repeated_motif,
    "chord_tones_strong_beats": chord_tones_strong_beats,
    "cadence": cadence,
    "voice_leading": voice_leading,
}

_RL_TUNER = {"no_excessive_repeats": 1.0, "in_key": 1.0, "leaps_resolved": 1.0, "starts_on_tonic": 1.0,
             "motif": 1.0, "repeated_motif": 0.5}  # fmt: skip
RULES_BY_STYLE: dict[str, dict[str, float]] = {
    "folk": {**_RL_TUNER, "chord_tones_strong_beats": 1.0, "cadence": 1.0},
    "pop": {**_RL_TUNER, "chord_tones_strong_beats": 1.0, "cadence": 0.5},
    "jazz": {**_RL_TUNER, "in_key": 0.5, "chord_tones_strong_beats": 1.0, "cadence": 0.25},
    "chorale": {**_RL_TUNER, "cadence": 1.0, "voice_leading": 1.0},
}


def rule_values(piece: Piece) -> dict[str, float]:
    """Every rule of the piece's style (NaN where a rule does not apply)."""
    weights = RULES_BY_STYLE.get(piece.style, RULES_BY_STYLE["folk"])
    return {name: RULES[name](piece) for name in weights}


def rules(piece: Piece) -> float:
    """The weighted mean of the style's rules (`RULES_BY_STYLE`), over the rules that apply."""
    weights = RULES_BY_STYLE.get(piece.style, RULES_BY_STYLE["folk"])
    total = wsum = 0.0
    for name, w in weights.items():
        v = RULES[name](piece)
        if not math.isnan(v):
            total += w * v
            wsum += w
    return total / wsum if wsum else 0.0


RULES["rules"] = rules
