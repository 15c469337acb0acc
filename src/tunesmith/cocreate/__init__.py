"""Co-create: continue a musician's piece, harmonize a melody, regenerate bars (inpaint) —
with the musician's notes untouched.

    model, tok, info = tunesmith.pretrained.load()
    takes = continue_piece(model, tok, "motif.mid", bars=8, style="folk", n=3, seed=1)
    takes = harmonize(model, tok, "melody.musicxml", style="chorale")      # alto, tenor, bass
    takes = harmonize(model, tok, "tune.abc", style="jazz")                # chord symbols
    takes = inpaint(model, tok, "piece.mid", bars=(5, 8), keep="melody")   # new chords in bars 5-8

Each returns `sampling.Take`s (piece, token stream, per-token log-probabilities, forced flags).

How: all three are one operation, "generate a region of bars under the composer's grammar
automaton, with some of the tokens dictated by the given music":

- A *work piece* holds what is known: the given notes of every voice the tokenizer writes
  (lead sheet: melody; chorale: soprano, alto, tenor, bass), the given chord symbols, on the
  final bar grid (a continuation's grid is extended by the new bars).
- It is tokenized (`Tokenizer.encode`), in plain order for `continue_piece` and `harmonize`
  (prompt = header + the bars before the region) and in fill-in-the-middle order for `inpaint`
  (prompt = header <fill> bars before <suffix> bars after <middle>), so the model sees the
  music on both sides of the bars it writes.
- The region is decoded token by token with `_CoConstrainer`, a subclass of
  `sampling.Constrainer` (so grammar, meter, bar count, pitch range and `in_scale` hold exactly
  as in `compose`). Where the given material dictates the token — a kept voice's notes in a
  bar, kept chords, or "no chord symbols" for a chorale — the mask allows only that token
  (forced decoding); elsewhere the model samples. A chord rhythm can be imposed (a chord on
  every downbeat, or on every half bar), and for four-voice chorales a voice-leading mask
  keeps adjacent voices from crossing and avoids parallel fifths and octaves where it can.
- Sampling is compose's: the style's tuned temperature and top-p (`sampling.sampling_params`),
  its tonal and rhythm feedback, whose counts start from the music outside the region (the
  given bars steer the new ones), and for a continuation the style's closing cadence and drawn
  ending, and a reprise (the given opening restated first: forced decoding again; pop's default).
- The output is built from a deep copy of the given Piece: the musician's Note objects are
  copied, never re-decoded, and only the generated notes are added; each operation checks
  that every note it had to keep is still there, value for value, before returning.

Long pieces: a continuation or harmonization that does not fit the model's block is written
in chunks of bars, each with as many bars before it as context as fit; an inpaint window
keeps as many bars around the region as fit.

Bar numbers are the musician's: 1-based, and with a pickup (anacrusis) the pickup is bar 0.
Errors come before any model work: ValueError (or `tunesmith.inputs.InputError` for files)
naming the file and the problem.

The package, one idea a module (each imports only the ones above it):

- `inputs`: loading the piece, the checks made before any model work (`check_input`), the bar
  grid, the voices the tokenizer reads, the work piece;
- `automaton`: the job, `_CoConstrainer`, the token bookkeeping and the planning of chunks and
  windows, the tables and voice-leading guard of one region;
- `decode`: sampling a region (with chord lookahead; its constants `DISTINCT_POSTERIOR` and
  `LOOKAHEAD_CHOICE_TEMPERATURE` are read there, so set them on `cocreate.decode`), the runs
  that make `n` results, and the checks that a take holds the musician's notes;
- `chords`: a lead sheet's chords from the harmonizer network or the count table, a chorale's
  chord plan (no sampling of the composer);
- `verbs`: `continue_piece`, `harmonize`, `inpaint`.

This module re-exports the public names, and the private ones the API, the scripts and the tests
use, so `cocreate.X` keeps working for them.
"""

from __future__ import annotations

from tunesmith.cocreate.automaton import _CoConstrainer as _CoConstrainer
from tunesmith.cocreate.chords import CHORD_SOURCES as CHORD_SOURCES
from tunesmith.cocreate.chords import chord_table as chord_table
from tunesmith.cocreate.decode import KeptNotesError as KeptNotesError
from tunesmith.cocreate.decode import _assert_kept as _assert_kept
from tunesmith.cocreate.decode import _feedback_counts as _feedback_counts
from tunesmith.cocreate.decode import _step_all as _step_all
from tunesmith.cocreate.inputs import (
    CHORD_RHYTHMS,
    KEEPABLE,
    check_input,
    chords_from_tracks,
    load_piece,
    parse_bar_range,
)
from tunesmith.cocreate.inputs import _voice_tracks as _voice_tracks
from tunesmith.cocreate.verbs import TEXTBOOK_RANGES, continue_piece, harmonize, inpaint

__all__ = [
    "CHORD_RHYTHMS",
    "check_input",
    "chords_from_tracks",
    "KEEPABLE",
    "TEXTBOOK_RANGES",
    "continue_piece",
    "harmonize",
    "inpaint",
    "load_piece",
    "parse_bar_range",
]
