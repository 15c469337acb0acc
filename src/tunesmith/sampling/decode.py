"""Sampling under the automaton: the prompt, the decoding parameters (per-token temperatures,
top-p, the style's tuned defaults), one draw among the allowed tokens, the numpy decoder on one
BLAS thread, the decoding loop shared with co-create (`decode_rows`), and `generate`, which
writes a request's takes."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import math
import os
import time
from collections.abc import Iterator

import numpy as np

from tunesmith.sampling.automaton import Constrainer, phrase_end, take_cadence_bars
from tunesmith.sampling.feedback import (
    set_closing_shares,
    set_interval_feedback,
    set_modulation,
    set_pitch_offsets,
    set_register_feedback,
    set_rest_offset,
    set_rhythm_feedback,
    set_root_offsets,
    set_tonal_feedback,
    set_voice_register_feedback,
)
from tunesmith.sampling.request import NO_CHORD, ComposeRequest, Take, bar_chord_ticks, header_mode
from tunesmith.sampling.tables import _Tables, compose_tables
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature
from tunesmith.tokenizer import DUR_TICKS, TICKS_PER_BEAT, Tokenizer, meter_ticks, transpose_piece


# ------------------------------------------------------------------------- sampling
def token_temperatures(tokenizer: Tokenizer, temperature: float, rhythm_temperature: float,
                       chord_temperature: float | None = None) -> np.ndarray:  # fmt: skip
    """(vocab,) temperature per token id: `rhythm_temperature` for the rhythm tokens (Pos_*,
    Dur_*), `chord_temperature` (where given) for the chord tokens (roots, qualities, bass
    notes), `temperature` for every other."""
    temps = np.full(tokenizer.vocab_size, float(temperature))
    temps[tokenizer.pos_base : tokenizer.root_base] = rhythm_temperature
    temps[tokenizer.dur_base : tokenizer.dur_base + len(DUR_TICKS)] = rhythm_temperature
    if chord_temperature is not None:
        temps[tokenizer.root_base : tokenizer.voice_base] = chord_temperature
    return temps


def _sample(logits: np.ndarray, allowed: np.ndarray, temperature, top_p: float, rng) -> tuple[int, float]:
    """Draw one id among `allowed` from `logits`; returns (id, log-probability). `temperature`:
    one number, or one per token id (`token_temperatures`)."""
    if len(allowed) == 1:
        return int(allowed[0]), 0.0
    temp = temperature if np.isscalar(temperature) else temperature[allowed]
    z = logits[allowed].astype(np.float64) / temp
    z -= z.max()
    p = np.exp(z)
    p /= p.sum()
    if top_p < 1.0:
        order = np.argsort(-p)
        cum = np.cumsum(p[order])
        keep = order[: int(np.searchsorted(cum, top_p)) + 1]
        q = p[keep]
        q /= q.sum()
        j = min(int(np.searchsorted(np.cumsum(q), rng.random())), len(q) - 1)
        return int(allowed[keep[j]]), float(np.log(q[j]))
    j = min(int(np.searchsorted(np.cumsum(p), rng.random())), len(p) - 1)
    return int(allowed[j]), float(np.log(p[j]))


def prompt_ids(tokenizer: Tokenizer, request: ComposeRequest, tempo: float | None = None, key: str | None = None) -> list[int]:
    """The header a take is composed after; a pickup bar counts as a bar, as the tokenizer
    counts a piece's bars. `tempo`: the one the model is told (`header_tempo`; default the
    request's); `key`: the tonic it is told (`header_key`; default the request's). Every header
    of a request has the same length, whatever its tempo, key and mode."""
    pickup = request.pickup_position()
    bars = request.bars + (1 if pickup else 0)
    told = request.tempo if tempo is None else tempo
    return tokenizer.header_ids(
        request.style, key or request.key, header_mode(request.mode), request.meter, told, bars, request.layout, pickup
    )


def header_key(tokenizer: Tokenizer, request: ComposeRequest, tuned: dict) -> tuple[str, int] | None:
    """(the tonic a four-part take is told in its header, the semitones the take sounds above
    it), or None to tell it its own key: `tuned["header_key_lifts"]` (decoding.json, fitted by
    `scripts/fit_header_keys.py`) maps a key to how far below it the model is told to write.

    Why: the model writes pitches relative to the key, and learned chorales transposed at random
    by up to five semitones, so its register depends on the key it is told: its sopranos sat at
    66.4 (D major) to 70.0 (G major), Bach's at 70-72 in every key. A chorale in D is written as the
    model writes one in C, and sounds a tone up: the same music, where a choir sings it. Lead
    sheets, co-created takes (the musician's notes fix the register), given chords and church
    modes are told their own key."""
    from tunesmith.tokenizer import pitch_class_of, spell_tonic

    lifts = tuned.get("header_key_lifts")
    if not lifts or not tokenizer.relative or request.layout != "satb" or request.chords or request.mode not in ("major", "minor"):
        return None
    pc = pitch_class_of(request.key)
    lift = lifts.get(f"{spell_tonic(pc, request.mode)} {request.mode}", 0)
    return (spell_tonic((pc - lift) % 12, request.mode), lift) if lift else None


def header_tempo(tempo: float, tuned: dict) -> float:
    """The tempo a model is told in a take's header: of the tempos its style was learned at
    (`tuned["header_tempos"]`, decoding.json: `scripts/fit_header_tempos.py`), the nearest to
    `tempo` on a log scale; `tempo` itself for a model that does not say. Why: in the training
    data a tempo token marks the source more than the speed (jazz told 144, which only 72 Irish
    hornpipes written in swung triplets had, was composed in triplets); the take keeps its tempo."""
    seen = tuned.get("header_tempos")
    if not seen:
        return float(tempo)
    return float(min(seen, key=lambda b: (abs(math.log(b / float(tempo))), b)))


def pickup_draws(request: ComposeRequest, tuned: dict) -> list[tuple[float, float]] | None:
    """[(pickup in beats, probability)] a take draws its pickup from when the request leaves it
    open (None) and the model's decoding has shares for the style in this meter, else None. Not a
    pickup that would leave a given last bar's later chords after the piece's end
    (`ComposeRequest.chords_cut_by_pickup`), nor one off the request's rhythm grid."""
    if request.pickup is not None:
        return None
    shares = (tuned.get("pickups") or {}).get(request.meter)
    shares = {k: w for k, w in (shares or {}).items() if not request.chords_cut_by_pickup(float(k))}
    if request.rhythm_grid:  # nor one off the request's grid (a shortest note asked: `controls.SHORTEST`)
        shares = {k: w for k, w in shares.items() if round(float(k) * TICKS_PER_BEAT) % request.rhythm_grid == 0}
    if not shares:
        return None
    total = sum(shares.values())
    return [(float(k), w / total) for k, w in sorted(shares.items(), key=lambda kv: float(kv[0]))]


@functools.cache
def _openblas_threads() -> tuple | None:
    """(get, set) of the OpenBLAS thread count numpy uses, found through ctypes; None elsewhere."""
    paths: set[str] = set()
    with contextlib.suppress(OSError), open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for stem in ("scipy_openblas_{}_num_threads64_", "openblas_{}_num_threads64_", "openblas_{}_num_threads"):
            get, set_ = getattr(lib, stem.format("get"), None), getattr(lib, stem.format("set"), None)
            if get is not None and set_ is not None:
                get.restype = ctypes.c_int
                set_.argtypes = [ctypes.c_int]
                return get, set_
    return None


@contextlib.contextmanager
def single_thread_blas() -> Iterator[None]:
    """Run numpy's BLAS on one thread: the small matmuls of incremental decoding run 2-3x
    slower when OpenBLAS splits them over threads (and much slower on a busy machine)."""
    fns = _openblas_threads()
    if fns is None:
        yield
        return
    get, set_ = fns
    old = get()
    set_(1)
    try:
        yield
    finally:
        set_(old)


def _decoder_for(model):
    """The model's cached numpy decoder (rebuilt when its weights change version)."""
    from tunesmith.inference import NumpyDecoder

    version = sum(p._version for p in model.parameters())
    cached = getattr(model, "_np_decoder", None)
    if cached is None or cached[0] != version:
        cached = (version, NumpyDecoder(model))
        object.__setattr__(model, "_np_decoder", cached)
    return cached[1]


def style_decoding(model, style: str) -> dict:
    """The model's tuned decoding entry for `style` (`decoding.json`), or {}."""
    return (getattr(model, "decoding", None) or {}).get(style, {})


def chord_token_temperature(tuned: dict, request: ComposeRequest, temperature_given: bool = False) -> float | None:
    """The temperature the composer's own chord tokens are drawn at: the style's
    ("chord_token_temperature" in decoding.json), unless the caller set a temperature (then
    the chords follow it, as the rhythm does); None: the melody's. Why a temperature of their own:
    jazz's chords are the model's, and at the melody's 0.8 its takes sat on the tonic chord 0.48
    of their time where the shippable tunes it learned sit 0.33 (see decoding.json's
    "chord_token_temperature_chosen_on")."""
    if request.temperature is not None or temperature_given:
        return None
    return tuned.get("chord_token_temperature")


def sampling_params(
    tokenizer: Tokenizer,
    tuned: dict,
    request: ComposeRequest,
    temperature: float | None = None,
    top_p: float | None = None,
    rhythm_temperature: float | None = None,
) -> tuple[float, float, float, float | np.ndarray]:
    """(temperature, top_p, rhythm_temperature, per-token temperatures) for a request: the
    arguments, else the request's, else the style's tuned decoding (`tuned`), else 1.0 / 0.95;
    an unset rhythm temperature follows an explicit temperature, else the tuned one. Compose and
    co-create resolve them alike."""
    temperature_given = temperature is not None
    if temperature is None:
        temperature = request.temperature if request.temperature is not None else tuned.get("temperature", 1.0)
    if top_p is None:
        top_p = request.top_p if request.top_p is not None else tuned.get("top_p", 0.95)
    if rhythm_temperature is None:
        rhythm_temperature = request.rhythm_temperature
    if rhythm_temperature is None:
        explicit = request.temperature is not None or temperature_given
        rhythm_temperature = temperature if explicit else tuned.get("rhythm_temperature", temperature)
    temperature, top_p, rhythm_temperature = float(temperature), float(top_p), float(rhythm_temperature)
    if not 0 < temperature <= 10 or not 0 < top_p <= 1 or not 0 < rhythm_temperature <= 10:
        raise ValueError(
            f"temperature and rhythm_temperature must be in (0, 10] and top_p in (0, 1]; "
            f"got {temperature}, {rhythm_temperature}, {top_p}"
        )
    chords = chord_token_temperature(tuned, request, temperature_given)
    if rhythm_temperature == temperature and chords in (None, temperature):
        return temperature, top_p, rhythm_temperature, temperature
    return temperature, top_p, rhythm_temperature, token_temperatures(tokenizer, temperature, rhythm_temperature, chords)


def generate(
    model,
    tokenizer: Tokenizer,
    request: ComposeRequest,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    batch_size: int = 16,
    rhythm_temperature: float | None = None,
) -> list[Take]:
    """`n` takes for `request`, each satisfying every constraint (see the `tunesmith.sampling` docstring).

    `seed` (else `request.seed`, else random) makes the takes reproducible for the same
    (model, request, n, batch_size); `temperature`/`top_p`/`rhythm_temperature` override the
    request's. Unset, each comes from the model's tuned defaults for the style; an unset rhythm
    temperature follows `temperature` (explicit, or tuned when the style has no rhythm default).
    """
    if not isinstance(request, ComposeRequest):
        raise TypeError("generate needs a ComposeRequest")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    tuned = style_decoding(model, request.style)
    chord_t = chord_token_temperature(tuned, request, temperature is not None)
    temperature, top_p, rhythm_temperature, temps = sampling_params(
        tokenizer, tuned, request, temperature, top_p, rhythm_temperature
    )
    seed = request.seed if seed is None else seed
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little")
    model_len = model.config.block_size
    told = header_tempo(request.tempo, tuned)
    told_key = header_key(tokenizer, request, tuned)  # (key, semitones the take sounds above it) or None
    key = told_key[0] if told_key else None
    prompt = prompt_ids(tokenizer, request, told, key)
    tables = compose_tables(tokenizer, request, model_len, told_key)
    upbeats = pickup_draws(request, tuned)
    bars = request.bars + (1 if request.pickup or upbeats else 0)  # a pickup bar is one more
    if len(prompt) + bars * tables.per_bar + 8 > model_len:
        raise ValueError(f"{request.bars} bars do not fit in the model's {model_len}-token block; ask for fewer bars")
    decoder = _decoder_for(model)
    rng = np.random.default_rng(seed)
    def tuned_tables(t: _Tables) -> _Tables:
        set_tonal_feedback(t, request, tuned)
        set_register_feedback(t, request, tuned)
        set_voice_register_feedback(t, request, tuned)
        set_rhythm_feedback(t, request, tuned)
        set_interval_feedback(t, request, tuned)
        set_pitch_offsets(t, request, tuned)
        set_rest_offset(t, request, tuned)
        set_root_offsets(t, request, tuned)
        set_closing_shares(t, tuned)
        set_modulation(t, request, tuned)
        return t

    by_form = {(request.resolved_form(), request.pickup or 0.0): tuned_tables(tables)}

    def tables_for(form: str, pickup: float) -> _Tables:
        if (form, pickup) not in by_form:
            asked = dataclasses.replace(request, form=form, pickup=pickup)
            by_form[form, pickup] = tuned_tables(compose_tables(tokenizer, asked, model_len, told_key))
        return by_form[form, pickup]

    draws = request.form_draws()
    takes: list[Take] = []
    for start in range(0, n, batch_size):
        b = min(batch_size, n - start)
        forms = [request.resolved_form()] * b
        if draws:  # a form per take (`ComposeRequest.form_draws`)
            picks = rng.choice(len(draws), size=b, p=[w for _, w in draws])
            forms = [draws[int(k)][0] for k in picks]
        pickups = [request.pickup or 0.0] * b
        if upbeats:  # a pickup per take, from a child generator (the sampling stream stays as it was)
            picks = rng.spawn(1)[0].choice(len(upbeats), size=b, p=[w for _, w in upbeats])
            pickups = [upbeats[int(k)][0] for k in picks]
        t0 = time.perf_counter()
        heads = {p: prompt_ids(tokenizer, dataclasses.replace(request, pickup=p), told, key) for p in set(pickups)}
        with single_thread_blas():  # takes with and without a pickup (headers of two lengths): one batch
            rows = _generate_batch(decoder, [tables_for(forms[i], pickups[i]) for i in range(b)],
                                   [heads[p] for p in pickups], temps, top_p, rng, model_len)  # fmt: skip
        seconds = (time.perf_counter() - t0) / b
        for i, (ids, lps, forced, ending) in enumerate(rows):
            asked = dataclasses.replace(request, pickup=pickups[i]) if upbeats else request
            piece = _finish_piece(tokenizer, ids, asked, seed, start + i, told_key[1] if told_key else 0)
            meta = {"take": start + i, "temperature": temperature, "rhythm_temperature": rhythm_temperature, "top_p": top_p}
            if chord_t is not None:
                meta["chord_token_temperature"] = chord_t
            if told != request.tempo:
                meta["header_tempo"] = told  # the tempo the model was told (`header_tempo`)
            if told_key:  # the key the model was told and how far above it the take sounds (`header_key`)
                meta["header_key"] = list(told_key)
            if upbeats or request.pickup is not None:
                meta["pickup"] = pickups[i]  # beats before the first bar line (replaying the automaton needs it)
            meta.update(ending)  # the drawn ending (closing degree, last length, ...): replaying the automaton needs it
            meta["form"], meta["cadence"] = forms[i], request.resolved_cadence()
            if request.layout == "satb":
                piece.fermatas = phrase_fermatas(piece, tables_for(forms[i], pickups[i]), ending.get("modulation"))
            takes.append(Take(piece, ids, np.array(lps, np.float32), np.array(forced, bool), seed, seconds, meta))
    return takes


def _generate_batch(decoder, row_tables: list[_Tables], prompt, temperature, top_p, rng, max_len):
    """Rows (one per tables) of (ids, log-probs, forced flags, the ending drawn: `Constrainer.drawn_ending`).
    `prompt`: one list of ids for every row, or one per row (`decode_rows`)."""
    prompts = _row_prompts(prompt, len(row_tables))
    autos = [Constrainer(tables, len(p)) for tables, p in zip(row_tables, prompts)]
    for a in autos:
        a.draw_ending(rng)
    seqs, lps, forced = decode_rows(decoder, prompts, autos, temperature, top_p, rng, max_len)
    return [(q, lp, f, a.drawn_ending()) for q, lp, f, a in zip(seqs, lps, forced, autos)]


def _row_prompts(prompt, b: int) -> list[list[int]]:
    """One prompt per row: `prompt` is a list of ids shared by all, or a list of such lists."""
    if prompt and isinstance(prompt[0], (list, tuple)):
        if len(prompt) != b:
            raise ValueError(f"{len(prompt)} prompts for {b} rows")
        return [list(p) for p in prompt]
    return [list(prompt) for _ in range(b)]


def _shift_within(logits: np.ndarray, allowed: np.ndarray, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """`logits` (a copy) with `offsets` added at those of `ids` that are `allowed`, less one
    constant that keeps their total probability as it was: which of them is drawn changes, not
    how often one of them is (a root offset changes the chord, not whether a chord is written)."""
    on = np.isin(ids, allowed)
    if on.sum() < 2:
        return logits
    ids, offsets = ids[on], offsets[on]
    before = logits[ids]
    after = before + offsets
    out = logits.copy()
    out[ids] = after - (np.logaddexp.reduce(after) - np.logaddexp.reduce(before))
    return out


def decode_rows(decoder, prompt, autos: list[Constrainer], temperature, top_p, rng, max_len):
    """Sample one row per automaton after `prompt` (the loop of compose and co-create): one list
    of ids shared by every row, or one list per row (takes with and without a pickup differ in
    their header): shorter ones are left-padded in one batch (`NumpyDecoder.reset`'s pads).

    Returns (token ids, log-probs, forced flags) per row, prompt included. Every token is drawn
    among `auto.allowed()`; a bar closed early pays `auto.early_end()`'s logit penalty, and a
    melody's pitch gets `auto.tonal_bias()` and a note length `auto.rhythm_bias()` (the tonal and
    rhythm feedback, `set_tonal_feedback`, `set_rhythm_feedback`); in a church mode a pitch of the
    header family's degree counts as the mode's (`_Tables.mode_moves`)."""
    b = len(autos)
    eos = autos[0].t.eos_tok
    prompts = _row_prompts(prompt, b)
    longest = max(len(p) for p in prompts)
    pads = [longest - len(p) for p in prompts]
    if any(pads):
        decoder.reset(b, max_len, pads)
    else:  # the common case, and the protocol of decoders that take no pads
        decoder.reset(b, max_len)
    seqs = [list(p) for p in prompts]
    lps = [[0.0] * len(p) for p in prompts]
    forced = [[True] * len(p) for p in prompts]
    feed = np.array([[p[0]] * pad + p for p, pad in zip(prompts, pads)])  # (b, T); a pad repeats the row's first id
    max_len += max(pads)  # the cache's slots: a row's positions stay within max_len by its automaton
    while True:
        logits = decoder.step(feed)  # (b, V)
        nxt = []
        for r, a in enumerate(autos):
            if a.done:
                nxt.append([eos])
                continue
            allowed = a.allowed()
            row_logits = logits[r]
            tonal, rhythm = a.tonal_bias(), a.rhythm_bias()
            if tonal is not None or rhythm is not None:
                row_logits = row_logits.copy()
                if tonal is not None:
                    row_logits[a.t.pitch_ids] += tonal
                if rhythm is not None:
                    row_logits[a.t.dur_ids] += rhythm
            early = a.early_end()
            if early is not None:
                row_logits = row_logits.copy()
                row_logits[early[0]] -= early[1]
            rest = a.rest_bias()
            if rest is not None:  # (a copy already: a melody's voice state pays `early_end`'s penalty too)
                row_logits = row_logits if early is not None else row_logits.copy()
                row_logits[rest[0]] += rest[1]
            roots = a.root_bias()
            if roots is not None:
                row_logits = _shift_within(row_logits, allowed, *roots)
            moves = a.t.mode_moves
            if moves is not None:  # a church mode: the header family's degree becomes the mode's
                row_logits = row_logits.copy()
                row_logits[moves[1]] = np.logaddexp(row_logits[moves[1]], row_logits[moves[0]])
            tok, lp = _sample(row_logits, allowed, temperature, top_p, rng)
            a.advance(tok)
            row = [tok]
            seqs[r].append(tok)
            lps[r].append(lp)
            forced[r].append(len(allowed) == 1)
            if b == 1:
                # tokens the automaton forces need no logits: feed them together in one step
                while not a.done:
                    allowed = a.allowed()
                    if len(allowed) != 1:
                        break
                    tok = int(allowed[0])
                    a.advance(tok)
                    row.append(tok)
                    seqs[r].append(tok)
                    lps[r].append(0.0)
                    forced[r].append(True)
            nxt.append(row)
        if all(a.done for a in autos):
            break
        feed = np.array(nxt)  # (b, T): T > 1 only at batch 1
        if decoder.length + feed.shape[1] > max_len:  # cannot happen: the automaton keeps the budget
            raise RuntimeError("decoding ran past the model's block size")
    return seqs, lps, forced


STYLE_TITLES = {"folk": "Folk tune", "pop": "Pop song", "jazz": "Jazz tune", "chorale": "Chorale"}


def phrase_fermatas(piece: Piece, tables: _Tables, modulation: list | None = None) -> list[float]:
    """A composed chorale's fermatas, where a hymnal prints them: over the soprano's note at the
    end of each phrase (each cadence bar's, and a drawn `modulation`'s last bar's) and over its
    last note. The lower voices strike with the first ones and hold them
    (`Constrainer.fermata_holds`)."""
    t = tables
    soprano = sorted(piece.tracks[0].notes, key=lambda x: x.onset) if piece.tracks else []
    if not soprano:
        return []
    out = {soprano[-1].onset}
    for bar in take_cadence_bars(t, modulation):
        end = (bar * t.L + phrase_end(t, bar) - t.pickup) / TICKS_PER_BEAT  # beats: the piece starts where bar 0's music does
        note = next((x for x in soprano if x.onset < end - 1e-6 < x.onset + x.duration), None)
        if note is not None:
            out.add(note.onset)
    return sorted(out)


def take_title(request: ComposeRequest, seed: int, index: int) -> str:
    """A composed take's title: what it is, its key and how to make it again ("Hornpipe in A major
    (tunesmith, seed 13)"; ", take 2" for the second of a batch). A musician had a folder of takes
    all titled "tunesmith folk take 1"."""
    name = request.dance.replace("-", " ").capitalize() if request.dance else STYLE_TITLES.get(request.style, "Tune")
    which = f", take {index + 1}" if index else ""
    return f"{name} in {request.key} {request.mode} (tunesmith, seed {seed}{which})"


def restruck_at_bar_lines(notes: list[Note], bar_lines: list[float]) -> list[Note]:
    """A chorale voice's notes, each one held over a bar line struck again there (the same pitch):
    Bach's voices repeat a note across the bar line (music21's scores of 101 chorales, per 100 beats:
    soprano 4.21, alto 8.77, tenor 6.87) and seldom hold one over it (0.28, 0.53, 0.36: suspensions),
    but the JSB chorales the model learned from are a sixteenth-note grid that merges a repeated note
    into one long one (4.77 held over by the soprano). Composed sopranos had held notes over 2.60
    times per 100 beats, tied in the score, where Bach's sing the note again
    (docs/notes/2026-12-05-session-45/soprano_ties.py)."""
    lines = sorted(bar_lines)
    out: list[Note] = []
    for x in notes:
        start, end = x.onset, x.onset + x.duration
        cuts = [b for b in lines if start + 1e-6 < b < end - 1e-6]
        for a, b in zip([start, *cuts], [*cuts, end]):
            out.append(dataclasses.replace(x, onset=a, duration=b - a))
    return out


def restruck_voices(soprano: list[Note], lower: list[list[Note]], bar_lines: list[float],
                    sung: list[Note] | None = None) -> tuple[list[Note], list[list[Note]]]:
    """A chorale's voices as Bach writes them at the bar line (`restruck_at_bar_lines`): the soprano's
    notes struck again at every bar line they cross, the lower voices' where the soprano strikes
    (among `sung`, its notes that are kept as they are, too). Where the soprano holds its own note
    over a bar line (a musician's melody tied over, a fermata across it), the voices under it hold
    theirs with it."""
    soprano = restruck_at_bar_lines(soprano, bar_lines)
    struck = {round(x.onset, 6) for x in [*(sung or []), *soprano]}
    lines = [b for b in bar_lines if round(b, 6) in struck]
    return soprano, [restruck_at_bar_lines(notes, lines) for notes in lower]


def restrike_chorale_takes(takes: list[Take], request: ComposeRequest) -> None:
    """Composed chorales as a user gets them (in place): every voice's note held over a bar line
    struck again there (`restruck_voices`). The takes' token ids still hold the composer's own long
    notes (tuning learns from what the composer wrote), as they hold its chords where the harmonizer
    replaced them."""
    if request.layout != "satb":
        return
    for t in takes:
        tracks = t.piece.tracks
        soprano, lower = restruck_voices(tracks[0].notes, [tr.notes for tr in tracks[1:]], t.piece.bars())
        for track, notes in zip(tracks, [soprano, *lower]):
            track.notes = notes


def finish_composed_takes(takes: list[Take], request: ComposeRequest, model: object = None) -> str:
    """Generated takes as `compose` gives them to a user (in place): a lead sheet's chords from where
    the request or the style's default says (`harmonizer.harmonize_takes`, whose answer is returned),
    a chorale's voices singing a repeated note again at the bar line (`restrike_chorale_takes`); a
    loop's pieces marked `meta["loop"]` (its files write loop points: `convert.midi.to_symusic`,
    `outputs.bundle.performance_wav`, a repeat round the whole score)."""
    from tunesmith.harmonizer import harmonize_takes

    source = harmonize_takes(takes, request, model)
    restrike_chorale_takes(takes, request)
    if request.resolved_cadence() == "loop":
        for t in takes:
            t.piece.meta["loop"] = True
    return source


def given_chord_symbols(request: ComposeRequest, bar_starts: list[float], decoded: list[ChordSymbol]) -> list[ChordSymbol]:
    """The request's chords (one entry per bar, cycling) as written on bars starting at
    `bar_starts` (beats), each figure spelled as the musician typed it, each lasting as long as the
    decoded chord at its onset (else to its bar's next chord or the bar's end), and each N.C. a stop:
    no symbol, the chord before it ending there (files write N.C., `convert.common.no_chord_stops`).
    A chord sounding into the first bar from before is not among them, so it is not stopped here."""
    by_onset = {round(c.onset * 12): c for c in decoded}
    bar_len = meter_ticks(request.meter)
    chords: list[ChordSymbol] = []
    for i, start in enumerate(bar_starts):
        placed = bar_chord_ticks(request.chords[i % len(request.chords)], request.meter)  # a bar may hold two
        for k, (tick, figure) in enumerate(placed):
            at = round(start * 12) + tick
            if figure == NO_CHORD:
                if chords and (chords[-1].duration is None or chords[-1].onset + chords[-1].duration > at / 12):
                    chords[-1].duration = at / 12 - chords[-1].onset
                continue
            c = by_onset.get(at)
            until = placed[k + 1][0] if k + 1 < len(placed) else bar_len
            chords.append(ChordSymbol(at / 12, figure, c.duration if c else (until - tick) / 12))
    return chords


def _finish_piece(tokenizer: Tokenizer, ids: list[int], request: ComposeRequest, seed: int, index: int, lift: int = 0) -> Piece:
    piece = tokenizer.decode(ids, piece_id=f"take-{seed}-{index}", title=take_title(request, seed, index))
    piece = transpose_piece(piece, lift)  # written in the key the header told (`header_key`): sounding `lift` above it
    piece.style = request.style
    piece.keys = [KeySignature(0.0, request.key, request.mode)]
    num, den = (int(x) for x in request.meter.split("/"))
    piece.time_signatures = [TimeSignature(0.0, num, den)]
    piece.tempos = [Tempo(0.0, request.tempo)]
    if request.pickup and request.layout == "lead":
        # the last bar is short by the pickup (`add_pickup_bar`): the piece is whole bars, and
        # its files end there, not on a bar padded with a rest
        piece.end = request.bars * meter_ticks(request.meter) / 12
        for c in piece.chords:  # the decoder counted whole bars: the last chord ends with the piece
            if c.duration is not None and c.onset + c.duration > piece.end:
                c.duration = max(piece.end - c.onset, 1 / 12)
    if request.chords:
        # write each given figure exactly as the musician spelled it (after a pickup, from bar 1)
        first = request.pickup or 0.0
        bar_len = meter_ticks(request.meter) / 12
        piece.chords = given_chord_symbols(request, [first + i * bar_len for i in range(request.bars)], piece.chords)
    piece.meta = {"request": request.to_dict(), "seed": seed, "take": index}
    return piece
