"""`tunesmith check FILE`: which indexed works a piece resembles, where, and a verdict; `tunesmith
check FILE FILE ...` or a folder: a line for each, then how many of each verdict."""

from __future__ import annotations

import argparse
import time

HELP = "check a piece against the model's training set, the corpus or a folder: nearest works and a verdict"


def _bars(span) -> str:
    """'bars 4-7', or 'bar 23' for one bar (a teacher had read "bars 23-23 there")."""
    first, last = span
    return f"bar {first}" if first == last else f"bars {first}-{last}"


def shown_score(score: float, calibration: dict) -> str:
    """`score` to one decimal, or, where that would read as on a threshold it is under, cut (not
    rounded) to two: 20.956 under close 21.0 had read "clear (score 21.0; close >= 21.0"."""
    import math

    thresholds = [t for t in (calibration.get("close"), calibration.get("copy")) if t is not None]
    if any(score < t <= round(score, 1) for t in thresholds):
        return f"{math.floor(score * 100) / 100:.2f}"
    return f"{score:.1f}"


def not_counted_resembles(piece, index, result, given, exclude: set[str] | None = None) -> dict | None:
    """Where the part not counted (the musician's, by the file's own record or --given) is itself
    nearer a work than the rest: that work, its score and verdict; else None. A Nottingham tune
    continued had read "clear", with nothing said of the 32 bars of it the take began with."""
    from tunesmith.rights.check import VERDICTS, check_piece

    if not given:
        return None
    whole = check_piece(piece, index, top=1, exclude_work_ids=exclude)
    if VERDICTS.index(whole.verdict) <= VERDICTS.index(result.verdict) or not whole.matches:
        return None
    work = whole.nearest()[0]
    return {**{k: work.get(k) for k in ("title", "work_id", "source", "license", "rights_basis")},
            "score": round(whole.score, 1), "verdict": whole.verdict}  # fmt: skip


def worst_verdict(verdict: str, resembles: dict | None) -> str:
    """The verdict `--fail-on` weighs: the new music's, or that of the part not counted by the file's
    own record where it is worse (a continued training tune is a copy in the file, whoever wrote its
    new bars: a folder check of a clearance officer's takes had passed `--fail-on copy`)."""
    from tunesmith.rights.check import VERDICTS

    if resembles and VERDICTS.index(resembles["verdict"]) > VERDICTS.index(verdict):
        return resembles["verdict"]
    return verdict


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="+",
                        help="MIDI, MusicXML, ABC or kern file to check; several, or a folder (its music files, "
                        "not its subfolders): a line for each and a summary")  # fmt: skip
    parser.add_argument("--against", default="model",
                        help="model (the shipped model's training set, default), corpus (every corpus work) or a folder")  # fmt: skip
    parser.add_argument("--model", default="default", help="with --against model: the model whose index to use")
    parser.add_argument("--tune", type=int, default=1, help="which tune of a file with several (1-based)")
    parser.add_argument("--top", type=int, default=3, help="how many nearest works to list (default 3)")
    parser.add_argument("--given", default=None,
                        help="a file of your own music that this piece builds on: its notes are not counted (a file "
                        "tunesmith co-created says itself which of its notes were yours)")  # fmt: skip
    parser.add_argument("--count-all", action="store_true",
                        help="count every note, also those a co-created file's own record says were the musician's")
    parser.add_argument("--trust-record", action="store_true",
                        help="leave out the notes a co-created file's record says were the musician's even where "
                        "this installation did not sign that record (made elsewhere, or by an older tunesmith)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object (errors too)")
    parser.add_argument("--fail-on", choices=("close", "copy"), type=str.lower, default=None,
                        help="exit with status 1 when the verdict is this or worse (for scripts; the result is printed as usual)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    import json
    import os
    from pathlib import Path

    from tunesmith.api import read
    from tunesmith.inputs import refuse_url
    from tunesmith.rights.check import (
        VERDICTS,
        check_piece,
        itself_in,
        refuse_without_melody,
        resolve_index,
        verdict_of,
        work_usage,
    )

    if not 1 <= args.top <= 20:
        raise ValueError(f"--top must be 1..20, got {args.top}")
    if args.against.lower() in ("model", "corpus") and not os.path.isdir(args.against):
        # any case, as choices take it: `--against Corpus` had been looked for as a folder
        args.against = args.against.lower()
    if args.model != "default" and args.against != "model":  # it had been passed over without a word
        raise ValueError(f"--model names the model whose training set to check against: use it with --against model, "
                         f"not --against {args.against}")  # fmt: skip
    batch = len(args.file) > 1 or os.path.isdir(args.file[0])
    if batch:
        return _run_batch(args)
    path = Path(refuse_url(args.file[0]))
    if not os.path.lexists(path):
        raise FileNotFoundError(f"{path}: no such file to check")
    piece = read(path, tune=args.tune)
    refuse_without_melody(piece)
    given, own, counted, record_status = None, None, None, None
    if args.given is not None:
        from tunesmith.rights.features import given_notes

        given, own = given_notes(read(args.given)), f"the notes of {Path(args.given).name}"
    else:
        given, own, counted, record_status = _musicians_part(path, piece, args)
    t0 = time.perf_counter()
    try:
        index = resolve_index(args.against, model=args.model)
    except ValueError as exc:
        if args.against != "model" or args.model in (None, "default"):
            raise
        # the folder named: "similarity_index.npz: unreadable similarity index" had not said which model's
        raise ValueError(f"{args.model}: {exc}") from None
    load_s = time.perf_counter() - t0
    itself = itself_in(args.against, path, index)  # (a file in the folder it is checked against)
    result = check_piece(piece, index, top=args.top, given=given, exclude_work_ids=itself)
    out = {"file": path.name, **result.to_dict(), "load_seconds": round(load_s, 3), "not_counted": own}
    # the track read as the melody where no name says which: the single line over the first track's
    # chords, as the file was read (`inputs.midi._melody_by_lines`), or the nearest of several
    chosen = (piece.meta.get("melody_by_lines") or {}).get("melody")
    if result.track is None and chosen is not None:
        out["track"] = chosen
    if "abc_ref" in piece.meta:  # one tune of an ABC book is checked: `check morris.abc` had read as the whole book
        from tunesmith.inputs import read_text
        from tunesmith.inputs.abc import split_tunes

        tunes = len(split_tunes(read_text(path))[1])
        if tunes > 1:
            out["tune"] = {"number": args.tune, "of": tunes, "title": piece.title}
    if record_status:  # what the file's record of the musician's notes is worth ("signed here", "unsigned", ...)
        out["musicians_record"] = record_status
    if counted:
        out["counted"] = counted
    resembles = not_counted_resembles(piece, index, result, given, itself)
    if resembles:
        out["not_counted_resembles"] = resembles
    skipped = index.info.get("skipped") or []
    if args.against not in (None, "model", "corpus"):
        out["not_read"] = skipped  # files of the folder that could not be read, each with why
    # (--given vouches that those notes are the musician's own: they weigh nothing; a file's record says
    # only which notes were given to tunesmith, whoever wrote them)
    weighed = worst_verdict(result.verdict, resembles if args.given is None else None)
    failed = args.fail_on is not None and VERDICTS.index(weighed) >= VERDICTS.index(args.fail_on)
    if args.json:
        print(json.dumps(out, indent=1))
        return 1 if failed else 0
    print(f"{path.name}: {result.verdict} (score {shown_score(result.score, result.calibration)}; close >= {out['thresholds']['close']}, "
          f"copy >= {out['thresholds']['copy']}) against {index.info.get('name') or args.against}, {len(index)} works")  # fmt: skip
    if out.get("track") is not None:  # no track is named the melody: the one read as it is said
        print(f"  (the melody read from the track {out['track']!r}: no track is named the melody)")
    if out.get("tune"):
        print(f"  (tune {args.tune} of the {out['tune']['of']} in the file, {piece.title or 'untitled'}; "
              "--tune N checks another)")  # fmt: skip
    if result.verdict == "clear":  # a famous tune the index does not hold reads clear too: said, as --json says it
        print(f"  {out['usage']}")
    if out["index"].get("thresholds_from"):  # a passage scores by how rare its figures are among the indexed works
        print(f"  (thresholds: {out['index']['thresholds_from']}; a figure weighs by how rare it is among the works "
              "indexed, so the same piece may score otherwise against another index)")  # fmt: skip
    for i, m in enumerate(out["nearest"], 1):
        by = f" by {', '.join(m['composers'])}" if m.get("composers") else ""
        # "whole": 90 % or more of the work's melodic intervals exact (`rights.check.WHOLE_WORK_SHARE`),
        # not every note: Soldiers' Joy with 4 pitches changed had been called "note for note"
        verdict = "copy: the whole work, 90 % or more of its melody note for note" if m.get("whole_work") else m["verdict"]
        print(f"  {i}. {m['title'] or m['work_id']}{by} [{m['source']}, {m['license']}] score {shown_score(m['score'], result.calibration)} ({verdict}): "
              f"{_bars(m['bars'])} here ~ {_bars(m['work_bars'])} there")  # fmt: skip
        for more in m.get("more_passages", ()):
            print(f"     and {_bars(more['bars'])} here ~ {_bars(more['work_bars'])} "
                  f"there (score {shown_score(more['score'], result.calibration)}, {verdict_of(more['score'], result.calibration)})")  # fmt: skip
        if m.get("usage"):
            print(f"     {m['usage']}")
    if own:
        print(f"  (your own music is not counted: {own})")
    if counted:
        print(f"  ({counted})")
    near = out.get("not_counted_resembles")
    if near:
        print(f"  but that part is {'a copy of' if near['verdict'] == 'copy' else 'close to'} "
              f"{near['title'] or near['work_id']} [{near['source']}, {near['license']}] (score {shown_score(near['score'], result.calibration)}): "
              f"if it is not your own, for those bars: {work_usage(near['license'], near.get('rights_basis'))}")  # fmt: skip
    if any(m.get("usage") for m in out["nearest"]) or near:  # (the lines that say what a license allows)
        print(f"  (what a license allows, above, is {out['reading']})")
    if skipped:
        shown = "; ".join(skipped[:3]) + (f"; and {len(skipped) - 3} more (--json lists them)" if len(skipped) > 3 else "")
        print(f"  not read from the folder: {len(skipped)} file(s): {shown}")
    if piece.meta.get("navigation_not_followed"):
        print(f"  (its jumps or play order were not followed: {piece.meta['navigation_not_followed']}; read as written)")
    if piece.meta.get("repeats_not_followed"):
        print(f"  (its repeat signs were not followed: {piece.meta['repeats_not_followed']}; read as written, once through)")
    if not out["nearest"]:
        print("  no indexed work shares a melodic figure with it")
    else:
        from tunesmith.inputs import played_repeat_labels

        labels = played_repeat_labels(piece)
        if labels:
            # a score with repeat signs is read as played: its bar numbers are not the score's
            print(f"  (bars as played, its repeats written out: {' '.join(labels)}"
                  f"{'; the pickup is bar 0' if piece.pickup_beats() > 0 else ''})")  # fmt: skip
        elif piece.pickup_beats() > 0:
            print("  (bars as the score numbers them: the pickup is bar 0)")
    if out.get("too_short"):
        print(f"  ({out['too_short']})")
    return 1 if failed else 0


def batch_files(names: list[str]) -> list:
    """The files `check` goes through for `names`: each file as given (one that is not there too:
    it is said in its line), each folder's music files, one per take (`rights.check.music_files`:
    a take's MusicXML, not also its MIDI; its JSON, SVG and WAV are left alone). ValueError for a
    folder with no music file in it."""
    import os
    from pathlib import Path

    from tunesmith.inputs import refuse_url
    from tunesmith.rights.check import MUSIC_SUFFIXES, music_files

    out = []
    for name in names:
        path = Path(refuse_url(name))
        if os.path.isdir(path):
            found = music_files(path, "to check")
            if not found:
                raise ValueError(f"{path}: no music file to check in this folder ({', '.join(MUSIC_SUFFIXES)})")
            out += found
        else:
            out.append(path)
    return out


def _run_batch(args: argparse.Namespace) -> int:
    """Several files (or a folder): each checked against one index, loaded once; a file that is
    not there, cannot be read or checked is said in one line and the others go on. Exit status: 2
    where a file could not be checked, else 1 where `--fail-on` is met by any, else 0."""
    import json
    import os

    from tunesmith.api import read
    from tunesmith.rights.check import (
        VERDICTS,
        calibration_of,
        check_piece,
        itself_in,
        refuse_without_melody,
        resolve_index,  # fmt: skip
    )

    if args.given is not None:
        raise ValueError("--given names your own music for one file: check the files one at a time with it")
    paths = batch_files(args.file)
    t0 = time.perf_counter()
    index = resolve_index(args.against, model=args.model)
    load_s = time.perf_counter() - t0
    rows: list[dict] = []
    for path in paths:
        try:
            if not os.path.lexists(path):
                raise FileNotFoundError(f"{path}: no such file to check")
            piece = read(path, tune=args.tune)
            refuse_without_melody(piece)
            given, own, _, _ = _musicians_part(path, piece, args)
            itself = itself_in(args.against, path, index)
            result = check_piece(piece, index, top=args.top, given=given, exclude_work_ids=itself)
        except (ValueError, OSError) as exc:  # (one file's problem: said, and the others go on)
            said = " ".join(str(exc).split())
            said = said[len(str(path)) + 2 :] if said.startswith(f"{path}: ") else said  # (the file is named once)
            rows.append({"file": str(path), "error": said})
            continue
        row = {"file": str(path), "verdict": result.verdict, "score": round(result.score, 1),
               "nearest": result.to_dict()["nearest"]}  # fmt: skip
        if own:
            row["not_counted"] = own
        resembles = not_counted_resembles(piece, index, result, given, itself)
        if resembles:
            row["not_counted_resembles"] = resembles
        rows.append(row)
    counts = {v: sum(1 for r in rows if r.get("verdict") == v) for v in VERDICTS}
    errors = sum(1 for r in rows if "error" in r)
    failed = args.fail_on is not None and any(
        VERDICTS.index(worst_verdict(r["verdict"], r.get("not_counted_resembles"))) >= VERDICTS.index(args.fail_on)
        for r in rows if "verdict" in r)  # fmt: skip
    status = 2 if errors else 1 if failed else 0
    summary = {**counts, "not_checked": errors, "files": len(rows)}
    if args.json:
        print(json.dumps({"against": index.info.get("name") or args.against, "works": len(index),
                          "load_seconds": round(load_s, 3), "files": rows, "summary": summary}, indent=1))  # fmt: skip
        return status
    width = max(len(r["file"]) for r in rows)
    for r in rows:
        if "error" in r:
            print(f"{r['file']:{width}s}  not checked: {r['error']}")
            continue
        near = r["nearest"][0] if r["nearest"] else None
        where = (f"  nearest: {near['title'] or near['work_id']} [{near['source']}, {near['license']}] bars "
                 f"{near['bars'][0]}-{near['bars'][1]} here ~ {near['work_bars'][0]}-{near['work_bars'][1]} there"
                 if near and r["verdict"] != "clear" else "")  # fmt: skip
        part = r.get("not_counted_resembles")
        if part:  # the musician's part, not counted, is itself a copy of (or close to) a work
            where += (f"; its part not counted ({r['not_counted']}) is {'a copy of' if part['verdict'] == 'copy' else 'close to'} "
                      f"{part['title'] or part['work_id']} [{part['source']}, {part['license']}]")  # fmt: skip
        print(f"{r['file']:{width}s}  {r['verdict']:5s} (score {shown_score(r['score'], calibration_of(index))}){where}")
    print(f"{len(rows)} file(s) against {index.info.get('name') or args.against} ({len(index)} works): "
          + ", ".join(f"{counts[v]} {v}" for v in VERDICTS) + (f", {errors} not checked" if errors else "")
          + ("; --json lists every file's nearest works" if any(r.get("nearest") for r in rows) else ""))  # fmt: skip
    return status


def _musicians_part(path, piece, args: argparse.Namespace) -> tuple:
    """(the notes not counted, what they are, what is said of a record not believed, that record's
    status) of a co-created file: the musician's own, left out only where this installation (or one
    it trusts) signed the record, or with `--trust-record` (a rights analyst's script had passed a
    co-created copy of a corpus tune, its record typed in). All None for other files, a take whose
    input tunesmith made (checked whole), or with `--count-all`."""
    import contextlib

    from tunesmith.rights.claims import trusted_musicians_notes
    from tunesmith.rights.provenance import PROVENANCE_KINDS, made_how, read_provenance

    if path.suffix.lower() not in PROVENANCE_KINDS or args.count_all:
        return None, None, None, None
    with contextlib.suppress(ValueError, OSError):
        fields = read_provenance(path)["fields"]
        if made_how(fields) == "co-created":
            given, said, status = trusted_musicians_notes(piece, fields, trust_record=args.trust_record)
            return (given, said, None, status) if given else (None, None, said, status)
    return None, None, None, None
