"""Per-file metadata for a user folder: `tunesmith corpus add DIR --metadata FILE.csv`.

The CSV has a header row with the columns `file` (path relative to the folder, `/` or `\\`)
and `year` (a four-digit year, or empty when unknown), and optionally `title`, `composer`,
`genre`, `region`. Other columns are refused (a typo should not vanish silently). The rows are
kept in the folder registry and copied into the `meta` of the file's pieces at every corpus
build, so they live in the corpus cache: `piece.meta["year"]`, `["genre"]`, ...
"""

from __future__ import annotations

import csv
from pathlib import Path

REQUIRED = ("file", "year")
OPTIONAL = ("title", "composer", "genre", "region")
MAX_ROWS = 1_000_000


def read_metadata_csv(csv_path: str | Path, folder: str | Path) -> dict[str, dict[str, str]]:
    """{relative file path: {"year": "1971", "genre": "soul", ...}} from the CSV, checked against
    `folder` (every named file must exist under it). ValueError naming the row otherwise."""
    csv_path = Path(csv_path).expanduser()
    folder = Path(folder).expanduser().resolve()
    if not csv_path.is_file():
        raise FileNotFoundError(f"{csv_path}: no such metadata file")
    from tunesmith.limits import check_file_size

    check_file_size(csv_path, csv_path.stat().st_size)  # before reading it whole
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{csv_path}: not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ValueError(f"{csv_path}: not a metadata CSV ({exc})") from None
    header = [h.strip().lower() for h in (fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValueError(f"{csv_path}: the header must name {', '.join(REQUIRED)} (missing {', '.join(missing)})")
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if unknown:  # the first few named: a header of 100,000 columns had made an error line of 789 kB
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else "")
        raise ValueError(f"{csv_path}: unknown column(s) {shown}; known: {', '.join(REQUIRED + OPTIONAL)}")
    out: dict[str, dict[str, str]] = {}
    absent: list[str] = []
    try:
        return _read_rows(reader, csv_path, folder, out, absent)
    except csv.Error as exc:  # a field over csv's limit, a NUL: one line naming the file
        raise ValueError(f"{csv_path}: not a metadata CSV ({exc})") from None


def _read_rows(reader, csv_path: Path, folder: Path, out: dict, absent: list) -> dict[str, dict[str, str]]:
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS:
            raise ValueError(f"{csv_path}: more than {MAX_ROWS:,} rows")
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        rel = row.get("file", "").replace("\\", "/")
        while rel.startswith("./"):
            rel = rel[2:]
        if not rel:
            raise ValueError(f"{csv_path}:{line}: empty file name")
        target = (folder / rel).resolve()
        if folder not in target.parents:
            raise ValueError(f"{csv_path}:{line}: {rel!r} is outside {folder}")
        if not target.is_file():
            absent.append(rel)
            continue
        year = row.get("year", "")
        if year and not (year.isdigit() and len(year) == 4 and 1000 <= int(year) <= 2100):
            raise ValueError(f"{csv_path}:{line}: year {year!r} is not a four-digit year")
        meta = {k: row[k] for k in REQUIRED[1:] + OPTIONAL if row.get(k)}
        out[target.relative_to(folder).as_posix()] = meta
    if absent:
        shown = ", ".join(absent[:5]) + (f" and {len(absent) - 5} more" if len(absent) > 5 else "")
        raise ValueError(f"{csv_path}: {len(absent)} file(s) not found in {folder}: {shown}")
    return out
