"""What a style's tuned decoding (`decoding.json`) sets in a take's automaton tables: the tonal,
register and rhythm feedback (logit offsets that draw a take back toward the style's profiles
while it is written) and the shares a take's closing degree is drawn from. The offsets
themselves are computed per step by `Constrainer.tonal_bias` / `rhythm_bias`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tunesmith.sampling.request import ComposeRequest, mode_family

if TYPE_CHECKING:
    from tunesmith.sampling.automaton import _Tables

# Tonal, register and rhythm feedback: no steering before two beats of melody (TONAL_MIN_TICKS) or four
# notes of a voice (RHYTHM_MIN_NOTES); shares are smoothed by FEEDBACK_EPS so that a degree or
# length not yet heard is not pulled in at full strength; offsets clipped to +-FEEDBACK_CLIP.
TONAL_MIN_TICKS = 2 * 12
REGISTER_MIN_TICKS = 4 * 12  # four beats of melody in a section before its mean is trusted
REGISTER_SCALE = 2.0  # semitones of error at which the register feedback pulls with its full gain
RHYTHM_MIN_NOTES = 4
FEEDBACK_EPS = 0.02
FEEDBACK_CLIP = 2.0


def _steer(target: np.ndarray, shares: np.ndarray, gain: float) -> np.ndarray:
    """gain * log(target / shares so far), smoothed and clipped: the feedback's logit offsets."""
    off = gain * np.log((target + FEEDBACK_EPS) / (shares + FEEDBACK_EPS))
    return np.clip(off, -FEEDBACK_CLIP, FEEDBACK_CLIP)


def set_tonal_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the tonal feedback of a lead sheet's melody when the style's decoding has a
    "degree_profile" (time per scale degree of the training tunes, per mode family) and a
    "tonal_feedback" gain: at each pitch, every degree's logit moves by gain * log(profile /
    the take's own time on it so far), so a take that has dwelt on the relative minor's or the
    dominant's notes is drawn back toward its key, as a tune comes home, without a degree ever
    being forbidden. Scaled by the request's `tonal_feedback` weight (0: off)."""
    profile = (tuned.get("degree_profile") or {}).get(mode_family(request.mode))
    gain = float(tuned.get("tonal_feedback", 0.0)) * (1.0 if request.tonal_feedback is None else float(request.tonal_feedback))
    if profile is None or gain <= 0 or request.layout != "lead":
        return
    tables.tonal_target = np.asarray(profile, dtype=np.float64)
    tables.tonal_gain = gain


def set_register_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the register feedback of a lead sheet with contrasting sections (AABB's B strain,
    AABA's bridge) when the style's decoding has "register_lift" (semitones: how far the training
    tunes' contrasting sections sit over their first) and "register_gain" (fitted by
    scripts/fit_register_lift.py). Without it a take's B strain sat where its A strain did: real
    32-bar folk tunes lift it by 2.1 semitones (shippable training split), the takes by 0.7."""
    gain = float(tuned.get("register_gain", 0.0))
    if gain <= 0 or request.layout != "lead" or not tables.contrast_bars:
        return
    tables.register_lift = float(tuned.get("register_lift", 0.0))
    tables.register_gain = gain


def set_closing_shares(tables: _Tables, tuned: dict) -> None:
    """The closing-degree shares a take draws from: the model's own (`decoding.json`
    "closing_degrees", e.g. learnt by the tuner) where it has them, else `FINAL_DEGREE_SHARES`."""
    shares = tuned.get("closing_degrees")
    if not shares or not tables.final_endings:
        return
    by_name = dict(zip(tables.final_names, (pcs for pcs, _ in tables.final_endings)))
    total = sum(shares.get(n, 0.0) for n in by_name)
    if total > 0:
        tables.final_endings = [(by_name[n], shares.get(n, 0.0) / total) for n in tables.final_names]


def set_rhythm_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the rhythm feedback when the style's decoding has a "rhythm_profile" (per voice
    letter, the share of each note length of `DUR_TICKS` in the training pieces) and a
    "rhythm_feedback" gain: before each note length, every length's logit moves by gain *
    log(profile / the voice's own share so far), so a voice that has run in eighths is drawn back
    toward the style's quarters and halves. Scaled by the request's `rhythm_feedback` (0: off)."""
    profile = tuned.get("rhythm_profile") or {}
    weight = 1.0 if request.rhythm_feedback is None else float(request.rhythm_feedback)
    gain = float(tuned.get("rhythm_feedback", 0.0)) * weight
    if gain <= 0 or not all(v in profile for v in tables.voices):
        return
    tables.rhythm_target = np.array([profile[v] for v in tables.voices], dtype=np.float64)
    tables.rhythm_gain = gain
