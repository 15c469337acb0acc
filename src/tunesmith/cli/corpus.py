"""`tunesmith corpus build|add|list|remove|stats`: the training corpus and its sources."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "build the corpus from built-in sources and registered folders; add, list, remove folders; show stats"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="corpus_command", metavar="COMMAND")
    sub.required = True

    build_help = "read every source in parallel, deduplicate, split, and cache the corpus"
    b = sub.add_parser("build", help=build_help, description=build_help[0].upper() + build_help[1:] + ".")
    b.add_argument("--sources", help="comma-separated source names (default: every built-in and registered folder)")
    b.add_argument("--no-shared", action="store_true", help="leave out the shared data sets (../shared/data)")
    b.add_argument("--no-music21", action="store_true", help="leave out the music21 corpus collections")
    b.add_argument("--no-folders", action="store_true", help="leave out registered user folders")
    b.add_argument("--workers", type=int, default=2, help="parallel reader processes (default 2; 0: in this process)")
    b.add_argument("--timeout", type=float, default=None, help="seconds a file may take before it is given up (default 60; scaled up for files over 100 kB)")
    b.add_argument("--max-file-mb", type=float, default=None, help="files larger than this are reported and skipped")
    b.add_argument("--limit", type=int, default=None, help="at most this many files per source (a quick trial build)")
    b.add_argument(
        "--override", action="append", default=[], metavar="SOURCE:KEY=VALUE[,KEY=VALUE]",
        help="change a source's style or license for this build, e.g. mine:style=jazz or mine:license=CC-BY-4.0",
    )
    b.add_argument("--allow-relabel", action="store_true",
                   help="let an --override give research-only (or other unshippable) music a license that may ship: "
                   "only after checking its rights yourself")  # fmt: skip
    b.add_argument("--cache", help="cache folder (default: $TUNESMITH_HOME/corpus)")
    b.add_argument("--force", action="store_true", help="parse every file again, even unchanged ones")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--json", action="store_true", help="print the build report as JSON")

    a = sub.add_parser("add", help="register a folder of scores as a corpus source")
    a.add_argument("dir", help="folder with .mid/.midi/.abc/.musicxml/.xml/.mxl/.krn files (searched recursively)")
    a.add_argument("--style", required=True, type=str.lower, help="folk, chorale, pop or jazz (any case)")
    a.add_argument("--license", required=True, help="license id of the music (see `tunesmith corpus list`)")
    a.add_argument("--name", help="source name (default: the folder's name)")
    a.add_argument("--metadata", metavar="FILE.csv",
                   help="per-file metadata: CSV with columns file, year (optional title, composer, genre, region)")
    a.add_argument("--json", action="store_true", help="print the registered folder as JSON")

    ls = sub.add_parser("list", help="list built-in sources and registered folders")
    ls.add_argument("--json", action="store_true")

    r = sub.add_parser("remove", help="unregister a folder (its files are not touched)")
    r.add_argument("name")
    r.add_argument("--json", action="store_true", help="print the removed folder as JSON")

    s = sub.add_parser("stats", help="counts of the cached corpus by style, source, license and split")
    s.add_argument("--cache", help="cache folder (default: $TUNESMITH_HOME/corpus)")
    s.add_argument("--json", action="store_true", help="print the stats as JSON")


def _parse_overrides(values: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for value in values:
        name, sep, rest = value.partition(":")
        if not sep or not rest:
            raise ValueError(f"--override {value!r}: expected SOURCE:KEY=VALUE, e.g. openewld:license=MIT")
        for pair in rest.split(","):
            key, eq, val = (part.strip() for part in pair.partition("="))
            if not eq or key not in ("style", "license"):
                raise ValueError(f"--override {value!r}: KEY is style or license")
            if not val:
                raise ValueError(f"--override {value!r}: no value for {key}")
            out.setdefault(name.strip(), {})[key] = val.lower() if key == "style" else val  # styles take any case
    return out


def _build(args: argparse.Namespace) -> int:
    from tunesmith.corpus.build import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FILE_BYTES, build_corpus

    sources = [s.strip() for s in args.sources.split(",") if s.strip()] if args.sources else None
    result = build_corpus(
        sources,
        shared=not args.no_shared,
        music21=not args.no_music21,
        folders=not args.no_folders,
        overrides=_parse_overrides(args.override),
        allow_relabel=args.allow_relabel,
        workers=args.workers,
        file_timeout=args.timeout if args.timeout is not None else DEFAULT_FILE_TIMEOUT,
        max_file_bytes=int(args.max_file_mb * 1024 * 1024) if args.max_file_mb is not None else DEFAULT_MAX_FILE_BYTES,
        limit_per_source=args.limit,
        cache_dir=args.cache,
        force=args.force,
        progress=not args.no_progress and not args.json and sys.stderr.isatty(),
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(result.summary())
    return 0


def _music_extensions() -> tuple[str, ...]:
    from tunesmith.corpus.sources import MUSIC_EXTENSIONS

    return MUSIC_EXTENSIONS


def _has_music(folder: str) -> bool:
    """Whether `folder` holds a file the corpus build reads (stops at the first)."""
    import os

    exts = _music_extensions()
    return any(name.lower().endswith(exts) for _, _, files in os.walk(folder) for name in files)


def _add(args: argparse.Namespace) -> int:
    from tunesmith.corpus.registry import FolderRegistry

    metadata = None
    if args.metadata:
        from pathlib import Path

        from tunesmith.corpus.metadata import read_metadata_csv

        if not Path(args.dir).expanduser().is_dir():
            raise FileNotFoundError(f"{args.dir}: no such folder")
        metadata = read_metadata_csv(args.metadata, args.dir)
    entry = FolderRegistry().add(args.dir, style=args.style, license=args.license, name=args.name, metadata=metadata)
    if args.json:
        from dataclasses import asdict

        print(json.dumps({"registered": asdict(entry)}, indent=1, default=str))
        return 0
    print(f"registered {entry.name}: {entry.path} (style {entry.style}, license {entry.license})")
    if not _has_music(entry.path):  # registered all the same: the files may come later
        print(f"tunesmith corpus: note: {entry.path} holds no music file yet "
              f"({', '.join(_music_extensions())}); the build will read nothing from it", file=sys.stderr)  # fmt: skip
    if metadata:
        print(f"metadata for {len(metadata)} file(s) from {args.metadata}")
    print("run `tunesmith corpus build` to read it")
    return 0


def _list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from tunesmith.corpus.registry import FolderRegistry
    from tunesmith.corpus.sources import BUILTIN_SOURCES
    from tunesmith.licenses import LICENSES

    folders = FolderRegistry().list()
    if args.json:
        data = {
            "builtin": [
                {"name": s.name, "style": s.style, "license": s.license, "kind": s.kind, "location": str(s.root()),
                 "description": s.description}
                for s in BUILTIN_SOURCES.values()
            ],
            "folders": [asdict(f) for f in folders],
            "licenses": list(LICENSES),
        }
        print(json.dumps(data, indent=1))
        return 0
    print("built-in sources:")
    for s in BUILTIN_SOURCES.values():
        where = s.location if s.kind == "music21" else str(s.root())
        print(f"  {s.name:<14} {s.style:<8} {s.license:<15} {s.kind:<8} {where}")
    print("registered folders:" if folders else "registered folders: none (add one with `tunesmith corpus add DIR`)")
    for f in folders:
        print(f"  {f.name:<14} {f.style:<8} {f.license:<15} {f.path}")
    print(f"licenses: {', '.join(LICENSES)}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from tunesmith.corpus.registry import FolderRegistry

    entry = FolderRegistry().remove(args.name)
    if args.json:
        from dataclasses import asdict

        print(json.dumps({"removed": asdict(entry)}, indent=1, default=str))
        return 0
    print(f"removed {entry.name} ({entry.path}); its pieces leave the corpus at the next build")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from tunesmith.corpus.stats import corpus_stats, format_stats
    from tunesmith.corpus.store import load_corpus

    stats = corpus_stats(load_corpus(args.cache))
    print(json.dumps(stats, indent=1) if args.json else format_stats(stats))
    return 0


def run(args: argparse.Namespace) -> int:
    return {"build": _build, "add": _add, "list": _list, "remove": _remove, "stats": _stats}[args.corpus_command](args)
