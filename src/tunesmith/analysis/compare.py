"""`compare`: how a songwriter's songs stand against one style of the cached corpus.

    from tunesmith.analysis import compare
    report = compare(["reel.abc", "verse.musicxml"], style="folk")   # files (read by tunesmith.read) or Pieces
    report = compare(["verse.musicxml"])                             # the style guessed, if reliably

Each song's features are the ones `analyze` computes for corpus pieces (`extract_features` on the
song, the same code), placed against the chosen style's pieces of the corpus (every split): the
style's median, quartiles and 5th/95th percentiles, the song's percentile (mid-rank), and a flag
where the song lies outside the 5-95 % range (a 0/1 feature: fewer than 5 % of the style's pieces
share the song's value). A feature is compared only with the style pieces that have it (harmony
features need chord symbols: 7 % of the folk tunes, none of the chorales) and flagged only when at
least `MIN_STYLE_PIECES` have it. Suggestions: one sentence for each of the features furthest
outside (fewest style pieces as far out), with the figures behind it.

Without `style`, the style is guessed by the k nearest corpus pieces (k = 15, class-balanced vote)
over the standardized features the song has (melody, chords or both), fitted on the corpus' train
split and checked on its valid split at each call: the guess is used only where, among held-out
pieces with the same kind of features, at least `MIN_GUESS_PRECISION` of those guessed that
style were that style; otherwise the song is not compared and `--style` is asked for.

JSON schema "tunesmith-compare/1":

    {"schema": "tunesmith-compare/1",
     "corpus": {"pieces_in_corpus": int, "feature_key": str, "features_from_cache": bool},
     "range": [low, high],                          # percentiles, default [5, 95]
     "sources": [str] | null,                       # the style's pieces of these sources only
     "songs": [{"name": str, "title": str, "has_melody": bool, "has_chords": bool,
                "style": str | null, "style_chosen": "given" | "guessed" | null,
                "style_pieces": int,                # pieces of the style in the corpus
                "guess": null | {"style", "method", "view", "neighbours", "votes": {STYLE: share},
                                 "valid_pieces": int, "valid_accuracy": float,
                                 "valid_guessed_as": int, "valid_precision": float | null, "reliable": bool},
                "refused": null | str,              # why this song was not compared
                "features": [{"name", "family", "description", "value": float | null,
                              "n": int,             # style pieces with the feature
                              "median", "q1", "q3", "p_low", "p_high", "percentile",
                              "share_as_far": float | null,   # style pieces at least as far out, that side
                              "robust_z": float | null,       # (value - median) / (IQR / 1.349)
                              "binary": bool, "share_same": float | null,  # 0/1 features: style share with the song's value
                              "flag": "above" | "below" | null, "note": str | null}],
                "outside": [FEATURE],               # flagged, furthest first
                "suggestions": [{"feature": str, "text": str}]}],
     "seconds": {"features": float, "compare": float}}
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.analysis.extract import FeatureTable
from tunesmith.analysis.features import COVERAGE_FEATURES, FEATURE_NAMES, FEATURES
from tunesmith.score import PITCH_CLASS_NAMES

SCHEMA = "tunesmith-compare/1"
DEFAULT_RANGE = (5.0, 95.0)
MIN_STYLE_PIECES = 20  # fewer style pieces with a feature: reported, never flagged
MIN_GUESS_PRECISION = 0.8  # a guessed style is used only where held-out pieces bear it out this often
MIN_GUESS_SUPPORT = 20  # ... and at least this many held-out pieces were guessed that style
NEIGHBOURS = 15
# what a file holds or how it is notated, not how the music goes: not used to guess a style
GUESS_EXCLUDE = (*COVERAGE_FEATURES, "tempo_qpm", "n_bars")
# flagged and listed, but no sentence: a sketch's length is not how it sounds
NOT_SUGGESTED = ("n_bars",)
BINARY = ("ends_on_tonic", "ends_authentic", "is_minor", "is_triple", "is_compound")
_COL = {n: i for i, n in enumerate(FEATURE_NAMES)}
_MELODY_PROBE, _CHORD_PROBE = _COL["mean_abs_interval"], _COL["major_share"]
STYLE_NOUNS = {"folk": "folk tunes", "chorale": "chorales", "pop": "pop songs", "jazz": "jazz pieces"}

# feature -> (unit, what the song does with {v}, advice where the song is above the style, below it)
_SAY: dict[str, tuple[str, str, str, str]] = {
    "pitch_range": ("st", "your melody spans {v}", "a narrower range", "a wider range"),
    "mean_pitch": ("pitch", "your melody's average pitch is {v}", "a lower register or key", "a higher register or key"),
    "mean_abs_interval": ("st", "your melody moves by {v} on average from note to note", "more stepwise motion",
                          "more leaps"),
    "stepwise_share": ("pct", "{v} of your melody's intervals are steps", "fewer steps (more leaps or repeated notes)",
                       "more stepwise motion"),
    "repeat_share": ("pct", "{v} of your melody's intervals repeat a note", "fewer repeated notes",
                     "more repeated notes"),
    "leap_share": ("pct", "{v} of your melody's intervals leap more than a fourth", "fewer large leaps",
                   "more large leaps"),
    "up_share": ("pct", "{v} of your melody's moves go up", "more falling lines", "more rising lines"),
    "contour_turns": ("pct", "your melody turns direction on {v} of its moves", "longer runs in one direction",
                      "more turns in the line"),
    "peak_position": ("pct", "your melody's highest note comes {v} of the way through", "an earlier high point",
                      "a later high point"),
    "note_density": ("num", "your melody has {v} notes per beat", "fewer, longer notes", "more, shorter notes"),
    "mean_note_beats": ("beats", "your melody's notes last {v} on average", "shorter notes", "longer notes"),
    "rhythm_entropy": ("bits", "the variety of your note lengths (entropy) is {v}", "fewer different note lengths",
                       "more varied note lengths"),
    "offbeat_share": ("pct", "{v} of your melody's notes start off the beat", "more notes on the beat",
                      "more notes off the beat"),
    "syncopation": ("pct", "{v} of your melody's notes are syncopated (off the beat, held over the next)",
                    "less syncopation", "more syncopation"),
    "in_scale_share": ("pct", "{v} of your melody's notes are in the key's scale", "more notes outside the scale",
                       "fewer notes outside the scale"),
    "repetition": ("pct", "{v} of your melody's 4-note figures repeat earlier ones", "more new material",
                   "more repetition of figures"),
    "chord_changes_per_bar": ("num", "your chords change {v} times per bar", "fewer chord changes per bar",
                              "more chord changes per bar"),
    "beats_per_chord": ("beats", "your chords last {v} on average", "shorter chords", "longer chords"),
    "chord_vocabulary": ("int", "your song uses {v} different chords", "fewer different chords",
                         "more different chords"),
    "major_share": ("pct", "{v} of your chord changes are major triads", "fewer plain major triads",
                    "more plain major triads"),
    "minor_share": ("pct", "{v} of your chord changes are minor triads", "fewer minor triads", "more minor triads"),
    "dom7_share": ("pct", "{v} of your chord changes are dominant sevenths", "fewer dominant sevenths",
                   "more dominant sevenths"),
    "min7_share": ("pct", "{v} of your chord changes are minor sevenths", "fewer minor sevenths",
                   "more minor sevenths (ii7, vi7)"),
    "maj7_share": ("pct", "{v} of your chord changes are major sevenths", "fewer major sevenths",
                   "more major sevenths"),
    "dim_share": ("pct", "{v} of your chord changes are diminished", "fewer diminished chords",
                  "more diminished chords"),
    "sus_share": ("pct", "{v} of your chord changes are suspended", "fewer suspended chords",
                  "more suspended chords"),
    "power_share": ("pct", "{v} of your chord changes are power chords", "fewer power chords", "more power chords"),
    "other_quality_share": ("pct", "{v} of your chord changes are other chords (6, add9, aug ...)",
                            "fewer added-note and altered chords", "more added-note chords"),
    "slash_share": ("pct", "{v} of your chords are over another bass note", "fewer slash chords",
                    "more chords over another bass note"),
    "I_share": ("pct", "{v} of your chord changes land on the tonic (I)", "fewer tonic chords",
                "more returns to the tonic"),
    "IV_share": ("pct", "{v} of your chord changes are on IV", "fewer IV chords", "more IV chords"),
    "V_share": ("pct", "{v} of your chord changes are on V", "fewer V chords", "more V chords"),
    "vi_share": ("pct", "{v} of your chord changes are on vi", "fewer vi chords", "more vi chords"),
    "ii_share": ("pct", "{v} of your chord changes are on ii", "fewer ii chords", "more ii chords"),
    "bVII_share": ("pct", "{v} of your chord changes are on bVII", "fewer bVII chords", "more bVII chords"),
    "chromatic_share": ("pct", "{v} of your chords have a root outside the key", "more chords from the key",
                        "more chords from outside the key"),
    "secondary_dom_share": ("pct", "{v} of your chord changes are applied dominants (a 7th chord not on V)",
                            "fewer applied dominants", "more applied dominants"),
    "authentic_cadence_rate": ("pct", "{v} of your chord changes are V to I", "fewer V-I moves", "more V-I moves"),
    "plagal_cadence_rate": ("pct", "{v} of your chord changes are IV to I", "fewer IV-I moves", "more IV-I moves"),
    "ii_V_I_rate": ("pct", "{v} of your chord changes start a ii-V-I", "fewer ii-V-I progressions",
                    "more ii-V-I progressions"),
    "tempo_qpm": ("int", "your tempo is marked {v} quarter notes per minute", "a slower tempo", "a faster tempo"),
    "n_bars": ("int", "your song is {v} bars long", "a shorter form", "a longer form"),
}
# 0/1 features: (the song when 1, when 0; the style's pieces when 1, when 0; advice towards 1, towards 0)
_SAY_BINARY: dict[str, tuple[str, str, str, str, str, str]] = {
    "ends_on_tonic": ("your song ends on the tonic chord", "your song does not end on the tonic chord",
                      "end on the tonic chord", "end elsewhere", "ending on the tonic chord", "ending elsewhere"),
    "ends_authentic": ("your song ends V to I", "your song does not end V to I", "end V to I", "end otherwise",
                       "a V-I ending", "an ending other than V-I"),
    "is_minor": ("your song is in a minor key or mode", "your song is in major", "are in minor", "are in major",
                 "a minor key", "a major key"),
    "is_triple": ("your song is in three (3/4, 9/8)", "your song is not in three", "are in three", "are not",
                  "a meter in three", "a meter in two or four"),
    "is_compound": ("your song is in a compound meter (6/8, 9/8, 12/8)", "your song is not in a compound meter",
                    "are in a compound meter", "are not", "a compound meter (6/8)", "a simple meter"),
}


def _fmt(unit: str, x: float) -> str:
    if unit == "pct":
        return f"{100 * x:.0f}%"
    if unit == "st":
        return f"{x:.1f} semitone{'' if abs(x - 1) < 0.05 else 's'}"
    if unit == "pitch":
        m = int(round(x))
        return f"{PITCH_CLASS_NAMES[m % 12]}{m // 12 - 1}"
    if unit == "beats":
        return f"{x:.2g} beat{'' if abs(x - 1) < 0.005 else 's'}"
    if unit == "bits":
        return f"{x:.2f} bits"
    if unit == "int":
        return f"{x:.0f}"
    return f"{x:.2g}" if abs(x) < 10 else f"{x:.0f}"


def _bare(unit: str, x: float) -> str:
    """A figure without its unit, for the style's side of a sentence."""
    if unit in ("st", "beats", "bits"):
        return f"{x:.1f}" if unit == "st" else (f"{x:.2g}" if unit == "beats" else f"{x:.2f}")
    return _fmt(unit, x)


def _f(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


# ------------------------------------------------------------------ placing one song's features
def place(value: float, ref: np.ndarray, *, binary: bool = False,
          low: float = DEFAULT_RANGE[0], high: float = DEFAULT_RANGE[1]) -> dict[str, Any]:
    """Where `value` stands among `ref` (the style's values; NaN left out): quartiles, percentiles,
    mid-rank percentile, the share of ref at least as far out on that side, the flag."""
    ref = np.asarray(ref, dtype=np.float64)
    ref = ref[np.isfinite(ref)]
    n = len(ref)
    out: dict[str, Any] = {"value": _f(value), "n": n, "median": None, "q1": None, "q3": None, "p_low": None,
                           "p_high": None, "percentile": None, "share_as_far": None, "robust_z": None,
                           "binary": binary, "share_same": None, "flag": None}
    if n == 0:
        return out
    q = np.quantile(ref, [0.5, 0.25, 0.75, low / 100, high / 100])
    out.update(median=float(q[0]), q1=float(q[1]), q3=float(q[2]), p_low=float(q[3]), p_high=float(q[4]))
    if value is None or not math.isfinite(value):
        return out
    below, equal = float((ref < value).sum()), float((ref == value).sum())
    pct = 100.0 * (below + 0.5 * equal) / n
    out["percentile"] = pct
    side_above = value >= q[0]
    out["share_as_far"] = float((ref >= value).sum() / n) if side_above else float((ref <= value).sum() / n)
    iqr = q[2] - q[1]
    scale = iqr / 1.349 if iqr > 0 else float(ref.std())
    if scale > 0:
        out["robust_z"] = float((value - q[0]) / scale)
    if binary:
        out["share_same"] = equal / n
        out["share_as_far"] = equal / n
        if n >= MIN_STYLE_PIECES and equal / n < low / 100:
            out["flag"] = "above" if value > q[0] else "below"
    elif n >= MIN_STYLE_PIECES and (pct < low or pct > high):
        out["flag"] = "above" if pct > high else "below"
    return out


def _sentence(name: str, row: dict[str, Any], style: str, where: str = "the corpus") -> str:
    noun = STYLE_NOUNS.get(style, f"{style} pieces")
    n = row["n"]
    if name in _SAY_BINARY:
        song_yes, song_no, style_yes, style_no, to_yes, to_no = _SAY_BINARY[name]
        yes = row["value"] >= 0.5
        same = row["share_same"]
        return (f"{song_yes if yes else song_no}; only {100 * same:.0f}% of the {n:,} {noun} of {where}"
                f" {style_yes if yes else style_no} ({100 * (1 - same):.0f}% {style_no if yes else style_yes});"
                f" {to_no if yes else to_yes} would sound more like {style}")
    unit, what, if_above, if_below = _SAY.get(name, ("num", f"{FEATURES[name][1]}: yours is {{v}}",
                                                     "a lower value", "a higher value"))
    mine = what.format(v=_fmt(unit, row["value"]))
    advice = if_above if row["flag"] == "above" else if_below
    return (f"{mine}; {noun} of {where}: {_bare(unit, row['median'])} (middle half {_bare(unit, row['q1'])}"
            f"-{_bare(unit, row['q3'])}, {n:,} pieces; {where_is(row)}); {advice} would sound more like {style}")


def where_is(row: dict[str, Any]) -> str:
    """"yours is at the 97th percentile", or, past every style piece, "yours is above all 388"."""
    if row["share_as_far"] == 0:
        return f"yours is {'above' if row['flag'] == 'above' else 'below'} all {row['n']:,}"
    return f"yours is at the {_ordinal(row['percentile'])} percentile"


def _ordinal(p: float) -> str:
    k = int(round(min(100.0, max(0.0, p))))
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def compare_features(x: np.ndarray, table: FeatureTable, style: str, *, low: float = DEFAULT_RANGE[0],
                     high: float = DEFAULT_RANGE[1], top: int = 4, sources: list[str] | None = None) -> dict[str, Any]:
    """One song's feature vector `x` (FEATURE_NAMES order) against `style`'s pieces of `table`
    (of `sources` only, if given): {"features": [...], "outside": [...], "suggestions": [...],
    "style_pieces": n}."""
    styles = np.asarray(table.labels["style"])
    mask = styles == style
    if sources:
        mask &= np.isin(np.asarray(table.labels["source"]), sources)
    if not mask.any():
        where = f" from {', '.join(sources)}" if sources else ""
        raise ValueError(f"--style {style}: no pieces of that style{where} in the corpus"
                         f" (found: {', '.join(sorted(set(styles.tolist())))})")
    X = table.X[mask]
    rows = []
    for j, name in enumerate(table.feature_names):
        row = place(float(x[j]), X[:, j], binary=name in BINARY, low=low, high=high)
        note = None
        if name in COVERAGE_FEATURES:
            row["flag"] = None  # what the file holds, not how the music goes
            note = "what the song has, not how it goes: never flagged"
        elif row["n"] == 0:
            note = f"no {style} piece of the corpus has it"
        elif row["value"] is None:
            note = ("your song has no chord symbols" if FEATURES[name][0] == "harmony"
                    else "your song has no melody line" if FEATURES[name][0] == "melody" else "not in your song")
        elif row["n"] < MIN_STYLE_PIECES:
            note = f"only {row['n']} {style} pieces have it: not flagged"
        rows.append({"name": name, "family": FEATURES[name][0], "description": FEATURES[name][1], **row, "note": note})
    flagged = [r for r in rows if r["flag"]]
    flagged.sort(key=lambda r: (r["share_as_far"], -abs(r["robust_z"] if r["robust_z"] is not None else math.inf)))
    return {
        "style_pieces": int(mask.sum()),
        "features": rows,
        "outside": [r["name"] for r in flagged],
        "suggestions": [{"feature": r["name"], "text": _sentence(r["name"], r, style,
                                                                 ", ".join(sources) if sources else "the corpus")}
                        for r in [r for r in flagged if r["name"] not in NOT_SUGGESTED][:top]],
    }


# ------------------------------------------------------------------ guessing the style
@dataclass
class _View:
    """The columns of one kind of song (melody, chords or both), and the corpus pieces that have them."""

    name: str
    cols: np.ndarray
    mean: np.ndarray
    sd: np.ndarray


def _kinds(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.isfinite(X[:, _MELODY_PROBE]), np.isfinite(X[:, _CHORD_PROBE])


def _view_name(melody: bool, chords: bool) -> str:
    return "melody and chords" if melody and chords else "melody" if melody else "chords" if chords else ""


class StyleGuesser:
    """k nearest corpus pieces (class-balanced vote) over the standardized features a song has.

    Fitted on `fit_mask` rows of the table (the train split); `check(valid_mask)` measures it on
    held-out rows, per kind of song; `guess(x)` names the style and whether the check bears it out."""

    def __init__(self, table: FeatureTable, fit_mask: np.ndarray, *, k: int = NEIGHBOURS):
        self.table, self.k = table, k
        self.fit_mask = np.asarray(fit_mask, dtype=bool)
        self.styles_all = np.asarray(table.labels["style"])
        self.melody, self.chords = _kinds(table.X)
        self._views: dict[tuple[bool, bool], _View | None] = {}
        self._checks: dict[tuple[bool, bool], dict[str, Any]] = {}
        self.valid_mask: np.ndarray | None = None

    def _pool(self, kind: tuple[bool, bool]) -> np.ndarray:
        m = self.fit_mask.copy()
        if kind[0]:
            m &= self.melody
        if kind[1]:
            m &= self.chords
        return m

    def _view(self, kind: tuple[bool, bool]) -> _View | None:
        if kind not in self._views:
            pool = self._pool(kind)
            view = None
            if pool.sum() >= self.k:
                families = {"general"} | ({"melody"} if kind[0] else set()) | ({"harmony"} if kind[1] else set())
                X = self.table.X[pool]
                cols = np.array([j for j, n in enumerate(self.table.feature_names)
                                 if n not in GUESS_EXCLUDE and FEATURES[n][0] in families
                                 and np.isfinite(X[:, j]).mean() >= 0.95])
                if len(cols):
                    sd = np.nanstd(X[:, cols], axis=0)
                    view = _View(_view_name(*kind), cols, np.nanmean(X[:, cols], axis=0), np.where(sd > 1e-9, sd, 1.0))
            self._views[kind] = view
        return self._views[kind]

    def _z(self, view: _View, X: np.ndarray) -> np.ndarray:
        return np.nan_to_num((X[:, view.cols] - view.mean) / view.sd)  # a missing value: the pool's mean

    def _votes(self, kind: tuple[bool, bool], X: np.ndarray) -> tuple[list[str], np.ndarray]:
        """(styles, n x styles vote shares) for rows X of songs of this kind."""
        view = self._view(kind)
        pool = self._pool(kind)
        labels = self.styles_all[pool]
        styles = sorted(set(labels.tolist()))
        A = self._z(view, self.table.X[pool])
        B = self._z(view, X)
        prior = Counter(labels.tolist())
        weight = np.array([1.0 / prior[s] for s in labels])
        index = np.array([styles.index(s) for s in labels])
        out = np.zeros((len(B), len(styles)))
        a2 = (A**2).sum(axis=1)
        for start in range(0, len(B), 256):
            b = B[start : start + 256]
            d = (b**2).sum(axis=1)[:, None] + a2[None, :] - 2.0 * b @ A.T
            nn = np.argpartition(d, self.k - 1, axis=1)[:, : self.k]
            for r, row in enumerate(nn):
                np.add.at(out[start + r], index[row], weight[row])
        out /= np.maximum(out.sum(axis=1, keepdims=True), 1e-300)
        return styles, out

    def check(self, valid_mask: np.ndarray, kind: tuple[bool, bool]) -> dict[str, Any]:
        """Accuracy on the held-out pieces that have this kind's features, and per guessed style
        how many were guessed so and how many of those were right."""
        if kind in self._checks:
            return self._checks[kind]
        self.valid_mask = np.asarray(valid_mask, dtype=bool)
        m = self.valid_mask.copy()
        if kind[0]:
            m &= self.melody
        if kind[1]:
            m &= self.chords
        result: dict[str, Any] = {"pieces": int(m.sum()), "accuracy": None, "balanced_accuracy": None,
                                  "guessed": {}, "right": {}, "per_style": {}}
        if m.any() and self._view(kind) is not None:
            styles, votes = self._votes(kind, self.table.X[m])
            pred = np.asarray(styles)[votes.argmax(axis=1)]
            truth = self.styles_all[m]
            result["accuracy"] = float((pred == truth).mean())
            per = {s: float((pred[truth == s] == s).mean()) for s in sorted(set(truth.tolist()))}
            result["per_style"] = per
            result["balanced_accuracy"] = float(np.mean(list(per.values())))
            result["guessed"] = dict(Counter(pred.tolist()))
            result["right"] = dict(Counter(pred[pred == truth].tolist()))
        self._checks[kind] = result
        return result

    def guess(self, x: np.ndarray, valid_mask: np.ndarray | None) -> dict[str, Any] | None:
        """The guess for one song's features (None where it has neither melody nor chords)."""
        kind = (bool(np.isfinite(x[_MELODY_PROBE])), bool(np.isfinite(x[_CHORD_PROBE])))
        if not any(kind) or self._view(kind) is None:
            return None
        styles, votes = self._votes(kind, x[None, :])
        best = int(votes[0].argmax())
        style = styles[best]
        out: dict[str, Any] = {
            "style": style,
            "method": (f"{self.k} nearest corpus pieces (train split; each vote weighted by 1 / its style's pieces)"
                       f" over {len(self._view(kind).cols)} standardized {self._view(kind).name} features"),
            "view": self._view(kind).name,
            "neighbours": self.k,
            "votes": {s: round(float(v), 3) for s, v in zip(styles, votes[0])},
            "valid_pieces": 0, "valid_accuracy": None, "valid_balanced_accuracy": None,
            "valid_guessed_as": 0, "valid_precision": None, "reliable": False,
        }
        if valid_mask is not None:
            c = self.check(valid_mask, kind)
            n_as = int(c["guessed"].get(style, 0))
            out.update(valid_pieces=c["pieces"], valid_accuracy=c["accuracy"],
                       valid_balanced_accuracy=c["balanced_accuracy"], valid_guessed_as=n_as,
                       valid_precision=(c["right"].get(style, 0) / n_as) if n_as else None)
            out["reliable"] = bool(n_as >= MIN_GUESS_SUPPORT and out["valid_precision"] >= MIN_GUESS_PRECISION)
        return out


def _splits(table: FeatureTable, cache_dir: str | Path | None) -> np.ndarray | None:
    """The split of every table row, from the corpus cache (None if it cannot be matched)."""
    if "split" in table.labels:
        return np.asarray(table.labels["split"])
    from tunesmith.corpus.store import load_corpus

    try:
        corpus = load_corpus(cache_dir)
    except (OSError, ValueError):
        return None
    split = dict(zip(corpus.column("piece_id"), corpus.column("split")))
    values = [split.get(p) for p in table.labels["piece_id"]]
    if any(v is None for v in values):
        return None
    return np.asarray(values)


# ------------------------------------------------------------------ the songs
def _read_songs(songs: list[Any]) -> list[tuple[str, Any]]:
    from tunesmith.reading import read
    from tunesmith.score import Piece

    out = []
    for song in songs:
        if isinstance(song, Piece):
            out.append((song.title or song.piece_id or "song", song))
        else:
            out.append((os.fspath(song), read(song)))  # InputError (a ValueError): one line naming the file
    return out


def song_features(pieces: list[Any]) -> np.ndarray:
    """The analysis features of each Piece (rows in FEATURE_NAMES order): `extract_features`, the
    code the corpus goes through."""
    import copy

    from tunesmith.analysis.extract import extract_features

    own = []
    for i, p in enumerate(pieces):
        q = copy.copy(p)
        q.piece_id, q.work_id = f"song:{i}", f"song:{i}"  # the corpus store wants ids; the caller's piece is left as it was
        own.append(q)
    return extract_features(own).X


def compare(
    songs: list[Any],
    *,
    style: str | None = None,
    table: FeatureTable | None = None,
    cache_dir: str | Path | None = None,
    splits: list[str] | np.ndarray | None = None,
    sources: list[str] | None = None,
    low: float = DEFAULT_RANGE[0],
    high: float = DEFAULT_RANGE[1],
    top: int = 4,
) -> dict[str, Any]:
    """Each song (a file path or a Piece) against `style`'s pieces of the corpus, or against the
    style guessed for it (see the module docstring). `table`: the corpus features (default: the
    cached corpus at `cache_dir`); `splits`: each table row's split (default: from the corpus cache),
    needed only to guess a style; `sources`: compare with the style's pieces of these sources only
    (the guess still looks at every piece)."""
    t0 = time.perf_counter()
    if not songs:
        raise ValueError("--compare: give at least one song (MIDI, MusicXML or ABC)")
    if not 0 <= low < high <= 100:
        raise ValueError(f"range {low}-{high}: percentiles with 0 <= low < high <= 100")
    if top < 1:
        raise ValueError(f"--top {top}: at least 1 suggestion")
    read = _read_songs(list(songs))  # every file read before the corpus: a bad one is said first
    if table is None:
        from tunesmith.analysis.extract import corpus_features

        table = corpus_features(cache_dir)
    known = sorted(set(table.labels["style"]))
    if style is not None:
        style = style.strip().lower()
        if style not in known:
            raise ValueError(f"--style {style}: no pieces of that style in the corpus (found: {', '.join(known)})")
    if sources:  # the style's pieces of these sources only (folk: Essen's songs, or the fiddle tunes)
        found = set(table.labels["source"])
        sources = [next((k for k in found if k.lower() == x.lower()), x) for x in sources]  # any case
        unknown = [x for x in sources if x not in found]
        if unknown:
            raise ValueError(f"--sources: no pieces from {', '.join(unknown)} (found: {', '.join(sorted(found))})")
    t_feat = time.perf_counter()
    X = song_features([p for _, p in read])
    seconds_features = time.perf_counter() - t_feat
    guesser = None
    valid_mask = None
    if style is None:
        split = np.asarray(splits) if splits is not None else _splits(table, cache_dir)
        if split is None or not (split == "train").any() or not (split == "valid").any():
            raise ValueError("no --style given, and the corpus has no train and valid split to check a guess on;"
                             f" give --style {'|'.join(known)}")
        guesser = StyleGuesser(table, split == "train")
        valid_mask = split == "valid"
    out_songs = []
    for (name, piece), x in zip(read, X):
        melody, chords = bool(np.isfinite(x[_MELODY_PROBE])), bool(np.isfinite(x[_CHORD_PROBE]))
        entry: dict[str, Any] = {"name": name, "title": piece.title or Path(name).stem, "has_melody": melody,
                                 "has_chords": chords, "style": style, "style_chosen": "given" if style else None,
                                 "style_pieces": 0, "guess": None, "refused": None, "features": [], "outside": [],
                                 "suggestions": []}
        chosen = style
        if guesser is not None:
            g = guesser.guess(x, valid_mask)
            entry["guess"] = g
            if g is None:
                entry["refused"] = f"{name}: neither a melody (4+ notes) nor chord symbols to compare; nothing to guess from"
            elif not g["reliable"]:
                precision = ("no held-out piece" if g["valid_precision"] is None else
                             f"{100 * g['valid_precision']:.0f}% of the {g['valid_guessed_as']}")
                entry["refused"] = (f"{name}: no --style given and the guess ({g['style']}) is not reliable for a song"
                                    f" with {g['view']}: of held-out corpus pieces like it guessed {g['style']},"
                                    f" {precision} were {g['style']} (needs {100 * MIN_GUESS_PRECISION:.0f}% of at least"
                                    f" {MIN_GUESS_SUPPORT}); give --style {'|'.join(known)}")
            else:
                chosen = g["style"]
                entry.update(style=chosen, style_chosen="guessed")
        if chosen is not None:
            entry.update(compare_features(x, table, chosen, low=low, high=high, top=top, sources=sources))
        out_songs.append(entry)
    return {
        "schema": SCHEMA,
        "corpus": {"pieces_in_corpus": len(table), "feature_key": table.key, "features_from_cache": table.from_cache},
        "range": [low, high],
        "sources": list(sources) if sources else None,
        "songs": out_songs,
        "seconds": {"features": round(seconds_features, 3), "compare": round(time.perf_counter() - t0, 3)},
    }
