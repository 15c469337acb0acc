"""`tunesmith analyze`: features of the cached corpus summarised by style, decade, source or
genre: distinctive features, frequent progressions, trends and change points over years, and
`compose` lines for progressions one style uses and another does not (JSON + one HTML file).
`tunesmith analyze --compare SONG ... [--style S]`: each song's features against one style's
pieces of the corpus, with what lies outside it and what to do about it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tunesmith.cli import one_line
from tunesmith.paths import atomic_write_text

HELP = ("analyse the corpus by style, decade, source or genre: features, trends, change points, suggestions;"
        " --compare SONG: your song against a style")


def _list(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [v.strip().lower() for value in values for v in value.split(",") if v.strip()]
    return out or None


def _years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    first, sep, last = text.partition("-")
    try:
        a, b = int(first), int(last if sep else first)
    except ValueError:
        raise ValueError(f"--years {text!r}: use FIRST-LAST, e.g. 1958-1991") from None
    if a > b:
        raise ValueError(f"--years {text!r}: the first year is after the last")
    return a, b


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--styles", nargs="+", metavar="STYLE", help="only these styles (space- or comma-separated)")
    parser.add_argument("--sources", nargs="+", metavar="SOURCE",
                        help="only these sources, e.g. billboard (with --compare: the style's pieces of these sources)")
    parser.add_argument("--years", help="only pieces dated FIRST-LAST (e.g. 1958-1991); trends use the dated pieces")
    parser.add_argument("--by", default="style", type=str.lower, choices=("style", "decade", "source", "genre"),
                        help="how to group the pieces (default style)")
    parser.add_argument("--html", dest="html_path", help="write the report as one self-contained HTML file")
    parser.add_argument("--json", nargs="?", const="-", default=None, metavar="FILE",
                        help="print the report as JSON; --json FILE writes it to FILE instead")
    parser.add_argument("--cache", help="corpus cache folder (default: $TUNESMITH_HOME/corpus)")
    parser.add_argument("--no-cache", action="store_true", help="extract the features again, ignoring the feature cache")
    parser.add_argument("--bootstrap", type=int, default=500, help="bootstrap resamples for the CIs (default 500)")
    parser.add_argument("--alpha", type=float, default=0.05, help="false-discovery rate for the trend tests (default 0.05)")
    parser.add_argument("--top", type=int, default=10, help="rows per table (default 10)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--compare", nargs="+", metavar="FILE",
                        help="compare these songs (MIDI, MusicXML, ABC) with a style of the corpus, feature by feature")
    parser.add_argument("--style", type=str.lower, metavar="STYLE",
                        help="with --compare: the style to compare with (folk, chorale, pop, jazz); without it the"
                             " style is guessed where held-out corpus pieces show the guess reliable")


def _summary(report: dict) -> str:
    lines = [f"analysed {report['corpus']['pieces']:,} pieces by {report['filters']['by']}"
             f" ({'features from cache' if report['corpus']['features_from_cache'] else 'features extracted'},"
             f" {report['seconds']['features']} s + {report['seconds']['statistics']} s)"]
    if report["filters"].get("undated_left_out"):
        lines.append(f"  ({report['filters']['undated_left_out']:,} pieces without a year left out: decades against decades)")
    alpha = report["filters"].get("alpha", 0.05)
    for g, v in report["groups"].items():
        tested = report["distinctive"].get(g, [])
        # only what the tests support (q < alpha), with the pieces behind it where the feature is
        # defined for far fewer than the group: O'Neill's "beats_per_chord d=+5.6" came from 8 of 1,923
        dist = [d for d in tested if d.get("significant", True)][:3]
        prog = report["progressions"].get(g, {}).get("4", [])[:3]
        what = ", ".join(f"{d['feature']} (d={d['cohens_d']:+.2f}"
                         + (f", {d['n_group']:,} of {v['n']:,} pieces" if d["n_group"] < 0.9 * v["n"] else "") + ")"
                         for d in dist)
        if what:
            what = f"; most distinctive (q < {alpha:g}): {what}"
        elif tested:
            what = f"; no feature differs significantly from the other pieces (q < {alpha:g})"
        few = " (few: uncertain)" if v.get("few") else ""
        lines.append(f"  {g}: {v['n']:,} piece{'' if v['n'] == 1 else 's'}{few}{what}")
        if prog:
            lines.append("      frequent progressions: " + "; ".join(f"{p['progression']} ({100 * p['share']:.0f}%)" for p in prog))
    t = report.get("trends")
    if not t and report.get("trends_note"):
        lines.append(report["trends_note"])
    if t:
        sig = [x for x in t["tests"] if x["significant"]]
        lines.append(f"trends {t['year_range'][0]}-{t['year_range'][1]} over {t['pieces']} works of {t['source']}:"
                     f" {len(sig)} of {len(t['tests'])} features change significantly (FDR {t['alpha']})")
        if t.get("sources_left_out"):
            other = ", ".join(f"{k} ({v})" for k, v in t["sources_left_out"].items())
            lines.append(f"  (dated pieces of {other} not pooled with them: one source at a time, --sources to choose)")
        lines.append("  the chord qualities, significant or not:")
        for x in t["tests"]:
            if x["feature"] in ("dom7_share", "min7_share", "major_share"):
                said = "significant" if x["significant"] else "not significant"
                lines.append(f"    {x['feature']}: {x['slope_per_decade']:+.4f} per decade"
                             f" [{x['ci'][0]:+.4f}, {x['ci'][1]:+.4f}], q={x['q']:.2g} ({said})")
        cp = t["change_points"]
        ref = cp["reference"]
        lines.append(f"  change points: {', '.join(map(str, cp['joint_penalized'])) or 'none'}"
                     f" (best {len(ref['years'])}: {', '.join(map(str, cp['joint_fixed'])) or 'none'});"
                     f" against {', '.join(map(str, ref['years']))}, the years of {ref['source']}:")
        for c in cp["comparison"]:
            lines.append(f"    {c['verdict']}")
    if report["suggestions"]:
        lines.append("suggestions:")
        for s in report["suggestions"][:5]:
            lines.append(f"  # {s['why']}")
            lines.append(f"  {s['command']}")
    return "\n".join(lines)


def _compare_summary(report: dict) -> str:
    from tunesmith.analysis.compare import where_is

    low, high = report["range"]
    lines = []
    for s in report["songs"]:
        head = f"{s['name']}" + (f' "{s["title"]}"' if s["title"] and s["title"] != Path(s["name"]).stem else "")
        if s["refused"]:
            lines.append(f"{head}: not compared: {s['refused'].removeprefix(s['name'] + ': ')}")
            continue
        g = s["guess"]
        if s["style_chosen"] == "guessed":
            votes = ", ".join(f"{k} {100 * v:.0f}%" for k, v in sorted(g["votes"].items(), key=lambda kv: -kv[1]) if v > 0)
            how = (f"guessed from its {g['view']}: {g['neighbours']} nearest corpus pieces vote {votes}; of held-out"
                   f" corpus pieces with {g['view']} guessed {s['style']}, {100 * g['valid_precision']:.0f}% of"
                   f" {g['valid_guessed_as']:,} were")
        else:
            how = "given"
        measured = [f for f in s["features"] if f["value"] is not None and f["n"] > 0 and not f["note"]]
        of = f" of {', '.join(report['sources'])}" if report.get("sources") else ""
        lines.append(f"{head}: against {s['style']}{of} ({s['style_pieces']:,} pieces; {how}):"
                     f" {len(s['outside'])} of {len(measured)} features outside the {low:g}-{high:g} % range")
        cols = {f["name"]: f for f in s["features"]}
        n_h, n_m = cols["major_share"]["n"], cols["mean_abs_interval"]["n"]
        if s["has_chords"] and n_h < 0.5 * s["style_pieces"]:  # 7 % of the folk tunes, none of the chorales
            lines.append(f"  (its chords compared with the {n_h:,} {s['style']} pieces that have chord symbols)")
        if s["has_melody"] and n_m < 0.5 * s["style_pieces"]:  # a fifth of the jazz pieces
            lines.append(f"  (its melody compared with the {n_m:,} {s['style']} pieces that have a melody)")
        if not s["has_melody"]:
            lines.append("  (no melody line: melody features not compared)")
        if not s["has_chords"]:
            lines.append("  (no chord symbols: harmony features not compared)")
        for x in s["suggestions"]:
            lines.append(f"  - {x['text']}.")
        said = {x["feature"] for x in s["suggestions"]}
        rest = [n for n in s["outside"] if n not in said]
        if rest:
            lines.append("  also outside: " + ", ".join(f"{n} ({where_is(cols[n])})" for n in rest))
        few = [f["name"] for f in s["features"] if f["note"] and f["note"].startswith("only ")]
        if few:
            lines.append(f"  not flagged, too few {s['style']} pieces with them: {', '.join(few)}")
    return "\n".join(lines)


def _run_compare(args: argparse.Namespace, started: float) -> int:
    from tunesmith.analysis import compare, render_compare_html

    for flag, value, default in (("--styles", args.styles, None), ("--years", args.years, None),
                                 ("--by", args.by, "style")):
        if value != default:
            raise ValueError(f"{flag}: not used with --compare (which compares with one style: --style)")
    report = compare(args.compare, style=args.style, cache_dir=args.cache, sources=_list(args.sources))
    _write_report(args, report, started, render_compare_html, _compare_summary)
    refused = [s for s in report["songs"] if s["refused"]]
    if refused and args.json != "-":  # (said above, song by song; here for a script reading stderr)
        print(f"tunesmith analyze: error: {len(refused)} of {len(report['songs'])} songs not compared:"
              f" {', '.join(one_line(s['name']) for s in refused)}", file=sys.stderr)
    return 2 if refused else 0


def run(args: argparse.Namespace) -> int:
    from tunesmith.analysis import analyze, corpus_features, render_html

    started = time.perf_counter()
    if args.style and not args.compare:
        raise ValueError(f"--style {args.style}: used with --compare SONG; to analyse only some styles: --styles")
    if args.bootstrap < 10:
        raise ValueError("--bootstrap: at least 10 resamples")
    if not 0 < args.alpha < 1:
        raise ValueError("--alpha: between 0 and 1")
    if args.top < 1:  # said before the work, as analyze() would after it
        raise ValueError(f"--top {args.top}: at least 1 row per table")
    for flag, out in (("--html", args.html_path), ("--json", None if args.json == "-" else args.json)):
        if out and Path(out).is_dir():  # said before the work, not after it
            raise ValueError(f"--{flag.lstrip('-')} {out}: is a folder; give a file name, e.g. {Path(out) / 'report'}"
                             f"{'.html' if flag == '--html' else '.json'}")
    if args.compare:
        return _run_compare(args, started)
    table = corpus_features(args.cache, progress=not args.no_progress and sys.stderr.isatty(),
                            use_cache=not args.no_cache)
    report = analyze(table, by=args.by, styles=_list(args.styles), sources=_list(args.sources),
                     years=_years(args.years), alpha=args.alpha, n_boot=args.bootstrap, top=args.top)
    _write_report(args, report, started, render_html, _summary)
    return 0


def _write_report(args: argparse.Namespace, report: dict, started: float, html, summary) -> None:
    """The HTML (`html(report)`) and JSON files asked for, each written whole (no half file if
    interrupted), and the JSON or the summary (`summary(report)`) on stdout."""
    if args.html_path:
        atomic_write_text(Path(args.html_path), html(report))
    report["seconds"]["total"] = round(time.perf_counter() - started, 3)
    text = json.dumps(report, indent=1, ensure_ascii=False, allow_nan=False)
    if args.json and args.json != "-":
        atomic_write_text(Path(args.json), text + "\n")
    if args.json == "-":
        print(text)
    else:
        print(summary(report))
        for what, p in (("HTML", args.html_path), ("JSON", args.json)):
            if p:
                print(f"{what} report: {p}")
