"""Humdrum **kern reader, parsed by hand (no music21: the jazz/omnibook files carry extra
chord spines that make music21 fail with "Could not determine spineType").

Melody: the first **kern spine whose tokens are notes (its first sub-spine if it splits).
Chords, two layouts seen in the omnibook transcriptions:
- a second **kern spine with tokens "<dur><root>:<quality>" ("1G:min", "2F:dom", "1B-:maj");
- a **kern root spine "<dur><root>:" plus a **quality spine ":min".
Each becomes a ChordSymbol at the onset of its line, lasting its own duration.
Quality -> figure: "" and "maj" -> major triad ("G"), "min" -> "m" ("Gm"), "dom" -> "7",
"o7" -> "dim7", "h7"/"h" -> "m7b5", "dim" -> "dim", extensions ":9-"/":b9" -> "7b9",
":9+"/":9#" -> "7#9", ":5+"/":#5" -> "7#5", ":4+" -> "7#11", ":min:7" -> "m7", ":min:6" -> "m6".

Durations: reciprocal numbers with dots (4 = quarter, 12 = triplet eighth, 0 = breve),
grace notes (q) dropped, ties ([ _ ]) merged. Expansion lists (*>...) are not applied: the
file as written (`meta["repeats_expanded"] = False`). Keys from *X: tokens (lower case:
minor), else *k[...] signatures; meter *M; tempo *MM; title !!!OTL, composer !!!COM.
"""

from __future__ import annotations

import os
import re
from fractions import Fraction

from ..convert import _finish
from ..harmony import key_from_sharps, normalize_figure
from ..score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track
from . import InputError, check_local_file, name_text, piece_stem, read_text

_NOTE_RE = re.compile(r"(\d+)(%\d+)?(\.*)")
_PITCH_RE = re.compile(r"([A-Ga-g])\1*")
_CHORD_TOKEN = re.compile(r"^(\d+\.*)?([A-Ga-g])([#-]*)[:;](.*)$")
_LETTER_PC = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_QUALITY = {"": "", "maj": "", "min": "m", "dom": "7", "don": "7", "dom7": "7", "o7": "dim7", "o": "dim",
            "dim": "dim", "h7": "m7b5", "h": "m7b5", "aug": "aug", "+": "aug", "sus": "sus4"}
_EXTENSIONS = {"9-": "b9", "b9": "b9", "9+": "#9", "9#": "#9", "#9": "#9", "5+": "#5", "5#": "#5", "#5": "#5",
               "4+": "#11", "4#": "#11", "11+": "#11", "#11": "#11", "9": "9", "7": "7", "6": "6", "13": "13"}


def kern_duration(token: str) -> Fraction | None:
    """Beats of a kern token ('4.' -> 3/2, '12' -> 1/3, '0' -> 8); None for grace/no duration."""
    if "q" in token or "Q" in token:
        return None
    m = _NOTE_RE.search(token)
    if not m:
        return None
    num = int(m.group(1))
    base = Fraction(8) if num == 0 else Fraction(4, num)
    if m.group(2):
        base *= int(m.group(2)[1:])
    dots = len(m.group(3))
    return base * (2 - Fraction(1, 2**dots))


def kern_pitch(token: str) -> int | None:
    """MIDI pitch of a kern note token ('cc#' -> 73, 'B-' -> 46); None for a rest."""
    if "r" in token:
        return None
    m = _PITCH_RE.search(token)
    if not m:
        return None
    letters = m.group(0)
    letter = letters[0]
    if letter.islower():
        octave = 4 + len(letters) - 1
    else:
        octave = 3 - (len(letters) - 1)
    pc = _LETTER_PC[letter.lower()]
    rest = token[m.end():]
    alter = 0
    for ch in rest:
        if ch == "#":
            alter += 1
        elif ch == "-":
            alter -= 1
        elif ch in "n":
            continue
        else:
            break
    return 12 * (octave + 1) + pc + alter


def chord_figure(root_token: str, quality_token: str = "") -> str | None:
    """Figure from omnibook chord tokens: ('1G:', ':min') -> 'Gm', ('2F:dom:9-', '') -> 'F7b9'."""
    m = _CHORD_TOKEN.match(root_token.strip())
    if not m:
        return None
    root = m.group(2).upper() + m.group(3).replace("-", "b")
    qual = (m.group(4) or "").replace(";", ":")
    if quality_token and quality_token not in (".",):
        qual = qual if qual else quality_token.replace(";", ":").lstrip(":")
    parts = [q for q in qual.split(":") if q]
    base = _QUALITY.get(parts[0].lower()) if parts else ""
    if base is None:
        base = ""
        exts = parts
    else:
        exts = parts[1:]
    alt = [_EXTENSIONS[e] for e in exts if e in _EXTENSIONS]
    figure = root + base
    if base == "m" and "7" in alt:
        figure, alt = root + "m7", [a for a in alt if a != "7"]
    elif base == "m" and "6" in alt:
        figure, alt = root + "m6", [a for a in alt if a != "6"]
    elif base == "7" and alt:
        ext = "".join(a for a in alt if a not in ("7",))
        if ext == "9":
            figure = root + "9"
        elif ext == "13":
            figure = root + "13"
        elif ext:
            figure = root + "7" + ext
    try:
        return normalize_figure(figure)
    except ValueError:
        try:
            return normalize_figure(root + base)
        except ValueError:
            return None


def _key_token(tok: str) -> KeySignature | None:
    m = re.fullmatch(r"\*([A-Ga-g])([#-]?):(\w*)", tok)
    if not m:
        return None
    tonic = m.group(1).upper() + m.group(2).replace("-", "b")
    mode = (m.group(3) or ("major" if m.group(1).isupper() else "minor")).lower()
    mode = {"ion": "major", "dor": "dorian", "phr": "phrygian", "lyd": "lydian", "mix": "mixolydian",
            "aeo": "minor", "loc": "locrian"}.get(mode[:3], mode)
    return KeySignature(0.0, tonic, mode if mode in ("major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian") else "major")


def parse_kern(text: str, **fields: object) -> Piece:
    piece = Piece(**fields)  # type: ignore[arg-type]
    lines = text.splitlines()
    spine_types: list[str] = []
    origin: list[int] = []  # original spine index of each current column
    t = Fraction(0)
    spine_end: list[Fraction] = []
    melody_col: int | None = None
    chord_col: int | None = None
    quality_col: int | None = None
    melody = Track(name="melody", role="melody")
    chords: list[ChordSymbol] = []
    bars: list[Fraction] = [Fraction(0)]
    tied: Note | None = None
    sig_key: KeySignature | None = None
    for raw in lines:
        if not raw.strip():
            continue
        if raw.startswith("!!"):
            m = re.match(r"!!!(\w+):\s*(.*)", raw)
            if m:
                tag, value = m.group(1), m.group(2).strip()
                if tag == "OTL" and not piece.title:
                    piece.title = value
                elif tag == "COM":
                    piece.meta["composer"] = value
                elif tag in ("OPR", "OTP", "ODT", "PDT", "ENC", "AST"):
                    piece.meta[f"kern_{tag}"] = value
            continue
        cols = raw.split("\t")
        if cols[0].startswith("**"):
            spine_types = cols
            origin = list(range(len(cols)))
            spine_end = [Fraction(0)] * len(cols)
            continue
        if not spine_types:
            raise ValueError("data before the **kern header line")
        if cols[0].startswith("*"):
            # spine manipulators: split (*^), join (*v), terminate (*-)
            if any(c in ("*^", "*v", "*x", "*+") for c in cols):
                new_origin: list[int] = []
                new_end: list[Fraction] = []
                i = 0
                while i < len(cols):
                    c = cols[i]
                    o = origin[i] if i < len(origin) else origin[-1]
                    e = spine_end[i] if i < len(spine_end) else t
                    if c == "*^":
                        new_origin += [o, o]
                        new_end += [e, e]
                    elif c == "*v":
                        j = i
                        while j + 1 < len(cols) and cols[j + 1] == "*v":
                            j += 1
                        new_origin.append(o)
                        new_end.append(max(spine_end[i : j + 1]))
                        i = j
                    else:
                        new_origin.append(o)
                        new_end.append(e)
                    i += 1
                origin, spine_end = new_origin, new_end
                continue
            for ci, tok in enumerate(cols):
                o = origin[ci] if ci < len(origin) else 0
                if o != (melody_col if melody_col is not None else 0):
                    continue
                if tok.startswith("*M") and re.fullmatch(r"\*M\d+/\d+", tok):
                    n, d = tok[2:].split("/")
                    piece.time_signatures.append(TimeSignature(float(t), int(n), int(d)))
                elif tok.startswith("*MM") and re.fullmatch(r"\*MM\d+(\.\d+)?", tok):
                    piece.tempos.append(Tempo(float(t), float(tok[3:])))
                elif tok.startswith("*k["):
                    acc = tok[3:-1]
                    sharps = acc.count("#") - acc.count("-")
                    sig_key = key_from_sharps(sharps, "major", float(t))
                else:
                    k = _key_token(tok)
                    if k is not None:
                        k.onset = float(t)
                        piece.keys.append(k)
                break
            continue
        if cols[0].startswith("!"):
            continue
        if melody_col is None:
            kern_cols = [i for i, s in enumerate(spine_types) if s == "**kern"]
            if not kern_cols:
                raise ValueError("no **kern spine")
            melody_col = kern_cols[0]
            for i in kern_cols[1:]:
                chord_col = i if chord_col is None else chord_col
            quality_col = next((i for i, s in enumerate(spine_types) if s == "**quality"), None)
        if cols[0].startswith("="):
            if t > bars[-1]:
                bars.append(t)
            continue
        # a data line: it starts at t; collect per original spine its first column's token
        by_origin: dict[int, str] = {}
        for ci, tok in enumerate(cols):
            o = origin[ci] if ci < len(origin) else ci
            by_origin.setdefault(o, tok)
        line_durs: list[Fraction] = []
        for ci, tok in enumerate(cols):
            o = origin[ci] if ci < len(origin) else ci
            if tok == "." or (spine_types[o] if o < len(spine_types) else "") not in ("**kern",):
                continue
            if o == chord_col:
                d = kern_duration(tok)
                if d:
                    line_durs.append(d)
                    if ci < len(spine_end):
                        spine_end[ci] = t + d
                    qual = by_origin.get(quality_col, "") if quality_col is not None else ""
                    fig = chord_figure(tok, qual)
                    if fig:
                        chords.append(ChordSymbol(float(t), fig, float(d)))
                    else:
                        piece.meta["unparsed_chords"] = piece.meta.get("unparsed_chords", 0) + 1
                continue
            if o != melody_col:
                continue
            first_sub = ci == cols.index(next(c for j, c in enumerate(cols) if (origin[j] if j < len(origin) else j) == o))
            d_all = None
            for sub in tok.split(" "):
                d = kern_duration(sub)
                if d is None:
                    continue
                d_all = d if d_all is None else min(d_all, d)
                if not first_sub:
                    continue
                p = kern_pitch(sub)
                if p is None:
                    tied = None
                    continue
                if ("]" in sub or "_" in sub) and tied is not None and tied.pitch == p:
                    tied.duration += float(d)
                    n = tied
                else:
                    n = Note(p, float(t), float(d))
                    melody.notes.append(n)
                tied = n if ("[" in sub or "_" in sub) else None
            if d_all is not None:
                line_durs.append(d_all)
                if ci < len(spine_end):
                    spine_end[ci] = t + d_all
        future = [e for e in spine_end if e > t]
        if future:
            t = min(future)
        elif line_durs:
            t = t + min(line_durs)
    if melody_col is None:
        raise ValueError("no data lines")
    end = max([t, *spine_end]) if spine_end else t
    if melody.notes:
        piece.tracks.append(melody)
    if bars[-1] >= end and len(bars) > 1:
        bars.pop()
    piece.bar_onsets = [float(b) for b in bars]
    if piece.time_signatures and len(bars) > 1 and bars[1] < piece.time_signatures[0].bar_length - 1e-9:
        piece.meta["pickup"] = float(bars[1])
    if not piece.keys and sig_key is not None:
        piece.keys = [sig_key]
    piece.chords = sorted(chords, key=lambda c: c.onset)
    piece.end = float(end)
    piece.meta["repeats_expanded"] = False
    return _finish(piece)


def read_kern(path: str | os.PathLike, *, source: str = "", style: str = "", license: str = "unknown") -> list[Piece]:
    """One Piece for a **kern file (melody + chord spines)."""
    p = check_local_file(path)
    text = read_text(p)
    if "**kern" not in text:
        raise InputError(f"{p}: not a Humdrum **kern file (no **kern spine)")
    stem = piece_stem(p, source)
    _check_extent(p, text)
    if _is_polyphonic_score(text):
        return [_read_with_music21(p, text, stem=stem, source=source, style=style, license=license)]
    try:
        piece = parse_kern(text, piece_id=stem, work_id=stem, path=str(p), source=source, style=style,
                           license=license, meta={"file": p.name})
    except (ValueError, IndexError, ZeroDivisionError) as e:
        from . import why_in_words

        raise InputError(f"{p}: malformed **kern ({why_in_words(e, named=False)})") from e
    if not piece.title:
        piece.title = name_text(p.stem).replace("_", " ")
    if not piece.tracks:
        raise InputError(f"{p}: **kern file has no notes")
    return [piece]


def _check_extent(p, text: str) -> None:
    """The file's spines, meters, tempos, bar lines and notes against `tunesmith.limits`, before
    it is parsed: music21's Humdrum parser had spent over 5 minutes on a score of two spines
    marked *M99999/1, as on one of 30,000 bars, and 2 minutes on 5,000 spines, before the
    piece's limits refused it; a *MM0 had failed it as "ZeroDivisionError"."""
    from ..limits import LimitError, _fmt, check_at_most, check_meter, limit

    where = str(p)
    lines = text.splitlines()
    check_at_most(where, "number of spines", max((ln.count("\t") + 1 for ln in lines), default=0), "MAX_TRACKS")
    for m in re.finditer(r"(?:^|\t)\*M(\d+)/(\d+)", text, re.M):
        check_meter(where, m.group(1), m.group(2))
    for m in re.finditer(r"(?:^|\t)\*MM(\d+(?:\.\d*)?)", text, re.M):
        qpm = float(m.group(1))
        if not limit("MIN_TEMPO_QPM") <= qpm <= limit("MAX_TEMPO_QPM"):
            raise LimitError(f"{where}: tempo *MM{m.group(1)[:20]} is out of range "
                             f"({_fmt(limit('MIN_TEMPO_QPM'))}..{_fmt(limit('MAX_TEMPO_QPM'))} quarter notes a minute)")
    data = [ln for ln in lines if ln and not ln.startswith(("*", "!", "="))]
    bars = sum(1 for ln in lines if ln.startswith("="))
    cap = limit("MAX_PIECE_BARS")
    if bars > cap * 1.25 + 8:  # (a margin, as for an ABC tune's bar lines)
        raise LimitError(f"{where}: {bars:,} bar lines written, over the limit of {_fmt(cap)} bars")
    notes = sum(1 for ln in data for tok in re.split(r"[\t ]", ln) if "r" not in tok and _PITCH_RE.search(tok))
    cap = limit("MAX_PIECE_NOTES")
    if notes > cap * 1.25 + 8:
        raise LimitError(f"{where}: {notes:,} notes written, over the limit of {_fmt(cap)} notes")


def _is_polyphonic_score(text: str) -> bool:
    """Several **kern note spines and no chord spine (a Bach chorale, not an omnibook file)."""
    header = next((ln for ln in text.splitlines() if ln.startswith("**")), "")
    kern_cols = [i for i, s in enumerate(header.split("\t")) if s == "**kern"]
    if len(kern_cols) < 2 or "**quality" in header:
        return False
    return not re.search(r"(^|\t)\d+\.*[A-Ga-g][#-]*:", text, re.M)


def _read_with_music21(p, text: str, **fields: object) -> Piece:
    """A polyphonic **kern score through music21's Humdrum parser (parts per spine)."""
    import warnings

    from music21 import converter

    from ..convert import from_music21

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = converter.parseData(text, format="humdrum")
    except Exception as e:  # noqa: BLE001
        raise InputError(f"{p}: music21 could not read this **kern score ({type(e).__name__}: {e})") from e
    stem = str(fields.pop("stem"))
    piece = from_music21(s, piece_id=stem, work_id=stem, path=str(p), meta={"file": p.name}, **fields)  # type: ignore[arg-type]
    if not piece.title:
        piece.title = name_text(p.stem)
    if not piece.tracks:
        raise InputError(f"{p}: **kern file has no notes")
    return piece
