"""The engraved SVG renders outside a browser (issue 11): verovio sets chord-symbol accidentals
and the tempo mark's note in its music font as text, embedded as a web font that librsvg,
Inkscape or MuseScore do not load (they show boxes); tunesmith draws those glyphs as paths."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tunesmith.outputs.musicxml import write_musicxml
from tunesmith.outputs.svg import write_svg
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track


def _lead_sheet(meter=(4, 4)) -> Piece:
    ts = TimeSignature(0.0, *meter)
    bar = ts.bar_length
    melody = [Note(70 if i % 2 else 65, i * bar / 2, bar / 2) for i in range(8)]
    figures = ("Bbmaj7", "Eb7", "F#m7b5", "Ab")
    return Piece(piece_id="g", work_id="g", title="Glyphs", style="jazz",
                 tracks=[Track("Melody", "melody", notes=melody)],
                 chords=[ChordSymbol(b * bar, figures[b], bar) for b in range(4)],
                 keys=[KeySignature(0.0, "Bb")], time_signatures=[ts], tempos=[Tempo(0.0, 132.0)])


@pytest.mark.parametrize("meter", [(4, 4), (6, 8)])
def test_svg_has_no_web_font_and_draws_text_glyphs_as_paths(tmp_path, meter):
    xml = write_musicxml(_lead_sheet(meter), tmp_path / "g.musicxml") or tmp_path / "g.musicxml"
    svg = write_svg(xml, tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "@font-face" not in svg and "base64" not in svg
    assert 'font-family="Leipzig"' not in svg
    assert not re.search(r"[\ue000-\uf8ff]", svg)  # no SMuFL (private use) characters left in text
    defined = set(re.findall(r'<g id="([0-9A-F]{4}-[^"]+)"', svg))
    used = set(re.findall(r'href="#([0-9A-F]{4}-[^"]+)"', svg))
    assert used and used <= defined
    # the chord symbols' flats (csymFlat U+EA64 ... or accidentalFlat) and the tempo's note are among them
    codes = {u.split("-", 1)[0] for u in used}
    assert any(c.startswith("EA6") for c in codes), codes  # chord-symbol accidentals
    assert any(c.startswith("ECA") for c in codes), codes  # the metronome mark's note
    # the letters around them stay text
    assert ">B<" in svg.replace("\n", "") or re.search(r">\s*B\s*<", svg)


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert (librsvg2-bin) not installed")
def test_svg_renders_with_librsvg(tmp_path):
    xml = write_musicxml(_lead_sheet(), tmp_path / "g.musicxml") or tmp_path / "g.musicxml"
    svg = write_svg(xml, tmp_path / "g.svg")
    png = tmp_path / "g.png"
    done = subprocess.run(["rsvg-convert", "-w", "800", "-b", "white", str(svg), "-o", str(png)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert png.stat().st_size > 5000


def test_a_pickups_tempo_mark_is_engraved_with_the_first_bar_not_over_its_chord(tmp_path):
    """A folk take with a pickup: verovio had set the pickup's "♩. = 110" across the bar line into
    the first bar's chord symbol (it keeps floating marks apart only within one bar). The mark is
    engraved with the first full bar, so the two are stacked; the MusicXML file keeps it in the
    pickup."""
    import tunesmith as ts
    from tunesmith.outputs.svg import render_svg_pages

    take = ts.compose(style="folk", key="G", bars=8, seed=5, pitch_range="D4:B5", check=False)
    xml = tmp_path / "t.musicxml"
    xml.write_text(take.musicxml(), encoding="utf-8")
    text = xml.read_text(encoding="utf-8")
    first, second = text.split("<measure ")[1:3]
    assert 'implicit="yes"' in first and "<metronome" in first and "<harmony" in second  # a pickup, a chord in bar 1
    svg = render_svg_pages(xml)[0]
    measures = svg.split('class="measure"')[1:]
    with_tempo = next(i for i, m in enumerate(measures) if 'class="tempo"' in m)
    with_chord = next(i for i, m in enumerate(measures) if 'class="harm"' in m)
    assert with_tempo == with_chord == 1, (with_tempo, with_chord)
