"""Sampling: every hard constraint holds in every take of an UNTRAINED model (masking, not luck)."""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest
import torch

from tunesmith.model import GPT, ModelConfig
from tunesmith.sampling import SATB_RANGES, ComposeRequest, generate, infill
from tunesmith.sampling.request import header_mode
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track, pitch_class_of
from tunesmith.tokenizer import METERS, Tokenizer, meter_ticks, scale_pitch_classes, split_figure

FIGURES = ["C", "Am7", "Dm7", "G7", "Fmaj7", "Bb7", "E7b9", "F#m7b5", "Ebmaj7", "Abdim7", "Dsus4", "C/E", "Gm6",
           "A9", "Eadd9", "Baug", "Csus2", "Db6", "Cmin7", "Gmaj"]  # fmt: skip
STYLES = ["folk", "chorale", "pop", "jazz"]
KEYS = ["C", "G", "D", "A", "E", "B", "F#", "F", "Bb", "Eb", "Ab", "Db"]


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


@pytest.fixture(scope="module")
def model(tok) -> GPT:
    torch.manual_seed(1)
    return GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=512, n_layer=2, n_head=2, n_embd=32)).eval()


def random_request(rng: random.Random) -> ComposeRequest:
    style = rng.choice(STYLES)
    chorale = style == "chorale"
    lo = rng.randint(36, 45) if chorale else rng.randint(48, 72)
    hi = rng.randint(79, 90) if chorale else lo + rng.randint(5, 24)
    return ComposeRequest(
        style=style,
        key=rng.choice(KEYS),
        mode=rng.choice(["major", "minor", "dorian", "mixolydian"]),
        meter=rng.choice(METERS),
        bars=rng.randint(1, 24),
        tempo=rng.uniform(40, 220),
        pitch_range=(lo, hi),
        chords=rng.sample(FIGURES, rng.randint(1, 5)) if rng.random() < 0.7 else None,
        in_scale=rng.random() < 0.5,
        temperature=rng.choice([0.7, 1.0, 1.5]),
        top_p=rng.choice([0.8, 0.95, 1.0]),
        seed=rng.randint(0, 10_000),
    )


def check_take(take, request: ComposeRequest, tok: Tokenizer) -> None:
    piece = take.piece
    L = meter_ticks(request.meter) / 12
    n = request.bars
    # meter, bars, tempo, key
    assert str(piece.time_signature) == request.meter and len(piece.time_signatures) == 1
    assert piece.bars() == [i * L for i in range(n)]
    assert piece.n_bars == n
    assert piece.duration() == pytest.approx(n * L)
    assert piece.tempos[0].qpm == request.tempo and len(piece.tempos) == 1
    assert (piece.key.tonic, piece.key.mode) == (request.key, request.mode)
    assert piece.style == request.style
    # voices, ranges, scale, times
    ranges = request.voice_ranges()
    roles = {"M": "melody", "S": "soprano", "A": "alto", "T": "tenor", "B": "bass"}
    assert [t.role for t in piece.tracks] == [roles[v] for v in request.voices]
    scale = scale_pitch_classes(pitch_class_of(request.key), request.mode)
    for v, track in zip(request.voices, piece.tracks):
        lo, hi = ranges[v]
        prev_end = 0.0
        for note in track.notes:
            assert lo <= note.pitch <= hi, (v, note)
            if request.in_scale:
                assert note.pitch % 12 in scale, (v, note)
            assert 0 <= note.onset < n * L and note.duration > 0
            assert note.onset + note.duration <= n * L + 1e-9
            assert note.onset >= prev_end - 1e-9, "voices are monophonic"
            prev_end = note.onset + note.duration
            bar = int(note.onset // L)
            assert 0 <= note.onset - bar * L < L
    first = piece.tracks[0]
    assert any(nt.onset + nt.duration > (n - 1) * L + 1e-9 for nt in first.notes), "the last bar sounds"
    # chords: exactly the given figure on every downbeat
    if request.chords:
        assert [(c.onset, c.figure) for c in piece.chords] == [
            (i * L, request.chords[i % len(request.chords)]) for i in range(n)
        ]
    else:
        for c in piece.chords:
            split_figure(c.figure)
            assert 0 <= c.onset < n * L
    # the stream is grammatical: it re-encodes to itself, the header as the model was told it (a
    # church mode's family, `header_mode`; the nearest tempo the style was learned at, `header_tempo`)
    told = copy.copy(piece)
    told.keys = [KeySignature(0.0, piece.key.tonic, header_mode(piece.key.mode))]
    told.tempos = [Tempo(0.0, take.meta.get("header_tempo", request.tempo))]
    assert tok.encode(told) == take.tokens
    assert len(take.logprobs) == len(take.tokens) == len(take.forced)
    assert np.all(take.logprobs <= 1e-6) and np.all(np.isfinite(take.logprobs))
    assert np.all(take.logprobs[take.forced] == 0.0)


def test_constraints_hold_for_random_requests(model, tok):
    rng = random.Random(1234)
    for _ in range(36):
        request = random_request(rng)
        for take in generate(model, tok, request, n=2, batch_size=2):
            check_take(take, request, tok)


def test_batched_and_single_generation_both_satisfy_constraints(model, tok):
    request = ComposeRequest(style="jazz", key="Eb", bars=12, chords=["Fm7", "Bb7", "Ebmaj7"], in_scale=True, seed=7)
    for take in generate(model, tok, request, n=5, batch_size=3) + generate(model, tok, request, n=1):
        check_take(take, request, tok)


def test_chorale_voices_stay_in_their_ranges(model, tok):
    request = ComposeRequest(style="chorale", key="A", mode="minor", meter="4/4", bars=8, in_scale=True, seed=3)
    takes = generate(model, tok, request, n=3)
    for take in takes:
        check_take(take, request, tok)
        for track, (v, (lo, hi)) in zip(take.piece.tracks, SATB_RANGES.items()):
            assert all(lo <= nt.pitch <= hi for nt in track.notes), v


def test_chorale_voices_never_cross(model, tok):
    """Random weights cross voices constantly; the automaton must not let them."""
    from tunesmith.metrics.harmony_rules import harmony_rule_rates

    request = ComposeRequest(style="chorale", key="D", bars=6, seed=11)
    for take in generate(model, tok, request, n=3) + generate(model, tok, request, n=2, batch_size=2):
        rates = harmony_rule_rates(take.piece)
        assert rates["voice_crossings"] == 0, rates
        assert rates["range_violations"] == 0, rates


class _EndHappyDecoder:
    """A stand-in decoder whose logits favour closing every bar at once (bar, voice and end
    tokens +6): the failure `rest_penalty` counters, exaggerated."""

    def __init__(self, tok: Tokenizer):
        self.logits = np.zeros(tok.vocab_size)
        self.logits[[tok.bar_id, tok.eos_id, *(tok.voice_id(v) for v in ("M", "S", "A", "T", "B"))]] = 6.0
        self.length = 0

    def reset(self, batch_size: int, max_len: int | None = None) -> None:
        self.batch, self.length = batch_size, 0

    def step(self, ids: np.ndarray) -> np.ndarray:
        self.length += ids.shape[1]
        return np.tile(self.logits, (self.batch, 1))


def test_rest_penalty_keeps_bars_full(model, tok, monkeypatch):
    import tunesmith.sampling.decode as decode  # `generate` looks up `_decoder_for` there

    monkeypatch.setattr(decode, "_decoder_for", lambda m: _EndHappyDecoder(tok))

    def sounding_share(penalty: float) -> float:
        request = ComposeRequest(style="folk", bars=8, seed=5, rest_penalty=penalty)
        pieces = [take.piece for take in generate(model, tok, request, n=4)]
        return sum(n.duration for p in pieces for n in p.tracks[0].notes) / sum(p.duration() for p in pieces)

    assert sounding_share(0.0) < 0.3 and sounding_share(12.0) > 0.7


def test_lead_sheets_get_a_chord_on_every_downbeat(model, tok):
    for style in ("folk", "pop", "jazz"):
        request = ComposeRequest(style=style, bars=6, seed=2)
        for take in generate(model, tok, request, n=2):
            onsets = {round(c.onset, 6) for c in take.piece.chords}
            assert all(round(b, 6) in onsets for b in take.piece.bars()), (style, onsets)
    free = ComposeRequest(style="folk", bars=6, seed=2, chord_every_bar=False)
    assert free.chord_every_bar is False


def test_seed_makes_takes_reproducible(model, tok):
    request = ComposeRequest(style="folk", key="D", meter="6/8", bars=8, seed=11)
    a = generate(model, tok, request, n=2)
    b = generate(model, tok, request, n=2)
    assert [t.tokens for t in a] == [t.tokens for t in b]
    c = generate(model, tok, request, n=2, seed=12)
    assert [t.tokens for t in a] != [t.tokens for t in c]


def test_tiny_top_p_is_greedy(model, tok, monkeypatch):
    # top_p -> 0 keeps only the most likely allowed token: the seed no longer matters (with no
    # cadence, so that no closing degree or last-note length is drawn by the seed either, and no
    # opening chord drawn)
    import tunesmith.sampling.tables as tables

    monkeypatch.setattr(tables, "OPENING_TONIC_SHARES", {})
    request = ComposeRequest(style="pop", bars=4, top_p=1e-9, cadence="free")
    a = generate(model, tok, request, seed=1)[0]
    b = generate(model, tok, request, seed=2)[0]
    check_take(a, request, tok)
    assert a.tokens == b.tokens
    assert np.all(a.logprobs == 0.0)


@pytest.mark.parametrize("key, pitch_range", [("D", (21, 28)), ("E", (24, 35)), ("Ab", (96, 108)), ("Bb", (98, 108))])
def test_a_range_at_the_pianos_ends_holds_in_every_key(model, tok, key, pitch_range):
    """Version-2 tokens write every key in C, within A0..C8: a range reaching past what a key's
    tokens sound (A0 in D, C8 in A-flat) is held to the pitches they reach, not written an octave
    off (--range A0:D1 in D had sounded A1), and one they barely reach is refused in one line."""
    request = ComposeRequest(style="folk", key=key, bars=4, pitch_range=pitch_range, seed=3)
    for take in generate(model, tok, request, n=2):
        check_take(take, request, tok)  # every note inside the range
    edge = (pitch_range[0], pitch_range[0] + 5) if pitch_range[0] < 60 else (pitch_range[1] - 5, pitch_range[1])
    narrow = ComposeRequest(style="folk", key=key, bars=4, pitch_range=edge)  # a fourth, part of it out of reach
    with pytest.raises(ValueError, match=rf"pitch range [^ ]+: in {key} the model writes [^ ]+ to [^ ]+; give a range"):
        generate(model, tok, narrow)


def test_block_budget_still_completes_every_bar(tok):
    torch.manual_seed(0)
    tiny = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=160, n_layer=1, n_head=1, n_embd=16)).eval()
    request = ComposeRequest(style="chorale", bars=12, chords=["C", "G7/B"], seed=1, temperature=3.0)
    for take in generate(tiny, tok, request, n=2):
        check_take(take, request, tok)
        assert len(take.tokens) <= 160
    with pytest.raises(ValueError, match="block"):
        generate(tiny, tok, ComposeRequest(style="chorale", bars=40, chords=["C"]))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"style": "metal"}, "unknown style"),
        ({"meter": "11/16"}, "meter"),
        ({"meter": "4/4", "bars": 0}, "bars"),
        ({"bars": 1000}, "bars"),
        ({"style": "chorale", "pitch_range": (60, 76)}, r"pitch range C4:E5 too narrow for a chorale's 4 voices: the B "
                                                         r"voice \(normally E2:C4\)"),
        ({"pitch_range": (55, 59)}, r"pitch range G3:B3 too narrow: a melody needs"),  # as --range writes it
        ({"form": "reel", "bars": 32}, r"form 'reel': a form is section letters .*; a reel's usual form is AABB"),
        ({"form": "verse", "bars": 32}, r"form 'verse': a form is section letters"),
        ({"dance": "mazurka"}, r"unknown dance 'mazurka'; one of reel, jig, hornpipe, slip-jig, waltz, polka"),
        ({"dance": "polka", "meter": "6/8"}, r"a polka is in 2/4, not 6/8"),
        ({"dance": "reel", "style": "pop"}, r"--dance reel is a folk dance; compose it with --style folk"),
        ({"dance": "jig", "meter": "4/4"}, r"a jig is in 6/8, not 4/4"),
        ({"pitch_range": (72, 60)}, "lowest first"),
        ({"chords": ["C", "Xyz7"]}, "unparsable chord"),
        ({"chords": ["N.C."]}, r"chords: every bar is N.C. \(no chord\)"),
        ({"mode": "bluesy"}, "mode"),
        ({"key": "H"}, "key"),
        ({"tempo": 5}, "tempo"),
        ({"temperature": 0}, "temperature"),
        ({"top_p": 1.5}, "top_p"),
        ({"layout": "sextet"}, "layout"),
        ({"rhythm_grid": 5}, "rhythm_grid"),
    ],
)
def test_request_contradictions_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ComposeRequest(**kwargs)


def test_request_normalises_input():
    r = ComposeRequest(key="B-", meter=(6, 8), chords="Dm7 | G7 | Cmaj7")
    assert r.key == "Bb" and r.meter == "6/8" and r.chords == ["Dm7", "G7", "Cmaj7"]
    assert ComposeRequest(style="chorale").layout == "satb"
    assert ComposeRequest(style="jazz").layout == "lead"


def _lead_piece() -> Piece:
    notes = [Note(60 + (i * 5) % 12, i * 1.0, 1.0) for i in range(32)]
    chords = [ChordSymbol(b * 4.0, f) for b, f in enumerate(["C", "Am", "F", "G7"] * 2)]
    return Piece(
        piece_id="p",
        work_id="p",
        style="folk",
        tracks=[Track("Melody", "melody", notes=notes)],
        chords=chords,
        keys=[KeySignature(0.0, "C", "major")],
        time_signatures=[TimeSignature(0.0, 4, 4)],
        tempos=[Tempo(0.0, 96.0)],
    )


def test_infill_rewrites_only_the_span(model, tok):
    piece = _lead_piece()
    for take in infill(model, tok, piece, 2, 5, n=3, seed=4, chords=["Dm7", "G7"], in_scale=True):
        out = take.piece
        assert out.bars() == piece.bars() and out.tempo == 96.0
        outside = [(n.pitch, n.onset, n.duration) for n in out.tracks[0].notes if not 8 <= n.onset < 20]
        assert outside == [(n.pitch, n.onset, n.duration) for n in piece.tracks[0].notes if not 8 <= n.onset < 20]
        inside = [n for n in out.tracks[0].notes if 8 <= n.onset < 20]
        assert all(n.onset + n.duration <= 20 + 1e-9 and n.pitch % 12 in {0, 2, 4, 5, 7, 9, 11} for n in inside)
        assert [(c.onset, c.figure) for c in out.chords] == [
            (0.0, "C"), (4.0, "Am"), (8.0, "Dm7"), (12.0, "G7"), (16.0, "Dm7"), (20.0, "Am"), (24.0, "F"), (28.0, "G7")
        ]  # fmt: skip
        assert tok.middle_id in take.tokens and take.tokens[-1] == tok.eos_id
    with pytest.raises(ValueError, match="inside"):
        infill(model, tok, piece, 3, 12)


def test_infill_writes_given_no_chord_as_stops(model, tok):
    """N.C. in infill's chords is a stop, as in compose: no symbol, the chord before it ends there
    (also the piece's own chord sounding into a span that opens on N.C.), and the figures after it
    keep their bars."""
    piece = _lead_piece()
    piece.chords = [ChordSymbol(c.onset, c.figure, 4.0) for c in piece.chords]
    (take,) = infill(model, tok, piece, 2, 5, n=1, seed=4, chords=["N.C.", "Dm7 N.C.", "G7"])
    got = [(c.onset, c.figure, c.duration) for c in take.piece.chords]
    assert got == [
        (0.0, "C", 4.0), (4.0, "Am", 4.0), (12.0, "Dm7", 2.0), (16.0, "G7", 4.0), (20.0, "Am", 4.0), (24.0, "F", 4.0),
        (28.0, "G7", 4.0),
    ]  # fmt: skip
    (take,) = infill(model, tok, piece, 2, 4, n=1, seed=4, chords=["Dm7 N.C."])
    assert [(c.onset, c.figure, c.duration) for c in take.piece.chords][1:4] == [
        (4.0, "Am", 4.0), (8.0, "Dm7", 2.0), (12.0, "Dm7", 2.0)
    ]  # fmt: skip
    (take,) = infill(model, tok, _lead_piece(), 2, 4, n=1, seed=4, chords=["N.C.", "Dm7"])  # chords sounding on
    assert [(c.onset, c.figure, c.duration) for c in take.piece.chords][1:3] == [(4.0, "Am", 4.0), (12.0, "Dm7", 4.0)]


def test_abc_mode_names_are_keys():
    """--key Ador, Amix, Emin as ABC's K: field writes them (a fiddler's had been refused), and
    lower-case section letters are still a form."""
    from tunesmith.cli._common import parse_key

    assert parse_key("Ador", None) == ("A", "dorian") and parse_key("Amix", None) == ("A", "mixolydian")
    assert parse_key("Emin", None) == ("E", "minor") and parse_key("Bbmaj", None) == ("Bb", "major")
    assert parse_key("F#m", None) == ("F#", "minor") and parse_key("G", None) == ("G", None)
    with pytest.raises(ValueError, match=r"--key 'Ador' contradicts --mode major"):
        parse_key("Ador", "major")
    assert ComposeRequest(style="folk", bars=16, form="aabb").form == "AABB"
