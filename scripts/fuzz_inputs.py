"""Fuzz the doors a file or a model enters tunesmith by (issue 10), in this process, time-bounded.

    python scripts/fuzz_inputs.py --cocreate 2000 --models 200 --json out/fuzz.json   # the full run
    python scripts/fuzz_inputs.py --cocreate 40 --models 20                            # a quick look

Co-create inputs: real files (Nottingham ABC tunes, Irish MIDI, OpenEWLD .mxl lead sheets from
the shared data; small built-in tunes when it is absent) are mutated (header fields with huge or
malformed numbers, byte flips, truncation, deleted and repeated chunks, huge notes and deltas,
deep nesting, entity bombs, zip bombs and unsupported .mxl compression), each is driven through
the public API (`tunesmith.harmonize`, `continue_` or `inpaint`, the default model loaded once),
and a take that comes back is written as the CLI writes it (MIDI and MusicXML; WAV and SVG for a
share of them). Models: mutated copies of the shipped model (the safetensors header length, its
JSON, the config and tokenizer in its metadata, dtypes, shapes, offsets, NaN weights, truncation;
decoding.json, chord_table.json and the similarity index beside it) are loaded with
`tunesmith.load_model` and, when they load, compose two bars.

Each case runs in this process (no subprocess): a SIGALRM timer stops a case that passes its wall
time (`--timeout`, default 30 s; the check is at the next Python bytecode), a thread samples the
resident memory (/proc/self/statm) every 10 ms, and an address-space limit (`--as-limit-gb`,
default 8) keeps a runaway allocation from taking the machine. Outcomes:

  ok        the call returned (a take, or a loaded model that composed)
  refused   one ValueError (or FileNotFoundError) whose message is one line naming the file
  unclear   a ValueError that is several lines or does not name the file        -> failure
  crash     any other exception (a traceback)                                    -> failure
  slow      over --timeout seconds (stopped), or over --slow seconds (finished)  -> failure
  memory    the resident memory passed --mem-gb during the case                  -> failure

The JSON summary has the counts by outcome for each door and each mutation, the slowest cases,
the peak memory, and every failure with its mutation, seed file and message (a case is
reproducible from `--seed` and its index). Exit status 1 when any case failed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import struct
import sys
import tempfile
import threading
import time
import traceback
import warnings
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FAILURES = ("unclear", "crash", "slow", "memory")
PAGE = os.sysconf("SC_PAGE_SIZE")


def default_data() -> Path:
    env = os.environ.get("TUNESMITH_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


# ============================================================================ measuring
class CaseTimeout(BaseException):
    """Raised in the main thread by SIGALRM; a BaseException so no `except Exception` swallows it."""


def _on_alarm(signum, frame):  # noqa: ARG001
    raise CaseTimeout()


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class MemorySampler(threading.Thread):
    """The largest resident set seen since `reset()`, sampled every `interval` seconds."""

    def __init__(self, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = rss_bytes()
        self._stop = threading.Event()

    def reset(self) -> None:
        self.peak = rss_bytes()

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                r = rss_bytes()
            except OSError:
                continue
            if r > self.peak:
                self.peak = r

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Case:
    door: str  # "cocreate" or "model"
    index: int
    kind: str  # abc, mid, mxl, musicxml, model
    mutation: str
    source: str
    verb: str = ""
    outcome: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time (the machine may be shared: wall time grows with load)
    peak_rss_mb: float = 0.0
    message: str = ""
    extra: dict = field(default_factory=dict)


def classify(exc: BaseException | None, names: list[str]) -> tuple[str, str]:
    """(outcome, message) of a call that raised `exc` (None: it returned); `names` are what a clear
    message must mention (the file's name, or the model folder's)."""
    if exc is None:
        return "ok", ""
    if isinstance(exc, CaseTimeout):
        return "slow", "stopped at the time limit"
    if isinstance(exc, MemoryError):
        return "memory", f"MemoryError {str(exc)[:200]}"
    text = str(exc)
    if isinstance(exc, (ValueError, FileNotFoundError)):
        one_line = "\n" not in text.strip() and 0 < len(text) <= 1000
        named = any(n and n in text for n in names)
        if one_line and named:
            return "refused", text
        return "unclear", f"{type(exc).__name__}: {text[:600]}"
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-4:])
    return "crash", f"{type(exc).__name__}: {text[:300]}\n{tb[-1500:]}"


def run_case(case: Case, fn, names: list[str], sampler: MemorySampler, timeout: float, slow: float,
             mem_bytes: float) -> Case:
    sampler.reset()
    t0 = time.perf_counter()
    c0 = time.process_time()
    exc: BaseException | None = None
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except CaseTimeout as e:
        exc = e
    except Exception as e:  # noqa: BLE001 - classified below
        exc = e
    except RecursionError as e:  # (an Exception too; kept for clarity)
        exc = e
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    case.seconds = round(time.perf_counter() - t0, 3)
    case.cpu_seconds = round(time.process_time() - c0, 3)
    time.sleep(0.012)  # one more memory sample
    case.peak_rss_mb = round(max(sampler.peak, rss_bytes()) / 2**20, 1)
    case.outcome, case.message = classify(exc, names)
    if case.outcome in ("ok", "refused") and case.seconds > slow:
        case.outcome, case.message = "slow", f"took {case.seconds:.1f} s ({case.outcome}: {case.message[:200]})"
    if case.outcome in ("ok", "refused") and sampler.peak > mem_bytes:
        case.outcome, case.message = "memory", f"resident memory reached {case.peak_rss_mb:,.0f} MB"
    return case


# ============================================================================ seed files
SEED_ABC = """X:1
T:Fuzz reel
M:4/4
L:1/8
Q:1/4=120
K:G
|:"G"GABc dBGB|"C"c2ec "D"dBAG|"G"GABc dBGB|"D"A2FA "G"G4:|
|:"G"g2fg "C"e2ce|"G"dBGB "D"A2FA|"G"g2fg "C"e2ce|[1"D"dBAF "G"G4:|[2"D"dBAF "G"G3||
"""


def _seed_midi() -> bytes:
    import mido

    mid = mido.MidiFile(ticks_per_beat=480)
    tr = mido.MidiTrack()
    mid.tracks.append(tr)
    tr.append(mido.MetaMessage("time_signature", numerator=3, denominator=4, time=0))
    tr.append(mido.MetaMessage("key_signature", key="D", time=0))
    tr.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
    for p in [62, 64, 66, 67, 69, 71, 69, 67, 66, 64, 62, 62] * 2:
        tr.append(mido.Message("note_on", note=p, velocity=80, time=0))
        tr.append(mido.Message("note_off", note=p, velocity=0, time=480))
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


SEED_MUSICXML = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1">
  <part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>
  <part id="P1">
    <measure number="1">
      <attributes><divisions>2</divisions><key><fifths>-1</fifths></key>
        <time><beats>4</beats><beat-type>4</beat-type></time></attributes>
      <harmony><root><root-step>D</root-step></root><kind>minor-seventh</kind></harmony>
      <note><pitch><step>A</step><octave>4</octave></pitch><duration>2</duration><type>quarter</type></note>
      <note><pitch><step>C</step><octave>5</octave></pitch><duration>2</duration><type>quarter</type></note>
      <note><pitch><step>F</step><octave>5</octave></pitch><duration>4</duration><type>half</type></note>
    </measure>
    <measure number="2">
      <harmony><root><root-step>G</root-step></root><kind>dominant</kind></harmony>
      <note><pitch><step>F</step><octave>5</octave></pitch><duration>2</duration><type>quarter</type></note>
      <note><pitch><step>E</step><octave>5</octave></pitch><duration>2</duration><type>quarter</type></note>
      <note><pitch><step>D</step><octave>5</octave></pitch><duration>4</duration><type>half</type></note>
    </measure>
    <measure number="3">
      <harmony><root><root-step>C</root-step></root><kind>major-seventh</kind></harmony>
      <note><pitch><step>E</step><octave>5</octave></pitch><duration>8</duration><type>whole</type></note>
    </measure>
  </part>
</score-partwise>
"""


def _zip_mxl(xml: bytes, name: str = "score.xml", method: int = zipfile.ZIP_DEFLATED, container: str | None = None,
             extra: list[tuple[str, bytes, int]] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("META-INF/container.xml", container if container is not None else (
            '<?xml version="1.0" encoding="UTF-8"?><container><rootfiles>'
            f'<rootfile full-path="{name}" media-type="application/vnd.recordare.musicxml+xml"/>'
            "</rootfiles></container>"))
        z.writestr(name, xml)
        for n, data, m in extra or []:
            z.writestr(zipfile.ZipInfo(n), data, compress_type=m)
    return buf.getvalue()


@dataclass
class Seed:
    kind: str  # abc, mid, mxl
    name: str
    data: bytes


def collect_seeds(data: Path, rng: random.Random, per_kind: int = 40) -> list[Seed]:
    """Real files from the shared data (ABC: one tune each, cut from the Nottingham books), or
    built-in tunes when the data is absent."""
    seeds: list[Seed] = []
    abc_dir = data / "nottingham" / "ABC_cleaned"
    if abc_dir.is_dir():
        tunes = []
        for f in sorted(abc_dir.glob("*.abc")):
            text = f.read_text(encoding="utf-8", errors="replace")
            for chunk in re.split(r"\n(?=X:)", text):
                if chunk.strip().startswith("X:"):
                    tunes.append((f"{f.name}#{chunk.split(chr(10), 1)[0].strip()}", chunk.strip() + "\n"))
        for name, t in rng.sample(tunes, min(per_kind, len(tunes))):
            seeds.append(Seed("abc", name, t.encode()))
        # a whole book now and then (many tunes; tune 1 is read)
        books = sorted(abc_dir.glob("*.abc"))
        for f in rng.sample(books, min(2, len(books))):
            seeds.append(Seed("abc", f.name, f.read_bytes()))
    midi_dir = data / "irish" / "MIDI"
    if midi_dir.is_dir():
        files = sorted(midi_dir.glob("*.mid"))
        for f in rng.sample(files, min(per_kind, len(files))):
            seeds.append(Seed("mid", f.name, f.read_bytes()))
    mxl_dir = data / "jazz" / "openewld" / "dataset"
    if mxl_dir.is_dir():
        files = sorted(mxl_dir.rglob("*.mxl"))
        for f in rng.sample(files, min(per_kind, len(files))):
            seeds.append(Seed("mxl", f.name, f.read_bytes()))
    have = {s.kind for s in seeds}
    if "abc" not in have:
        seeds.append(Seed("abc", "builtin.abc", SEED_ABC.encode()))
    if "mid" not in have:
        seeds.append(Seed("mid", "builtin.mid", _seed_midi()))
    if "mxl" not in have:
        seeds.append(Seed("mxl", "builtin.mxl", _zip_mxl(SEED_MUSICXML.encode())))
    return seeds


# ============================================================================ mutations
HUGE = ["0", "-1", "1", "2", "3", "7", "99999", "1000000", "99999999999", "18446744073709551617", "1e308", "nan",
        "-0", "0.5", "", " ", "x", "9" * 400, "2147483648", "-2147483649", "65536", "4294967296"]


def _num(rng: random.Random) -> str:
    return rng.choice(HUGE)


def flip_bytes(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    b = bytearray(data)
    if len(b) <= lo:
        return bytes(b)
    for _ in range(rng.choice([1, 2, 4, 16, 64])):
        i = rng.randrange(lo, len(b))
        b[i] = rng.randrange(256) if rng.random() < 0.5 else b[i] ^ (1 << rng.randrange(8))
    return bytes(b)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(0, max(1, len(data)))]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 4:
        return data
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, max(1, len(data) // 4)))
    return data[:i] + data[j:]


def repeat_chunk(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 4:
        return data * 50
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, max(1, len(data) // 3)))
    return data[:j] + data[i:j] * rng.choice([2, 10, 100, 1000]) + data[j:]


# ---------------------------------------------------------------------------- ABC
ABC_FIELDS = [
    ("M", lambda r: f"{_num(r)}/{r.choice(['4', '8', _num(r)])}"), ("M", lambda r: f"{r.choice(['4', '6'])}/{_num(r)}"),
    ("M", lambda r: r.choice(["C", "C|", "none", "(2+3+99999)/8", "", "4/4/4", "/", "99999999999999999999"])),
    ("L", lambda r: f"1/{_num(r)}"), ("L", lambda r: f"{_num(r)}/8"), ("L", lambda r: r.choice(["", "/", "1/0"])),
    ("K", lambda r: r.choice(["", "H", "C#########", "Gb" * 100, "none", "Hp", "D exp ^f ^c ^g ^d ^a ^e ^b " * 20,
                             "Dmix clef=bass octave=99999", "A transpose=99999", "G" + "#" * 5000])),
    ("Q", lambda r: r.choice([f"1/4={_num(r)}", f"{_num(r)}", f"1/{_num(r)}={_num(r)}", "\"allegro\" 1/0=0"])),
    ("X", lambda r: _num(r)), ("T", lambda r: "T" * r.choice([1, 10_000, 300_000])),
    ("P", lambda r: r.choice(["A" * 5000, "(AB)99999", "A99999B99999"])),
    ("I", lambda r: r.choice(["linebreak $", "abc-version 99999.0", "score (" * 500])),
]


def mutate_abc(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    text = data.decode("utf-8", errors="replace")
    op = rng.choice(["header", "header", "header", "inline_field", "long_note", "flip", "truncate", "delete",
                     "repeat", "nesting", "tuplet", "repeats", "chord_junk", "binary", "many_tunes"])
    if op == "header":
        tag, gen = rng.choice(ABC_FIELDS)
        value = gen(rng)
        pattern = re.compile(rf"^{tag}:.*$", re.M)
        if pattern.search(text) and rng.random() < 0.7:
            text = pattern.sub(lambda m: f"{tag}:{value}", text, count=1)
        else:
            lines = text.split("\n")
            lines.insert(rng.randint(1, max(1, len(lines) - 1)), f"{tag}:{value}")
            text = "\n".join(lines)
        return text.encode("utf-8", "surrogatepass"), f"abc:header:{tag}"
    if op == "inline_field":
        tag, gen = rng.choice(ABC_FIELDS[:7])
        bars = [m.start() for m in re.finditer(r"\|", text)] or [len(text)]
        i = rng.choice(bars)
        return (text[:i] + f"[{tag}:{gen(rng)}]" + text[i:]).encode(), f"abc:inline:{tag}"
    if op == "long_note":
        length = rng.choice(["65536", "99999999999", "512", "257", "/0", "0", "////////////", "3/0", "1/99999999",
                             "9" * 50, "2/3/4/5"])
        notes = [m.end() for m in re.finditer(r"(?<![\"!])[A-Ga-g](?=[ |])", text)]
        if notes:
            i = rng.choice(notes)
            return (text[:i] + length + text[i:]).encode(), f"abc:long_note:{length[:10]}"
        return (text + f"\nG{length}|\n").encode(), f"abc:long_note:{length[:10]}"
    if op == "flip":
        return flip_bytes(data, rng), "abc:flip"
    if op == "truncate":
        return truncate(data, rng), "abc:truncate"
    if op == "delete":
        return delete_chunk(data, rng), "abc:delete"
    if op == "repeat":
        return repeat_chunk(data, rng), "abc:repeat_chunk"
    if op == "nesting":
        opener = rng.choice(["(", "[", "{", "\"", "!", "+", "|:", "[1"])
        n = rng.choice([100, 10_000, 200_000])
        closer = {"(": ")", "[": "]", "{": "}", "|:": ":|"}.get(opener, "")
        bars = [m.start() for m in re.finditer(r"\|", text)] or [len(text)]
        i = rng.choice(bars)
        junk = opener * n + "G" + closer * (n if rng.random() < 0.5 else 0)
        return (text[:i] + junk + text[i:]).encode(), f"abc:nesting:{opener}"
    if op == "tuplet":
        t = rng.choice(["(99999", "(3:99999:99999", "(0", "(1:0:3", "(9" * 1000])
        i = rng.randrange(len(text) + 1)
        return (text[:i] + t + "GAB" + text[i:]).encode(), "abc:tuplet"
    if op == "repeats":
        body = rng.choice(["|:G:|" * 5000, "|:" * 3000 + "G" + ":|" * 3000, "[1 G :|[2 A :|[3 B :|" * 2000,
                           "|: G [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20 A :|", "::" * 10000,
                           "|:G|[99999 A:|"])
        return (text.rstrip() + "\n" + body + "\n").encode(), "abc:repeats"
    if op == "chord_junk":
        c = rng.choice(['"' + "G7" * 20000 + '"', '"Xyz99999"', '"G/' + "b" * 999 + '"', "[" + "CEG" * 3000 + "]",
                        '"^' + "x" * 100_000 + '"', "!" + "trill" * 1000 + "!"])
        i = rng.randrange(len(text) + 1)
        return (text[:i] + c + text[i:]).encode(), "abc:chord_junk"
    if op == "binary":
        i = rng.randrange(len(data) + 1)
        return data[:i] + os.urandom(rng.choice([1, 16, 512])) + data[i:], "abc:binary"
    # many tunes: the file is the tune repeated (a big book; tune 1 is read)
    return (text + "\n\n") .encode() * rng.choice([10, 400, 3000]), "abc:many_tunes"


# ---------------------------------------------------------------------------- MIDI
def mutate_midi(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    op = rng.choice(["division", "division", "ntracks", "format", "flip", "flip_header", "truncate", "delete",
                     "repeat", "semantic", "semantic", "semantic", "track_length", "vlq"])
    b = bytearray(data)
    if op == "division" and len(b) >= 14:
        v = rng.choice([0, 1, 2, 3, 24, 0x7FFF, 0x8000, 0xFFFF, 0xE250, 0xE728, rng.randrange(65536)])
        b[12:14] = struct.pack(">H", v)
        return bytes(b), f"mid:division:{v}"
    if op == "ntracks" and len(b) >= 12:
        b[10:12] = struct.pack(">H", rng.choice([0, 2, 255, 65535]))
        return bytes(b), "mid:ntracks"
    if op == "format" and len(b) >= 10:
        b[8:10] = struct.pack(">H", rng.choice([0, 1, 2, 3, 65535]))
        return bytes(b), "mid:format"
    if op == "flip_header":
        return flip_bytes(data[:40], rng) + data[40:], "mid:flip_header"
    if op == "flip":
        return flip_bytes(data, rng, 14), "mid:flip"
    if op == "truncate":
        return truncate(data, rng), "mid:truncate"
    if op == "delete":
        return delete_chunk(data, rng), "mid:delete"
    if op == "repeat":
        return repeat_chunk(data, rng), "mid:repeat_chunk"
    if op == "track_length":
        i = data.find(b"MTrk", 14)
        if i >= 0:
            b[i + 4: i + 8] = struct.pack(">I", rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, len(data) * 2]))
        return bytes(b), "mid:track_length"
    if op == "vlq":  # a huge delta time before the end of a track
        i = data.find(b"\xff\x2f\x00")
        if i > 0:
            return data[:i - 1] + bytes([0x8F, 0xFF, 0xFF, 0x7F]) + data[i:], "mid:vlq_delta"
        return flip_bytes(data, rng, 14), "mid:flip"
    return mutate_midi_semantic(data, rng)


def mutate_midi_semantic(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    import mido

    try:
        mid = mido.MidiFile(file=io.BytesIO(data))
    except Exception:  # noqa: BLE001 - the seed is real; a failure here is not tunesmith's
        return flip_bytes(data, rng, 14), "mid:flip"
    op = rng.choice(["tempo", "time_signature", "key_signature", "long_note", "many_notes", "many_tracks",
                     "huge_time", "pitch_junk", "channel_10", "text_junk", "ticks"])
    track = mid.tracks[rng.randrange(len(mid.tracks))] if mid.tracks else None
    if track is None:
        return data, "mid:empty"
    if op == "tempo":
        track.insert(0, mido.MetaMessage("set_tempo", tempo=rng.choice([1, 2, 0xFFFFFF, 1000, 60_000_000 // 4000])))
    elif op == "time_signature":
        track.insert(0, mido.MetaMessage("time_signature", numerator=rng.choice([0, 1, 7, 64, 99, 255]),
                                         denominator=rng.choice([1, 2, 4, 8, 16, 32, 64, 128, 2**31])))
    elif op == "key_signature":
        track.insert(0, mido.MetaMessage("key_signature", key=rng.choice(["C#", "Cb", "A#m", "Abm", "F#"])))
    elif op == "long_note":
        track.insert(0, mido.Message("note_on", note=60, velocity=90, time=0))
        track.insert(1, mido.Message("note_off", note=60, velocity=0, time=rng.choice([2**20, 2**27, 2**28 - 1])))
    elif op == "many_notes":
        n = rng.choice([10_000, 100_000, 300_000])
        extra = []
        for k in range(n):
            extra += [mido.Message("note_on", note=40 + k % 40, velocity=64, time=0),
                      mido.Message("note_off", note=40 + k % 40, velocity=0, time=rng.choice([0, 1, 10]))]
        track[:0] = extra
    elif op == "many_tracks":
        for _ in range(rng.choice([300, 2000])):
            mid.tracks.append(mido.MidiTrack([mido.Message("note_on", note=60, velocity=64, time=0),
                                              mido.Message("note_off", note=60, time=10)]))
    elif op == "huge_time":
        msgs = [m for m in track if not m.is_meta]
        if msgs:
            rng.choice(msgs).time = rng.choice([2**27, 2**28 - 1, 10**6])
    elif op == "pitch_junk":
        for m in track:
            if m.type in ("note_on", "note_off") and rng.random() < 0.3:
                m.note = rng.choice([0, 1, 126, 127])
    elif op == "channel_10":
        for m in track:
            if hasattr(m, "channel"):
                m.channel = 9
    elif op == "text_junk":
        track.insert(0, mido.MetaMessage("track_name", name=rng.choice(["\x00" * 1000, "é" * 100_000, "style:jazz",
                                                                        "tunesmith chord symbols"])))
        track.insert(0, mido.MetaMessage("marker", text=rng.choice(["chord:" + "X" * 5000, "chord:", "style:ZZZ",
                                                                    "pickup:99999", "pickup:nan", "key:H dorian"])))
    elif op == "ticks":
        mid.ticks_per_beat = rng.choice([1, 2, 3, 7, 32767])
    buf = io.BytesIO()
    try:
        mid.save(file=buf)
    except Exception:  # noqa: BLE001
        return flip_bytes(data, rng, 14), "mid:flip"
    return buf.getvalue(), f"mid:semantic:{op}"


# ---------------------------------------------------------------------------- MusicXML
XML_FIELDS = ["fifths", "beats", "beat-type", "divisions", "duration", "alter", "octave", "step", "per-minute",
              "tempo", "fifths", "beats", "divisions", "duration"]


def _mxl_score(data: bytes) -> tuple[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = [n for n in z.namelist() if not n.startswith("META-INF") and n.endswith((".xml", ".musicxml"))]
            if not names:
                return None
            return names[0], z.read(names[0])
    except Exception:  # noqa: BLE001
        return None


def mutate_xml(xml: str, rng: random.Random) -> tuple[str, str]:
    op = rng.choice(["field", "field", "field", "field", "deep", "delete_element", "duplicate_measures",
                     "truncate", "entity", "doctype", "flip", "huge_text", "attributes"])
    if op == "field":
        tag = rng.choice(XML_FIELDS)
        value = _num(rng) if rng.random() < 0.85 else rng.choice(["3+2+99999", "-99999", "1/0", "&#0;", "  12  "])
        if tag == "tempo":
            pattern = re.compile(r'tempo="[^"]*"')
            new = f'tempo="{value}"'
        else:
            pattern = re.compile(rf"<{tag}>[^<]*</{tag}>")
            new = f"<{tag}>{value}</{tag}>"
        hits = list(pattern.finditer(xml))
        if hits:
            m = rng.choice(hits)
            return xml[: m.start()] + new + xml[m.end():], f"xml:field:{tag}"
        return xml.replace("<attributes>", f"<attributes><{tag}>{value}</{tag}>", 1), f"xml:field:{tag}"
    if op == "deep":
        n = rng.choice([70, 1000, 100_000])
        tag = rng.choice(["a", "note", "measure", "direction"])
        junk = f"<{tag}>" * n + f"</{tag}>" * n
        return xml.replace("<note>", junk + "<note>", 1), f"xml:deep:{tag}"
    if op == "delete_element":
        tag = rng.choice(["attributes", "divisions", "time", "key", "pitch", "duration", "part-list", "measure",
                          "note", "score-part", "type"])
        hits = list(re.finditer(rf"<{tag}[ >].*?</{tag}>", xml, re.S))
        if hits:
            m = rng.choice(hits)
            return xml[: m.start()] + xml[m.end():], f"xml:delete:{tag}"
        return xml, "xml:delete:none"
    if op == "duplicate_measures":
        hits = list(re.finditer(r"<measure[ >].*?</measure>", xml, re.S))
        if hits:
            m = rng.choice(hits)
            times = rng.choice([100, 600, 5000, 20000])
            return xml[: m.end()] + m.group(0) * times + xml[m.end():], f"xml:duplicate_measures:{times}"
        return xml, "xml:duplicate_measures:none"
    if op == "truncate":
        return xml[: rng.randrange(len(xml) + 1)], "xml:truncate"
    if op == "entity":  # billion laughs
        bomb = ('<!DOCTYPE score-partwise [<!ENTITY a "aaaaaaaaaa">' +
                "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi")) + "]>")
        body = re.sub(r"<!DOCTYPE[^>]*>", "", xml, count=1)
        body = body.replace("<part-name>", "<part-name>&i;", 1)
        head, _, rest = body.partition("?>")
        return head + "?>" + bomb + rest, "xml:entity_bomb"
    if op == "doctype":  # external entity
        body = re.sub(r"<!DOCTYPE[^>]*>", "", xml, count=1)
        head, _, rest = body.partition("?>")
        xxe = '<!DOCTYPE score-partwise [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        return head + "?>" + xxe + rest.replace("<part-name>", "<part-name>&x;", 1), "xml:xxe"
    if op == "flip":
        return flip_bytes(xml.encode(), rng).decode("utf-8", "replace"), "xml:flip"
    if op == "huge_text":
        return xml.replace("<part-name>", "<part-name>" + "x" * rng.choice([10_000, 3_000_000]), 1), "xml:huge_text"
    # attributes: many staves / voices / parts
    tag = rng.choice(["staves", "voice", "staff"])
    return re.sub(rf"<{tag}>[^<]*</{tag}>", f"<{tag}>{_num(rng)}</{tag}>", xml) if f"<{tag}>" in xml else \
        xml.replace("<attributes>", f"<attributes><{tag}>{_num(rng)}</{tag}>", 1), f"xml:attr:{tag}"


def mutate_mxl(data: bytes, rng: random.Random) -> tuple[bytes, str, str]:
    """(bytes, mutation, extension): an .mxl, or now and then the plain MusicXML inside it."""
    op = rng.choice(["xml", "xml", "xml", "xml", "xml", "plain", "plain", "zip_bomb", "compression", "flip", "truncate",
                     "container", "many_members", "delete"])
    inner = _mxl_score(data)
    if inner is None:
        return flip_bytes(data, rng), "mxl:flip", "mxl"
    name, xml_bytes = inner
    xml = xml_bytes.decode("utf-8", "replace")
    if op in ("xml", "plain"):
        text, how = mutate_xml(xml, rng)
        raw = text.encode("utf-8", "replace")
        if op == "plain":
            return raw, f"musicxml:{how}", "musicxml"
        return _zip_mxl(raw, name), f"mxl:{how}", "mxl"
    if op == "zip_bomb":
        size = rng.choice([65 * 2**20, 200 * 2**20])
        pad = b"<!--" + b" " * size + b"-->"
        # a comment after the root: the packed member is about 1000:1
        return _zip_mxl(xml_bytes + pad, name), f"mxl:zip_bomb:{size >> 20}MB", "mxl"
    if op == "compression":
        method = rng.choice([zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, 99])
        if method == 99:  # an unknown method number, patched into both headers
            raw = bytearray(_zip_mxl(xml_bytes, name, zipfile.ZIP_DEFLATED))
            for sig, off in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
                for m in re.finditer(re.escape(sig), bytes(raw)):
                    raw[m.start() + off: m.start() + off + 2] = struct.pack("<H", 99)
            return bytes(raw), "mxl:compression:99", "mxl"
        return _zip_mxl(xml_bytes, name, method), f"mxl:compression:{method}", "mxl"
    if op == "flip":
        return flip_bytes(data, rng), "mxl:flip", "mxl"
    if op == "truncate":
        return truncate(data, rng), "mxl:truncate", "mxl"
    if op == "delete":
        return delete_chunk(data, rng), "mxl:delete", "mxl"
    if op == "container":
        target = rng.choice(["missing.xml", "../../../etc/passwd", "/etc/passwd", "", "META-INF/container.xml",
                             "x" * 5000])
        container = rng.choice([
            f'<container><rootfiles><rootfile full-path="{target}"/></rootfiles></container>',
            "<container>" + "<a>" * 10_000 + "</a>" * 10_000 + "</container>", "not xml", ""])
        return _zip_mxl(xml_bytes, name, container=container), "mxl:container", "mxl"
    # many members
    extra = [(f"junk/{i}.xml", b"<a/>", zipfile.ZIP_STORED) for i in range(rng.choice([100, 5000]))]
    return _zip_mxl(xml_bytes, name, extra=extra), "mxl:many_members", "mxl"


# ============================================================================ co-create cases
def cocreate_case(i: int, seeds: list[Seed], rng: random.Random, work: Path, model: Any,
                  write_share: float) -> tuple[Case, Any, list[str]]:
    import tunesmith as ts

    seed = rng.choice(seeds)
    try:
        if seed.kind == "abc":
            data, how = mutate_abc(seed.data, rng)
            ext = "abc"
        elif seed.kind == "mid":
            data, how = mutate_midi(seed.data, rng)
            ext = "mid"
        else:
            data, how, ext = mutate_mxl(seed.data, rng)
    except Exception:  # noqa: BLE001 - a mutation the writing library refuses (mido checks its fields)
        data, how, ext = flip_bytes(seed.data, rng), f"{seed.kind}:flip", seed.kind
    path = work / f"case-{i:05d}.{ext}"
    path.write_bytes(data)
    verb = rng.choice(["harmonize", "harmonize", "continue", "inpaint"])
    style = rng.choice([None, None, "folk", "jazz", "pop", "chorale"])
    case = Case("cocreate", i, ext, how, seed.name, verb=f"{verb}:{style}", extra={"bytes": len(data)})
    write = rng.random() < write_share
    audio = rng.random() < 0.3

    def call() -> None:
        try:
            if verb == "harmonize":
                take = ts.harmonize(path, style=style, seed=i, model=model)
            elif verb == "continue":
                take = ts.continue_(path, bars=rng.choice([1, 2]), style=style, seed=i, model=model)
            else:
                take = ts.inpaint(path, bars=rng.choice(["1-1", "2-3", "1-2"]), style=style, seed=i, model=model)
            if write:
                take.write(work / f"out-{i:05d}", force=True, audio=audio, svg=audio)
        finally:
            for p in work.glob(f"out-{i:05d}*"):
                p.unlink(missing_ok=True)

    return case, call, [path.name]


# ============================================================================ model cases
def _read_model(file: Path) -> tuple[dict, bytes]:
    raw = file.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    return json.loads(raw[8: 8 + n]), raw[8 + n:]


def _pack_model(header: dict, body: bytes) -> bytes:
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + body


CONFIG_VALUES = [0, -1, 1, 3, 7, 10**9, 2**31, 2**63, 1.5, "4", None, True, [], {}, float("nan"), 10**400]


def mutate_model(folder: Path, header0: dict, body0: bytes, rng: random.Random) -> str:
    """Mutate the model copy in `folder` in place; returns the mutation's name."""
    file = folder / "model.safetensors"
    header = copy.deepcopy(header0)
    meta = header.setdefault("__metadata__", {})
    info = json.loads(meta["tunesmith"])
    body = body0
    op = rng.choice(["config", "config", "config", "config_drop", "tokenizer", "tokenizer", "format", "metadata_junk",
                     "dtype", "shape", "offsets", "drop_tensor", "extra_tensor", "nan", "length_prefix", "flip_header",
                     "flip_body", "truncate", "decoding", "chord_table", "index", "model_json", "deep_json",
                     "config_consistent"])
    how = f"model:{op}"
    if op in ("config", "config_consistent"):
        key = rng.choice(["n_layer", "n_head", "n_embd", "vocab_size", "block_size", "bias", "dropout", "metric"])
        value = rng.choice(CONFIG_VALUES)
        if op == "config_consistent" and key in ("n_layer", "n_embd", "vocab_size", "block_size"):
            value = rng.choice([1, 2, 3, 8, 100, 4096])
        info["model_config"][key] = value
        how += f":{key}={str(value)[:12]}"
    elif op == "config_drop":
        key = rng.choice(list(info["model_config"]))
        del info["model_config"][key]
        how += f":{key}"
    elif op == "tokenizer":
        tok = info.get("tokenizer")
        if isinstance(tok, dict) and tok:
            key = rng.choice(list(tok))
            choice = rng.random()
            if choice < 0.3:
                del tok[key]
            elif choice < 0.6:
                tok[key] = rng.choice(CONFIG_VALUES + ["x" * 100, [1, 2, 3], {"a": 1}])
            elif isinstance(tok[key], list) and tok[key]:
                tok[key] = tok[key][: rng.randrange(len(tok[key]))] if rng.random() < 0.5 else tok[key] * 2
            else:
                tok[key] = None
            how += f":{key}"
        else:
            info["tokenizer"] = rng.choice([None, 1, "x", []])
    elif op == "format":
        info["format"] = rng.choice(["tunesmith-checkpoint", "x", None, 1])
        if rng.random() < 0.5:
            info.pop("model_config", None)
    elif op == "metadata_junk":
        meta["tunesmith"] = rng.choice(["", "not json", "[]", "null", "{" * 1000, "1e999999"])
    elif op == "deep_json":
        meta["tunesmith"] = "[" * 100_000 + "]" * 100_000
    names = [k for k in header if k != "__metadata__"]
    if op == "dtype":
        k = rng.choice(names)
        header[k]["dtype"] = rng.choice(["F16", "BF16", "F64", "I64", "U8", "BOOL", "X", None, 3])
        how += f":{header[k]['dtype']}"
    elif op == "shape":
        k = rng.choice(names)
        shape = header[k]["shape"]
        header[k]["shape"] = rng.choice([shape[::-1], shape + [1], [2**40] + shape[1:], [-1] + shape[1:], [],
                                          ["a"], [0] * len(shape), [1] * 9, shape[:1]])
        how += ":" + k.split(".")[-2] if "." in k else ""
    elif op == "offsets":
        k = rng.choice(names)
        a, b = header[k]["data_offsets"]
        header[k]["data_offsets"] = rng.choice([[b, a], [0, 2**62], [a, a], [-8, b], [a, b + 1], [0, b - a],
                                                [a + 1, b + 1], "x", [a]])
    elif op == "drop_tensor":
        del header[rng.choice(names)]
    elif op == "extra_tensor":
        header[f"h.{rng.choice([4, 99, 10**6])}.ln_1.weight"] = {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}
    elif op == "nan":
        k = rng.choice(names)
        a, b = header[k]["data_offsets"]
        ba = bytearray(body)
        pos = a + 4 * rng.randrange(max(1, (b - a) // 4))
        ba[pos: pos + 4] = struct.pack("<f", rng.choice([float("nan"), float("inf"), -float("inf")]))
        body = bytes(ba)
    if op in ("length_prefix", "flip_header", "flip_body", "truncate"):
        raw = _pack_model(header | {"__metadata__": meta | {"tunesmith": json.dumps(info)}}, body)
        if op == "length_prefix":
            n = struct.unpack("<Q", raw[:8])[0]
            raw = struct.pack("<Q", rng.choice([0, 1, n - 1, n + 1, 2**63, len(raw), 2**24 + 1])) + raw[8:]
        elif op == "flip_header":
            n = struct.unpack("<Q", raw[:8])[0]
            raw = flip_bytes(raw[: 8 + n], rng, 8) + raw[8 + n:]
        elif op == "flip_body":
            raw = flip_bytes(raw, rng, len(raw) - len(body))
        else:
            raw = truncate(raw, rng)
        file.write_bytes(raw)
        return how
    if op not in ("metadata_junk", "deep_json"):
        meta["tunesmith"] = json.dumps(info)
    try:
        file.write_bytes(_pack_model(header, body))
    except (ValueError, OverflowError):  # NaN / huge ints json cannot write plainly: still a hostile file
        meta["tunesmith"] = json.dumps(info, allow_nan=True, default=str)
        file.write_bytes(_pack_model(header, body))
    if op == "decoding":
        (folder / "decoding.json").write_text(rng.choice(['{"folk": {"temperature": 0, "top_p": 2}}', "[", "null",
                                                          '{"folk": 1}', '{"jazz": {"temperature": 1e308, "top_p": 1}}',
                                                          "[" * 100_000]))
    elif op == "chord_table":
        (folder / "chord_table.json").write_text(rng.choice(["", "{", "[]", '{"folk": 1}', "[" * 100_000,
                                                             '{"version": 99999}']))
    elif op == "index":
        target = rng.choice(["similarity_index.json", "similarity_index.npz"])
        p = folder / target
        if p.exists():
            p.write_bytes(rng.choice([b"", b"{", flip_bytes(p.read_bytes(), rng), p.read_bytes()[:100]]))
        how += f":{target}"
    elif op == "model_json":
        (folder / "model.json").write_text(rng.choice(["", "{", "[]", "[" * 100_000, '{"model_config": 1}']))
    return how


def model_case(i: int, rng: random.Random, work: Path, pristine: Path, header0: dict, body0: bytes):
    import tunesmith as ts
    from tunesmith import api

    folder = work / f"model-{i:04d}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(pristine, folder)
    try:
        how = mutate_model(folder, header0, body0, rng)
    except Exception:  # noqa: BLE001 - a mutation json cannot write: flip the header instead
        raw = (folder / "model.safetensors").read_bytes()
        (folder / "model.safetensors").write_bytes(flip_bytes(raw[:4096], rng, 8) + raw[4096:])
        how = "model:flip_header"
    case = Case("model", i, "model", how, "default")

    def call() -> None:
        try:
            m = ts.load_model(folder)
            ts.compose(style=rng.choice(["folk", "jazz", "chorale", "pop"]), bars=2, seed=i, model=m)
        finally:
            api._MODELS.clear()
            shutil.rmtree(folder, ignore_errors=True)

    return case, call, [folder.name]


# ============================================================================ the run
def run(n_cocreate: int, n_models: int, *, seed: int = 0, data: Path | None = None, timeout: float = 30.0,
        slow: float = 30.0, mem_gb: float = 2.0, as_limit_gb: float = 8.0, write_share: float = 0.5,
        work: Path | None = None, log=None) -> dict:
    """Run the cases; the summary (a dict, see the module docstring)."""
    import tunesmith as ts
    from tunesmith import api, pretrained

    rng = random.Random(seed)
    own_work = work is None
    work = Path(tempfile.mkdtemp(prefix="tunesmith-fuzz-")) if work is None else Path(work)
    work.mkdir(parents=True, exist_ok=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    old_alarm = signal.signal(signal.SIGALRM, _on_alarm)
    sampler = MemorySampler()
    sampler.start()
    cases: list[Case] = []
    t_start = time.perf_counter()
    try:
        model = ts.load_model("default")
        baseline = rss_bytes()
        if as_limit_gb > 0:  # a runaway allocation fails as MemoryError instead of taking the machine
            with open("/proc/self/statm") as f:
                vsz = int(f.read().split()[0]) * PAGE
            cap = int(vsz + as_limit_gb * 2**30)
            if hard == resource.RLIM_INFINITY or cap < hard:
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        seeds = collect_seeds(Path(data) if data else default_data(), rng)
        pristine = pretrained.resolve_model("default")
        header0, body0 = _read_model(pristine / "model.safetensors")
        plan = ["cocreate"] * n_cocreate + ["model"] * n_models
        random.Random(seed + 1).shuffle(plan)
        for i, door in enumerate(plan):
            if door == "cocreate":
                case, call, names = cocreate_case(i, seeds, rng, work, model, write_share)
            else:
                case, call, names = model_case(i, rng, work, pristine, header0, body0)
            run_case(case, call, names, sampler, timeout, slow, mem_gb * 2**30)
            cases.append(case)
            for p in work.glob(f"case-{i:05d}.*"):
                p.unlink(missing_ok=True)
            if log is not None and (case.outcome in FAILURES or (i + 1) % 100 == 0):
                done = Counter(c.outcome for c in cases)
                log(f"[{i + 1}/{len(plan)} {time.perf_counter() - t_start:.0f}s] {dict(done)}"
                    + (f"  FAIL {case.door} {case.mutation} {case.source}: {case.message[:300]}"
                       if case.outcome in FAILURES else ""))
            if api._MODELS and len(api._MODELS) > 1:  # only the default stays cached
                for k in [k for k, v in api._MODELS.items() if v is not model]:
                    del api._MODELS[k]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_alarm)
        sampler.stop()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    return summarize(cases, time.perf_counter() - t_start, baseline, seed)


def summarize(cases: list[Case], seconds: float, baseline: int, seed: int) -> dict:
    by_door: dict[str, Counter] = defaultdict(Counter)
    by_mutation: dict[str, Counter] = defaultdict(Counter)
    for c in cases:
        by_door[c.door][c.outcome] += 1
        by_mutation[f"{c.door}:{c.mutation.split(':')[0]}:{c.mutation.split(':')[1] if ':' in c.mutation else ''}"][
            c.outcome] += 1
    slowest = sorted(cases, key=lambda c: -c.seconds)[:15]
    failures = [c for c in cases if c.outcome in FAILURES]
    peak = max((c.peak_rss_mb for c in cases), default=0.0)
    return {
        "seed": seed,
        "cases": len(cases),
        "seconds": round(seconds, 1),
        "outcomes": dict(Counter(c.outcome for c in cases)),
        "by_door": {d: dict(v) for d, v in by_door.items()},
        "by_mutation": {m: dict(v) for m, v in sorted(by_mutation.items())},
        "failures": len(failures),
        "over_10_seconds": sum(c.seconds > 10 for c in cases),
        "max_case_seconds": max((c.seconds for c in cases), default=0.0),
        "max_case_cpu_seconds": max((c.cpu_seconds for c in cases), default=0.0),
        "mean_case_seconds": round(sum(c.seconds for c in cases) / max(1, len(cases)), 3),
        "peak_rss_mb": peak,
        "baseline_rss_mb": round(baseline / 2**20, 1),
        "max_growth_mb": round(peak - baseline / 2**20, 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "slowest": [_case_dict(c) for c in slowest],
        "failed_cases": [_case_dict(c) for c in failures],
        "refusal_examples": sorted({c.message[:160] for c in cases if c.outcome == "refused"})[:40],
    }


def _case_dict(c: Case) -> dict:
    return {"index": c.index, "door": c.door, "kind": c.kind, "mutation": c.mutation, "source": c.source,
            "verb": c.verb, "outcome": c.outcome, "seconds": c.seconds, "cpu_seconds": c.cpu_seconds, "peak_rss_mb": c.peak_rss_mb,
            "message": c.message[:2000], **c.extra}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cocreate", type=int, default=2000, help="mutated co-create inputs (default 2000)")
    ap.add_argument("--models", type=int, default=200, help="mutated models (default 200)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=Path, default=None, help="the shared data folder (default ../shared/data)")
    ap.add_argument("--timeout", type=float, default=30.0, help="a case is stopped after this many seconds")
    ap.add_argument("--slow", type=float, default=30.0, help="a case that finishes after this many seconds fails")
    ap.add_argument("--mem-gb", type=float, default=2.0, help="a case whose resident memory passes this fails")
    ap.add_argument("--as-limit-gb", type=float, default=8.0, help="address space allowed beyond the start (0: none)")
    ap.add_argument("--write-share", type=float, default=0.5, help="share of takes written (MIDI, MusicXML, ...)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the cases (default: a temporary one)")
    ap.add_argument("--json", type=Path, default=None, help="write the summary here")
    args = ap.parse_args(argv)
    summary = run(args.cocreate, args.models, seed=args.seed, data=args.data, timeout=args.timeout, slow=args.slow,
                  mem_gb=args.mem_gb, as_limit_gb=args.as_limit_gb, write_share=args.write_share, work=args.work,
                  log=lambda s: print(s, file=sys.stderr, flush=True))
    text = json.dumps(summary, indent=2, default=str)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    brief = {k: summary[k] for k in ("cases", "seconds", "outcomes", "by_door", "failures", "over_10_seconds",
                                     "max_case_seconds", "max_case_cpu_seconds", "peak_rss_mb", "max_growth_mb")}
    print(json.dumps(brief, indent=2))
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
