"""A loop's audio: a take composed with `cadence="loop"` (`piece.meta["loop"]`) is heard round and
round, so its WAV is exactly the piece's length, with the sound that rings on past its last bar
(the reverb, a held chord's release) already at its start, and carries its loop points in a RIFF
`smpl` chunk, where samplers and game engines read them. Made by rendering the piece played three
times and keeping the middle time through: its start holds the first's tail, as a loop played
round does; and its first `SEAM_SECONDS` fade in from what followed its end (the third time's
start), so that the jump from its last sample to its first is no jump at all. Without that fade a
game composer measured clicks at half the seams: the synthesizer's chorus runs on its own clock,
so the same bar sounds a little differently each time through.

    wav = loop_wav(piece, render)        # render: a Piece -> WAV bytes; the loop, cut to its length
    wav = wav_with_loop_points(wav)      # ... its loop points (after any re-encoding: loudness)
    wav_loop_points(wav)                 # (first, last) sample frame of the loop, or None
"""

from __future__ import annotations

import copy
import dataclasses
import io
import struct
import wave
from collections.abc import Callable

import numpy as np

from tunesmith.score import Piece

SEAM_SECONDS = 0.02  # the loop's start fades in from what followed its end over this long


def played_times(piece: Piece, times: int) -> Piece:
    """`piece` played `times` times over: every note, chord symbol, tempo, key and meter again
    each `piece.duration()` later (a copy; `piece` is not changed)."""
    length = piece.duration()

    def again(events: list) -> list:
        return [dataclasses.replace(e, onset=e.onset + k * length) if k else e for k in range(times) for e in events]

    out = copy.deepcopy(piece)
    for track, original in zip(out.tracks, piece.tracks):
        track.notes = again(original.notes)
    out.chords = again(piece.chords)
    out.tempos = again(piece.tempos)
    out.keys = again(piece.keys)
    out.time_signatures = again(piece.time_signatures)
    out.bar_onsets = [b + k * length for k in range(times) for b in piece.bar_onsets]
    out.fermatas = [f + k * length for k in range(times) for f in piece.fermatas]
    out.end = times * length
    out.meta = {k: v for k, v in piece.meta.items() if k != "loop"}
    return out


def seconds_at(piece: Piece, beat: float) -> float:
    """Seconds from the start to `beat` (quarter notes) under the piece's tempos (120 without)."""
    tempos = sorted(piece.tempos, key=lambda t: t.onset) or []
    seconds, at, qpm = 0.0, 0.0, 120.0
    for t in tempos:
        if t.onset >= beat:
            break
        seconds += (t.onset - at) * 60.0 / qpm
        at, qpm = t.onset, float(t.qpm)
    return seconds + (beat - at) * 60.0 / qpm


def loop_wav(piece: Piece, render: Callable[[Piece], bytes]) -> bytes:
    """The loop's WAV (bytes): `render(played_times(piece, 3))`, cut to the middle time through,
    exactly `piece.duration()` long, its first `SEAM_SECONDS` faded in from the third time's start
    (its loop points are `wav_with_loop_points`'s to add)."""
    thrice = render(played_times(piece, 3))
    with wave.open(io.BytesIO(thrice)) as f:
        rate, channels, width = f.getframerate(), f.getnchannels(), f.getsampwidth()
        frames = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").reshape(-1, channels)
    length = round(seconds_at(piece, piece.duration()) * rate)  # one time through; the middle starts there
    if len(frames) < 3 * length:  # (the synth stops at the last event: silence to the length)
        frames = np.concatenate([frames, np.zeros((3 * length - len(frames), channels), dtype="<i2")])
    body = frames[length : 2 * length].astype(np.float64)
    after = frames[2 * length : 2 * length + min(length, round(SEAM_SECONDS * rate))].astype(np.float64)
    # what follows the loop's last sample, fading into the loop's own start: no step at the seam
    fade = np.linspace(0.0, 1.0, len(after), endpoint=False)[:, None]
    body[: len(after)] = after * (1.0 - fade) + body[: len(after)] * fade
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(np.clip(np.rint(body), -32768, 32767).astype("<i2").tobytes())
    return out.getvalue()


def wav_with_loop_points(wav: bytes) -> bytes:
    """`wav` with a RIFF `smpl` chunk (the sampler chunk of the WAVE format) holding one forward
    loop over every sample frame, played endlessly (an existing `smpl` chunk is replaced)."""
    if len(wav) < 12 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise ValueError("not a RIFF/WAVE file")
    chunks, pos, rate, frames = [], 12, 0, 0
    block = 1
    while pos + 8 <= len(wav):
        cid, size = wav[pos : pos + 4], struct.unpack("<I", wav[pos + 4 : pos + 8])[0]
        end = pos + 8 + size + (size & 1)
        if cid == b"fmt ":
            rate, block = struct.unpack("<I", wav[pos + 12 : pos + 16])[0], struct.unpack("<H", wav[pos + 20 : pos + 22])[0]
        elif cid == b"data":
            frames = size // max(block, 1)
        if cid != b"smpl":
            chunks.append(wav[pos:end])
        pos = end
    if not rate or not frames:
        raise ValueError("a WAVE file without a format or sample data")
    period = round(1e9 / rate)  # nanoseconds a sample
    # manufacturer, product, sample period, MIDI unity note (middle C), pitch fraction, SMPTE format
    # and offset, one loop, no sampler data; the loop: cue 0, forward (0), first and last frame, no
    # fraction, played endlessly (0)
    body = struct.pack("<9I", 0, 0, period, 60, 0, 0, 0, 1, 0) + struct.pack("<6I", 0, 0, 0, frames - 1, 0, 0)
    chunks.append(b"smpl" + struct.pack("<I", len(body)) + body)
    payload = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def wav_loop_points(wav: bytes) -> tuple[int, int] | None:
    """(first, last) sample frame of a WAV file's first `smpl` loop, or None where it has none."""
    pos = 12
    while pos + 8 <= len(wav):
        cid, size = wav[pos : pos + 4], struct.unpack("<I", wav[pos + 4 : pos + 8])[0]
        if cid == b"smpl" and size >= 60 and struct.unpack("<I", wav[pos + 36 : pos + 40])[0] >= 1:
            start, end = struct.unpack("<2I", wav[pos + 52 : pos + 60])
            return int(start), int(end)
        pos += 8 + size + (size & 1)
    return None
