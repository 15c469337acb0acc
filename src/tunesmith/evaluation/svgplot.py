"""A small hand-written SVG plotter: overlaid histograms and grouped bars, nothing else.

No dependency, no network: each function returns one `<svg>` element as a string (well-formed
XML, every text escaped), to be inlined in the HTML report. Colours are fixed per series
label order (model, compare, real, reference).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

import numpy as np

COLORS = ("#d1495b", "#00798c", "#3d3d3d", "#edae49", "#66a182", "#8d6a9f")
FONT = "font-family:system-ui,sans-serif;font-size:11px"


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "nan"
    if x == round(x) and abs(x) < 1e6:
        return str(int(round(x)))
    a = abs(x)
    if a != 0 and (a >= 10000 or a < 0.01):
        return f"{x:.2g}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step) * step
    ticks = []
    t = start
    while t <= hi + 1e-9 * step:
        ticks.append(round(t, 12))
        t += step
    return ticks


def _finite(values: Sequence[float]) -> np.ndarray:
    a = np.asarray([v for v in values if v is not None], dtype=float)
    return a[np.isfinite(a)]


def histogram_svg(
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    xlabel: str = "",
    width: int = 320,
    height: int = 190,
    bins: int = 20,
) -> str:
    """Overlaid step histograms (density-normalised, shared bins) of each series."""
    data = {k: _finite(v) for k, v in series.items()}
    everything = np.concatenate([v for v in data.values() if len(v)]) if any(len(v) for v in data.values()) else None
    ml, mr, mb = 40, 10, 34
    mt = 24 + 12 * len(series)  # the legend sits between the title and the plot
    height += 12 * len(series)
    pw, ph = width - ml - mr, height - mt - mb
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" style="{FONT}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2:.1f}" y="14" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
    ]
    if everything is None or len(everything) == 0:
        parts.append(f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle">no data</text></svg>')
        return "".join(parts)
    lo, hi = float(everything.min()), float(everything.max())
    integer = bool(np.all(np.equal(np.mod(everything, 1), 0))) and hi - lo <= 60
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    if integer:
        edges = np.arange(math.floor(lo) - 0.5, math.ceil(hi) + 1.0, max(1, math.ceil((hi - lo + 1) / 40)))
    else:
        edges = np.linspace(lo, hi, bins + 1)
    dens = {}
    for k, v in data.items():
        if len(v):
            h, _ = np.histogram(v, bins=edges, density=True)
            dens[k] = h
    ymax = max((float(h.max()) for h in dens.values()), default=1.0) or 1.0

    def X(x: float) -> float:
        return ml + (x - edges[0]) / (edges[-1] - edges[0]) * pw

    def Y(y: float) -> float:
        return mt + ph - y / ymax * ph

    parts.append(f'<rect x="{ml}" y="{mt}" width="{pw}" height="{ph}" fill="none" stroke="#bbb"/>')
    for t in _nice_ticks(float(edges[0]), float(edges[-1])):
        x = X(t)
        parts.append(f'<line x1="{x:.1f}" y1="{mt + ph}" x2="{x:.1f}" y2="{mt + ph + 4}" stroke="#888"/>')
        parts.append(f'<text x="{x:.1f}" y="{mt + ph + 15}" text-anchor="middle">{escape(_fmt(t))}</text>')
    parts.append(f'<text x="{ml + pw / 2:.1f}" y="{height - 4}" text-anchor="middle">{escape(xlabel)}</text>')
    parts.append(f'<text x="{ml - 4}" y="{mt + 8}" text-anchor="end">{escape(_fmt(ymax))}</text>')
    parts.append(f'<text x="{ml - 4}" y="{mt + ph}" text-anchor="end">0</text>')
    for k, h in dens.items():
        color = COLORS[list(series).index(k) % len(COLORS)]
        pts = [f"{X(float(edges[0])):.1f},{Y(0):.1f}"]
        for j, v in enumerate(h):
            pts.append(f"{X(float(edges[j])):.1f},{Y(float(v)):.1f}")
            pts.append(f"{X(float(edges[j + 1])):.1f},{Y(float(v)):.1f}")
        pts.append(f"{X(float(edges[-1])):.1f},{Y(0):.1f}")
        parts.append(
            f'<polyline points="{" ".join(pts)}" fill="{color}" fill-opacity="0.12" stroke="{color}" stroke-width="1.5"/>'
        )
        n = len(data[k])
        parts.append(
            f'<text x="{ml}" y="{30 + 12 * list(series).index(k)}" fill="{color}">&#9632; '
            f"{escape(k)} (n={n}, mean {escape(_fmt(float(data[k].mean())))})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(
    groups: Mapping[str, Mapping[str, float]],
    *,
    title: str = "",
    width: int = 520,
    label_width: int = 210,
) -> str:
    """Grouped horizontal bars: one row per group (label on the left), one bar per series
    (colours, legend on top); NaN bars are left out, values written at the bar ends."""
    names = list(groups)
    series: list[str] = []
    for g in groups.values():
        for s in g:
            if s not in series:
                series.append(s)
    values = [v for g in groups.values() for v in g.values() if v is not None and math.isfinite(v)]
    bar_h, gap = 8, 8
    mt = 24 + 14 * max(1, math.ceil(len(series) / 2))
    row_h = bar_h * max(1, len(series)) + gap
    height = mt + row_h * max(1, len(names)) + 24
    ml, mr = label_width, 50
    pw = width - ml - mr
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" style="{FONT}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2:.1f}" y="14" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
    ]
    if not values or not names:
        parts.append(f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle">no data</text></svg>')
        return "".join(parts)
    lo, hi = min(0.0, min(values)), max(0.0, max(values))
    if hi <= lo:
        hi = lo + 1.0

    def X(x: float) -> float:
        return ml + (x - lo) / (hi - lo) * pw

    for si, s in enumerate(series):
        parts.append(
            f'<text x="{10 + (si % 2) * (width / 2):.0f}" y="{30 + 14 * (si // 2)}" '
            f'fill="{COLORS[si % len(COLORS)]}">&#9632; {escape(s)}</text>'
        )
    bottom = mt + row_h * len(names)
    for t in _nice_ticks(lo, hi, 4):
        parts.append(f'<line x1="{X(t):.1f}" y1="{mt - 2}" x2="{X(t):.1f}" y2="{bottom}" stroke="#eee"/>')
        parts.append(f'<text x="{X(t):.1f}" y="{bottom + 12}" text-anchor="middle">{escape(_fmt(t))}</text>')
    parts.append(f'<line x1="{X(0):.1f}" y1="{mt - 2}" x2="{X(0):.1f}" y2="{bottom}" stroke="#888"/>')
    for gi, name in enumerate(names):
        y0 = mt + gi * row_h
        parts.append(f'<text x="{ml - 6}" y="{y0 + row_h / 2 + 1:.1f}" text-anchor="end">{escape(name)}</text>')
        for si, s in enumerate(series):
            v = groups[name].get(s)
            if v is None or not math.isfinite(v):
                continue
            color = COLORS[si % len(COLORS)]
            x1, x2 = sorted((X(v), X(0)))
            y = y0 + si * bar_h
            parts.append(
                f'<rect x="{x1:.1f}" y="{y:.1f}" width="{max(x2 - x1, 0.5):.1f}" height="{bar_h - 1}" '
                f'fill="{color}"><title>{escape(f"{name} / {s}: {_fmt(v)}")}</title></rect>'
            )
            parts.append(
                f'<text x="{max(X(v), X(0)) + 3:.1f}" y="{y + bar_h - 1:.1f}" font-size="8" '
                f'fill="{color}">{escape(_fmt(v))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
