"""`analyze`: a feature table in, one JSON-able report dict out (schema in `tunesmith.analysis`)."""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import numpy as np

from tunesmith.analysis import stats
from tunesmith.analysis.extract import FeatureTable
from tunesmith.analysis.features import COVERAGE_FEATURES, FEATURES, realize_token, token_skeleton

SCHEMA = "tunesmith-analysis/1"
GROUPINGS = ("style", "decade", "source", "genre")
TREND_FOCUS = ("dom7_share", "min7_share", "major_share")
# Mauch, MacCallum, Levy & Leroi (2015), "The evolution of popular music: USA 1960-2010",
# R. Soc. Open Sci. 2: 150081 — the three "revolutions" of the Billboard Hot 100.
MAUCH_2015_YEARS = (1964, 1983, 1991)
MATCH_TOLERANCE = 2  # years
_SHARP_KEYS = {"G", "D", "A", "E", "B", "F#", "C#", "G#", "D#"}


def _group_labels(table: FeatureTable, by: str) -> np.ndarray:
    if by == "decade":
        years = np.asarray(table.labels["year"], dtype=np.int64)
        return np.array([f"{y // 10 * 10}s" if y > 0 else "(no year)" for y in years])
    if by not in GROUPINGS:
        raise ValueError(f"--by {by!r}: one of {', '.join(GROUPINGS)}")
    return np.array([v if v else "(none)" for v in table.labels[by]])


def _dedupe_works(table: FeatureTable, mask: np.ndarray, years: np.ndarray) -> np.ndarray:
    """`mask` with one piece of each work_id kept (songs, not chart entries): its earliest dated
    entry (a song that charted again decades later dates from its first run), the first of equals."""
    first: dict[str, int] = {}
    for i in np.flatnonzero(mask):
        w = table.labels["work_id"][i]
        if w not in first or years[i] < years[first[w]]:
            first[w] = int(i)
    out = np.zeros_like(mask)
    out[list(first.values())] = True
    return out


def _categorical(table: FeatureTable, groups: np.ndarray, column: str, top: int = 5) -> dict[str, list]:
    out = {}
    values = table.labels[column]
    for g in sorted(set(groups.tolist())):
        c = Counter(v for v, gg in zip(values, groups) if gg == g and v)
        total = sum(c.values())
        out[str(g)] = [{"value": v, "share": n / total} for v, n in c.most_common(top)] if total else []
    return out


MIN_TREND_WORKS, MIN_TREND_YEARS = 20, 6


def _trends(table: FeatureTable, year_range: tuple[int, int] | None, alpha: float, n_boot: int,
            reference: tuple[int, ...]) -> dict[str, Any] | str:
    """The trends over years, or why there are none (a line for the report)."""
    years_all = np.asarray(table.labels["year"], dtype=np.int64)
    mask = years_all > 0
    if year_range:
        mask &= (years_all >= year_range[0]) & (years_all <= year_range[1])
    # one source's dated pieces: OpenEWLD's standards (1855-1942) pooled with Billboard's songs
    # (1958-1991) had put a "change point" at 1959, where one source ends and the other begins
    sources = np.asarray(table.labels["source"])
    dated = Counter(sources[mask].tolist())
    main_source = max(dated, key=lambda k: (dated[k], k)) if dated else None
    left_out = {k: v for k, v in sorted(dated.items()) if k != main_source}
    if left_out:
        mask &= sources == main_source
    n_entries = int(mask.sum())
    mask = _dedupe_works(table, mask, years_all)
    n_years = len(set(years_all[mask].tolist()))
    if mask.sum() < MIN_TREND_WORKS or n_years < MIN_TREND_YEARS:
        # said, not left out: `--years 1975-1979` had printed nothing at all about trends
        if not mask.any():
            return "no trends over years: none of these pieces has a year (Billboard songs and OpenEWLD standards do)"
        return (f"no trends over years: {int(mask.sum())} dated work{'s' if mask.sum() != 1 else ''} of {main_source}"
                f" over {n_years} year{'s' if n_years != 1 else ''}; a trend needs at least {MIN_TREND_WORKS} works"
                f" over at least {MIN_TREND_YEARS} years")
    X, years = table.X[mask], years_all[mask]
    names = table.feature_names
    col = {n: i for i, n in enumerate(names)}
    tests = stats.trend_tests(X, years, names, alpha=alpha, exclude=("has_melody", "has_chords"))
    series = {f: stats.yearly_series(X[:, col[f]], years, n_boot=n_boot) for f in TREND_FOCUS}
    n_chords = X[:, col["n_chords"]]
    logistic = {}
    for f in TREND_FOCUS:
        share = X[:, col[f]]
        ok = np.isfinite(share) & (n_chords > 0)
        k = np.where(ok, np.round(np.nan_to_num(share) * np.nan_to_num(n_chords)), 0)
        fit = stats.logistic_trend(k, np.where(ok, n_chords, 0), years)
        if fit is not None:
            logistic[f] = fit
    # change points on the yearly means of the focus shares (years with at least 3 songs)
    yr = series[TREND_FOCUS[0]]["year"]
    enough = [i for i, n in enumerate(series[TREND_FOCUS[0]]["n"]) if n >= 3]
    cp_years = [yr[i] for i in enough]
    matrix = np.array([[series[f]["mean"][i] if series[f]["mean"][i] is not None else math.nan for f in TREND_FOCUS]
                       for i in enough]) if enough else np.zeros((0, len(TREND_FOCUS)))
    joint_pen = stats.change_points(matrix, cp_years) if len(matrix) else []
    joint_k = stats.change_points(matrix, cp_years, n_bkps=len(reference)) if len(matrix) else []
    per_feature = {f: stats.change_points(matrix[:, k], cp_years) for k, f in enumerate(TREND_FOCUS)} if len(matrix) else {}
    comparison = []
    span = (min(cp_years), max(cp_years)) if cp_years else (0, 0)
    for ref in reference:
        found = sorted(joint_pen + joint_k, key=lambda y: abs(y - ref))
        near = found[0] if found and abs(found[0] - ref) <= MATCH_TOLERANCE else None
        if not (span[0] <= ref <= span[1]):
            verdict = f"{ref}: outside the years analysed ({span[0]}-{span[1]}); cannot be tested"
        elif ref > span[1] - 3 or ref < span[0] + 3:
            verdict = (f"{ref}: within 3 years of the edge of the series ({span[0]}-{span[1]}); a change point needs"
                       f" at least 3 years on each side, so it cannot be found here")
        elif near is not None:
            verdict = f"{ref}: matched by a change point at {near}"
        else:
            verdict = f"{ref}: NOT matched (nearest change point found: {found[0] if found else 'none'})"
        comparison.append({"reference_year": ref, "nearest": near, "nearest_found": found[0] if found else None,
                           "verdict": verdict})  # fmt: skip
    return {
        "pieces": int(mask.sum()),
        "source": main_source,
        # dated pieces of other sources, not pooled: a change of source is not a change of music
        # (`--sources` chooses which)
        "sources_left_out": left_out,
        "entries_before_dedupe": n_entries,
        "year_range": [int(years.min()), int(years.max())],
        "unit": "one piece per work_id (its earliest entry); per-piece values, then per-year means",
        "tests": tests,
        "alpha": alpha,
        "series": series,
        "logistic": logistic,
        "change_points": {
            "features": list(TREND_FOCUS),
            "years_used": cp_years,
            "joint_penalized": joint_pen,
            "joint_fixed": joint_k,
            "per_feature": per_feature,
            "reference": {"source": "Mauch et al. 2015, R. Soc. Open Sci. 2:150081", "years": list(reference)},
            "comparison": comparison,
        },
    }


def _suggestions(table: FeatureTable, *, length: int = 4, min_share: float = 0.03, max_pairs: int = 2,
                 top: int = 9) -> list[dict[str, Any]]:
    """Progressions frequent in one style and absent (or rare) in another, as `compose` lines."""
    styles = np.asarray(table.labels["style"])
    has_chords = np.nan_to_num(table.X[:, table.feature_names.index("has_chords")]) > 0
    lengths = stats.ngram_lengths(table.ngrams)
    usable = [s for s in sorted(set(styles.tolist())) if (has_chords & (styles == s)).sum() >= 20]
    share, docs = {}, {}
    for s in usable:
        m = has_chords & (styles == s)
        d, _ = stats.ngram_document_frequency(table.ng_piece, table.ng_id, table.ng_count, len(table.ngrams), m)
        docs[s] = d
        share[s] = d / m.sum()
    # the same progression with or without sevenths (I ii V7 I / I ii V I): a style "lacks" one
    # only if it lacks every such spelling; without this, jazz "lacked" vi ii V I (0.1 %) while
    # 10.6 % of its pieces play vi7 ii7 V7 I
    skeletons = [" ".join(token_skeleton(t) for t in g.split()) for g in table.ngrams]
    skel_ids = {k: i for i, k in enumerate(dict.fromkeys(skeletons))}
    skel_of = np.array([skel_ids[k] for k in skeletons], dtype=np.int64)
    skel_share = {}
    for s in usable:
        m = has_chords & (styles == s)
        sel = m[table.ng_piece]
        pairs = np.unique(table.ng_piece[sel].astype(np.int64) * len(skel_ids) + skel_of[table.ng_id[sel]])
        skel_share[s] = (np.bincount(pairs % len(skel_ids), minlength=len(skel_ids)) / m.sum())[skel_of]
    out = []
    for a in usable:
        for b in usable:
            if a == b:
                continue
            sa, sb = share[a], skel_share[b]
            cand = np.flatnonzero((lengths == length) & (sa >= min_share) & (sb <= sa / 20))
            # distinct chords only: a progression that returns to its start is a loop, still fine
            score = sa[cand] * np.log((sa[cand] + 1e-3) / (sb[cand] + 1e-3))
            picked = 0
            for i in cand[np.argsort(-score)]:
                tokens = table.ngrams[i].split()
                if len(set(tokens)) < 3:
                    continue
                key = _typical_key(table, styles == b, minor=any(t in ("i", "i7") for t in tokens))
                tonic_name, mode = key.split()
                from tunesmith.score import pitch_class_of

                try:
                    figures = [realize_token(t, pitch_class_of(tonic_name), flats=tonic_name not in _SHARP_KEYS)
                               for t in tokens]
                except ValueError:
                    continue
                key_arg = tonic_name if mode == "major" else f'"{tonic_name} {mode}"'
                chords = " ".join(figures)
                n_a, n_b = int((has_chords & (styles == a)).sum()), int((has_chords & (styles == b)).sum())
                k_b = int(round(sb[i] * n_b))
                out.append({
                    "from_style": a, "to_style": b, "progression": table.ngrams[i],
                    "share_in_from": float(sa[i]), "pieces_in_from": int(docs[a][i]),
                    # in `to`, any spelling of it with or without sevenths
                    "share_in_to": float(sb[i]), "pieces_in_to": k_b,
                    "key": key, "chords": chords,
                    # one bar per chord: the progression as heard, not a cycle stopped where the bars run out
                    "command": f'tunesmith compose --style {b} --key {key_arg} --chords "{chords}" --bars {len(figures)}'
                               f" --seed 1 --out out/suggest-{a}-in-{b}-{picked + 1}",
                    # the counts behind the shares: "no folk pieces" had read as none of 14,682
                    # folk tunes, where only the 1,029 with chord symbols can have a progression
                    "why": (f"{table.ngrams[i]} occurs in {100 * sa[i]:.0f}% of {a} pieces with chords"
                            f" ({int(docs[a][i]):,} of {n_a:,}) but in"
                            f" {'none' if k_b == 0 else f'only {100 * sb[i]:.1f}%'} of the {b} pieces with chords"
                            f" ({k_b:,} of {n_b:,}; any spelling, with or without sevenths)"),
                    "score": float(sa[i] * math.log((sa[i] + 1e-3) / (sb[i] + 1e-3))),
                })
                picked += 1
                if picked >= max_pairs:
                    break
    out.sort(key=lambda r: -r["score"])
    return out[:top]


def _typical_key(table: FeatureTable, mask: np.ndarray, *, minor: bool) -> str:
    keys = Counter(k for k, m in zip(table.labels["key"], mask) if m and k and k.endswith("minor" if minor else "major"))
    if keys:
        return keys.most_common(1)[0][0]
    return "A minor" if minor else "C major"


def analyze(
    table: FeatureTable,
    *,
    by: str = "style",
    styles: list[str] | None = None,
    sources: list[str] | None = None,
    years: tuple[int, int] | None = None,
    alpha: float = 0.05,
    n_boot: int = stats.DEFAULT_BOOTSTRAP,
    top: int = 10,
    reference_years: tuple[int, ...] = MAUCH_2015_YEARS,
    suggestions: bool = True,
) -> dict[str, Any]:
    """The analysis report (a JSON-able dict; see the schema in `tunesmith.analysis`)."""
    t0 = time.perf_counter()
    if top < 1:  # a negative one sliced the tables from the end: `--top -3` listed 9,822 progressions
        raise ValueError(f"--top {top}: at least 1 row per table")
    mask = np.ones(len(table), dtype=bool)
    if styles:
        known = set(table.labels["style"])
        unknown = [s for s in styles if s not in known]
        if unknown:
            raise ValueError(f"--styles: no pieces of style {', '.join(unknown)} (found: {', '.join(sorted(known))})")
        mask &= np.isin(np.asarray(table.labels["style"]), styles)
    if sources:
        known = set(table.labels["source"])
        # any case: the CLI lower-cases its lists, and ryansMammoth, airdsAirs are not
        sources = [next((k for k in known if k.lower() == s.lower()), s) for s in sources]
        unknown = [s for s in sources if s not in known]
        if unknown:
            raise ValueError(f"--sources: no pieces from {', '.join(unknown)} (found: {', '.join(sorted(known))})")
        mask &= np.isin(np.asarray(table.labels["source"]), sources)
    if years:
        y = np.asarray(table.labels["year"], dtype=np.int64)
        mask &= (y >= years[0]) & (y <= years[1])
    undated = 0
    if by == "decade":
        # decades against decades: an undated folk tune is no era's (with it, "the 1960s" had been
        # most distinctive for their length, Billboard songs against 19,245 undated tunes)
        dated = np.asarray(table.labels["year"], dtype=np.int64) > 0
        undated = int((mask & ~dated).sum())
        if mask.any() and not (mask & dated).any():
            raise ValueError("--by decade: none of these pieces has a year (Billboard songs and OpenEWLD standards do)")
        mask &= dated
    sub = table.subset(mask) if not mask.all() else table
    if len(sub) == 0:
        raise ValueError("no pieces left to analyse (check --styles, --sources and --years)")
    if by == "genre" and not any(sub.labels["genre"]):
        # one group "(none)" of every piece had been reported as if grouped by genre
        raise ValueError("--by genre: none of these pieces has a genre (OpenEWLD standards do, and folders"
                         " added with a --metadata CSV that has a genre column)")
    groups = _group_labels(sub, by)
    names = sub.feature_names
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "corpus": {"pieces": len(sub), "pieces_in_corpus": len(table), "feature_key": table.key,
                   "features_from_cache": table.from_cache},
        "filters": {"by": by, "styles": styles or None, "sources": sources or None,
                    "years": list(years) if years else None, "undated_left_out": undated, "alpha": alpha},
        "features": [{"name": n, "family": FEATURES[n][0], "description": FEATURES[n][1]} for n in names],
        "groups": stats.group_means(sub.X, groups, names, n_boot=n_boot),
    }
    for column in ("key", "meter"):
        for g, values in _categorical(sub, groups, column).items():
            report["groups"][g][f"top_{column}s"] = values
    # how many of those keys the sources wrote: the chorales' "G major 13%" is all estimated
    inferred = np.asarray(sub.labels.get("key_inferred", [0] * len(sub)), dtype=np.float64)
    for g in report["groups"]:
        report["groups"][g]["keys_inferred_share"] = float(inferred[groups == g].mean())
    multiple = len(set(groups.tolist())) > 1
    report["distinctive"] = (stats.distinctive_features(sub.X, groups, names, top=top, exclude=COVERAGE_FEATURES,
                                                        alpha=alpha) if multiple else {})
    progressions: dict[str, Any] = {}
    for g in sorted(set(groups.tolist())):
        m = groups == g
        with_chords = m & (np.nan_to_num(sub.X[:, names.index("has_chords")]) > 0)
        docs, total = stats.ngram_document_frequency(sub.ng_piece, sub.ng_id, sub.ng_count, len(sub.ngrams), with_chords)
        n_c = int(with_chords.sum())
        progressions[str(g)] = {
            "pieces_with_chords": n_c,
            "4": stats.top_progressions(sub.ngrams, docs, total, n_c, length=4, top=top),
            "3": stats.top_progressions(sub.ngrams, docs, total, n_c, length=3, top=top),
        }
    report["progressions"] = progressions
    trends = _trends(sub, years, alpha, max(200, n_boot), reference_years)
    report["trends"] = trends if isinstance(trends, dict) else None
    report["trends_note"] = trends if isinstance(trends, str) else None
    report["suggestions"] = _suggestions(sub) if suggestions else []
    report["seconds"] = {"features": round(table.seconds, 3), "statistics": round(time.perf_counter() - t0, 3)}
    return report
