"""Counts over a corpus, computed from the records alone (no Piece is built)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tunesmith.licenses import may_ship


def _corpus(corpus: Any):
    from tunesmith.corpus.store import Corpus

    return corpus if isinstance(corpus, Corpus) else Corpus.from_pieces(corpus)


def corpus_stats(corpus: Any) -> dict[str, Any]:
    """{"pieces", "by_style", "by_source", "by_license", "by_split", "notes", "chords", "bars",
    "per_style": {style: {"pieces", "notes", "chords", "bars"}}, "shippable_pieces",
    "duplicates_dropped"} for a Corpus (or any iterable of Pieces). Reads columns only."""
    c = _corpus(corpus)
    styles, sources, licenses, splits = c.column("style"), c.column("source"), c.column("license"), c.column("split")
    n_notes, n_chords, n_bars = c.column("n_notes"), c.column("n_chords"), c.column("n_bars")
    per_style: dict[str, Counter[str]] = {}
    for style, notes, chords, bars in zip(styles, n_notes, n_chords, n_bars):
        per_style.setdefault(style, Counter()).update(pieces=1, notes=notes, chords=chords, bars=bars)
    by_split = Counter(s or "none" for s in splits)
    shippable = {lic: may_ship(lic) for lic in set(licenses)}
    return {
        "pieces": len(c),
        "by_style": _sorted(Counter(styles)),
        "by_source": _sorted(Counter(sources)),
        "by_license": _sorted(Counter(licenses)),
        "by_split": {k: by_split[k] for k in ("train", "valid", "test", "none") if by_split.get(k)},
        "notes": sum(n_notes),
        "chords": sum(n_chords),
        "bars": sum(n_bars),
        "per_style": {s: {k: per_style[s][k] for k in ("pieces", "notes", "chords", "bars")} for s in sorted(per_style)},
        "shippable_pieces": sum(shippable[lic] for lic in licenses),
        "duplicates_dropped": sum(c.column("n_duplicates")),
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

