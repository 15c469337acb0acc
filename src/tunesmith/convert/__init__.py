"""Conversions between `Piece` and the music21 / symusic objects (muspy-style symmetric verbs).

- `from_music21(stream, **kw) -> Piece` / `to_music21(piece) -> music21.stream.Score`
- `from_symusic(score, **kw) -> Piece` / `to_symusic(piece) -> symusic.Score`

What a round trip keeps: notes (pitch, onset, duration, velocity in MIDI), chord symbols
(onset + canonical figure), keys (tonic + mode), time signatures, tempos, bar onsets with a
pickup, track names, roles and programs.

MIDI conventions written by `to_symusic` (and read back by `from_symusic`):
- chord symbols: a marker "chord:<figure>" at each chord onset ("chord:N.C." ends a chord),
  plus extra tracks comping them: `CHORD_TRACK_NAME` (the chords) and, in a lead sheet's style,
  `BASS_TRACK_NAME` (their bass, its own track so a DAW can give it a bass), both dropped on read
  when the markers are present, so a round trip does not add a track;
- a track whose role cannot be guessed from its name is named "<name> [<role>]";
- keys in modes other than major/minor: marker "key:<tonic>:<mode>" (MIDI key signatures
  only know major/minor); a pickup: marker "pickup:<beats>"; the title: marker "title:<title>";
  the style (folk, chorale, ...): marker "style:<style>", so `continue` keeps it.

The code: `convert.common` (roles, chord durations, the end every reader shares),
`convert.notation` (music21) and `convert.midi` (symusic).
"""

from .common import (
    BASS_TRACK_NAME,
    CHORD_TRACK_NAME,
    CHORD_WORDS_MARK,
    COMP_TRACK_NAMES,
    TPQ,
    _finish,
    chord_durations,
    guess_role,
)
from .midi import from_symusic, tick_score, ticks_to_beats, to_symusic
from .notation import M21_KIND_TO_QUALITY, figure_of_m21, from_music21, to_music21

__all__ = [
    "BASS_TRACK_NAME",
    "CHORD_TRACK_NAME",
    "COMP_TRACK_NAMES",
    "CHORD_WORDS_MARK",
    "M21_KIND_TO_QUALITY",
    "TPQ",
    "_finish",
    "chord_durations",
    "figure_of_m21",
    "from_music21",
    "from_symusic",
    "guess_role",
    "tick_score",
    "ticks_to_beats",
    "to_music21",
    "to_symusic",
]
