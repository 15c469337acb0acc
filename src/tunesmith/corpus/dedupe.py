"""Find the same work in several sources and keep one piece per work.

Three ways two pieces are found to be the same work:

1. The same work id. Readers of the music21 chorales give BWV / Riemenschneider numbers;
   the build turns them into work ids "bach:R<n>" (else "bach:BWV<n>"), so two encodings
   of one chorale (bwv277.krn and bwv277.mxl, "-inst" variants) become one work.
2. The same notes ("exact"): every pitched note except chord-voicing tracks, transposed so
   the first note is 0, onsets measured from the first note in units of the piece's most
   common inter-onset interval (so the same tune written in 1/8 or 1/16 units, or in another
   key, matches), hashed. Pieces with fewer than MIN_EXACT_NOTES notes are never matched
   this way. This catches copies within and across the folk sets.
3. Chorales ("chorale"): the JSB JSON has no BWV numbers, and its grid rounds rhythms and
   writes out repeats, so exact hashing misses. Each chorale gets two sets of n-grams:
   the soprano's interval 5-grams (repeated pitches merged, 16th grid) and the outer-voice
   interval (soprano - bass) 4-grams on an 8th grid. Containment |A & B| / min(|A|, |B|)
   is robust to written-out repeats. Two chorales are the same work when the outer voices
   agree (containment >= 0.6, with soprano >= 0.4): over the 349 music21 x 382 JSB pairs,
   unrelated chorales never reach 0.54 and 99.9 % stay under 0.24, while true pairs score
   0.8-1.0 even when the grid changed the soprano (soprano 0.5-0.8). Between a piece from a
   source with a standard split (JSB) and one without, a soprano containment >= 0.8 alone is
   enough as well: deliberately conservative (it also catches another harmonization of the
   same melody), because a miss leaks a test chorale into training while a false match only
   drops one non-commercial music21 chorale.

Which copy is kept: the source with the highest priority (JSB 100 > nottingham 90 > irish
80 > user folders 70 > ... > music21 40), then the one with a standard split, then a license
that may ship, then more notes, then the smaller piece id. For JSB this means JSB is kept
(public domain, standard split) and the matched music21 chorale is dropped. A group never
holds two pieces that both come with a standard split (JSB's own near-copies keep their
split and stay separate works). The kept piece lists the others in `meta["duplicates"]`
({"piece_id", "source", "path", "match"}); the dropped records stay in the cache, marked,
so that an incremental rebuild can redo this step, but are not part of the Corpus.

The work id of a group is the most canonical id among its members: "bach:R<n>", else
"bach:BWV<n>", else the kept piece's own id.

Tune families (`link_families`, after the above): different versions of one tune are different
works, and both are kept (a player's version is music to learn from), but they must not sit in
different splits, or a held-out "new" tune is one the model learned in another version. Session
32 found 501 of 2,933 held-out folk tunes (and 16 jazz, 6 pop) with a version in training: "Jenny
Lind", "Roxburgh Castle", "Flop Ear'd Mule" / "Flop-eared Mule", Essen's versions of one song.
Two kept non-chorale pieces are one family when their melodies' interval 6-grams (repeated
pitches merged, so re-rhythmed and re-barred versions agree) overlap by >= FAMILY_SHARE of the
smaller set, >= FAMILY_MIN_SHARED grams, and >= FAMILY_LARGER_SHARE of the larger set (so that a
short song is not joined to a long medley by ten common figures); a figure found in
FAMILY_COMMON pieces or more links nothing by itself. A second witness is the title: two pieces
of one style whose titles agree (`title_key`: case, punctuation, "The", the dance's name and
part numbers aside) are one family at >= FAMILY_TITLE_SHARE of the smaller set and
>= FAMILY_TITLE_MIN_SHARED grams ("John, Come Kiss me now" beside a set of variations on it; short
Essen songs of one name). Families form by union; on the built corpus 1,284 families, the
largest 18 pieces (Essen's "Muede kehrt ein Wanderer zurueck" in its versions). How a family's split is chosen: `splits.assign_splits`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from typing import Any

from tunesmith.corpus.fingerprint import MIN_GRAMS
from tunesmith.licenses import may_ship

FAMILY_SHARE = 0.5
FAMILY_MIN_SHARED = 10
FAMILY_LARGER_SHARE = 0.1
FAMILY_COMMON = 200
FAMILY_TITLE_SHARE = 0.3
FAMILY_TITLE_MIN_SHARED = 4
# words a title's key leaves out: articles, the dance or form it names, part numbers
_TITLE_NOISE = frozenset(
    ["the", "a", "an", "reel", "jig", "hornpipe", "polka", "slide", "march", "waltz", "slipjig", "air", "set", "no", "part"]
)
SPLIT_VS_OTHER_SOPRANO = 0.8  # soprano alone, between a standard-split piece and another
MIN_SOPRANO = 0.4  # soprano, with ...
OUTER_VOICES = 0.6  # ... the outer-voice intervals: any two chorales


def _containment(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# ------------------------------------------------------------------ grouping
class _Groups:
    def __init__(self, n: int, has_split: list[bool]) -> None:
        self.parent = list(range(n))
        self.splits = [1 if s else 0 for s in has_split]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.splits[ra] and self.splits[rb]:
            return False  # never merge two pieces that both carry a standard split
        self.parent[rb] = ra
        self.splits[ra] += self.splits[rb]
        return True


def _canonical(work_ids: list[str], fallback: str) -> str:
    for prefix in ("bach:R", "bach:BWV"):
        found = sorted(w for w in work_ids if w.startswith(prefix))
        if found:
            return found[0]
    return fallback


@functools.lru_cache(maxsize=1)
def _chorales_by_riemenschneider() -> dict:
    from music21.corpus.chorales import ChoraleList

    return ChoraleList().byRiemenschneider


def chorale_title(work_id: str, title: str, bwv: str | None = None) -> str:
    """A chorale's title as Bach's chorales are known, where the JSB JSON's generic one ("JSB chorale
    train 0") stands for a work the music21 chorales number ("bach:R<n>"): "Jesu, meiner Freuden
    Freude (BWV 360; JSB chorale train 0)", from music21's chorale list, else, by the BWV number of
    the music21 chorale it matched (`bwv`), "Chorale BWV 80.8 (JSB chorale train 133)". A clearance
    officer's Bach soprano had been named "JSB chorale train 133". Else `title` as it is."""
    m = re.fullmatch(r"bach:R(\d+)", work_id or "")
    if not m or not (title or "").startswith("JSB chorale"):
        return title
    try:
        entry = _chorales_by_riemenschneider().get(int(m.group(1)))
    except (ImportError, AttributeError, ValueError):  # (without music21's list, by the BWV number)
        entry = None
    if entry and entry.get("title"):
        number = f"BWV {entry['bwv']}; " if entry.get("bwv") else ""
        return f"{entry['title']} ({number}{title})"
    return f"Chorale BWV {bwv} ({title})" if bwv else title


def dedupe(records: list[dict[str, Any]], priorities: dict[str, int] | None = None) -> dict[str, int]:
    """Group `records` by work, keep one per group; edit records in place.

    Before: every record's "_" has "raw_work_id" and "raw_split" (what the build gave it).
    After: kept records have work_id, meta["duplicates"] when they have copies; dropped ones
    have "_"]["dropped"] = the kept piece id. Returns counts of matches by kind."""
    priorities = priorities or {}
    n = len(records)
    for r in records:
        r["work_id"] = r["_"]["raw_work_id"]
        r["split"] = r["_"].get("raw_split", "")
        r["meta"].pop("duplicates", None)
        r["_"].pop("dropped", None)
    has_split = [bool(r["_"].get("raw_split")) for r in records]
    groups = _Groups(n, has_split)
    reason: dict[tuple[int, int], str] = {}
    counts: Counter[str] = Counter()

    def link(a: int, b: int, why: str) -> None:
        if groups.find(a) != groups.find(b) and groups.union(a, b):
            reason[(a, b)] = why
            counts[why.split(" ")[0]] += 1

    by_work: dict[str, list[int]] = defaultdict(list)
    by_exact: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_work[r["work_id"]].append(i)
        exact = r["_"].get("fp", {}).get("exact")
        if exact:
            by_exact[exact].append(i)
    for members in by_work.values():
        for j in members[1:]:
            link(members[0], j, "work-id")
    for members in by_exact.values():
        for j in members[1:]:
            link(members[0], j, "exact")
    _link_chorales(records, has_split, link)

    # keep one per group
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members_of[groups.find(i)].append(i)

    def rank(i: int) -> tuple:
        r = records[i]
        return (
            -priorities.get(r["source"], 0),
            not has_split[i],
            not may_ship(r["license"]),
            -r["_"]["n_notes"],
            r["piece_id"],
        )

    edges_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for (a, b), why in reason.items():
        edges_of[a].append((b, why))
        edges_of[b].append((a, why))
    for members in members_of.values():
        if len(members) == 1:
            continue
        members.sort(key=rank)
        keeper = records[members[0]]

        def match(i: int, k: int = members[0]) -> str:
            edges = edges_of.get(i, [])
            direct = [why for other, why in edges if other == k]
            return (direct or [why for _other, why in edges] or ["group"])[0]

        work_id = _canonical([records[i]["work_id"] for i in members], keeper["work_id"])
        duplicates = []
        for i in members[1:]:
            r = records[i]
            r["_"]["dropped"] = keeper["piece_id"]
            r["work_id"] = work_id
            r["split"] = ""
            duplicates.append(
                {"piece_id": r["piece_id"], "source": r["source"], "path": r["path"], "match": match(i)}
            )
        keeper["work_id"] = work_id
        bwv = next((str(records[i]["meta"]["bwv"]) for i in members if records[i]["meta"].get("bwv")), None)
        keeper["title"] = chorale_title(work_id, keeper.get("title") or "", bwv)
        keeper["meta"]["duplicates"] = duplicates
        # a song in several chart slots dates from its first: the kept slot of the Contours' "Do You
        # Love Me" (1962, charting again in 1988) had dated it 1988 in the trends over years
        dates = sorted(d for d in (records[i]["meta"].get("chart_date") for i in members) if d)
        if len(dates) > 1:
            keeper["meta"]["chart_dates"] = dates
        if dates and keeper["meta"].get("chart_date") and dates[0] < keeper["meta"]["chart_date"]:
            keeper["meta"]["chart_date"] = dates[0]
            if dates[0][:4].isdigit():
                keeper["meta"]["year"] = int(dates[0][:4])
    return dict(counts)


def _link_chorales(records: list[dict[str, Any]], has_split: list[bool], link) -> None:
    index: dict[int, list[int]] = defaultdict(list)
    sop: dict[int, set[int]] = {}
    vert: dict[int, set[int]] = {}
    for i, r in enumerate(records):
        fp = r["_"].get("fp", {})
        if "sop" in fp:
            sop[i] = set(fp["sop"])
            vert[i] = set(fp.get("vert", ()))
            for g in sop[i]:
                index[g].append(i)
    pairs = []
    for i in sop:
        shared: Counter[int] = Counter()
        for g in sop[i]:
            shared.update(j for j in index[g] if j > i)
        for j, k in shared.items():
            cs = k / min(len(sop[i]), len(sop[j]))
            if cs < MIN_SOPRANO or (has_split[i] and has_split[j]):
                continue
            cv = _containment(vert[i], vert[j]) if min(len(vert[i]), len(vert[j])) >= MIN_GRAMS else 0.0
            if cv >= OUTER_VOICES or (cs >= SPLIT_VS_OTHER_SOPRANO and (has_split[i] or has_split[j])):
                pairs.append((cs + cv, cs, cv, i, j))
    pairs.sort(key=lambda p: (-p[0], p[3], p[4]))
    for _score, cs, cv, i, j in pairs:
        a, b = (i, j) if has_split[i] else (j, i)
        link(a, b, f"chorale (soprano {cs:.2f}, outer voices {cv:.2f})")


def link_families(records: list[dict[str, Any]]) -> int:
    """Mark tune families among the kept records (see the module docstring): each member of a
    family of two or more works gets `r["_"]["family"]`, "family:" + its least work id; others
    lose any family an earlier build gave them. Returns the number of families."""
    kept = [i for i, r in enumerate(records) if not r["_"].get("dropped")]
    grams: dict[int, set[int]] = {}
    index: dict[int, list[int]] = defaultdict(list)
    for i in kept:
        records[i]["_"].pop("family", None)
        mel = records[i]["_"].get("fp", {}).get("mel")
        if mel:
            grams[i] = set(mel)
            for g in grams[i]:
                index[g].append(i)
    groups = _Groups(len(records), [False] * len(records))
    by_title: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in grams:
        key = title_key(records[i].get("title") or "")
        if len(key) >= 4:
            by_title[(records[i].get("style", ""), key)].append(i)
    for same in by_title.values():
        for a, i in enumerate(same):
            for j in same[a + 1 :]:
                k = len(grams[i] & grams[j])
                if k >= FAMILY_TITLE_MIN_SHARED and k >= FAMILY_TITLE_SHARE * min(len(grams[i]), len(grams[j])):
                    groups.union(i, j)
    for i, g in grams.items():
        shared: Counter[int] = Counter()
        for x in g:
            holders = index[x]
            if len(holders) < FAMILY_COMMON:
                shared.update(j for j in holders if j > i)
        for j, k in shared.items():
            small, large = sorted((len(g), len(grams[j])))
            if k >= FAMILY_MIN_SHARED and k >= FAMILY_SHARE * small and k >= FAMILY_LARGER_SHARE * large:
                groups.union(i, j)
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in grams:
        members_of[groups.find(i)].append(i)
    n = 0
    for members in members_of.values():
        works = {records[i]["work_id"] for i in members}
        if len(works) < 2:
            continue
        n += 1
        family = "family:" + min(works)
        for i in members:
            records[i]["_"]["family"] = family
    return n


def title_key(title: str) -> str:
    """A title as two versions of a tune share it: "FISHER'S -- HORNPIPE" and "Fisher's Hornpipe"
    -> "fisher"; "ZU KINDELSBERG, AUF DEM HOHEN SCHLOSS" and "Zu Kindelsberg auf dem hohen
    Schloss" agree; "(53a), S. 167" and numbers dropped; CamelCase file names split."""
    text = re.sub(r"\(.*?\)", " ", title)
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower()
    words = [w for w in re.findall(r"[a-z]+", text) if w not in _TITLE_NOISE and not re.fullmatch(r"[ivx]+|s", w)]
    return " ".join(words)
