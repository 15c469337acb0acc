"""Features of one piece, computed straight from a corpus record and its notes array.

Every feature is a number (NaN where it is undefined: melody features of a chords-only
Billboard song, harmony features of a chorale without chord symbols). Chord progressions are
also kept as a sequence of *functions*: Roman numerals relative to the key in effect at the
chord, numbered on the major scale ("I", "ii7", "V7", "bVII", "iv", "bVI"; lowercase for minor
and diminished chords; "7" dominant or minor seventh, "maj7", "ø7" half-diminished, "°"/"°7"
diminished, "+" augmented, "sus" suspended). Consecutive repeats of the same chord are one
chord *change*: shares count changes, so a bar-by-bar annotation and a one-chord-per-phrase
lead sheet weigh the same.

The melody is the piece's melody track (else the soprano, else the first pitched track), made
monophonic by keeping the highest note at each onset, as in `tunesmith.metrics.musicality`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from tunesmith.harmony import parse_chord
from tunesmith.score import pitch_class_of

NAN = float("nan")

# name -> (family, description). The order is the column order of the feature matrix.
FEATURES: dict[str, tuple[str, str]] = {
    # melody
    "pitch_range": ("melody", "melody range, semitones (highest - lowest note)"),
    "mean_pitch": ("melody", "mean melody pitch (MIDI number)"),
    "mean_abs_interval": ("melody", "mean absolute interval between consecutive notes, semitones"),
    "stepwise_share": ("melody", "share of intervals that are steps (1-2 semitones)"),
    "repeat_share": ("melody", "share of intervals that repeat the note (0 semitones)"),
    "leap_share": ("melody", "share of intervals larger than a perfect fourth (> 5 semitones)"),
    "up_share": ("melody", "share of moving intervals that go up"),
    "contour_turns": ("melody", "changes of melodic direction per interval"),
    "peak_position": ("melody", "where the highest note first falls (0 start .. 1 end)"),
    "note_density": ("melody", "melody notes per quarter-note beat"),
    "mean_note_beats": ("melody", "mean melody note length, quarter-note beats"),
    "rhythm_entropy": ("melody", "entropy of the note-length distribution, bits"),
    "offbeat_share": ("melody", "share of notes starting off the beat"),
    "syncopation": ("melody", "share of notes starting off the beat and held over the next beat"),
    "in_scale_share": ("melody", "share of notes in the key's scale"),
    "repetition": ("melody", "share of 4-note (interval, length) patterns that occurred before: form/repetition"),
    # harmony
    "chord_changes_per_bar": ("harmony", "chord changes per bar (harmonic rhythm)"),
    "beats_per_chord": ("harmony", "mean length of a chord, quarter-note beats"),
    "chord_vocabulary": ("harmony", "distinct chords (root + quality) in the piece"),
    "major_share": ("harmony", "share of chord changes that are major triads"),
    "minor_share": ("harmony", "share of minor triads"),
    "dom7_share": ("harmony", "share of dominant-seventh chords (7, 9, 11, 13 and altered)"),
    "min7_share": ("harmony", "share of minor-seventh chords (m7, m9, m11)"),
    "maj7_share": ("harmony", "share of major-seventh chords (maj7, maj9)"),
    "dim_share": ("harmony", "share of diminished and half-diminished chords"),
    "sus_share": ("harmony", "share of suspended chords"),
    "power_share": ("harmony", "share of power chords (root + fifth)"),
    "other_quality_share": ("harmony", "share of other chords (6, add9, aug, mMaj7 ...)"),
    "slash_share": ("harmony", "share of chords over another bass note"),
    "I_share": ("harmony", "share of chords on the tonic (I/i)"),
    "IV_share": ("harmony", "share of chords on the fourth degree (IV/iv)"),
    "V_share": ("harmony", "share of chords on the fifth degree (V/v)"),
    "vi_share": ("harmony", "share of chords on the sixth degree (vi/VI)"),
    "ii_share": ("harmony", "share of chords on the second degree (ii/II)"),
    "bVII_share": ("harmony", "share of chords on the flat seventh (bVII)"),
    "chromatic_share": ("harmony", "share of chords whose root is outside the key's scale"),
    "secondary_dom_share": ("harmony", "share of dominant sevenths not on V (applied dominants)"),
    "authentic_cadence_rate": ("harmony", "V -> I moves per chord change"),
    "plagal_cadence_rate": ("harmony", "IV -> I moves per chord change"),
    "ii_V_I_rate": ("harmony", "ii - V - I progressions per chord change"),
    "ends_on_tonic": ("harmony", "1 if the last chord is on the tonic"),
    "ends_authentic": ("harmony", "1 if the piece ends V -> I"),
    # key, mode, meter, tempo, size
    "is_minor": ("general", "1 if the (first) key is minor or a minor mode"),
    "is_triple": ("general", "1 if the meter is in three (3/4, 9/8, 3/8)"),
    "is_compound": ("general", "1 if the meter is compound (6/8, 9/8, 12/8)"),
    "tempo_qpm": ("general", "tempo marked in the source, quarter notes per minute (NaN if none)"),
    "n_bars": ("general", "length in bars"),
    "n_chords": ("general", "chord changes in the piece"),
    "has_melody": ("general", "1 if the piece has a melody line"),
    "has_chords": ("general", "1 if the piece has chord symbols"),
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)
_COL = {name: i for i, name in enumerate(FEATURE_NAMES)}
# Flags that say which features exist, not what the music does: left out of "distinctive".
COVERAGE_FEATURES = ("has_melody", "has_chords", "n_chords")

QUALITY_CLASSES = ("major", "minor", "dom7", "min7", "maj7", "dim", "sus", "power", "other")
NUMERALS = ("I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII")
_MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
_MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10, 11)  # natural minor + the leading tone
_MINOR_MODES = {"minor", "aeolian", "dorian", "phrygian", "locrian"}
_MODE_SCALE = {
    "major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10, 11), "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10), "lydian": (0, 2, 4, 6, 7, 9, 11), "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10), "locrian": (0, 1, 3, 5, 6, 8, 10),
}


def quality_class(quality: str) -> str:
    """One of QUALITY_CLASSES for a `harmony.QUALITIES` name."""
    if quality == "":
        return "major"
    if quality == "m":
        return "minor"
    if "sus" in quality:
        return "sus"
    if quality in ("dim", "dim7", "m7b5"):
        return "dim"
    if quality.startswith("maj"):
        return "maj7"
    if quality.startswith("m") and quality[1:2] in ("7", "9", "1") and not quality.startswith("mMaj"):
        return "min7"
    if quality[:1] in ("7", "9") or quality.startswith(("11", "13")):
        return "dom7"
    if quality == "5":
        return "power"
    return "other"


_SUFFIX = {"major": "", "minor": "", "dom7": "7", "min7": "7", "maj7": "maj7", "sus": "sus", "power": "5"}


@lru_cache(maxsize=65536)
def _chord_parts(figure: str) -> tuple[int, str, int | None, str] | None:
    try:
        root, quality, bass = parse_chord(figure)
    except ValueError:
        return None
    return root, quality, bass, quality_class(quality)


def function_token(offset: int, quality: str) -> str:
    """Roman numeral of a chord `offset` semitones above the tonic with this quality: 'V7', 'ii7', 'bVII'."""
    cls = quality_class(quality)
    numeral = NUMERALS[offset % 12]
    minorish = cls in ("minor", "min7", "dim") or (cls == "other" and quality.startswith("m"))
    if minorish:
        numeral = numeral.lower()
    if cls == "dim":
        return numeral + {"dim": "°", "dim7": "°7", "m7b5": "ø7"}[quality]
    if quality == "aug":
        return numeral + "+"
    return numeral + _SUFFIX.get(cls, "")


def token_skeleton(token: str) -> str:
    """A function token without its seventh: 'V7' -> 'V', 'ii7' -> 'ii', 'Imaj7' -> 'I'; the
    diminished and half-diminished sevenths ('vii°7', 'viiø7') and all else as they are."""
    if token.endswith("maj7"):
        return token[:-4]
    if token.endswith("7") and not token.endswith(("°7", "ø7")):
        return token[:-1]
    return token


_TOKEN_QUALITY = {("", False): "", ("", True): "m", ("7", False): "7", ("7", True): "m7", ("maj7", False): "maj7",
                  ("sus", False): "sus4", ("5", False): "5", ("+", False): "aug", ("°", True): "dim",
                  ("°7", True): "dim7", ("ø7", True): "m7b5"}


def realize_token(token: str, tonic_pc: int, *, flats: bool = True) -> str:
    """The chord figure of a function token in the key whose tonic is `tonic_pc` ('V7', 7 -> 'D7')."""
    from tunesmith.harmony import make_figure

    acc = ""
    rest = token
    while rest[:1] in ("b", "#"):
        acc, rest = acc + rest[0], rest[1:]
    i = 0
    while i < len(rest) and rest[i].upper() in "IV":
        i += 1
    numeral, suffix = rest[:i], rest[i:]
    if not numeral:
        raise ValueError(f"not a function token: {token!r}")
    name = acc + numeral.upper()
    if name not in NUMERALS:
        raise ValueError(f"not a function token: {token!r}")
    quality = _TOKEN_QUALITY.get((suffix, numeral.islower()))
    if quality is None:
        raise ValueError(f"not a function token: {token!r}")
    return make_figure((tonic_pc + NUMERALS.index(name)) % 12, quality, flats=flats)


def _key_at(keys: list, onset: float) -> tuple[int, str]:
    tonic, mode = keys[0][1], keys[0][2]
    for k_onset, k_tonic, k_mode in keys[1:]:
        if k_onset <= onset + 1e-9:
            tonic, mode = k_tonic, k_mode
    try:
        return pitch_class_of(tonic), mode
    except ValueError:
        return 0, mode


def _melody_track(tracks: list) -> int | None:
    for role in ("melody", "soprano"):
        for i, t in enumerate(tracks):
            if t[1] == role and t[4] > 0:
                return i
    for i, t in enumerate(tracks):
        if not t[3] and t[4] > 0 and t[1] not in ("chords", "accompaniment", "bass"):
            return i
    return None


def _meter(record: dict[str, Any]) -> tuple[int, int]:
    ts = record["time_signatures"]
    return (int(ts[0][1]), int(ts[0][2])) if ts else (4, 4)


def _segment_first(pid: np.ndarray, n_pieces: int) -> np.ndarray:
    """Index of the first row of each piece in a pid-sorted array (len(pid) where a piece has none)."""
    return np.searchsorted(pid, np.arange(n_pieces), side="left")


def melody_features(records: list[dict[str, Any]], notes: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Melody features of many pieces at once (n x len(FEATURE_NAMES), NaN where undefined; only
    melody columns and `has_melody` are filled). Piece i's notes are notes[starts[i]:starts[i]+counts[i]].

    Vectorised over the whole notes array: the cost is a few numpy passes, not a loop per piece."""
    n_pieces = len(records)
    out = np.full((n_pieces, len(FEATURE_NAMES)), NAN)
    out[:, _COL["has_melody"]] = 0.0
    if n_pieces == 0:
        return out
    mel_track = np.array([(-1 if (t := _melody_track(r["tracks"])) is None else t) for r in records])
    starts = np.asarray(starts, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    take = (mel_track >= 0) & (counts > 0)
    if not take.any():
        return out
    lens = counts[take]
    rows = np.repeat(starts[take] - np.cumsum(np.r_[0, lens[:-1]]), lens) + np.arange(lens.sum())
    pid_all = np.repeat(np.flatnonzero(take), lens)
    sel = notes[rows]
    keep = sel["track"] == mel_track[pid_all]
    sel, pid = sel[keep], pid_all[keep]
    onset = sel["onset"].astype(np.float64)
    pitch = sel["pitch"].astype(np.int64)
    dur = sel["duration"].astype(np.float64)
    order = np.lexsort((-pitch, onset, pid))
    onset, pitch, dur, pid = onset[order], pitch[order], dur[order], pid[order]
    first = np.ones(len(pid), dtype=bool)
    first[1:] = (pid[1:] != pid[:-1]) | (np.diff(onset) > 1e-6)  # the highest note at each onset
    onset, pitch, dur, pid = onset[first], pitch[first], dur[first], pid[first]
    n_notes = np.bincount(pid, minlength=n_pieces)
    ok = n_notes >= 4
    if not ok.any():
        return out
    row_ok = ok[pid]
    onset, pitch, dur, pid = onset[row_ok], pitch[row_ok], dur[row_ok], pid[row_ok]
    n_notes = np.bincount(pid, minlength=n_pieces).astype(np.float64)
    seg = _segment_first(pid, n_pieces)
    idx = np.flatnonzero(ok)
    col = _COL
    out[idx, col["has_melody"]] = 1.0

    def per_piece_mean(values: np.ndarray, weights_pid: np.ndarray) -> np.ndarray:
        total = np.bincount(weights_pid, weights=values.astype(np.float64), minlength=n_pieces)
        num = np.bincount(weights_pid, minlength=n_pieces).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(num > 0, total / np.maximum(num, 1), NAN)

    # pitch
    starts_ok = seg[idx]
    pmax = np.maximum.reduceat(pitch, starts_ok)
    pmin = np.minimum.reduceat(pitch, starts_ok)
    out[idx, col["pitch_range"]] = pmax - pmin
    out[idx, col["mean_pitch"]] = (np.bincount(pid, weights=pitch, minlength=n_pieces) / np.maximum(n_notes, 1))[idx]
    local = np.arange(len(pid)) - seg[pid]
    full_max = np.zeros(n_pieces, dtype=np.int64)
    full_max[idx] = pmax
    big = np.iinfo(np.int64).max
    peak = np.minimum.reduceat(np.where(pitch == full_max[pid], local, big), starts_ok)
    out[idx, col["peak_position"]] = peak / (n_notes[idx] - 1)
    # intervals (within a piece)
    same = pid[1:] == pid[:-1]
    iv = np.diff(pitch)[same]
    ipid = pid[1:][same]
    a = np.abs(iv)
    for name, values in (("mean_abs_interval", a), ("stepwise_share", (a >= 1) & (a <= 2)),
                         ("repeat_share", a == 0), ("leap_share", a > 5)):
        out[idx, col[name]] = per_piece_mean(values, ipid)[idx]
    moving = iv != 0
    mv, mpid = np.sign(iv[moving]), ipid[moving]
    out[:, col["up_share"]] = np.where(ok, per_piece_mean(mv > 0, mpid), NAN)
    msame = mpid[1:] == mpid[:-1]
    turns = np.bincount(mpid[1:][msame], weights=(mv[1:] != mv[:-1])[msame], minlength=n_pieces)
    nmov = np.bincount(mpid, minlength=n_pieces)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, col["contour_turns"]] = np.where(ok & (nmov > 0), turns / np.maximum(nmov - 1, 1), NAN)
    # rhythm
    last = np.r_[seg[idx][1:], len(pid)] - 1
    span = onset[last] + dur[last] - onset[starts_ok]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[idx, col["note_density"]] = np.where(span > 0, n_notes[idx] / span, NAN)
    out[idx, col["mean_note_beats"]] = (np.bincount(pid, weights=dur, minlength=n_pieces) / np.maximum(n_notes, 1))[idx]
    q = np.minimum(np.round(dur * 12).astype(np.int64), 10_000)  # lengths to 1/12 beat
    pair, pair_n = np.unique(pid * 10_001 + q, return_counts=True)
    ppid = pair // 10_001
    p = pair_n / n_notes[ppid]
    out[idx, col["rhythm_entropy"]] = np.bincount(ppid, weights=-p * np.log2(p), minlength=n_pieces)[idx]
    # metre: position in the bar, then in the beat
    meters = [_meter(r) for r in records]
    unit = np.array([4.0 / d for _, d in meters])
    beat = np.array([3 * u if d >= 8 and nm in (6, 9, 12) else u for (nm, d), u in zip(meters, unit)])
    bar_len = np.array([nm for nm, _ in meters]) * unit
    pos = onset.copy()
    with_bars = [i for i in idx if records[i]["bar_onsets"]]
    if with_bars:
        scale = 1e6
        b_list = [np.asarray(records[i]["bar_onsets"], dtype=np.float64) for i in with_bars]
        b_pid = np.repeat(np.array(with_bars), [len(b) for b in b_list])
        b_all = np.concatenate(b_list)
        # a pickup bar is aligned to its end, not its start
        shift = np.zeros(len(b_all))
        firsts = np.cumsum([0] + [len(b) for b in b_list[:-1]])
        for k, (i, b) in enumerate(zip(with_bars, b_list)):
            if len(b) > 1:
                shift[firsts[k]] = bar_len[i] - (b[1] - b[0])
        key_b = b_pid * scale + b_all
        has_b = np.zeros(n_pieces, dtype=bool)
        has_b[with_bars] = True
        m = has_b[pid]
        j = np.searchsorted(key_b, pid[m] * scale + onset[m] + 1e-6, side="right") - 1
        j_ok = (j >= 0) & (b_pid[np.maximum(j, 0)] == pid[m])
        jj = np.maximum(j, 0)
        pos[m] = np.where(j_ok, onset[m] - b_all[jj] + shift[jj], onset[m])
    bt = beat[pid]
    in_beat = np.mod(pos, bt)
    off = (in_beat > 0.02) & (in_beat < bt - 0.02)
    out[idx, col["offbeat_share"]] = per_piece_mean(off, pid)[idx]
    out[idx, col["syncopation"]] = per_piece_mean(off & (in_beat + dur > bt + 0.02), pid)[idx]
    # scale membership
    tonic = np.zeros(n_pieces, dtype=np.int64)
    mode_i = np.zeros(n_pieces, dtype=np.int64)
    modes = list(_MODE_SCALE)
    has_key = np.zeros(n_pieces, dtype=bool)
    for i in idx:
        keys = records[i]["keys"]
        if keys:
            t, mode = _key_at(keys, 0.0)
            tonic[i], mode_i[i], has_key[i] = t, modes.index(mode) if mode in modes else 0, True
    table = np.zeros((len(modes), 12), dtype=bool)
    for k, mode in enumerate(modes):
        table[k, list(_MODE_SCALE[mode])] = True
    in_scale = table[mode_i[pid], (pitch - tonic[pid]) % 12]
    out[:, col["in_scale_share"]] = np.where(ok & has_key, per_piece_mean(in_scale, pid), NAN)
    # repetition: 4-grams of (interval, length) seen before in the same piece
    qi = q[1:][same]
    codes = np.clip(iv, -24, 24) * 1000 + np.minimum(qi, 999)
    if len(codes) >= 4:
        _, small = np.unique(codes, return_inverse=True)
        k = int(small.max()) + 1
        w = np.lib.stride_tricks.sliding_window_view(small.astype(np.int64).ravel(), 4)
        wp = np.lib.stride_tricks.sliding_window_view(ipid, 4)
        valid = wp[:, 0] == wp[:, 3]
        combined = ((w[valid, 0] * k + w[valid, 1]) * k + w[valid, 2]) * k + w[valid, 3]
        gpid = wp[valid, 0]
        n_windows = np.bincount(gpid, minlength=n_pieces)
        uniq = np.unique(np.stack([gpid, combined]), axis=1)
        n_unique = np.bincount(uniq[0], minlength=n_pieces)
        enough = ok & (n_notes >= 6) & (n_windows > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, col["repetition"]] = np.where(enough, 1.0 - n_unique / np.maximum(n_windows, 1), NAN)
    return out


def _harmony_features(out: np.ndarray, record: dict[str, Any]) -> list[str]:
    chords = record["chords"]
    keys = record["keys"] or [[0.0, "C", "major"]]
    changes: list[tuple[float, int, str, int | None, str]] = []
    last = None
    for onset, figure, _duration in chords:
        parts = _chord_parts(figure)
        if parts is None:
            continue
        root, quality, bass, cls = parts
        if last is not None and (root, quality, bass) == last:
            continue
        last = (root, quality, bass)
        changes.append((onset, root, quality, bass, cls))
    n = len(changes)
    out[_COL["n_chords"]] = float(n)
    if n < 1:  # a one-chord song (The Humpty Dance, Eb throughout) has chords: its shares are that chord's
        out[_COL["has_chords"]] = 0.0
        return []
    out[_COL["has_chords"]] = 1.0
    n_bars = max(1, int(record["_"].get("n_bars") or 1))
    out[_COL["chord_changes_per_bar"]] = n / n_bars
    end = chords[-1][0] + (chords[-1][2] or 0.0)
    span = max(end, record.get("end") or 0.0) - changes[0][0]
    if span > 0:
        out[_COL["beats_per_chord"]] = span / n
    out[_COL["chord_vocabulary"]] = float(len({(c[1], c[2]) for c in changes}))
    counts = dict.fromkeys(QUALITY_CLASSES, 0)
    tokens: list[str] = []
    offsets: list[int] = []
    classes: list[str] = []
    slash = chromatic = secondary = 0
    for onset, root, quality, bass, cls in changes:
        counts[cls] += 1
        slash += bass is not None
        tonic, mode = _key_at(keys, onset)
        off = (root - tonic) % 12
        offsets.append(off)
        classes.append(cls)
        chromatic += off not in (_MINOR_SCALE if mode in _MINOR_MODES else _MAJOR_SCALE)
        secondary += cls == "dom7" and off != 7
        tokens.append(function_token(off, quality))
    for cls in QUALITY_CLASSES:
        name = "other_quality_share" if cls == "other" else f"{cls}_share"
        out[_COL[name]] = counts[cls] / n
    out[_COL["slash_share"]] = slash / n
    out[_COL["chromatic_share"]] = chromatic / n
    out[_COL["secondary_dom_share"]] = secondary / n
    offs = np.asarray(offsets)
    for name, off in (("I", 0), ("IV", 5), ("V", 7), ("vi", 9), ("ii", 2), ("bVII", 10)):
        out[_COL[f"{name}_share"]] = float((offs == off).mean())
    dominant = np.array([c in ("major", "dom7") for c in classes]) & (offs == 7)
    tonic = offs == 0
    sub = offs == 5
    minorish_ii = np.array([c in ("minor", "min7", "dim") for c in classes]) & (offs == 2)
    out[_COL["ends_on_tonic"]] = float(tonic[-1])
    if n < 2:  # no chord-to-chord motion: the cadence rates are undefined (NaN)
        return tokens
    auth = dominant[:-1] & tonic[1:]
    out[_COL["authentic_cadence_rate"]] = float(auth.sum() / (n - 1))
    out[_COL["plagal_cadence_rate"]] = float((sub[:-1] & tonic[1:]).sum() / (n - 1))
    if n >= 3:
        out[_COL["ii_V_I_rate"]] = float((minorish_ii[:-2] & dominant[1:-1] & tonic[2:]).sum() / (n - 2))
    out[_COL["ends_authentic"]] = float(auth[-1])
    return tokens


def piece_features(record: dict[str, Any], notes: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(feature vector in FEATURE_NAMES order, chord-function tokens of its chord changes)."""
    out = melody_features([record], notes, np.array([0]), np.array([len(notes)]))[0]
    return out, fill_features(out, record)


def fill_features(out: np.ndarray, record: dict[str, Any]) -> list[str]:
    """Harmony and general features of `record` written into `out`; returns its function tokens."""
    tokens = _harmony_features(out, record)
    keys = record["keys"]
    mode = keys[0][2] if keys else "major"
    out[_COL["is_minor"]] = float(mode in _MINOR_MODES)
    ts = record["time_signatures"]
    num, den = (ts[0][1], ts[0][2]) if ts else (4, 4)
    out[_COL["is_triple"]] = float(num in (3, 9))
    out[_COL["is_compound"]] = float(den >= 8 and num in (6, 9, 12))
    tempos = record["tempos"]
    if tempos and math.isfinite(tempos[0][1]) and tempos[0][1] > 0:
        out[_COL["tempo_qpm"]] = float(tempos[0][1])
    out[_COL["n_bars"]] = float(record["_"].get("n_bars") or NAN)
    return tokens


def piece_year(meta: dict[str, Any]) -> int:
    """The year a piece's metadata gives (chart year, first performance, a user's CSV); 0 if none."""
    for key in ("year", "first_performance_year", "date", "chart_date"):
        value = meta.get(key)
        if value is None or value == "":
            continue
        text = str(value).strip()[:4]
        if text.isdigit() and 1000 <= int(text) <= 2100:
            return int(text)
    return 0


def piece_genre(meta: dict[str, Any]) -> str:
    """The genre its metadata names (a user's CSV `genre`, OpenEWLD's first of `genres`); '' if none."""
    genre = meta.get("genre")
    if genre:
        return str(genre).strip().lower()
    genres = meta.get("genres")
    if isinstance(genres, list) and genres:
        return str(genres[0]).strip().lower()
    if isinstance(genres, str) and genres.strip("[] "):
        first = genres.strip("[] ").split(",")[0]
        return first.strip().strip("'\"").lower()
    return ""


def piece_labels(record: dict[str, Any]) -> dict[str, Any]:
    """The labels a piece is grouped and reported by."""
    meta = record.get("meta") or {}
    keys = record["keys"]
    ts = record["time_signatures"]
    return {
        "piece_id": record["piece_id"],
        "work_id": record["work_id"],
        "title": record.get("title", ""),
        "style": record.get("style", ""),
        "source": record.get("source", ""),
        "year": piece_year(meta),
        "genre": piece_genre(meta),
        "region": str(meta.get("region") or ""),
        "key": f"{keys[0][1]} {keys[0][2]}" if keys else "",
        # the key (or its mode) was not written in the source but estimated from the notes or
        # assumed: every JSB chorale's key, Essen's modes, Billboard's major/minor
        "key_inferred": int(not keys or any(meta.get(k) for k in ("key_estimated", "key_mode_estimated",
                                                                     "key_mode_assumed"))),
        "meter": f"{ts[0][1]}/{ts[0][2]}" if ts else "4/4",
    }
