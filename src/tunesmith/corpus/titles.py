"""Titles as a reader writes them, for sources whose pieces carry only a file name: the Irish
tunes' MIDI files are named by their title run together ("ManfromDungannonreelThe": The Man from
Dungannon, a reel), the chord-melody lead sheets are each `c.xml` in a folder named for the tune
("a_smooth_one/c.xml"). `check` and a take's attribution had named works so."""

from __future__ import annotations

import re

# dance types an Irish file name ends with, run on in lower case ("...reel", "...hornpipe")
_DANCES = ("slipjig", "hornpipe", "barndance", "setdance", "mazurka", "polka", "slide", "reel", "jig", "waltz",
           "march", "air", "fling")  # fmt: skip
# short words a file name runs on in lower case after a capitalized word ("Manfrom", "Partofthe"):
# split off only these, which rarely end an Irish name (not "in", "and", "on": Dublin, Highland)
_JOINED = ("from", "with", "the", "of", "to", "for")
_ARTICLES = ("The", "An", "A")


def _split_joined(word: str) -> list[str]:
    """`word` with the short words it runs on at its end split off ("Partofthe" -> Part of the;
    before "the" also "in", "on", "at", "and": "Mouseinthe" -> Mouse in the)."""
    out: list[str] = []
    while True:
        joined = _JOINED + (("in", "on", "at", "and") if out and out[0] == "the" else ())
        for small in joined:
            if word.endswith(small) and len(word) - len(small) >= 3 and not word.islower():
                out.insert(0, small)
                word = word[: -len(small)]
                break
        else:
            return [word, *out]


def irish_title(stem: str) -> str:
    """An Irish tune's file name as its title: words apart, the article moved to the front, a
    version number and the dance type after it ("LassofBallintra2reelThe" -> "The Lass of
    Ballintra No. 2 (reel)"). A name it cannot read is returned as it is."""
    article = ""
    for a in _ARTICLES:
        if stem.endswith(a) and len(stem) > len(a) and not stem[-len(a) - 1].isupper():
            stem, article = stem[: -len(a)], a
            break
    dance = ""
    for d in _DANCES:
        if stem.endswith(d) and len(stem) > len(d):
            stem, dance = stem[: -len(d)], d
            break
    number = ""
    match = re.search(r"(\d+)$", stem)
    if match:
        stem, number = stem[: match.start()], match.group(1)
    chunks = re.findall(r"[A-Z][a-z']*|[a-z]+|\d+", stem)
    if not chunks or "".join(chunks) != stem:
        return (article + " " if article else "") + stem
    words = [w for chunk in chunks for w in _split_joined(chunk)]
    title = " ".join([article, *words] if article else words)
    return title + (f" No. {number}" if number else "") + (f" ({dance})" if dance else "")


def readable_title(title: str | None, work_id: str | None = None, source: str | None = None) -> str | None:
    """The title to show for an indexed or corpus work: the Irish tunes' (`irish_title`); a
    chord-melody lead sheet's from its folder ("c" -> "A Smooth One"); else `title` as it is."""
    if source == "irish" and title and " " not in title:
        return irish_title(title)
    if source == "chord-melody" and work_id and (not title or len(title.strip()) <= 2):
        folder = work_id.split(":", 1)[-1].rsplit("/", 1)[0]
        if folder and "/" not in folder:
            return " ".join(w.capitalize() for w in folder.split("_") if w)
    return title
