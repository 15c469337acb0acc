"""MIDI reader (symusic: ~1-5 ms a file).

One Track per MIDI track with notes, role guessed from the track name ('MELODY' -> melody,
'PIANO' -> accompaniment, 'Soprano' -> soprano, '<name> [<role>]' -> role) or its position (the
first track is the melody, unless no name says which is and it plays chords over a higher single
line: `_melody_by_lines`). A file with a single pitched track (the irish/ tunes) is one
melody track; a type-0 file's channels are parts named by their General MIDI family. Chord symbols, modes, pickup and title come back from the markers that
`tunesmith.outputs.midi.write_midi` writes (see `tunesmith.convert`); a file without key
signature gets an estimated key (`meta["key_estimated"] = True`).
"""

from __future__ import annotations

import os

from ..convert import from_symusic
from ..convert.common import LINE_SHARE, guess_role, plays_chords, struck_together_share
from ..limits import check_midi_score, check_piece
from ..score import Piece, Track
from . import InputError, check_local_file, name_text, piece_stem

# General MIDI's 16 instrument families (program // 8), as a part is named where a type-0 file's
# channels become parts: its one track's name is the song's, not the parts'
GM_FAMILIES = ("Piano", "Mallets", "Organ", "Guitar", "Bass", "Strings", "Ensemble", "Brass", "Reed", "Flute",
               "Synth Lead", "Synth Pad", "Synth FX", "Ethnic", "Percussive", "Sound FX")  # fmt: skip


def _chunk_problem(data: bytes) -> str | None:
    """Why a MIDI file's chunks do not add up (a file cut short, a chunk claiming more bytes than
    follow), in words a musician can act on, or None. Asked only after the reader failed: its own
    message ("MiniMidi: Invalid chunk length 127 (remaining bytes after header: 38): iostream
    error") names its internals, not the file's problem."""
    at, k = 0, 0
    while at < len(data):
        if len(data) - at < 8:
            return f"truncated MIDI file: {len(data) - at} stray bytes after chunk {k} (a download or copy cut short?)"
        tag, size = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "big")
        name = tag.decode("latin-1") if tag.isascii() and tag.isalpha() else repr(tag)
        if at + 8 + size > len(data):
            return (f"truncated MIDI file: chunk {k + 1} ({name}) says {size} bytes but {len(data) - at - 8} follow "
                    "(a download or copy cut short?)")  # fmt: skip
        at, k = at + 8 + size, k + 1
    return None


def load_symusic(path: str | os.PathLike):
    """symusic Score of a MIDI file; InputError for a file that is not MIDI or is corrupt."""
    import symusic

    p = check_local_file(path)
    data = p.read_bytes()
    if data[:4] != b"MThd":
        raise InputError(f"{p}: not a MIDI file (no 'MThd' header; starts with {data[:4]!r})")
    if len(data) >= 14 and data[12] & 0x80:
        # the reader's own words ("MiniMidi: Division type is not ticks per quarter!") named its internals
        fps = 256 - data[12]
        raise InputError(f"{p}: its times are in SMPTE frames ({fps} a second), not beats; tunesmith reads MIDI files "
                         "timed in ticks per quarter note (export it again with musical, PPQ timing)")  # fmt: skip
    try:
        # from bytes, not from_file: symusic picks the format from the extension (.abc -> abc2midi)
        score = symusic.Score.from_midi(data)
    except Exception as e:  # noqa: BLE001 - symusic raises RuntimeError/ValueError/IndexError
        why = _chunk_problem(data)  # said in the file's own terms where its chunks show it
        said = why or f"corrupt MIDI file ({str(e).splitlines()[0][:200] if str(e) else type(e).__name__})"
        raise InputError(f"{p}: {said}") from e
    check_midi_score(str(p), score)  # division, tracks, notes, length: before any conversion
    return score


def unreleased_notes(path: str | os.PathLike) -> list[tuple[float, int]]:
    """(beat, pitch) of each note-on that no note-off (or zero-velocity note-on) ends before its
    track does: the reader leaves such a note out (a recording stopped with a key still down, a
    region cut while a note sounds), so a musician's last note had vanished without a word. []
    where the file cannot be read here (the reader says why)."""
    import io

    import mido

    try:
        mf = mido.MidiFile(file=io.BytesIO(check_local_file(path).read_bytes()))
    except Exception:  # noqa: BLE001 - mido raises IOError/EOFError/ValueError/KeyError on damaged files
        return []
    if mf.type == 2 or not mf.ticks_per_beat:
        return []
    out: list[tuple[float, int]] = []
    for track in mf.tracks:
        tick, sounding = 0, {}
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                sounding.setdefault((msg.channel, msg.note), tick)  # struck again while held: one note
            elif msg.type in ("note_on", "note_off"):
                sounding.pop((msg.channel, msg.note), None)
        out += [(t / mf.ticks_per_beat, note) for (_, note), t in sounding.items()]
    return sorted(out)


def read_midi(path: str | os.PathLike, *, source: str = "", style: str = "", license: str = "unknown") -> list[Piece]:
    """One Piece for a MIDI file."""
    p = check_local_file(path)
    score = load_symusic(p)
    stem = piece_stem(p, source)
    try:
        piece = from_symusic(
            score,
            piece_id=stem,
            work_id=stem,
            title="",
            path=str(p),
            source=source,
            style=style,
            license=license,
            meta={"file": p.name},
        )
    except (TypeError, IndexError, KeyError, AttributeError, OverflowError, RuntimeError) as e:
        raise InputError(f"{p}: MIDI file cannot be converted ({type(e).__name__}: {e})") from e
    check_piece(piece, str(p))
    if not piece.title:
        piece.title = name_text(p.stem)
    if not piece.tracks and not piece.chords:
        raise InputError(f"{p}: MIDI file has no notes (no note-on that a note-off or a zero-velocity note-on ends)")
    with open(p, "rb") as f:
        type_0 = f.read(10)[8:10] == b"\x00\x00"  # the header's format word
    if type_0 and len(piece.tracks) >= 2:
        _name_channel_parts(piece)
    # its tracks' programs are their own, 0 the piano (`performance.track_program`)
    piece.meta["midi_program_tracks"] = sorted({t.name for t in piece.tracks})
    pitched = [t for t in piece.tracks if not t.is_drum]
    if len(pitched) == 1 and pitched[0].role not in ("melody", "soprano"):
        pitched[0].role = "melody"
    _melody_by_lines(piece)
    # what the take cannot carry is said beside it (`input_notes.note_left_out`): a DAW's keys track had
    # lost its sustain pedal, a synth lead its bends, without a word
    left_out = {"sustain pedal press(es)": sum(len(t.pedals) for t in score.tracks),
                "pitch-bend event(s)": sum(1 for t in score.tracks for b in t.pitch_bends if b.value)}
    left_out = {k: v for k, v in left_out.items() if v}
    if left_out:
        piece.meta["left_out"] = {**(piece.meta.get("left_out") or {}), **left_out}
    return [piece]


def _name_channel_parts(piece: Piece) -> None:
    """Names for the parts of a type-0 file (all its channels in one track, which the reader splits
    by channel): its one track name is the song's ("Song"), and every part had been called so, in
    the score and the take's MIDI. Each part is named by its General MIDI family (Flute, Bass,
    Piano, Drums; a second of a family "Piano 2") and its role guessed again from that name."""
    counts: dict[str, int] = {}
    for i, t in enumerate(piece.tracks):
        family = "Drums" if t.is_drum else GM_FAMILIES[max(0, min(127, t.program)) // 8]
        counts[family] = counts.get(family, 0) + 1
        t.name = family if counts[family] == 1 else f"{family} {counts[family]}"
        t.role = guess_role(t.name, i, len(piece.tracks), is_drum=t.is_drum)


def _melody_by_lines(piece: Piece) -> None:
    """Where no track's name says which is the melody ("Inst 1", "Inst 2", as DAWs name them) and
    the first track, the melody by position, plays chords, the melody is the highest track that is
    a single line (`convert.common.plays_chords`, `LINE_SHARE`). A songwriter's chords recorded first had been
    continued as the melody, and the melody read as chord symbols. The track's name is kept; its
    role changes (`meta["melody_by_lines"]` names the tracks, and co-create says so)."""
    pitched = [t for t in piece.tracks if not t.is_drum and t.notes]
    if len(pitched) < 2 or any(guess_role(t.name, 1, len(pitched)) in ("melody", "soprano") for t in pitched):
        return
    first = piece.melody()
    if first is None or first.is_drum or not plays_chords(first.notes):
        return

    def mean_pitch(t: Track) -> float:
        return sum(n.pitch for n in t.notes) / len(t.notes)

    lines = [t for t in pitched if t is not first and struck_together_share(t.notes) <= LINE_SHARE
             and mean_pitch(t) > mean_pitch(first)]  # fmt: skip
    if not lines:
        return
    melody = max(lines, key=mean_pitch)
    for t in piece.tracks:
        if t.role == "melody":
            t.role = "accompaniment"
    melody.role = "melody"
    piece.meta["melody_by_lines"] = {"melody": melody.name, "chords": first.name}
