"""The built-in corpus sources, and how each one is enumerated and read.

`BUILTIN_SOURCES` is an explicit registry {name: SourceSpec}. A spec says where the files
are (a music21 corpus collection, a folder of the shared data, or a user folder), which of
them to take, which reader turns one item (a file, or a folder for POP909) into Pieces,
and the style and license every piece from it carries. Style and license can be overridden
per build (`SourceSpec.with_overrides`).

Licenses (see tunesmith.licenses; `may_ship` decides what may go into a shipped model):
- music21 collections: "non-commercial" (music21's license.txt: encodings distributed with
  the encoders' permission, some non-commercial only; Essen's status unclear).
- nottingham: "GPL-3.0" (LICENSE.md). irish: "CC-BY-4.0" (the set states Unlicense / CC BY 4.0;
  we take the stricter of the two, attribution kept in the model card). jsb: "public-domain".
- pop909, chord-melody, omnibook: "research-only" (copyrighted songs / transcriptions).
- openewld: "research-only". The database is MIT, but the scores are only "intended" to be
  public domain and the README itself calls some of them doubtful; a lead sheet of a song
  still in copyright is not made shippable by the MIT license of the database around it, and
  we cannot tell which ones, so the whole set is kept out of shipped models (except works first
  performed before 1931: `corpus.rights`). Override with `--override openewld:license=...
  --allow-relabel` after checking a subset by hand (without --allow-relabel such an override is
  refused).
- progressions: "research-only" (no license file; derived from Impro-Visor's Imaginary Book).
- billboard: "CC0-1.0" (McGill Billboard chord annotations, CC0; chords only, no melody).
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from tunesmith import paths

# Extensions `tunesmith.inputs.read_file` dispatches on.
MUSIC_EXTENSIONS = (".mid", ".midi", ".abc", ".musicxml", ".xml", ".mxl", ".krn")

# reader name -> (module, function). Every reader takes (path, *, source, style, license) -> list[Piece].
READERS: dict[str, tuple[str, str]] = {
    "file": ("tunesmith.inputs", "read_file"),
    "jsb": ("tunesmith.inputs.jsb", "read_jsb_json"),
    "pop909": ("tunesmith.inputs.pop909", "read_pop909_song"),
    "progressions": ("tunesmith.inputs.progressions", "read_progressions"),
    "billboard": ("tunesmith.inputs.billboard", "read_billboard_song"),
    "kern": ("tunesmith.inputs.kern", "read_kern"),
    "music21": ("tunesmith.corpus.sources", "read_music21_item"),
}


def reader_ref(reader: str) -> tuple[str, str]:
    """(module, function) of a reader: a name from READERS, or "package.module:function"."""
    if reader in READERS:
        return READERS[reader]
    module, sep, func = reader.partition(":")
    if not sep or not module or not func:
        raise ValueError(f"unknown reader {reader!r}; one of {', '.join(READERS)} or 'module:function'")
    return module, func


@dataclass(frozen=True)
class Item:
    """One unit of work for a reader: a file, or a folder (POP909 song)."""

    source: str
    path: str  # absolute
    rel: str  # relative to the source root, posix separators
    size: int  # bytes (a folder: the sum of its files)
    mtime_ns: int  # a folder: the newest of its files
    reader: str
    style: str
    license: str

    @property
    def key(self) -> str:
        return f"{self.source}:{self.rel}"


@dataclass(frozen=True)
class SourceSpec:
    name: str
    style: str
    license: str
    kind: str  # "music21" (location: collection), "shared" (location: under shared data), "folder" (absolute)
    location: str
    reader: str = "file"
    patterns: tuple[str, ...] = ()  # fnmatch on the relative path; empty: every file with a music extension
    items: str = "files"  # "files" | "folders" (each matching sub-folder is one item)
    priority: int = 50  # which copy deduplication keeps: the highest priority
    standard_split: bool = False  # the reader sets piece.split from the data set's own split
    description: str = ""
    relabelled_from: str | None = None  # the source's own license when an override changed it
    # the source writes every key as major (OpenEWLD's <mode>major</mode>, Essen's ABC K: without
    # a mode): each is settled as major or its relative minor from the music
    # (`harmony.settle_relative_mode`)
    modes_assumed: bool = False
    # the source writes a modal tune's key as its signature's (the Irish MIDI's abc2midi signature,
    # Nottingham's K: fields, none of which names a mode: an E dorian tune is "D major"): the key
    # is moved to the tune's final where the music agrees (`harmony.settle_modal_final`)
    keys_by_signature: bool = False
    # the files are a player's rendering of notation (the Irish MIDI: every note a tick late,
    # hornpipes swung): read back onto the grid and straight (`performance.snap_to_grid`, `unswing`)
    performed: bool = False

    def root(self) -> Path:
        if self.kind == "shared":
            return paths.shared_data() / self.location
        if self.kind == "music21":
            return music21_corpus_dir() / self.location
        return Path(self.location)

    def with_overrides(self, *, style: str | None = None, license: str | None = None) -> SourceSpec:
        from tunesmith.corpus.registry import check_license, check_style

        new_license = check_license(license) if license else self.license
        return replace(
            self,
            style=check_style(style) if style else self.style,
            license=new_license,
            relabelled_from=(self.relabelled_from or self.license) if new_license != self.license else self.relabelled_from,
        )

    def iter_items(self) -> Iterator[Item | tuple[str, str]]:
        """Items in a stable order. A `(path, problem)` pair stands for a file that is skipped
        with a reason (user folders only: a file without a music extension). Raises
        FileNotFoundError if the source's root is missing."""
        if self.kind == "music21":
            yield from self._music21_items()
            return
        root = self.root()
        if not root.is_dir():
            raise FileNotFoundError(f"{root}: source {self.name!r} not found")
        if self.items == "folders":
            for entry in sorted(os.scandir(root), key=lambda e: e.name):
                if entry.is_dir() and not entry.name.startswith(".") and self._wanted(entry.name):
                    size, mtime = _folder_stat(Path(entry.path))
                    yield self._item(Path(entry.path), entry.name, size, mtime)
            return
        for path, rel in _walk(root):
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:  # bytes the file system holds that are not text: the cache's
                # JSON and SQLite cannot record the name (the whole build had stopped on one)
                from tunesmith.inputs import name_text

                yield (name_text(str(path)), "skipped: its name is not UTF-8 text; rename the file")
                continue
            if self.patterns:
                wanted = self._wanted(rel)
            else:
                wanted = path.suffix.lower() in MUSIC_EXTENSIONS
                if not wanted and self.kind == "folder":
                    yield (str(path), f"skipped: not a music file (extension {path.suffix or 'none'!r})")
            if not wanted:
                continue
            try:
                st = path.stat()
            except OSError as exc:  # a broken link, a file removed meanwhile
                yield (str(path), f"skipped: cannot read it ({exc.strerror or exc})")
                continue
            if not stat.S_ISREG(st.st_mode):
                yield (str(path), "skipped: not a regular file")
                continue
            yield self._item(path, rel, st.st_size, st.st_mtime_ns)

    def _wanted(self, rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, p) for p in self.patterns) if self.patterns else True

    def _item(self, path: Path, rel: str, size: int, mtime_ns: int) -> Item:
        return Item(self.name, str(path), rel, size, mtime_ns, self.reader, self.style, self.license)

    def _music21_items(self) -> Iterator[Item]:
        root = music21_corpus_dir()
        files = _music21_listing(self.location, root)
        for path in files:
            p = Path(path)
            try:
                rel = p.relative_to(root / self.location).as_posix()
            except ValueError:
                rel = p.name
            st = p.stat()
            yield self._item(p, rel, st.st_size, st.st_mtime_ns)


def _walk(root: Path) -> Iterator[tuple[Path, str]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = base / name
            yield path, path.relative_to(root).as_posix()


def _folder_stat(folder: Path) -> tuple[int, int]:
    size = 0
    mtime = 0
    for path, _ in _walk(folder):
        try:
            st = path.stat()
        except OSError:
            continue
        size += st.st_size
        mtime = max(mtime, st.st_mtime_ns)
    return size, mtime


def music21_corpus_dir() -> Path:
    """music21's bundled corpus folder, found without importing music21."""
    spec = importlib.util.find_spec("music21")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("music21 is not installed: its corpus is not available")
    return Path(list(spec.submodule_search_locations)[0]) / "corpus"


def _music21_listing(folder_name: str, root: Path) -> list[str]:
    """Files of one music21 collection: from tunesmith.inputs.music21_corpus when it is there
    (it knows which files are the Riemenschneider chorales), else every music file of the folder."""
    try:
        from tunesmith.inputs.music21_corpus import COLLECTIONS, list_music21_sources
    except ImportError:
        COLLECTIONS, list_music21_sources = {}, None
    keys = [k for k, v in COLLECTIONS.items() if v == folder_name]
    if list_music21_sources is not None and keys:
        return sorted({str(path) for _name, path in list_music21_sources(keys)})
    folder = root / folder_name
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: music21 collection {folder_name!r} not found")
    files = [str(p) for p, _ in _walk(folder) if p.suffix.lower() in MUSIC_EXTENSIONS]
    if folder_name == "bach":  # the chorales: bwvNNN.N files (not the analyses folder)
        files = [f for f in files if Path(f).name.startswith("bwv") and "choraleAnalyses" not in f]
    return sorted(files)


def read_music21_item(path: str, *, source: str = "", style: str = "", license: str = "unknown") -> list:
    """Reader of the music21 sources: tunesmith.inputs.music21_corpus.read_music21_source (it adds
    BWV / Riemenschneider numbers and SATB roles to chorales), else plain read_file."""
    try:
        from tunesmith.inputs.music21_corpus import COLLECTIONS, read_music21_source
    except ImportError:
        from tunesmith.inputs import read_file

        return read_file(path, source=source, style=style, license=license)
    folder = Path(path).parent.name
    collection = next((k for k, v in COLLECTIONS.items() if v == folder), folder)
    return read_music21_source(collection, path, source=source, style=style, license=license)


def _m21(name: str, collection: str, style: str, description: str, *, modes_assumed: bool = False) -> SourceSpec:
    return SourceSpec(
        name, style, "non-commercial", "music21", collection, reader="music21", priority=40, description=description,
        modes_assumed=modes_assumed,
    )  # fmt: skip


BUILTIN_SOURCES: dict[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        _m21("bach-chorales", "bach", "chorale", "music21: J.S. Bach chorales (BWV / Riemenschneider numbers)"),
        _m21("essen", "essenFolksong", "folk", "music21: Essen folk song collection (ABC)", modes_assumed=True),
        _m21("oneills1850", "oneills1850", "folk", "music21: O'Neill's Music of Ireland, 1850 tunes (ABC)"),
        _m21("ryansMammoth", "ryansMammoth", "folk", "music21: Ryan's Mammoth Collection (ABC)"),
        _m21("airdsAirs", "airdsAirs", "folk", "music21: Aird's Airs (ABC)"),
        SourceSpec(
            "nottingham", "folk", "GPL-3.0", "shared", "nottingham",
            patterns=("ABC_cleaned/*.abc",), priority=90, keys_by_signature=True,
            description="Nottingham dance tunes, melody + chord symbols (ABC)",
        ),
        SourceSpec(
            "irish", "folk", "CC-BY-4.0", "shared", "irish",
            patterns=("MIDI/*.mid", "MIDI/*.midi"), priority=80, performed=True, keys_by_signature=True,
            description="Irish dance tunes, monophonic MIDI (Unlicense / CC BY 4.0)",
        ),
        SourceSpec(
            "jsb", "chorale", "public-domain", "shared", "jsb", reader="jsb",
            patterns=("jsb-chorales-16th.json",), priority=100, standard_split=True,
            description="JSB chorales on a 16th grid with the standard train/valid/test split",
        ),
        SourceSpec(
            "pop909", "pop", "research-only", "shared", "pop909", reader="pop909",
            patterns=("[0-9][0-9][0-9]",), items="folders", priority=60,
            description="POP909 Chinese pop songs: melody, bridge, piano + chord/beat/key annotations",
        ),
        SourceSpec(
            "openewld", "jazz", "research-only", "shared", "jazz/openewld",
            patterns=("dataset/*.mxl",), priority=60, modes_assumed=True,
            description="OpenEWLD lead sheets (MusicXML); scores only 'intended' public domain",
        ),
        SourceSpec(
            "chord-melody", "jazz", "research-only", "shared", "jazz/chord-melody",
            patterns=("*/c.xml",), priority=55,
            description="jazz standards, melody + 2 chords per bar, in C (MusicXML)",
        ),
        SourceSpec(
            "omnibook", "jazz", "research-only", "shared", "jazz/omnibook", reader="kern",
            patterns=("*.krn",), priority=60,
            description="Charlie Parker Omnibook solos with chord columns (**kern)",
        ),
        SourceSpec(
            "progressions", "jazz", "research-only", "shared", "jazz/progressions", reader="progressions",
            patterns=("*.txt",), priority=50,
            description="jazz chord progressions (text; chords only, no melody)",
        ),
        SourceSpec(
            "billboard", "pop", "CC0-1.0", "shared", "billboard", reader="billboard",
            patterns=("[0-9][0-9][0-9][0-9]",), items="folders", priority=50,
            description="McGill Billboard Hot 100 chord annotations with sections (chords only, no melody)",
        ),
    )
}


def folder_spec(name: str, path: str, style: str, license: str) -> SourceSpec:
    """A user folder: every music file under it, read by extension."""
    return SourceSpec(name, style, license, "folder", path, priority=70, description=f"user folder {path}")
