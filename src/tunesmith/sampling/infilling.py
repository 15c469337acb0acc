"""Infilling: `infill` rewrites a span of bars of a piece between the music around it, under the
same constraints as `generate`, and splices the new bars into a copy of the piece."""

from __future__ import annotations

import copy
import os
import time

import numpy as np

from tunesmith.sampling.decode import (
    _decoder_for,
    _generate_batch,
    given_chord_symbols,
    header_tempo,
    single_thread_blas,
    style_decoding,
)
from tunesmith.sampling.request import (
    MAX_TEMPO,
    MIN_MELODY_SPAN,
    MIN_TEMPO,
    NO_CHORD,
    ComposeRequest,
    Take,
    bar_chord_ticks,
)
from tunesmith.sampling.tables import _Tables
from tunesmith.score import MODES, STYLES, Piece, Tempo
from tunesmith.tokenizer import PITCH_MAX, PITCH_MIN, Tokenizer


# ------------------------------------------------------------------------- infilling
def infill(
    model,
    tokenizer: Tokenizer,
    piece: Piece,
    start_bar: int,
    end_bar: int,
    n: int = 1,
    seed: int | None = None,
    temperature: float = 1.0,
    top_p: float = 0.95,
    chords: list[str] | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    batch_size: int = 16,
) -> list[Take]:
    """Rewrite bars [start_bar, end_bar) of `piece` between the music around them.

    The model sees the bars before and after (fill-in-the-middle order: header, <fill>,
    prefix, <suffix>, suffix, <middle>) and writes the middle under the same hard constraints
    as `generate` (grammar, meter, bar count, `chords` one per bar if given, pitch range —
    default: the piece's own range per voice — and `in_scale`). Outside the span the piece is
    kept exactly; a note held into the span from before it is cut at the span's start.
    """
    n_bars = piece.n_bars
    if not 0 <= start_bar < end_bar <= n_bars:
        raise ValueError(f"bars [{start_bar}, {end_bar}) are not inside the piece's {n_bars} bars")
    layout, voice_tracks = tokenizer._voices_of(piece)
    key = piece.key
    if key is None:
        from tunesmith import harmony

        key = harmony.estimate_key(piece)
    ts = piece.time_signature
    if pitch_range is None:
        pitches = [nt.pitch for t in voice_tracks.values() for nt in t.notes]
        if layout == "lead" and pitches:
            lo, hi = max(PITCH_MIN, min(pitches) - 2), min(PITCH_MAX, max(pitches) + 2)
            if hi - lo < MIN_MELODY_SPAN:
                lo, hi = max(PITCH_MIN, lo - 3), min(PITCH_MAX, hi + 3)
            pitch_range = (lo, hi)
    request = ComposeRequest(
        style=piece.style if piece.style in STYLES else "folk",
        key=key.tonic,
        mode=key.mode if key.mode in MODES else "major",
        meter=f"{ts.numerator}/{ts.denominator}",
        bars=end_bar - start_bar,
        tempo=min(MAX_TEMPO, max(MIN_TEMPO, piece.tempo)),
        pitch_range=pitch_range,
        chords=chords,
        in_scale=in_scale,
        temperature=temperature,
        top_p=top_p,
        seed=seed,
        layout=layout,
    )
    told = copy.copy(piece)  # the model is told the nearest tempo its style was learned at (`header_tempo`)
    told.tempos = [Tempo(0.0, header_tempo(request.tempo, style_decoding(model, request.style)))]
    ids = tokenizer.encode(told, fim=(start_bar, end_bar))
    prompt = ids[: ids.index(tokenizer.middle_id) + 1]
    model_len = model.config.block_size
    tables = _Tables(tokenizer, request, model_len)
    if len(prompt) + request.bars * tables.per_bar + 8 > model_len:
        raise ValueError(f"the piece is too long for the model's {model_len}-token block; infill a shorter excerpt")
    seed = request.seed if request.seed is not None else int.from_bytes(os.urandom(4), "little")
    rng = np.random.default_rng(seed)
    decoder = _decoder_for(model)
    takes = []
    for start in range(0, n, batch_size):
        b = min(batch_size, n - start)
        t0 = time.perf_counter()
        with single_thread_blas():
            rows = _generate_batch(decoder, [tables] * b, prompt, float(temperature), float(top_p), rng, model_len)
        seconds = (time.perf_counter() - t0) / b
        for i, (seq, lps, forced, _ending) in enumerate(rows):
            out = _splice(piece, tokenizer.decode(seq), start_bar, end_bar, voice_tracks, request)
            out.meta = {**piece.meta, "infill": {"bars": [start_bar, end_bar], "seed": seed, "take": start + i}}
            takes.append(Take(out, seq, np.array(lps, np.float32), np.array(forced, bool), seed, seconds))
    return takes


def _splice(original: Piece, decoded: Piece, a: int, b: int, voice_tracks: dict, request: ComposeRequest) -> Piece:
    """`original` with bars [a, b) replaced by those of `decoded` (the same bar grid)."""
    out = copy.deepcopy(original)
    obars, dbars = original.bars(), decoded.bars()
    t0 = obars[a]
    t1 = obars[b] if b < len(obars) else original.duration()
    d0 = dbars[a]
    d1 = dbars[b] if b < len(dbars) else decoded.end
    shift = t0 - d0
    roles = {"M": "melody", "S": "soprano", "A": "alto", "T": "tenor", "B": "bass"}
    by_role = {t.role: t for t in decoded.tracks}
    for v, track in voice_tracks.items():
        target = out.tracks[original.tracks.index(track)]
        kept = []
        for nt in target.notes:
            if nt.onset < t0 - 1e-9:
                if nt.onset + nt.duration > t0 + 1e-9:
                    nt.duration = t0 - nt.onset
                kept.append(nt)
            elif nt.onset >= t1 - 1e-9:
                kept.append(nt)
        new = [
            copy.copy(nt)
            for nt in (by_role.get(roles[v]).notes if by_role.get(roles[v]) else [])
            if d0 - 1e-9 <= nt.onset < d1 - 1e-9
        ]
        for nt in new:
            nt.onset += shift
        target.notes = sorted(kept + new, key=lambda x: x.onset)
    if request.chords:
        # the given figures as spelled, on the span's own bars, each N.C. a stop (`given_chord_symbols`)
        span = [copy.copy(c) for c in decoded.chords if d0 - 1e-9 <= c.onset < d1 - 1e-9]
        for c in span:
            c.onset += shift
        mid = given_chord_symbols(request, obars[a:b], span)
        kept = [c for c in out.chords if not (t0 - 1e-9 <= c.onset < t1 - 1e-9)]
        if bar_chord_ticks(request.chords[0], request.meter)[0] == (0, NO_CHORD):
            # the span opens on N.C.: the piece's chord sounding into it stops at its first bar line
            for c in kept:
                if c.onset < t0 - 1e-9 and (c.duration is None or c.onset + c.duration > t0 + 1e-9):
                    c.duration = t0 - c.onset
        out.chords = sorted(kept + mid, key=lambda c: c.onset)
    elif any(d0 - 1e-9 <= c.onset < d1 - 1e-9 for c in decoded.chords):
        mid = [copy.copy(c) for c in decoded.chords if d0 - 1e-9 <= c.onset < d1 - 1e-9]
        for c in mid:
            c.onset += shift
        out.chords = sorted(
            [c for c in out.chords if not (t0 - 1e-9 <= c.onset < t1 - 1e-9)] + mid, key=lambda c: c.onset
        )
    return out
