"""Readers for every input kind: `read_file(path)` dispatches on the extension (and sniffs the
content when the extension is missing or wrong). Every reader returns `list[Piece]`, because a
file may hold many tunes, and raises `InputError("<path>: <problem>")` for a file it cannot read.

Readers never open URLs: a path is a local file (a string that looks like a URL is refused).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..score import Piece


class InputError(ValueError):
    """A file that cannot be read as music; the message is one line: '<path>: <problem>'."""


class MissingInputError(InputError, FileNotFoundError):
    """An input file that is not there: both an InputError (a ValueError) and a FileNotFoundError, so
    that an app's `except FileNotFoundError` catches it as the README says (it had been a ValueError
    only, where `provenance` and a missing model raise FileNotFoundError)."""


def refuse_url(path: str | os.PathLike) -> str:
    """The path as text; InputError for a URL (tunesmith reads local files only), checked on the
    text as given: `Path` would turn "http://x/a.mid" into "http:/x/a.mid"."""
    if isinstance(path, bytes | bytearray | memoryview) or not isinstance(path, str | os.PathLike):
        # an app had passed a file's bytes: "a bytes-like object is required, not 'str'" said the opposite
        what = "bytes (write them to a file first)" if isinstance(
            path, bytes | bytearray | memoryview) else type(path).__name__  # fmt: skip
        raise TypeError(f"a music file's path is a str or os.PathLike, not {what}")
    text = os.fspath(path)
    if not text.strip():  # Path("") is ".", the working folder: it had been "a directory, not a file"
        raise InputError("an empty path: give a file or folder")
    if "://" in text or text.lower().startswith(("http:", "https:", "ftp:", "file:", "data:")):
        raise InputError(f"{text}: URLs are not read; give a local file")
    return text


def check_local_file(
    path: str | os.PathLike, *, min_bytes: int = 1, max_bytes: str = "MAX_FILE_BYTES", music: bool = False
) -> Path:
    """The path as a Path, after refusing URLs, missing, unreadable, directory and empty files,
    (`music`) a file of no type tunesmith reads, and files over the size limit `max_bytes` (a name
    in `tunesmith.limits`), before reading."""
    text = refuse_url(path)
    p = Path(text)
    try:
        st = os.stat(p)  # follows symbolic links
    except FileNotFoundError:
        raise MissingInputError(f"{p}: no such file") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError(f"{p}: a symbolic link that loops back on itself") from None
        raise InputError(f"{p}: cannot be read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):  # a pipe or a device would block the read or never end
        raise InputError(f"{p}: not a regular file (a pipe, device or socket)")
    size = st.st_size
    try:
        with open(p, "rb"):
            pass
    except OSError as e:
        raise InputError(f"{p}: cannot be read ({e.strerror or e})") from e
    if size < min_bytes:
        raise InputError(f"{p}: file is empty")
    if music and kind_of(p) is None:
        # the type before the size: a 5.8 MB WAV given to harmonize had been "file too large", as if a
        # smaller one would do
        audio = p.suffix.lower() in (".wav", ".mp3", ".flac", ".ogg", ".m4a", ".aif", ".aiff")
        hint = "; audio is not read: give the music as notes (a take's .mid or .musicxml beside its .wav)" if audio else ""
        raise InputError(f"{p}: unsupported file type {p.suffix.lower() or '(no extension)'!r} and content not "
                         f"recognised; known: {', '.join(sorted(READERS))}{hint}")  # fmt: skip
    from ..limits import check_file_size

    check_file_size(p, size, max_bytes)
    return p


def read_text(path: Path) -> str:
    """File text as UTF-8 (latin-1 fallback); InputError for binary content."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: binary data where text was expected")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def name_text(name: str) -> str:
    """A file name as text that every writer takes: bytes of the name that are not UTF-8 (held by
    Python as lone surrogates) become U+FFFD. A title with a surrogate in it had failed the MIDI
    writer (symusic) with a TypeError after the take was made."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def piece_stem(path: Path, source: str = "") -> str:
    stem = name_text(path.stem)
    return f"{source}:{stem}" if source else stem


def sniff(path: Path) -> str | None:
    """Format name guessed from the first bytes: midi, mxl, musicxml, kern, abc, jsb, progressions."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if head.startswith(b"MThd") or head.startswith(b"RIFF") and b"RMID" in head[:12]:
        return "midi"
    if head.startswith(b"PK\x03\x04"):
        return "mxl"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<") and ("score-partwise" in text or "score-timewise" in text or text.startswith("<?xml")):
        return "musicxml"
    if "**kern" in text:
        return "kern"
    if text.startswith("{") and ('"train"' in text or '"valid"' in text or '"test"' in text):
        return "jsb"
    if "Title =" in text and "|" in text:
        return "progressions"
    for line in text.splitlines()[:200]:
        if line.startswith("X:") or line.startswith("K:"):
            return "abc"
    return None


def _reader_for(kind: str) -> Callable[..., list[Piece]]:
    if kind == "midi":
        from .midi import read_midi

        return read_midi
    if kind in ("musicxml", "mxl"):
        from .musicxml import read_musicxml

        return read_musicxml
    if kind == "abc":
        from .abc import read_abc

        return read_abc
    if kind == "kern":
        from .kern import read_kern

        return read_kern
    if kind == "jsb":
        from .jsb import read_jsb_json

        return read_jsb_json
    if kind == "progressions":
        from .progressions import read_progressions

        return read_progressions
    raise KeyError(kind)


def _lazy(kind: str) -> Callable[..., list[Piece]]:
    def reader(path: str | os.PathLike, **kw: object) -> list[Piece]:
        return _reader_for(kind)(path, **kw)

    reader.__name__ = f"read_{kind}"
    reader.__doc__ = f"Read a {kind} file (imports its reader on first use)."
    return reader


# extension -> reader (lazy, so importing tunesmith.inputs does not import music21)
READERS: dict[str, Callable[..., list[Piece]]] = {
    ".mid": _lazy("midi"),
    ".midi": _lazy("midi"),
    ".kar": _lazy("midi"),
    ".abc": _lazy("abc"),
    ".musicxml": _lazy("musicxml"),
    ".xml": _lazy("musicxml"),
    ".mxl": _lazy("musicxml"),
    ".krn": _lazy("kern"),
    ".kern": _lazy("kern"),
    ".json": _lazy("jsb"),
    ".txt": _lazy("progressions"),
}
_KIND_OF_EXT = {
    ".mid": "midi", ".midi": "midi", ".kar": "midi", ".abc": "abc", ".musicxml": "musicxml", ".xml": "musicxml",
    ".mxl": "mxl", ".krn": "kern", ".kern": "kern", ".json": "jsb", ".txt": "progressions",
}


def kind_of(p: Path) -> str | None:
    """The reader a file goes to: its extension's, unless its content is clearly another format (a
    MIDI file named .abc); None for a file tunesmith does not read."""
    kind = _KIND_OF_EXT.get(p.suffix.lower())
    sniffed = sniff(p)
    if sniffed is not None and sniffed != kind and not (kind == "musicxml" and sniffed == "mxl"):
        kind = sniffed
    return kind


def read_file(path: str | os.PathLike, **kw: object) -> list[Piece]:
    """Read any supported file into pieces. The extension picks the reader; when the content
    is clearly another format (a MIDI file named .abc) the content wins; a POP909 song folder
    (NNN/NNN.mid + chord_midi.txt) goes to `read_pop909_song`. Keyword arguments (source,
    style, license, ...) go to the reader. InputError for anything unreadable."""
    folder = Path(os.fspath(path))
    if "://" not in str(folder) and folder.is_dir() and (folder / f"{folder.name}.mid").exists() and (folder / "chord_midi.txt").exists():
        from .pop909 import read_pop909_song

        return read_pop909_song(folder, **kw)  # type: ignore[arg-type]
    p = check_local_file(path, music=True)  # (a file of no type tunesmith reads is refused there)
    kind = kind_of(p)
    try:
        pieces = _reader_for(kind)(p, **kw)
        from ..limits import clip_names

        for piece in pieces:
            clip_names(piece)  # a megabyte part name or title is cut, not carried into every output
            try:  # what every writer will ask of the piece, asked on reading: a negative MusicXML
                # <duration> had been read as a note at -1 beats, then failed the take's writers
                # after the work, naming the take's internal id
                piece.validate()
            except ValueError as e:
                raise InputError(f"{p}: {str(e).split(': ', 1)[-1]}") from None
        return pieces
    except ValueError as e:
        text = str(e)
        if p.name in text and "\n" not in text.replace(p.name, "").strip():  # (a newline in the name is the name's)
            raise  # InputError / LimitError: one line that names the file
        # a library's ValueError ("negative seek value" from zipfile, ...): one line naming the file
        raise InputError(f"{p}: cannot be read as {kind} ({why_in_words(e)})") from e
    except (FileNotFoundError, MemoryError):
        raise  # MemoryError: a corpus worker is retired
    except Exception as e:  # noqa: BLE001 - RecursionError, library TypeErrors...: one line naming the file
        raise InputError(f"{p}: cannot be read as {kind} ({why_in_words(e)})") from e


def why_in_words(e: BaseException, *, named: bool = True) -> str:
    """A reader's exception as the end of a one-line message: what Python says of a number too long
    or infinite said in the file's terms, anything else as "TypeName: its first line" (`named`) or
    its first line alone."""
    text = str(e)
    if isinstance(e, ValueError) and "integer string conversion" in text:
        return "a number in it is thousands of digits long"  # Python: "Exceeds the limit (4300 digits) ..."
    if isinstance(e, OverflowError | ValueError) and ("infinity" in text or "NaN" in text):
        return "a number in it is infinite or not a number"  # "cannot convert float infinity to integer"
    detail = (text.splitlines() or [""])[0]
    if not named:
        return detail[:200]
    return f"{type(e).__name__}{': ' + detail[:200] if detail else ''}"


def played_repeat_labels(piece: Piece) -> list[str]:
    """The section letters of a piece read with its repeat signs followed (`meta["sections"]`,
    as the ABC and MusicXML readers record them) when a section comes back, e.g. A A B B: its bar
    numbers count bars as played, not the score's measures. [] otherwise."""
    labels = [str(sec[2]) for sec in piece.meta.get("sections") or [] if len(sec) > 2]
    return labels if piece.meta.get("repeats_expanded") and len(labels) != len(set(labels)) else []


def list_inputs(folder: str | os.PathLike) -> list[Path]:
    """Every readable file under `folder` (sorted), by extension."""
    root = Path(folder)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in READERS)


__all__ = ["READERS", "InputError", "check_local_file", "read_file", "sniff", "list_inputs", "played_repeat_labels",
           "why_in_words"]
