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

import os
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
        }
    )
    return tk


def render_svg_pages(
    musicxml_path: str | os.PathLike[str], *, page_width: int = PAGE_WIDTH, page_height: int = PAGE_HEIGHT
) -> list[str]:
    """One SVG document (text) per engraved page of the MusicXML file."""
    path = Path(musicxml_path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such MusicXML file")
    tk = _toolkit(page_width, page_height)
    # loadData, not loadFile: verovio guesses the input format from the content either way,
    # and reading it here gives a Python error (with the path) for unreadable files.
    if not tk.loadData(path.read_text(encoding="utf-8")) or tk.getPageCount() < 1:
        log = (tk.getLog() or "").strip()
        raise ValueError(f"{path}: verovio could not engrave this file" + (f": {log}" if log else ""))
    return [tk.renderToSVG(page) for page in range(1, tk.getPageCount() + 1)]


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
