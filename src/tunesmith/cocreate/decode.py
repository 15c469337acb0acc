"""Co-create's decoding: one region sampled under `_CoConstrainer` (rows in a batch, or each bar's
chords chosen among proposals by the forced melody after them), the runs over chunks and windows
that make `n` results, and the checks that build a take only when it holds the musician's notes."""

from __future__ import annotations

import copy
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tunesmith.cocreate.automaton import (
    _CHORD_STATES,
    _bar_sections,
    _CoConstrainer,
    _decoder_cursors,
    _first_bar,
    _Job,
    _known_for_guard,
    _plan_chunk,
    _plan_window,
    _tables,
)
from tunesmith.cocreate.inputs import _EPS, _Grid, _where
from tunesmith.sampling import (
    Take,
    _decoder_for,
    _sample,
    _Tables,
    chord_token_temperature,
    decode_rows,
    sampling_params,
    single_thread_blas,
)
from tunesmith.sampling.decode import restruck_voices
from tunesmith.sampling.endings import close_over_chord
from tunesmith.sampling.feedback import OPENING_NOTES
from tunesmith.sampling.request import CONTRAST_TONIC_SHARES
from tunesmith.sampling.tables import set_given_chords
from tunesmith.score import ChordSymbol, Note, Piece
from tunesmith.tokenizer import DUR_TICKS, TICKS_PER_BEAT, Tokenizer, join_figure


# ============================================================================ one region
@dataclass
class _Result:
    notes: dict[str, list[Note]] = field(default_factory=dict)
    chords: list[ChordSymbol] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    forced: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    chunks: int = 0
    window: tuple[int, int] = (0, 0)  # bar indices of the (last) window the model saw
    ending: dict = field(default_factory=dict)  # a closing continuation's drawn degree and last length


def _first_root(W: Piece, start: float) -> int | None:
    """The root pitch class of the first chord of `W` from `start` (beats) on; None without one."""
    from tunesmith.harmony import parse_chord

    for c in sorted(W.chords, key=lambda c: c.onset):
        if c.onset >= start - _EPS:
            try:
                return parse_chord(c.figure)[0]
            except ValueError:
                return None
    return None


def _feedback_counts(W: Piece, job: _Job, tables: _Tables, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
    """What the tonal and rhythm feedback have heard before a region is written: each voice's
    time (ticks) on each scale degree and its notes of each length, over the music
    outside [t0, t1) (the musician's and what earlier chunks wrote), so that a continuation is
    steered by the whole piece, as a composed take is by its own music so far."""
    degree_time = np.zeros((len(job.voices), 12))
    dur_counts = np.zeros((len(job.voices), len(DUR_TICKS)))
    if tables.tonal_target is None and tables.rhythm_target is None:
        return degree_time, dur_counts
    lengths = np.array(DUR_TICKS)
    for vi, track in enumerate(W.tracks[: len(job.voices)]):
        for nt in track.notes:
            if t0 - _EPS <= nt.onset < t1 - _EPS:
                continue
            ticks = max(1, round(nt.duration * TICKS_PER_BEAT))
            degree_time[vi, (nt.pitch - tables.tonic_pc) % 12] += ticks
            dur_counts[vi, int(np.argmin(np.abs(lengths - ticks)))] += 1
    return degree_time, dur_counts


def _register_heard(W: Piece, job: _Job, t0: float) -> tuple[float, float, float, float]:
    """(time, pitch x time) of the melody in the given music and in the new bars before `t0`
    (a continuation written in chunks), in ticks: where the register feedback of a contrasting
    strain starts from (`Constrainer.register_bias`)."""
    boundary = job.grid.starts[job.region[0]]
    first = [0.0, 0.0]
    new = [0.0, 0.0]
    for x in W.tracks[0].notes:
        if x.onset >= t0 - _EPS:
            continue
        into = first if x.onset < boundary - _EPS else new
        ticks = x.duration * TICKS_PER_BEAT
        into[0] += ticks
        into[1] += x.pitch * ticks
    return first[0], first[1], new[0], new[1]


def _melody_before(W: Piece, tables: _Tables, t0: float) -> list[int]:
    """The pitches of the melody's last three notes struck before a region, oldest first, for the
    interval and return offsets (`set_interval_feedback`: the region's first notes are measured
    from them, as a composed take's are from the notes before); [] when the offsets are off or
    nothing comes before. Of a chord in the melody's part, its top note."""
    if tables.interval_offsets is None or not W.tracks:
        return []
    return _last_pitches(W.tracks[0].notes, t0)


def _fermata_holds(W: Piece, grid: _Grid, c0: int, t1: float) -> list[tuple[int, int]]:
    """(start, end) region ticks of the soprano's notes under the piece's fermatas, from bar c0
    to t1: the free lower voices strike with each and hold it (`Constrainer.fermata_holds`)."""
    spans = []
    for f in W.fermatas:
        note = next((x for x in W.tracks[0].notes if x.onset - _EPS <= f < x.onset + x.duration - _EPS), None)
        if note is not None and grid.starts[c0] - _EPS <= note.onset < t1 - _EPS:
            start = grid.tick(c0, note.onset)
            spans.append((start, max(start + 1, grid.tick(c0, note.onset + note.duration, end=True))))
    return spans


def _last_pitches(notes, t0: float) -> list[int]:
    """The pitches of the last three notes struck before t0, oldest first (of a chord, its top:
    `metrics._common.monophonic`, as the measures read a melody)."""
    from tunesmith.metrics._common import monophonic

    return [nt.pitch for nt in monophonic(nt for nt in notes if nt.onset < t0 - _EPS)[-3:]]


def _echo(W: Piece, grid: _Grid, c0: int, c1: int, open_first: bool) -> dict[int, dict[int, int]]:
    """Per region bar of a contrasting continuation (the bars [c0, c1)), {tick: pitch} of the
    melody's notes in the given strain's bar at the same place: the new strain's k-th whole bar
    against the given music's k-th whole bar, from its first, cycling over the given bars."""
    first, given = grid.first_full, c0 + (1 if open_first else 0)
    span = max(given - first, 1)
    out: dict[int, dict[int, int]] = {}
    melody = W.tracks[0].notes
    for g in range(given, c1):
        src = first + (g - given) % span
        start, stop = grid.starts[src], grid.end_of(src)
        out[g - c0] = {round((x.onset - start) * TICKS_PER_BEAT): x.pitch for x in melody if start - _EPS <= x.onset < stop - _EPS}
    return out


def _placed_chords(W: Piece, grid: _Grid, c0: int, c1: int) -> list[list[tuple[int, str]]]:
    """Per bar of [c0, c1), (tick in the bar as the automaton counts it, figure) of each chord of
    W that sounds in it: the one sounding at its line (`NO_CHORD` where none does: before the
    first chord, after a stop), then each that starts in it, and N.C. where one stops."""
    import bisect

    from tunesmith.convert.common import chord_durations
    from tunesmith.sampling.request import NO_CHORD

    end = max(W.duration(), grid.end_of(c1 - 1))  # the work piece's new bars are empty: its chords reach their end
    chords = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in W.chords], end)
    # every change, in time: each chord where it starts, N.C. where one stops before the next starts
    # (rounded: a chord that lasts until the next ends where that one starts, not a hair after it)
    events = sorted([*((round(c.onset + c.duration, 6), NO_CHORD) for c in chords if c.duration),
                     *((round(c.onset, 6), c.figure) for c in chords)], key=lambda e: (e[0], e[1] != NO_CHORD))  # fmt: skip
    times = [t for t, _ in events]
    out = []
    for r, g in enumerate(range(c0, c1)):
        start, stop = grid.starts[g], grid.end_of(g)
        before = bisect.bisect_right(times, start + _EPS)  # the change sounding at the bar line, a chord over a stop
        placed = {0: events[before - 1][1] if before else NO_CHORD}
        for t, figure in events[before:bisect.bisect_left(times, stop - _EPS)]:
            placed[grid.tick(c0, t) - r * grid.L] = figure
        out.append(sorted(placed.items()))
    return out


def _generate_region(
    model,
    tok: Tokenizer,
    job: _Job,
    W: Piece,
    w0: int,
    c0: int,
    c1: int,
    w1: int,
    rows: int,
    rng: np.random.Generator,
    temperature: float,
    top_p: float,
) -> list[_Result]:
    """Sample bars [c0, c1) of W `rows` times; window [w0, w1) (FIM when job.fim)."""
    block = model.config.block_size
    grid, voices = job.grid, job.voices
    fim = (c0 - w0, c1 - w0) if job.fim else None
    ids = tok.encode(W, start_bar=w0, end_bar=w1, fim=fim)
    if job.fim:
        p = ids.index(tok.middle_id) + 1
    else:
        bar_at = [i for i, t in enumerate(ids) if t == tok.bar_id]
        p = bar_at[c0 - w0]
    prompt = ids[:p]
    sections = _bar_sections(tok, ids, p)
    nb = c1 - c0
    if len(sections) != nb:  # cannot happen: the work piece is on the grid
        raise RuntimeError(f"expected {nb} bars to write, the encoding has {len(sections)}")
    scripts: dict[tuple[int, int], list[int]] = {}
    chord_scripts: dict[int, list[int]] = {}
    per_bar_forced = []
    for r, sec in enumerate(sections):
        f = 0
        whole = c0 + r in job.forced_bars  # a bar restated note for note (a reprise)
        opened = job.open_first and r == 0 and c0 == job.region[0]  # given so far, then written
        for i, v in enumerate(voices):
            if v in job.forced_voices or whole or opened:
                scripts[(r, i)] = list(sec["voices"].get(v, []))
                f += len(scripts[(r, i)])
        if any(tok.vocab[t].startswith("Meter_") for t in sec["chords"]):
            raise ValueError(f"{_where(W)}: the meter changes inside the bars to write")
        if opened or whole or job.chords == "forced":
            chord_scripts[r] = list(sec["chords"])
            f += len(chord_scripts[r])
        elif job.chords == "none":
            chord_scripts[r] = []
        per_bar_forced.append(f)
    forced_after = [sum(per_bar_forced[r:]) for r in range(nb + 1)]
    tables, info = _tables(tok, job, nb, block, close=job.close and c1 == grid.n)
    if job.layout == "lead" and job.chords == "forced":
        # the new melody fits the chords it is written over, as compose's over given chords does
        # (`set_given_chords`): continue's new bars over the musician's chords had sat on chord
        # tones 0.60 of the time against compose's 0.73 over the same loop (pop), and held notes
        # into chords they clash with three times as often (session-44/continue_fit.py)
        set_given_chords(tables, _placed_chords(W, grid, c0, c1))
    short_end = job.short_end and c1 == grid.n
    if len(prompt) + forced_after[0] + nb * tables.per_bar + 8 > block:
        raise ValueError(f"the piece is too long for the model's {block}-token block")

    # where every voice stands at the region start
    t0 = grid.starts[c0]
    t1 = grid.end_of(c1 - 1)
    pick0 = grid.pickup if c0 == 0 else 0
    phys = []
    for v in voices:
        track = W.tracks[voices.index(v)]
        end = pick0
        for nt in track.notes:
            if nt.onset < t0 - _EPS:
                end = max(end, math.ceil((nt.onset + nt.duration - t0) * TICKS_PER_BEAT - 1e-6) + pick0)
        phys.append(end)
    if job.fim:
        dcur = [0] * len(voices)
    else:
        dcur = _decoder_cursors(tok, ids, _first_bar(tok, ids), p, voices, grid.L)
    guard = _known_for_guard(job, W, c0, t1) if job.guard else None
    bar_end = []
    for r in range(nb):
        g = c0 + r
        ticks = round((grid.end_of(g) - grid.starts[g]) * TICKS_PER_BEAT) + (grid.pickup if g == 0 else 0)
        bar_end.append(min(grid.L, max(1, ticks)))
    if short_end:  # the last bar is short by the piece's pickup, as a composed lead sheet's is
        bar_end[-1] = min(bar_end[-1], grid.pickup)
    if c1 == grid.n and (nb > 1 or c0 > 0):
        tables.last_L = bar_end[-1]  # the piece's last bar, written here, ends where it is short
    if c1 == grid.n and job.layout == "lead" and job.chords == "forced":
        # the melody closes on a tone of the chord given for its end (a drawn bVII had closed an E-flat over B-flat 6)
        sounding = [c for c in sorted(W.chords, key=lambda c: c.onset) if c.onset < t1 - _EPS]
        if sounding and (sounding[-1].duration is None or sounding[-1].onset + sounding[-1].duration > t1 - _EPS):
            close_over_chord(tables, sounding[-1].figure)  # (not where it stopped before the end: N.C.)

    opens = job.open_first and c0 == job.region[0]  # the given last bar, short: written on from its end
    autos = [
        _CoConstrainer(
            tables,
            len(prompt),
            scripts=scripts,
            chord_scripts=chord_scripts,
            cursors=phys,
            dcursors=dcur,
            forced_after=forced_after,
            rhythm=job.rhythm if job.chords == "free" else None,
            first_pos=pick0,
            bar_end=bar_end,
            guard=copy.deepcopy(guard),
            info=info,
            open_scripts=frozenset((0, i) for i in range(len(voices))) if opens else frozenset(),
            open_from=grid.tick(c0, job.open_at, end=True, up=True) if opens else 0,
        )
        for _ in range(rows)
    ]
    heard = _feedback_counts(W, job, tables, t0, t1)
    before = _melody_before(W, tables, t0)
    register = _register_heard(W, job, t0) if tables.register_gain > 0 else None
    opening: list[int] = []
    echo = None
    if job.contrast and job.layout == "lead" and c0 == job.region[0]:
        # the first new bar (after the given last bar, when that is short and written on) is a
        # contrasting section's first: it does not repeat the given opening's first pitches
        tables.contrast_openings = frozenset({1 if job.open_first else 0})
        first = grid.first_full
        start, stop = grid.starts[first], grid.end_of(first)
        opening = [x.pitch for x in sorted(W.tracks[0].notes, key=lambda x: x.onset)
                   if start - _EPS <= x.onset < stop - _EPS][:OPENING_NOTES]  # fmt: skip
        echo = _echo(W, grid, c0, c1, job.open_first)
    cadences = {b - c0: kind for b, kind in job.section_cadences.items() if c0 <= b < c1 - (1 if tables.bar_cadence[-1] else 0)}
    if cadences and job.layout == "lead":
        for b, kind in cadences.items():
            tables.bar_cadence[b] = kind
        tables.cadence_bars = sorted({*tables.cadence_bars, *cadences})
        for a in autos:
            a.cadence_bars = tables.cadence_bars
    bridges = frozenset(b - c0 for b in job.bridge_bars if c0 <= b < c1)
    if bridges and job.chords == "free" and job.layout == "lead":
        tables.contrast_openings = tables.contrast_openings | bridges
        tables.contrast_share = CONTRAST_TONIC_SHARES.get(job.request.style)
        first = _first_root(W, grid.starts[grid.first_full])
        for a in autos:  # a bridge drawn "other" opens off the given A's first chord too
            a.first_root = first
    seam = _notes_after(W, voices, t1) if c1 < grid.n else {}
    before_seam = _notes_before(W, voices, t0) if job.fim else {}
    holds = _fermata_holds(W, grid, c0, t1) if job.layout == "satb" else []
    for a in autos:
        a.holds = holds
        if a.guard is not None:
            a.guard.cadence_ticks = frozenset(start for start, _ in holds)
        a.seam_next, a.seam_tick = seam, (nb - 1) * grid.L + bar_end[-1]
        if job.fim:
            a.seam_prev = before_seam
        a.degree_time, a.dur_counts = heard[0].copy(), heard[1].copy()
        a.melody_recent = list(before)
        if register is not None:  # the given strain's register, and the new strain's so far
            a.first_time, a.first_sum, a.contrast_time, a.contrast_sum = register
        if opening:  # the new strain does not open as the given music did
            a.opening_melody = list(opening)
        a.echo = echo  # ... nor sing the given strain's notes where it had them
        if len(a.voice_recent) > 1:  # a chorale's lower voices go on from theirs (returns, moves, repeats)
            for vi in range(1, min(len(W.tracks), len(a.voice_recent))):
                a.voice_recent[vi] = _last_pitches(W.tracks[vi].notes, t0)
        a.draw_ending(rng)  # the closing degree and last length of a closing continuation (else nothing)
        if job.final_on_downbeat and a.final_ticks is not None:
            a.final_ticks = a.t.last_L
        if c1 == grid.n and (nb - 1, 0) in scripts:  # the soprano (melody) is given to the end: the close follows it
            a.close_on_given_soprano()
    t_start = time.perf_counter()
    if job.lookahead > 1 and job.chords == "free" and any(i == 0 for _, i in scripts):
        seqs, lps, forced = [], [], []
        for r in range(rows):
            seq, lp, fo, autos[r] = _decode_lookahead(model, prompt, autos[r], job.lookahead, temperature, top_p, rng)
            seqs.append(seq)
            lps.append(lp)
            forced.append(fo)
    else:
        seqs, lps, forced = _decode_rows(model, prompt, autos, temperature, top_p, rng)
    seconds = (time.perf_counter() - t_start) / rows

    results = []
    for r, auto in enumerate(autos):
        res = _Result(tokens=seqs[r], logprobs=lps[r], forced=forced[r], seconds=seconds, chunks=1, window=(w0, w1))
        res.ending.update({k: v for k, v in auto.drawn_ending().items() if k != "closing_pcs"})
        for vi, bar, pos, dur, pitch in auto.notes:
            g = c0 + bar
            onset = grid.starts[g] + (pos - (grid.pickup if g == 0 else 0)) / TICKS_PER_BEAT
            if onset < -_EPS or onset >= grid.end_of(g) - _EPS or onset >= t1 - _EPS:
                continue
            duration = min(_beat_at(grid, g, pos + dur) - onset, t1 - onset)
            res.notes.setdefault(voices[vi], []).append(Note(pitch, max(0.0, onset), duration))
        if job.layout == "satb":  # a chorale voice sings a note again at a bar line, as Bach's do
            given = [x for x in W.tracks[0].notes if t0 - _EPS <= x.onset < t1 - _EPS] if W.tracks else []
            lower = [v for v in res.notes if v != voices[0]]
            soprano, moved = restruck_voices(res.notes.get(voices[0], []), [res.notes[v] for v in lower], grid.starts,
                                             given)  # fmt: skip
            res.notes = {**({voices[0]: soprano} if voices[0] in res.notes else {}), **dict(zip(lower, moved))}
        for bar, pos, root, quality, bass in auto.new_chords:
            g = c0 + bar
            onset = grid.starts[g] + (pos - (grid.pickup if g == 0 else 0)) / TICKS_PER_BEAT
            if onset < -_EPS or onset >= grid.end_of(g) - _EPS:
                continue
            res.chords.append(ChordSymbol(max(0.0, onset), join_figure(root, quality, bass)))
        results.append(res)
    return results


def _beat_at(grid: _Grid, g: int, tick: int) -> float:
    """The time (beats) of `tick`, counted as the automaton counts it from bar g's line (every bar
    `grid.L` ticks, bar 0 from before its pickup), on the real bars: a tick past a short bar's end
    (a repeat's split bar, 3 + 1 beats) is its bar line. A note the automaton held past a one-beat
    bar's end had been given its whole length, and sounded on under the next bar's note in the
    same voice: a chorale harmonized over a melody with repeats sang two notes at once in the alto,
    tenor and bass at each seam (a chorale director's Passion Chorale, bars 6 and 11)."""
    while tick > grid.L and g + 1 < grid.n:
        tick -= grid.L
        g += 1
    at = grid.starts[g] + (tick - (grid.pickup if g == 0 else 0)) / TICKS_PER_BEAT
    return min(at, grid.end_of(g))


def _step_all(decoder, ids: list[int]) -> np.ndarray:
    """Feed `ids` (one row) and return the logits after EVERY one of them, (T, V)."""
    return decoder.step_all(np.array([ids]))[0]


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


DISTINCT_POSTERIOR = True  # see _decode_lookahead; False: plain importance resampling (A/B)
# How sharply a bar's chords are chosen among the distinct proposals: weights are posterior **
# (1 / this); 1.0 samples the posterior, lower leans to its mode. Chosen on the validation split
# (scripts/eval_cocreate.py --split valid, 30 excerpts, default model, root accuracy per beat):
# Nottingham 0.517 at 1.0, 0.586 at 0.3, 0.582 at 0.1; POP909 0.260 at 1.0, 0.271 at 0.3.
LOOKAHEAD_CHOICE_TEMPERATURE = 0.3


def _decode_lookahead(
    model, prompt: list[int], auto: _CoConstrainer, k: int, temperature: float, top_p: float, rng
) -> tuple[list[int], list[float], list[bool], _CoConstrainer]:
    """One row, where each free chord section is chosen among `k` proposals.

    At the start of a bar with sampled chords and a given melody, `k` chord sections are drawn
    from the model (under the automaton); each is scored by the log-likelihood the model gives
    the forced tokens that follow it (the bar's melody, up to the next sampled token), and one is
    kept with probability proportional to prior x likelihood over the distinct proposals (the
    model's posterior given the melody of its own bar, not only the bars before), sharpened by
    `LOOKAHEAD_CHOICE_TEMPERATURE`; `DISTINCT_POSTERIOR` False: plain importance resampling.
    Elsewhere decoding is as in `_decode_rows` at batch 1. Returns the automaton that was kept.
    """
    decoder = _decoder_for(model)
    max_len = model.config.block_size
    decoder.reset(1, max_len)
    seq, lps, forced = list(prompt), [0.0] * len(prompt), [True] * len(prompt)
    with single_thread_blas():
        logits = decoder.step(np.array([prompt]))[0]
        while not auto.done:
            if auto.at_free_chords():
                start = decoder.length
                cands = []
                for _ in range(k):
                    a = auto.clone()
                    toks, tl, tf, lg = [], [], [], logits
                    while a.state in _CHORD_STATES:  # the chord section, up to the first voice marker
                        allowed = a.allowed()
                        tok, lp = _sample(lg, allowed, temperature, top_p, rng)
                        a.advance(tok)
                        toks.append(tok)
                        tl.append(lp)
                        tf.append(len(allowed) == 1)
                        lg = decoder.step(np.array([[tok]]))[0]
                    run = []
                    while not a.done and not a.at_free_chords():
                        allowed = a.allowed()
                        if len(allowed) != 1:
                            break
                        run.append(int(allowed[0]))
                        a.advance(run[-1])
                    score = 0.0
                    if run:
                        every = _step_all(decoder, run)
                        prev = np.vstack([lg[None, :], every[:-1]])
                        score = float(_log_softmax(prev)[np.arange(len(run)), run].sum())
                    cands.append((score, toks, tl, tf, run, a))
                    decoder.length = start  # rewind: the next proposal starts from the same cache
                # Distinct proposals weighted by prior x likelihood: the exact posterior over the
                # chords proposed (importance resampling with duplicates is a poorer sampler when
                # the prior is diffuse: the same few chords are drawn again and again).
                if DISTINCT_POSTERIOR:
                    seen: dict[tuple, int] = {}
                    for i, c in enumerate(cands):
                        seen.setdefault(tuple(c[1]), i)
                    cands = [cands[i] for i in sorted(seen.values())]
                    scores = np.array([c[0] + float(np.sum(c[2])) for c in cands])
                else:
                    scores = np.array([c[0] for c in cands])
                w = np.exp((scores - scores.max()) / LOOKAHEAD_CHOICE_TEMPERATURE)
                j = int(rng.choice(len(cands), p=w / w.sum()))
                _, toks, tl, tf, run, auto = cands[j]
                seq += toks + run
                lps += tl + [0.0] * len(run)
                forced += tf + [True] * len(run)
                if auto.done:
                    break
                logits = decoder.step(np.array([toks + run]))[0]
                continue
            allowed = auto.allowed()
            tok, lp = _sample(logits, allowed, temperature, top_p, rng)
            auto.advance(tok)
            row = [tok]
            seq.append(tok)
            lps.append(lp)
            forced.append(len(allowed) == 1)
            while not auto.done and not auto.at_free_chords():
                allowed = auto.allowed()
                if len(allowed) != 1:
                    break
                row.append(int(allowed[0]))
                auto.advance(row[-1])
                seq.append(row[-1])
                lps.append(0.0)
                forced.append(True)
            if auto.done:
                break
            if decoder.length + len(row) > max_len:
                raise RuntimeError("co-creation ran past the model's block size")
            logits = decoder.step(np.array([row]))[0]
    return seq, lps, forced, auto


def _decode_rows(model, prompt: list[int], autos: list[_CoConstrainer], temperature: float, top_p: float, rng):
    """Sample every row's tokens under its automaton (`sampling.decode_rows`)."""
    with single_thread_blas():
        return decode_rows(_decoder_for(model), prompt, autos, temperature, top_p, rng, model.config.block_size)


def _add_to_work(W: Piece, job: _Job, res: _Result) -> None:
    for v, notes in res.notes.items():
        W.tracks[job.voices.index(v)].notes.extend(notes)
    W.chords = sorted([*W.chords, *res.chords], key=lambda c: c.onset)


def _notes_before(W: Piece, voices: Sequence[str], t0: float) -> dict[int, int]:
    """{voice index: the pitch of its last note struck before `t0`}, the last kept note before a
    region, where it sounds up to a beat before `t0` or on into it (after a longer rest, none)."""
    out = {}
    for i in range(min(len(voices), len(W.tracks))):
        before = [n for n in W.tracks[i].notes if n.onset < t0 - _EPS]
        if before:
            last = max(before, key=lambda n: (n.onset, n.pitch))
            if last.onset + last.duration >= t0 - 1.0 - _EPS:
                out[i] = last.pitch
    return out


def _notes_after(W: Piece, voices: Sequence[str], t1: float) -> dict[int, int]:
    """{voice index: the pitch of its note struck right at `t1`}, the first kept note after a
    region (a voice that rests or holds there has none)."""
    out = {}
    for i in range(len(voices)):
        struck = [n.pitch for n in W.tracks[i].notes if abs(n.onset - t1) < _EPS] if i < len(W.tracks) else []
        if struck:
            out[i] = max(struck)
    return out


def _run(model, tok: Tokenizer, job: _Job, n: int, seed: int | None, batch_size: int):
    """`n` results for the job: the generated notes (per voice) and chords in real time; the seed;
    the temperatures and top-p sampled at (the request's, else the style's tuned ones)."""
    temperature, top_p, rhythm_temperature, temps = sampling_params(tok, job.tuned, job.request)
    decoding = {"temperature": temperature, "rhythm_temperature": rhythm_temperature, "top_p": top_p}
    chords = chord_token_temperature(job.tuned, job.request)
    if chords is not None:
        decoding["chord_token_temperature"] = chords
    results, seed = _run_jobs(model, tok, job, n, seed, temps, top_p, batch_size)
    return results, seed, decoding


# a take the same as an earlier one of its set (notes and chords) is drawn again, at most this many
# times: an inpaint of two bars had given takes 1 and 3 note for note alike (an ear-training teacher)
MAX_REDRAWS = 3


def _run_jobs(model, tok: Tokenizer, job: _Job, n: int, seed: int | None, temperature, top_p: float, batch_size: int):
    """`n` results drawn with one generator seeded by `seed` (None: a random one); a result the
    same as an earlier one is drawn again after all `n` (`MAX_REDRAWS`), so the others, and the
    whole set for a seed, stay as they are drawn."""
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little")
    rng = np.random.default_rng(seed)
    results = _draw_results(model, tok, job, n, rng, temperature, top_p, batch_size)
    seen: set = set()
    for i, res in enumerate(results):
        for _ in range(MAX_REDRAWS):
            if _result_key(res) not in seen:
                break
            res = _draw_results(model, tok, job, 1, rng, temperature, top_p, batch_size)[0]
        results[i] = res
        seen.add(_result_key(res))
    return results, seed


def _result_key(res: _Result) -> tuple:
    """What tells two results apart: their notes per voice and their chords."""
    notes = tuple((v, tuple(sorted(map(_note_key, ns)))) for v, ns in sorted(res.notes.items()))
    return notes, tuple((round(c.onset, 6), c.figure) for c in res.chords)


def _draw_results(model, tok: Tokenizer, job: _Job, n: int, rng, temperature, top_p: float, batch_size: int) -> list:
    block = model.config.block_size
    g0, g1 = job.region
    results: list[_Result] = []
    if job.fim:
        w0, w1 = _plan_window(tok, job, block)
        for start in range(0, n, batch_size):
            rows = min(batch_size, n - start)
            results += _generate_region(model, tok, job, job.W, w0, g0, g1, w1, rows, rng, temperature, top_p)
        return results
    w0, c1 = _plan_chunk(tok, job, job.W, g0, g1, block)
    if c1 == g1:  # one chunk: all takes in batches
        for start in range(0, n, batch_size):
            rows = min(batch_size, n - start)
            results += _generate_region(model, tok, job, job.W, w0, g0, g1, g1, rows, rng, temperature, top_p)
        return results
    for _ in range(n):  # chunks: each take continues its own music
        W = copy.deepcopy(job.W)
        total = _Result()
        c0 = g0
        while c0 < g1:
            w0, c1 = _plan_chunk(tok, job, W, c0, g1, block)
            (res,) = _generate_region(model, tok, job, W, w0, c0, c1, c1, 1, rng, temperature, top_p)
            _add_to_work(W, job, res)
            for v, notes in res.notes.items():
                total.notes.setdefault(v, []).extend(notes)
            total.chords += res.chords
            total.tokens += res.tokens
            total.logprobs += res.logprobs
            total.forced += res.forced
            total.seconds += res.seconds
            total.chunks += 1
            total.window = res.window
            total.ending = {**total.ending, **res.ending}  # (an earlier chunk's draw: a bridge's first chord)
            c0 = c1
        results.append(total)
    return results


# ============================================================================ checks
def _note_key(n: Note) -> tuple:
    return (n.pitch, n.onset, n.duration, n.velocity)


class KeptNotesError(ValueError):
    """A take that would not hold the musician's notes exactly: reported (one line), never written."""


def _assert_kept(kept: list[Note], out: list[Note], what: str) -> None:
    """Every note of `kept` is in `out` with the same values (a multiset check)."""
    from collections import Counter

    missing = Counter(map(_note_key, kept)) - Counter(map(_note_key, out))
    if missing:
        raise KeptNotesError(f"co-create changed the musician's notes ({what}): {sorted(missing)[:3]}")


def _finish_take(piece: Piece, res: _Result, seed: int, index: int, meta: dict) -> Take:
    piece.meta = {**piece.meta, "cocreate": {**meta, "seed": seed, "take": index}}
    return Take(
        piece,
        res.tokens,
        np.array(res.logprobs, np.float32),
        np.array(res.forced, bool),
        seed,
        res.seconds,
        {"take": index, "chunks": res.chunks, "window": list(res.window), **meta},
    )


def _copy_meta(piece: Piece) -> dict:
    return copy.deepcopy(piece.meta)
