"""The analysis report as ONE self-contained HTML file: Jinja2 template, matplotlib figures
embedded as base64 PNG, no scripts, no style sheets or images from elsewhere, no links out."""

from __future__ import annotations

import base64
import io
import math
from typing import Any

# the page style both reports share (the analysis and a comparison of songs)
_STYLE = """<style>
body { font-family: sans-serif; max-width: 1150px; margin: 1em auto; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th:first-child, td:first-child, td.l { text-align: left; }
code, pre { background: #f4f4f4; padding: 2px 4px; }
pre { white-space: pre-wrap; }
.sig { font-weight: bold; }
.note { color: #555; font-size: 13px; }
img { max-width: 100%; }
</style>"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>tunesmith analysis</title>
""" + _STYLE + """</head><body>
<h1>tunesmith analysis</h1>
<p>{{ r.corpus.pieces }} pieces (of {{ r.corpus.pieces_in_corpus }} in the corpus), grouped by <b>{{ r.filters.by }}</b>
{%- if r.filters.styles %}; styles {{ r.filters.styles|join(", ") }}{% endif %}
{%- if r.filters.sources %}; sources {{ r.filters.sources|join(", ") }}{% endif %}
{%- if r.filters.years %}; years {{ r.filters.years[0] }}-{{ r.filters.years[1] }}{% endif %}.
Features {{ "from the cache" if r.corpus.features_from_cache else "extracted" }} in {{ r.seconds.features }} s;
statistics in {{ r.seconds.statistics }} s.</p>

<h2>Groups</h2>
<table><tr><th>group</th><th>pieces</th><th>most common keys</th><th>meters</th></tr>
{% for g, v in r.groups.items() %}<tr><td>{{ g }}</td><td>{{ v.n }}</td>
<td class="l">{% for k in v.top_keys %}{{ k.value }} {{ pct(k.share) }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- if v.keys_inferred_share|default(0) > 0 %} ({{ pct(v.keys_inferred_share) }} of the keys estimated or assumed, not written){% endif %}</td>
<td class="l">{% for k in v.top_meters %}{{ k.value }} {{ pct(k.share) }}{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}</table>

{% if fig_heat %}<h3>Feature means by group (z-scores across groups)</h3><img alt="feature means" src="data:image/png;base64,{{ fig_heat }}">{% endif %}

<h3>Feature means with 95% bootstrap confidence intervals</h3>
<table><tr><th>feature</th>{% for g, v in r.groups.items() %}<th>{{ g }}{% if v.few %} <span title="fewer than 20 pieces: uncertain">(few: {{ v.n }})</span>{% endif %}</th>{% endfor %}</tr>
{% for f in r.features %}<tr><td title="{{ f.description }}">{{ f.name }}</td>
{% for g, v in r.groups.items() %}{% set s = v.features[f.name] %}<td>{{ num(s.mean) }}{% if s.ci[0] is not none %} [{{ num(s.ci[0]) }}, {{ num(s.ci[1]) }}]{% endif %}</td>{% endfor %}</tr>
{% endfor %}</table>

{% if r.distinctive %}<h2>Distinctive features</h2>
<p class="note">Each group against all other pieces: Cohen's d (pooled SD), rank-biserial correlation,
Mann-Whitney p and Benjamini-Hochberg q over every group x feature test. In the figure, grey bars are not significant. In bold: q &lt; {{ r.filters.alpha|default(0.05) }},
listed first; then the others (not significant). Each part sorted by |d|; "pieces": the group's pieces with the feature.</p>
{% if fig_dist %}<img alt="effect sizes" src="data:image/png;base64,{{ fig_dist }}">{% endif %}
{% for g, rows in r.distinctive.items() %}<h3>{{ g }}</h3>
<table><tr><th>feature</th><th>d</th><th>rank-biserial</th><th>mean in group</th><th>mean in rest</th><th>q</th><th>pieces</th></tr>
{% for x in rows %}<tr{% if x.significant|default(false) %} class="sig"{% endif %}><td>{{ x.feature }}</td><td>{{ num(x.cohens_d) }}</td><td>{{ num(x.rank_biserial) }}</td>
<td>{{ num(x.mean_group) }}</td><td>{{ num(x.mean_rest) }}</td><td>{{ sci(x.q) }}</td><td>{{ x.n_group }}</td></tr>{% endfor %}</table>
{% endfor %}{% endif %}

<h2>Most frequent chord progressions (functions)</h2>
<p class="note">Roman numerals relative to the key (numbered on the major scale; lowercase = minor or
diminished); consecutive repeats of a chord count once. "pieces": how many pieces contain it.</p>
{% for g, p in r.progressions.items() %}{% if p["4"] %}<h3>{{ g }} ({{ p.pieces_with_chords }} pieces with chords)</h3>
<table><tr><th>four chords</th><th>pieces</th><th>share</th><th>three chords</th><th>pieces</th><th>share</th></tr>
{% for i in range([p["4"]|length, p["3"]|length]|max) %}<tr>
{% if i < p["4"]|length %}<td>{{ p["4"][i].progression }}</td><td>{{ p["4"][i].pieces }}</td><td>{{ pct(p["4"][i].share) }}</td>{% else %}<td></td><td></td><td></td>{% endif %}
{% if i < p["3"]|length %}<td class="l">{{ p["3"][i].progression }}</td><td>{{ p["3"][i].pieces }}</td><td>{{ pct(p["3"][i].share) }}</td>{% else %}<td></td><td></td><td></td>{% endif %}
</tr>{% endfor %}</table>{% endif %}{% endfor %}

{% if r.trends %}{% set t = r.trends %}<h2>Trends over years {{ t.year_range[0] }}-{{ t.year_range[1] }}</h2>
<p>{{ t.pieces }} pieces of {{ t.source }} with a year ({{ t.entries_before_dedupe }} entries before keeping one per work).
Unit: {{ t.unit }}.{% if t.sources_left_out %} Dated pieces of other sources ({% for k, v in t.sources_left_out.items() %}{{ k }}: {{ v }}{% if not loop.last %}, {% endif %}{% endfor %})
are not pooled with them: a change of source is not a change of music (<code>--sources</code> chooses).{% endif %}</p>
{% if fig_trend %}<img alt="chord shares per year" src="data:image/png;base64,{{ fig_trend }}">{% endif %}
<h3>Chord-quality shares: logistic trend</h3>
<table><tr><th>share</th><th>odds ratio per decade</th><th>95% CI</th><th>p</th></tr>
{% for f, x in t.logistic.items() %}<tr><td>{{ f }}</td><td>{{ num(x.odds_ratio_per_decade) }}</td>
<td>[{{ num(x.ci[0]) }}, {{ num(x.ci[1]) }}]</td><td>{{ sci(x.p) }}</td></tr>{% endfor %}</table>
<h3>Change points</h3>
<p>Joint (penalised PELT on the yearly shares of {{ t.change_points.features|join(", ") }}):
<b>{{ t.change_points.joint_penalized|join(", ") or "none" }}</b>;
best {{ t.change_points.reference.years|length }} change points: <b>{{ t.change_points.joint_fixed|join(", ") or "none" }}</b>.
Per feature: {% for f, ys in t.change_points.per_feature.items() %}{{ f }} {{ ys|join(", ") or "none" }}{% if not loop.last %}; {% endif %}{% endfor %}.</p>
<p>Compared with {{ t.change_points.reference.source }} ({{ t.change_points.reference.years|join(", ") }}):</p>
<ul>{% for c in t.change_points.comparison %}<li>{{ c.verdict }}</li>{% endfor %}</ul>
<h3>Linear trend of every feature (OLS, HC3; Benjamini-Hochberg at q &lt; {{ t.alpha }})</h3>
<table><tr><th>feature</th><th>slope per decade</th><th>95% CI</th><th>p</th><th>q</th><th>pieces</th></tr>
{% for x in t.tests %}<tr{% if x.significant %} class="sig"{% endif %}><td>{{ x.feature }}</td><td>{{ num(x.slope_per_decade) }}</td>
<td>[{{ num(x.ci[0]) }}, {{ num(x.ci[1]) }}]</td><td>{{ sci(x.p) }}</td><td>{{ sci(x.q) }}</td><td>{{ x.n }}</td></tr>{% endfor %}</table>
{% elif r.trends_note|default(none) %}<h2>Trends over years</h2><p>{{ r.trends_note }}.</p>{% endif %}

<h2>Suggestions: progressions one style uses and another does not</h2>
{% if r.suggestions %}<p class="note">Each line runs as it is and composes the progression in the other style.</p>
{% for s in r.suggestions %}<p>{{ s.why }}:</p><pre>{{ s.command }}</pre>{% endfor %}
{% else %}<p>None: fewer than two styles with enough pieces with chords.</p>{% endif %}
<p class="note">The same report as JSON: <code>tunesmith analyze --json FILE</code> (schema "{{ r.schema }}",
documented in docs/analysis.md and in <code>tunesmith.analysis</code>).</p>
</body></html>
"""


def _num(x: Any) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    x = float(x)
    if x != 0 and abs(x) < 0.01:
        return f"{x:.2g}"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"


def _sci(x: Any) -> str:
    if x is None:
        return "-"
    return f"{x:.2g}"


def _pct(x: Any) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figures(r: dict[str, Any]) -> dict[str, str | None]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    import numpy as np

    figs: dict[str, str | None] = {"fig_trend": None, "fig_heat": None, "fig_dist": None}
    t = r.get("trends")
    if t:
        fig, ax = plt.subplots(figsize=(10, 4))
        for f, color in zip(t["series"], ("tab:red", "tab:blue", "tab:green")):
            s = t["series"][f]
            y = np.array([np.nan if v is None else v for v in s["mean"]], dtype=float)
            lo = np.array([np.nan if v is None else v for v in s["ci_low"]], dtype=float)
            hi = np.array([np.nan if v is None else v for v in s["ci_high"]], dtype=float)
            ax.plot(s["year"], y, color=color, label=f)
            ax.fill_between(s["year"], lo, hi, color=color, alpha=0.15)
        cp = t["change_points"]
        for k, year in enumerate(cp["joint_penalized"]):
            ax.axvline(year - 0.5, color="k", ls="--", lw=1, label="change point (this corpus)" if k == 0 else None)
        for k, year in enumerate(cp["reference"]["years"]):
            ax.axvline(year - 0.5, color="grey", ls=":", lw=2, label="Mauch et al. 2015" if k == 0 else None)
        ax.set_xlabel("year")
        ax.set_ylabel("share of chord changes")
        ax.legend(fontsize=8, ncol=2)
        figs["fig_trend"] = _png(fig)
    groups = list(r["groups"])
    if len(groups) > 1:
        names = [f["name"] for f in r["features"]]
        m = np.array([[np.nan if r["groups"][g]["features"][n]["mean"] is None else r["groups"][g]["features"][n]["mean"]
                       for n in names] for g in groups], dtype=float)
        import warnings

        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a feature no group has: an empty column
            z = (m - np.nanmean(m, axis=0)) / np.nanstd(m, axis=0)
        fig, ax = plt.subplots(figsize=(12, 0.45 * len(groups) + 2.2))
        ax.imshow(np.nan_to_num(z), aspect="auto", cmap="coolwarm", vmin=-2, vmax=2)
        ax.set_yticks(range(len(groups)), groups, fontsize=8)
        ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
        figs["fig_heat"] = _png(fig)
    dist = r.get("distinctive") or {}
    shown = list(dist)[:6]
    if shown:
        fig, axes = plt.subplots(1, len(shown), figsize=(3.3 * len(shown), 3.6), squeeze=False)
        for ax, g in zip(axes[0], shown):
            rows = dist[g][::-1]
            d = [max(-5.0, min(5.0, x["cohens_d"])) for x in rows]
            # grey where q >= alpha: a long bar the tests do not support must not read as a finding
            ax.barh([x["feature"] for x in rows], d, color=[("tab:red" if v > 0 else "tab:blue")
                                                            if x.get("significant", True) else "#c8c8c8"
                                                            for v, x in zip(d, rows)])
            ax.set_title(g, fontsize=9)
            ax.tick_params(labelsize=7)
            ax.axvline(0, color="k", lw=0.5)
        fig.tight_layout()
        figs["fig_dist"] = _png(fig)
    return figs


def render_html(report: dict[str, Any], *, figures: bool = True) -> str:
    """The report as one self-contained HTML page."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_TEMPLATE)
    figs = _figures(report) if figures else {"fig_trend": None, "fig_heat": None, "fig_dist": None}
    return template.render(r=report, num=_num, sci=_sci, pct=_pct, **figs)


_COMPARE_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>tunesmith: songs against a style</title>
""" + _STYLE + """</head><body>
<h1>Your songs against the corpus</h1>
<p>{{ r.songs|length }} song{{ "" if r.songs|length == 1 else "s" }} against the {{ r.corpus.pieces_in_corpus }} pieces of the corpus.
Each feature is placed among the chosen style's pieces that have it: their median, middle half (25th-75th percentile),
{{ r.range[0]|int }}th-{{ r.range[1]|int }}th percentiles, and your song's percentile; in bold, features outside that range.</p>
{% for s in r.songs %}<h2>{{ s.title }} <span class="note">({{ s.name }})</span></h2>
{% if s.refused %}<p>{{ s.refused }}</p>{% else %}
<p>Style: <b>{{ s.style }}</b>{% if r.sources %} of {{ r.sources|join(", ") }}{% endif %} ({{ s.style_pieces }} pieces),
{% if s.style_chosen == "guessed" %}guessed: {{ s.guess.method }}; votes {% for k, v in s.guess.votes.items() %}{{ k }} {{ pct(v) }}{% if not loop.last %}, {% endif %}{% endfor %};
on held-out corpus pieces with {{ s.guess.view }}, {{ pct(s.guess.valid_precision) }} of the {{ s.guess.valid_guessed_as }} guessed {{ s.style }} were {{ s.style }}
(accuracy over all {{ s.guess.valid_pieces }}: {{ pct(s.guess.valid_accuracy) }}).{% else %}given.{% endif %}</p>
{% if s.suggestions %}<h3>Suggestions</h3><ul>{% for x in s.suggestions %}<li>{{ x.text }}.</li>{% endfor %}</ul>
{% else %}<p>No feature lies outside the {{ r.range[0]|int }}-{{ r.range[1]|int }} % range of the style.</p>{% endif %}
{% if figs[loop.index0] %}<img alt="percentiles" src="data:image/png;base64,{{ figs[loop.index0] }}">{% endif %}
<table><tr><th>feature</th><th>yours</th><th>median</th><th>middle half</th><th>{{ r.range[0]|int }}-{{ r.range[1]|int }} %</th><th>percentile</th><th>style pieces with it</th><th>note</th></tr>
{% for f in s.features %}<tr{% if f.flag %} class="sig"{% endif %}><td title="{{ f.description }}">{{ f.name }}</td><td>{{ num(f.value) }}</td>
<td>{{ num(f.median) }}</td><td>{% if f.q1 is not none %}{{ num(f.q1) }}-{{ num(f.q3) }}{% else %}-{% endif %}</td>
<td>{% if f.p_low is not none %}{{ num(f.p_low) }}-{{ num(f.p_high) }}{% else %}-{% endif %}</td>
<td>{{ num(f.percentile) }}</td><td>{{ f.n }}</td><td class="l">{% if f.flag %}{{ f.flag }} the range{% endif %}{{ f.note or "" }}</td></tr>
{% endfor %}</table>{% endif %}{% endfor %}
<p class="note">The same as JSON: <code>tunesmith analyze --compare FILE ... --json</code> (schema "{{ r.schema }}",
documented in docs/analysis.md and in <code>tunesmith.analysis.compare</code>).</p>
</body></html>
"""


def _compare_figure(song: dict[str, Any], low: float, high: float) -> str | None:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from tunesmith.analysis.features import COVERAGE_FEATURES

    rows = [f for f in song["features"] if f["percentile"] is not None and f["n"] > 0
            and f["name"] not in COVERAGE_FEATURES]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(10, 0.18 * len(rows) + 1.2))
    y = list(range(len(rows)))[::-1]
    ax.axvspan(25, 75, color="#dddddd", label="middle half")
    ax.axvspan(low, high, color="#f0f0f0", zorder=0, label=f"{low:g}-{high:g} %")
    ax.scatter([f["percentile"] for f in rows], y, c=["tab:red" if f["flag"] else "tab:blue" for f in rows], s=14,
               zorder=3)
    ax.set_yticks(y, [f["name"] for f in rows], fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"your song's percentile among the {song['style']} pieces of the corpus")
    ax.legend(fontsize=7, loc="lower right")
    return _png(fig)


def render_compare_html(report: dict[str, Any], *, figures: bool = True) -> str:
    """A `compare` report (schema "tunesmith-compare/1") as one self-contained page."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    low, high = report["range"]
    figs = [(_compare_figure(s, low, high) if figures and not s["refused"] else None) for s in report["songs"]]
    return env.from_string(_COMPARE_TEMPLATE).render(r=report, num=_num, pct=_pct, figs=figs)
