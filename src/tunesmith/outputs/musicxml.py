"""MusicXML writer: `write_musicxml(piece, path)`, atomic (temp file + os.replace).

Built with `tunesmith.convert.to_music21`: the melody (or soprano) is the first part, chord
symbols are music21 ChordSymbols (MusicXML <harmony>, shown by MuseScore) on it, key, meter
and tempo in the first measure, a pickup written as an anacrusis. `.mxl` paths get the
compressed container. Drum tracks are not written.
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from pathlib import Path

from ..convert import to_music21
from ..convert.notation import _frac
from ..paths import atomic_write_bytes
from ..score import Piece

# music21's export counts a chord symbol's pitches when it spells accidentals, so a C chord after
# an A chord in the same bar gets <root-alter>0</root-alter>, which verovio and some readers show
# as "C♮"; an alter of 0 says nothing, so it is dropped
# as a note's <alter>0</alter> does (`notation._mark_accidentals_made` gives one natural pitch an
# accidental that is not shown; a natural sign is its <accidental>, not its alter)
_NATURAL_CHORD_ALTER = re.compile(rb"\s*<((?:root-|bass-)?alter)>0</\1>")
# a chord's <degree> elements say which tones it has for readers that play it (C7b9: a flat 9th
# added); its <kind text="7b9"> already shows them, so they are not printed again ("C7b9(b9)")
_DEGREE = b"<degree>"
# music21 writes a slash chord's <inversion> beside its <bass>, counting from the chord's tones:
# Dm7/G, whose G is none of them, had been written <inversion>5</inversion>. The <bass> says it
# all (MusicXML 4.0 reads an inversion only without a bass), so the inversion is left out.
_INVERSION = re.compile(rb"\s*<inversion>\d+</inversion>")
_UNPRINTED_DEGREE = b'<degree print-object="no">'


# music21 names each instrument by a random id ("Ic0702f2d5..."): the same take written twice
# differed in bytes, so a diff or a hash of a take could not tell it from another
_RANDOM_ID = re.compile(rb"\bI[0-9a-f]{32}\b")


# music21 writes an ending's bracket without its text, which MuseScore and verovio show as a bare
# "1" and "2"; tune books print "1." and "2.", and leave the second ending's bracket open at its end
_ENDING_OPEN = re.compile(rb'<ending number="(\d+)" type="start"\s*/>')
_ENDING_LAST_STOP = re.compile(rb'<ending number="2" type="stop"\s*/>')


# music21 writes a repeat's barline with no <bar-style>, and MuseScore 3 says "empty bar type" for
# each when it opens the file (a fiddler's report): a forward repeat is heavy-light, a backward one
# light-heavy, an ending's own barline regular (the bar-style comes first in a <barline>)
_BARLINE = re.compile(rb"(<barline[^>]*>)((?:(?!</barline>).)*?)(</barline>)", re.S)


def _barline_styles(xml: bytes) -> bytes:
    """`xml` with a <bar-style> in each <barline> that has none (see `_BARLINE`)."""

    def styled(m: re.Match) -> bytes:
        body = m.group(2)
        if b"<bar-style>" in body:
            return m.group(0)
        style = b"heavy-light" if b'direction="forward"' in body else b"light-heavy" if b'direction="backward"' in body else b"regular"
        indent = re.match(rb"\s*", body).group(0)
        return m.group(1) + indent + b"<bar-style>" + style + b"</bar-style>" + body + m.group(3)

    return _BARLINE.sub(styled, xml)


def _stable_ids(xml: bytes) -> bytes:
    """`xml` with music21's random instrument ids replaced by I1, I2, ... in order of appearance."""
    names: dict[bytes, bytes] = {}
    return _RANDOM_ID.sub(lambda m: names.setdefault(m.group(0), b"I%d" % (len(names) + 1)), xml)


def folds_repeats(piece: Piece) -> bool:
    """Whether a take's score is written with repeat signs: a composed take's is; a co-created
    take's stays written out as played, as its input was read, so that bar numbers (inpaint's
    --bars) name the same bars in every file. A loop's is written out, between one pair of repeat
    signs round the whole (`convert.notation.to_music21`)."""
    return "cocreate" not in piece.meta and not piece.meta.get("loop")


LOWEST_WRITTEN = 12  # C0: MusicXML's <octave> 0


def musicxml_bytes(piece: Piece, repeats: bool = False) -> bytes:
    """The piece as MusicXML. A piece whose timing notation cannot write (notes a 2048th long,
    from a MIDI file of odd resolution) is written again on a grid of 32nd-note triplets; if
    that fails too, ValueError names the piece. `repeats`: spans sounded twice are written once
    with repeat barlines and endings (`convert.repeats`)."""
    return musicxml_and_repeats(piece, repeats)[0]


def musicxml_and_repeats(piece: Piece, repeats: bool = False) -> tuple[bytes, list]:
    """`musicxml_bytes` and the repeat spans written (`convert.repeats.RepeatSpan`, [] when none)."""
    from music21 import defaults
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    from tunesmith.performance import notated

    # MusicXML's octaves are 0..9: a note below C0 (MIDI 12) would be written <octave>-1</octave>, which
    # tunesmith's reader refuses, so no score is written that could not be read back (co-create refuses
    # such notes on input: `cocreate.inputs.check_pitch_range`)
    low = min((n.pitch for t in piece.tracks if not t.is_drum for n in t.notes), default=LOWEST_WRITTEN)
    if low < LOWEST_WRITTEN:
        where = piece.path or piece.title or piece.piece_id or "the piece"
        raise ValueError(f"{where}: cannot be written as MusicXML: a note of MIDI pitch {low} lies below C0 "
                         f"(MIDI {LOWEST_WRITTEN}), the lowest octave MusicXML writes")  # fmt: skip
    # a played piece as its score writes it, once: its divisions and its notes come from the same
    # notated times (`to_music21` leaves a piece already notated as it is)
    written = notated(piece)
    author, divisions = defaults.author, defaults.divisionsPerQuarter
    defaults.author = ""  # no <creator>Music21</creator> on a score without a composer
    defaults.divisionsPerQuarter = _divisions_for(written)
    try:
        for attempt in (written, None):
            try:
                score = to_music21(attempt if attempt is not None else _on_grid(piece, 12), repeats=repeats)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    xml = _INVERSION.sub(b"", _NATURAL_CHORD_ALTER.sub(b"", GeneralObjectExporter(score).parse()))
                    xml = _ENDING_OPEN.sub(rb'<ending number="\1" type="start">\1.</ending>', xml)
                    xml = _ENDING_LAST_STOP.sub(rb'<ending number="2" type="discontinue" />', xml)
                    return _stable_ids(_barline_styles(xml.replace(_DEGREE, _UNPRINTED_DEGREE))), list(score.tunesmithRepeats)
            except (ValueError, MemoryError, RecursionError):
                raise
            except Exception as exc:  # noqa: BLE001 - music21's export exceptions
                if attempt is None:
                    where = piece.path or piece.title or piece.piece_id or "the piece"
                    detail = (str(exc).splitlines() or [""])[0][:200]
                    raise ValueError(f"{where}: cannot be written as MusicXML ({type(exc).__name__}: {detail})") from exc
        raise AssertionError("unreachable")
    finally:
        defaults.author, defaults.divisionsPerQuarter = author, divisions


# music21 writes every duration in 10080ths of a quarter (2^5 * 3^2 * 5 * 7): an 11- or 13-note
# tuplet's notes are rounded there, and a bar of them comes out overfull
_DIVISIONS = 10080


def _divisions_for(piece: Piece) -> int:
    """Divisions of a quarter that write every onset and length of `piece` (as notated:
    `performance.notated`) exactly, as `convert.notation` writes them: 10080, times 11 and/or 13
    when such tuplets occur. Counted on a played piece's played times, a POP909 song's had asked
    for 1,441,440, though its score holds no such tuplet."""
    extra = 1
    for track in piece.tracks:
        for n in track.notes:
            for x in (n.onset, n.duration):
                d = _frac(x).denominator
                for p in (11, 13):
                    if d % p == 0 and extra % p:
                        extra *= p
    return _DIVISIONS * extra


def _on_grid(piece: Piece, grid: int) -> Piece:
    """A copy of `piece` with every onset and duration on a 1/`grid` quarter-note grid (a note
    at least one step long)."""
    import copy

    def q(x: float) -> float:
        return round(x * grid) / grid

    out = copy.deepcopy(piece)
    for track in out.tracks:
        for n in track.notes:
            n.onset, n.duration = q(n.onset), max(1 / grid, q(n.duration))
    for c in out.chords:
        c.onset = q(c.onset)
        if c.duration:
            c.duration = max(1 / grid, q(c.duration))
    for items in (out.keys, out.time_signatures, out.tempos):
        for item in items:
            item.onset = q(item.onset)
    return out


def write_musicxml(piece: Piece, path: str | os.PathLike, repeats: bool = False) -> Path:
    """Write `piece` as MusicXML (`.musicxml`/`.xml`) or compressed MusicXML (`.mxl`); `repeats`
    as in `musicxml_bytes`."""
    path = Path(path)
    data = musicxml_bytes(piece, repeats)
    if path.suffix.lower() == ".mxl":
        data = mxl_bytes(data, path.with_suffix(".musicxml").name)
    atomic_write_bytes(path, data)
    return path


def mxl_bytes(data: bytes, inner: str) -> bytes:
    """MusicXML `data` packed as compressed MusicXML (.mxl), the score named `inner` inside."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.recordare.musicxml")
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<container><rootfiles>'
            f'<rootfile full-path="{inner}" media-type="application/vnd.recordare.musicxml+xml"/>'
            "</rootfiles></container>\n",
        )
        z.writestr(inner, data)
    return buf.getvalue()
