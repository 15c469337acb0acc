"""Counts over a corpus, computed from the records alone (no Piece is built)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tunesmith.licenses import may_ship


def _records(corpus: Any) -> list[dict[str, Any]]:
    if hasattr(corpus, "records"):
        return corpus.records
    from tunesmith.corpus.store import Corpus

    return Corpus.from_pieces(corpus).records


def corpus_stats(corpus: Any) -> dict[str, Any]:
    """{"pieces", "by_style", "by_source", "by_license", "by_split", "notes", "chords", "bars",
    "per_style": {style: {"pieces", "notes", "chords", "bars"}}, "shippable_pieces",
    "duplicates_dropped"} for a Corpus (or any iterable of Pieces)."""
    records = _records(corpus)
    by_style: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    by_license: Counter[str] = Counter()
    by_split: Counter[str] = Counter()
    per_style: dict[str, Counter[str]] = {}
    notes = chords = bars = shippable = duplicates = 0
    for r in records:
        n_notes, n_bars, n_chords = r["_"]["n_notes"], r["_"]["n_bars"], len(r["chords"])
        by_style[r["style"]] += 1
        by_source[r["source"]] += 1
        by_license[r["license"]] += 1
        by_split[r["split"] or "none"] += 1
        notes += n_notes
        chords += n_chords
        bars += n_bars
        shippable += may_ship(r["license"])
        duplicates += len(r["meta"].get("duplicates", ()))
        c = per_style.setdefault(r["style"], Counter())
        c.update(pieces=1, notes=n_notes, chords=n_chords, bars=n_bars)
    return {
        "pieces": len(records),
        "by_style": _sorted(by_style),
        "by_source": _sorted(by_source),
        "by_license": _sorted(by_license),
        "by_split": {k: by_split[k] for k in ("train", "valid", "test", "none") if by_split.get(k)},
        "notes": notes,
        "chords": chords,
        "bars": bars,
        "per_style": {s: {k: per_style[s][k] for k in ("pieces", "notes", "chords", "bars")} for s in sorted(per_style)},
        "shippable_pieces": shippable,
        "duplicates_dropped": duplicates,
    }


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def format_stats(stats: dict[str, Any]) -> str:
    """A readable table of `corpus_stats` output."""
    lines = [
        f"pieces {stats['pieces']:>10,}   notes {stats['notes']:>12,}   chords {stats['chords']:>10,}   "
        f"bars {stats['bars']:>10,}",
        f"shippable (license may ship) {stats['shippable_pieces']:,}; duplicates dropped {stats['duplicates_dropped']:,}",
        "",
        f"{'style':<10} {'pieces':>8} {'notes':>12} {'chords':>10} {'bars':>10}",
    ]
    for style, c in stats["per_style"].items():
        lines.append(f"{style:<10} {c['pieces']:>8,} {c['notes']:>12,} {c['chords']:>10,} {c['bars']:>10,}")
    for title, key in (("source", "by_source"), ("license", "by_license"), ("split", "by_split")):
        lines.append("")
        lines.append(f"{title:<16} {'pieces':>8}")
        lines.extend(f"{name:<16} {n:>8,}" for name, n in stats[key].items())
    return "\n".join(lines)

