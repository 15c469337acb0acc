"""Chord-progression text files (jazz/progressions, from Impro-Visor's Imaginary Book):

    Title = H. and J.
    ComposedBy = Harry Edison and J. Jones
    DBKeySig = Eb
    TimeSig = 4 4
    Bars = 32
     Fm7 | Fm7 Bb7 | Eb Fm7 | Eb Gbm7 |

A Piece with chords only (no tracks), one bar per `|`-separated cell, `bar_onsets` set.
The chords of a bar share it evenly (2 chords in 4/4: 2 beats each; Impro-Visor's
convention). "NC" is no chord; a cell with no chord continues the previous chord.
Impro-Visor spellings are normalised: M7 -> maj7, o7 -> dim7, h7 -> m7b5, 7+ -> 7#5, + -> aug;
qualities we do not know are simplified by dropping trailing alterations (7b9#11 -> 7b9) or
counted in `meta["unparsed_chords"]`. The key (DBKeySig, a tonic) is read as major
(`meta["key_mode_assumed"] = True`; "U" = unknown -> estimated from the chords), unless the
progression starts and ends on chords of one root: then that root, minor if the last chord is
(`meta["key_from_chords"]`).
"""

from __future__ import annotations

import os
import re

from ..convert import _finish
from ..harmony import normalize_figure
from ..score import ChordSymbol, KeySignature, Piece, TimeSignature
from . import InputError, check_local_file, piece_stem, read_text

_FIELD = re.compile(r"^\s*([A-Za-z][\w ]*?)\s*=\s*(.*?)\s*$")


def _figure(token: str) -> str | None:
    tok = token.strip()
    tok = re.sub(r"^([A-G][#b]?)h7?", r"\1m7b5", tok)
    return normalize_figure(tok)


def read_progressions(path: str | os.PathLike, *, source: str = "", style: str = "jazz", license: str = "unknown") -> list[Piece]:
    """One chords-only Piece for a progression text file."""
    p = check_local_file(path)
    text = read_text(p)
    fields: dict[str, str] = {}
    cells: list[str] = []
    for line in text.splitlines():
        if "|" in line:
            parts = line.split("|")
            cells.extend(parts[:-1] if not parts[-1].strip() else parts)
            continue
        m = _FIELD.match(line)
        if m:
            fields[m.group(1).strip()] = m.group(2)
    if not cells:
        raise InputError(f"{p}: read as a chord progression (chords in bars separated by '|'), but it holds no such "
                         "bars; a melody is read from MusicXML, MIDI or ABC")
    num, den = 4, 4
    ts_text = fields.get("TimeSig", "")
    m = re.match(r"(\d+)\s*[ /]\s*(\d+)", ts_text)
    if m:
        num, den = int(m.group(1)), int(m.group(2))
    ts = TimeSignature(0.0, num, den)
    bar = ts.bar_length
    stem = piece_stem(p, source)
    piece = Piece(
        piece_id=stem,
        work_id=f"progression:{p.stem}",
        title=fields.get("Title", "") or p.stem,
        style=style,
        source=source,
        path=str(p),
        license=license,
        time_signatures=[ts],
        meta={"file": p.name},
    )
    if fields.get("ComposedBy"):
        piece.meta["composer"] = fields["ComposedBy"]
    key = fields.get("DBKeySig", "").strip()
    if re.fullmatch(r"[A-G][#b]?", key):
        piece.keys = [KeySignature(0.0, key, "major")]
        piece.meta["key_mode_assumed"] = True
    chords: list[ChordSymbol] = []
    unparsed = 0
    for i, cell in enumerate(cells):
        tokens = cell.split()
        onset = i * bar
        piece.bar_onsets.append(onset)
        if not tokens:
            continue
        share = bar / len(tokens)
        for j, tok in enumerate(tokens):
            t = onset + j * share
            if tok.upper() in ("NC", "N.C.", "N.C"):
                chords.append(ChordSymbol(t, "N.C.", share))
                continue
            if tok == "/":  # beat repeat: the previous chord goes on
                if chords:
                    chords[-1].duration = (chords[-1].duration or 0) + share
                continue
            try:
                fig = _figure(tok)
            except ValueError:
                unparsed += 1
                continue
            if chords and chords[-1].figure == fig and abs(chords[-1].onset + (chords[-1].duration or 0) - t) < 1e-9 and j > 0:
                chords[-1].duration = (chords[-1].duration or 0) + share
                continue
            chords.append(ChordSymbol(t, fig, share))
    # a chord sounds until the next chord; bars left empty continue it
    real = [c for c in chords if c.figure != "N.C."]
    for a, b in zip(chords, chords[1:]):
        if a.figure != "N.C.":
            a.duration = b.onset - a.onset
    if chords and chords[-1].figure != "N.C.":
        chords[-1].duration = len(cells) * bar - chords[-1].onset
    piece.chords = real
    piece.end = len(cells) * bar
    if fields.get("Bars", "").strip().isdigit():
        piece.meta["bars_declared"] = int(fields["Bars"])
    if unparsed:
        piece.meta["unparsed_chords"] = unparsed
    if not piece.chords:
        raise InputError(f"{p}: no readable chord in this progression file")
    home = _home_chord_key(piece.chords)
    if home is not None and piece.meta.get("key_mode_assumed"):
        # DBKeySig is a tonic read as major, and "C" stands for no key given (857 of 2,614 files):
        # Summertime (Dm | A7 | Dm ... Dm) said C. A tune that starts and ends on one chord is in its key.
        piece.keys = [home]
        piece.meta["key_from_chords"] = True
    return [_finish(piece)]


def _home_chord_key(chords: list[ChordSymbol]) -> KeySignature | None:
    """The key of a progression that starts and ends on chords of one root: that root, minor when
    the last chord is minor; None otherwise."""
    from ..harmony import MINOR_QUALITIES, parse_chord
    from ..tokenizer import split_figure

    try:
        first, (root, quality, _) = parse_chord(chords[0].figure)[0], parse_chord(chords[-1].figure)
        name = split_figure(chords[-1].figure)[0]  # the root as the file spells it
    except ValueError:
        return None
    if first != root:
        return None
    return KeySignature(0.0, name, "minor" if quality in MINOR_QUALITIES else "major")
