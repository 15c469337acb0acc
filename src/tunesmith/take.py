"""A take: one piece tunesmith made, with how it was made, and the files it is written as.

`Take.write` writes one file (by its extension) or the whole bundle (STEM.mid .musicxml .wav .svg
.json); `write_takes` writes several as STEM-1 ... STEM-n. Nothing existing is overwritten unless
asked, and a folder in the way is refused before any work. `tunesmith.api` re-exports all of it.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tunesmith.remarks import take_remarks
from tunesmith.score import Piece

BUNDLE_KINDS = ("mid", "musicxml", "abc", "wav", "svg", "json")
# extensions `out_stem` strips and `Take.write` writes as a single file
FILE_KINDS = {".mid": "mid", ".midi": "mid", ".musicxml": "musicxml", ".xml": "musicxml", ".mxl": "musicxml",
              ".abc": "abc", ".wav": "wav", ".svg": "svg", ".json": "json"}  # fmt: skip




def out_stem(path: str | os.PathLike) -> Path:
    """The bundle stem of an output path: 'song.mid', 'song.musicxml' and 'song.abc' -> 'song'; 'song' as is."""
    p = Path(os.fspath(path))
    if p.suffix.lower() in FILE_KINDS:
        return p.with_suffix("")
    if p.suffix.lower() in (".krn", ".kern", ".kar", ".ly", ".pdf", ".mp3", ".flac", ".ogg", ".txt", ".png",
                            ".jpg", ".html", ".csv", ".zip"):  # fmt: skip
        # a format tunesmith reads or a user expects, but does not write: not song3.abc.mid, silently
        # (the path, not "--out": the Python API's `Take.write` says this too, a first-day user noticed)
        raise ValueError(f"{p}: tunesmith writes .mid, .musicxml, .abc, .wav, .svg and .json, not {p.suffix}; "
                         f"give a stem ({p.with_suffix('').name}) or one of those")  # fmt: skip
    return p


def bundle_paths(stem: str | os.PathLike, n: int) -> list[Path]:
    """Every file a bundle of `n` takes at `stem` may write."""
    stem = out_stem(stem)
    stems = [stem] if n == 1 else [stem.with_name(f"{stem.name}-{i}") for i in range(1, n + 1)]
    return [s.with_name(f"{s.name}.{kind}") for s in stems for kind in BUNDLE_KINDS]


def check_overwrite(paths: Sequence[Path], force: bool, hint: str = "force=True") -> None:
    """FileExistsError naming the first existing path unless `force`; a folder where a file is to
    go is refused even with `force` (checked before the work: the files of a take are replaced one
    by one, and one that could not be had left the others without their JSON)."""
    for folder in {p.parent for p in paths}:  # --out afile/t, afile a file: not "[Errno 17] File exists"
        above = next((q for q in (folder, *folder.parents) if q.exists()), None)
        if above is not None and not above.is_dir():
            raise NotADirectoryError(f"{above}: is a file, not a folder to write the takes in")
        if above is not None:
            _check_writable(above)
    for p in paths:
        if p.is_dir():
            raise IsADirectoryError(f"{p}: is a folder; a take's file cannot replace it")
        if not force and p.exists():
            raise FileExistsError(f"{p}: exists; pass {hint} to overwrite it")


def _check_writable(folder: Path) -> None:
    """PermissionError naming `folder` where a file cannot be made in it (a read-only file system, a
    folder of another user's, /sys): asked by making one, before the work. `compose --n 32` into a
    read-only folder had composed every take, then failed with "OSError: [Errno 30] Read-only file
    system: 'ro/.take-1.partial-27739-zxfn80v4'", naming a file of its own."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise PermissionError(f"{folder}: cannot write files there ({e.strerror or e})") from None


class Take:
    """One piece tunesmith made, with how it was made. `write` saves it; in a notebook it shows
    as its score (SVG) and an audio player."""

    def __init__(self, piece: Piece, seed: int | None, provenance: dict, raw: Any = None) -> None:
        self.piece = piece
        self.seed = seed
        self.provenance = provenance
        self.raw = raw  # the sampler's take: tokens, per-token log-probabilities
        self.files: dict[str, Path] = {}  # the bundle last written by `write` ({kind: path})

    def __repr__(self) -> str:
        p = self.piece
        key = f"{p.key.tonic} {p.key.mode}" if p.key else "?"
        whole = p.n_bars - 1 if p.pickup_beats() else p.n_bars
        bars = f"{whole} bar{'' if whole == 1 else 's'}"
        bars = f"a pickup and {bars}" if p.pickup_beats() else bars
        return f"<tunesmith.Take {p.style or '?'} in {key}, {p.time_signature}, {bars}, seed {self.seed}>"

    @property
    def remarks(self) -> list[str]:
        """What the musician should know about this take, one line each (`take_remarks`)."""
        return take_remarks(self.provenance)

    # ---- files
    def write(
        self, path: str | os.PathLike, *, force: bool = False, audio: bool = True, svg: bool = True
    ) -> dict[str, Path]:
        """Write the take. A path ending in .mid, .musicxml (.xml, .mxl), .abc, .wav, .svg or .json
        writes that one file; any other path is a stem for the whole bundle (STEM.mid .musicxml .abc
        .wav .svg .json). An existing file is kept (FileExistsError) unless `force`. Returns {kind: path}."""
        from tunesmith.limits import check_output_stem

        if not isinstance(path, str | os.PathLike):
            raise TypeError(f"path must be a path (str or os.PathLike), not {type(path).__name__}")
        p = Path(os.fspath(path))
        kind = FILE_KINDS.get(p.suffix.lower())
        if kind is None:
            check_output_stem(p, "path")  # a bundle's stem: not a folder, not the filesystem root (as --out)
            self.files = write_takes([self], p, force=force, audio=audio, svg=svg)[0]  # (`tunesmith.rate` reads its JSON)
            return self.files
        check_overwrite([p], force)
        import tempfile

        with tempfile.TemporaryDirectory(prefix=".tunesmith-", dir=p.parent if p.parent.is_dir() else None) as d:
            files = write_takes([self], Path(d) / "take", force=True, audio=kind == "wav", svg=kind == "svg")[0]
            if p.suffix.lower() == ".mxl":  # the bundle's MusicXML, its provenance in it, packed
                from tunesmith.outputs.musicxml import mxl_bytes
                from tunesmith.paths import atomic_write_bytes

                atomic_write_bytes(p, mxl_bytes(files["musicxml"].read_bytes(), p.with_suffix(".musicxml").name))
            elif kind == "json":  # the record alone: it names itself, not the staging bundle's files
                import json

                from tunesmith.paths import atomic_write_text

                record = json.loads(files["json"].read_text(encoding="utf-8"))
                record["files"] = {"json": p.name}
                p.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_text(p, json.dumps(record, indent=2, default=str) + "\n")
            else:
                p.parent.mkdir(parents=True, exist_ok=True)
                os.replace(files[kind], p)
        return {kind: p}

    def midi_bytes(self) -> bytes:
        from tunesmith.outputs.midi import midi_bytes

        return midi_bytes(self.piece)

    def musicxml(self, repeats: bool = True) -> str:
        """The score as MusicXML, a composed take's repeated strains between repeat barlines as
        `write` writes them (`repeats` False, or a co-created take: written out as played)."""
        from tunesmith.outputs.musicxml import folds_repeats, musicxml_bytes

        data = musicxml_bytes(self.piece, repeats and folds_repeats(self.piece))
        return data.decode("utf-8") if isinstance(data, bytes) else data

    def abc(self, repeats: bool = True) -> str:
        """The take as ABC notation, its strains between repeat signs as `write` writes them, a
        co-created take's too (`repeats` False, or a loop: as played; `tunesmith.outputs.abc`).
        `write` to a .abc path adds how it was made."""
        from tunesmith.outputs.abc import abc_folds_repeats, abc_text

        return abc_text(self.piece, repeats=repeats and abc_folds_repeats(self.piece))

    def svg(self) -> str:
        """The engraved score as one SVG document (verovio)."""
        import tempfile

        from tunesmith.outputs.svg import render_svg_pages, stack_pages

        with tempfile.TemporaryDirectory() as d:
            xml = Path(d) / "take.musicxml"
            xml.write_text(self.musicxml(), encoding="utf-8")
            return stack_pages(render_svg_pages(xml))

    def wav_bytes(self) -> bytes:
        """The take as a WAV file (bytes), played as the bundle's .wav is."""
        from tunesmith.outputs.bundle import performance_wav

        return performance_wav(self.piece)

    def play(self):
        """An IPython audio player of the take, in a notebook; outside one (no IPython) a
        RuntimeError that says what to do instead."""
        try:
            from IPython.display import Audio
        except ImportError:
            raise RuntimeError("take.play() needs IPython (a Jupyter notebook); elsewhere write the take "
                               "(take.write('out/take')) and open its .wav, or take.wav_bytes()") from None  # fmt: skip
        return Audio(self.wav_bytes())

    def _repr_html_(self) -> str:
        parts = [f"<p>{_html(repr(self))}</p>"]
        try:
            parts.append(f'<div style="max-width:100%">{self.svg()}</div>')
        except Exception as exc:  # noqa: BLE001 - a notebook shows what it can
            parts.append(f"<p>(no score: {_html(str(exc))})</p>")
        try:
            data = base64.b64encode(self.wav_bytes()).decode("ascii")
            parts.append(f'<audio controls src="data:audio/wav;base64,{data}"></audio>')
        except Exception as exc:  # noqa: BLE001
            parts.append(f"<p>(no audio: {_html(str(exc))})</p>")
        return "\n".join(parts)


def _html(text: str) -> str:
    import html

    return html.escape(text)


def write_takes(
    takes: Sequence[Take] | Take, out: str | os.PathLike, *, force: bool = False, audio: bool = True, svg: bool = True
) -> list[dict[str, Path]]:
    """Write takes (a list, or one Take) as bundles at STEM (one take) or STEM-1 ... STEM-n; `out` may end in a known
    extension ('song.mid' -> stem 'song'). Existing files are kept (FileExistsError) unless `force`."""
    from tunesmith.limits import check_output_stem
    from tunesmith.outputs.bundle import write_takes as write_bundles

    if isinstance(takes, Take):  # compose(n=1) returns a Take, not a list: write it all the same
        takes = [takes]
    check_output_stem(out, "out")  # not a folder, not the filesystem root (as --out)
    stem = out_stem(out)
    check_overwrite(bundle_paths(stem, len(takes)), force)
    return write_bundles(
        [t.piece for t in takes],
        stem,
        n=len(takes),
        provenance=[t.provenance for t in takes],
        render_audio=audio,
        render_svg=svg,
    )
