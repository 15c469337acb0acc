"""The order an ABC tune is played in, on music21's ABC tokens: repeats and endings expanded
(`expand_repeats`), a D.C. or D.S. followed (al Fine, al Coda: `navigate`) and the header's `P:`
play order (`play_order`). `abc.py` reads the tokens and walks the music in this order; `Mark`s
in the token stream say where each section begins. Layouts these cannot follow raise `NotRead`,
which the reader names with the file and the tune."""

from __future__ import annotations

import re

# a zero-length rest carrying an annotation "@nav dc fine", "@nav segno", ... stands for each
# navigation mark in the tune's text (`abc._navigation_marked`); `_nav_kind` reads them back
NAV_MARK = "@nav "


class NotRead(ValueError):
    """Something in a tune that tunesmith's ABC reader does not follow; `read_abc` names the tune."""


class Mark:
    """A section boundary in an expanded token stream; `key` names the repeated span: the id of its
    first note token, so that a span played again through D.C., D.S. or a P: play order gets its label
    again (`_span_key`)."""

    __slots__ = ("key",)

    def __init__(self, key: int) -> None:
        self.key = key


def bar_kinds(tokens: list) -> tuple[list[str], list[frozenset[int]]]:
    """Per token: "start" (|:), "end" (:|), "ending" ([1, |2 ...), "close" (||, |]), or ""."""
    from music21 import abcFormat as af

    kinds: list[str] = []
    nums: list[frozenset[int]] = []
    for tok in tokens:
        kind, n = "", frozenset()
        if isinstance(tok, af.ABCBar):
            src = (tok.src or "").strip()
            form = getattr(tok, "repeatForm", "") or ""
            digits = re.findall(r"\d+", src)
            if tok.barType == "repeat" and form == "end":
                kind = "end"
            elif (tok.barType == "repeat" and form == "start") or src == ":":  # ':|:' leaves ':'
                kind = "start"
            elif digits or form in ("first", "second"):
                kind = "ending"
                n = frozenset(int(d) for d in digits) or frozenset({1 if form == "first" else 2})
            elif src in ("||", "|]", "[|"):
                kind = "close"
        kinds.append(kind)
        nums.append(n)
    return kinds, nums


def expand_repeats(tokens: list, *, replay_pickup: bool = False) -> list | None:
    """Tokens in playing order with Mark section boundaries (see the module docstring);
    None when the repeat structure cannot be expanded safely (read the tune as written).
    `replay_pickup`: a pickup written before the first `|:` is played again before each return
    to it (as players do when the repeat's last bar is short by the pickup: `A|: ... |d3 d2 :|`)."""
    from music21 import abcFormat as af

    kinds, nums = bar_kinds(tokens)
    n = len(tokens)
    first = next((i for i, tk in enumerate(tokens) if not isinstance(tk, af.ABCMetadata)), n)
    bar0 = next((i for i in range(first, n) if isinstance(tokens[i], af.ABCBar)), None)
    pickup: list = []
    if replay_pickup and bar0 is not None and kinds[bar0] == "start":
        pickup = [tk for tk in tokens[first:bar0] if not isinstance(tk, af.ABCMetadata)]
        if not any(isinstance(tk, af.ABCNote) for tk in pickup):
            pickup = []

    def next_ending(j: int) -> int | None:
        """Index of an ending marker right after position j (plain bars between), else None."""
        while j < n and kinds[j] == "" and isinstance(tokens[j], af.ABCBar):
            j += 1
        return j if j < n and kinds[j] == "ending" else None

    def skip_target(i: int, pas: int) -> tuple[int, bool] | None:
        """Where pass `pas` goes from an ending it does not play: (index, finishes the repeat)."""
        j = i + 1
        while j < n:
            if kinds[j] == "ending" and pas in nums[j]:
                return j, False
            if kinds[j] == "start":
                return None
            if kinds[j] == "end" and next_ending(j + 1) is None:
                return j + 1, True
            j += 1
        return None

    keys = _span_keys(tokens)

    def mark(i: int) -> Mark:
        return Mark(keys[i] if i < n else -1 - i)

    out: list = [mark(first)]
    start, pas, in_ending = first, 1, False
    budget = 16 * n + 64
    i = 0
    while i < n:
        if len(out) > budget:
            return None
        tok, kind = tokens[i], kinds[i]
        if kind == "start":
            out.append(tok)
            start, pas, in_ending = i + 1, 1, False
            out.append(mark(start))
        elif kind == "ending":
            if pas > 1 and pas not in nums[i]:
                target = skip_target(i, pas)
                if target is not None:
                    i, finished = target
                    if finished:
                        start, pas, in_ending = i, 1, False
                        out.append(mark(start))
                    continue
            out.append(tok)
            in_ending = True
        elif kind == "end":
            out.append(tok)
            later = next_ending(i + 1)
            if pas == 1 or (in_ending and later is not None and max(nums[later]) > pas):
                pas, in_ending = pas + 1, False
                if pickup and bar0 is not None and start == bar0 + 1:
                    out.extend([*pickup, tokens[bar0]])  # the pickup again, completing the short last bar
                out.extend(_state_again(tokens, start, i))
                out.append(mark(start))
                i = start
                continue
            start, pas, in_ending = i + 1, 1, False
            out.append(mark(start))
        elif kind == "close" and in_ending and pas > 1:
            out.append(tok)
            start, pas, in_ending = i + 1, 1, False
            out.append(mark(start))
        else:
            out.append(tok)
        i += 1
    played = {id(tk) for tk in out}
    if any(id(tk) not in played for tk in tokens if isinstance(tk, af.ABCNote) and not tk.inGrace):
        return None  # never lose a note: read as written instead
    return out


def _span_keys(tokens: list) -> list[int]:
    """Per token position: the key of a span starting there (`Mark`), the id of the first note
    token at or after it (-1 - position where none follows)."""
    from music21 import abcFormat as af

    keys = [0] * len(tokens)
    key = None
    for i in range(len(tokens) - 1, -1, -1):
        if isinstance(tokens[i], af.ABCNote):
            key = id(tokens[i])
        keys[i] = key if key is not None else -1 - i
    return keys


def _state_again(tokens: list, start: int, end: int) -> list:
    """The meter, key and unit length in force at `start`, when the passage [start, end) changes
    any of them: played again, its second pass begins as its first did (`|: C4 | [M:3/4] D3 :|`
    had read its second C4 in 3/4). [] when the passage changes none."""
    from music21 import abcFormat as af

    def field(tk) -> str | None:
        tag = getattr(tk, "tag", None) if isinstance(tk, af.ABCMetadata) else None
        return tag if tag in ("M", "K", "L") else None

    def state(upto: int) -> dict[str, object]:
        out: dict[str, object] = {}
        for tk in tokens[:upto]:
            tag = field(tk)
            if tag is not None:
                out[tag] = tk
        return out

    # the state the passage's first note is played in (fields written at its head are replayed
    # with it: `K:D` opening a B strain is read again on its second pass)
    first = start
    while first < end and isinstance(tokens[first], af.ABCMetadata):
        first += 1
    before, after = state(first), state(end)

    def text(tk) -> str:
        return str(getattr(tk, "data", "")).strip()

    return [tk for tag, tk in before.items() if tag in after and text(after[tag]) != text(tk)]


def _nav_kind(tok) -> str | None:
    """The navigation mark a token carries (`_navigation_marked`): "dc fine", "segno", ...; else None."""
    for raw in getattr(tok, "chordSymbols", None) or ():
        text = raw.strip().strip('"')
        if text.startswith(NAV_MARK):
            return text[len(NAV_MARK) :]
    return None


def has_navigation(tokens: list) -> bool:
    return any(_nav_kind(tk) for tk in tokens)


def _without_repeats(tokens: list) -> list:
    """A passage as played after a D.C. or D.S.: its repeats not taken (as players do unless the
    score says otherwise), only the last of each set of endings played."""

    kinds, _ = bar_kinds(tokens)

    out: list = []
    i = 0
    while i < len(tokens):
        if kinds[i] == "ending":
            j = i + 1
            while j < len(tokens) and kinds[j] not in ("end", "ending", "start", "close"):
                j += 1
            later = j < len(tokens) and (kinds[j] == "ending" or (kinds[j] == "end" and any(
                kinds[k] == "ending" for k in range(j + 1, min(j + 3, len(tokens))))))  # fmt: skip
            if later:  # an ending the last pass does not play
                i = j + 1 if kinds[j] == "end" else j
                continue
        out.append(_bar("|") if kinds[i] in ("start", "end", "ending") else tokens[i])
        i += 1
    return out


def navigate(tokens: list) -> list:
    """Tokens in playing order through a D.C. or D.S. (al Fine, al Coda, or to where it stands):
    the music up to the jump, then again from the start (D.C.) or the segno (D.S.) to the Fine, or
    to the coda sign and on from the coda; the passage played again without its repeats. A jump
    happens at the bar line after its mark. `NotRead` for a layout it cannot follow."""
    from music21 import abcFormat as af

    marks = [(i, kind) for i, tk in enumerate(tokens) if (kind := _nav_kind(tk))]
    jumps = [(i, kind.split()) for i, kind in marks if kind.split()[0] in ("dc", "ds")]
    if not jumps:
        return tokens  # a Fine, segno or coda sign without a D.C. or D.S. sends no player back

    def bar_at_or_after(i: int) -> int:
        return next((j for j in range(i, len(tokens)) if isinstance(tokens[j], af.ABCBar)), len(tokens) - 1)

    if len({bar_at_or_after(i) for i, _ in jumps}) > 1:
        raise NotRead("more than one D.C./D.S. jump")
    words = {w for _, kind in jumps for w in kind}
    if {"dc", "ds"} <= words:
        raise NotRead("a D.C. and a D.S. at the same place")
    jump = bar_at_or_after(jumps[0][0])
    if "ds" in words:
        # a segno in the D.S.'s own bar is the sign printed beside it (Ryan's Mammoth writes
        # `"Segno" "_D.S."` at the end of a strain), not where it goes back to
        own_bar = max((j for j in range(jumps[0][0]) if isinstance(tokens[j], af.ABCBar)), default=-1)
        segnos = [i for i, kind in marks if kind == "segno" and i < own_bar]
        if not segnos:
            raise NotRead("a D.S. with no segno (S or !segno!) before it to go back to")
        target = segnos[-1]
        name = "D.S."
    else:
        target = next((i for i, tk in enumerate(tokens) if not isinstance(tk, af.ABCMetadata)), 0)
        name = "D.C."
    fines = [i for i, kind in marks if kind == "fine" and target <= i < jump]
    to_coda = [i for i, kind in marks if kind in ("coda", "tocoda") and target <= i < jump]
    codas = [i for i, kind in marks if kind == "coda" and i > jump]
    al = "fine" if "fine" in words else "coda" if "coda" in words else "coda" if codas else "fine" if fines else ""
    if al == "fine" and not fines:
        raise NotRead(f"a {name} al Fine with no Fine (!fine! or \"Fine\") after where it goes back to")
    if al == "coda" and not (to_coda and codas):
        raise NotRead(f"a {name} al Coda without both coda signs (one to leave from, one after the {name} to go to)")
    keys = _span_keys(tokens)
    if al == "fine":
        stop = bar_at_or_after(fines[0])
    elif al == "coda":
        stop = bar_at_or_after(to_coda[0])
    else:
        stop = _end_of_first_strain(tokens, target, jump)
    coda = tokens[codas[0] :] if al == "coda" else []
    never = tokens[jump + 1 : codas[0] if al == "coda" else len(tokens)]
    if any(isinstance(tk, af.ABCNote) and not tk.isRest for tk in never):
        raise NotRead(f"notes after the {name} that are never played (not in a coda)")
    after_fine = bar_at_or_after(fines[0]) + 1 if al == "fine" else None
    first = list(tokens[: jump + 1])
    if after_fine is not None and after_fine <= jump:  # what follows the Fine is a section of its own
        first.insert(after_fine, Mark(keys[after_fine]))
    if name == "D.S.":
        first.insert(target, Mark(keys[target]))
    again = [Mark(keys[target]), *_state_again(tokens, target, jump + 1), *_without_repeats(tokens[target : stop + 1])]
    return first + again + ([Mark(keys[codas[0]]), *coda] if coda else [])


def _end_of_first_strain(tokens: list, start: int, jump: int) -> int:
    """Where a D.C. or D.S. with no Fine and no coda stops: at the bar line after a fermata (older
    tune books end there: O'Neill's "H" over the A part's last note), else at the end of the first
    strain from where it goes back to (its `:|`, `||` or `|]`; after its second ending where it
    has endings), else at the jump itself. Playing on to the jump had played a reel's B part twice
    more (A A B B A B for A A B B A)."""
    from music21 import abcFormat as af

    kinds, _ = bar_kinds(tokens)

    def held(tok) -> bool:  # a fermata (`abc._fermatas_marked`: music21's tenuto), or one written as "H"
        return isinstance(tok, af.ABCNote) and ("tenuto" in tok.articulations
                                                 or any(c.strip('"').strip() == "H" for c in tok.chordSymbols or ()))  # fmt: skip

    for i in range(start, jump):
        if held(tokens[i]):
            return next((j for j in range(i, jump + 1) if isinstance(tokens[j], af.ABCBar)), jump)
    first_note = next((i for i in range(start, jump) if isinstance(tokens[i], af.ABCNote) and not tokens[i].isRest), jump)
    for i in range(first_note, jump):  # a bar line right at the sign (`"Segno"|]`) ends nothing
        if kinds[i] in ("end", "close"):
            ending = next((j for j in range(i + 1, min(i + 3, jump)) if kinds[j] == "ending"), None)
            if ending is None:
                return i
            # the strain's last ending: on to the next boundary
            return next((j for j in range(ending + 1, jump) if kinds[j] in ("end", "close", "start", "ending")), jump)
    return jump


_PLAY_ORDER_ITEM = re.compile(r"\s*(?:([A-Z])|(\()|(\)))\s*(\d*)")


def _parse_play_order(text: str) -> list[str]:
    """ABC's P: play order ("AABB", "A2B2", "(AB)2C", "A.B.C") as a list of part letters;
    ValueError for anything else."""
    stack: list[list[str]] = [[]]
    text = text.replace(".", " ").strip()
    pos = 0
    while pos < len(text):
        m = _PLAY_ORDER_ITEM.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(text)
        pos = m.end()
        times = int(m.group(4)) if m.group(4) else 1
        if m.group(1):
            stack[-1].extend([m.group(1)] * times)
        elif m.group(2):
            if m.group(4):
                raise ValueError(text)
            stack.append([])
        else:
            if len(stack) < 2:
                raise ValueError(text)
            group = stack.pop()
            stack[-1].extend(group * times)
        if len(stack[0]) > 64:
            raise ValueError(text)
    if len(stack) != 1 or not stack[0]:
        raise ValueError(text)
    return stack[0]


def play_order(tokens: list) -> list:
    """Tokens (as written, before `expand_repeats`) in the order of the header's `P:` field (ABC
    2.1, 3.1.11): `P:AABB` with parts marked `P:A` and `P:B` in the body plays A twice, then B
    twice (music21 reads the parts once each, in the order written, and a tune of 8 bars played as
    16 had read as 8, without a word). Music before the first part is played once, first; each part
    begins a section; a part's own repeats are then expanded as in any tune. `NotRead` for an
    order that names a part the tune lacks, leaves one out, or cannot be read."""
    from music21 import abcFormat as af

    def tag(tk) -> str:
        return str(getattr(tk, "tag", "")) if isinstance(tk, af.ABCMetadata) else ""

    key_at = next((i for i, tk in enumerate(tokens) if isinstance(tk, af.ABCMetadata) and tk.isKey()), -1)
    order_tok = next((tk for tk in tokens[: key_at + 1] if tag(tk) == "P"), None)
    starts = [i for i in range(key_at + 1, len(tokens)) if tag(tokens[i]) == "P"]
    if order_tok is None or not starts:
        return tokens
    written = str(order_tok.data).split("%")[0].strip()
    try:
        order = _parse_play_order(written)
    except ValueError:
        raise NotRead(f"its play order P:{written[:40]} is not one tunesmith's ABC reader can follow") from None
    parts: dict[str, tuple[int, int]] = {}
    for a, b in zip(starts, [*starts[1:], len(tokens)]):
        name = str(tokens[a].data).strip()[:1].upper()
        if name in parts:
            raise NotRead(f"part {name} is written twice (P:{name})")
        parts[name] = (a, b)
    missing = [x for x in dict.fromkeys(order) if x not in parts]
    if missing:
        raise NotRead(f"its play order P:{written} names part {missing[0]}, which the tune does not have")
    unplayed = [x for x in parts if x not in order]
    if unplayed:
        raise NotRead(f"its play order P:{written} leaves out its part {unplayed[0]}")
    kinds, _ = bar_kinds(tokens)
    repeated = {name for name, (a, b) in parts.items() if any(k in ("start", "end") for k in kinds[a:b])}
    # a part with repeat signs of its own, named twice in a row (the Nottingham tunes' `P:AABB` over
    # `|: A :| |: B :|`): the order describes the written repeats, and A is played twice, not four times
    order = [x for i, x in enumerate(order) if not (i and x == order[i - 1] and x in repeated)]
    keys = _span_keys(tokens)
    out = list(tokens[: starts[0]])
    state = _fields_in_force(tokens, starts[0])
    for name in order:
        a, b = parts[name]
        at_start = _fields_in_force(tokens, a)
        out.extend(tk for t, tk in at_start.items() if str(getattr(state.get(t), "data", "")).strip() != str(tk.data).strip())
        out.append(Mark(keys[a]))
        out.append(tokens[a])
        closes = [k for k in kinds[a:b] if k in ("start", "end")]
        if closes and closes[0] == "end":  # its `:|` goes back to the part's start, not to the last part's repeat
            out.append(_bar("|:"))
        out.extend(tokens[a + 1 : b])
        state = _fields_in_force(tokens, b)
    return out


def _bar(text: str):
    """A new bar line token (`|`, `|:`)."""
    from music21 import abcFormat as af

    bar = af.ABCBar(text)
    bar.parse()
    return bar


def _fields_in_force(tokens: list, upto: int) -> dict:
    """The last meter, key and unit length field tokens before position `upto`."""
    from music21 import abcFormat as af

    out: dict = {}
    for tk in tokens[:upto]:
        if isinstance(tk, af.ABCMetadata) and getattr(tk, "tag", None) in ("M", "K", "L"):
            out[tk.tag] = tk
    return out
