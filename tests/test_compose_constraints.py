"""Every hard control holds in every take: 200 random requests, checked on the WRITTEN files.

The checks re-read the MusicXML with music21 (key signature, meter, bar count, chord
symbols, pitches) and the MIDI with mido (tempo), not the generator's own bookkeeping.
The shipped default model is used when present; masking must guarantee the controls
whatever the weights, so an untrained model of the same shape is an equally fair subject.
"""

from __future__ import annotations

import random

import mido
import pytest

from tunesmith import harmony
from tunesmith.outputs.bundle import write_take
from tunesmith.sampling import ComposeRequest, generate
from tunesmith.score import pitch_class_of
from tunesmith.tokenizer import scale_pitch_classes

music21 = pytest.importorskip("music21")

N_REQUESTS = 200
STYLES = ("folk", "chorale", "pop", "jazz")
TONICS = ("C", "G", "D", "A", "E", "F", "Bb", "Eb", "Ab", "F#", "B", "Db")
LEAD_METERS = ("4/4", "3/4", "6/8", "2/4", "2/2", "9/8", "12/8")
CHORD_POOL = ("C", "Dm7", "G7", "Cmaj7", "Am", "F", "Bb7", "E7", "F#m7b5", "Ebmaj7", "Gsus4", "D/F#", "Bdim")


@pytest.fixture(scope="module")
def model_and_tokenizer():
    from tunesmith import pretrained

    try:
        model, tokenizer, _ = pretrained.load("default")
    except FileNotFoundError:
        import torch

        from tunesmith.model import GPT, ModelConfig
        from tunesmith.tokenizer import Tokenizer

        torch.manual_seed(0)
        tokenizer = Tokenizer()
        model = GPT(ModelConfig(vocab_size=tokenizer.vocab_size, block_size=1024, n_layer=2, n_head=4, n_embd=64))
        model.eval()
    return model, tokenizer


def random_request(rng: random.Random, i: int) -> ComposeRequest:
    style = STYLES[i % len(STYLES)]
    chorale = style == "chorale"
    low = rng.randint(40, 52) if chorale else rng.randint(50, 64)
    high = rng.randint(76, 84) if chorale else low + rng.randint(8, 24)
    return ComposeRequest(
        style=style,
        key=rng.choice(TONICS),
        mode=rng.choice(("major", "minor")),
        meter="4/4" if chorale and rng.random() < 0.7 else rng.choice(LEAD_METERS),
        bars=rng.randint(2, 8 if chorale else 16),
        tempo=float(rng.randint(50, 200)),
        pitch_range=(low, high) if rng.random() < 0.7 else None,
        chords=[rng.choice(CHORD_POOL) for _ in range(rng.randint(1, 4))] if not chorale and rng.random() < 0.6 else None,
        in_scale=rng.random() < 0.5,
        temperature=rng.choice((0.8, 1.0, 1.2)),
        seed=i,
    )


def expected_sharps(tonic: str, mode: str) -> int:
    return music21.key.Key(tonic.replace("b", "-") if len(tonic) > 1 else tonic, mode).sharps


def check_written_take(request: ComposeRequest, files: dict) -> list[str]:
    problems: list[str] = []
    score = music21.converter.parse(str(files["musicxml"]), format="musicxml")
    if any(isinstance(b, music21.bar.Repeat) for b in score.parts[0].recurse().getElementsByClass(music21.bar.Barline)):
        score = score.expandRepeats()  # the bars as played: a strain between repeat signs sounds twice
    parts = list(score.parts)
    first = parts[0]
    measures = list(first.getElementsByClass(music21.stream.Measure))
    if measures and measures[0].number == 0:  # a pickup (anacrusis) is no bar a musician counts
        if measures[0].getElementsByClass(music21.harmony.ChordSymbol) and request.chords:
            problems.append("a chord symbol in the pickup, before the given chords' first bar")
        measures = measures[1:]
    if len(measures) != request.bars:
        problems.append(f"{len(measures)} bars written, {request.bars} asked")
    meters = {ts.ratioString for ts in score.recurse().getElementsByClass(music21.meter.TimeSignature)}
    if meters != {request.meter}:
        problems.append(f"meters {meters}, asked {request.meter}")
    sharps = {ks.sharps for ks in score.recurse().getElementsByClass(music21.key.KeySignature)}
    if sharps != {expected_sharps(request.key, request.mode)}:
        problems.append(f"key signature sharps {sharps}, asked {request.key} {request.mode}")
    voiced = parts[:1] if request.layout == "lead" else parts[:4]
    if request.layout == "satb" and len(parts) < 4:
        problems.append(f"{len(parts)} parts in a chorale")
    low, high = request.pitch_range
    scale = scale_pitch_classes(pitch_class_of(request.key), request.mode)
    n_notes = 0
    for part in voiced:
        for n in part.recurse().notes:
            if isinstance(n, music21.harmony.ChordSymbol):
                # the chord symbols too (the composer's own: given chords are the musician's)
                if request.in_scale and not request.chords:
                    problems += [f"chord {n.figure}: {p.name} not in {request.key} {request.mode}"
                                 for p in n.pitches if p.pitchClass not in scale]  # fmt: skip
                continue
            for p in n.pitches:
                n_notes += 1
                if not low <= p.midi <= high:
                    problems.append(f"{p.nameWithOctave} ({p.midi}) outside {low}..{high}")
                if request.in_scale and p.pitchClass not in scale:
                    problems.append(f"{p.nameWithOctave} not in {request.key} {request.mode}")
    if n_notes == 0:
        problems.append("no notes written")
    if request.chords:
        for i, m in enumerate(measures):
            symbols = list(m.getElementsByClass(music21.harmony.ChordSymbol))
            want = request.chords[i % len(request.chords)]
            if not symbols or symbols[0].offset != 0:
                problems.append(f"bar {i + 1}: no chord symbol on the downbeat (asked {want})")
                continue
            got = {p.pitchClass for p in symbols[0].pitches}
            wanted = {p % 12 for p in harmony.chord_pitches(want)}
            if got != wanted:
                problems.append(f"bar {i + 1}: chord {symbols[0].figure} {sorted(got)} != {want} {sorted(wanted)}")
    tempos = [
        mido.tempo2bpm(msg.tempo)
        for track in mido.MidiFile(str(files["mid"])).tracks
        for msg in track
        if msg.type == "set_tempo"
    ]
    if not tempos or any(abs(t - request.tempo) > 0.5 for t in tempos):
        problems.append(f"MIDI tempi {tempos}, asked {request.tempo}")
    return problems


@pytest.mark.slow
def test_200_random_requests_obey_every_control_in_the_written_files(model_and_tokenizer, tmp_path):
    model, tokenizer = model_and_tokenizer
    rng = random.Random(2026)
    failures = []
    for i in range(N_REQUESTS):
        request = random_request(rng, i)
        take = generate(model, tokenizer, request, n=1)[0]
        files = write_take(
            take.piece, tmp_path / f"take{i}", provenance={"request": request.to_dict(), "seed": request.seed},
            render_audio=False, render_svg=False,
        )
        problems = check_written_take(request, files)
        if problems:
            failures.append(f"request {i} {request.to_dict()}: {problems[:3]}")
    assert not failures, f"{len(failures)} of {N_REQUESTS} takes break a control:\n" + "\n".join(failures[:10])


@pytest.mark.slow
def test_random_pickups_keep_every_control_in_the_written_files(model_and_tokenizer, tmp_path):
    """40 random requests, each with a random pickup on the sixteenth grid shorter than its bar
    (0.25 to a bar less a sixteenth, every meter and style): every control still holds in the
    written files, the pickup is measure 0 and the bars after it are whole."""
    model, tokenizer = model_and_tokenizer
    rng = random.Random(1414)
    failures = []
    for i in range(40):
        base = random_request(rng, i)
        bar_quarters = int(base.meter.split("/")[0]) * 4 / int(base.meter.split("/")[1])
        pickup = rng.randint(1, int(bar_quarters * 4) - 1) / 4
        request = ComposeRequest(**{**base.to_dict(), "pickup": pickup})
        take = generate(model, tokenizer, request, n=1)[0]
        files = write_take(take.piece, tmp_path / f"pk{i}", provenance={"request": request.to_dict()},
                           render_audio=False, render_svg=False)  # fmt: skip
        problems = check_written_take(request, files)
        first = music21.converter.parse(str(files["musicxml"]), format="musicxml").parts[0]
        m0 = first.getElementsByClass(music21.stream.Measure)[0]
        if m0.number != 0 or abs(float(m0.duration.quarterLength) - pickup) > 1e-6:
            problems.append(f"measure 0 is {m0.number}, {m0.duration.quarterLength} long, pickup {pickup}")
        if problems:
            failures.append(f"request {i} {request.to_dict()}: {problems[:3]}")
    assert not failures, f"{len(failures)} of 40 pickup takes break a control:\n" + "\n".join(failures[:10])


def test_the_checker_catches_a_broken_take(model_and_tokenizer, tmp_path):
    """The check above can fail: a take written for one request is wrong for another."""
    model, tokenizer = model_and_tokenizer
    request = ComposeRequest(style="jazz", key="F", meter="4/4", bars=4, tempo=100, chords=["Dm7", "G7"], seed=1)
    take = generate(model, tokenizer, request, n=1)[0]
    files = write_take(take.piece, tmp_path / "t", provenance={}, render_audio=False, render_svg=False)
    assert check_written_take(request, files) == []
    other = ComposeRequest(style="jazz", key="D", meter="3/4", bars=5, tempo=90, chords=["Cmaj7"], pitch_range=(60, 66))
    problems = " ".join(check_written_take(other, files))
    for expected in ("bars written", "meters", "key signature", "chord", "MIDI tempi"):
        assert expected in problems
