"""What a continuation's form and ending follow from the given music: a strain the given music
plays twice (A A), after which the new strain is played twice too (`strain_played_twice`,
`played_again`); a form the musician names, whose later A sections restate the given music
(`continuation_form`, `form_plan`, `check_form`, `form_cadences`); a given melody that ends on a downbeat, as a song's does
(`ends_on_downbeat`); and the given last chord, which sounds on into the new bars
(`last_chord_held_on`)."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from tunesmith.baselines.harmony_baseline import chord_at
from tunesmith.cocreate.inputs import _EPS
from tunesmith.sampling.request import MAX_REQUEST_BARS
from tunesmith.score import ChordSymbol, Note, Piece, Track
from tunesmith.tokenizer import TICKS_PER_BEAT

# `continue_piece`'s new bars when none are asked for (and no strain played twice precedes them)
DEFAULT_CONTINUE_BARS = 8
# `strain_played_twice`: the least strain (bars), and the share of its opening bars' notes (all
# but its last quarter, the endings) that the second time plays again
MIN_STRAIN_BARS = 4
STRAIN_AGAIN_SHARE = 0.9


# the most sections a form may name: each at least 2 bars, in the most bars a request may have
MAX_FORM_SECTIONS = MAX_REQUEST_BARS // 2


def continuation_form(form: str | None) -> str | None:
    """`continue_piece`'s `form` checked: the whole tune's sections, a letter each, the given
    music the first ("AABA", "ABA", "AAB"). It starts with A, and every other letter comes once:
    only the given music is known to come back. None: none. ValueError names what is wrong."""
    if form is None:
        return None
    letters = "".join(str(form).split()).upper()
    if len(letters) > MAX_FORM_SECTIONS:  # (said without the form itself: a pasted 10,000 letters had been echoed)
        raise ValueError(f"form: {len(letters)} sections; at most {MAX_FORM_SECTIONS} (each 2 bars or more, "
                         f"{MAX_REQUEST_BARS} bars in all)")  # fmt: skip
    if len(letters) < 2 or not (letters.isascii() and letters.isalpha()):
        raise ValueError(f"form {form!r}: give the tune's sections as letters, the given music its first A "
                         "(AABA, ABA, AAB)")  # fmt: skip
    if letters[0] != "A":
        raise ValueError(f"form {form!r}: the given music is the tune's first section, so the form starts with A")
    others = [c for c in letters[1:] if c != "A"]
    twice = sorted({c for c in others if others.count(c) > 1})
    if twice:
        raise ValueError(f"form {form!r}: only the given music's A can come back note for note; "
                         f"{', '.join(twice)} would be written twice")  # fmt: skip
    return letters


def form_plan(form: str, section: int, given_sections: int = 1) -> tuple[int, list[int]]:
    """(the new bars, and where each later A begins among them: offsets from the first new bar)
    of `form` (`continuation_form`) after the given first A (or A A: `given_sections` 2) of
    `section` full bars each."""
    later = form[given_sections:]
    return section * len(later), [k * section for k, letter in enumerate(later) if letter == "A"]


def form_cadences(form: str, section: int, first_full: int, n_given: int) -> dict[int, str]:
    """{grid bar: "closed" or "open"} where a section of `form` ends among the new bars, as
    compose's sections end (`sampling.request.section_cadences`): an A before a new section closes
    on the tonic, a section before a returning A half-closes. The honeysuckle A's second time had
    ended over Dm7 into its bridge."""
    from tunesmith.sampling.request import section_cadences

    kinds = section_cadences([(letter, False, section) for letter in form], section * len(form))
    return {first_full + j: kind for j, kind in enumerate(kinds) if kind and first_full + j >= n_given}


def runs_of(bars: list[int]) -> list[tuple[int, int]]:
    """[start, stop) of each run of consecutive bars in `bars` (ascending)."""
    out: list[tuple[int, int]] = []
    for b in bars:
        if out and out[-1][1] == b:
            out[-1] = (out[-1][0], b + 1)
        else:
            out.append((b, b + 1))
    return out


def check_form(form: str, section: int, bars: int | None, layout: str, reprise: int | None, chords: Any,
                contrast: bool | None, ends_short: bool, given_sections: int = 1) -> None:  # fmt: skip
    """ValueError where `form` (`continuation_form`) cannot go with the rest of the request: one
    line saying why."""
    if layout != "lead":
        raise ValueError(f"form {form}: a lead sheet's sections; a chorale's four voices go on phrase by phrase")
    if reprise or chords is not None or contrast:
        what = "reprise" if reprise else "chords" if chords is not None else "contrast"
        raise ValueError(f"form {form}: its A sections restate the given music and its others are new; "
                         f"{what} does not go with it")  # fmt: skip
    if ends_short:
        raise ValueError(f"form {form}: the given music ends inside its last bar (a tune with a pickup ends short "
                         "by it); give its A as whole bars")  # fmt: skip
    if section < 2:
        raise ValueError(f"form {form}: the given music is its first A and has {section} full bar(s); it needs 2 or more")
    total = section * (len(form) - given_sections)
    if bars is not None and bars != total:
        given = f"{section} bars are its A" if given_sections == 1 else f"{2 * section} bars are its A A"
        raise ValueError(f"form {form}: the given {given}, so its new sections take {total} bars, not {bars}")
    if total > MAX_REQUEST_BARS:
        raise ValueError(f"form {form}: its new sections take {total} bars, more than {MAX_REQUEST_BARS}")


def strain_played_twice(melody: list[Note], grid: Any) -> int:
    """The length in bars of the strain the given music ends by playing twice (A A: its full bars
    are two halves whose melody is the same, note for note, but for the last quarter of each, the
    first and second endings), else 0. From the notes, so a MIDI file's A A counts as an ABC
    file's `|: :|` does. Real AABB tunes' A strains, cut after A A, are strains played twice."""
    full = grid.n - grid.first_full
    if full % 2 or full // 2 < MIN_STRAIN_BARS:
        return 0
    k = full // 2
    endings = max(1, k // 4)

    def bar_notes(i: int) -> set[tuple[int, int, int]]:
        s0, s1 = grid.starts[i], grid.end_of(i)
        return {(x.pitch, round((x.onset - s0) * TICKS_PER_BEAT), round(x.duration * TICKS_PER_BEAT))
                for x in melody if s0 - _EPS <= x.onset < s1 - _EPS}  # fmt: skip

    same = total = 0
    for i in range(grid.first_full, grid.first_full + k - endings):
        first, second = bar_notes(i), bar_notes(i + k)
        same += len(first & second)
        total += max(len(first), len(second))
    return k if total and same / total >= STRAIN_AGAIN_SHARE else 0


def played_again(out: Piece, tracks: list[Track], grid: Any, n_given: int, short: float) -> None:
    """The new strain (bars n_given.. of `grid`, as written in `out`) played once more after itself:
    its notes and chords again, note for note, the chord sounding at its start named again there,
    and the bar lines after it. `short`: the strain as written ends that many beats before its last
    bar line (a tune that began with a pickup ends short by it): the second time ends there, and the
    first time holds its last notes and chord on to the bar line, where the strain begins again."""
    s0, s1 = grid.starts[n_given], grid.full_end_of(grid.n - 1)
    span, cut = s1 - s0, s1 - short
    for track in tracks:
        new = [x for x in track.notes if x.onset >= s0 - _EPS]
        track.notes.extend(dataclasses.replace(x, onset=x.onset + span) for x in new)
        for x in new:
            if short and x.onset + x.duration > cut - _EPS:
                x.duration = s1 - x.onset
    sounding = chord_at(sorted(out.chords, key=lambda c: c.onset), s0)
    again = [ChordSymbol(c.onset + span, c.figure, c.duration) for c in out.chords if c.onset >= s0 - _EPS]
    if sounding is not None and sounding.onset < s0 - _EPS and (sounding.duration is None
                                                                or sounding.onset + sounding.duration > s0 + _EPS):
        # the chord sounding into the strain from before it (its duration as from the strain's start)
        left = None if sounding.duration is None else sounding.onset + sounding.duration - s0
        again.insert(0, ChordSymbol(s1, sounding.figure, left))
    held = [ChordSymbol(c.onset, c.figure, s1 - c.onset)
            if short and c.onset >= s0 - _EPS and c.duration is not None and c.onset + c.duration > cut - _EPS else c
            for c in out.chords]  # fmt: skip
    out.chords = sorted([*held, *again], key=lambda c: c.onset)
    out.bar_onsets = [*out.bar_onsets, *(x + span for x in grid.starts[n_given:])]
    out.end = cut + span


def ends_on_downbeat(melody: list[Note], grid: Any) -> bool:
    """Whether the given melody's last note is struck on a bar's downbeat (a song's phrase ends
    there: Amazing Grace, Auld Lang Syne), where a continuation's last note is struck too. The
    style's drawn last lengths are its dance tunes' (a reel's last D on beat 4), under which a
    songwriter's continued songs had ended on a quarter on the last beat in 31 of 60 takes."""
    if not melody:
        return False
    last = round(max(x.onset for x in melody) * TICKS_PER_BEAT)
    return any(round(s * TICKS_PER_BEAT) == last for s in grid.starts)


def last_chord_held_on(piece: Piece, given_end: float) -> Piece:
    """`piece` (a shallow copy where anything changes) with a chord that stops where the given music
    ends sounding on into the new bars, to the next chord: a file's last chord is read as ending
    with its music (`convert.common.chord_durations`), and that end is no N.C. A continuation of a
    tune whose last bar is short by its pickup had written N.C. over the new pickup note there."""
    held = [ChordSymbol(c.onset, c.figure, None) if c.duration is not None and c.onset < given_end - _EPS
            and abs(c.onset + c.duration - given_end) < _EPS else c for c in piece.chords]  # fmt: skip
    if all(a is b for a, b in zip(held, piece.chords)):
        return piece
    out = copy.copy(piece)
    out.chords = held
    return out
