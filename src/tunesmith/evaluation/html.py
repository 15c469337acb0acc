"""The evaluation report as ONE self-contained HTML file (inline CSS and SVG, no script, no
network): header (model path and hash, data split, seed, samples, timings), one table with
every metric per style for model / compare / real with ahead/behind marks, the JSB frame-level
figures, constraint failures per check, and plots of each metric's distribution, real vs
generated, per style (`evaluation.svgplot`).

Above the table, a "fairness" list says what was done so that no metric favours tunesmith by
construction (e.g. a compare system without controls gets "n/a (no controls)" in the constraint
rows); below it, where each published reference figure comes from and whether it was verified
against a public copy of the paper (the unverified ones say so next to the value).

The markup is well-formed XML (every element closed, every text escaped), so it parses with
an XML parser as well as with html.parser. Source addresses are printed as text, never as
links or resources: the file loads nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from tunesmith.evaluation.report import format_value, scoreboard
from tunesmith.evaluation.svgplot import bars_svg, histogram_svg

CSS = """
body{font-family:system-ui,-apple-system,sans-serif;margin:24px;color:#222;max-width:1500px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f4;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.ahead{background:#d9f2d9}td.behind{background:#f8d7da}td.tie{background:#f1f1f1}
.small{font-size:11px;color:#666}.legend span{padding:1px 6px;margin-right:8px}
td.na{color:#666;font-style:italic}.unverified{color:#a00;font-weight:bold}
ul.fair li{margin:3px 0}
.plots{display:flex;flex-wrap:wrap;gap:6px}
code{background:#f4f4f4;padding:0 3px}
"""

LABELS = {"model": "model", "compare": "compare", "real": "real (held-out)"}


def _e(x: Any) -> str:
    return escape(str(x), quote=True)


def _kv_table(rows: list[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _header(result: Mapping[str, Any]) -> str:
    h = result["header"]
    m = h["model"]
    rows = [
        ("model", f"{m['label']} [{m['kind']}]"),
        ("model path", m["path"]),
        ("model sha256", m["sha256"] or "—"),
        ("model parameters", f"{m['n_params']:,}"),
    ]
    if m.get("note"):
        rows.append(("model note", m["note"]))
    c = h.get("compare")
    if c:
        rows += [
            ("compare", f"{c['label']} [{c['kind']}]"),
            ("compare path", c["path"]),
            ("compare sha256", c["sha256"] or "—"),
            ("compare parameters", f"{c['n_params']:,}"),
        ]
    d = h["data"]
    rows += [
        ("data", f"{d.get('kind', '')} {d.get('path', '')}".strip()),
        (
            "real (held-out) split",
            f"{d.get('test_split', 'test')}; pieces used per style: "
            + ", ".join(f"{k} {v}" for k, v in (d.get("real_per_style") or {}).items()),
        ),
        ("memorization index", f"{d.get('memorization_index', 'train split')} ({d.get('train_pieces')} pieces)"),
        ("seed", h["seed"]),
        ("samples per style", h["samples_per_style"]),
        ("styles", ", ".join(h["styles"])),
        ("started", h["started"]),
        ("tunesmith", h["tunesmith_version"]),
        ("host", f"Python {h['host']['python']}, {h['host']['machine']}, {h['host']['cpus']} CPUs"),
    ]
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in h["timings"].items() if v is not None)
    rows.append(("timings", timings))
    for name in ("model", "compare"):
        system = h.get(name) or {}
        if system.get("takes_controls") is False:
            rows.append((f"{name} controls", "none (asked only for the number of bars)"))
        training = system.get("training") or {}
        if training:
            rows.append((f"{name} training", ", ".join(f"{k} {v}" for k, v in training.items())))
    return _kv_table(rows)


def _fairness(result: Mapping[str, Any]) -> str:
    notes = result["header"].get("fairness") or []
    if not notes:
        return ""
    return '<ul class="fair">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"


def _references(result: Mapping[str, Any]) -> str:
    refs = result.get("references") or {}
    rows = []
    rl = refs.get("rl_tuner_note_rnn")
    if rl:
        status = "verified" if rl.get("verified") else "unverified"
        notes = "; ".join(f"{k}: {v}" for k, v in (rl.get("notes") or {}).items())
        rows.append(
            f"<tr><td>RL Tuner statistics, Note RNN column (the 'paper' column of the table)</td>"
            f"<td>{_e(rl.get('paper', ''))}</td><td><code>{_e(rl.get('url', ''))}</code></td>"
            f'<td class="{"" if rl.get("verified") else "unverified"}">{_e(status)}: '
            f"{_e(rl.get('how_verified', ''))}</td><td>{_e(notes)} {_e(rl.get('not_checked', ''))}</td></tr>"
        )
    for x in refs.get("jsb") or []:
        rows.append(
            f"<tr><td>JSB chorales: {_e(x['model'])} = {_e(x['value'])} ({_e(x['unit'])}, {_e(x['split'])})</td>"
            f"<td>{_e(x['paper'])}</td><td><code>{_e(x.get('url', ''))}</code></td>"
            f'<td class="{"" if x.get("verified") else "unverified"}">'
            f"{_e('verified' if x.get('verified') else x.get('status', 'unverified'))}</td><td></td></tr>"
        )
    if not rows:
        return "<p>none</p>"
    return (
        "<table><thead><tr><th>figure</th><th>source</th><th>address (text, not loaded)</th><th>status</th>"
        "<th>notes</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _main_table(result: Mapping[str, Any]) -> str:
    h = result["header"]
    has_compare = bool(h.get("compare"))
    cols = ["model"] + (["compare"] if has_compare else []) + ["real"]
    head = "".join(f"<th>{_e(LABELS[c])}</th>" for c in cols)
    out = [
        '<table id="metrics"><thead><tr><th>style</th><th>group</th><th>metric</th><th>better</th>',
        head,
        "<th>paper (Note RNN)</th><th>model vs " + ("compare" if has_compare else "real") + "</th></tr></thead><tbody>",
    ]
    for row in result["table"]:
        mark = row.get("vs_compare") if has_compare else row.get("vs_real")
        cells = []
        for c in cols:
            text = row.get(f"{c}_text")
            if text:
                cells.append(f'<td class="na">{_e(text)}</td>')
                continue
            cls = "num"
            if c == "model" and mark:
                cls += f" {mark}"
            if c == "compare" and has_compare and row.get("vs_compare") in ("ahead", "behind"):
                cls += " " + ("behind" if row["vs_compare"] == "ahead" else "ahead")
            cells.append(f'<td class="{cls}">{_e(format_value(row.get(c)))}</td>')
        ref = format_value(row.get("reference")) if row.get("reference") is not None else ""
        if ref and not str(row.get("reference_status", "")).startswith("verified"):
            ref += " (unverified)"
        out.append(
            f"<tr><td>{_e(row['style'])}</td><td>{_e(row['group'])}</td><td>{_e(row['metric'])}</td>"
            f'<td>{_e(row["direction"])}</td>{"".join(cells)}<td class="num">{_e(ref)}</td>'
            f"<td>{_e(mark or '')}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _jsb(result: Mapping[str, Any]) -> str:
    jsb = result.get("jsb") or {}
    if not jsb:
        return "<p>not run</p>"
    if "skipped" in jsb:
        return f"<p>skipped: {_e(jsb['skipped'])}</p>"
    rows = []
    for name in ("model", "compare"):
        r = jsb.get(name)
        if not isinstance(r, Mapping):
            continue
        for subset in ("all", "exact_encoding_only"):
            a = r[subset]
            rows.append(
                f'<tr><td>{_e(name)}</td><td>{_e(subset)}</td><td class="num">{a["n_chorales"]}</td>'
                f'<td class="num">{_e(format_value(a.get("nats_per_frame_joint")))}</td>'
                f'<td class="num">{_e(format_value(a.get("nats_per_frame_voice_joint")))}</td>'
                f'<td class="num">{_e(format_value(a["nats_per_frame"]))}</td>'
                f'<td class="num">{_e(format_value(a["nats_per_frame_voice"]))}</td>'
                f'<td class="num">{_e(format_value(a["nats_per_frame_mean_over_chorales"]))}</td>'
                f'<td class="num">{_e(format_value(a["nats_per_note"]))}</td>'
                f'<td class="num">{_e(format_value(a["nats_per_token"]))}</td></tr>'
            )
    ref = "".join(
        f"<tr><td>{_e(x['model'])}</td><td>{_e(x['paper'])}</td><td>{_e(x['unit'])}</td>"
        f'<td>{_e(x["split"])}</td><td class="num">{_e(x["value"])}</td>'
        f'<td class="{"" if x["verified"] else "unverified"}">'
        f"{'verified' if x['verified'] else _e(x.get('status', 'unverified'))}</td></tr>"
        for x in next((v["reference"] for v in jsb.values() if isinstance(v, Mapping)), [])
    )
    method = next((v["method"] for v in jsb.values() if isinstance(v, Mapping)), "")
    return (
        "<table><thead><tr><th>system</th><th>chorales</th><th>n</th><th>nats / frame (whole piece)</th>"
        "<th>nats / frame-voice (whole piece)</th><th>nats / frame (header given)</th>"
        "<th>nats / frame-voice (header given)</th><th>nats / frame (header given, mean over chorales)</th>"
        "<th>nats / note</th><th>nats / token</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        f'<p class="small">{_e(method)}. A frame is one 16th-note step of the 4-voice grid; a frame-voice is one '
        "voice at one step (Coconet's notewise unit; Music Transformer's token). See "
        "<code>tunesmith.evaluation.likelihood</code> for what differs from the papers.</p>"
        "<h3>published figures (their own splits and factorisations; unverified values are marked)</h3>"
        "<table><thead><tr><th>model</th><th>source</th><th>unit</th><th>split</th>"
        "<th>value</th><th>verified</th></tr></thead><tbody>" + ref + "</tbody></table>"
    )


def _constraints(result: Mapping[str, Any]) -> str:
    rows = []
    for style, s in result["styles"].items():
        for name, per_fmt in (s.get("constraints") or {}).items():
            for fmt, r in (per_fmt or {}).items():
                failed = ", ".join(f"{k} {v:.0%}" for k, v in r["failed_share"].items()) or "none"
                examples = "; ".join(r["examples"][:3])
                scored = r.get("scored", True)
                sat = format_value(r["all_satisfied"]) + ("" if scored else " (not scored: no controls)")
                rows.append(
                    f'<tr><td>{_e(style)}</td><td>{_e(name)}</td><td>{_e(fmt)}</td><td class="num">{r["n"]}</td>'
                    f'<td class="num{"" if scored else " na"}">{_e(sat)}</td><td>{_e(failed)}</td>'
                    f'<td class="small">{_e(examples)}</td></tr>'
                )
    return (
        '<p class="small">A system without controls was never told the request; its rows show how often its '
        "output happens to satisfy it, for information only.</p>"
        "<table><thead><tr><th>style</th><th>system</th><th>file</th><th>n</th><th>all satisfied</th>"
        "<th>failing checks (share of samples)</th><th>examples</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _plots(result: Mapping[str, Any]) -> str:
    out = []
    for style, s in result["styles"].items():
        out.append(f'<h3>{_e(style)}</h3><div class="plots">')
        dist = s.get("distributions") or {}
        metrics = list(dist.get("real") or dist.get("model") or {})
        for m in metrics:
            series = {LABELS.get(k, k): dist[k].get(m, []) for k in ("model", "compare", "real") if k in dist}
            out.append(histogram_svg(series, title=m, xlabel=m.split(".", 1)[1]))
        mem = s.get("memorization") or {}
        series = {LABELS.get(k, k): v.get("longest_runs", []) for k, v in mem.items() if v}
        out.append(histogram_svg(series, title="longest run in training set", xlabel="notes"))
        rl = s.get("rl_tuner") or {}
        stats = list(rl.get("paper_note_rnn") or {})
        groups = {
            stat: {
                LABELS.get(k, "paper Note RNN" if k == "paper_note_rnn" else k): (rl.get(k) or {}).get(stat)
                for k in ("model", "compare", "real", "paper_note_rnn")
                if k in rl
            }
            for stat in stats
        }
        out.append(bars_svg(groups, title=f"RL Tuner statistics ({style})"))
        out.append("</div>")
    return "".join(out)


def render_html(result: Mapping[str, Any]) -> str:
    h = result["header"]
    board = scoreboard(result["table"])
    board_html = ""
    if board:
        board_html = (
            "<p>"
            + " &#183; ".join(
                f"<b>{_e(style)}</b>: ahead {c['ahead']}, behind {c['behind']}, tie {c['tie']}"
                for style, c in board.items()
            )
            + "</p>"
        )
    legend = (
        '<p class="legend small"><span class="ahead" style="background:#d9f2d9">model ahead</span>'
        '<span style="background:#f8d7da">model behind</span><span style="background:#f1f1f1">tie (within 2%)</span>'
        " Without a compare column, the model is marked against the real column. better: higher / lower / "
        "match (closer to real) / half (closer to 0.5) / info (no verdict).</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        f"<title>tunesmith evaluation: {_e(h['model']['label'])}</title><style>{CSS}</style></head><body>"
        f'<h1>tunesmith evaluation</h1><p class="small">{_e(h["started"])}</p>'
        f"{_header(result)}<h2>How the comparison is kept fair</h2>{_fairness(result)}"
        f"<h2>Scoreboard</h2>{board_html or '<p>no compare column</p>'}"
        f"<h2>All metrics</h2>{legend}{_main_table(result)}"
        f"<h2>JSB chorales, frame-level NLL (test split)</h2>{_jsb(result)}"
        f"<h2>Constraints, re-checked from the written files</h2>{_constraints(result)}"
        f"<h2>Distributions: generated vs real</h2>{_plots(result)}"
        f"<h2>Published reference figures: sources</h2>{_references(result)}"
        "</body></html>\n"
    )


def write_html(result: Mapping[str, Any], path: str | Path) -> Path:
    from tunesmith.paths import atomic_write_text

    path = Path(path)
    atomic_write_text(path, render_html(result))
    return path
