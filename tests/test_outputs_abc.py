"""The ABC writer: what `write_abc` writes, `read_abc` reads back note for note (the round trip),
abc2midi plays the same notes, and a take's ABC carries its provenance."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tunesmith.inputs.abc import read_abc
from tunesmith.outputs.abc import abc_text, key_field, signature_alterations, write_abc
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

G_MAJOR = (KeySignature(0.0, "G", "major"),)


def _piece(notes, *, meter=(4, 4), keys=G_MAJOR, chords=(), tracks=None, bar_onsets=()):
    tracks = tracks or [Track("Melody", "melody", 0, notes=list(notes))]
    return Piece(piece_id="fixture", work_id="fixture", title="Fixture", style="folk", tracks=tracks,
                 chords=list(chords), keys=list(keys), time_signatures=[TimeSignature(0.0, *meter)],
                 tempos=[Tempo(0.0, 120.0)], bar_onsets=list(bar_onsets))  # fmt: skip


def _hornpipe() -> Piece:
    """G major 4/4 with a quarter pickup: a triplet of eighths, a sixteenth-third and eighth-third
    pair (the hornpipe's), sixteenths, F natural then F sharp in one bar, a note tied over the bar
    line, a chord changing under a held note, a rest, low and high octaves."""
    n = Note
    notes = [n(67, 0.0, 0.5), n(71, 0.5, 0.5),  # pickup
             n(74, 1.0, 1 / 3), n(72, 1 + 1 / 3, 1 / 3), n(71, 1 + 2 / 3, 1 / 3),  # eighth triplet
             n(69, 2.0, 1 / 6), n(67, 2 + 1 / 6, 1 / 3),  # sixteenth-third + eighth-third
             n(65, 2.5, 0.5), n(66, 3.0, 0.25), n(65, 3.25, 0.25), n(66, 3.5, 0.5),  # F natural, F#, F natural, F#
             n(43, 4.0, 1.0), n(62, 5.0, 1.5), n(91, 7.0, 3.0),  # G2; D4 after a rest; G6 held over the bar line
             n(62, 10.0, 1.0), n(74, 11.0, 2.0)]  # fmt: skip
    return _piece(notes, chords=[ChordSymbol(1.0, "G"), ChordSymbol(2.0, "D7"), ChordSymbol(8.0, "Em")],
                  bar_onsets=[0.0, 1.0, 5.0, 9.0])  # fmt: skip


def _modal_jig() -> Piece:
    """E dorian 6/8 (D major's signature: C sharp, F sharp) with a key change to A mixolydian."""
    notes = [Note(64 + (i % 5), 1.5 * i, 1.5) for i in range(8)] + [Note(69, 12.0, 3.0)]
    return _piece(notes, meter=(6, 8), keys=(KeySignature(0.0, "E", "dorian"), KeySignature(6.0, "A", "mixolydian")),
                  chords=[ChordSymbol(0.0, "Em"), ChordSymbol(6.0, "A")])  # fmt: skip


def _four_voices() -> Piece:
    voices = [("Soprano", 72), ("Alto", 67), ("Tenor", 64), ("Bass", 48)]
    tracks = [Track(name, name.lower(), 52,
                    notes=[Note(p + step, float(i), 1.0) for i, step in enumerate((0, 2, -1, 0))]) for name, p in voices]  # fmt: skip
    piece = _piece([], keys=(KeySignature(0.0, "Eb", "minor"),), tracks=tracks)
    piece.fermatas = [3.0]  # over the last chord, every part's note
    return piece


def _slip_jig() -> Piece:
    return _piece([Note(62 + (i * 3) % 7, 0.5 * i, 0.5) for i in range(18)], meter=(9, 8), keys=(KeySignature(0.0, "D", "major"),))


def _strain_twice() -> Piece:
    """A 4-bar strain in D sounded twice, its last bar another way the second time, then a bar."""
    strain = [62, 66, 69, 74, 76, 74, 69, 66, 67, 71, 74, 71, 69, 66, 64, 62]  # quarters, 4 bars
    notes = [Note(p, float(i), 1.0) for i, p in enumerate(strain)]
    notes += [Note(p, 16.0 + i, 1.0) for i, p in enumerate(strain[:12] + [69, 73, 76, 69])]
    notes += [Note(74, 32.0, 4.0)]
    return _piece(notes, keys=(KeySignature(0.0, "D", "major"),),
                  chords=[ChordSymbol(0.0, "D"), ChordSymbol(8.0, "G"), ChordSymbol(16.0, "D"), ChordSymbol(24.0, "G")])  # fmt: skip


def _dotted_hornpipe() -> Piece:
    """G major 4/4 in dotted pairs: dotted eighth and sixteenth, the other way round under a chord
    change, in sixteenths, and a dotted quarter and eighth (written plainly)."""
    n = Note
    notes = [n(74, 0.0, 0.75), n(72, 0.75, 0.25), n(71, 1.0, 0.25), n(69, 1.25, 0.75),  # d>c, B/ "D"A3/2
             n(67, 2.0, 0.375), n(66, 2.375, 0.125), n(64, 2.5, 0.5), n(62, 3.0, 1.5), n(64, 4.5, 0.5),  # G/>F/
             n(66, 5.0, 0.25), n(67, 5.25, 0.75), n(69, 6.0, 2.0)]  # F<G
    return _piece(notes, chords=[ChordSymbol(0.0, "G"), ChordSymbol(1.25, "D")])


def _ornamented_reel() -> Piece:
    """G major 4/4 as a fiddler ornaments it: a roll on a dotted quarter, a trill, a turn, an upper
    mordent on a sharpened note, a lower mordent, a roll on the first and on the second note of a
    dotted pair, and a roll on a note tied over the bar line."""
    n = Note
    notes = [n(64, 0.0, 1.5, ornament="roll"), n(66, 1.5, 0.5), n(71, 2.0, 1.0, ornament="trill"),
             n(69, 3.0, 1.0, ornament="turn"),  # ~E3 F TB2 !turn!A2
             n(73, 4.0, 1.0, ornament="inverted-mordent"), n(74, 5.0, 1.0, ornament="mordent"),  # P^c2 !mordent!d2
             n(74, 6.0, 0.75, ornament="roll"), n(72, 6.75, 0.25), n(71, 7.0, 0.75), n(69, 7.75, 0.25, ornament="roll"),
             n(67, 8.0, 1.0), n(71, 9.0, 1.0), n(74, 10.0, 4.0, ornament="roll"), n(67, 14.0, 2.0)]  # fmt: skip
    return _piece(notes, chords=[ChordSymbol(0.0, "Em"), ChordSymbol(2.0, "G")])


FIXTURES = {"hornpipe": _hornpipe, "dotted_hornpipe": _dotted_hornpipe, "modal_jig": _modal_jig, "four_voices": _four_voices, "slip_jig": _slip_jig,
            "strain_twice": _strain_twice, "ornamented_reel": _ornamented_reel}  # fmt: skip


def _notes(track):
    return [(n.pitch, round(n.onset, 4), round(n.duration, 4), n.ornament)
            for n in sorted(track.notes, key=lambda n: (n.onset, n.pitch))]  # fmt: skip


@pytest.mark.parametrize("repeats", [False, True], ids=["as_played", "repeat_signs"])
@pytest.mark.parametrize("name", FIXTURES)
def test_round_trip(name, repeats, tmp_path):
    piece = FIXTURES[name]()
    back = read_abc(write_abc(piece, tmp_path / f"{name}.abc", repeats=repeats), on_error="raise")[0]
    assert [_notes(t) for t in back.tracks] == [_notes(t) for t in piece.tracks]
    assert [(round(c.onset, 4), c.figure) for c in back.chords] == [(c.onset, c.figure) for c in piece.chords]
    assert [(k.onset, k.tonic, k.mode) for k in back.keys] == [(k.onset, k.tonic, k.mode) for k in piece.keys]
    assert str(back.time_signature) == str(piece.time_signature)
    assert back.pickup_beats() == piece.pickup_beats()
    assert back.fermatas == piece.fermatas


def test_what_a_fiddler_reads():
    text = abc_text(_hornpipe())
    assert "K:G\n" in text and "M:4/4\n" in text and "L:1/8\n" in text and "Q:1/4=120\n" in text
    assert '"G"(3dcB' in text  # the triplet, three in the time of two, its chord before it
    assert '"D7"(3:2:2A/G' in text  # the hornpipe's sixteenth-third and eighth-third, "/" for a half
    assert "^F/=F/^F" in text  # sixteenths beamed
    assert "=F" in text and "^F" in text  # the natural against the signature, then the sharp again
    assert "g'2- | g'2" in text  # G6 tied over the bar line
    assert "D3 z g'2-" in text  # the rest before it
    assert '"Em"' in text  # the chord that changes under the held note
    dotted = abc_text(_dotted_hornpipe())  # dotted pairs as broken rhythms, as tune books write them
    assert '"G"d>cB/"D"A3/2 G/>F/E D2- | DEF<G A4' in dotted  # not across a chord symbol, nor a dotted quarter
    assert "Q:3/8=80" in abc_text(_modal_jig())  # a jig's tempo in dotted quarters
    assert "[K:Amix]" in abc_text(_modal_jig())
    assert text.count("|") >= 3 and text.rstrip().endswith("|]")
    voices = abc_text(_four_voices())  # a part below middle C in the bass clef
    assert 'V:4 name="Bass" clef=bass' in voices and 'V:1 name="Soprano"\n' in voices
    assert voices.count("H") == 4  # the fermata over each part's last note
    folded = abc_text(_strain_twice(), repeats=True)  # the strain once, its endings under 1. and 2.
    assert folded.count("|:") == 1 and folded.count("|1") == 1 and folded.count(":|2") == 1
    assert folded.count("|") < abc_text(_strain_twice()).count("|")


SESSION_TUNE = """X:1
T:Rolls
M:4/4
L:1/8
K:D
~E3 F TB2 !turn!A2 | P=c2 !roll!d2 Md2 Hf2 | "G"g2 {a}~g2 ~[DF]2 !uppermordent!E2 | !trill!F2 !mordent!E2 D4 |]
"""


def test_a_fiddlers_ornaments_are_read_written_and_read_again(tmp_path):
    """The shorthands (`~` roll, `T` trill, `P` upper mordent, `M` lower mordent) and the long forms
    are read onto the notes they stand before (a chord's onto its first note; a grace note's roll
    onto the note after the grace); a fermata (`H`) is still a fermata; the ABC written from it
    carries the same decorations, each before its accidental, and reads back the same."""
    (tmp_path / "rolls.abc").write_text(SESSION_TUNE)
    piece = read_abc(tmp_path / "rolls.abc", on_error="raise")[0]
    notes = sorted(piece.melody().notes, key=lambda n: (n.onset, n.pitch))
    assert [(n.onset, n.pitch, n.ornament) for n in notes if n.ornament] == [
        (0.0, 64, "roll"), (2.0, 71, "trill"), (3.0, 69, "turn"), (4.0, 72, "inverted-mordent"), (5.0, 74, "roll"),
        (6.0, 74, "mordent"), (9.0, 79, "roll"), (10.0, 62, "roll"), (11.0, 64, "inverted-mordent"),
        (12.0, 66, "trill"), (13.0, 64, "mordent")]  # fmt: skip
    assert len(notes) == 16 and piece.fermatas == [7.0]
    text = abc_text(piece)
    assert "~E3 F TB2 !turn!A2 | P=c2 ~d2 !mordent!d2 Hf2 |" in text
    assert '~g2 ~[DF]2 PE2 | TF2 !mordent!E2 D4 |]' in text
    back = read_abc(write_abc(piece, tmp_path / "again.abc"), on_error="raise")[0]
    assert _notes(back.melody()) == _notes(piece.melody())
    # a tied note's ornament once, on its first piece; a dotted pair keeps its broken rhythm with
    # the first note ornamented, and is written plainly with the second one ornamented
    reel = abc_text(_ornamented_reel())
    assert "P^c2 !mordent!d2 ~d>=cB3/2~A/ | G2 B2 ~d4- | d4 G4" in reel
    assert Note(64, 0.0, 1.0, ornament="roll") == Note(64, 0.0, 1.0)  # not part of a note's identity


def test_continue_keeps_the_fiddlers_rolls_on_the_given_bars(tmp_path):
    """The given music exactly as it is, its ornaments with it; the new bars' notes have none."""
    import tunesmith as ts

    (tmp_path / "rolls.abc").write_text("X:1\nT:Rolls\nM:4/4\nL:1/8\nK:D\n~E3 F A2 d2 | TB2 A2 F2 E2 | D2 F2 A2 ~d2 | B2 A2 F4 |]\n")
    take = ts.continue_(tmp_path / "rolls.abc", bars=2, seed=1)
    melody = take.piece.melody()
    ornamented = sorted((n.onset, n.pitch, n.ornament) for n in melody.notes if n.ornament)
    assert ornamented == [(0.0, 64, "roll"), (4.0, 71, "trill"), (11.0, 74, "roll")]
    assert any(n.onset >= 16.0 for n in melody.notes)  # the new bars
    text = take.abc()
    assert text.count("~") == 2 and "~E3" in text and "TB2" in text


def test_a_chromatic_note_is_spelled_by_where_it_goes_and_a_reel_beams_in_fours():
    """D#5 rising to E5 in G major is written ^d, not _e (a fiddler's report: the slip jig's
    `ce_e =e2e`); a reel's eighths are beamed four at a time; the dance is named in R:."""
    n = Note
    piece = _piece([n(72, 0.0, 0.5), n(76, 0.5, 0.5), n(75, 1.0, 0.5), n(76, 1.5, 0.5), n(74, 2.0, 0.5), n(71, 2.5, 0.5),
                    n(67, 3.0, 1.0)])  # fmt: skip
    piece.meta["request"] = {"dance": "reel"}
    text = abc_text(piece)
    assert "ce^de =dB G2" in text and "_e" not in text  # the D after it natural again, in the bar
    assert "\nR:reel\n" in text


def test_key_fields_name_the_mode_and_its_signature():
    assert key_field(KeySignature(0.0, "Bb", "dorian")) == "Bbdor" and key_field(KeySignature(0.0, "F#", "minor")) == "F#m"
    assert signature_alterations(KeySignature(0.0, "E", "dorian")) == {"F": 1, "C": 1}
    assert signature_alterations(KeySignature(0.0, "D", "mixolydian")) == {"F": 1}
    assert signature_alterations(KeySignature(0.0, "C", "minor")) == {"B": -1, "E": -1, "A": -1}


@pytest.mark.skipif(shutil.which("abc2midi") is None, reason="abc2midi (Debian's abcmidi) is not installed")
@pytest.mark.parametrize("name", ["hornpipe", "dotted_hornpipe", "modal_jig", "slip_jig", "strain_twice", "ornamented_reel"])
def test_abc2midi_plays_the_same_notes(name, tmp_path):
    """abcmidi, the reference ABC player, reads the file as tunesmith wrote it (repeats played);
    it plays a roll or a trill as the notes around its own (a roll on E: E F E D E), each heard
    here as the note it ornaments, and every note after it still in its place."""
    from tunesmith.inputs.midi import read_midi

    piece = FIXTURES[name]()
    abc = tmp_path / "t.abc"  # played without abc2midi's own accompaniment of the chord symbols
    abc.write_text(abc_text(piece, repeats=True).replace("X:1\n", "X:1\n%%MIDI gchordoff\n", 1))
    done = subprocess.run(["abc2midi", str(abc), "-o", str(tmp_path / "t.mid")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
    played = read_midi(tmp_path / "t.mid")[0]
    played_out = [(n.onset, n.onset + n.duration, n.pitch) for t in piece.tracks for n in t.notes
                  if n.ornament in ("roll", "trill")]  # fmt: skip
    heard = []
    for onset, pitch in sorted((n.onset, n.pitch) for t in played.tracks for n in t.notes):
        span = next((s for s in played_out if s[0] - 0.02 <= onset < s[1] - 0.02), None)
        if span is None:
            heard.append((onset, pitch))
            continue
        assert abs(pitch - span[2]) <= 2, (onset, pitch, span)  # a neighbour of the ornamented note
        if (span[0], span[2]) not in heard:
            heard.append((span[0], span[2]))
    heard.sort()
    wrote = sorted((n.onset, n.pitch) for t in piece.tracks for n in t.notes)
    assert [p for _, p in heard] == [p for _, p in wrote]
    assert all(abs(a - b) < 0.02 for (a, _), (b, _) in zip(heard, wrote))  # its ticks round a triplet's onsets


def test_a_take_writes_its_abc_with_its_provenance(tiny_model_folder, tmp_path):
    import tunesmith as ts
    from tunesmith.rights.provenance import read_provenance

    take = ts.compose(style="folk", bars=4, seed=2, model=str(tiny_model_folder), check=False)
    files = ts.write_takes([take], tmp_path / "t", audio=False, svg=False)[0]
    abc = files["abc"]
    text = abc.read_text()
    assert text.startswith("X:1\n") and "\nN:Generated by tunesmith" in text and "% tunesmith-provenance: {" in text
    told = read_provenance(abc)
    assert told["kind"] == "abc" and told["made_by_tunesmith"] and told["ai_generated"] is True
    assert told["fields"]["seed"] == 2 and told["fields"]["model"]
    back = read_abc(abc, on_error="raise")[0]
    assert _notes(back.tracks[0]) == _notes(take.piece.melody())


def test_a_take_writes_one_abc_file_by_its_extension(tiny_model_folder, tmp_path):
    import tunesmith as ts

    take = ts.compose(style="folk", bars=4, seed=4, model=str(tiny_model_folder), check=False)
    files = take.write(tmp_path / "jig.abc")
    assert files == {"abc": tmp_path / "jig.abc"} and sorted(p.name for p in tmp_path.iterdir()) == ["jig.abc"]
    assert "% tunesmith-provenance: {" in files["abc"].read_text()
    assert take.abc().startswith("X:1\n") and "provenance" not in take.abc()
    with pytest.raises(FileExistsError):
        take.write(tmp_path / "jig.abc")


def test_accidentals_read_the_same_by_letter_or_by_letter_and_octave(tmp_path):
    """F#4 then F#5 in C major: a reader that carries ^F through the bar by letter reads a plain f
    as F#5, one that carries it by octave as F5; the F#5 is written ^f so that both read it."""
    notes = [Note(66, 0.0, 1.0), Note(78, 1.0, 1.0), Note(79, 2.0, 1.0), Note(65, 3.0, 1.0)]
    piece = _piece(notes, keys=(KeySignature(0.0, "C", "major"),))
    assert abc_text(piece).splitlines()[-1] == "^F2 ^f2 g2 =F2 |]"
    back = read_abc(write_abc(piece, tmp_path / "t.abc"), on_error="raise")[0]
    assert _notes(back.tracks[0]) == _notes(piece.tracks[0])


def test_compose_keeps_an_abc_file_that_is_there_without_force(tmp_path, capsys):
    """STEM.abc is one of the take's files: compose --out STEM refuses to replace it unless --force,
    and --out STEM.abc names the same bundle, as --out STEM.mid does."""
    from tunesmith.cli import main

    (tmp_path / "t.abc").write_text("X:1\nT:mine\nK:D\nDEFG|\n")
    assert main(["compose", "--style", "folk", "--bars", "2", "--out", str(tmp_path / "t"), "--no-audio", "--no-svg"]) == 2
    assert "t.abc" in capsys.readouterr().err and (tmp_path / "t.abc").read_text().startswith("X:1\nT:mine")
    assert main(["compose", "--style", "folk", "--bars", "2", "--out", str(tmp_path / "t.abc"), "--no-audio", "--no-svg",
                 "--force", "--seed", "1"]) == 0  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.abc", "t.json", "t.mid", "t.musicxml"]


def test_a_title_with_a_line_break_stays_one_field():
    piece = _slip_jig()
    piece.title = "Two\nK:C"
    text = abc_text(piece, notes=["made\nX:2"])
    assert "T:Two K:C\n" in text and "N:made X:2\n" in text and text.count("\nK:") == 1


def test_a_continued_tunes_abc_writes_its_repeated_strain_once_and_its_score_as_played(tmp_path):
    """A co-created take's score stays written out as played, so that bar numbers name the same
    bars in every file (inpaint's --bars), but a tune book writes a strain sounded twice once: its
    ABC folds the given A strain between repeat signs, says which bars in the take's record, and
    reads back as played, note for note. Its R: is the input's (session 62 had dropped it)."""
    import json

    import tunesmith as ts
    from tunesmith.inputs.abc import read_abc as read

    strain = "D2 FA d2 fd | e2 ce A2 GF | D2 FA d2 fd | edcB A4 :|"
    (tmp_path / "a.abc").write_text(f"X:1\nT:A strain\nR:reel\nM:4/4\nL:1/8\nK:D\n|: {strain}\n")
    take = ts.continue_(tmp_path / "a.abc", bars=4, seed=3)
    text = take.abc()
    assert text.count("|:") == 1 and text.count(":|") == 1  # the A strain once; the new bars after it
    assert "\nR:reel\n" in text  # the input's dance, kept
    paths = take.write(tmp_path / "take")
    back = read(paths["abc"], on_error="raise")[0]
    assert _notes(back.melody()) == _notes(take.piece.melody())  # as played, read back
    record = json.loads(paths["json"].read_text())
    assert record["rendering"]["abc"] == {"repeats": [{"bars": [1, 4], "endings": 0}]}
    assert "<repeat" not in paths["musicxml"].read_text()  # the score: as played
