"""What co-create says beside its takes about the musician's input: a note per thing the
take cannot carry or the reader changed (lyrics and grace notes left out, repeats written out, a
jump not followed, a transposing part read at sounding pitch, parts' measures laid out together,
which tune of a book, a DAW's tracks, the musician's own accompaniment, an input close to a
training work). Each is said once in the take's record ("notes"), which the CLI prints and the
files carry. Split from api.py (session 39), which calls them after every co-create."""

from __future__ import annotations

from typing import Any

from tunesmith.score import Piece
from tunesmith.take import Take


def tell(takes: list[Take], note: str) -> None:
    """`note` said beside each take (its record's "notes", which the CLI prints and the files carry)."""
    for take in takes:
        take.provenance.setdefault("notes", []).append(note)


def note_accompaniment(takes: list[Take], piece: Piece) -> None:
    """Harmonize over a musician's accompaniment that plays chords of its own (`cocreate.
    chords_from_tracks`): what the chord symbols are to it, per take. The harmonizer's chords had
    been written over a piano part playing others, without a word; where they differ, the take's
    audio plays the musician's part (no chord track, `meta["comp_from"]`)."""
    from tunesmith import cocreate
    from tunesmith.baselines.harmony_baseline import chord_at
    from tunesmith.convert.common import plays_chords
    from tunesmith.harmony import parse_chord

    read, info = cocreate.chords_from_tracks(piece)
    if info is None or not read.chords:
        return
    tracks = ", ".join(info["tracks"])
    made = (takes[0].piece.meta.get("cocreate") or {}) if takes else {}
    if made.get("layout") != "lead":
        return
    if made.get("chords_from") == "accompaniment":
        tell(takes, f"the chord symbols name the chords your {tracks} track plays")
        return
    melody = piece.melody()
    if not any(plays_chords(t.notes) for t in piece.tracks if t is not melody and not t.is_drum):
        return  # a bass line alone: the chord track still plays the symbols with it (`cocreate.chords`)

    def root(chords: list, t: float) -> int | None:
        c = chord_at(chords, t)
        try:
            return parse_chord(c.figure)[0] if c is not None else None
        except ValueError:
            return None

    beat = piece.time_signature.beat_length
    bars = piece.bars()
    start, end = (bars[1] if piece.pickup_beats() and len(bars) > 1 else bars[0]), piece.duration()
    beats = [start + k * beat for k in range(int((end - start) / beat + 1e-6))]
    for take in takes:
        pairs = [(root(take.piece.chords, t), root(read.chords, t)) for t in beats]
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        same = sum(a == b for a, b in pairs)
        take.provenance.setdefault("notes", []).append(
            f"your {tracks} track plays chords of its own: the chord symbols name its root on {same} of {len(pairs)} "
            f"beats, and the take's audio plays your {tracks}, not the symbols (--chords-from accompaniment names "
            "its chords)")  # fmt: skip


def note_left_out(takes: list[Take], piece: Piece) -> None:
    """What the input has and a take cannot carry (`meta["left_out"]`: grace notes, lyrics; the
    readers do not read them): said, since the musician's notes are otherwise kept as given, and a
    song's words and a melody's ornaments had vanished from the take without a word."""
    left_out = piece.meta.get("left_out") or {}
    if not left_out:
        return
    said = ", ".join(f"{count} {what}" for what, count in left_out.items())
    tell(takes, f"not in the take (tunesmith does not read them): the input's {said}")


def note_tune_of_book(takes: list[Take], piece: Piece) -> None:
    """Which tune of an ABC file of several the take worked on (`meta["tunes_in_file"]`): the first
    had been taken without a word, as `check` says it."""
    tunes = piece.meta.get("tunes_in_file") or 1
    if tunes > 1:
        number = int(piece.meta.get("tune_index", 0)) + 1
        tell(takes, f"the file holds {tunes} tunes: this is tune {number}, {piece.title or 'untitled'} (--tune N "
                     "takes another)")  # fmt: skip


def note_daw_tracks(verb: str, takes: list[Take], piece: Piece) -> None:
    """What a DAW's multitrack file should know of its tracks, said beside the takes: which track
    was read as the melody where no name said it (`inputs.midi._melody_by_lines`), a key signature
    read as a DAW's default (`cocreate.inputs._default_key_signature`), the tracks a
    continuation leaves where the given music ends (a band's bass and drums had stopped at the new
    bars without a word), drums that play in the MIDI but have no staff in the score, and a
    continuation's return to tempo after a ritardando (`cocreate.verbs._a_tempo`)."""
    from tunesmith import cocreate

    ignored = piece.meta.get("key_signature_ignored")
    if ignored:
        tell(takes, f"the file's key signature says {ignored['written']} (a DAW's default?), but {ignored['outside']:.0%} "
                     f"of the melody lies outside that scale: read in {ignored['heard']} (--key C keeps C major)")  # fmt: skip
    chosen = piece.meta.get("melody_by_lines")
    if chosen:
        tell(takes, f"no track is named as the melody: it is read from {chosen['melody']!r}, the highest single "
                     f"line ({chosen['chords']!r}, the first track, plays chords); name a track Melody or Lead to choose")  # fmt: skip
    if verb == "continue":
        from tunesmith.convert.common import plays_chords

        layout, voices = cocreate._voice_tracks(piece)
        kept = [t.name for t in piece.tracks if t.notes and all(t is not v for v in voices.values())]
        if kept:
            tell(takes, f"the {', '.join(dict.fromkeys(kept))} track(s) stop where the given music ends: continue "
                         "writes the melody and chord symbols (the chord track plays them)")  # fmt: skip
        chordal = [t.name for t in voices.values() if layout == "lead" and plays_chords(t.notes)]
        if chordal and takes:  # a keyboard part's left hand, in the melody's own track
            symbols = any(c.onset >= piece.duration() - 1e-6 for c in takes[0].piece.chords)
            tell(takes, f"the chords played in the {', '.join(chordal)} track stop where the given music ends: the new "
                         f"bars are one line{' over chord symbols (the chord track plays them)' if symbols else ''}")  # fmt: skip
    drums = [t.name for t in piece.tracks if t.is_drum and t.notes]
    if drums:
        tell(takes, f"the {', '.join(dict.fromkeys(drums))} track (MIDI channel 10) plays in the MIDI and audio but has "
                     "no staff in the score")  # fmt: skip
    a_tempo = (takes[0].provenance.get("cocreate") or {}).get("a_tempo") if takes else None
    if a_tempo:
        change = "a ritardando" if a_tempo["was"] < a_tempo["qpm"] else "an accelerando"
        tell(takes, f"the given music ends at {a_tempo['was']:g} bpm ({change}): the new bars go on a tempo at "
                     f"{a_tempo['qpm']:g} bpm from bar {a_tempo['bar']}")  # fmt: skip


def note_sounding_pitch(takes: list[Take], piece: Piece) -> None:
    """A transposing instrument's part is read at sounding pitch (`inputs.musicxml`), and the
    take's score writes it transposed as the input did (else in concert pitch): say which, since a
    clarinettist reading a concert-pitch part would play it a tone low."""
    parts = piece.meta.get("sounding_pitch")
    if not parts:
        return
    if piece.meta.get("written_transpositions"):  # `convert.notation.to_music21` writes them so
        tell(takes, f"read at sounding pitch (the MIDI and audio sound so), the take's score written for the "
                     f"instrument as the input was: {', '.join(map(str, parts))}")  # fmt: skip
        return
    tell(takes, f"read at sounding pitch, as the take's score is written (concert pitch): {', '.join(map(str, parts))}")


def note_measures_aligned(takes: list[Take], piece: Piece) -> None:
    """Parts whose measures differ in length are read laid out together, a short measure filled
    with a rest (`inputs.musicxml._align_measures`): say where, since the take's score has a
    measure longer than its meter there."""
    said = piece.meta.get("measures_aligned")
    if said:
        more = f" and {len(said) - 3} more" if len(said) > 3 else ""
        tell(takes, f"the parts' measures differ in length: laid out together, the short ones filled with a rest: "
                     f"{'; '.join(map(str, said[:3]))}{more}")  # fmt: skip


def note_key_against_signature(takes: list[Take], piece: Piece) -> None:
    """A key asked that the file's signature contradicts, read because the notes and chords sit in
    it (`api._check_key`): say so, the signature was overruled."""
    said = piece.meta.get("key_against_signature")
    if said:
        tell(takes, f"the input's key signature says {said['written']}, but its notes and chords sit in {said['read']}: "
                    f"read in {said['read']}, as asked")  # fmt: skip


def note_key_against_notes(takes: list[Take], piece: Piece) -> None:
    """A key asked in the signature's other mode that the melody's close does not bear out
    (`api._note_relative_key_against_the_notes`): harmonized as asked, and said, with how not to."""
    said = piece.meta.get("key_against_notes")
    if said:
        tonic = said["written"].split()[0]
        tell(takes, f"read in {said['asked']} as asked, but the melody ends on {tonic} and its notes sit at least "
                    f"as well in {said['written']}, the key it is written in (leave out --key for {said['written']})")  # fmt: skip


def note_minor_as_written(takes: list[Take], piece: Piece) -> None:
    """Given music in a minor key that never raises its sixth or seventh, continued or inpainted in
    the natural minor (`cocreate.inputs.minor_as_written`): say so, and how to let the new bars
    raise them."""
    said = piece.meta.get("minor_as_written")
    if said:
        tonic = said.split()[0]
        tell(takes, f"the given music sings {tonic} minor's sixth and seventh only unraised: the new bars keep them so, "
                    f"in {said} (--mode minor lets them raise them)")  # fmt: skip


# the letters a key signature alters, in order, with (altered, natural) pitch classes
_SHARPED = (("F", 6, 5), ("C", 1, 0), ("G", 8, 7), ("D", 3, 2), ("A", 10, 9), ("E", 5, 4), ("B", 0, 11))
_FLATTED = (("B", 10, 11), ("E", 3, 4), ("A", 8, 9), ("D", 1, 2), ("G", 6, 7), ("C", 11, 0), ("F", 4, 5))
# how many times the melody must sing a signature's letter natural, and never altered, to be told
NATURALS_AGAINST_SIGNATURE = 3


def note_naturals_against_signature(takes: list[Take], piece: Piece) -> None:
    """A melody that sings one of its key signature's letters only natural (F, never F-sharp, in D
    major), `NATURALS_AGAINST_SIGNATURE` times or more: a forgotten accidental, or a mode the
    signature does not say. It is read as written, and said: a teacher's D-major song whose F's
    lacked their sharps was harmonized over Dm and Gm without a word. Of the valid split's lead sheets
    with a written key, 1 % say it (Nottingham 1 of 90, POP909 1 of 89); of Essen's songs 39 of 708,
    mostly modal tunes under a major signature."""
    from tunesmith.harmony import sharps_of

    if not piece.keys or piece.meta.get("key_estimated"):
        return
    melody = piece.melody() or next((t for t in piece.tracks if t.notes and not t.is_drum), None)
    if melody is None:
        return
    key = piece.key
    sharps = sharps_of(key)
    letters = _SHARPED[:sharps] if sharps > 0 else _FLATTED[:-sharps]
    pcs = [n.pitch % 12 for n in melody.notes]
    sign = "\u266f" if sharps > 0 else "\u266d"
    for letter, altered, natural in letters:
        times = pcs.count(natural)
        if times >= NATURALS_AGAINST_SIGNATURE and altered not in pcs:
            tell(takes, f"the melody sings {letter} natural {times} times and never {letter}{sign}, against its key "
                        f"signature ({key.tonic} {key.mode}): read as written; if {letter}{sign} was meant, add the "
                        "accidentals to the file (a tune in a mode the signature does not say: --key names it, "
                        f"such as '{key.tonic} mixolydian')")  # fmt: skip


def note_repeats_written_out(takes: list[Take], piece: Piece) -> None:
    """An input with repeat signs is read as played (`inputs.abc`, `inputs.musicxml`), and the
    take is written out so, without its repeat barlines: say it, and that bar numbers (inpaint's
    --bars) count bars as played (a musician had asked for bar 5 and got the second time through)."""
    from tunesmith.inputs import played_repeat_labels

    why_not = piece.meta.get("repeats_not_followed")
    if why_not:  # repeat signs there, not followed: the musician should know the bars are as written
        tell(takes, f"the input's repeat signs were not followed ({why_not}); it is read as written, once through")
        return
    jump = piece.meta.get("navigation_not_followed")
    if jump:  # a D.C., D.S. or P: play order the ABC reader could not follow (`inputs.abc`)
        tell(takes, f"the input's jumps or play order were not followed ({jump}): it is read as written")
    labels = played_repeat_labels(piece)
    if not labels:
        return
    whole = piece.n_bars - (1 if piece.pickup_beats() else 0)
    tell(takes, f"the input's repeats are written out: it is read as played ({' '.join(labels)}, {whole} bars), and "
                 "bar numbers count the bars as played")  # fmt: skip


def _span(bars: list[int]) -> str:
    """"18" for [18, 18], "3-6" for [3, 6]."""
    return str(bars[0]) if bars[0] == bars[1] else f"{bars[0]}-{bars[1]}"


def note_input_resembles(takes: list[Take], piece: Piece, index: Any) -> None:
    """When the musician's own input is close to a training work (its opening copied from a
    Nottingham tune), say so beside the takes: it is never counted as copying, being the input, but
    a user who did not write it should know whose it is (it had been labelled the musician's own,
    and nothing more). One check of the input (milliseconds)."""
    if index is None:
        return
    from tunesmith.rights.check import check_piece

    try:
        found = check_piece(piece, index, top=1)
    except (ValueError, KeyError):
        return
    if found.verdict not in ("close", "copy") or not found.matches:
        return
    from tunesmith.rights.check import work_usage

    work = found.nearest()[0]
    # which bars: a one-bar likeness of a rare figure reads "close" too, and the musician judges it by
    # the bars (Weber's clarinet part had been told it was close to J.B. Milne, no bars named)
    here, there = work.get("bars") or [None, None], work.get("work_bars") or [None, None]
    bars = f"bars {_span(here)} of your input ~ bars {_span(there)} there; " if None not in (*here, *there) else ""
    # the license is the indexed transcription's: a traditional tune's GPL transcription does not make
    # the tune GPL (a fiddler's Irish Washerwoman from memory had been told "GPL-3.0 holds")
    note = (f"your input is {'a copy of' if found.verdict == 'copy' else 'close to'} {work.get('title') or work.get('work_id')!r} "
            f"({work.get('source')}, {work.get('license')}; score {found.score:.1f}; {bars}a work the model learned from): "
            "it is not counted as copying, being your input; if it is not your own, for those bars: "
            f"{work_usage(work.get('license'), work.get('rights_basis'))}")  # fmt: skip
    tell(takes, note)
    for take in takes:
        rights = take.provenance.get("rights")
        if isinstance(rights, dict):
            rights["input_resembles"] = {k: work.get(k) for k in ("title", "source", "license", "score", "verdict")}
