"""McGill Billboard chord annotations (shared data `billboard/`): one folder per chart slot,
`NNNN/salami_chords.txt`, plus `index.tsv` (id, chart_date, ranks, title, artist) beside them.

    # title: An Innocent Man
    # artist: Billy Joel
    # metre: 4/4
    # tonic: C

    0.000000000	silence
    0.301859410	A, intro, | C:maj | x4, (bass)
    9.694671201	A, verse, | C:maj | C:maj | D:min | D:min7/5 . G:maj/9 G:maj |, (voice
    ...
    256.964716553	end

A Piece with chords only (no tracks), `bar_onsets` set. Each `|`-separated cell is one bar of
the current metre (`# metre:`; a `(2/4)` token inside a bar sets that bar's meter alone); the
tokens of a bar share it evenly (4 tokens in 4/4: one beat each), `.` repeats the previous
chord, `N`, `X` and `&pause` are no chord (a gap in the chord list). `x4` after the bars
repeats the line's bars 4 times; `->` (elision) is ignored. `# tonic:` / `# metre:` lines may
come mid-song and take effect at the next bar.

Harte labels become lead-sheet figures (`harte_to_figure`): the shorthand plus its extension
list is turned into an interval set and matched against `tunesmith.harmony.QUALITIES`
(`sus4(b7,9)` -> `9sus4`, `maj(9)` -> `add9`); with no exact match the extensions are dropped
(`min7(11)` -> `m7`). `:1` (root only) and `:5` become power chords ("5"). The bass degree
becomes a note name (`C:maj/5` -> `C/G`, `A:min/b3` -> `Am/C`). Labels that cannot be converted
are dropped and counted in `meta["unparsed_chords"]`; malformed lines are skipped and listed in
`meta["skipped_lines"]` ("<file>:<line>: <problem>").

Keys: each `# tonic:` at the bar where it takes effect; the mode is major unless the chords
on that tonic, while it holds, are more often minor than major. Tempo from the timestamps
(beats / seconds over the lines with bars). Metadata: `meta["chart_date"]`, `meta["year"]`
(int), ranks from index.tsv, `meta["sections"]` = [[bar index, label], ...] (intro, verse,
chorus...; a line with only a letter takes the label last given to that letter).
`work_id` is "song:<artist>|<title>" (lower case, alphanumerics only) so the same song in two
chart slots is one work (`meta["stable_work_id"] = True` tells the corpus build to keep it). The annotations are CC0: pass license="CC0-1.0".
"""

from __future__ import annotations

import csv
import os
import re
from functools import lru_cache
from pathlib import Path

from ..convert import _finish
from ..harmony import QUALITIES, normalize_figure, parse_chord
from ..score import ChordSymbol, KeySignature, Piece, Tempo, TimeSignature, pitch_class_of
from . import InputError, check_local_file, read_text

CHORDS_FILE = "salami_chords.txt"
INDEX_FILE = "index.tsv"

# Harte shorthand -> intervals (degrees)
_SHORTHAND: dict[str, tuple[str, ...]] = {
    "maj": ("1", "3", "5"), "min": ("1", "b3", "5"), "dim": ("1", "b3", "b5"), "aug": ("1", "3", "#5"),
    "maj7": ("1", "3", "5", "7"), "min7": ("1", "b3", "5", "b7"), "7": ("1", "3", "5", "b7"),
    "dim7": ("1", "b3", "b5", "bb7"), "hdim7": ("1", "b3", "b5", "b7"), "minmaj7": ("1", "b3", "5", "7"),
    "maj6": ("1", "3", "5", "6"), "min6": ("1", "b3", "5", "6"), "9": ("1", "3", "5", "b7", "9"),
    "maj9": ("1", "3", "5", "7", "9"), "min9": ("1", "b3", "5", "b7", "9"),
    "11": ("1", "3", "5", "b7", "9", "11"), "min11": ("1", "b3", "5", "b7", "9", "11"),
    "13": ("1", "3", "5", "b7", "9", "11", "13"), "maj13": ("1", "3", "5", "7", "9", "11", "13"),
    "min13": ("1", "b3", "5", "b7", "9", "11", "13"), "sus4": ("1", "4", "5"), "sus2": ("1", "2", "5"),
    "1": ("1",), "5": ("1", "5"),
}
# Harte shorthand -> quality when the extensions match nothing known
_FALLBACK: dict[str, str] = {
    "maj": "", "min": "m", "dim": "dim", "aug": "aug", "maj7": "maj7", "min7": "m7", "7": "7",
    "dim7": "dim7", "hdim7": "m7b5", "minmaj7": "mMaj7", "maj6": "6", "min6": "m6", "9": "9",
    "maj9": "maj9", "min9": "m9", "11": "11", "min11": "m11", "13": "13", "maj13": "maj13",
    "min13": "m13", "sus4": "sus4", "sus2": "sus2", "1": "5", "5": "5",
}
_STEPS = (0, 2, 4, 5, 7, 9, 11)  # major scale: semitones of degrees 1..7
_LETTERS = "CDEFGAB"
_DEGREE_RE = re.compile(r"^(\*?)((?:b|#)*)(\d{1,2})$")
_HARTE_RE = re.compile(r"^([A-G](?:b|#)*)(?::([^/(]*)(?:\(([^)]*)\))?)?(?:/(.+))?$")
_NO_CHORD = ("N", "X", "&pause")


def _degree(text: str) -> tuple[bool, int, int]:
    """(omitted, scale step 0-based, semitones above the root) of a Harte degree like 'b3', '*5', '#11'."""
    m = _DEGREE_RE.match(text.strip())
    if not m or int(m.group(3)) < 1:
        raise ValueError(f"not a Harte degree: {text!r}")
    n = int(m.group(3)) - 1
    acc = m.group(2).count("#") - m.group(2).count("b")
    return bool(m.group(1)), n, _STEPS[n % 7] + 12 * (n // 7) + acc


def _bass_name(root: str, degree: str) -> str:
    """Note name `degree` above `root`, spelled by letter ('C', '5' -> 'G'; 'A', 'b3' -> 'C')."""
    _, step, semis = _degree(degree)
    letter = _LETTERS[(_LETTERS.index(root[0]) + step) % 7]
    pc = (pitch_class_of(root) + semis) % 12
    diff = (pc - pitch_class_of(letter) + 6) % 12 - 6
    if abs(diff) > 1:  # would need a double accidental: plain flats/sharps instead
        return ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")[pc]
    return letter + ("#" if diff == 1 else "b" if diff == -1 else "")


def _interval_classes(degrees: tuple[str, ...]) -> frozenset[int]:
    return frozenset(_degree(d)[2] % 12 for d in degrees)


_BY_INTERVALS: dict[frozenset[int], str] = {}
for _q, _ivs in QUALITIES.items():
    if _q != "7alt":
        _BY_INTERVALS.setdefault(frozenset(i % 12 for i in _ivs), _q)


@lru_cache(maxsize=8192)
def harte_to_figure(label: str) -> str | None:
    """Lead-sheet figure of a Harte label ('E:min7' -> 'Em7', 'C:maj/5' -> 'C/G'); None for no
    chord ('N', 'X'). ValueError for a label that cannot be converted."""
    label = label.strip()
    if label in _NO_CHORD:
        return None
    m = _HARTE_RE.match(label)
    if not m:
        raise ValueError(f"not a Harte chord label: {label!r}")
    root, short, ext, bass = m.group(1), m.group(2), m.group(3), m.group(4)
    if short is None or (short == "" and ext is None):
        short = "maj"
    if short and short not in _SHORTHAND:
        raise ValueError(f"unknown Harte shorthand {short!r} in {label!r}")
    degrees = set(_SHORTHAND[short]) if short else {"1"}
    if ext:
        for item in ext.split(","):
            omitted, _, _ = _degree(item)
            name = item.strip().lstrip("*")
            if omitted:
                degrees.discard(name)
            else:
                degrees.add(name)
    quality = _BY_INTERVALS.get(_interval_classes(tuple(degrees)))
    if quality is None and not degrees & {"5", "b5", "#5"}:  # '1(b3,b7)': the fifth is implied
        quality = _BY_INTERVALS.get(_interval_classes((*degrees, "5")))
    if quality is None:
        quality = _FALLBACK.get(short) if short else None
    if quality is None:
        raise ValueError(f"no lead-sheet quality for {label!r}")
    figure = root + quality
    if bass:
        figure += "/" + _bass_name(root, bass)
    return normalize_figure(figure)


@lru_cache(maxsize=8)
def _index(path: str, mtime_ns: int) -> dict[int, dict[str, str]]:
    """index.tsv rows by integer id (the artist field may hold a quoted tab)."""
    rows: dict[int, dict[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            try:
                rows[int(row["id"])] = {k: (v or "").replace("\t", " & ").strip() for k, v in row.items() if k}
            except (KeyError, TypeError, ValueError):
                continue
    return rows


def index_row(folder: Path) -> dict[str, str]:
    """The index.tsv row of a song folder (index.tsv in its parent), or {} when there is none."""
    idx = folder.parent / INDEX_FILE
    if not folder.name.isdigit() or not idx.is_file():
        return {}
    return _index(str(idx), idx.stat().st_mtime_ns).get(int(folder.name), {})


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


_METRE_RE = re.compile(r"^(\d+)/(\d+)$")
_LINE_RE = re.compile(r"^\s*([0-9.eE+\-]+)\s+(.*)$")
_LETTER_RE = re.compile(r"^[A-Z]'*$")
_LABEL_RE = re.compile(r"^[a-z][a-z\- ]*$")
_NOT_SECTION = {"silence", "end", "fadeout", "applause", "noise", "talking"}


def read_billboard_song(
    path: str | os.PathLike, *, source: str = "", style: str = "pop", license: str = "CC0-1.0"
) -> list[Piece]:
    """One chords-only Piece for a Billboard song folder (NNNN/ with salami_chords.txt);
    `path` may also be the salami_chords.txt file itself."""
    folder = Path(os.fspath(path))
    if folder.is_dir():
        p = check_local_file(folder / CHORDS_FILE)
    else:
        p = check_local_file(folder)
        folder = p.parent
    text = read_text(p)
    head: dict[str, str] = {}
    meter = (4, 4)
    bar_onsets: list[float] = []
    bar_meters: list[tuple[int, int]] = []
    events: list[tuple[float, str | None]] = []  # (onset, figure or None = no chord)
    keys: list[tuple[float, str]] = []
    sections: list[list] = []
    letter_labels: dict[str, str] = {}
    skipped: list[str] = []
    unparsed = 0
    t = 0.0
    timed: list[tuple[float, float]] = []  # (timestamp, beats) of lines with bars, "end" etc. with 0 beats
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        where = f"{p}:{lineno}"
        if line.startswith("#"):
            name, _, value = line[1:].partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "metre":
                m = _METRE_RE.match(value)
                if m and int(m.group(1)) > 0 and int(m.group(2)) in (1, 2, 4, 8, 16):
                    meter = (int(m.group(1)), int(m.group(2)))
                else:
                    skipped.append(f"{where}: unreadable metre {value!r}")
            elif name == "tonic":
                try:
                    pitch_class_of(value)
                    keys.append((t, value))
                except ValueError:
                    skipped.append(f"{where}: unreadable tonic {value!r}")
            elif name:
                head.setdefault(name, value)
            continue
        m = _LINE_RE.match(line)
        if not m:
            skipped.append(f"{where}: no timestamp at the start of the line")
            continue
        try:
            stamp = float(m.group(1))
        except ValueError:
            skipped.append(f"{where}: bad timestamp {m.group(1)!r}")
            continue
        body = m.group(2)
        first, last = body.find("|"), body.rfind("|")
        if first < 0:
            timed.append((stamp, 0.0))
            continue
        if first == last:
            skipped.append(f"{where}: bars not closed by '|'")
            continue
        before, cells, after = body[:first], body[first + 1 : last].split("|"), body[last + 1 :]
        label = letter = None
        for part in before.split(","):
            part = part.strip()
            if _LETTER_RE.match(part):
                letter = part
            elif _LABEL_RE.match(part) and part not in _NOT_SECTION:
                label = part
        if label and letter:
            letter_labels[letter] = label
        elif letter and not label:
            label = letter_labels.get(letter, letter)
        rep = re.search(r"(?:^|[\s,])x\s*(\d+)\b", after)
        repeats = min(int(rep.group(1)), 64) if rep else 1
        # parse the cells once, then lay them out `repeats` times
        parsed: list[tuple[tuple[int, int], list[str | None | bool]]] = []
        bad = False
        line_unparsed = 0
        for cell in cells:
            bar_meter = meter
            tokens: list[str | None | bool] = []  # figure, None = no chord, True = '.' (continue)
            for tok in cell.split():
                mm = re.fullmatch(r"\((\d+)/(\d+)\)", tok)
                if mm:
                    if int(mm.group(1)) > 0 and int(mm.group(2)) in (1, 2, 4, 8, 16):
                        bar_meter = (int(mm.group(1)), int(mm.group(2)))
                    continue
                if tok == "*":
                    continue
                if tok == ".":
                    tokens.append(True)
                    continue
                try:
                    tokens.append(harte_to_figure(tok))
                except ValueError:
                    if ":" not in tok and tok not in _NO_CHORD:
                        bad = True
                        break
                    line_unparsed += 1
                    tokens.append(None)
            if bad:
                break
            parsed.append((bar_meter, tokens))
        if bad or not parsed:
            skipped.append(f"{where}: unreadable bar {cell.strip()!r}" if bad else f"{where}: no bars")
            continue
        unparsed += line_unparsed
        if label:
            sections.append([len(bar_onsets), label])
        line_start = t
        for _ in range(repeats):
            for (num, den), tokens in parsed:
                bar_onsets.append(t)
                bar_meters.append((num, den))
                length = num * 4.0 / den
                share = length / len(tokens) if tokens else length
                for j, tok in enumerate(tokens):
                    if tok is True:
                        continue
                    events.append((t + j * share, tok))
                t += length
        timed.append((stamp, t - line_start))
    if not bar_onsets:
        raise InputError(f"{p}: no bars ('| A:maj | E:7 |') in this Billboard chord file")
    # chords: each sounds until the next event (a chord or no chord) or the end
    chords: list[ChordSymbol] = []
    for onset, fig in events:
        if chords and chords[-1].duration is None:
            chords[-1].duration = onset - chords[-1].onset
        if fig is None:
            continue
        if chords and chords[-1].figure == fig and abs(chords[-1].onset + (chords[-1].duration or 0) - onset) < 1e-9:
            chords[-1].duration = None  # the same chord goes on
            continue
        chords.append(ChordSymbol(onset, fig))
    if chords and chords[-1].duration is None:
        chords[-1].duration = t - chords[-1].onset
    if not chords:
        raise InputError(f"{p}: no readable chord in this Billboard chord file")

    row = index_row(folder)
    title = row.get("title") or head.get("title", "") or folder.name
    artist = row.get("artist") or head.get("artist", "")
    stem = f"{source}:{folder.name}" if source else f"billboard:{folder.name}"
    piece = Piece(
        piece_id=stem,
        work_id=f"song:{_norm(artist)}|{_norm(title)}",
        title=title,
        style=style,
        source=source,
        path=str(p),
        license=license,
        chords=chords,
        bar_onsets=bar_onsets,
        end=t,
        meta={"file": f"{folder.name}/{p.name}", "artist": artist, "sections": sections, "stable_work_id": True},
    )
    prev = None
    for onset, meter_ in zip(bar_onsets, bar_meters):
        if meter_ != prev:
            piece.time_signatures.append(TimeSignature(onset, *meter_))
            prev = meter_
    piece.keys = _keys(keys, chords, t)
    if piece.keys:
        piece.meta["key_mode_assumed"] = True
    seconds = sum(b - a for (a, beats), (b, _) in zip(timed, timed[1:]) if beats > 0)
    beats = sum(beats for (_, beats), _ in zip(timed, timed[1:]))
    if seconds > 0 and 30 <= 60 * beats / seconds <= 300:
        piece.tempos = [Tempo(0.0, round(60 * beats / seconds, 1))]
    if row.get("chart_date"):
        piece.meta["chart_date"] = row["chart_date"]
        if row["chart_date"][:4].isdigit():
            piece.meta["year"] = int(row["chart_date"][:4])
    for field in ("peak_rank", "weeks_on_chart", "actual_rank"):
        if row.get(field, "").isdigit():
            piece.meta[field] = int(row[field])
    if unparsed:
        piece.meta["unparsed_chords"] = unparsed
    if skipped:
        piece.meta["skipped_lines"] = skipped
    return [_finish(piece)]


def _keys(tonics: list[tuple[float, str]], chords: list[ChordSymbol], end: float) -> list[KeySignature]:
    """A KeySignature per `# tonic:`; minor when the tonic chords while it holds are mostly minor."""
    out: list[KeySignature] = []
    for i, (onset, tonic) in enumerate(tonics):
        stop = tonics[i + 1][0] if i + 1 < len(tonics) else end
        if i + 1 < len(tonics) and stop <= onset:
            continue  # replaced before any bar
        pc = pitch_class_of(tonic)
        major = minor = 0.0
        for c in chords:
            if onset <= c.onset < stop:
                try:
                    root, quality, _ = parse_chord(c.figure)
                except ValueError:
                    continue
                if root == pc:
                    if quality.startswith("m") and not quality.startswith("maj"):
                        minor += c.duration or 0.0
                    elif quality != "5":
                        major += c.duration or 0.0
        out.append(KeySignature(onset, tonic, "minor" if minor > major else "major"))
    return out
