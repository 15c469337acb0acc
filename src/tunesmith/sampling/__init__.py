"""Compose: sample pieces from the model under hard constraints.

`generate(model, tokenizer, request, n)` writes `n` takes for one `ComposeRequest`. Every
constraint of the request is enforced by MASKING the model's next-token distribution with a
grammar automaton (`Constrainer`), so it holds in every take whatever the weights are:

- the header is written, not sampled: style, key (tonic + mode), meter, tempo bucket, bars,
  layout (lead sheet: melody; chorale: soprano, alto, tenor, bass);
- grammar: `Pos` is followed by `Pitch`, `Pitch` by `Dur`, chord `Root` by `Qual`; voices come
  in layout order in every bar; so every stream decodes;
- meter: positions lie inside the bar; voices are monophonic (a note starts at or after the
  previous note's end);
- exactly `bars` bars: `Bar` is forced after the last voice until the count is reached, then
  `<eos>`; no note lasts past the end of the last bar; the first voice sounds in the last bar;
  with a pickup (`ComposeRequest.pickup`, given or drawn per take from the model's shares) a
  pickup bar comes first, every voice entering where it starts, and a lead sheet's last bar is
  short by it (`add_pickup_bar`);
- chords: with a chord list, bar i gets exactly chords[i % len(chords)] at its downbeat (the
  figure as given is written back);
- pitch range per voice (a chorale's range is split into four overlapping voice ranges), and
  with `in_scale` only pitches of the key's scale (minor: raised 6th and 7th allowed);
- chorales: voices never cross and avoid parallel fifths and octaves (`voice_leading`; the
  parallels rule yields where it would leave no pitch);
- key and tempo are written into the Piece exactly as requested;
- length budget: when the model's block would run out, only structural tokens remain allowed.

Decoding uses the numpy KV-cache decoder (`inference.NumpyDecoder`); at batch 1, tokens the
grammar forces (bar lines, given chords, voice markers) are fed together in one step.

The package, one idea a module (each imports only the ones above it):

- `request`: `ComposeRequest`, `Take`, the style defaults a request resolves (`DEFAULT_FORMS`,
  `DEFAULT_CADENCES`, `FINAL_DEGREE_SHARES`, `FINAL_LENGTH_SHARES`,
  `FINAL_MELODY_APPROACH_SHARES`, `FINAL_CHORD_SHARES`, `BARFORM`, `DEFAULT_RANGES`),
  the limits it is checked against, the parsing of a form into sections, `mode_family`, the
  triad on a degree of the key (`degree_chord`);
- `feedback`: what the style's tuned decoding sets in a take's tables: the tonal, register and
  rhythm feedback (`set_tonal_feedback`, `set_register_feedback`, `set_rhythm_feedback`) and the
  shares the closing degree is drawn from (`set_closing_shares`);
- `tables`: the token categories, `_Tables` (what a take's automaton reads that depends only on
  the tokenizer and the request: ranges, forced chords, the form's repeats and cadences, the
  ending's shares, a pickup bar: `add_pickup_bar`) and `compose_tables`;
- `endings`: the close a take draws (`set_ending_tables`) and the rules for the chord before a
  four-part final chord;
- `part_writing`: the four-part rules a chorale's voices keep, as soft masks over the current
  voice's pitches (`part_writing`, `final_chord_third`, `narrow`);
- `phrase_cadences`: how a composed chorale's bass comes to each phrase's cadence, and the degree
  each half close inside it draws (`HALF_CLOSE_APPROACH_SHARES`, the Phrygian close);
- `automaton`: the token states and `Constrainer`;
- `decode`: the prompt, the decoding parameters (`sampling_params`, `token_temperatures`), one
  draw among the allowed tokens (`_sample`), the numpy decoder on one BLAS thread, the decoding
  loop shared with co-create (`decode_rows`) and `generate`;
- `infilling`: `infill`, a span of bars rewritten between the music around it.

This module re-exports the public names, and the private ones co-create, the solvers and the
tests use, so `sampling.X` keeps working for them. A module-level name is looked up in the module
whose code reads it, so replace it there: `_decoder_for` on `sampling.decode` for `generate` (on
`sampling.infilling` for `infill`). The feedback's constants (`TONAL_MIN_TICKS`,
`REGISTER_MIN_TICKS`, `REGISTER_SCALE`, `RHYTHM_MIN_NOTES`, `FEEDBACK_EPS`, `FEEDBACK_CLIP`) live
in `sampling.feedback` (`sampling.automaton` reads them), and
`MIN_MELODY_SPAN` and `MIN_VOICE_SPAN` in `sampling.request`; these are not re-exported.
"""

from __future__ import annotations

from tunesmith.sampling.automaton import _BASS as _BASS
from tunesmith.sampling.automaton import _CHORDS as _CHORDS
from tunesmith.sampling.automaton import _CPOS as _CPOS
from tunesmith.sampling.automaton import _NPOS as _NPOS
from tunesmith.sampling.automaton import _PITCH as _PITCH
from tunesmith.sampling.automaton import _QUAL as _QUAL
from tunesmith.sampling.automaton import _ROOT as _ROOT
from tunesmith.sampling.automaton import _VOICE as _VOICE
from tunesmith.sampling.automaton import Constrainer
from tunesmith.sampling.decode import _decoder_for as _decoder_for
from tunesmith.sampling.decode import _sample as _sample
from tunesmith.sampling.decode import (
    chord_token_temperature,
    decode_rows,
    generate,
    prompt_ids,
    sampling_params,
    single_thread_blas,
    style_decoding,
    token_temperatures,
)
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
from tunesmith.sampling.infilling import infill
from tunesmith.sampling.request import (
    BARFORM,
    CADENCES,
    DEFAULT_CADENCES,
    DEFAULT_FORMS,
    DEFAULT_RANGES,
    FINAL_CHORD_SHARES,
    FINAL_DEGREE_SHARES,
    FINAL_LENGTH_SHARES,
    FINAL_MELODY_APPROACH_SHARES,
    MAX_REQUEST_BARS,
    MAX_TEMPO,
    MIN_TEMPO,
    MINOR_THIRD_MODES,
    SATB_RANGES,
    ComposeRequest,
    Take,
    form_sections,
    mode_family,
    parse_form,
)
from tunesmith.sampling.tables import _C_BAR as _C_BAR
from tunesmith.sampling.tables import _C_BASS as _C_BASS
from tunesmith.sampling.tables import _C_DUR as _C_DUR
from tunesmith.sampling.tables import _C_PITCH as _C_PITCH
from tunesmith.sampling.tables import _C_POS as _C_POS
from tunesmith.sampling.tables import _C_QUAL as _C_QUAL
from tunesmith.sampling.tables import _C_ROOT as _C_ROOT
from tunesmith.sampling.tables import _C_VOICE as _C_VOICE
from tunesmith.sampling.tables import _Tables as _Tables
from tunesmith.sampling.tables import compose_tables

__all__ = [
    "BARFORM",
    "CADENCES",
    "DEFAULT_CADENCES",
    "DEFAULT_FORMS",
    "DEFAULT_RANGES",
    "FINAL_CHORD_SHARES",
    "FINAL_DEGREE_SHARES",
    "FINAL_LENGTH_SHARES",
    "FINAL_MELODY_APPROACH_SHARES",
    "MAX_REQUEST_BARS",
    "MAX_TEMPO",
    "MIN_TEMPO",
    "MINOR_THIRD_MODES",
    "SATB_RANGES",
    "ComposeRequest",
    "Constrainer",
    "Take",
    "chord_token_temperature",
    "compose_tables",
    "decode_rows",
    "form_sections",
    "generate",
    "infill",
    "mode_family",
    "parse_form",
    "prompt_ids",
    "sampling_params",
    "set_closing_shares",
    "set_modulation",
    "set_pitch_offsets",
    "set_register_feedback",
    "set_rest_offset",
    "set_root_offsets",
    "set_interval_feedback",
    "set_rhythm_feedback",
    "set_tonal_feedback",
    "set_voice_register_feedback",
    "single_thread_blas",
    "style_decoding",
    "token_temperatures",
]
