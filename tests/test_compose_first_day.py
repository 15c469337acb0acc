"""A musician's first day with `tunesmith compose` and `ts.compose` (session 39): what they
found wrong, each pinned here. docs/notes/2026-12-04-session-39/compose_trial/ has the trial."""

from __future__ import annotations

import dataclasses
import json

import pytest

import tunesmith as ts
from tunesmith.api import _ending_record, compose_request
from tunesmith.cli import main
from tunesmith.harmony import spell_chord_in_key

FAST = ["--no-audio", "--no-svg"]


def test_a_take_drawn_again_by_the_copy_guard_is_finished_and_recorded_as_itself(monkeypatch):
    """The copy guard's second draw had skipped the finishing the first takes get: in G-flat its
    IV was written "B" (not Cb), and its JSON's `resolved` (the ending drawn, ...) was the first
    draw's, describing a take nobody kept."""
    from tunesmith.rights import guard

    real = guard.check_piece
    seen = []

    def first_is_a_copy(piece, index, given=None):
        result = real(piece, index, given=given)
        seen.append(piece)
        return dataclasses.replace(result, verdict="copy", score=999.0) if len(seen) == 1 else result

    monkeypatch.setattr(guard, "check_piece", first_is_a_copy)
    take = ts.compose("jazz", key="Gb", bars=8, seed=1)
    assert take.provenance.get("resampled_from") == [1, 0]
    figures = [c.figure for c in take.piece.chords]
    assert figures == [spell_chord_in_key(f, take.piece.key) for f in figures]
    assert "B" not in figures  # IV of G-flat is C-flat
    resolved = take.provenance["resolved"]
    assert resolved.get("ending") == _ending_record(take.raw.meta).get("ending")
    assert resolved.get("pickup") == take.raw.meta.get("pickup")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"style": "pop", "chords": "C F G C", "chords_from": "harmonizer"},
         r"^--chords-from harmonizer: the chords are yours \(--chords\); leave out one of them$"),
        ({"style": "chorale", "chords_from": "harmonizer"},
         r"^--chords-from is for lead sheets \(folk, pop, jazz\); a chorale's harmony is its four voices$"),
        ({"style": "jazz", "chords": "C F G C", "chords_optional": True},
         r"^--chords-optional: every bar has one of your --chords; leave out one of them$"),
    ],
)  # fmt: skip
def test_an_option_that_would_be_ignored_is_refused_in_one_line(kwargs, message):
    """--chords-from and --chords-optional only steer the composer's own chords: given --chords
    (or a chorale, which writes none) they had been dropped without a word."""
    with pytest.raises(ValueError, match=message):
        compose_request(**kwargs)


def test_the_command_line_says_so_in_one_line(tmp_path, capsys):
    out = tmp_path / "x"
    assert main(["compose", "--style", "pop", "--chords", "C F G C", "--chords-from", "harmonizer", "--bars", "4",
                 "--out", str(out), *FAST]) == 2  # fmt: skip
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["tunesmith compose: error: --chords-from harmonizer: the chords are yours (--chords); "
                   "leave out one of them"]  # fmt: skip
    assert not out.with_suffix(".mid").exists()


@pytest.mark.parametrize(("style", "meter"), [("folk", "6/8"), ("folk", "9/8"), ("chorale", "4/4")])
def test_a_triplet_pickup_where_the_style_writes_no_triplets_is_refused(style, meter):
    """--pickup 1/3 in a jig had written a pickup of triplet sixteenths, tuplets in the first
    endings and a "12" tuplet over the last note: a folk tune in 6/8, 9/8 or 12/8 and a chorale
    move on the sixteenth grid (`sampling.tables`: no triplets)."""
    with pytest.raises(ValueError, match=r"^pickup 1/3 beats: a .* moves in sixteenths, no triplets; use a "
                                         r"multiple of 1/4 \(1/2: an eighth, 1: a quarter\)$"):  # fmt: skip
        compose_request(style, meter=meter, pickup=1 / 3)
    assert compose_request(style, meter=meter, pickup=0.5).pickup == 0.5


def test_a_triplet_pickup_is_kept_where_triplets_are_written():
    assert compose_request("jazz", pickup=1 / 3).pickup == pytest.approx(1 / 3)
    assert compose_request("folk", meter="4/4", pickup=2 / 3).pickup == pytest.approx(2 / 3)


def test_the_record_says_the_tempo_as_a_number(tmp_path):
    """ts.compose(tempo="120") composed at 120 but wrote "tempo_bpm": "120" (a string) in the take's
    request, where every other take has a number."""
    take = ts.compose("pop", tempo="120", bars=4, seed=1, check=False)
    assert take.provenance["request"]["tempo_bpm"] == 120.0
    take.write(tmp_path / "t", audio=False, svg=False)
    assert json.loads((tmp_path / "t.json").read_text())["request"]["tempo_bpm"] == 120.0


@pytest.mark.parametrize(
    ("key", "mode", "message"),
    [
        ("A#", None, "key A# major needs 10 sharps, more than a key signature holds; ask for Bb major, which sounds the same"),
        ("G#", "major", "key G# major needs 8 sharps, .* ask for Ab major, which sounds the same"),
        ("Db minor", None, "key Db minor needs 8 flats, .* ask for C# minor, which sounds the same"),
        ("Gb", "minor", "key Gb minor needs 9 flats, .* ask for F# minor, which sounds the same"),
        ("Fb", None, "key Fb major needs 8 flats, .* ask for E major, which sounds the same"),
    ],
)  # fmt: skip
def test_a_key_no_signature_holds_is_refused_naming_the_one_that_sounds_the_same(key, mode, message):
    """--key A# had composed under <fifths>10</fifths>: MuseScore drew seven sharps over notes
    and chord symbols written with double sharps (C##m, F##m)."""
    with pytest.raises(ValueError, match="^" + message + "$"):
        compose_request("pop", key=key, mode=mode)


@pytest.mark.parametrize(("key", "mode"), [("C#", None), ("Cb", None), ("D# minor", None), ("A#", "minor"),
                                           ("D#", "dorian"), ("G#", "minor")])  # fmt: skip
def test_keys_of_up_to_seven_sharps_or_flats_are_kept(key, mode):
    request = compose_request("pop", key=key, mode=mode)
    assert request.key == key.split()[0]


@pytest.mark.parametrize(("said", "key"), [("B flat", ("Bb", None)), ("E-flat", ("Eb", None)),
                                           ("F sharp minor", ("F#", "minor")), ("b flat minor", ("Bb", "minor"))])  # fmt: skip
def test_a_key_said_in_words_is_read(said, key):
    # "--key 'B flat'" had answered "unknown mode 'flat'"
    from tunesmith.cli._common import parse_key

    assert parse_key(said, None) == key


@pytest.mark.parametrize(("said", "mode", "key"), [("F#m", None, ("F#", "minor")), ("F#m", "dorian", ("F#", "dorian")),
                                                   ("Bbm", "minor", ("Bb", "minor"))])  # fmt: skip
def test_the_minor_shorthand_takes_a_mode_with_a_minor_third(said, mode, key):
    from tunesmith.cli._common import parse_key

    assert parse_key(said, mode) == key


@pytest.mark.parametrize(("key", "mode", "read"), [(None, "mix", (None, "mixolydian")), ("D", "dor", ("D", "dorian")),
                                                  ("A", "m", ("A", "minor")), ("G", "Mixo", ("G", "mixolydian")),
                                                  ("E", "minor", ("E", "minor")), ("Em", "aeo", ("E", "aeolian"))])  # fmt: skip
def test_a_mode_said_as_abc_says_it_is_read(key, mode, read):
    # "--mode mix" had answered "unknown mode 'mix'" where "--key Dmix" worked
    from tunesmith.cli._common import parse_key

    assert parse_key(key, mode) == read


@pytest.mark.parametrize(("said", "mode"), [("F#m", "major"), ("Bbm", "mixolydian"), ("Em", "lydian")])
def test_the_minor_shorthand_against_a_major_mode_is_refused(said, mode):
    # "--key F#m --mode major" had composed in F# major without a word
    from tunesmith.cli._common import parse_key

    with pytest.raises(ValueError, match=rf"^--key '{said}' contradicts --mode {mode}$"):
        parse_key(said, mode)


def test_a_range_that_holds_few_of_the_keys_notes_is_said():
    # --range C4:F4 in D leaves C#, D and E: kept (the musician's control), and said
    import tunesmith as ts

    take = ts.compose("folk", key="D", pitch_range="C4:F4", bars=4, seed=1, check=False)
    assert ("the range C4-F4 holds 3 notes of D major's scale (C#4 D4 E4): the melody moves among those alone "
            "(--range wider for more)") in take.provenance["notes"]  # fmt: skip
    assert {n.pitch for n in take.piece.melody().notes} <= {61, 62, 64}
    assert "notes" not in ts.compose("folk", key="D", bars=4, seed=1, check=False).provenance


def test_a_range_names_every_bound_out_of_midi(tmp_path, capsys):
    """`--range C-5:C12` had complained of C12 alone: C-5 was read as C-flat 5 (MIDI 71). A minus sign
    before the octave is the octave's, as tunesmith writes C-1 for MIDI 0; a flat is written b."""
    from tunesmith.cli._common import parse_pitch, parse_range

    assert [parse_pitch(x) for x in ("C-1", "C#-1", "Bb3", "C4", "G9", "60")] == [0, 1, 58, 60, 127, 60]
    assert parse_range("A0:C8") == (21, 108)
    assert main(["compose", "--style", "folk", "--range", "C-5:C12", "--out", str(tmp_path / "x"), *FAST]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["tunesmith compose: error: range 'C-5:C12': pitch 'C-5' is outside MIDI 0..127 (C-1 to G9; a "
                   "flat is written b, as in Bb3), and pitch 'C12' is outside MIDI 0..127 (C-1 to G9)"]  # fmt: skip
    with pytest.raises(ValueError, match=r"^range 'C4:C12': pitch 'C12' is outside MIDI 0\.\.127 \(C-1 to G9\)$"):
        parse_range("C4:C12")


@pytest.mark.parametrize("style, key", [("folk", "Em"), ("pop", "G"), ("jazz", "F")])
def test_chord_rhythm_bar_gives_one_chord_a_bar(style, key):
    """`--chord-rhythm bar`: one chord symbol a bar, the harmonizer's for the bar's melody (a
    teacher's folk take in E minor had two chords in four of its eight bars, and compose had no
    way to ask for fewer). The request records it."""
    takes = ts.compose(style=style, key=key, bars=8, seed=6, n=3, chord_rhythm="bar", check=False)
    for take in takes:
        piece = take.piece
        bars = piece.bars()
        ends = [*bars[1:], piece.duration()]
        per_bar = [sum(a - 1e-6 <= c.onset < b - 1e-6 for c in piece.chords) for a, b in zip(bars, ends)]
        assert max(per_bar) == 1, per_bar
        assert take.provenance["request"]["chord_rhythm"] == "bar"
    free = [ts.compose(style=style, key=key, bars=8, seed=s, check=False).piece for s in (6, 7, 8)]
    assert any(len(p.chords) > len(p.bars()) for p in free)  # the control: left alone, some bars have two


@pytest.mark.parametrize("kw, said", [
    ({"chords": "C G"}, r"--chord-rhythm: the chords are yours \(--chords\), in your rhythm"),
    ({"chords_from": "model"}, r"--chords-from model writes no harmonizer's chords"),
    ({"style": "chorale"}, r"--chord-rhythm is for lead sheets"),
    ({"chord_rhythm": "half"}, r"chord_rhythm must be one of bar, got 'half'"),
])  # fmt: skip
def test_chord_rhythm_refuses_what_it_cannot_do(kw, said):
    with pytest.raises(ValueError, match=said):
        ts.compose(**{"style": "pop", "bars": 4, "chord_rhythm": "bar", **kw})
