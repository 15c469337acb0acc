"""The public Python API; the `tunesmith` CLI is a thin layer over it (same defaults, same checks).

    import tunesmith as ts

    take = ts.compose(style="folk", key="D", bars=16, seed=7)      # one Take
    take.write("out/jig")            # the bundle: jig.mid .musicxml .wav .svg .json
    take.write("jig.musicxml")       # one file, in the format its extension names
    takes = ts.compose(style="jazz", chords="Dm7 G7 Cmaj7 Cmaj7", bars=8, n=4)   # a list of 4

    melody = ts.read("melody.musicxml")                             # a Piece
    satb = ts.harmonize(melody, style="chorale", seed=1)
    more = ts.continue_(take, bars=8)                               # a Take, a Piece or a file
    var = ts.inpaint("piece.mid", bars="5-8", keep="melody")

    model = ts.load_model("models/mine")                            # or "default"; cached
    ts.compose(style="pop", model=model)

Every function takes `n` (takes) and `seed`; with n == 1 it returns a `Take`, else a list of
them. A `Take` holds `piece` (a `tunesmith.Piece`), `seed` and `provenance` (model, request,
training-data licenses: what `write` embeds in the files), and shows itself in a notebook as
its score and a player (`_repr_html_`). Errors are `ValueError`s (`FileNotFoundError` for a
missing file or model) whose one-line message names the file or control and the problem.

Tempo: `tempo` counts the meter's beats per minute (`TimeSignature.beat_length`): a quarter
in 3/4 and 4/4, a dotted quarter in 6/8, 9/8, 12/8, a half in 2/2. A jig at tempo=110 is
dotted quarter = 110 (165 quarters a minute in the MIDI file), and the score prints it so.

Here: the verbs (`compose`, `continue_`, `harmonize`, `inpaint`). Their parts live beside it and are
re-exported: the controls' checks and `compose_request` in `controls`, `Model` and `load_model` in
`loaded_model`, `read`, `provenance` and the co-create input in `reading`, `Take` in `take`, the
notes about a musician's input in `input_notes`.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import time
from collections.abc import Sequence
from typing import Any

from tunesmith.controls import (  # noqa: F401  (the public names, re-exported)
    STYLE_DEFAULTS,
    _key,
    _narrow_range_note,
    _range,
    compose_request,
    qpm_of,
    style_of,
)
from tunesmith.input_notes import (
    note_accompaniment,
    note_daw_tracks,
    note_input_resembles,
    note_key_against_notes,
    note_key_against_signature,
    note_left_out,
    note_measures_aligned,
    note_minor_as_written,
    note_naturals_against_signature,
    note_repeats_written_out,
    note_sounding_pitch,
    note_tune_of_book,
)
from tunesmith.loaded_model import _MODELS, Model, load_model  # noqa: F401  (_MODELS: scripts clear it)
from tunesmith.reading import (  # noqa: F401  (the public names, re-exported)
    _input_musicians_notes,
    _source_piece,
    provenance,
    read,
    style_from_sidecar,
)
from tunesmith.remarks import chords_left_over, crowded_bars, cycle_ends_open, loop_ending, one_bar_of_chords
from tunesmith.score import Piece, Track, meter_of
from tunesmith.take import Take, out_stem, write_takes

__all__ = [
    "STYLE_DEFAULTS",
    "Model",
    "Take",
    "compose",
    "continue_",
    "harmonize",
    "inpaint",
    "load_model",
    "out_stem",
    "provenance",
    "read",
    "write_takes",
]


def _one_or_list(takes: list[Take], n: int) -> Take | list[Take]:
    return takes[0] if n == 1 else takes


# ------------------------------------------------------------------------------ compose
def compose(
    style: str = "folk",
    *,
    key: str | None = None,
    mode: str | None = None,
    meter: str | None = None,
    bars: int | None = None,
    tempo: float | None = None,
    chords: str | Sequence[str] | None = None,
    pitch_range: Any = None,
    in_scale: bool = False,
    temperature: float | None = None,
    top_p: float | None = None,
    rhythm_temperature: float | None = None,
    rest_penalty: float = 2.0,
    chords_optional: bool = False,
    seed: int | None = None,
    form: str | None = None,
    cadence: str | None = None,
    chords_from: str | None = None,
    tonal_feedback: float | None = None,
    rhythm_feedback: float | None = None,
    interval_feedback: float | None = None,
    modulation: str | None = None,
    pickup: float | None = None,
    dance: str | None = None,
    chord_rhythm: str | None = None,
    shortest: str | None = None,
    texture: str | None = None,
    voice_ranges: Any = None,
    n: int = 1,
    model: str | os.PathLike | Model = "default",
    allow_close: bool = False,
    check: bool = True,
) -> Take | list[Take]:
    """New music in `style` ("folk", "chorale", "pop", "jazz"; any case) under hard controls.

    key: "D", "Bb", "g minor", "F#m" (default: from `chords`, else the style's); meter "6/8";
    tempo in the meter's beats per minute (`help(tunesmith.api)`); chords: one symbol per bar,
    cycling ("Dm7 G7 Cmaj7" or a list); pitch_range "C4:G5" or (60, 79); form "AABB" (None:
    the style's usual form, "" none); cadence "tonic" (as the style's pieces end, mostly on the tonic) | "home" (always the tonic, over the tonic chord) | "free" | "loop" (a half close on V that leads back to the start: its files carry loop points; None: by style); chords_from
    "model" | "harmonizer" | "none" (lead sheets without given chords: the composer's own chords,
    the harmonizer's for the finished melody, or none; None: by style, and "none" for a model whose
    training pieces had no chords); chord_rhythm "bar": one chord a bar, the harmonizer's for each
    bar's melody (None: as it hears the melody, at most one a half bar); tonal_feedback: the weight of the
    style's tonal feedback, which keeps a melody near its key's profile, and rhythm_feedback
    that of the rhythm feedback, which keeps each voice's note lengths near the style's, and
    interval_feedback that of the style's interval offsets, which keep a lead sheet's melody (a
    chorale's soprano) moving by steps and leaps as the style's pieces do (None: 1, 0: off); modulation: a chorale's passage through a related key, "V", "IV", "vi", "ii"
    (major), "III", "iv", "VII", "v" (minor), "none", or None (drawn as Bach's); temperature
    and top_p None: the model's tuned defaults for the style; pickup: quarter-note beats before
    the first bar line (0: none; None: drawn as the style's tunes in the meter start, most folk
    tunes and chorales on an upbeat); dance: a folk dance ("reel", "jig", "hornpipe", "slip-jig", "polka",
    "waltz"), its meter and its tunes' note lengths; shortest: the shortest note or rest, "eighth" or
    "sixteenth" (no shorter value, no triplet; None: any); texture: a chorale's, "chorale" (Bach's, the lower voices
    passing between the soprano's notes; the default) or "hymn" (note against note: they strike only with the
    soprano, on its notes on a beat); voice_ranges: a chorale's voices' own ranges, "T=C3:E4,B=F2:D4" (each
    replacing that voice's textbook range; None: textbook); bars None: 16, folk and a dance 32 (two 8-bar
    strains, AABB), over chords a chart of 8 bars or more once through (`controls.default_bars`); the rest as `tunesmith compose --help` says. Returns a Take (n == 1) or a list of n Takes.

    check: every take is checked against the model's training set (`tunesmith.rights`); a copy
    is resampled (at most 3 times) unless `allow_close`, then kept and labelled; the take's
    provenance["rights"] names the 3 nearest training works with their licenses."""
    from tunesmith.limits import check_takes

    check_takes(n, "n")  # 1..MAX_TAKES, as the command line and co-create have it
    _check_flags(check=check, allow_close=allow_close)
    request = compose_request(
        style, key=key, mode=mode, meter=meter, bars=bars, tempo=tempo, chords=chords, pitch_range=pitch_range,
        in_scale=in_scale, temperature=temperature, top_p=top_p, rhythm_temperature=rhythm_temperature,
        rest_penalty=rest_penalty,
        chords_optional=chords_optional, seed=seed, form=form, cadence=cadence, chords_from=chords_from,
        tonal_feedback=tonal_feedback, rhythm_feedback=rhythm_feedback, interval_feedback=interval_feedback,
        modulation=modulation, pickup=pickup, dance=dance, chord_rhythm=chord_rhythm, shortest=shortest,
        texture=texture, voice_ranges=voice_ranges,
    )  # fmt: skip
    from tunesmith.performance import accent, orchestrate
    from tunesmith.sampling import generate
    from tunesmith.sampling.decode import finish_composed_takes

    notes = []  # what a musician should know about the request, in every take's JSON
    if request.chords and key is not None:
        from tunesmith.harmony import key_against_chords
        from tunesmith.sampling.request import sounding_figures

        clash = key_against_chords(sounding_figures(request.chords), request.key, request.mode)
        if clash:
            notes.append(clash)
    if request.chords:
        notes += [line for line in (chords_left_over(request), one_bar_of_chords(request), crowded_bars(request), cycle_ends_open(request)) if line]
    narrow = _narrow_range_note(request)
    if narrow:
        notes.append(narrow)
    looped = loop_ending(request)
    if looped:
        notes.append(looped)
    t0 = time.perf_counter()
    m = load_model(model)
    load_seconds = time.perf_counter() - t0
    if check:  # before the work: a damaged index is refused, not found after the takes are made
        from tunesmith.rights.guard import model_index

        index = model_index(m)
    unseen = style_unseen(m, request.style)
    if unseen:
        notes.append(unseen)
    written = request  # what the composer writes from: the melody alone where the model never learned chords
    if request.layout == "lead" and not request.chords and chords_unlearned(m):
        if request.chords_from is None:
            request = dataclasses.replace(request, chords_from="none")
            notes.append("this model learned from pieces without chord symbols: its takes have none "
                         "(--chords gives yours; --chords-from harmonizer the shipped harmonizer's)")
        written = dataclasses.replace(request, chords_from="none") if request.chords_from == "harmonizer" else request
    with m.lock:
        raw = generate(m.model, m.tokenizer, written, n=n, seed=request.seed)
    _mark_written_without_chords(raw, written)
    finish_composed_takes(raw, request, m.model)  # chords from the harmonizer, chorale voices restruck
    seed0 = raw[0].seed
    beat_quarters = meter_of(request.meter).beat_length
    # the tempo as the request settled it (a dance's own, 5/8 counted in eighths), in the meter's beats
    # (a number: tempo="120" had been recorded as the string "120")
    beats = {"tempo_bpm": float(tempo) if tempo is not None else round(request.tempo / beat_quarters, 1),
             "beat_quarters": beat_quarters}

    def finish(t: Any) -> None:
        """What every take gets, the copy guard's draws again too (one had kept the harmonizer's
        "B" for IV in G-flat): chords spelled by the key, sections, accents, instruments."""
        piece = t.piece
        if not request.chords:  # the composer's (or harmonizer's) chords named as the key spells its degrees
            from tunesmith.harmony import spell_chord_in_key

            piece.chords = [dataclasses.replace(c, figure=spell_chord_in_key(c.figure, piece.key)) for c in piece.chords]
        piece.meta.setdefault("composer", "tunesmith")
        piece.meta["sections"] = form_sections_played(request, bool(t.meta.get("pickup")))
        accent(piece)
        orchestrate(piece)  # the style's instruments (MIDI and WAV)

    def resolved(t: Any) -> dict:
        """What the defaults resolved to for take `t`: the model's decoding for the style, the
        form, the pickup, the ending (each take draws its own; a draw again too)."""
        # the composer's drawn first chord steered its own chords, which the harmonizer replaced:
        # it says nothing of the take's first chord then
        replaced = ("opening_chord",) if t.meta.get("chords_from") == "harmonizer" else ()
        return ({k: t.meta[k] for k in ("temperature", "rhythm_temperature", "chord_token_temperature", "top_p", "form", "cadence",
                                        "chords_from", "chords_temperature", "chords_prior_correction",
                                        "pickup", "header_tempo", "opening_chord", "contrast_chord",
                                        "melody_span")
                 if k in t.meta and k not in replaced}  # fmt: skip
                | _ending_record(t.meta)
                | _modulation_record(t.meta)
                | _restated_record(t.meta)
                | _header_key_record(t.meta))

    takes = []
    for i, t in enumerate(raw):
        finish(t)
        prov = {
            "request": request.to_dict() | {"seed": seed0} | beats,
            "resolved": resolved(t),
            "model": m.record(),
            "seed": seed0,
            "take_index": i,
            "batch": n,  # the takes drawn together from one seed: --seed S --n N makes this one again as take i + 1
            "training_data": m.training_record(),
            "timings": {"load_model": round(load_seconds, 4), "generate": round(t.seconds, 4)},
        }
        if notes:
            prov["notes"] = list(notes)
        takes.append(Take(t.piece, seed0, prov, t))
    if check:  # the copy guard (tunesmith.rights.guard)
        from tunesmith.rights.guard import guard_takes

        def redo(i: int, attempt: int) -> Take:
            s = (seed0 + 7919 * attempt + i) % (2**31 - 1)
            with m.lock:
                again = generate(m.model, m.tokenizer, dataclasses.replace(written, seed=s), n=1, seed=s)
            _mark_written_without_chords(again, written)
            finish_composed_takes(again, request, m.model)
            t = again[0]
            finish(t)
            prov = copy.deepcopy(takes[i].provenance) | {"seed": s, "take_index": 0, "batch": 1,
                                                         "resampled_from": [seed0, i], "resolved": resolved(t)}
            prov["request"]["seed"], prov["timings"]["generate"] = s, round(t.seconds, 4)
            return Take(t.piece, s, prov, t)

        takes = guard_takes(takes, index, resample=redo, allow_close=allow_close)
    return _one_or_list(takes, n)


def form_sections_played(request: Any, pickup: bool) -> list[list]:
    """The take's sections as its form planned them, as the readers record a tune's
    (`meta["sections"]`: [first bar, bar after, letter], a pickup bar 0 and part of the first):
    the score marks where each begins. [] for a through-composed take."""
    from tunesmith.sampling.request import form_sections

    out, at = [], 0
    for letter, primed, size in form_sections(request.resolved_form(), request.bars):
        start, end = at + (1 if pickup and at else 0), at + size + (1 if pickup else 0)
        out.append([start, end, letter + ("'" if primed else "")])
        at += size
    return out


def chords_unlearned(model: Model) -> bool:
    """Whether the model's training pieces, as its own record counts them, had no chord symbols:
    its chord tokens were never trained (a band's model of tunes without chords wrote D69, Daug,
    Ebm, Eb13b9 over a tune in D). False when the record does not count them (models before it)."""
    return (model.training_record() or {}).get("pieces_with_chords") == 0


def _mark_written_without_chords(takes: list[Any], request: Any) -> None:
    if getattr(request, "chords_from", None) == "none":
        for t in takes:
            t.meta["written_without_chords"] = True


def style_unseen(model: Model, style: str) -> str | None:
    """A line when the model's training pieces, as its own record counts them, hold none of
    `style`: it composes there by its grammar alone (a folk-only model wrote a chorale and said
    nothing). None when the style was seen or the model does not record its styles."""
    counts = (model.training_record() or {}).get("style_counts")
    if not isinstance(counts, dict) or not counts or counts.get(style, 0) > 0:
        return None
    seen = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return f"this model learned from no {style} pieces (its training pieces: {seen}): expect little of the style"


def _check_flags(**flags: Any) -> None:
    """Each flag a bool: an app's check="no" had been taken as true (the check ran)."""
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, not {value!r}")


def _ending_record(meta: dict) -> dict:
    """{"ending": ...}: what a take drew for its close under a tonic cadence (the melody's closing
    degree and, off the tonic triad, the degree of the chord under it; a lead sheet's chord before
    its final tonic chord and where in its bar it starts; the last note's length in
    quarter notes; how the melody reaches it; a chorale's final third and bass approach,
    `"half_close": true` where a minor chorale closes on its dominant, a folk tune's strain ends,
    "closed" on the tonic chord or "open" on the dominant, and a composed chorale's bass degree into
    each half close inside it, `phrase_cadences.HALF_CLOSE_APPROACH_SHARES`), or {} when nothing was drawn."""
    from tunesmith.tokenizer import TICKS_PER_BEAT

    ending = {k: meta[k] for k in ("closing_degree", "final_chord", "approach_chord", "approach_start", "tonic_bars",
                                   "melody_approach", "soprano_approach", "final_third", "bass_approach",
                                   "half_close") if meta.get(k)}  # fmt: skip
    if meta.get("final_ticks"):
        ending["last_note_quarters"] = meta["final_ticks"] / TICKS_PER_BEAT
    first = _first_bar_as_played(meta)
    if meta.get("strain_ends"):  # how each strain inside a folk tune ends, at its bar as played (a pickup is bar 0)
        ending["strain_ends"] = [{"bar": int(b) + first, "cadence": kind} for b, kind, _ in meta["strain_ends"]]
    if meta.get("phrase_approaches"):  # a composed chorale's half closes inside it: the bass's degree before V
        ending["half_close_approaches"] = [{"bar": int(b) + first, "bass_semitones_over_tonic": int(d)}
                                           for b, d in meta["phrase_approaches"]]  # fmt: skip
    return {"ending": ending} if ending else {}


def _first_bar_as_played(meta: dict) -> int:
    """The number a musician gives the automaton's bar 0: 1, or 0 where it is a pickup bar."""
    return 0 if meta.get("pickup") else 1


def _modulation_record(meta: dict) -> dict:
    """{"modulation": {"to": "V", "bars": [first, last]}} (bars counted from 1): the related key a
    take passes through and where (`sampling.set_modulation`), or {} when it drew none."""
    mod = meta.get("modulation")
    if not mod:
        return {}
    name, first, after = mod
    one = _first_bar_as_played(meta)
    return {"modulation": {"to": name, "bars": [int(first) + one, int(after) - 1 + one]}}


def _restated_record(meta: dict) -> dict:
    """{"restated_openings": [{"bars": [1, 2], "at": [5, 6]}, ...]} (bars as played): a dance
    strain's opening bars the take drew to restate at its second phrase (`RESTATED_OPENINGS`), or
    {} when it drew none."""
    drawn = meta.get("restated")
    if not drawn:
        return {}
    one = _first_bar_as_played(meta)
    return {"restated_openings": [{"bars": [int(b) + one + o for o in range(int(k))],
                                   "at": [int(b) + 4 + one + o for o in range(int(k))]} for b, k in drawn]}  # fmt: skip


def _header_key_record(meta: dict) -> dict:
    """{"header_key": {"told": "C", "sounds_above": 3}}: the key a chorale's header told the model
    and how far above it the take sounds (`sampling.decode.header_key`), or {} when it was told its
    own key."""
    told = meta.get("header_key")
    return {"header_key": {"told": told[0], "sounds_above": int(told[1])}} if told else {}


# ------------------------------------------------------------------------------ co-create
def _check_key(verb: str, piece: Piece, tonic: str | None, mode: str | None) -> None:
    """A --key/--mode that contradicts the key the piece is written in is refused (the given music
    never changes, so it cannot be moved to another key); over an estimated key it is honoured, and
    so is one with the written key's own signature (C major for A minor, D dorian for C major): a
    signature does not say the mode, which the reading guesses. A jazz pianist could not correct
    There Will Never Be Another You, read as A minor, to C ("key C contradicts the piece's written
    key A minor")."""
    if tonic is None and mode is None:
        return
    from tunesmith.score import KeySignature, pitch_class_of

    written = piece.key if piece.keys and not piece.meta.get("key_estimated") else None
    where = piece.path or piece.piece_id or "the piece"
    if written is None:
        if tonic is not None:
            piece.keys = [KeySignature(0.0, tonic, (mode or "major").lower())]
            piece.meta["key_estimated"] = False
        return
    if tonic is None:
        # a mode alone is asked of the written tonic (--mode mixolydian for a jig written in D):
        # it had been refused as "key mixolydian contradicts ..."
        tonic = written.tonic
    try:
        same_tonic = pitch_class_of(tonic) == written.tonic_pc
    except ValueError:
        return  # cocreate names the bad tonic
    same_mode = mode is None or {"ionian": "major", "aeolian": "minor"}.get(mode.lower(), mode.lower()) == written.mode
    if not (same_tonic and same_mode) and tonic is not None:
        from tunesmith.sampling.request import seven_note_scale

        asked_mode = (mode or ("major" if not same_tonic else written.mode)).lower()
        asked_mode = {"ionian": "major", "aeolian": "minor"}.get(asked_mode, asked_mode)
        scale = {(pitch_class_of(tonic) + s) % 12 for s in seven_note_scale(asked_mode)}
        if scale == {(written.tonic_pc + s) % 12 for s in seven_note_scale(written.mode)}:
            _note_relative_key_against_the_notes(piece, written, tonic, asked_mode)
            piece.keys = [KeySignature(0.0, tonic, asked_mode)]  # the same signature, read in another mode
            return
        if same_tonic:
            # the written tonic in another mode (D mixolydian for a jig written in D major with every
            # C natural, as old collections write them; a fiddler had been refused): the key profiles
            # cannot tell modes of one family apart, so the notes' time in each scale decides, and the
            # mode asked is read where its scale holds them at least as well as the written key's
            fit = _scale_shares(piece, [(written.tonic_pc, asked_mode), (written.tonic_pc, written.mode)])
        else:
            fit = _key_fits(piece, [(pitch_class_of(tonic), asked_mode), (written.tonic_pc, written.mode)])
        if fit is not None and fit[0] >= fit[1] + (0.0 if same_tonic else KEY_FIT_MARGIN):
            # the notes and chords sit in the key asked, not the signature's: a wrong signature (an
            # arranger's lead sheet in F written without its flat) is read as asked, and said
            piece.meta["key_against_signature"] = {"written": f"{written.tonic} {written.mode}",
                                                   "read": f"{tonic} {asked_mode}"}  # fmt: skip
            piece.keys = [KeySignature(0.0, tonic, asked_mode)]
            return
    if not (same_tonic and same_mode):
        asked = " ".join(x for x in (tonic, mode) if x)
        if same_tonic:
            raise ValueError(
                f"{where}: key {asked} contradicts the piece's written key {written.tonic} {written.mode}: its notes "
                f"sit in {written.tonic} {written.mode}'s scale more than in {asked}'s; {verb} keeps the given music "
                "as it is (leave the mode out)"
            )
        raise ValueError(
            f"{where}: key {asked} contradicts the piece's written key {written.tonic} {written.mode}; {verb} keeps "
            "the given music as it is (leave out --key/--mode, or transpose the input first)"
        )


RELATIVE_KEY_NOTED = True


def _note_relative_key_against_the_notes(piece: Piece, written: Any, tonic: str, mode: str) -> None:
    """A key asked in the written signature's other mode (E minor for a tune written in G major) is
    honoured, but said (`meta["key_against_notes"]`, `input_notes.note_key_against_notes`) where the
    melody ends on the written key's tonic, not the asked one, and its notes and chords fit the
    asked key no better than the written by `KEY_FIT_MARGIN`: a choir director's Old Hundredth had
    been harmonized in E minor without a word. Of the valid split's tunes with a written key, asked
    their relative key, 1,054 of 1,384 would be told; asked their own key where the signature read
    as its relative, 21 would be told falsely (`docs/notes/2026-12-06-session-54/relative_key.py`)."""
    from tunesmith.score import pitch_class_of

    melody = piece.melody()
    if not RELATIVE_KEY_NOTED or melody is None or not melody.notes:
        return
    last = melody.notes[-1].pitch % 12
    if last != written.tonic_pc or last == pitch_class_of(tonic):
        return
    fit = _key_fits(piece, [(pitch_class_of(tonic), mode), (written.tonic_pc, written.mode)])
    if fit is not None and fit[0] >= fit[1] + KEY_FIT_MARGIN:
        return
    piece.meta["key_against_notes"] = {"asked": f"{tonic} {mode}", "written": f"{written.tonic} {written.mode}"}


# `_check_key`: how much better (a correlation with the key's profile) the notes and chords must fit
# the key asked than the one the file's signature says, for the asked key to be read against it
KEY_FIT_MARGIN = 0.1


def _pitch_class_time(piece: Piece) -> Any:
    """The piece's time per pitch class (12 floats): every pitched note, and each chord symbol's
    tones for as long as it sounds."""
    import numpy as np

    from tunesmith.harmony import chord_pitch_classes

    h = np.zeros(12)
    for track in piece.tracks:
        for n in track.notes if not track.is_drum else ():
            h[n.pitch % 12] += n.duration
    chords = sorted(piece.chords, key=lambda c: c.onset)
    for c, nxt in zip(chords, [*chords[1:], None]):
        length = (c.duration or ((nxt.onset if nxt else piece.duration()) - c.onset))
        try:
            for pc in chord_pitch_classes(c.figure):
                h[pc] += max(length, 0.0)
        except (ValueError, KeyError):
            continue
    return h


def _scale_shares(piece: Piece, keys: list[tuple[int, str]]) -> list[float] | None:
    """The share of the piece's pitch-class time (`_pitch_class_time`) inside each of `keys`'
    seven-note scales ((tonic pitch class, mode); minor: natural minor). None without music."""
    from tunesmith.sampling.request import seven_note_scale

    h = _pitch_class_time(piece)
    total = float(h.sum())
    if total <= 0:
        return None
    return [sum(float(h[(tonic + s) % 12]) for s in seven_note_scale(mode)) / total for tonic, mode in keys]


def _key_fits(piece: Piece, keys: list[tuple[int, str]]) -> list[float] | None:
    """How well each of `keys` ((tonic pitch class, mode)) fits the piece: the correlation of its
    time per pitch class (`_pitch_class_time`) with the key's profile
    (`metrics.musicality._key_templates`). None without music."""
    import numpy as np

    from tunesmith.metrics.musicality import _key_templates

    h = _pitch_class_time(piece)
    if h.sum() <= 0:
        return None
    h -= h.mean()
    h /= np.linalg.norm(h) or 1.0
    rows = _key_templates()
    minor = ("minor", "aeolian", "dorian", "phrygian", "locrian")
    return [float(rows[(tonic % 12) + (12 if mode in minor else 0)] @ h) for tonic, mode in keys]


def _note_keys(piece: Piece) -> list[set]:
    return [{(n.pitch, n.onset, n.duration, n.velocity) for n in t.notes} for t in piece.tracks]


def _cocreate(verb: str, source: Any, *, tune: int = 1, n: int = 1, model: Any = "default",
              before_model: Any = None, **kw: Any):  # fmt: skip
    """`before_model(piece)`: called with the musician's piece once it has passed its checks,
    before the model loads (the CLI refuses an existing output there, and a take too long for its
    WAV, so that a bad input is reported first and nothing is made in vain)."""
    from tunesmith import cocreate
    from tunesmith.performance import accent, orchestrate

    _check_flags(**{k: kw[k] for k in ("check", "allow_close") if k in kw})
    piece, source_record = _source_piece(source, tune)
    pickup = kw.pop("pickup", None)
    if pickup is not None:  # the musician says where the bars start (a MIDI file has no bar lines)
        from tunesmith.inputs.pickup import with_pickup

        piece = with_pickup(piece, pickup)
    elif source_record and str(source_record.get("name", "")).lower().endswith((".mid", ".midi", ".smf")):
        from tunesmith.inputs.pickup import pickup_hint

        hint = pickup_hint(piece)  # nothing is moved: the take's JSON says it, the CLI prints it
        if hint is not None:
            source_record["pickup_hint"] = hint
    chords_read = None
    if verb in ("continue", "inpaint"):  # chords played on a track of their own become chord symbols
        piece, chords_read = cocreate.chords_from_tracks(piece)
        if chords_read and verb == "inpaint":
            # the track that plays them is the musician's and is kept, so its chords are kept too (new
            # ones would sound against it: a D7 symbol over a C-major piano chord)
            keep = kw.get("keep")
            keep = [k.strip() for k in (keep.split(",") if isinstance(keep, str) else list(keep or [])) if k.strip()]
            if "melody" in keep:
                where = piece.path or piece.piece_id or "the piece"
                raise ValueError(f"{where}: its chords are played on its {', '.join(chords_read['tracks'])} track, which "
                                 "inpaint keeps, so keeping the melody leaves nothing to write; harmonize writes new "
                                 "chords for the whole melody")  # fmt: skip
            kw["keep"] = [*keep, "chords"] if "chords" not in keep else keep
    style = style_of(kw.pop("style", None))
    tonic, mode = _key(kw.pop("key", None), kw.pop("mode", None))
    pitch_range = _range(kw.pop("pitch_range", None))
    rhythm = kw.get("chord_rhythm")
    _check_key(verb, piece, tonic, mode)
    if verb == "continue" and (style or piece.style) == "chorale":
        layout, _ = cocreate._voice_tracks(piece)
        if layout != "satb":
            where = piece.path or piece.piece_id or "the piece"
            raise ValueError(
                f"{where}: a chorale continues four voices (soprano, alto, tenor, bass) and this piece has one "
                "melody; harmonize it first (--style chorale), or continue it as folk, pop or jazz"
            )
    cocreate.check_input(verb, piece, bars=kw.get("bars"), keep=kw.get("keep"), style=style, key=tonic, mode=mode,
                         n=n, chord_rhythm=rhythm, reprise=kw.get("reprise"),
                         **{k: kw.get(k) for k in ("temperature", "top_p", "tonal_feedback", "rhythm_feedback", "cadence")})  # fmt: skip
    from tunesmith.cocreate.continuation import continuation_form
    from tunesmith.cocreate.verbs import continuation_chords

    continuation_chords(kw.get("chords"))  # a bad symbol is one line before the model loads
    continuation_form(kw.get("form"))  # and so is a bad form
    if verb == "harmonize":
        from tunesmith.cocreate.inputs import _style_of
        from tunesmith.cocreate.verbs import chorale_texture, harmonize_voice_ranges

        kw["texture"] = chorale_texture(kw.get("texture"), _style_of(style, piece))  # and a texture without voices
        kw["voice_ranges"] = harmonize_voice_ranges(kw.get("voice_ranges"), _style_of(style, piece))
    if before_model is not None:
        before_model(piece)
    t0 = time.perf_counter()
    m = load_model(model)
    load_seconds = time.perf_counter() - t0
    from tunesmith.rights.guard import model_index

    index = model_index(m)  # before the work: a damaged index is refused, not found after the takes are made
    common = dict(
        style=style, n=n, seed=kw.pop("seed", None), temperature=kw.pop("temperature", None),
        top_p=kw.pop("top_p", None), pitch_range=pitch_range, in_scale=kw.pop("in_scale", False), key=tonic,
        mode=mode, voice_leading=kw.pop("voice_leading", True), rhythm_feedback=kw.get("rhythm_feedback"),
    )  # fmt: skip
    allow_close = bool(kw.pop("allow_close", False))

    def generate(**again: Any) -> list:
        """The verb's raw takes; `again`: n and seed for the copy guard's draw of one take again."""
        given = common | again
        with m.lock:  # one generation at a time on a model (its decoder cache)
            if verb == "continue":
                return cocreate.continue_piece(m.model, m.tokenizer, piece, kw["bars"], tonal_feedback=kw.get("tonal_feedback"),
                                               cadence=kw.get("cadence"), reprise=kw.get("reprise"), chords=kw.get("chords"),
                                               contrast=kw.get("contrast"), form=kw.get("form"), **given)  # fmt: skip
            if verb == "harmonize":
                return cocreate.harmonize(m.model, m.tokenizer, piece, chord_rhythm=rhythm, lookahead=kw.get("lookahead", 8),
                                          chords_from=kw.get("chords_from", "harmonizer"), texture=kw.get("texture"),
                                          voice_ranges=kw.get("voice_ranges"), **given)  # fmt: skip
            return cocreate.inpaint(m.model, m.tokenizer, piece, kw["bars"], keep=kw.get("keep"), chord_rhythm=rhythm,
                                    lookahead=kw.get("lookahead", 8), chords_from=kw.get("chords_from", "harmonizer"),
                                    tonal_feedback=kw.get("tonal_feedback"), **given)  # fmt: skip

    t1 = time.perf_counter()
    raw = generate()
    generate_seconds = time.perf_counter() - t1
    seed = raw[0].seed
    request = {
        "command": verb, "input": source_record["path"] if source_record and "path" in source_record else None,
        # continue: the new bars as resolved (none asked: the default, `cocreate.continue_piece`)
        "tune": tune, "bars": raw[0].meta.get("bars", kw.get("bars")) if verb == "continue" else kw.get("bars"),
        "keep": kw.get("keep"), "chord_rhythm": rhythm,
        "style": raw[0].meta.get("style"), "key": tonic, "mode": mode,
        "pitch_range": list(pitch_range) if pitch_range else None, "in_scale": common["in_scale"],
        "temperature": common["temperature"], "top_p": common["top_p"], "n": n, "seed": seed,
        "voice_leading": common["voice_leading"], "lookahead": kw.get("lookahead"),
        "tonal_feedback": kw.get("tonal_feedback"), "rhythm_feedback": kw.get("rhythm_feedback"),
        "cadence": kw.get("cadence"), "reprise": kw.get("reprise"), "contrast": kw.get("contrast"), "form": kw.get("form"),
        "pickup": pickup,
        "chords": kw.get("chords") if isinstance(kw.get("chords"), str | type(None)) else list(kw["chords"]),
        # harmonize writes its own chords: how many chord symbols of the input it replaced
        "input_chords_replaced": (len(piece.chords) if verb == "harmonize" and raw[0].meta.get("style") != "chorale"
                                  else None),
        # harmonize writes its own lower voices (a chorale): the input's parts it replaced, named (a
        # four-part input's alto, tenor and bass had been replaced without a word)
        "input_voices_replaced": _voices_replaced(piece, raw[0].piece) if verb == "harmonize" else None,
        # a lead sheet without chord symbols whose chords sound on other tracks: where they were read
        "input_chords_read_from": chords_read,
        # what those unset resolved to (the style's tuned decoding)
        "resolved": {k: raw[0].meta[k] for k in ("temperature", "rhythm_temperature", "top_p", "cadence", "reprise",
                                                         "contrast", "strain_played_twice", "form", "header_tempo")
                     if k in raw[0].meta},
    }  # fmt: skip
    given = _note_keys(piece)
    input_how = (source_record or {}).get("made_how") or "musician"

    def make_take(i: int, t: Any, seed: int) -> Take:
        out = t.piece
        # tunesmith's part is credited on the score beside the musician's composer (a continuation of
        # Honeysuckle Rose had read "Thomas Waller" alone), unless the input names its own arranger
        out.meta.setdefault("arranger", "tunesmith")

        def keep(ti: int, note: Any, out: Piece = out) -> bool:
            # the musician's notes keep their velocities
            return ti < len(given) and (note.pitch, note.onset, note.duration, note.velocity) in given[ti]

        accent(out, keep)
        orchestrate(out)
        prov = {
            "request": request,
            "model": m.record(),
            "seed": seed,
            "take_index": i,
            "batch": n,
            "input_file": source_record,
            # an input tunesmith made (a take co-created again): not the musician's notes
            **({"input_made_how": input_how} if input_how != "musician" else {}),
            "cocreate": {k: v for k, v in t.meta.items() if k != "take"},
            "training_data": m.training_record(),
            "timings": {"load_model": round(load_seconds, 4), "generate": round(t.seconds, 4)},
        }
        # what this take drew for its close, where compose's takes say it (`resolved.ending`): a
        # songwriter had looked for a continuation's there and found it only under "cocreate"
        ending = _ending_record(t.meta)
        if ending:
            prov["resolved"] = ending
        return Take(out, seed, prov, t)

    takes = [make_take(i, t, seed) for i, t in enumerate(raw)]

    def redo(i: int, attempt: int) -> Take:
        """Take `i` drawn again, from its own seed: the copy guard's resample."""
        s = (seed + 7919 * attempt + i) % (2**31 - 1)
        again = make_take(0, generate(n=1, seed=s)[0], s)
        again.provenance["request"] = again.provenance["request"] | {"seed": s, "n": 1}
        again.provenance |= {"batch": 1, "resampled_from": [seed, i]}
        return again

    from tunesmith.rights.features import given_notes
    from tunesmith.rights.guard import guard_takes

    # the copy guard redoes a co-created take that copies a training work, as compose's (a
    # continuation of the Irish Washerwoman had played on with its training version's bars 25-30,
    # kept and labelled "copy"); the musician's own notes never count as copying; an input
    # tunesmith made is checked whole
    if input_how == "musician":
        guard_given = given_notes(piece)
    elif input_how == "co-created":  # the musician's part of what tunesmith co-created with them
        guard_given = _input_musicians_notes(source, piece, source_record)
    else:
        guard_given = None
    if guard_given is not None:
        # ... nor do they where a continuation restates them (a reprise, a form's later A's): a jazz
        # pianist's Honeysuckle Rose continued AABA had been drawn again and labelled a copy of it
        guard_given = guard_given | {(int(x.pitch), round(float(x.onset), 4)) for r in raw
                                     for a, b in r.meta.get("restated_beats") or [] for tr in r.piece.tracks
                                     for x in tr.notes if a - 1e-6 <= x.onset < b - 1e-6}  # fmt: skip
    takes = guard_takes(takes, index, resample=redo, given=guard_given, allow_close=allow_close)
    if input_how == "musician":
        note_input_resembles(takes, piece, index)
    note_repeats_written_out(takes, piece)
    note_key_against_signature(takes, piece)
    note_key_against_notes(takes, piece)
    note_naturals_against_signature(takes, piece)
    note_minor_as_written(takes, piece)
    note_sounding_pitch(takes, piece)
    note_measures_aligned(takes, piece)
    note_left_out(takes, piece)
    note_tune_of_book(takes, piece)
    if verb == "harmonize":
        note_accompaniment(takes, piece)
    note_daw_tracks(verb, takes, piece)
    return _one_or_list(takes, n), {"load_model": load_seconds, "generate": generate_seconds}


def continue_(source: Take | Piece | str | os.PathLike, bars: int | None = None, *, style: str | None = None,
              key: str | None = None, mode: str | None = None, tune: int = 1, n: int = 1, seed: int | None = None,
              temperature: float | None = None, top_p: float | None = None, pitch_range: Any = None,
              in_scale: bool = False, voice_leading: bool = True, tonal_feedback: float | None = None,
              rhythm_feedback: float | None = None, cadence: str | None = None, reprise: int | None = None,
              pickup: float | None = None, chords: str | Sequence[str] | None = None,
              contrast: bool | None = None, form: str | None = None, allow_close: bool = False,
              model: Any = "default") -> Take | list[Take]:  # fmt: skip
    """The given music (a Take, a Piece or a file) exactly as it is, then `bars` new bars in its
    key, meter and style (style: given, else the piece's own, else folk). A `key` that
    contradicts the piece's written key is refused. Sampled as `compose` samples the style
    (temperature and top-p None: its tuned ones; its tonal and rhythm feedback); the new bars end
    the piece under `cadence` ("tonic" | "home" | "free"; None: the style's default, as in `compose`);
    `reprise` bars of the given opening come back note for note first (A A'; None: the style's
    default, half the new bars for pop, else none). `pickup`: the first bar is a pickup of that
    many quarter notes (0: none), for a file that does not say where its bars start (MIDI).
    `chords`: the new bars' chord symbols, one per bar and cycling, or "again" (the given
    music's own chords once more, bar by bar: a blues's next chorus); None: the model's.
    `contrast`: the new bars are a contrasting strain (a B after A A), their melody lifted over
    the given one's register; None: so for folk after at least 8 given bars, when the new bars
    are at most as many and nothing is restated (`cocreate.continue_piece`). `bars` None: 8, or after
    a folk strain played twice (A A) twice its length, the new strain played twice (A A B B).
    `form`: the whole tune's sections, the given music its first A ("AABA": A B A follow, each as
    long as it); each later A restates it but for its last bar, written anew (the last closes),
    the other sections are new (`cocreate.continue_piece`); `bars` None.
    A take whose new music copies a training work is drawn again (the musician's notes never count
    as copying), unless `allow_close`: then it is kept and labelled, as in `compose`."""
    return _cocreate("continue", source, bars=bars, style=style, key=key, mode=mode, tune=tune, n=n, seed=seed,
                     temperature=temperature, top_p=top_p, pitch_range=pitch_range, in_scale=in_scale,
                     voice_leading=voice_leading, tonal_feedback=tonal_feedback, rhythm_feedback=rhythm_feedback,
                     cadence=cadence.lower() if isinstance(cadence, str) else cadence, reprise=reprise, pickup=pickup,
                     chords=chords, contrast=contrast, form=form, allow_close=allow_close, model=model)[0]  # fmt: skip


def _voices_replaced(given: Piece, written: Piece) -> list[str] | None:
    """The names of `given`'s parts with notes that no part of `written` (a harmonization) keeps as
    they were (the melody, kept, may be renamed: a melody track becomes the soprano); None where it
    keeps them all."""
    def notes(track: Track) -> list[tuple[int, float, float]]:
        return [(x.pitch, round(x.onset, 6), round(x.duration, 6)) for x in track.notes]

    kept = [notes(t) for t in written.tracks]
    replaced = [t.name for t in given.tracks if t.notes and not t.is_drum and notes(t) not in kept]
    return replaced or None


def harmonize(melody: Take | Piece | str | os.PathLike, *, style: str | None = None, key: str | None = None,
              mode: str | None = None, tune: int = 1, n: int = 1, seed: int | None = None,
              chord_rhythm: str | None = "auto", chords_from: str = "harmonizer", lookahead: int = 8,
              temperature: float | None = None, top_p: float | None = None, pitch_range: Any = None,
              in_scale: bool = False, voice_leading: bool = True, rhythm_feedback: float | None = None,
              pickup: float | None = None, texture: str | None = None, voice_ranges: Any = None,
              allow_close: bool = False, model: Any = "default") -> Take | list[Take]:  # fmt: skip
    """Chord symbols (folk, pop, jazz) or alto, tenor and bass (chorale) under the melody; the
    melody's notes are kept exactly. `texture` (chorale): "chorale" (Bach's, the default) or "hymn"
    (note against note: the lower voices strike only on beats, with the melody or where the chord changes under
    its held note). `voice_ranges` (chorale): the alto's, tenor's and bass's own ranges, "T=C3:E4,B=F2:D4". `chords_from`: "harmonizer" (the shipped network that hears
    the whole melody; for chorales it plans the chord of every beat and the voices aim at it),
    "table" (lead sheets: the count table) or "model" (the composer alone). `pickup`: the first
    bar is a pickup of that many quarter notes (0: none), as in `continue_`. `allow_close`: as in
    `continue_`."""
    return _cocreate("harmonize", melody, style=style, key=key, mode=mode, tune=tune, n=n, seed=seed,
                     chord_rhythm=chord_rhythm, chords_from=chords_from, lookahead=lookahead,
                     temperature=temperature, top_p=top_p, pitch_range=pitch_range, in_scale=in_scale,
                     voice_leading=voice_leading, rhythm_feedback=rhythm_feedback, pickup=pickup,
                     texture=texture, voice_ranges=voice_ranges, allow_close=allow_close, model=model)[0]  # fmt: skip


def inpaint(piece: Take | Piece | str | os.PathLike, bars: Any = "5-8", *, keep: Any = None,
            style: str | None = None, key: str | None = None, mode: str | None = None, tune: int = 1, n: int = 1,
            seed: int | None = None, chord_rhythm: str | None = None, lookahead: int = 8,
            temperature: float | None = None, top_p: float | None = None, pitch_range: Any = None,
            in_scale: bool = False, voice_leading: bool = True, chords_from: str = "harmonizer",
            tonal_feedback: float | None = None, rhythm_feedback: float | None = None,
            pickup: float | None = None, allow_close: bool = False, model: Any = "default") -> Take | list[Take]:  # fmt: skip
    """Regenerate `bars` ("5-8", (5, 8); 1-based, a pickup is bar 0), everything outside them kept
    note for note; `keep="melody"` keeps the melody inside them too (new chords only: from the
    harmonizer, which hears the whole melody, unless `chords_from="model"`). `pickup` and
    `allow_close`: as in `continue_`."""
    return _cocreate("inpaint", piece, bars=bars, keep=keep, style=style, key=key, mode=mode, tune=tune, n=n,
                     seed=seed, chord_rhythm=chord_rhythm, lookahead=lookahead, temperature=temperature,
                     top_p=top_p, pitch_range=pitch_range, in_scale=in_scale, voice_leading=voice_leading,
                     chords_from=chords_from, tonal_feedback=tonal_feedback, rhythm_feedback=rhythm_feedback,
                     pickup=pickup, allow_close=allow_close, model=model)[0]  # fmt: skip
