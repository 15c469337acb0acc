"""The model inside the package: loadable, small, documented, and trained only on shippable data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from script_loader import load_script  # noqa: E402
from tunesmith import pretrained  # noqa: E402
from tunesmith.licenses import may_ship  # noqa: E402
from tunesmith.metrics.constraints import pickup_bars  # noqa: E402
from tunesmith.sampling import ComposeRequest, generate  # noqa: E402


def test_default_model_ships_only_shippable_data():
    model, tokenizer, info = pretrained.load("default")
    prov = info["provenance"]
    assert prov["shippable_only"] is True and prov["all_licenses_may_ship"] is True
    assert prov["licenses"] and all(may_ship(lic) for lic in prov["licenses"])
    assert not {"research-only", "non-commercial", "unknown"} & set(prov["licenses"])
    assert set(prov["style_counts"]) == {"folk", "chorale", "jazz", "pop"}
    weights = pretrained.DEFAULT_MODEL_DIR / "model.safetensors"
    assert weights.stat().st_size < 20 * 1024 * 1024


def test_model_card_describes_these_weights():
    card = (pretrained.DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text()
    assert pretrained.file_sha256(pretrained.DEFAULT_MODEL_DIR / "model.safetensors") in card
    assert "music21" in card and "research use only" in card


def test_default_model_composes_every_style():
    model, tokenizer, _ = pretrained.load("default")
    for style in ("folk", "chorale", "jazz", "pop"):
        take = generate(model, tokenizer, ComposeRequest(style=style, bars=4, seed=3))[0]
        assert take.piece.n_bars - pickup_bars(take.piece) == 4 and take.piece.style == style


@pytest.mark.parametrize("style", ["chorale", "pop", "folk"])
def test_the_last_note_lasts_the_drawn_length(style):
    model, tok, _ = pretrained.load("default")
    request = ComposeRequest(style=style, key="D", bars=4, seed=11)
    takes = generate(model, tok, request, n=10)
    drawn = [t.meta["final_ticks"] for t in takes]
    assert len(set(drawn)) > 1  # drawn per take from the style's shares
    checked = 0
    for take in takes:
        least = take.meta["final_ticks"] / 12  # quarter notes
        last_bar = take.piece.bars()[-1]
        end = take.piece.end
        for track in take.piece.tracks:
            last = max(track.notes, key=lambda n: n.onset)
            assert last.onset + last.duration == pytest.approx(end)  # sounds to the end
            if any(n.onset < last_bar < n.onset + n.duration for n in track.notes):
                continue  # a note tied into the last bar leaves less room
            assert last.duration >= min(least, end - last_bar) - 1e-6, (style, track.name, least, last)
            checked += 1
    assert checked >= 8
    free = generate(model, tok, ComposeRequest(style=style, key="D", bars=4, seed=11, cadence="free"), n=2)
    assert all("final_ticks" not in t.meta for t in free)


def _ship_script():
    return load_script("scripts/ship_model.py")


def test_ship_script_refuses_research_only_training_data(tmp_path, capsys):
    from tunesmith.model import GPT, ModelConfig, save_model
    from tunesmith.tokenizer import Tokenizer

    tokenizer = Tokenizer()
    model = GPT(ModelConfig(vocab_size=tokenizer.vocab_size, n_layer=1, n_head=1, n_embd=8, block_size=32))
    prov = {"licenses": {"public-domain": 3, "research-only": 1}, "all_licenses_may_ship": False, "sources": {}}
    save_model(tmp_path / "run", model, tokenizer, {"provenance": prov, "train_config": {}})
    ship = _ship_script()
    dest = tmp_path / "pkg"
    assert ship.main([str(tmp_path / "run"), "--dest", str(dest)]) == 2
    assert "research-only" in capsys.readouterr().err and not dest.exists()
    prov = {"licenses": {"public-domain": 3}, "all_licenses_may_ship": True, "sources": {}}
    save_model(tmp_path / "ok", model, tokenizer, {"provenance": prov, "train_config": {}})
    assert ship.main([str(tmp_path / "ok"), "--dest", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == ["MODEL_CARD.md", "model.json", "model.safetensors"]


def test_ship_script_ships_what_was_fitted_beside_the_weights_only_from_shippable_data(tmp_path, capsys):
    """The sampling defaults, harmonizers and chord table a run folder has beside its weights
    (scripts/refit_decoding.py) ship with them, each only if fitted on data that may ship."""
    import json

    from tunesmith.model import GPT, ModelConfig, save_model
    from tunesmith.tokenizer import Tokenizer

    tokenizer = Tokenizer()
    model = GPT(ModelConfig(vocab_size=tokenizer.vocab_size, n_layer=1, n_head=1, n_embd=8, block_size=32))
    prov = {"licenses": {"public-domain": 3}, "all_licenses_may_ship": True, "sources": {}}
    run = tmp_path / "run"
    save_model(run, model, tokenizer, {"provenance": prov, "train_config": {}})
    (run / "decoding.json").write_text(json.dumps({"folk": {"temperature": 0.9}}))
    table = {"format": "tunesmith-chord-table", "provenance": {"licenses": {"GPL-3.0": 2, "research-only": 1}}}
    (run / "chord_table.json").write_text(json.dumps(table))
    ship = _ship_script()
    dest = tmp_path / "pkg"
    assert ship.main([str(run), "--dest", str(dest)]) == 2
    assert "chord_table.json: fitted on data that may not ship (research-only)" in capsys.readouterr().err
    assert not dest.exists()
    table["provenance"]["licenses"] = {"GPL-3.0": 2}
    (run / "chord_table.json").write_text(json.dumps(table))
    assert ship.main([str(run), "--dest", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == [
        "MODEL_CARD.md", "chord_table.json", "decoding.json", "model.json", "model.safetensors"]  # fmt: skip


def test_shipped_files_name_no_machine_paths():
    """The package's model files record where their data came from by name, never by a path on
    the machine that trained them (`/root/...`, `/home/...`)."""
    import re

    from safetensors import safe_open

    folder = pretrained.DEFAULT_MODEL_DIR
    texts = [f.read_text(encoding="utf-8") for f in folder.iterdir() if f.suffix in (".json", ".md")]
    with safe_open(str(folder / "model.safetensors"), "np") as handle:
        texts.extend((handle.metadata() or {}).values())
    machine_path = re.compile(r'["\s](/(?:root|home|Users|tmp|var|work)/|[A-Za-z]:\\\\)')
    for text in texts:
        assert not machine_path.search(text), machine_path.search(text).group(0)


def test_a_fast_folk_tune_is_not_written_in_triplet_time():
    """--tempo 144 had told the model the tempo of the Irish MIDI files, written in triplet time, and
    a fiddler's reel came back as a page of triplet brackets (51 % of its notes off the sixteenth
    grid, 18 of 20 takes); a jig in 6/8 had a 1/24 + 1/12 tuplet. Now both read as the ABC tunes do."""
    from tunesmith.api import compose

    def off_grid(takes):
        notes = [n for t in takes for n in t.piece.melody().notes]
        return sum(round(n.onset * 4, 6) % 1 != 0 or round(n.duration * 4, 6) % 1 != 0 for n in notes) / len(notes)

    # (30 takes: seed 21's 10 alone had come to 0.148-0.151 as the B strain's first chord changed)
    fast = [t for seed in (21, 22, 23) for t in compose(style="folk", meter="4/4", tempo=144, bars=16, seed=seed, n=10,
                                                        check=False)]  # fmt: skip
    assert off_grid(fast) < 0.15
    assert off_grid(compose(style="folk", meter="6/8", tempo=144, bars=8, seed=21, n=10, check=False)) == 0


def test_a_dance_runs_in_its_own_note_lengths():
    """--dance reel: no take a march or an air (a fiddler's seed-100 reels had 6 % to 29 % eighths;
    27 of 120 plain folk 4/4 takes ran under 40 %); --dance jig sets 6/8, waltz 3/4; the take's
    request records the dance."""
    from tunesmith.api import compose

    reels = compose(style="folk", dance="reel", bars=16, seed=100, n=20, check=False)
    for take in reels:
        notes = take.piece.melody().notes
        assert sum(abs(n.duration - 0.5) < 1e-6 for n in notes) / len(notes) >= 0.4
    assert reels[0].provenance["request"]["dance"] == "reel"
    assert str(compose(style="folk", dance="jig", bars=4, seed=1, check=False).piece.time_signature) == "6/8"
    assert str(compose(style="folk", dance="waltz", bars=4, seed=1, check=False).piece.time_signature) == "3/4"


def test_a_waltz_ties_no_note_from_off_the_downbeat_over_a_bar_line():
    """Waltz takes had tied a note struck on beat 3 over the bar line 12.4 times per 100 bars, the
    shippable training tunes in 3/4 never (a folk-song scholar: "not a dance waltz"); now none,
    and a note held over a bar line is struck on the downbeat, as theirs are
    (docs/notes/2026-12-06-session-54/waltz_ties.py)."""
    from tunesmith.api import compose
    from tunesmith.sampling import feedback

    def offbeat_ties() -> int:
        count = 0
        for take in compose(style="folk", dance="waltz", seed=40, n=12, check=False):
            starts = take.piece.bars()
            for n in take.piece.melody().notes:
                crosses = any(n.onset + 1e-6 < s < n.onset + n.duration - 1e-6 for s in starts)
                count += crosses and not any(abs(n.onset - s) < 1e-6 for s in starts)
        return count

    assert offbeat_ties() == 0
    saved = feedback.OFFBEAT_NOTES_END_AT_THE_BAR_LINE
    feedback.OFFBEAT_NOTES_END_AT_THE_BAR_LINE = frozenset()
    try:
        assert offbeat_ties() >= 5
    finally:
        feedback.OFFBEAT_NOTES_END_AT_THE_BAR_LINE = saved


@pytest.mark.parametrize("dance", ["reel", "jig", "polka"])
def test_a_dance_is_two_8_bar_strains_each_played_twice_unless_asked(dance):
    """A reel at the style's 16 bars had 4-bar strains, half a dance: by default a dance is 32
    bars, A A B B of 8 bars each (the repeat's last bar an ending); bars asked for win."""
    from tunesmith.api import compose

    take = compose(style="folk", dance=dance, seed=2, pickup=0, check=False)
    piece = take.piece
    on = [*piece.bars(), piece.duration()]

    def pitches(bar: int) -> list[int]:
        return [n.pitch for n in piece.melody().notes if on[bar] - 1e-6 <= n.onset < on[bar + 1] - 1e-6]

    assert len(piece.bars()) == 32 and take.provenance["request"]["bars"] == 32
    assert all(pitches(b) == pitches(b + 8) for b in (*range(7), *range(16, 23)))  # A A, B B
    assert pitches(0) != pitches(16)
    assert len(compose(style="folk", dance=dance, bars=8, seed=2, pickup=0, check=False).piece.bars()) == 8
    assert len(compose(style="folk", seed=2, pickup=0, check=False).piece.bars()) == 32  # a folk tune is too
    assert len(compose(style="pop", seed=2, pickup=0, check=False).piece.bars()) == 16


def test_a_polka_is_in_2_4_at_its_tunes_speed_and_runs_in_their_note_lengths():
    """--dance polka (a fiddler's 2/4 tune had been a "Folk tune" and polka refused): 2/4 at the
    Irish polkas' 120, titled a polka, its note lengths nearer its tunes' than a 2/4 folk take's."""
    import numpy as np

    from tunesmith.api import compose, load_model

    model = load_model("default")
    polka = compose(style="folk", dance="polka", bars=16, seed=3, n=12, model=model, check=False)
    plain = compose(style="folk", meter="2/4", bars=16, seed=3, n=12, model=model, check=False)
    assert str(polka[0].piece.time_signature) == "2/4" and polka[0].piece.tempo == 120.0
    assert polka[0].piece.title.startswith("Polka")
    profile = np.array(model.model.decoding["folk"]["dances"]["polka"]["rhythm_profile"])

    def distance(takes) -> float:
        from tunesmith.tokenizer import DUR_TICKS, TICKS_PER_BEAT

        ticks, counts = np.array(DUR_TICKS), np.zeros(len(DUR_TICKS))
        for t in takes:
            for n in t.piece.melody().notes:
                counts[int(np.argmin(np.abs(ticks - n.duration * TICKS_PER_BEAT)))] += 1
        return float(np.abs(counts / counts.sum() - profile).sum())

    assert distance(polka) < distance(plain)


def test_a_dance_has_its_own_speed_and_a_hornpipe_is_heard_swung(tmp_path):
    """A reel had come out at the style's 110 quarters a minute, half a session's speed: a dance's
    default tempo is its Irish MIDI files' median (reel 180; jig 160 quarters, marked as a metronome
    would: dotted quarter 107). A hornpipe is written straight and heard swung, as jazz is."""
    import json

    from tunesmith.api import compose

    reel = compose(style="folk", dance="reel", bars=4, seed=1, check=False)
    assert reel.piece.tempo == 180.0
    jig = compose(style="folk", dance="jig", bars=4, seed=1, check=False)
    assert jig.piece.tempo == pytest.approx(160.5)  # dotted quarter = 107, a metronome's number, not 106.67
    assert jig.provenance["request"]["tempo_bpm"] == pytest.approx(107.0)
    assert compose(style="folk", dance="reel", tempo=100, bars=4, seed=1, check=False).piece.tempo == 100.0
    assert compose(style="folk", dance="reel", meter="2/2", bars=4, seed=1, check=False).piece.tempo == 180.0
    assert compose(style="folk", dance="waltz", bars=4, seed=1, check=False).piece.tempo == 110.0  # no source's
    hornpipe = compose(style="folk", dance="hornpipe", bars=4, seed=1, check=False)
    # a take says what it is and how to make it again (all had been "tunesmith folk take 1")
    assert hornpipe.piece.title == "Hornpipe in D major (tunesmith, seed 1)"
    assert [t.piece.title for t in compose(style="chorale", key="G", mode="minor", bars=4, seed=3, n=2, check=False)] == [
        "Chorale in G minor (tunesmith, seed 3)", "Chorale in G minor (tunesmith, seed 3, take 2)"]
    hornpipe.write(tmp_path / "hp", svg=False)
    reel.write(tmp_path / "reel", svg=False)
    assert json.loads((tmp_path / "hp.json").read_text())["rendering"]["wav"]["swing"] == pytest.approx(2 / 3)
    assert json.loads((tmp_path / "reel.json").read_text())["rendering"]["wav"]["swing"] is None


def test_a_b_strain_does_not_open_as_the_a_strain_does():
    """Of 2,089 AABB folk tunes 3.4 % open their B strain with the first two pitches of their A
    strain; the shipped model's 16-bar takes did in 50 % (it copies the opening in context)."""
    import tunesmith as ts

    def opening(piece, bar: int) -> list[int]:
        bars = [*piece.bars(), piece.duration()]
        notes = sorted(piece.tracks[0].notes, key=lambda x: x.onset)
        return [x.pitch for x in notes if bars[bar] - 1e-6 <= x.onset < bars[bar + 1] - 1e-6][:2]

    same = 0
    for take in ts.compose("folk", bars=16, n=20, seed=5):
        first = 1 if take.piece.pickup_beats() else 0
        same += opening(take.piece, first) == opening(take.piece, first + 8)
    assert same <= 2, f"{same} of 20 B strains open as their A strain"


def test_a_second_a_strain_comes_home_before_the_b_strain():
    """AABB: the composer closes the second A as the take drew (mostly on the tonic, as the tunes'
    strains end: `STRAIN_END_SHARES`), and the harmonizer, writing the chords after it, keeps the
    composer's chords there (it had put Em A7 under a D-F# close: 8 of 40 takes went into their B
    strain unresolved)."""
    import tunesmith as ts
    from tunesmith.harmony import parse_chord

    closed = 0
    for take in ts.compose("folk", key="D", bars=32, n=20, seed=31):
        piece = take.piece
        bars = [*piece.bars(), piece.duration()]
        end_of_a = (1 if piece.pickup_beats() else 0) + 15
        last = [c for c in piece.chords if c.onset < bars[end_of_a + 1] - 1e-6][-1]
        kind = {b: k for b, k, _ in take.raw.meta["strain_ends"]}[end_of_a]  # (bars as the automaton counts them, a pickup first)
        said = take.provenance["resolved"]["ending"]["strain_ends"]  # the JSON's, in bars as played
        assert [e["bar"] for e in said] == [8, 16, 24] and said[1]["cadence"] == kind
        assert parse_chord(last.figure)[0] == (2 if kind == "closed" else 9), (take.seed, kind, last.figure)
        closed += kind == "closed"
    assert closed >= 12, closed


def test_a_returning_b_strain_is_its_first_note_for_note_after_a_tie():
    """The first B's first bar began under a note tied over from the A strain, its return's did
    not, so the copy broke (the helper's 5/4 AABB: the second B differed in three of four bars)."""
    import tunesmith as ts

    piece = ts.compose(style="folk", meter="5/4", bars=16, form="AABB", pickup=1, seed=16).piece
    bars = [*piece.bars(), piece.duration()]

    def bar(k: int) -> list:
        return [(x.pitch, round(x.onset - bars[k], 3), x.duration) for x in piece.tracks[0].notes
                if bars[k] - 1e-6 <= x.onset < bars[k + 1] - 1e-6]  # fmt: skip

    assert [bar(k) == bar(k + 4) for k in (9, 10, 11)] == [True, True, True]


def test_a_jazz_melody_keeps_off_the_note_against_a_secondary_dominants_altered_third():
    """Over a rhythm-changes bridge in B-flat (D7 G7 C7 F7) no note starting on a beat is a scale
    note a semitone from the chord's tone outside the key (G or F against D7's F-sharp, B-flat
    against G7's B): a jazz player had counted 27 such beats and none on the altered thirds."""
    import tunesmith as ts
    from tunesmith.harmony import parse_chord

    scale = {10, 0, 2, 3, 5, 7, 9}
    against = 0
    for take in ts.compose("jazz", key="Bb", chords="D7 D7 G7 G7 C7 C7 F7 F7", bars=8, n=4, seed=41, check=False):
        piece = take.piece
        for note in piece.tracks[0].notes:
            if abs(note.onset - round(note.onset)) > 1e-6:
                continue  # off the beat: a passing note may touch it
            chord = [c for c in piece.chords if c.onset <= note.onset + 1e-6][-1]
            root = parse_chord(chord.figure)[0]
            third = (root + 4) % 12
            pc = note.pitch % 12
            against += third not in scale and pc in scale and (pc - third) % 12 in (1, 11) and pc not in (root, (root + 7) % 12)
    assert against == 0


def test_a_reels_quarters_come_in_pairs_not_one_by_one(monkeypatch):
    """A composed reel had the tunes' share of quarters but set them one by one between eighths
    (quarter-eighth-quarter or eighth-quarter-eighth 13.7 per 100 beats, the held-out reels 8.2):
    the reel's note-length moves ("length_moves", scripts/fit_length_moves.py) keep its eighths
    in runs (5.3; docs/notes/2026-12-04-session-35/dance_moves_eval.py). Since a reel's bar seldom
    holds a second long note (`feedback.SECOND_LONG_NOTE_PENALTIES`) the quarters stand alone more
    often, near the reels (199 held-out reels 8.0, the takes under their keys 8.5:
    docs/notes/2026-12-07-session-65/reel_c2st.py). Since the reel learns its note lengths from its
    titled tunes alone (session 66: fewer quarters, 0.098 of its notes a beat or more against 0.150)
    the moves matter less: 64 takes alternate 9.9 times per 100 beats with them, 11.1 without (9.6
    and 11.2 before the reel's rare lengths were kept out, `RARE_LENGTH_PENALTIES`; a refit of the
    moves with that rule on gave 10.5, and was not kept). Since a reel's strain leads on after its
    closing note (`automaton.STRAIN_END_LEAD_IN`, session 68), an eighth there follows the closing
    eighth where a held quarter or a run of closing notes had: 10.3 with them, 11.1 without."""
    from tunesmith.api import compose, load_model
    from tunesmith.metrics.musicality import melody_line
    from tunesmith.sampling.feedback import length_class

    eighth, quarter = length_class(6), length_class(12)

    def alternations(takes) -> float:
        count = beats = 0.0
        for take in takes:
            line = melody_line(take.piece)
            c = [length_class(n.duration * 12) for n in line]
            count += sum((a, b, d) in ((quarter, eighth, quarter), (eighth, quarter, eighth)) for a, b, d in zip(c, c[1:], c[2:]))
            beats += line[-1].onset - line[0].onset
        return 100 * count / beats

    with_moves = alternations(compose(style="folk", dance="reel", bars=16, seed=300, n=64, check=False))
    monkeypatch.delitem(load_model("default").model.decoding["folk"]["dances"]["reel"], "length_moves")
    without = alternations(compose(style="folk", dance="reel", bars=16, seed=300, n=64, check=False))
    assert with_moves <= 10.5 and without >= with_moves + 0.6, (with_moves, without)


def test_a_jazz_melody_keeps_to_its_styles_register_whatever_it_starts_on(monkeypatch):
    """Each take had kept the register it happened to start in (a B-flat tune around B-flat 3):
    the SD over takes of a take's mean pitch was 4.0 semitones for jazz against the tunes' 1.8.
    The melody's register feedback ("voice_registers", scripts/fit_voice_registers.py --voices 1)
    draws it back (2.3 at the fitted gain; docs/notes/2026-12-04-session-36/registers.py; 2.55 since
    the melody keeps to a drawn span, session 48, which a take far from its register leaves less
    room to move back in)."""
    import numpy as np

    from tunesmith.api import compose, load_model

    def spread(takes) -> float:
        return float(np.std([np.mean([n.pitch for n in t.piece.melody().notes]) for t in takes]))

    def takes() -> list:
        return [t for key in ("Bb", "E", "A", "F") for t in compose(style="jazz", key=key, bars=16, seed=500, n=12, check=False)]

    drawn = spread(takes())
    monkeypatch.delitem(load_model("default").model.decoding["jazz"], "voice_register_gain")
    free = spread(takes())
    assert drawn <= 2.7 and free >= drawn + 0.5, (drawn, free)


def test_a_chorale_over_given_chords_sounds_them_on_every_beat():
    """`--chords` is a hard control: in four parts every note sounding on a beat, struck there or
    held into it, is a tone of that bar's chord (passing notes move between beats), and the bass
    stands on a chord's fifth (a 6/4) on few downbeats (where the voices above leave it the root
    or the third). The symbols had been written above voices
    singing their own harmony: 6 of 14 notes of a bar marked C; then C held through F/A."""
    import tunesmith as ts
    from tunesmith.harmony import chord_pitch_classes, parse_chord

    fifths = downbeats = 0
    for key, mode, chords in (("C", "major", "C F G C"), ("G", "minor", "Gm Cm D7 Gm"), ("A", "major", "A D E7 A F#m Bm E A")):
        for take in ts.compose("chorale", key=key, mode=mode, chords=chords, bars=len(chords.split()), n=8, seed=5, check=False):
            piece = take.piece
            beat, sounded = piece.chords[0].onset, 0  # from the first chord on (a pickup has none)
            while beat < piece.duration() - 1e-6:
                chord = [c for c in piece.chords if c.onset <= beat + 1e-6][-1]
                for track in piece.tracks:
                    for note in track.notes:
                        if note.onset - 1e-6 <= beat < note.onset + note.duration - 1e-6:
                            assert note.pitch % 12 in chord_pitch_classes(chord.figure), (key, chords, beat, note)
                            sounded += 1
                            if track is piece.tracks[-1] and abs(beat - chord.onset) < 1e-6:
                                root, quality, _ = parse_chord(chord.figure)
                                fifths += (note.pitch - root) % 12 == 7
                                downbeats += 1
                beat += 1.0
            assert sounded >= 4 * 4 * len(chords.split()) - 8  # four voices on (nearly) every beat
    assert fifths <= 0.17 * downbeats, (fifths, downbeats)  # 17 of 128; 31 with the bass free among the chord's tones


def test_a_chorale_puts_a_slash_chords_named_bass_under_it():
    """`--chords "C G/B ..."` names the bass: in four parts the bass sounds it on the chord's
    downbeat (the voices above leave it to the bass there). The soprano had held B over G/B
    (the bass could not double the leading tone): the named bass sounded on 62 of 140 downbeats."""
    import tunesmith as ts
    from tunesmith.harmony import parse_chord

    named = slashes = 0
    for key, mode, chords in (("C", "major", "C G/B Am F/A G C/E F G"), ("A", "minor", "Am E/G# Am Dm/F E Am")):
        for take in ts.compose("chorale", key=key, mode=mode, chords=chords, bars=len(chords.split()), n=5, seed=1, check=False):
            piece = take.piece
            for chord in piece.chords:
                bass = parse_chord(chord.figure)[2]
                if bass is None:
                    continue
                at = [next((n for n in t.notes if n.onset - 1e-6 <= chord.onset < n.onset + n.duration - 1e-6), None) for t in piece.tracks]
                slashes += 1
                named += at[-1] is not None and at[-1].pitch % 12 == bass % 12
    assert slashes == 25 and named == slashes, (named, slashes)
