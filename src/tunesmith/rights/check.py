"""`check`: how near a piece is to indexed works, and a verdict (clear / close / copy).

    from tunesmith.rights import check_piece, resolve_index
    result = check_piece(piece, resolve_index("model"))
    result.verdict, result.score, result.matches[0].to_dict()

The score of a piece is its best aligned similarity to any indexed work (`index.SimilarityIndex`):
about the number of matching notes in a row, each weighted by its information under a background
model of the indexed corpus's style (a common figure counts little, a rare one much). The verdict
compares it with two thresholds written in the index's JSON ("calibration"), measured by
`scripts/evaluate_copy_guard.py` on planted copies (excerpts of 2-8 bars of indexed works,
transposed, re-rhythmed, ornamented, a note inserted or deleted, inside held-out music) against
held-out real pieces of the same styles (the valid split: none of them is indexed; a held-out
piece one of whose nearest works has its tune title, or whose alignment with the nearest matches
60 % or more of its notes, or that shares 8 bars or more with it at >= 80 % exact intervals, is a
version or relative of a training tune, a real copy, and is counted apart):

- copy: score >= calibration["copy"], the lowest threshold at which at most 2 % of the held-out
  pieces are flagged;
- close: score >= calibration["close"], the lowest at which at most 10 % are;
- clear otherwise.

An index without a calibration uses `DEFAULT_CALIBRATION`.
"""

from __future__ import annotations

import bisect
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tunesmith.rights.index import Match, SimilarityIndex, load_index
from tunesmith.rights.provenance import LEGAL_READING
from tunesmith.score import Piece

VERDICTS = ("clear", "close", "copy")
DEFAULT_CALIBRATION: dict[str, Any] = {
    "close": 21.0,
    "copy": 25.0,
    "method": "the shipped model index's calibration (scripts/evaluate_copy_guard.py, seed 0), used by indexes "
    "without their own",
}
INDEX_NAME = "similarity_index"
OWN_STATISTICS_WORKS = 1000  # a folder with fewer works borrows the model index's statistics of rarity
MUSIC_SUFFIXES = (".mid", ".midi", ".abc", ".musicxml", ".xml", ".mxl", ".krn")


def calibration_of(index: SimilarityIndex) -> dict[str, Any]:
    cal = index.info.get("calibration") or {}
    if "copy" not in cal or "close" not in cal:
        return dict(DEFAULT_CALIBRATION)
    return cal


# A query that holds a whole indexed work, note for note, copies it whatever the score: a short
# work (an 8-bar tune of 18 notes checked against a folder holding it) scored 19.4, under the
# close threshold, because its few figures add up to less than a long passage's. "Whole": the
# passage matches this share of the work's melodic intervals exactly; works this short or
# shorter (a scale, a motif) are left to the score.
WHOLE_WORK_SHARE = 0.9
WHOLE_WORK_MIN_NOTES = 12


def copies_a_whole_work(index: SimilarityIndex, match: Match) -> bool:
    """Whether `match`'s passage reproduces the whole of its work (`WHOLE_WORK_SHARE` of its
    intervals exactly; the work longer than `WHOLE_WORK_MIN_NOTES` notes)."""
    return _covers_whole_work(index, match.doc, match.matched_notes)


def _covers_whole_work(index: SimilarityIndex, doc: int, matched_notes: int) -> bool:
    n = int(index.offsets[doc + 1] - index.offsets[doc])
    return n > WHOLE_WORK_MIN_NOTES and matched_notes >= WHOLE_WORK_SHARE * (n - 1)


def verdict_of(score: float, calibration: dict[str, Any]) -> str:
    if score >= float(calibration["copy"]):
        return "copy"
    if score >= float(calibration["close"]):
        return "close"
    return "clear"


# What a verdict means for the checked piece, and what a matched work's license allows with the
# bars that match it: a songwriter asked what she may do, and a copy of a public-domain song read
# the same as a copy of a copyrighted one.
CHECK_USAGE = {
    # (not "no work is near enough to matter" over a list that named Happy Birthday: a songwriter read
    # it as safe; the nearest works are listed as what they are)
    "clear": "No indexed work scores close or a copy by this index's thresholds; any works listed are only the "
    "nearest it found, to compare by ear (it knows only the works it holds).",
    "close": "Some bars resemble an indexed work: compare the bars named in nearest; if you keep them, follow "
    "that work's usage.",
    "copy": "Some bars copy an indexed work: unless they are your own, do what that work's usage allows with "
    "them, or change them.",
}
_LICENSE_USAGE = {
    "public-domain": "public domain: free to use, change, publish and sell",
    "CC0-1.0": "CC0: free to use, change, publish and sell",
    "GPL-3.0": "this transcription is under GPL-3.0: publishing those bars as they stand means the GPL's terms "
    "(the tune itself may be older and free: find another source for it)",
    # the music21 corpus's encodings (Essen, O'Neill's 1850, Ryan's): the license is the encoding's; a
    # musician who typed a traditional tune from memory had read it as the tune's own
    "non-commercial": "this encoding is for non-commercial use only: do not sell or publish those bars "
    "commercially as it has them, without permission (the tune itself may be older and free: find another "
    "source for it)",
    "research-only": "research use only (a copyrighted or unclear work): do not publish those bars without the "
    "rights holder's permission",
    "unknown": "no license known: treat as research use only",
}


def work_usage(license_id: str | None, rights_basis: str | None = None) -> str:
    """What a matched work's license allows with the bars that match it, in one line (and why it
    is public domain, where the source's metadata decided it)."""
    lic = str(license_id or "unknown")
    if lic in _LICENSE_USAGE:
        said = _LICENSE_USAGE[lic]
    elif lic.startswith("CC-BY-NC"):
        said = f"{lic}: non-commercial use only, with credit to its source"
    elif lic.startswith("CC-BY-SA"):
        said = f"{lic}: use with credit to its source, and share what you make of it under the same license"
    elif lic.startswith("CC-BY"):
        said = f"{lic}: use with credit to its source"
    else:
        said = f"{lic}: see that license's terms"
    if lic == "public-domain" and rights_basis and "in the US" in rights_basis:
        # a date-based US term: a rights analyst read "free to use" of a 1929 Rodgers song that is
        # still protected where copyright runs 70 years from its authors' deaths
        said = ("public domain in the US: free to use, change, publish and sell there; elsewhere it depends on "
                "when its authors died")  # fmt: skip
    return f"{said} ({rights_basis})" if rights_basis else said


@dataclass
class CheckResult:
    verdict: str
    score: float
    matches: list[Match]
    calibration: dict[str, Any]
    index: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    # per match: it reproduces its whole work (`copies_a_whole_work`), a copy whatever its score (a
    # verdict of "copy" had come with every row saying "clear")
    whole_works: list[bool] = field(default_factory=list)
    # the track compared, where the piece names none its melody and several were (`lines_to_check`)
    track: str | None = None
    # said where the melody checked is too short to judge (`too_short`)
    short: str | None = None

    def nearest(self) -> list[dict[str, Any]]:
        """The nearest works, best first, each with its own verdict and, where it is close or a
        copy, what its license allows with the bars that match it (`work_usage`)."""
        out = []
        for i, m in enumerate(self.matches):
            whole = i < len(self.whole_works) and self.whole_works[i]
            verdict = "copy" if whole else verdict_of(m.score, self.calibration)
            row = m.to_dict() | {"verdict": verdict} | ({"whole_work": True} if whole else {})
            if verdict != "clear":
                row["usage"] = work_usage(m.work.get("license"), m.work.get("rights_basis"))
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        cal = self.calibration
        return {
            "verdict": self.verdict,
            "usage": CHECK_USAGE[self.verdict],
            "reading": LEGAL_READING,  # (the usage texts, this one and each nearest work's)
            "score": round(float(self.score), 3),
            "thresholds": {"close": cal["close"], "copy": cal["copy"]},
            "nearest": self.nearest(),
            "index": self.index,
            "seconds": round(self.seconds, 4),
        } | ({"track": self.track} if self.track is not None else {}) | ({"too_short": self.short} if self.short else {})


def index_summary(index: SimilarityIndex) -> dict[str, Any]:
    """Name, kind and size of the index; "calibrated": its thresholds were calibrated on its own
    works (a small folder borrows the model index's, and says so in "thresholds_from")."""
    info = index.info
    cal = info.get("calibration") or {}
    out = {"name": info.get("name"), "against": info.get("against"), "works": len(index),
           "calibrated": "copy" in cal and not cal.get("note")}  # fmt: skip
    if cal.get("note"):
        out["thresholds_from"] = cal["note"]
    return out


def check_piece(
    piece: Piece,
    index: SimilarityIndex,
    *,
    top: int = 3,
    given: set[tuple[int, float]] | None = None,
    exclude_work_ids: set[str] | None = None,
) -> CheckResult:
    """The `top` nearest indexed works of `piece` and its verdict. `given`: (pitch, onset) pairs
    of the musician's own notes, which never count (`features.given_notes(input_piece)`).
    A piece none of whose tracks is named as its melody (a MIDI file's "Piano" and "Track 2") is
    checked in each track that may hold its melody (`lines_to_check`), and the nearest reading is kept,
    with the track's name (`CheckResult.track`): a tune copied into the second track had been
    compared only in the first, the piano's, and called clear."""
    readings = lines_to_check(piece)
    if len(readings) != 1 or readings[0] is not piece:
        t0 = time.perf_counter()
        results = [_check_one(p, index, top, given, exclude_work_ids) for p in readings]
        best = max(range(len(results)), key=lambda i: (VERDICTS.index(results[i].verdict), results[i].score))
        result = results[best]
        result.track = readings[best].tracks[0].name or f"track {piece.tracks.index(readings[best].tracks[0]) + 1}"
        result.seconds = time.perf_counter() - t0
        return result
    return _check_one(piece, index, top, given, exclude_work_ids)


def refuse_without_melody(piece: Piece) -> None:
    """ValueError naming the piece where it has no pitched note to compare: a file of drums, or a
    melody recorded on MIDI channel 10 (General MIDI's drums), had read "clear (score 0.0)"."""
    if any(t.notes and not t.is_drum for t in piece.tracks):
        return
    where = piece.path or piece.title or piece.piece_id or "the piece"
    drums = sum(len(t.notes) for t in piece.tracks if t.is_drum)
    if drums:
        raise ValueError(f"{where}: nothing to check: its only notes ({drums}) are drums (MIDI channel 10); if they "
                         "are a melody, move them to another channel")  # fmt: skip
    raise ValueError(f"{where}: nothing to check: it has no notes, only chord symbols or silence")


# tracks a piece without a named melody is checked in, at most (a band's MIDI file: those with the
# most notes are kept)
MAX_TRACKS_CHECKED = 8


# a melody's line lies at least this high on average (E3: above a bass line)
LINE_MIN_MEAN_PITCH = 52


def _is_melodic_line(track: Any) -> bool:
    """Whether `track` is one line (`convert.common.LINE_SHARE`) in a melody's register
    (`LINE_MIN_MEAN_PITCH`)."""
    from tunesmith.convert.common import LINE_SHARE, struck_together_share

    mean_pitch = sum(n.pitch for n in track.notes) / len(track.notes)
    return struck_together_share(track.notes) <= LINE_SHARE and mean_pitch >= LINE_MIN_MEAN_PITCH


def lines_to_check(piece: Piece) -> list[Piece]:
    """The readings of `piece` that `check_piece` compares: the piece itself where a track is its
    melody or soprano by role, or it has one pitched track; else one copy per track that may hold
    its melody, that track first, so that it is the melody (`Piece.melody`: the first pitched
    track when none is named). Those tracks: the pitched ones with notes but a bass or chord
    track by role; of them the single lines in a melody's register (`_is_melodic_line`) where
    there are any (a block-chord piano part's top notes, compared beside the tune's own track,
    had raised held-out songs' copy verdicts from 3 to 6 in 98), else all; the
    `MAX_TRACKS_CHECKED` with the most notes."""
    import copy

    if piece.track("melody") is not None or piece.track("soprano") is not None:
        return [piece]
    pitched = [t for t in piece.tracks if not t.is_drum and t.notes]
    if len(pitched) <= 1:
        return [piece]
    pitched = [t for t in pitched if t.role not in ("bass", "chords")] or pitched
    pitched = [t for t in pitched if _is_melodic_line(t)] or pitched
    if len(pitched) == 1 and pitched[0] is next(t for t in piece.tracks if not t.is_drum and t.notes):
        return [piece]  # the first pitched track, which the piece reads as its melody anyway
    pitched = sorted(pitched, key=lambda t: -len(t.notes))[:MAX_TRACKS_CHECKED]
    pitched.sort(key=piece.tracks.index)
    out = []
    for track in pitched:
        reading = copy.copy(piece)
        reading.tracks = [track, *(t for t in piece.tracks if t is not track)]
        out.append(reading)
    return out


# A melody of fewer bars than this is said to be too short to judge (`too_short`): the thresholds are
# calibrated on whole pieces, and a copy of 2-3 bars scores as a chance likeness of a whole tune does
# (planted 2-3-bar copies are found 0.13 of the time at the 2 % false-alarm threshold,
# scripts/evaluate_copy_guard.py --plants 200); a one-note file had read "clear (score 0.0)".
SHORT_BARS = 4


def too_short(piece: Piece) -> str | None:
    """What to say where `piece`'s melody spans fewer than `SHORT_BARS` bars, else None."""
    track = piece.melody()
    notes = sorted(track.notes, key=lambda n: n.onset) if track is not None else []
    if not notes:
        return None
    bars = piece.bars()
    first = max(0, bisect.bisect_right(bars, notes[0].onset + 1e-9) - 1)
    last = max(0, bisect.bisect_right(bars, notes[-1].onset + 1e-9) - 1)
    spans = last - first + 1
    if spans >= SHORT_BARS:
        return None
    return (f"its melody spans {spans} bar{'s' if spans != 1 else ''} ({len(notes)} note{'s' if len(notes) != 1 else ''}): "
            f"too short to judge; a copy of under {SHORT_BARS} bars is seldom told from a chance likeness")


def _check_one(piece: Piece, index: SimilarityIndex, top: int, given: Any, exclude_work_ids: Any) -> CheckResult:
    t0 = time.perf_counter()
    matches = index.search(piece, top=top, given=given, exclude_work_ids=exclude_work_ids)
    cal = calibration_of(index)
    close = [m for m in matches if not copies_a_whole_work(index, m) and m.score >= cal["close"]]
    for m, more in zip(close, index.further_passages(piece, close, min_score=cal["close"], given=given)):
        m.more_passages = more  # the work's other passages that are close too
        _best_passage_first(index, m)
    matches.sort(key=lambda m: -m.score)
    score = matches[0].score if matches else 0.0
    verdict = verdict_of(score, cal)
    whole = [copies_a_whole_work(index, m) for m in matches]
    if verdict != "copy" and any(whole):
        verdict = "copy"
    return CheckResult(verdict, score, matches, cal, index_summary(index), time.perf_counter() - t0, whole,
                       short=too_short(piece))  # fmt: skip


# A work's further passage that outscores the passage its search found becomes its own, whole work or
# not (`_best_passage_first`), so that the verdict follows the nearest passage: a clearance officer's
# ornamented Irish Washerwoman read "close (22.0)" over "bars 4-10 here ~ bars 4-10 there (score 27.9,
# copy)". False: only a further passage that copies the whole work (as before session 52).
BEST_PASSAGE_FIRST = True


def _best_passage_first(index: SimilarityIndex, match: Match) -> None:
    """`_whole_work_first`, for any further passage of `match` that outscores its own where
    `BEST_PASSAGE_FIRST`."""
    if BEST_PASSAGE_FIRST:
        _promote(match, max(match.more_passages, key=lambda p: p.score, default=None))
    else:
        _whole_work_first(index, match)


def _whole_work_first(index: SimilarityIndex, match: Match) -> None:
    """Where one of `match`'s further passages copies the whole work and outscores its own, make
    that passage its own (score, bars), the others its further ones. The search aligns a window of
    the query around the work's best band of figures, and a further passage aligns the whole query:
    Nottingham's Abbotts Bromley Horn Dance, checked as it stands (A A B B C), had its window on the
    repeated strain's diagonal and read "score 66.5: bars 4-16 here ~ bars 0-12 there", its further
    passage "bars 0-40 here ~ bars 0-40 there (score 203.3)" and no "the whole work". Only a whole
    work: any better passage first had lifted held-out tunes' scores, so the 2 % false-alarm
    threshold, and the guard's recall there fell 0.480 -> 0.465 (`evaluate_copy_guard.py --plants 200`)."""
    best = max(match.more_passages, key=lambda p: p.score, default=None)
    if best is not None and _covers_whole_work(index, match.doc, best.matched_notes):
        _promote(match, best)


def _promote(match: Match, best: Any) -> None:
    """Make the further passage `best` `match`'s own (score, bars), its own passage a further one
    unless `best` holds it; nothing where `best` is None or scores no higher."""
    if best is None or best.score <= match.score:
        return
    from tunesmith.rights.index import Passage

    own = Passage(match.score, match.query_notes, match.work_notes, match.query_bars, match.work_bars,
                  match.matched_notes)  # fmt: skip
    inside = best.query_notes[0] <= own.query_notes[0] and own.query_notes[1] <= best.query_notes[1]
    rest = [p for p in match.more_passages if p is not best] + ([] if inside else [own])
    match.score, match.matched_notes = best.score, best.matched_notes
    match.query_notes, match.work_notes = best.query_notes, best.work_notes
    match.query_bars, match.work_bars = best.query_bars, best.work_bars
    match.more_passages = sorted(rest, key=lambda p: -p.score)


def music_files(root: Path, what: str = "") -> list[Path]:
    """The music files under the folder `root` (recursively, sorted; `limits.walk_files`), one per
    take: a take written as song.mid and song.musicxml had counted twice (as two works each other's
    nearest, and twice in `check folder/`); its score (MusicXML) is read, else its MIDI."""
    from tunesmith import limits

    limits.check_music_folder(root, what)
    rank = {s: i for i, s in enumerate((".musicxml", ".mxl", ".xml", ".mid", ".midi", ".kar", ".abc", ".krn"))}
    chosen: dict[Path, Path] = {}
    for path in limits.walk_files(root, MUSIC_SUFFIXES):
        stem = path.with_suffix("")
        if stem not in chosen or rank.get(path.suffix.lower(), 99) < rank.get(chosen[stem].suffix.lower(), 99):
            chosen[stem] = path
    return sorted(chosen.values())


def musicians_notes(piece: Piece, request: dict | None) -> tuple[set[tuple[int, float]] | None, str | None]:
    """(the (pitch, onset) pairs of the musician's own notes, a line saying which) for a piece
    tunesmith co-created, from the request its file records (`read_provenance`'s fields): a
    continuation's given bars and the reprise that restates them, an inpainting's bars outside
    its region and the parts kept inside it, a harmonization's melody. (None, None) for anything
    else. Why: `check` of a continuation matched the musician's own opening against a training
    tune, where the copy guard, which knows the input, never counts it."""
    if not isinstance(request, dict) or request.get("command") not in ("continue", "inpaint", "harmonize"):
        return None, None
    from tunesmith.cocreate.inputs import parse_bar_range

    bars = piece.bars()
    named = f" (from {request['input']})" if request.get("input") else ""
    notes = [(t, n) for t in piece.tracks for n in t.notes]
    pickup = piece.pickup_beats() > 0
    try:
        if request["command"] == "continue":
            new = int(request.get("bars") or 0)
            reprise = ((request.get("resolved") or {}).get("reprise") or {}).get("bars") or 0
            first_new = len(bars) - new
            if not 0 < first_new <= len(bars):
                return None, None
            cut = bars[first_new + reprise] if first_new + reprise < len(bars) else piece.end
            given = {(n.pitch, round(n.onset, 4)) for _, n in notes if n.onset < cut - 1e-6}
            last = first_new + reprise - (1 if pickup else 0)  # the last given bar, as the musician numbers it
            restated = []  # a form's later A's, which restate the given A (`continue --form`)
            for number, count in ((request.get("resolved") or {}).get("form") or {}).get("restated") or []:
                i0 = int(number) - (0 if pickup else 1)
                t0, t1 = bars[i0], bars[i0 + int(count)] if i0 + int(count) < len(bars) else piece.end
                given |= {(n.pitch, round(n.onset, 4)) for _, n in notes if t0 - 1e-6 <= n.onset < t1 - 1e-6}
                restated.append(f"{number}-{int(number) + int(count) - 1}")
            again = " and its reprise" if reprise else f" and its restatements (bars {', '.join(restated)})" if restated else ""
            return given, f"bars up to {last}, the music it continued{named}{again}"
        if request["command"] == "inpaint":
            lo, hi = parse_bar_range(request.get("bars"))
            i0, i1 = (lo, hi) if pickup else (lo - 1, hi - 1)
            t0 = bars[i0]
            t1 = bars[i1 + 1] if i1 + 1 < len(bars) else piece.end
            keep = request.get("keep") or []
            keep = [keep] if isinstance(keep, str) else list(keep)
            kept = {k.strip() for k in ",".join(keep).split(",") if k.strip()}
            given = {(n.pitch, round(n.onset, 4)) for t, n in notes
                     if not t0 - 1e-6 <= n.onset < t1 - 1e-6 or t.role in kept}  # fmt: skip
            return given, f"everything outside bars {lo}-{hi}, the music it inpainted{named}"
        melody = piece.melody()
        if melody is None:
            return None, None
        return {(n.pitch, round(n.onset, 4)) for n in melody.notes}, f"the melody it harmonized{named}"
    except (ValueError, IndexError, TypeError):
        return None, None


# ------------------------------------------------------------------------------ which index
def model_dir(model: str | os.PathLike | None = "default") -> Path:
    from tunesmith import pretrained

    path = pretrained.resolve_model("default" if model is None else os.fspath(model))
    return path if path.is_dir() else path.parent


def default_index_path(against: str = "model") -> Path:
    """The stem of the index for "model" (beside the default model) or "corpus" (beside the cache)."""
    if against == "model":
        return Path(__file__).resolve().parents[1] / "models" / "default" / INDEX_NAME
    if against == "corpus":
        from tunesmith.corpus.store import resolve_cache

        cache = resolve_cache(None)
        from tunesmith import paths

        return paths.home() / "similarity" / f"corpus-{cache.name}"
    raise ValueError(f"--against {against!r}: use model, corpus or a folder of music files")


def build_index(against: str = "model", *, corpus: str | os.PathLike | None = None) -> SimilarityIndex:
    """A fresh index of the shipped model's training set ("model": the train split's shippable
    pieces) or of every work in the corpus cache ("corpus")."""
    from tunesmith.corpus import load_corpus

    c = load_corpus(corpus)
    if against == "model":
        pieces = c.filter(split="train", shippable=True)
        info = {"name": "default-model-training-set", "against": "model",
                "selection": "corpus train split, licenses that may ship (configs/default.toml shippable_only)"}  # fmt: skip
    elif against == "corpus":
        pieces = c
        info = {"name": "corpus", "against": "corpus", "selection": "every work of the corpus cache, all splits"}
    else:
        raise ValueError(f"--against {against!r}: use model, corpus or a folder of music files")
    info["corpus_version"] = Path(str(c.path)).name if c.path else None
    return SimilarityIndex.build(pieces, info=info)


def _registered_folder(root: Path):
    """The folder as `tunesmith corpus add` registered it (name, license), where it or a folder
    above it is registered in this installation's registry; None elsewhere (the registry is only
    read, never created here)."""
    from tunesmith.corpus.registry import FolderRegistry, default_db_path

    if not default_db_path().is_file():
        return None
    try:
        folders = FolderRegistry().list()
    except Exception:  # noqa: BLE001 - an unreadable registry names nothing; the check goes on
        return None
    here = root.resolve()
    inside = [f for f in folders if here == Path(f.path) or Path(f.path) in here.parents]
    return max(inside, key=lambda f: len(f.path), default=None)


def index_of_folder(folder: str | os.PathLike) -> SimilarityIndex:
    """An index of the music files in `folder` (recursively; the first tune of each file)."""
    from tunesmith.api import read
    from tunesmith.inputs import refuse_url

    root = Path(refuse_url(folder))  # not a URL as a mangled path, nor "" as the working folder
    if root.is_file():  # `--against song.mid` had read "no such folder", of a file that is there
        raise NotADirectoryError(f"{root}: a file, not a folder; --against takes model, corpus or a folder of music")
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder to check against (--against takes model, corpus or a folder)")
    pieces, skipped = [], []
    name = root.name or root.resolve().name  # `--against .` had named its works' source "" ("[, unknown]")
    registered = _registered_folder(root)
    if registered is not None:  # `corpus add`'s name and license: a band's tunes had read "[tunes, unknown]"
        name = registered.name
    for path in music_files(root, "to check against"):
        try:
            piece = read(path)
        except (ValueError, OSError) as exc:
            skipped.append(f"{path.relative_to(root).as_posix()}: {str(exc).split(': ', 1)[-1][:120]}")
            continue
        rel = path.relative_to(root).as_posix()
        piece.work_id, piece.title = rel, piece.title or path.stem
        piece.source = name
        if registered is not None and piece.license in (None, "", "unknown"):
            piece.license = registered.license  # as `corpus add` was told; a file's own license stands
        piece.license = piece.license or "unknown"
        pieces.append(piece)
    if not pieces:
        raise ValueError(f"{root}: no readable music file (MIDI, ABC, MusicXML, kern) with a melody to check against")
    own = SimilarityIndex.build(pieces, info={"name": name, "against": "folder", "skipped": skipped})
    if len(own) >= OWN_STATISTICS_WORKS:
        return own
    # A few works say nothing about which figures are common: the shipped model's training set
    # lends its statistics (and so its calibrated thresholds apply), and is never named.
    try:
        reference = load_index(default_index_path("model").with_suffix(".npz"))
    except (FileNotFoundError, ValueError):
        return own
    index = SimilarityIndex.with_reference(own, reference)
    cal = reference.info.get("calibration")
    if cal:
        index.info["calibration"] = {**cal, "note": "thresholds of the model index, whose works lend their statistics"}
    return index


def resolve_index(against: str | os.PathLike | None = "model", *, model: Any = None) -> SimilarityIndex:
    """The index for `against`: "model" (the index shipped beside `model`, default the default
    model), "corpus" (built from the corpus cache on first use, then cached), or a folder."""
    against = "model" if against is None else against
    if against == "model":
        stem = model_dir(model) / INDEX_NAME if model not in (None, "default") else default_index_path("model")
        if not stem.with_suffix(".npz").is_file():
            folder = stem.parent
            if not (folder / "model.safetensors").is_file():  # as compose says it of the same folder
                raise FileNotFoundError(f"no tunesmith model at {folder} (expected model.safetensors)")
            raise FileNotFoundError(
                f"{folder}: the model has no similarity index ({stem.name}.npz) beside it; check --against corpus "
                "or a folder of music, or build one with scripts/build_similarity_index.py"
            )
        return load_index(stem.with_suffix(".npz"))
    if against == "corpus":
        stem = default_index_path("corpus")
        if not stem.with_suffix(".npz").is_file():
            index = build_index("corpus")
            try:
                default_cal = load_index(default_index_path("model").with_suffix(".npz")).info.get("calibration")
            except (FileNotFoundError, ValueError):
                default_cal = None
            if default_cal:
                index.info["calibration"] = {**default_cal, "note": "thresholds of the model index"}
            index.save(stem)
        return load_index(stem.with_suffix(".npz"))
    return index_of_folder(against)


def itself_in(against: str | None, path, index) -> set[str] | None:
    """The work ids of folder index `index` (`--against` a folder) that are the checked file itself
    (the same file, or its take's other kind: song.mid beside song.musicxml), so it is not called a
    copy of itself: `check ownlib/ --against ownlib/` had found each file nearest itself, and so
    said nothing of the others. None where `against` is not a folder holding the file."""
    if against in (None, "model", "corpus"):
        return None
    try:
        rel = Path(path).resolve().relative_to(Path(against).resolve())
    except (ValueError, OSError):
        return None
    stem = rel.with_suffix("").as_posix()
    own = {d["work_id"] for d in index.docs if Path(d["work_id"]).with_suffix("").as_posix() == stem}
    return own or None


# ------------------------------------------------------------------------------ the public API
def check(
    source: Any,
    *,
    against: str | os.PathLike = "model",
    model: Any = None,
    top: int = 3,
    given: Any = None,
    trust_record: bool = False,
) -> CheckResult:
    """`tunesmith check` from Python: how near `source` (a file path, a `Piece` or a `Take`) lies to
    the works of `against` ("model": the model's training set, "corpus", or a folder of music
    files), its verdict (clear / close / copy) and nearest works (`CheckResult.to_dict()`: each with
    its bars, license and usage). The musician's own notes never count: `given` (a file, a Piece or
    a set of (pitch, onset) pairs), else, for a take tunesmith co-created, the part its request
    names the musician's (a continuation's given bars, a harmonized melody): a Take's own, a
    file's where this installation, or one it trusts (`rights.signers`), signed that record
    (`rights.claims`), or with `trust_record`."""
    from tunesmith.api import read
    from tunesmith.rights.features import given_notes
    from tunesmith.rights.provenance import PROVENANCE_KINDS, made_how, read_provenance
    from tunesmith.score import Piece as _Piece
    from tunesmith.take import Take

    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 50:
        raise ValueError(f"top must be a whole number in 1..50 (the nearest works to list), got {top!r}")
    if not isinstance(source, Take | _Piece | str | os.PathLike):
        raise TypeError(f"check: source must be a file path, a Piece or a Take, not {type(source).__name__}")
    record = None
    if isinstance(source, Take):
        piece, record = source.piece, source.provenance
    elif isinstance(source, _Piece):
        from tunesmith.cocreate.inputs import check_given_piece

        check_given_piece(source)  # the limits a file given here keeps
        piece = source
    else:
        path = Path(os.fspath(source))
        piece = read(path)
        if path.suffix.lower() in PROVENANCE_KINDS:
            try:
                record = read_provenance(path)["fields"]
            except (ValueError, OSError):
                record = None
    refuse_without_melody(piece)
    if given is not None and not isinstance(given, set):
        given = given_notes(given if isinstance(given, _Piece) else read(given))
    elif given is None and record and made_how(record) == "co-created":
        if isinstance(source, Take):  # made in this process: its record is the one it was made with
            given = musicians_notes(piece, record.get("request"))[0]
        else:
            from tunesmith.rights.claims import trusted_musicians_notes

            given = trusted_musicians_notes(piece, record, trust_record=trust_record)[0]
    index = resolve_index(against, model=model)
    own = None
    if isinstance(source, str | os.PathLike):  # (not compared with itself where the folder holds it)
        own = itself_in(os.fspath(against), source, index)
    return check_piece(piece, index, top=top, given=given, exclude_work_ids=own)
