"""Trends and patterns across a corpus, by style and by era, that an artist can act on.

    from tunesmith.analysis import corpus_features, analyze, render_html, compare, render_compare_html
    table = corpus_features()                      # features of every piece (cached beside the corpus)
    report = analyze(table, by="style")            # a JSON-able dict (schema below)
    report = analyze(table, sources=["billboard"], years=(1958, 1991), by="decade")
    html = render_html(report)                     # one self-contained page
    songs = compare(["mine.abc"], style="folk")    # songs against one style of the corpus (or its guess)
    html = render_compare_html(songs)

`tunesmith analyze` is the CLI over these. Modules: `features` (per-piece features and chord
functions), `extract` (streaming + the feature cache), `stats` (bootstrap CIs, effect sizes,
OLS / logistic trends with Benjamini-Hochberg FDR, ruptures change points, n-grams), `core`
(`analyze`), `compare` (songs against a style: schema "tunesmith-compare/1" in its docstring),
`report` (the HTML).

JSON schema "tunesmith-analysis/1" (what `analyze` returns and `--json` writes). Numbers that
are undefined (a mean over no pieces, a CI of one value) are null.

    {
      "schema": "tunesmith-analysis/1",
      "corpus": {"pieces": int, "pieces_in_corpus": int, "feature_key": str, "features_from_cache": bool},
      "filters": {"by": "style|decade|source|genre", "styles": [str] | null, "sources": [str] | null,
                  "years": [first, last] | null, "undated_left_out": int, "alpha": float},
      "features": [{"name": str, "family": "melody|harmony|general", "description": str}],
      "groups": {GROUP: {"n": int,
                         "features": {FEATURE: {"mean": float|null, "ci": [low|null, high|null], "n": int}},
                         "top_keys": [{"value": "G major", "share": float}],
                         "top_meters": [{"value": "4/4", "share": float}],
                         "keys_inferred_share": float}},   # keys estimated or assumed, not written
      "distinctive": {GROUP: [{"feature": str, "cohens_d": float, "rank_biserial": float, "p": float,
                               "q": float, "mean_group": float, "mean_rest": float,
                               "n_group": int, "n_rest": int, "group": str,
                               "significant": bool}]},   # q < alpha; those first, each part by |d|; top 10
      "progressions": {GROUP: {"pieces_with_chords": int,
                               "4": [{"progression": "I V vi IV", "pieces": int, "share": float,
                                      "occurrences": int}],        # top 10 four-chord n-grams
                               "3": [...]}},                        # top 10 three-chord n-grams
      "trends_note": null | str,                 # why there are no trends, when "trends" is null
      "trends": null | {                         # pieces with a year, one per work_id
          "pieces": int, "entries_before_dedupe": int, "year_range": [int, int], "unit": str,
          "alpha": float,
          "tests": [{"feature": str, "slope_per_decade": float, "ci": [float, float], "p": float,
                     "q": float, "significant": bool, "n": int, "mean": float}],   # sorted by q
          "series": {"dom7_share"|"min7_share"|"major_share":
                     {"year": [int], "mean": [float], "ci_low": [float], "ci_high": [float], "n": [int]}},
          "logistic": {FEATURE: {"odds_ratio_per_decade": float, "ci": [float, float], "p": float,
                                 "log_odds_per_decade": float, "dispersion": float, "n": int}},
          "change_points": {"features": [str], "years_used": [int],
                            "joint_penalized": [int], "joint_fixed": [int],
                            "per_feature": {FEATURE: [int]},
                            "reference": {"source": str, "years": [1964, 1983, 1991]},
                            "comparison": [{"reference_year": int, "nearest": int|null, "verdict": str}]}},
      "suggestions": [{"from_style": str, "to_style": str, "progression": str, "chords": str, "key": str,
                       "share_in_from": float, "pieces_in_from": int, "share_in_to": float,
                       "pieces_in_to": int, "command": "tunesmith compose ...", "why": str, "score": float}],
      "seconds": {"features": float, "statistics": float}
    }

A change point year is the first year of the new segment. Progressions are Roman numerals of
chord changes relative to the key (see `tunesmith.analysis.features`).
"""

from __future__ import annotations

from tunesmith.analysis.compare import StyleGuesser, compare, song_features
from tunesmith.analysis.core import GROUPINGS, MAUCH_2015_YEARS, SCHEMA, analyze
from tunesmith.analysis.extract import FeatureTable, corpus_features, extract_features
from tunesmith.analysis.features import FEATURE_NAMES, FEATURES, function_token, piece_features, realize_token
from tunesmith.analysis.report import render_compare_html, render_html

__all__ = [
    "FEATURES",
    "FEATURE_NAMES",
    "GROUPINGS",
    "MAUCH_2015_YEARS",
    "SCHEMA",
    "FeatureTable",
    "StyleGuesser",
    "analyze",
    "compare",
    "corpus_features",
    "extract_features",
    "function_token",
    "piece_features",
    "realize_token",
    "render_compare_html",
    "render_html",
    "song_features",
]
