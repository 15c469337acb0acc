"""MusicXML reader (.musicxml, .xml, .mxl) through music21 (~0.1 s a lead sheet).

music21 parses XML with xml.etree (no external entities or DTD fetching) and never opens a
URL for a local path; we hand it the bytes of a checked local file. `<harmony>` elements
become ChordSymbols with canonical figures ("Dm7", "G7", "Cmaj7", "Bb7", "C/E"); the first
part is the melody unless part names say otherwise. A transposing instrument's part (a B-flat
clarinet's `<transpose>`) is read at sounding pitch, `meta["sounding_pitch"]` naming it. Grace
notes and lyrics are not read; `meta["left_out"]` counts them ({"grace note(s)": 6}). A drum
set's `<unpitched>` notes become a drum track (General MIDI keys); a guitar's TAB staff beside
its notation staff is left out (the same notes again). Measures of unequal lengths in the parts
are laid out together, as notation programs show them (`meta["measures_aligned"]`).

Repeats are expanded with music21's `expandRepeats()` (repeat barlines, volta endings): the
piece holds the music as played, `meta["repeats_expanded"] = True`. Should music21 refuse or
fail (a malformed repeat structure), the score is read as written and the flag is False.
`meta["sections"]` is the form, [first_bar, last_bar_exclusive, label] as in the ABC reader:
a section starts at the beginning, at each jump back, at the first bar of a repeated span and
after a finished repeat or final ending; passes of the same span share a label (A A B B).
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
import zlib
from typing import Any

from ..convert import from_music21
from ..limits import check_musicxml_tree, check_mxl_archive, check_piece
from ..score import Piece
from . import InputError, check_local_file, name_text, piece_stem


def _xml_bytes(p) -> bytes:
    data = p.read_bytes()
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                check_mxl_archive(str(p), z)  # unpacked size, ratio, compression: before any read
                names = [n for n in z.namelist() if not n.startswith("META-INF") and n.lower().endswith((".xml", ".musicxml"))]
                container = z.read("META-INF/container.xml").decode("utf-8", "replace") if "META-INF/container.xml" in z.namelist() else ""
                import re

                m = re.search(r'full-path="([^"]+)"', container)
                name = m.group(1) if m and m.group(1) in z.namelist() else (names[0] if names else None)
                if name is None:
                    raise InputError(f"{p}: .mxl archive holds no MusicXML file")
                return z.read(name)
        except zipfile.BadZipFile as e:
            raise InputError(f"{p}: corrupt .mxl archive ({e})") from e
        except (zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as e:
            raise InputError(f"{p}: corrupt or unsupported .mxl compression ({type(e).__name__}: {e})") from e
    return data


def _alter_text(el) -> str:
    if el is None or not (el.text or "").strip():
        return ""
    try:
        alter = int(round(float(el.text)))
    except ValueError:
        return ""
    return "#" * alter if alter > 0 else "b" * -alter


def harmony_figure(h) -> str | None:
    """Canonical figure of a MusicXML <harmony> element ("N.C." for kind none; None if unreadable)."""
    from ..convert import M21_KIND_TO_QUALITY
    from ..harmony import first_figure

    kind_el = h.find("kind")
    kind = (kind_el.text or "").strip() if kind_el is not None else ""
    if kind == "none":
        return "N.C."
    step = h.find("root/root-step")
    if step is None or not (step.text or "").strip():
        return None
    root = step.text.strip() + _alter_text(h.find("root/root-alter"))
    bass = ""
    bass_step = h.find("bass/bass-step")
    if bass_step is not None and (bass_step.text or "").strip():
        bass = "/" + bass_step.text.strip() + _alter_text(h.find("bass/bass-alter"))
    degrees = ""
    values = []
    for d in h.findall("degree"):
        value = (d.findtext("degree-value") or "").strip()
        dtype = (d.findtext("degree-type") or "add").strip()
        acc = _alter_text(d.find("degree-alter"))
        if value and dtype != "subtract":
            degrees += ("add" if dtype == "add" and not acc and value in ("2", "4", "9") else "") + acc + value
            values.append(value)
    text = (kind_el.get("text") or "").strip() if kind_el is not None else ""
    quality = M21_KIND_TO_QUALITY.get(kind)
    candidates = []
    if text and degrees and not all(v in text for v in values):
        # the kind's text names the kind only ("7"), the <degree>s are shown after it, as Finale
        # and MuseScore write a G7(b9) or a G7(#5): the text alone had read them as plain G7
        candidates += [root + text + degrees + bass, root + text + bass]
    elif text:  # the text spells the degrees itself ("7(b9)", "add9", "6/9")
        candidates += [root + text + bass, root + text + degrees + bass]
    if quality is not None:
        candidates += [root + quality + degrees + bass, root + quality + bass]
    return first_figure(candidates)


def _harmonies_to_words(root) -> None:
    """Replace each <harmony> by a <direction> whose words carry the figure (same position,
    same <offset>): music21 then skips its slow ChordSymbol realisation (~7 ms a chord)."""
    from xml.etree.ElementTree import Element, SubElement

    from ..convert import CHORD_WORDS_MARK

    todo = []
    for parent in root.iter():
        for i, child in enumerate(list(parent)):
            if child.tag == "harmony":
                todo.append((parent, i, child))
    for parent, i, child in reversed(todo):
        figure = harmony_figure(child)
        parent.remove(child)
        if figure is None:
            continue
        d = Element("direction")
        w = SubElement(SubElement(d, "direction-type"), "words")
        w.text = CHORD_WORDS_MARK + figure
        offset = child.find("offset")
        if offset is not None:
            SubElement(d, "offset").text = offset.text
        parent.insert(i, d)


_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def _unpitched_to_drum_keys(root) -> set[str]:
    """Each percussion note (`<unpitched>`, a drum set's) given the pitch of its General MIDI drum
    key, as the part list maps its `<instrument>` (`<midi-unpitched>`, 1-based), else its staff
    position; returns the ids of the parts that hold them, to be read as drum tracks. music21's
    Unpitched notes had failed the whole file ("'Unpitched' object has no attribute 'pitch'")."""
    from xml.etree.ElementTree import Element, SubElement

    keys: dict[str, int] = {}
    for mi in root.iter("midi-instrument"):
        text = (mi.findtext("midi-unpitched") or "").strip()
        if text.isdigit() and 1 <= int(text) <= 128:
            keys[mi.get("id", "")] = int(text) - 1
    parts = set()
    for part in root.iter("part"):
        for note in part.iter("note"):
            unpitched = note.find("unpitched")
            if unpitched is None:
                continue
            inst = note.find("instrument")
            key = keys.get(inst.get("id", "") if inst is not None else "")
            if key is None:  # no drum key named: the note's staff position (a sound, if not the drum's)
                step = (unpitched.findtext("display-step") or "").strip().upper()
                octave = (unpitched.findtext("display-octave") or "").strip()
                name = step if len(step) == 1 and step in "CDEFGAB" else "C"
                octave = octave if octave.isdigit() else "4"
            else:
                name, octave = _SHARP_NAMES[key % 12], str(key // 12 - 1)
            pitch = Element("pitch")
            SubElement(pitch, "step").text = name[0]
            if name.endswith("#"):
                SubElement(pitch, "alter").text = "1"
            SubElement(pitch, "octave").text = octave
            i = list(note).index(unpitched)
            note.remove(unpitched)
            note.insert(i, pitch)
            parts.add(part.get("id", ""))
    return parts


def _drop_tab_staves(s) -> None:
    """A TAB staff that shadows its part's notation staff (a guitar with standard notation and
    tablature, as MuseScore and Guitar Pro export it: the same notes twice, with string and fret)
    left out: it had been read as a second, identical guitar track. A part written in TAB alone
    is kept."""
    from music21 import clef, stream

    def is_tab(staff) -> bool:
        return isinstance(staff.recurse().getElementsByClass(clef.Clef).first(), clef.TabClef)

    staves = [p for p in s.parts if isinstance(p, stream.PartStaff)]
    for staff in staves:
        group = _xml_part_id(staff)
        siblings = [q for q in staves if q is not staff and _xml_part_id(q) == group]
        if group is not None and is_tab(staff) and any(not is_tab(q) for q in siblings):
            s.remove(staff)


def _align_measures(s) -> list[str]:
    """Every part's measure j made as long as the longest one played there (a rest added at its
    end), and a measure of rests alone as long as that: a notation program lays out a score's
    measures together, where music21 lays each part's measures end to end. A part with one
    short measure (a hand-edited export) had run a beat ahead of the others from there on, and a
    part whose pickup measure holds a whole bar's rest had put the melody's pickup a bar early
    against it. Returns "measure 2 (Cello 3 beats, Flute 4)" for each measure changed."""
    from music21 import note, stream

    parts = list(s.parts)
    measures = [list(part.getElementsByClass(stream.Measure)) for part in parts]
    if len(parts) < 2 or not all(measures):
        return []
    said, changed = [], set()
    for j in range(min(len(ms) for ms in measures)):
        lengths = [float(ms[j].duration.quarterLength) for ms in measures]
        if max(lengths) - min(lengths) < 1e-6:
            continue
        played = [i for i, ms in enumerate(measures) if ms[j].recurse().notes.first() is not None]
        target = max(lengths[i] for i in played) if played else lengths[0]
        padded = False  # a played measure made longer: worth a word (a pickup's whole-bar rests are not)
        for i, ms in enumerate(measures):
            m, length = ms[j], lengths[i]
            if abs(length - target) < 1e-6:
                continue
            if i not in played:  # rests alone: one rest the length of the measure as played
                for r in list(m.recurse().notesAndRests):
                    r.activeSite.remove(r)
                m.insert(0, note.Rest(quarterLength=target))
            else:
                m.insert(length, note.Rest(quarterLength=target - length))
                padded = True
            changed.add(i)
        if padded:
            number = getattr(measures[0][j], "number", j + 1)
            beats = ", ".join(f"{_part_name(part, i)} {lengths[i]:g} beats" for i, part in enumerate(parts))
            said.append(f"measure {number} ({beats})")
    for i in changed:
        offset = float(measures[i][0].offset)
        for m in measures[i]:
            parts[i].setElementOffset(m, offset)
            offset += float(m.duration.quarterLength)
        parts[i].coreElementsChanged()
    return said


def _part_name(part, i: int) -> str:
    return (getattr(part, "partName", None) or f"part {i + 1}").strip()


def _xml_part_id(part) -> str | None:
    """The MusicXML id (`<part id="P2">`) of a music21 part or staff: music21 names a one-staff
    part by its part name, a staff of a piano's or a guitar's part "P1-Staff2"."""
    inst = part.getInstrument(returnDefault=False)
    return getattr(inst, "partId", None)


def _add_drum_tracks(piece: Piece, parts: list) -> None:
    """The percussion parts (their notes at General MIDI drum keys, `_unpitched_to_drum_keys`) as
    drum tracks of `piece`: MIDI channel 10, role "other", never the melody."""
    from music21 import stream

    drummed = from_music21(stream.Score(parts))
    for track in drummed.tracks:
        track.is_drum, track.role, track.program = True, "other", 0
        piece.tracks.append(track)
    piece.end = max(piece.end, drummed.end)


def _utf8(p, data: bytes) -> bytes:
    """A UTF-16 MusicXML file (with its byte-order mark, as some notation programs save it) as
    UTF-8, its declaration saying so: co-create had refused one as "does not start with '<'"."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as e:
        raise InputError(f"{p}: not UTF-16 text after its UTF-16 byte-order mark ({e.reason})") from None
    text = re.sub(r"""^(\s*<\?xml[^>]*?encoding=)["'][^"']*["']""", r'\1"UTF-8"', text.lstrip("\ufeff"), count=1)
    return text.encode("utf-8")


def _check_xml(p, data: bytes):
    import defusedxml.ElementTree as DET

    head = data[:2048].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not head.startswith("<"):
        raise InputError(f"{p}: not a MusicXML file (does not start with '<')")
    try:
        root = DET.fromstring(data)  # safe parse: refuses entity expansion / external DTDs
    except DET.ParseError as e:
        raise InputError(f"{p}: malformed XML ({e})") from e
    except Exception as e:  # noqa: BLE001 - defusedxml's DTD/entity refusals
        # said in a musician's words; the parser's own ("EntitiesForbidden(name='a', ...)") follow
        why = {"EntitiesForbidden": "it declares XML entities (text that expands, or a file or address it "
                                    "points to), which tunesmith does not expand or fetch",
               "ExternalReferenceForbidden": "it refers to an outside file or address, which tunesmith does not fetch",
               "DTDForbidden": "it carries a document type definition, which tunesmith does not read"}.get(
                   type(e).__name__, "it is not plain MusicXML")  # fmt: skip
        raise InputError(f"{p}: unsafe or invalid XML: {why} ({type(e).__name__})") from e
    if root.tag not in ("score-partwise", "score-timewise"):
        raise InputError(f"{p}: XML root is <{root.tag}>, not a MusicXML score")
    return root


def _partwise(root):
    """A `score-timewise` score (measures holding parts) as `score-partwise` (parts holding
    measures), the one music21 reads: the same elements regrouped, as MusicXML's own XSLT does.
    It had been refused in music21's words ("Cannot parse MusicXML files not in score-partwise")."""
    from xml.etree.ElementTree import Element

    out = Element("score-partwise", root.attrib)
    parts: dict[str, Element] = {}
    for child in root:
        if child.tag != "measure":
            out.append(child)  # work, identification, defaults, credits, part-list
            continue
        for part in child.findall("part"):
            pid = part.get("id", "")
            if pid not in parts:
                parts[pid] = Element("part", {"id": pid})
            measure = Element("measure", child.attrib)
            measure.extend(list(part))
            parts[pid].append(measure)
    out.extend(parts.values())
    return out


def _repeat_signs(part) -> list[tuple[int, str | None, str | None]]:
    """A part's repeat barlines: (measure index, left direction, right direction) where any."""
    out = []
    for i, m in enumerate(part.getElementsByClass("Measure")):
        left, right = getattr(m.leftBarline, "direction", None), getattr(m.rightBarline, "direction", None)
        if left or right:
            out.append((i, left, right))
    return out


def _expand_repeats(s):
    """(score as played, expanded?, sections, why not). Never raises: the written score on failure,
    with the reason (`why not`: None when expanded or there was nothing to expand)."""
    from music21 import repeat, spanner

    measures: list = []
    try:
        measures = list(s.parts[0].getElementsByClass("Measure")) if s.parts else []
        for i, m in enumerate(measures):
            m.tunesmithIndex = i
        ending_ends = set()
        for rb in s.parts[0].spannerBundle.getByClass(spanner.RepeatBracket) if measures else []:
            spanned = [getattr(x, "tunesmithIndex", None) for x in rb.getSpannedElements()]
            spanned = [x for x in spanned if x is not None]
            if spanned:
                ending_ends.add(max(spanned))
        has_repeats = any(
            getattr(b, "direction", None) in ("start", "end")
            for m in measures for b in (m.leftBarline, m.rightBarline) if b is not None
        )
        # D.C. / D.S. (al Fine, al Coda): music21 expands them as it expands repeat barlines (a
        # score with "D.C. al Fine" and no repeat sign had been read straight through)
        jumps = bool(s.parts) and s.parts[0].recurse().getElementsByClass(repeat.RepeatExpressionCommand).first() is not None
        signs = [_repeat_signs(part) for part in s.parts]
        if any(x != signs[0] for x in signs[1:]):
            # one part repeating and another not would put them out of step (a melody played
            # twice over its chords once): read as written, and said
            which = next(i for i, x in enumerate(signs) if x != signs[0])
            return s, False, [[0, len(measures), "A"]], f"part {which + 1}'s repeat signs differ from part 1's"
        if not has_repeats and not jumps:
            return s, True, [[0, len(measures), "A"]] if measures else [], None
        for part in s.parts:
            _close_open_repeats(part)
        e = s.expandRepeats()
        order = [getattr(m, "tunesmithIndex", -1) for m in e.parts[0].getElementsByClass("Measure")]
        if not order or -1 in order or set(order) != set(range(len(measures))):
            return s, False, [[0, len(measures), "A"]], "they leave measures unplayed or out of order"
    except Exception as exc:  # noqa: BLE001 - music21 raises ExpanderException and others on odd repeats
        detail = (str(exc).splitlines() or [""])[0][:120]
        return s, False, [[0, len(measures), "A"]] if measures else [], f"music21 cannot follow them: {detail or type(exc).__name__}"
    sources = {order[q - 1] for q in range(1, len(order)) if order[q] <= order[q - 1]}
    targets = {order[q] for q in range(1, len(order)) if order[q] <= order[q - 1]}
    starts = [0] + [
        q for q in range(1, len(order))
        if order[q] <= order[q - 1] or order[q] in targets
        or (order[q] > order[q - 1] and (order[q - 1] in sources or order[q - 1] in ending_ends))
    ]
    first = order[0]
    if len(starts) > 1 and starts[1] == 1 and _is_pickup(measures[order[0]]):
        # a pickup before the first repeat sign belongs to the first strain (as the ABC reader
        # has it), which is named by its first whole bar: an AABB tune had read as A B B C C, its
        # pickup a section of its own
        starts.pop(1)
        first = order[1]
    labels: dict[int, str] = {}
    sections = []
    for a, b in zip(starts, [*starts[1:], len(order)]):
        key = first if a == 0 else order[a]
        labels.setdefault(key, chr(ord("A") + len(labels)) if len(labels) < 26 else f"S{len(labels)}")
        sections.append([a, b, labels[key]])
    return e, True, sections, None


def _close_open_repeats(part) -> None:
    """A backward repeat with no forward repeat since the backward repeat before it goes back to
    just after that one, as players (and the ABC reader) take it: `A :| B :| C` plays A A B B C,
    where music21 went back to the start each time (A A B A A B C): a forward repeat is written
    in. Left alone where the part has endings (their own rules decide where a repeat returns) or
    any forward repeat (nested repeats)."""
    from music21 import bar, spanner

    if part.spannerBundle.getByClass(spanner.RepeatBracket):
        return
    measures = list(part.getElementsByClass("Measure"))
    if any(getattr(m.leftBarline, "direction", None) == "start" for m in measures):
        return  # forward repeats written: nested or paired as the score has them, music21 follows them
    after_end = None  # the measure after the last backward repeat
    for i, m in enumerate(measures):
        if getattr(m.rightBarline, "direction", None) == "end":
            if after_end is not None:
                measures[after_end].leftBarline = bar.Repeat(direction="start")
            after_end = i + 1 if i + 1 < len(measures) else None


def _to_sounding_pitch(s) -> list[tuple[str, Any, str]]:
    """Parts of a transposing instrument (a B-flat clarinet, an E-flat alto sax: `<transpose>`,
    written a major second or a major sixth above the sound) put at sounding pitch, their key
    signatures with them; returns "Bb Clarinet (written a major second higher)" for each. music21
    reads such a part as written: Weber's clarinet was read in F major, a tone above the piano it
    plays with, and the take named that key. A transposition by whole octaves (a guitar, a tenor
    voice written an octave up) is left as written: key and harmony are the same, and the score
    keeps the register the musician reads. Returns (what to say, the part, its transposition's
    music21 name: "M-2" for a B-flat instrument) per part."""
    said = []
    for i, part in enumerate(getattr(s, "parts", [])):
        if part.atSoundingPitch is not False:
            continue
        inst = part.getInstrument(returnDefault=False)
        interval = getattr(inst, "transposition", None)
        if interval is None or interval.semitones % 12 == 0:
            continue
        try:
            part.toSoundingPitch(inPlace=True)
        except Exception:  # noqa: BLE001 - music21 on an odd part: read as written, as before
            continue
        name = (getattr(part, "partName", None) or getattr(inst, "instrumentName", None) or f"part {i + 1}").strip()
        direction = "higher" if interval.semitones < 0 else "lower"  # the written part lies opposite the sound
        said.append((f"{name} (written a {interval.niceName.lower()} {direction})", part, interval.directedName))
    return said


def _written_transpositions(s, piece: Piece, transposed: list[tuple[str, Any, str]]) -> dict[str, str]:
    """{track name: transposition} for the transposed parts, so that a take writes their parts as
    the input did (`convert.notation.to_music21`). The tracks are the parts that hold notes, in
    order (`from_music21`); nothing when that does not line up."""
    from music21 import harmony as m21harmony

    def has_notes(part) -> bool:
        return any(not isinstance(n, m21harmony.Harmony) and not n.duration.isGrace for n in part.recurse().notes)

    with_notes = [part for part in s.parts if has_notes(part)]
    pitched = [t for t in piece.tracks if not t.is_drum]
    if len(with_notes) != len(pitched):
        return {}
    by_part = {part.id: name for _, part, name in transposed}  # the id survives expandRepeats' copies
    return {t.name: by_part[part.id] for part, t in zip(with_notes, pitched) if part.id in by_part}


def _is_pickup(measure) -> bool:
    """Whether a music21 measure is shorter than its meter's bar (an anacrusis)."""
    try:
        return float(measure.duration.quarterLength) < float(measure.barDuration.quarterLength) - 1e-6
    except Exception:  # noqa: BLE001 - a measure without a meter
        return False


def read_musicxml(path: str | os.PathLike, *, source: str = "", style: str = "", license: str = "unknown") -> list[Piece]:
    """One Piece for a MusicXML / compressed MusicXML file."""
    from music21 import converter

    p = check_local_file(path)
    data = _utf8(p, _xml_bytes(p))
    root = _check_xml(p, data)
    check_musicxml_tree(str(p), root)  # depth, <fifths>, <beats>, <divisions>, sizes: before music21
    # what a Piece does not hold, counted so that co-create can say the take leaves it out
    left_out = {"grace note(s)": sum(1 for n in root.iter("note") if n.find("grace") is not None),
                "lyric syllable(s)": sum(1 for _ in root.iter("lyric"))}  # fmt: skip
    timewise = root.tag == "score-timewise"
    if timewise:
        root = _partwise(root)
    drum_parts = _unpitched_to_drum_keys(root) if root.find(".//unpitched") is not None else set()
    if root.find(".//harmony") is not None or drum_parts or timewise:
        from xml.etree.ElementTree import tostring

        _harmonies_to_words(root)
        data = tostring(root, encoding="unicode").encode("utf-8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = converter.parseData(data.decode("utf-8", "replace").lstrip("\ufeff"), format="musicxml")
    except Exception as e:  # noqa: BLE001
        raise InputError(f"{p}: music21 could not read the MusicXML ({type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''})") from e
    _drop_tab_staves(s)
    aligned = _align_measures(s)
    transposed = _to_sounding_pitch(s)
    s, expanded, sections, why_not = _expand_repeats(s)
    stem = piece_stem(p, source)
    drums = [part for part in s.parts if _xml_part_id(part) in drum_parts]
    for part in drums:  # read apart, as drum tracks: a drum set's notes are not a melody
        s.remove(part)
    piece = from_music21(
        s, piece_id=stem, work_id=stem, path=str(p), source=source, style=style, license=license, meta={"file": p.name}
    )
    if drums:
        _add_drum_tracks(piece, drums)
    if not piece.title or piece.title.lower() in ("", "title", "untitled", "music21"):
        piece.title = name_text(p.stem)
    piece.meta["repeats_expanded"] = expanded
    piece.meta["sections"] = sections
    if why_not:  # the repeat signs were there but not followed: read as written, and the verbs say so
        piece.meta["repeats_not_followed"] = why_not
    left_out = {k: v for k, v in left_out.items() if v}
    if left_out:
        piece.meta["left_out"] = left_out
    if aligned:  # measures of unequal lengths in the parts, laid out together
        piece.meta["measures_aligned"] = aligned
    if transposed:  # read at sounding pitch, a take's part written as the input's was: the verbs say so
        piece.meta["sounding_pitch"] = [said for said, _, _ in transposed]
        written = _written_transpositions(s, piece, transposed)
        if written:
            piece.meta["written_transpositions"] = written
    if not piece.tracks and not piece.chords:
        raise InputError(f"{p}: MusicXML score has no notes")
    check_piece(piece, str(p))
    return [piece]
