"""MIDI → WAV: real audio rendered from a General MIDI SoundFont.

The synthesizer is `midirenderer` (a Rust SoundFont synth, pip-installable, no system
libraries). The SoundFont is found by `find_soundfont()`:

1. the `soundfont=` argument, if given;
2. `$TUNESMITH_SOUNDFONT`, if set (a missing file there is an error, never a silent fallback);
3. Debian's `fluid-soundfont-gm` (/usr/share/sounds/sf2/FluidR3_GM.sf2, 148 MB, fuller sound);
4. the 6 MB `TimGM6mb.sf2` that ships inside the `pretty_midi` wheel (always there after `make setup`).

midirenderer always synthesizes 16-bit stereo at 48 kHz and stops at the last MIDI event,
which cuts off the release of the final notes. `render_wav_bytes` therefore adds a short
silent tail to the MIDI before rendering, resamples to `sample_rate` when it is not the
synth's 48 kHz (scipy's polyphase filter) and normalizes the peak to -1 dBFS (the synth's raw level is about -20 dBFS for a
solo piano), so every take plays back at a comparable loudness.
"""

from __future__ import annotations

import io
import os
import wave
from functools import lru_cache
from pathlib import Path

import numpy as np

from tunesmith.paths import atomic_write_bytes

SOUNDFONT_ENV = "TUNESMITH_SOUNDFONT"
DEBIAN_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SYNTH_RATE = 48000  # what midirenderer produces
TAIL_SECONDS = 1.5  # silence appended after the last event, so the final notes ring out
PEAK_DBFS = -1.0  # peak level after normalization
MAX_GAIN_DB = 30.0  # never amplify a near-silent render more than this


class SoundFontNotFoundError(FileNotFoundError):
    """No usable SoundFont: the message names every file that was looked for."""


def pretty_midi_soundfont() -> Path | None:
    """The TimGM6mb.sf2 that pretty_midi ships, or None if pretty_midi is not installed."""
    try:
        import pretty_midi
    except ImportError:
        return None
    return Path(pretty_midi.__file__).resolve().parent / "TimGM6mb.sf2"


def find_soundfont(soundfont: str | os.PathLike[str] | None = None) -> Path:
    """The SoundFont to render with (see the module docstring for the search order)."""
    if soundfont is not None:
        path = Path(soundfont)
        if not path.is_file():
            raise SoundFontNotFoundError(f"SoundFont {path} does not exist")
        return path
    if os.environ.get(SOUNDFONT_ENV):
        path = Path(os.environ[SOUNDFONT_ENV])
        if not path.is_file():
            raise SoundFontNotFoundError(f"${SOUNDFONT_ENV} names {path}, which does not exist")
        return path
    looked = [DEBIAN_SOUNDFONT]
    if DEBIAN_SOUNDFONT.is_file():
        return DEBIAN_SOUNDFONT
    bundled = pretty_midi_soundfont()
    if bundled is not None:
        looked.append(bundled)
        if bundled.is_file():
            return bundled
    raise SoundFontNotFoundError(
        "no General MIDI SoundFont found; looked for "
        + ", ".join(str(p) for p in looked)
        + f". Set ${SOUNDFONT_ENV} to an .sf2 file, `apt-get install fluid-soundfont-gm`, or `pip install pretty_midi`."
    )


@lru_cache(maxsize=1)
def _soundfont_bytes(path: str, mtime_ns: int, size: int) -> bytes:
    # Keyed on mtime and size so that a replaced file is re-read; one entry (FluidR3 is 148 MB).
    return Path(path).read_bytes()


def _with_tail(midi_bytes: bytes, tail_seconds: float) -> bytes:
    """The MIDI file with its last track end moved `tail_seconds` later (the synth renders up to it)."""
    import mido

    mid = mido.MidiFile(file=io.BytesIO(midi_bytes))
    if tail_seconds <= 0 or not mid.tracks or mid.type == 2:
        return midi_bytes
    tempo = 500000  # microseconds per beat: the last tempo in force at the end
    last_tempo_tick = -1
    longest, longest_ticks = mid.tracks[0], -1
    for track in mid.tracks:
        ticks = 0
        for msg in track:
            ticks += msg.time
            if msg.type == "set_tempo" and ticks >= last_tempo_tick:
                tempo, last_tempo_tick = msg.tempo, ticks
        if ticks > longest_ticks:
            longest, longest_ticks = track, ticks
    tail_ticks = round(tail_seconds * 1e6 / tempo * mid.ticks_per_beat)
    if longest and longest[-1].type == "end_of_track":
        longest[-1] = longest[-1].copy(time=longest[-1].time + tail_ticks)
    else:
        longest.append(mido.MetaMessage("end_of_track", time=tail_ticks))
    out = io.BytesIO()
    mid.save(file=out)
    return out.getvalue()


def _decode_wav(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as f:
        if f.getsampwidth() != 2:
            raise RuntimeError(f"midirenderer returned {8 * f.getsampwidth()}-bit audio; expected 16-bit")
        frames = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
        return frames.reshape(-1, f.getnchannels()), f.getframerate()


def _encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(samples.shape[1])
        f.setsampwidth(2)
        f.setframerate(sample_rate)
        f.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def render_wav_bytes(
    midi_bytes: bytes,
    *,
    soundfont: str | os.PathLike[str] | None = None,
    sample_rate: int = 48000,  # the synth's own rate: no resampling (and no scipy import, ~0.8 s)
    normalize: bool = True,
    tail_seconds: float = TAIL_SECONDS,
) -> bytes:
    """A 16-bit stereo PCM WAV file (bytes) of `midi_bytes` played by a General MIDI SoundFont."""
    import midirenderer

    if sample_rate < 8000:
        raise ValueError(f"sample rate {sample_rate} Hz is too low")
    from tunesmith.limits import check_render_midi

    check_render_midi(midi_bytes)  # the synth allocates every sample at once: bound its length first
    path = find_soundfont(soundfont)
    stat = path.stat()
    sf_bytes = _soundfont_bytes(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    try:
        rendered = midirenderer.render_wave_from(sf_bytes, _with_tail(midi_bytes, tail_seconds))
    except (ValueError, RuntimeError) as exc:
        raise RuntimeError(f"rendering with SoundFont {path} failed: {exc}") from exc
    samples, rate = _decode_wav(rendered)
    x = samples.astype(np.float32)  # float32 halves the resampling time; ample for 16-bit audio
    if rate != sample_rate:
        from math import gcd

        from scipy.signal import resample_poly

        g = gcd(sample_rate, rate)
        x = resample_poly(x, sample_rate // g, rate // g, axis=0)
    if normalize:
        peak = float(np.abs(x).max()) if x.size else 0.0
        if peak > 0:
            target = 32767 * 10 ** (PEAK_DBFS / 20)
            x *= min(target / peak, 10 ** (MAX_GAIN_DB / 20))
    x = np.clip(np.rint(x), -32768, 32767)
    return _encode_wav(x, sample_rate)


def write_wav(
    midi_path: str | os.PathLike[str],
    wav_path: str | os.PathLike[str],
    *,
    soundfont: str | os.PathLike[str] | None = None,
    sample_rate: int = 48000,  # the synth's own rate: no resampling (and no scipy import, ~0.8 s)
) -> Path:
    """Render the MIDI file at `midi_path` to a WAV file at `wav_path` (atomically); returns `wav_path`."""
    midi_path, wav_path = Path(midi_path), Path(wav_path)
    try:
        data = render_wav_bytes(midi_path.read_bytes(), soundfont=soundfont, sample_rate=sample_rate)
    except (OSError, EOFError, KeyError, IndexError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(f"{midi_path}: not a MIDI file that can be rendered ({exc})") from exc
    atomic_write_bytes(wav_path, data)
    return wav_path
