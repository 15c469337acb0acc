"""Evaluate (and calibrate) the copy guard: planted copies against held-out real music.

    python scripts/evaluate_copy_guard.py --plants 300 --json out/copy_guard.json
    python scripts/evaluate_copy_guard.py --plants 300 --write-calibration   # writes the thresholds
                                                                            # into the index's JSON

Planted copies: `--plants` works drawn from the index (the shipped model's training set by
default), from each an excerpt of 2-8 bars of its melody, then every one of these changes:
transposed (-5..+6 semitones, never 0), re-rhythmed (each note's duration scaled by 0.5, 1, 1.5
or 2), ornamented (a grace note, a mordent or a passing note), and a note inserted or deleted;
the excerpt is set at a bar line inside a held-out piece (test split, a work the index never
saw, and not a version of a training tune: otherwise new music), the host's notes after it
moved on. A plant is detected at threshold t when its score is
>= t, and detected with the right source when the work named first is the one it came from
(`right_source`, strict); `right_passage` also counts a work named first that carries the
source's planted passage itself, where the guard found it (the excerpt before any change, >= 80 %
of its intervals exact over its length) when the passage is one tune's, not a common figure (at
most `PASSAGE_MAX_WORKS` indexed works carry it): a chorale tune Bach harmonised twice, a tune in
two collections (`judge_named`); not one that only resembles it. Both are reported, and the
plants the second rescues are listed (and those it does not because the figure is common).

Held-out real music: every valid-split and test-split piece with a melody whose license may ship
(the same sources and styles as the index; no work of them is indexed). The thresholds are
calibrated on the valid split (copy: at most 2 % of its pieces flagged; close: at most 10 %) and
the false-alarm rate is reported on the test split, so the report is not the calibration set.
Held-out pieces that are versions or relatives of a training tune (`version_reason`: one of its
3 nearest works has its tune title, or the alignment with the nearest matches at least 60 % of
the piece's notes, or, with `--versions relatives` (the default), it shares a passage of 8 bars
or more with >= 80 % of the intervals exact, as long as the longest plant) are real copies,
counted apart (how many, and why, is reported) and listed; `flagged_test_incl_versions` is the
rate with them. They are found by a fixed reference scorer (`REFERENCE_SCORER`, the former
one), whatever the score evaluated: neither the score nor its thresholds decide what counts.

The curve: recall with the right source named (and with the source or a work carrying its passage
named) at test-split false-alarm rates of 0.5-10 %, per excerpt length and (with `--one-change`)
per change, and the false alarms at the copy threshold: how many of them share a 4- or 8-bar
passage (80 % exact) with the work named. Takes: `--takes` unguarded takes of the default model
(16 bars, the four styles), flagged at the thresholds.
`--set NAME=VALUE` overrides a constant of `tunesmith.rights.index` for a comparison
(`--set WEIGHTING=idf --set SEGMENT=0`: the former scorer).
Speed: `check` of every held-out piece of 30-34 bars, after loading.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from tunesmith.paths import atomic_write_text
from tunesmith.rights.features import first_bar_of
from tunesmith.rights.index import shares_passage


def _line(piece):
    from tunesmith.metrics._common import melody_line

    return melody_line(piece)


CHANGES = ("transpose", "rerhythm", "ornament", "edit")


def plant(src, host, rng, *, bars: int | None = None, changes: tuple[str, ...] = CHANGES, changed_notes: int = 0):
    """A new Piece: `host` with a transformed excerpt of `src` set in at a bar line; returns
    (piece, details) or None when the source has too few notes there. `changes`: which of
    CHANGES to apply (all by default; the transposition to the host's register always).
    `changed_notes`: that many notes more changed by 2-4 semitones, as a player's version has
    them (from a child generator: with 0 the plants are the same as without)."""
    from tunesmith.score import Note, Piece, Track

    line = _line(src)
    onsets = src.bars()
    n_bars = len(onsets)
    L = int(bars or rng.integers(2, 9))
    if n_bars < L + 1 or len(line) < 8:
        return None
    b = int(rng.integers(0, n_bars - L + 1))
    lo = onsets[b]
    hi = onsets[b + L] if b + L < n_bars else src.duration() + 1e-6
    ex = [Note(n.pitch, n.onset, n.duration) for n in line if lo - 1e-6 <= n.onset < hi - 1e-6]
    if len(ex) < 5:
        return None
    # transpose
    k = int(rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6]))
    pitches = [n.pitch + (k if "transpose" in changes else 0) for n in ex]
    # re-rhythm: each note's length scaled
    scale = [float(rng.choice([0.5, 1.0, 1.5, 2.0])) if "rerhythm" in changes else 1.0 for _ in ex]
    durs = [max(0.25, round(n.duration * f * 4) / 4) for n, f in zip(ex, scale)]
    # ornament
    kind = str(rng.choice(["grace", "mordent", "passing"])) if "ornament" in changes else "none"
    i = int(rng.integers(1, len(pitches)))
    if kind == "none":
        pass
    elif kind == "grace":
        pitches.insert(i, pitches[i] + int(rng.choice([-2, -1, 1, 2])))
        durs.insert(i, 0.25)
    elif kind == "mordent":
        p = pitches[i]
        d = durs[i]
        pitches[i : i + 1] = [p, p + 2, p]
        durs[i : i + 1] = [max(0.25, d / 3)] * 2 + [max(0.25, d - 2 * max(0.25, d / 3))]
    else:
        a, c = pitches[i - 1], pitches[i]
        mid = (a + c) // 2 if abs(c - a) >= 2 else a + 2
        pitches.insert(i, mid)
        durs.insert(i, durs[i - 1] / 2)
        durs[i - 1] = max(0.25, durs[i - 1] / 2)
    # a note inserted or deleted
    edit = str(rng.choice(["insert", "delete"])) if "edit" in changes else "none"
    j = int(rng.integers(1, len(pitches) - 1))
    if edit == "none":
        pass
    elif edit == "delete":
        del pitches[j], durs[j]
    else:
        pitches.insert(j, int(pitches[j - 1] + rng.integers(-5, 6)))
        durs.insert(j, 0.5)
    if changed_notes and len(pitches) > 2:
        child = rng.spawn(1)[0]
        for k in child.choice(np.arange(1, len(pitches) - 1), size=min(changed_notes, len(pitches) - 2), replace=False):
            pitches[int(k)] += int(child.choice([-4, -3, -2, 2, 3, 4]))
    # into the host at a bar line near its middle
    hline = _line(host)
    hbars = host.bars()
    if len(hbars) < 4 or len(hline) < 8:
        return None
    at = hbars[len(hbars) // 2]
    bar_len = host.time_signature.bar_length
    span = float(np.ceil(sum(durs) / bar_len - 1e-9) * bar_len)
    notes = [Note(n.pitch, n.onset, min(n.duration, at - n.onset) or 0.25) for n in hline if n.onset < at - 1e-6]
    t = at
    shift = int(round(np.mean([n.pitch for n in hline]) - np.mean(pitches)))
    for p, d in zip(pitches, durs):
        notes.append(Note(int(np.clip(p + shift, 0, 127)), t, d))
        t += d
    notes += [Note(n.pitch, n.onset + span, n.duration) for n in hline if n.onset >= at - 1e-6]
    piece = Piece(piece_id="plant", work_id="plant", style=host.style, tracks=[Track("melody", "melody", notes=notes)],
                  time_signatures=list(host.time_signatures)[:1], keys=list(host.keys)[:1])  # fmt: skip
    # bar numbers as `check` gives them (a pickup is bar 0): the source's, and the plant's own
    # (it is barred from its first note, so a host's pickup does not carry over)
    at_bar = first_bar_of(piece) + int(np.searchsorted(piece.bars(), at + 1e-6)) - 1
    return piece, {"source": src.work_id, "bars": L, "from_bar": first_bar_of(src) + b, "ornament": kind,
                   "edit": edit, "host": host.work_id, "at_bar": at_bar}  # fmt: skip


PASSAGE_EXACT = 0.8  # a named work carries the planted passage: >= 80 % of its intervals exact (`shares_passage`'s)
PASSAGE_MIN_INTERVALS = 4  # ... over at least a gram's length (`features.GRAM`): fewer say nothing
# ... and the passage is one tune's, not a common figure: at most this many indexed works carry it
# (the source included). A compromise: of the model index's chorales' opening phrases (16 intervals)
# the most carried are carried by 10-11 works, one set a tune family (Herzlich tut mich verlangen:
# eight of Bach's settings, the JSB collection's copy and "O Sacred Head": 10), the others figures
# that reels and jigs share too; a 4-interval figure of a jig is carried by 256 works
PASSAGE_MAX_WORKS = 10


def original_passage(src, from_bar: int, bars: int) -> np.ndarray:
    """The intervals of the passage a plant took from `src` before any change: `bars` bars from
    the score's bar `from_bar` (a plant's `from_bar`, a pickup is bar 0), of the melody as the
    index reads it (`features.melody_of`: the highest note at each onset, repeats merged)."""
    from tunesmith.rights.features import intervals_of, melody_of

    mel = melody_of(src)
    b = from_bar - mel.first_bar
    sel = (mel.bars >= b) & (mel.bars < b + bars)
    return intervals_of(mel.pitches[sel])


def _edits(passage: np.ndarray, work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Semi-global edit distance of the whole `passage` against every stretch of `work` (both
    intervals; a free start and end in the work): for each end j (0..len(work)) the fewest edits
    (an interval changed, one the work lacks, one it has more) of a stretch ending before interval
    j, and where the best such stretch starts. By rows of the passage, vectorised over the work."""
    a = np.asarray(passage, dtype=np.int64)
    w = np.asarray(work, dtype=np.int64)
    pos = np.arange(len(w) + 1)
    cost, start = np.zeros(len(w) + 1, dtype=np.int64), pos.copy()
    for i in range(1, len(a) + 1):
        diag, up = cost[:-1] + (w != a[i - 1]), cost[1:] + 1  # matched or changed; lacked by the work
        c = np.concatenate(([i], np.minimum(diag, up)))
        s = np.concatenate(([0], np.where(up < diag, start[1:], start[:-1])))
        # intervals the work has more: cost[j] = min over k <= j of c[k] + (j - k), its start s[k]
        v = c - pos
        run = np.minimum.accumulate(v)
        k = np.maximum.accumulate(np.where(v == run, pos, 0))
        cost, start = run + pos, s[k]
    return cost, start


def passage_stretches(
    passage: np.ndarray, work: np.ndarray, exact: float = PASSAGE_EXACT
) -> list[tuple[int, int, int]]:
    """Where `work` (intervals) carries `passage` (intervals): every stretch (first, last note of
    the work, edits) that the whole passage aligns to with at most (1 - `exact`) of its length in
    edits (an interval changed, inserted or deleted), i.e. at least `exact` of its intervals
    matched exactly over a stretch of about its length: the same notes up to transposition
    (intervals), a note changed here and there. A stretch per end (the best start for it);
    [] for a passage shorter than `PASSAGE_MIN_INTERVALS`. Fixed, whatever the scorer evaluated."""
    n = len(passage)
    if n < PASSAGE_MIN_INTERVALS or len(work) == 0:
        return []
    limit = int(np.floor((1.0 - exact) * n + 1e-9))
    cost, start = _edits(passage, work)
    # intervals start[j] .. j - 1 of the work: its notes start[j] .. j
    return [(int(start[j]), int(j), int(cost[j])) for j in np.nonzero(cost[1:] <= limit)[0] + 1]


def works_carrying(index, passage: np.ndarray, exact: float = PASSAGE_EXACT) -> int:
    """How many works of `index` carry `passage` anywhere (`passage_stretches`' rule), all at once:
    the works' intervals end to end, each followed by more never-matching intervals than the
    edits allowed, so that no stretch spans two works."""
    n = len(passage)
    if n < PASSAGE_MIN_INTERVALS:
        return len(index.docs)
    limit = int(np.floor((1.0 - exact) * n + 1e-9))
    cached = getattr(index, "_evaluation_intervals", None)
    if cached is None or cached[2] <= limit:
        sep = max(32, n)  # a stretch across a separator pays an edit for each of its intervals
        parts, owner = [], []
        for d in range(len(index.docs)):
            iv = index.doc_intervals(d)
            parts += [np.asarray(iv, dtype=np.int64), np.full(sep, 1000)]  # no interval is 1000 (+-24 at most)
            owner += [np.full(len(iv), d), np.full(sep, -1)]
        cached = index._evaluation_intervals = (np.concatenate(parts), np.concatenate(owner), sep)
    work, owner, _ = cached
    cost, _ = _edits(passage, work)
    ends = np.nonzero(cost[1:] <= limit)[0]  # the last interval of each stretch
    return int(len(np.unique(owner[ends][owner[ends] >= 0])))


def carries_passage(index, match, passage: np.ndarray) -> tuple[int, int, int] | None:
    """The stretch (first, last note, edits) of the work `match` names that carries `passage`
    (`passage_stretches`) where the match found the plant (its `work_notes` overlap it), or
    None: the guard named the work for the planted passage, not for a loose resemblance elsewhere."""
    if match is None:
        return None
    lo, hi = match.work_notes
    found = [s for s in passage_stretches(passage, index.doc_intervals(match.doc)) if s[0] <= hi and lo <= s[1]]
    return min(found, key=lambda s: s[2]) if found else None


def judge_named(index, src, info: dict, matches: list) -> dict:
    """Whether the work `check` names first for a plant (`matches`, best first) is right:
    `right_source`, it is the plant's source; `right_passage`, it is the source or a work that
    carries the source's planted passage (`original_passage`, before any change) where it was
    found (`carries_passage`), a passage of one tune, not a common figure (at most
    `PASSAGE_MAX_WORKS` indexed works carry it): a chorale melody Bach harmonised twice, a tune in
    two collections. When the work named is another that carries the passage: `passage_work`,
    `passage_notes` (where, its notes), `passage_edits` and `passage_carriers` (how many works
    carry it), whether or not it is right."""
    names = [m.work["work_id"] for m in matches]
    right_source = bool(names) and names[0] == info["source"]
    out = {"right_source": right_source, "right_passage": right_source}
    if names and not right_source:
        passage = original_passage(src, info["from_bar"], info["bars"])
        got = carries_passage(index, matches[0], passage)
        if got is not None:
            carriers = works_carrying(index, passage)
            out.update(right_passage=carriers <= PASSAGE_MAX_WORKS, passage_work=names[0],
                       passage_notes=[got[0], got[1]], passage_edits=got[2], passage_carriers=carriers)  # fmt: skip
    return out


def norm_title(t: str | None) -> str:
    """A tune title reduced to its name: letters only, no "The", no dance type or part/version
    mark ("CrossesofAnnagh2reelThe", "Crosses of Annagh" and "St Anne's (L)" / "(V)" alike)."""
    t = re.sub(r"\([^)]*\)", "", (t or "").lower())
    t = re.sub(r"[^a-z]", "", t)
    for _ in range(3):
        t = re.sub(r"^the|the$", "", t)
        t = re.sub(r"(reel|jig|hornpipe|polka|slide|march|waltz|setdance|air)$", "", t)
        t = re.sub(r"(i{1,3}|iv|a|b)$", "", t) if len(t) > 8 else t
    return t


def same_tune(a: str | None, b: str | None) -> bool:
    """Two titles of one tune ("CrossesofAnnagh2reelThe", "Crosses of Annagh"; "Flop Ear'd Mule",
    "Flop-eared Mule": names of 8 letters or more one letter apart): a held-out piece with the
    title of a training work is a version of a training tune (the corpus split keeps works apart,
    not versions), i.e. a real copy, not a false alarm."""
    if any(t and (t.startswith("JSB chorale") or "JSB chorale" in t) for t in (a, b)):
        return False  # (a JSB chorale, named from music21's list or not: its harmonizations are told apart by notes)
    na, nb = norm_title(a), norm_title(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    return min(len(na), len(nb)) >= 8 and abs(len(na) - len(nb)) <= 1 and _one_edit(na, nb)


def _one_edit(a: str, b: str) -> bool:
    """`a` and `b` differ by one letter substituted, inserted or deleted."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


VERSION_SHARE = 0.6


RELATIVE_BARS, RELATIVE_EXACT = 8, 0.8
# the scorer that finds versions: fixed (the former one), so that which held-out pieces count as
# versions does not move with the score under evaluation (and before / after share the hosts);
# every constant that search reads at run time is pinned, so that a `--set` of any of them
# (e.g. CANDIDATES) changes the score evaluated only, never the versions, hosts or plants
# (MAX_DF_SHARE / MIN_MAX_DF are read when the index is loaded: a `--set` of them is not undone)
REFERENCE_SCORER = {"WEIGHTING": "idf", "SEGMENT": 0, "GAP": 4.0, "MISMATCH": -4.0, "SHARED_WEIGHT": 0,
                    "CANDIDATES": 16, "BAND_WIDTH": 8, "WINDOW": 96, "NEAR": 0.0, "JOIN": 0.6,
                    "HARMONY_WEIGHT": 0.15, "MIN_WEIGHT": 0.3, "MAX_WEIGHT": 2.5, "ORNAMENT": False}  # fmt: skip


@contextlib.contextmanager
def reference_scorer():
    """`tunesmith.rights.index` with `REFERENCE_SCORER`'s constants, restored afterwards."""
    from tunesmith.rights import index as index_module

    saved = {k: getattr(index_module, k) for k in REFERENCE_SCORER}
    for k, v in REFERENCE_SCORER.items():
        setattr(index_module, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(index_module, k, v)


def version_reason(piece, result, *, relatives: bool = True) -> str | None:
    """Why a held-out piece is a version or relative of a training tune (a real copy, counted
    apart from false alarms), or None:

    - "title": one of its nearest works (`result.matches`) has its tune title (`same_tune`);
    - "notes": the aligned passage with its nearest work matches at least `VERSION_SHARE` of the
      piece's melody notes exactly (the whole tune under another title, e.g. a chorale melody
      Bach harmonised twice);
    - "passage" (with `relatives`): it shares a passage at least as long as the longest planted
      copy with its nearest work: `RELATIVE_BARS` bars or more on both sides, at least
      `RELATIVE_EXACT` of its intervals exact (`shares_passage`; a strain of a tune family).

    None of them depends on the score or its thresholds."""
    if any(same_tune(piece.title, m.work.get("title")) for m in result.matches):
        return "title"
    if not result.matches:
        return None
    from tunesmith.rights.features import melody_of

    if result.matches[0].matched_notes >= VERSION_SHARE * max(1, len(melody_of(piece))):
        return "notes"
    if relatives and shares_passage(result.matches[0], RELATIVE_BARS, RELATIVE_EXACT):
        return "passage"
    return None


def is_version(piece, result, *, relatives: bool = False) -> bool:
    """`version_reason` is not None (`result`: `check_piece(piece, index)`, its top 3 works);
    relatives sharing a strain only with `relatives`."""
    return version_reason(piece, result, relatives=relatives) is not None


def _rates(scores: np.ndarray, grid: np.ndarray) -> list[float]:
    return [float(np.mean(scores >= t)) if len(scores) else float("nan") for t in grid]


def threshold_at(scores: np.ndarray, rate: float) -> float:
    """The lowest threshold (a score, or above them all) at which at most `rate` of `scores` flag."""
    for t in np.unique(np.concatenate(([0.0], scores))):
        if np.mean(scores >= t) <= rate:
            return float(t)
    return float(scores.max()) + 1e-6


FA_RATES = (0.005, 0.01, 0.02, 0.05, 0.10)


def recall_table(
    plants: list[dict], test_scores: np.ndarray, groups: dict[str, list[bool]], key: str = "right_source"
) -> dict:
    """Recall with the right source named at each test-split false-alarm rate in `FA_RATES` (the
    threshold read off the test split: the curve, not the calibrated point), per group of plants.
    `key`: what is right, "right_source" (the source itself) or "right_passage" (the source or a
    work carrying its planted passage, `judge_named`)."""
    ps = np.array([p["score"] for p in plants])
    right = np.array([p[key] for p in plants])
    out = {}
    for rate in FA_RATES:
        t = threshold_at(test_scores, rate)
        row = {"threshold": round(t, 3)}
        for name, sel in groups.items():
            sel = np.asarray(sel, dtype=bool)
            row[name] = round(float(np.mean((ps[sel] >= t) & right[sel])), 4) if sel.any() else None
        out[f"{rate:.3f}"] = row
    return out


LENGTH_ROWS = (("all", "all"), ("2 bars", "2_bars"), ("3 bars", "3_bars"), ("4 bars", "4_bars"),
               ("5 bars", "5_bars"), ("6-8 bars", "6-8_bars"))  # fmt: skip


RIGHT_WORDS = {"right_source": "the right source named",
               "right_passage": "the source or a work carrying its passage named"}  # fmt: skip


def length_table(recall: dict, groups: dict[str, list[bool]], split: str, key: str = "right_source") -> str:
    """`recall_table`'s rows by plant length as a text table: recall with the right source named
    (`key`: as `recall_table`'s), per excerpt length (2, 3, 4, 5, 6-8 bars), at each false-alarm
    rate of `split`."""
    lines = [f"recall with {RIGHT_WORDS[key]}, by plant length, at {split}-split false-alarm rates",
             f"{'plants':<9}{'n':>5}" + "".join(f"{float(r):>8.1%}" for r in recall)]  # fmt: skip
    for label, group in LENGTH_ROWS:
        n = int(np.sum(groups.get(group, [])))
        cells = "".join(f"{'-':>8}" if row.get(group) is None else f"{row[group]:>8.3f}" for row in recall.values())
        lines.append(f"{label:<9}{n:>5}" + cells)
    lines.append(f"{'threshold':<14}" + "".join(f"{row['threshold']:>8.2f}" for row in recall.values()))
    return "\n".join(lines)


def default_model_takes(n: int, bars: int = 16) -> list:
    """`n` unguarded takes of the default model, the four styles in equal shares (seeds 1000 ...)."""
    from tunesmith import api

    takes = []
    for style in ("folk", "jazz", "chorale", "pop"):
        got, seed = [], 1000
        while len(got) < n // 4:
            out = api.compose(style, bars=bars, seed=seed, n=min(10, n // 4 - len(got)), check=False)
            got += out if isinstance(out, list) else [out]
            seed += 1
        takes += [(style, t.piece) for t in got]
    return takes


def main(argv: list[str] | None = None) -> int:
    from tunesmith.corpus import load_corpus, pieces_digest
    from tunesmith.rights import index as index_module
    from tunesmith.rights.check import check_piece, default_index_path
    from tunesmith.rights.index import SimilarityIndex

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=None, help="index stem (default: the shipped model's)")
    parser.add_argument("--plants", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", default="out/copy_guard.json")
    parser.add_argument("--write-calibration", action="store_true", help="store the thresholds in the index JSON")
    parser.add_argument("--max-held-out", type=int, default=0, help="at most this many held-out pieces per split")
    parser.add_argument("--one-change", action="store_true",
                        help="each plant gets one change only (transpose, rerhythm, ornament, edit in turn), "
                        "reported by change and length; the calibration is not written")  # fmt: skip
    parser.add_argument("--takes", type=int, default=200,
                        help="unguarded takes of the default model checked for false alarms (0: none)")  # fmt: skip
    parser.add_argument("--versions", choices=("relatives", "title-notes"), default="relatives",
                        help="held-out pieces counted apart as versions: title, notes and >= 8 shared bars "
                        "(relatives, the default) or title and notes only (the former definition)")  # fmt: skip
    parser.add_argument("--fa-split", choices=("test", "valid"), default="test",
                        help="the split whose false-alarm rates the recall table reads its thresholds from (valid: "
                        "for choosing the scorer's constants, so that the test split stays unseen)")  # fmt: skip
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a tunesmith.rights.index constant for a comparison, e.g. WEIGHTING=idf "
                        "SEGMENT=0 (the former scorer); the calibration is not written")  # fmt: skip
    parser.add_argument("--changes", default="all",
                        help="comma-separated changes every plant gets (of transpose, rerhythm, ornament, edit), or "
                        "'none': verbatim excerpts, only moved to the host's register (a quotation as it stands); "
                        "the calibration is not written unless 'all'")  # fmt: skip
    parser.add_argument("--changed-notes", type=int, default=0,
                        help="each plant also has this many notes changed by 2-4 semitones (a player's version of "
                        "the tune); the calibration is not written")  # fmt: skip
    args = parser.parse_args(argv)
    if args.changes == "all":
        plant_changes = CHANGES
    elif args.changes == "none":
        plant_changes = ()
    else:
        plant_changes = tuple(c.strip() for c in args.changes.split(","))
        unknown = sorted(set(plant_changes) - set(CHANGES))
        if unknown:
            parser.error(f"--changes: unknown {', '.join(unknown)} (choose from {', '.join(CHANGES)}, or none)")
    if args.write_calibration and (args.one_change or args.set or args.changed_notes or args.changes != "all"):
        parser.error("--write-calibration needs the plants with every change (no --one-change, --changes or "
                     "--changed-notes) and no --set")  # checked before the run, not after it  # fmt: skip
    overrides = {}
    for kv in args.set:
        name, _, value = kv.partition("=")
        current = getattr(index_module, name)
        if value == "None":  # e.g. CHANGED=None: a changed note read as two mismatches, as before
            overrides[name] = None
        elif isinstance(current, bool):  # ORNAMENT=False (bool("False") is True)
            overrides[name] = value.lower() in ("1", "true", "yes", "on")
        else:
            overrides[name] = value if isinstance(current, str) else type(current if current is not None else 0.0)(value)
        setattr(index_module, name, overrides[name])

    stem = Path(args.index) if args.index else default_index_path("model")
    t0 = time.perf_counter()
    index = SimilarityIndex.load(stem)
    load_s = time.perf_counter() - t0
    indexed = {d["work_id"] for d in index.docs}
    corpus = load_corpus(None)
    rng = np.random.default_rng(args.seed)

    def held_out(split: str) -> list:
        out = [p for p in corpus.filter(split=split, shippable=True) if p.work_id not in indexed]
        out = [p for p in out if p.melody() is not None and len(p.melody().notes) >= 8]
        if args.max_held_out and len(out) > args.max_held_out:
            out = [out[i] for i in sorted(rng.choice(len(out), args.max_held_out, replace=False))]
        return out

    valid, test = held_out("valid"), held_out("test")
    scores, raw_scores, versions, kept, kept_results, reasons = {}, {}, {}, {}, {}, {}
    for name, pieces in (("valid", valid), ("test", test)):
        results = [check_piece(p, index) for p in pieces]
        with reference_scorer():  # versions: found by the fixed reference scorer
            ref_results = [check_piece(p, index) for p in pieces]
        why = [version_reason(p, r, relatives=args.versions == "relatives") for p, r in zip(pieces, ref_results)]
        same = np.array([w is not None for w in why])
        raw_scores[name] = np.array([r.score for r in results])
        # versions of training tunes are copies, not false alarms
        scores[name] = raw_scores[name][~same]
        kept[name] = [p for p, sm in zip(pieces, same) if not sm]
        kept_results[name] = [r for r, sm in zip(results, same) if not sm]
        reasons[name] = {k: sum(w == k for w in why) for k in ("title", "notes", "passage")}
        versions[name] = [{"work_id": p.work_id, "title": p.title, "nearest": rr.matches[0].work.get("title"),
                           "why": w, "score": round(r.score, 2)} for p, r, rr, w in zip(pieces, results, ref_results, why) if w]  # fmt: skip
        print(f"held-out {name}: {len(pieces)} pieces, {int(same.sum())} versions of a training tune {reasons[name]}",
              file=sys.stderr)  # fmt: skip

    # planted copies
    sources = [p for p in corpus.filter(split="train", shippable=True) if p.work_id in indexed]
    order = rng.permutation(len(sources))
    hosts = kept["test"]  # "otherwise new music": test pieces that are not versions of a training tune
    plants = []
    for si in order:
        if len(plants) >= args.plants:
            break
        src = sources[int(si)]
        host = hosts[int(rng.integers(len(hosts)))]
        changes = (CHANGES[len(plants) % len(CHANGES)],) if args.one_change else plant_changes
        made = plant(src, host, rng, changes=changes, changed_notes=args.changed_notes)
        if made is None:
            continue
        piece, info = made
        info["changes"] = list(changes)
        r = check_piece(piece, index)
        names = [m.work["work_id"] for m in r.matches]
        # the passage found on the plant's side must overlap the planted bars
        info.update(score=round(r.score, 3), top1=names[0] if names else None,
                    in_top3=info["source"] in names, found_bars=r.matches[0].query_bars if r.matches else None,
                    **judge_named(index, src, info, r.matches))  # fmt: skip
        plants.append(info)
    print(f"plants: {len(plants)}", file=sys.stderr)
    ps = np.array([p["score"] for p in plants])
    right = np.array([p["right_source"] for p in plants])
    right_passage = np.array([p["right_passage"] for p in plants])
    rescued = [p for p in plants if p["right_passage"] and not p["right_source"]]
    common = [p for p in plants if "passage_work" in p and not p["right_passage"]]  # carried, but a common figure
    rescued_keys = ("source", "passage_work", "bars", "from_bar", "score", "passage_notes", "passage_edits",
                    "passage_carriers")  # fmt: skip
    top3 = np.array([p["in_top3"] for p in plants])

    # takes of the default model (unguarded)
    take_scores, take_styles = np.zeros(0), []
    if args.takes:
        takes = default_model_takes(args.takes)
        take_styles = [s for s, _ in takes]
        take_scores = np.array([check_piece(t, index, top=1).score for _, t in takes])

    top_score = max(float(ps.max()), *(float(v.max()) for v in scores.values() if len(v)))
    grid = np.round(np.arange(0.0, top_score + 1.0, 0.5), 2)
    fa_valid, fa_test = _rates(scores["valid"], grid), _rates(scores["test"], grid)
    fa_test_raw = _rates(raw_scores["test"], grid)
    fa_takes = _rates(take_scores, grid) if len(take_scores) else [None] * len(grid)
    curve = [{"threshold": float(t), "detected": float(np.mean(ps >= t)),
              "detected_right_source": float(np.mean((ps >= t) & right)),
              "detected_right_passage": float(np.mean((ps >= t) & right_passage)),
              "detected_source_in_top3": float(np.mean((ps >= t) & top3)),
              "false_alarm_valid": fa_valid[i], "false_alarm_test": fa_test[i],
              "flagged_test_incl_versions": fa_test_raw[i], "flagged_takes": fa_takes[i]}
             for i, t in enumerate(grid)]  # fmt: skip

    def lowest(rate: float) -> float:
        return float(next(t for t, f in zip(grid, fa_valid) if f <= rate))

    copy_t, close_t = lowest(0.02), lowest(0.10)
    at = next(c for c in curve if c["threshold"] == copy_t)
    by_len = {}
    for L in range(2, 9):
        sel = np.array([p["bars"] == L for p in plants])
        if sel.any():
            by_len[str(L)] = {
                "plants": int(sel.sum()),
                "detected_right_source": float(np.mean((ps[sel] >= copy_t) & right[sel])),
                "right_source_named_first": float(np.mean(right[sel])),
                "detected_right_passage": float(np.mean((ps[sel] >= copy_t) & right_passage[sel])),
                "right_passage_named_first": float(np.mean(right_passage[sel])),
            }

    by_change = {}
    for change in CHANGES if args.one_change else ():
        rows = [p for p in plants if p["changes"] == [change]]
        by_change[change] = {
            "plants": len(rows),
            "detected_right_source": float(np.mean([p["score"] >= copy_t and p["right_source"] for p in rows])) if rows else None,
            "by_bars": {str(L): float(np.mean([p["score"] >= copy_t and p["right_source"] for p in rows if p["bars"] == L]))
                        for L in range(2, 9) if any(p["bars"] == L for p in rows)},
            "detected_right_passage": float(np.mean([p["score"] >= copy_t and p["right_passage"] for p in rows])) if rows else None,
        }  # fmt: skip
    groups = {"all": [True] * len(plants)}
    groups |= {f"{L}_bars": [p["bars"] == L for p in plants] for L in range(2, 9)}
    groups |= {"2-3_bars": [p["bars"] <= 3 for p in plants], "4-5_bars": [4 <= p["bars"] <= 5 for p in plants],
               "6-8_bars": [p["bars"] >= 6 for p in plants]}  # fmt: skip
    if args.one_change:
        groups |= {c: [p["changes"] == [c] for p in plants] for c in CHANGES}
    recall_at_test_fa = recall_table(plants, scores[args.fa_split], groups)
    recall_passage_at_test_fa = recall_table(plants, scores[args.fa_split], groups, key="right_passage")
    # what the false alarms at the copy threshold are: passages shared with the work named
    flagged = [r for r in kept_results["test"] if r.score >= copy_t]
    explained = {
        "flagged_test": len(flagged),
        "sharing_4_bars_80pct_exact": sum(shares_passage(r.matches[0], 4) for r in flagged if r.matches),
        "sharing_8_bars_80pct_exact": sum(shares_passage(r.matches[0], 8) for r in flagged if r.matches),
        "test_pieces_sharing_8_bars_80pct_exact": sum(shares_passage(r.matches[0], 8) for r in kept_results["test"] if r.matches),
        "test_pieces_sharing_4_bars_80pct_exact": sum(shares_passage(r.matches[0], 4) for r in kept_results["test"] if r.matches),
        "flagged_rows": [{"work_id": p.work_id, "title": p.title, "nearest": r.matches[0].work.get("title"),
                          "score": round(r.score, 2), "bars": list(r.matches[0].query_bars),
                          "work_bars": list(r.matches[0].work_bars), "matched_notes": r.matches[0].matched_notes}
                         for p, r in zip(kept["test"], kept_results["test"]) if r.score >= copy_t and r.matches],
    }  # fmt: skip

    # speed: check of 30-34 bar pieces, after loading
    timed = [p for p in valid + test if 30 <= p.n_bars <= 34][:200]
    times = []
    for p in timed:
        t1 = time.perf_counter()
        check_piece(p, index)
        times.append(time.perf_counter() - t1)
    calibration = {
        "close": close_t,
        "copy": copy_t,
        "method": "scripts/evaluate_copy_guard.py: lowest score threshold with <= 2 % (copy) / <= 10 % (close) "
        "of held-out valid-split pieces flagged (pieces one of whose 3 nearest training works has the same tune "
        "title, or whose alignment with the nearest matches >= 60 % of their notes"
        + (", or that share >= 8 bars with >= 80 % of the intervals exact" if args.versions == "relatives" else "")
        + ", by the fixed reference scorer, are versions of a training tune, counted apart)",
        "versions": args.versions,
        "held_out_valid": len(valid),
        "plants": len(plants),
        "at_copy_threshold": {
            k: at[k]
            for k in (
                "detected",
                "detected_right_source",
                "detected_source_in_top3",
                "false_alarm_valid",
                "false_alarm_test",
                "flagged_test_incl_versions",
                "flagged_takes",
            )
        },  # fmt: skip
        "seed": args.seed,
    }
    report = {
        "index": {
            "stem": stem.name,
            "works": len(index),
            "notes": int(len(index.pitches)),
            "load_seconds": round(load_s, 3),
            "overrides": overrides,
        },
        # the held-out pieces and plant sources measured with, pinned (a rebuilt corpus may hold other ones)
        "data": {"valid": pieces_digest(valid), "test": pieces_digest(test), "plant_sources": pieces_digest(sources)},
        "calibration": calibration,
        "held_out": {"valid": len(valid), "test": len(test)},
        "held_out_versions_excluded": {k: {"n": len(versions[k]), **reasons[k]} for k in versions},
        "held_out_versions_of_training_tunes": versions,
        "held_out_scores": {
            k: {"median": float(np.median(v)), "p98": float(np.quantile(v, 0.98)), "max": float(v.max())}
            for k, v in scores.items()
        },  # fmt: skip
        "takes": {
            "n": int(len(take_scores)),
            "flagged_copy": float(np.mean(take_scores >= copy_t)),
            "flagged_close_or_copy": float(np.mean(take_scores >= close_t)),
            "by_style_copy": {
                s: float(np.mean([v >= copy_t for v, st in zip(take_scores, take_styles) if st == s]))
                for s in sorted(set(take_styles))
            },
            "median_score": float(np.median(take_scores)),
            "max_score": float(take_scores.max()),
        }
        if len(take_scores)
        else {},  # fmt: skip
        "plants": {
            "n": len(plants),
            "median_score": float(np.median(ps)),
            "by_bars_at_copy_threshold": by_len,
            "one_change_at_a_time": args.one_change,
            "changes": "one at a time" if args.one_change else list(plant_changes),
            "by_change_at_copy_threshold": by_change,
            "right_source_named_first": float(np.mean(right)),
            "right_passage_named_first": float(np.mean(right_passage)),
            # named first: not the source but a work that carries the planted passage (`judge_named`)
            "rescued_by_passage": {"n": len(rescued), "rows": [{k: p[k] for k in rescued_keys} for p in rescued]},
            # named first: another work carrying the passage where found, but more than PASSAGE_MAX_WORKS do
            "passage_too_common": {
                "n": len(common),
                "max_works": PASSAGE_MAX_WORKS,
                "rows": [{k: p[k] for k in rescued_keys} for p in common],
            },
        },
        "recall_right_source_at_test_false_alarm": recall_at_test_fa,
        "recall_right_passage_at_test_false_alarm": recall_passage_at_test_fa,
        "plants_per_group": {name: int(np.sum(sel)) for name, sel in groups.items()},
        "recall_false_alarm_split": args.fa_split,
        "false_alarms_at_copy_threshold": explained,
        "speed": {
            "pieces_30_34_bars": len(times),
            "median_ms": round(1000 * float(np.median(times)), 2),
            "p95_ms": round(1000 * float(np.quantile(times, 0.95)), 2),
        }
        if times
        else {},  # fmt: skip
        "curve": curve,
        "plant_rows": plants,
        "held_out_rows": {
            name: [{"work_id": p.work_id, "score": round(float(v), 3)} for p, v in zip(pieces, scores[name])]
            for name in ("valid", "test")
            for pieces in [kept[name]]
        },
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    keys = ("index", "data", "calibration", "held_out", "held_out_versions_excluded", "held_out_scores", "takes", "speed")
    print(json.dumps({k: report[k] for k in keys}, indent=1))
    print(json.dumps(report["plants"]["by_bars_at_copy_threshold"]))
    if by_change:
        print(json.dumps(by_change))
    print(json.dumps({k: v for k, v in explained.items() if k != "flagged_rows"}))
    for rate, row in recall_at_test_fa.items():
        print(f"{args.fa_split} false alarms <= {float(rate):.1%}: " + json.dumps(row))
    print(length_table(recall_at_test_fa, groups, args.fa_split))
    print(length_table(recall_passage_at_test_fa, groups, args.fa_split, key="right_passage"))
    print(f"rescued by passage (named first: a work carrying the source's planted passage): {len(rescued)}")
    for p in rescued:
        print(f"  {p['source']} bars {p['from_bar']}+{p['bars']} -> named {p['passage_work']} "
              f"(score {p['score']}, {p['passage_edits']} edits, {p['passage_carriers']} works carry it)")  # fmt: skip
    print(f"not rescued, the passage a common figure (more than {PASSAGE_MAX_WORKS} works carry it): {len(common)}")
    for p in common:
        print(f"  {p['source']} bars {p['from_bar']}+{p['bars']} -> named {p['passage_work']} "
              f"(score {p['score']}, {p['passage_edits']} edits, {p['passage_carriers']} works carry it)")  # fmt: skip
    if args.write_calibration:
        js = stem.with_suffix(".json")
        record = json.loads(js.read_text(encoding="utf-8"))
        record["calibration"] = calibration
        atomic_write_text(js, json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n")
        print(f"wrote the calibration into {js}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
