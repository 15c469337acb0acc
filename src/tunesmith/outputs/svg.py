"""MusicXML → SVG: the score engraved by verovio (pip wheel, no system libraries).

Layout: A4-wide pages (verovio units are tenths of a millimetre: 2100 wide) at verovio's
default scale, title from the MusicXML header, no footer; chord symbols (`<harmony>`) are
engraved above the staff. The output is always ONE SVG file: pages are at most A4-tall
(`page_height`) and cropped to their content (`adjustPageHeight`), so a 32-bar lead sheet is a
single page; a longer score comes back from verovio as several pages, which are stacked top to
bottom into one tall SVG (their glyph definitions merged, each page a nested <svg>). The SVG has a `viewBox` and
no fixed size, so it scales to the width of whatever shows it.
"""

from __future__ import annotations

import functools
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tunesmith.paths import atomic_write_text

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PAGE_WIDTH = 2100  # tenths of a millimetre: A4 width
PAGE_HEIGHT = 2970  # A4 height; pages are cropped to their content (adjustPageHeight)
PAGE_GAP = 100  # vertical space between stacked pages


def _toolkit(page_width: int, page_height: int):
    import verovio

    verovio.enableLog(verovio.LOG_OFF)  # it prints warnings to stderr; errors are read from getLog()
    # verovio keeps its default resource path (fonts) per thread and sets it only in the importing
    # thread: without this, a toolkit made in another thread (a web server's worker) engraves nothing
    from importlib.resources import files

    verovio.setDefaultResourcePath(str(files("verovio") / "data"))
    tk = verovio.toolkit()
    tk.setOptions(
        {
            "pageWidth": page_width,
            "pageHeight": page_height,
            "adjustPageHeight": True,
            "footer": "none",
            "svgViewBox": True,
            # no web font: the SMuFL glyphs verovio sets in text (chord-symbol accidentals, the
            # tempo mark's note) become paths (`smufl_text_to_paths`), so any viewer shows them
            "smuflTextFont": "none",
            # element ids from the content, not drawn at random: the same score engraves to the
            # same bytes (a take's SVG had differed from `Take.svg()` in every id)
            "xmlIdChecksum": True,
        }
    )
    return tk


_UNPRINTED_DEGREES = re.compile(r'\s*<degree print-object="no">.*?</degree>', re.S)
# a pickup bar's tempo mark (its <direction> with a <metronome>), and the first full bar's opening tag
_PICKUP_TEMPO = re.compile(
    r'(<measure[^>]*implicit="yes"[^>]*>(?:(?!</measure>).)*?)'
    r'(\s*<direction[^>]*>\s*<direction-type>\s*<metronome(?:(?!</measure>).)*?</direction>)'
    r'((?:(?!</measure>).)*?</measure>(?:\s*<!--.*?-->)*\s*<measure[^>]*>)',
    re.S,
)


def _tempo_over_first_bar(text: str) -> str:
    """The MusicXML as verovio is given it: a tempo mark in a pickup bar moved to the start of the
    first full bar. Verovio keeps floating marks apart only within one bar: the pickup's "♩. = 110"
    ran over the bar line into the first bar's chord symbol (a folk take in G with a pickup). In
    the first bar it stacks the two. The MusicXML file itself keeps the mark where it is."""
    return _PICKUP_TEMPO.sub(lambda m: m.group(1) + m.group(3) + m.group(2), text, count=1)


def render_svg_pages(
    musicxml_path: str | os.PathLike[str], *, page_width: int = PAGE_WIDTH, page_height: int = PAGE_HEIGHT
) -> list[str]:
    """One SVG document (text) per engraved page of the MusicXML file."""
    path = Path(musicxml_path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such MusicXML file")
    tk = _toolkit(page_width, page_height)
    # loadData, not loadFile: verovio guesses the input format from the content either way,
    # and reading it here gives a Python error (with the path) for unreadable files. A chord's
    # unprinted <degree>s are left out: verovio prints them after the kind's text regardless
    # ("C7b9(b9)", "Bb13(no11)"), where the text already says them.
    text = _tempo_over_first_bar(_UNPRINTED_DEGREES.sub("", path.read_text(encoding="utf-8")))
    if not tk.loadData(text) or tk.getPageCount() < 1:
        log = (tk.getLog() or "").strip()
        raise ValueError(f"{path}: verovio could not engrave this file" + (f": {log}" if log else ""))
    return [smufl_text_to_paths(tk.renderToSVG(page)) for page in range(1, tk.getPageCount() + 1)]


# ------------------------------------------------------------------------------ glyphs as paths
_TEXT_STYLE = {"tempo": "bold", "reh": "bold", "ending": "bold", "fing": "bold", "dir": "italic",
               "dynam": "italic", "mNum": "italic"}  # verovio's CSS for these groups (its <style>)


@functools.cache
def _metrics(name: str) -> tuple[dict[int, float], float]:
    """{code point: advance width} and units per em of a verovio font description (data/*.xml)."""
    from importlib.resources import files

    from defusedxml.ElementTree import parse

    path = files("verovio") / "data" / name
    root = parse(str(path)).getroot()
    upm = float(root.get("units-per-em", "1000"))
    return {int(g.get("c"), 16): float(g.get("h-a-x") or g.get("w") or 0.0) for g in root.iter("g") if g.get("c")}, upm


@functools.cache
def _glyph_path(font: str, code: int) -> str | None:
    """The outline (path data, in font units, y up) of SMuFL glyph `code` in verovio's font folder."""
    from importlib.resources import files

    from defusedxml.ElementTree import parse

    path = files("verovio") / "data" / font / f"{code:04X}.xml"
    if not path.is_file():
        return None
    el = next((e for e in parse(str(path)).getroot().iter() if e.tag.endswith("path")), None)
    return el.get("d") if el is not None else None


def _advance(text: str, font_size: float, metrics: tuple[dict[int, float], float]) -> float:
    widths, upm = metrics
    return sum(widths.get(ord(ch), upm / 2) for ch in text) * font_size / upm


def _px(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value.removesuffix("px"))
    except ValueError:
        return None


def _runs(text, music_font: str) -> tuple[list[tuple[str, float, bool]], float | None, float | None, str]:
    """The leaf runs of a verovio <text> in order, (characters, font size, set in the music
    font), and its anchor (x, y, text-anchor: the <text>'s, else its first positioned <tspan>'s)."""
    runs: list[tuple[str, float, bool]] = []
    where = {"x": _px(text.get("x")), "y": _px(text.get("y")), "anchor": text.get("text-anchor") or "start"}

    def walk(el, size: float | None) -> None:
        size = _px(el.get("font-size")) or size
        if el is not text and el.get("x") is not None and where["x"] is None:
            where.update(x=_px(el.get("x")), y=_px(el.get("y")), anchor=el.get("text-anchor") or where["anchor"])
        if el.text and el.text.strip() and size:
            runs.append((el.text, size, el.get("font-family") == music_font))
        for child in el:
            if child.tag == f"{{{SVG_NS}}}tspan":
                walk(child, size)

    walk(text, None)
    return runs, where["x"], where["y"], where["anchor"]


def smufl_text_to_paths(svg: str, music_font: str = "Leipzig") -> str:
    """verovio's SVG with every SMuFL glyph set in text (a chord symbol's flat, the note of a
    tempo mark) drawn as a path instead, so viewers without web fonts (librsvg, Inkscape,
    MuseScore, image previews) show them rather than boxes. A <text> holding such a glyph is
    split into pieces placed where verovio laid them out (by verovio's own font metrics: Times
    for text, the music font for glyphs); other text is left as it is."""
    if f'font-family="{music_font}"' not in svg:
        return svg
    from defusedxml.ElementTree import fromstring

    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = fromstring(svg)
    # the page's <svg> carries the definitions; glyph ids end in the document's id suffix
    defs = next(iter(root.iter(f"{{{SVG_NS}}}defs")), None)
    if defs is None:
        defs = ET.Element(f"{{{SVG_NS}}}defs")
        root.insert(0, defs)
    known = {g.get("id"): g for g in defs}
    suffix = next((i.split("-", 1)[1] for i in known if i and "-" in i), "tunesmith")
    parents = {child: parent for parent in root.iter() for child in parent}
    music = _metrics(f"{music_font}.xml")
    for text in [t for t in root.iter(f"{{{SVG_NS}}}text") if any(
            e.get("font-family") == music_font for e in t.iter(f"{{{SVG_NS}}}tspan"))]:
        style, up = "", parents.get(text)
        while up is not None and not style:
            style = next((_TEXT_STYLE[c] for c in (up.get("class") or "").split() if c in _TEXT_STYLE), "")
            up = parents.get(up)
        times = _metrics({"bold": "text/Times-bold.xml", "italic": "text/Times-italic.xml"}.get(style, "text/Times.xml"))
        # leaf runs in order: (characters, font size, is a glyph), and where the run is anchored
        runs, x, y, anchor = _runs(text, music_font)
        if x is None or y is None or not runs:
            continue
        widths = [_advance(t, size, music if glyph else times) for t, size, glyph in runs]
        cur = x - {"middle": sum(widths) / 2, "end": sum(widths)}.get(anchor, 0.0)
        group = ET.Element(f"{{{SVG_NS}}}g", {"class": "text-with-glyphs"})
        previous: float | None = None  # the size of the text run just placed
        for (chars, size, glyph), width in zip(runs, widths):
            if glyph and previous:
                cur += 0.08 * previous  # a little air: a viewer's substitute for Times may be wider
            previous = None if glyph else size
            if glyph:
                for ch in chars:
                    gid = f"{ord(ch):04X}-{suffix}"
                    d = _glyph_path(music_font, ord(ch))
                    if gid not in known and d is not None:
                        g = ET.SubElement(defs, f"{{{SVG_NS}}}g", {"id": gid})
                        ET.SubElement(g, f"{{{SVG_NS}}}path", {"transform": "scale(1,-1)", "d": d})
                        known[gid] = g
                    if gid in known:
                        scale = size / 1000.0
                        ET.SubElement(group, f"{{{SVG_NS}}}use", {f"{{{XLINK_NS}}}href": f"#{gid}",
                                      "transform": f"translate({cur:.1f}, {y:.1f}) scale({scale:g}, {scale:g})"})
                    cur += _advance(ch, size, music)
            else:
                # textLength: the piece spans the width verovio laid out (a viewer without Times
                # substitutes a wider or narrower serif, which would run into the glyph)
                piece = ET.SubElement(group, f"{{{SVG_NS}}}text",
                                      {"x": f"{cur:.1f}", "y": f"{y:.1f}", "font-size": f"{size:g}px",
                                       "textLength": f"{width:.1f}", "lengthAdjust": "spacingAndGlyphs"})
                piece.text = chars
                piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                cur += width
        parent = parents[text]
        index = list(parent).index(text)
        parent.remove(text)
        parent.insert(index, group)
    return ET.tostring(root, encoding="unicode", xml_declaration=False)


def stack_pages(pages: list[str], gap: int = PAGE_GAP) -> str:
    """One tall SVG of verovio pages placed top to bottom (each must have a viewBox)."""
    if len(pages) == 1:
        return pages[0]
    from defusedxml.ElementTree import fromstring

    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    defs: dict[str, ET.Element] = {}
    bodies: list[tuple[ET.Element, float, float]] = []
    for text in pages:
        root = fromstring(text)
        _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
        for d in root.findall(f"{{{SVG_NS}}}defs"):
            for glyph in d:
                defs.setdefault(glyph.get("id", f"_{len(defs)}"), glyph)
            root.remove(d)
        bodies.append((root, width, height))
    total_width = max(w for _, w, _ in bodies)
    total_height = sum(h for _, _, h in bodies) + gap * (len(bodies) - 1)
    out = ET.Element(
        f"{{{SVG_NS}}}svg",
        {"version": "1.1", "viewBox": f"0 0 {total_width:g} {total_height:g}", "overflow": "visible"},
    )
    defs_el = ET.SubElement(out, f"{{{SVG_NS}}}defs")
    defs_el.extend(defs.values())
    y = 0.0
    for i, (page, width, height) in enumerate(bodies, start=1):
        # Each page stays a nested <svg> with its own viewBox, placed at its offset.
        page.set("x", "0")
        page.set("y", f"{y:g}")
        page.set("width", f"{width:g}")
        page.set("height", f"{height:g}")
        page.set("class", f"page page-{i}")
        out.append(page)
        y += height + gap
    return ET.tostring(out, encoding="unicode", xml_declaration=False)


def write_svg(
    musicxml_path: str | os.PathLike[str],
    svg_path: str | os.PathLike[str],
    *,
    page_width: int = PAGE_WIDTH,
    page_height: int = PAGE_HEIGHT,
) -> Path:
    """Engrave the MusicXML file as one SVG at `svg_path` (atomically; all pages stacked); returns `svg_path`."""
    svg_path = Path(svg_path)
    pages = render_svg_pages(musicxml_path, page_width=page_width, page_height=page_height)
    text = stack_pages(pages)
    if not text.startswith("<?xml"):
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    atomic_write_text(svg_path, text)
    return svg_path
