"""What the musician should know about a take, in words: the lines the CLI prints as notes, a
take's JSON keeps and the studio shows beside it (`take_remarks`), and the checks of a request
that produce some of them (`cycle_ends_open`, `chords_left_over`, `one_bar_of_chords`, `crowded_bars`). Split from
`tunesmith.api`, which calls them."""

from __future__ import annotations

from typing import Any


def chords_left_over(request: Any, bars_are: str = "bars") -> str | None:
    """A line when more chords are given than the take has bars: those after the last bar are not
    heard (they had been dropped without a word). `bars_are`: what the bars are called ("new
    bars": a continuation's)."""
    chords, bars = list(request.chords or []), request.bars
    if len(chords) <= bars:
        return None
    rest = chords[bars:]
    several = any(" " in entry for entry in chords)  # bars of two chords ('Dm7 G7 | C'): counted in bars
    shown = (" | " if several else " ").join(rest[:8]) + (" ..." if len(rest) > 8 else "")
    what, left = ("bars of chords", f"{len(rest)} bars") if several else ("chords", str(len(rest)))
    if len(rest) == 1:  # not "the last 1 bars ... are"
        left = "bar" if several else "one"
    are = "is" if len(rest) == 1 else "are"
    return (f"{len(chords)} {what} for {bars} {bars_are}: the last {left} ({shown}) {are} not used; ask for "
            f"{len(chords)} {bars_are} to hear them all")


def cycle_ends_open(request: Any) -> str | None:
    """A line when given chords cycle so that the last bar is off the tonic under a closing
    cadence ("Gm7 C7 Fmaj7 D7" over 8 bars in F ends on D7, a turnaround with nothing after it).
    The chords are a control and are kept as given; the line says how to close instead."""
    from tunesmith.sampling.request import NO_CHORD, bar_chord_figures
    from tunesmith.score import pitch_class_of
    from tunesmith.tokenizer import split_figure

    chords, bars = list(request.chords), request.bars
    last = bar_chord_figures(chords[(bars - 1) % len(chords)])[-1]  # a bar of two closes on its second
    home = getattr(request, "cadence", None) == "home"
    if not request.closes() or last == NO_CHORD or pitch_class_of(split_figure(last)[0]) == pitch_class_of(request.key):
        return None
    article = "an" if request.key[0].upper() in "AEF" else "a"  # "an F chord", "a G chord"
    # the tonic chord as a chart names it: "an Am chord" in A minor (a teacher had read "an A chord")
    from tunesmith.sampling.request import mode_family

    tonic_chord = request.key + ("m" if mode_family(getattr(request, "mode", None) or "major") == "minor" else "")
    # --cadence home asks for the tonic over the tonic chord, which chords ending elsewhere cannot give
    unmet = "; --cadence home closes on the tonic only over a tonic chord" if home else ""
    if len(chords) >= bars:  # the musician's own last chord: said only where it contradicts --cadence home
        return (f"the last bar's chord is {last}: the piece ends away from {request.key}{unmet}") if home else None
    what = "bars of chords" if any(" " in entry for entry in chords) else "chords"  # bars of two: counted in bars
    given = f"the {len(chords)} {what} cycle" if len(chords) > 1 else "the chords cycle"  # not "the 1 bars"
    return (f"{given} so that bar {bars}, the last, is {last}: the piece ends away from "
            f"{request.key}; give {bars} {what} ending on {article} {tonic_chord} chord to close there{unmet}")


def one_bar_of_chords(request: Any) -> str | None:
    """A line when the chords given are one bar of several ('C Am F G |': a bar line at the end makes
    them one bar, sharing its beats, in every bar) while the take has more bars: a musician who meant
    a chord a bar reads how to say so."""
    chords = list(request.chords or [])
    if len(chords) != 1 or " " not in chords[0] or request.bars < 2:
        return None
    figures = [figure for figure in chords[0].split() if figure != "/"]
    return (f"the chords '{chords[0]}' are one bar (between bar lines), sharing its beats, played in each of the "
            f"{request.bars} bars; for a chord a bar leave out the bar lines ('{' '.join(figures)}') or put one between "
            f"each ('{' | '.join(figures)}')")


# a bar given this many chords or more, where others have fewer, is said (`crowded_bars`)
CROWDED_CHORDS = 4


def crowded_bars(request: Any) -> str | None:
    """A line when some bars of the chords given hold `CROWDED_CHORDS` or more chords and others
    fewer ("Am F C G | Dm G | C": its first bar plays four chords a beat each): a songwriter who
    meant a chord a bar had written "Am F C G |" twice and heard four chords in a bar. None where
    every bar, or none, is so full (a chart of one chord a beat means it), or for one bar given
    (`one_bar_of_chords` says that)."""
    chords = list(request.chords or [])
    if len(chords) < 2:
        return None
    counts = [len([f for f in str(entry).split() if f != "/"]) for entry in chords]
    full = [i + 1 for i, n in enumerate(counts) if n >= CROWDED_CHORDS]
    if not full or len(full) == len(counts):
        return None
    shown = ", ".join(map(str, full[:3])) + (f" and {len(full) - 3} more" if len(full) > 3 else "")
    first = next(entry for entry in chords if len(str(entry).split()) >= CROWDED_CHORDS)
    return (f"bar{'s' if len(full) > 1 else ''} {shown} of your chords hold{'s' if len(full) == 1 else ''} "
            f"{CROWDED_CHORDS} or more chords, sharing the bar's beats ('{first}'); chords between two bar lines are "
            f"one bar: for a chord a bar put a bar line between each ('{' | '.join(str(first).split())}')")


def loop_ending(request: Any) -> str | None:
    """A line for a loop (cadence "loop"): how it ends (on V, or on the chart's own last chord where
    the musician gave the chords) and what its files carry for looping."""
    if request.resolved_cadence() != "loop":
        return None
    files = (f"the score stands between repeat signs, the MIDI marks loopStart and loopEnd, and the WAV lasts exactly "
             f"its {request.bars} bars, the sound that rings past the last bar already at its start, with its loop "
             "points in a smpl chunk")  # fmt: skip
    if request.chords:
        from tunesmith.sampling.request import NO_CHORD, bar_chord_figures
        from tunesmith.score import pitch_class_of
        from tunesmith.tokenizer import split_figure

        last = bar_chord_figures(request.chords[(request.bars - 1) % len(request.chords)])[-1]
        degree = None if last == NO_CHORD else (pitch_class_of(split_figure(last)[0]) - pitch_class_of(request.key)) % 12
        if degree != 7:
            # the chart is a control: a game composer's chart ending on the tonic had been said to close on V
            what = "the tonic, so each time round it comes home before it starts again" if degree == 0 else "not V"
            return (f"a loop: its last bar keeps your chart's last chord, {last} ({what}; a chart ending on V leads "
                    f"back to bar 1); {files}")  # fmt: skip
    return f"a loop: its last bar closes half way (on V) and leads back to bar 1; {files}"


def take_remarks(provenance: dict) -> list[str]:
    """What the musician should know about a take, one line each, from its provenance: the chords
    given against the key ("the chords C Am F G fit C major ... better than Ab major"), chord
    symbols read from the input's tracks or replaced by new ones, and a continuation's opening
    restated (a reprise). The CLI prints them; the studio shows them beside the take."""
    out = [str(note) for note in provenance.get("notes") or []]
    request = provenance.get("request") or {}
    read = request.get("input_chords_read_from")
    if read:
        out.append(f"{read['chords']} chord symbol(s) read from the input's {', '.join(read['tracks'])} track(s)")
    if request.get("input_chords_replaced"):
        out.append(f"the input's {request['input_chords_replaced']} chord symbol(s) were replaced by new ones")
    if request.get("input_voices_replaced"):
        parts = request["input_voices_replaced"]
        names = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        out.append(f"the input's {names} {'was' if len(parts) == 1 else 'were'} replaced by new ones under its "
                   "melody (inpaint --keep keeps the parts you name)")
    closing = (provenance.get("cocreate") or {}).get("closing_key")
    if closing:
        out.append(f"the melody moves to {closing['to']} (its last bars, from bar {closing['from_bar']}) and ends there: "
                   f"the voices close in {closing['to']}, not {closing['from']} (--key to choose)")
    cocreated = provenance.get("cocreate") or {}
    if request.get("command") == "continue" and request.get("chords") and request.get("chords") != "again":
        # a chart longer than the new bars: its last bars had been dropped without a word
        from types import SimpleNamespace

        from tunesmith.cocreate.verbs import continuation_chords

        again = ((request.get("resolved") or {}).get("reprise") or {}).get("bars") or 0
        bars = continuation_chords(request["chords"]) or []
        left = chords_left_over(SimpleNamespace(chords=bars, bars=(request.get("bars") or 0) - again), "new bars")
        if left:
            out.append(left)
    if cocreated.get("chords_unchanged"):
        first, last = cocreated.get("bars") or ("?", "?")
        hint = ": --n 3 draws alternatives" if (provenance.get("batch") or 1) == 1 else ""
        out.append(f"the chords of bars {first}-{last} came out as they were (the harmonizer's most likely){hint}")
    again = (request.get("resolved") or {}).get("reprise") or {}
    if again.get("bars"):
        start = again["from_bar"]
        out.append(f"the first {again['bars']} new bar(s) restate bars {start}-{start + again['bars'] - 1} (A A')")
    closing = cocreated.get("closing_chord")
    if closing and closing.get("was"):
        out.append(f"the last bar's chords {' '.join(closing['was'])} became {closing['now']} (bar {closing['bar']}), "
                   "closing the piece on the tonic (a free cadence, --cadence free, plays the given chords to the "
                   "end)")  # fmt: skip
    drawn_again = provenance.get("resampled_from")
    if drawn_again:
        first_seed, index = drawn_again
        which = f"take {index + 1} of seed {first_seed}" if (provenance.get("takes") or 1) > 1 else f"seed {first_seed}'s take"
        out.append(f"{which} copied a training work (the copy guard), so it was drawn again: this one is seed "
                   f"{provenance.get('seed')} (--allow-close keeps the first, labelled)")  # fmt: skip
    if (request.get("resolved") or {}).get("contrast") and request.get("contrast") is None:
        out.append("the new bars are a contrasting strain (a B after the given music), their melody lifted over its "
                   "register as the style's tunes lift theirs")  # fmt: skip
    form = (request.get("resolved") or {}).get("form")
    if form:
        bars = ", ".join(f"{b}-{b + n - 1}" for b, n in form["restated"])
        given = (f"{form['section_bars']} bars are its A" if form.get("given_sections", 1) == 1
                 else f"{2 * form['section_bars']} bars are its A A")  # fmt: skip
        out.append(f"form {form['form']}: the given {given}; bars {bars} restate the A "
                   "(each A's last bar written anew), the rest is new")  # fmt: skip
    if request.get("command") == "continue" and "chords_from" in cocreated and cocreated["chords_from"] is None:
        # a teacher's melody without chords came back continued without any, and said nothing
        out.append("the given music has no chord symbols, so the new bars have none either (harmonize the "
                   "result for chords, or give the new bars' --chords)")  # fmt: skip
    final = ((provenance.get("resolved") or {}).get("ending") or {}).get("final_chord")
    if final and final not in ("I", "i") and request.get("cadence") is None and request.get("style") != "chorale":
        # the default close draws it as the style's songs do (a teacher read --cadence tonic as "ends on C")
        out.append(f"it closes over {final}, not the tonic chord, as some of the style's songs do "
                   "(--cadence home always closes on the tonic)")
    twice = (request.get("resolved") or {}).get("strain_played_twice")
    if twice:
        out.append(f"the new strain is played twice, as the given one is (A A B B): {twice} bars written, then again")
    return out
