"""Independent spot-check of `tunesmith analyze` Billboard figures, straight from the raw
salami_chords.txt files (own parser, not the project's): per song, chord changes, the dominant-
seventh / minor-triad / bVII shares, bars; per song the first chart date; compared with the
feature table the analysis uses."""
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path("/work/shared/data/billboard")
PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def pc(name):
    v = PC[name[0]]
    for ch in name[1:]:
        v += 1 if ch == "#" else -1 if ch == "b" else 0
    return v % 12


def norm(s):
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def parse(path):
    tonic = None
    changes, bars, last = [], 0, None
    for line in path.read_text().splitlines():
        if line.startswith("# tonic:"):
            tonic = pc(line.split(":", 1)[1].strip())
            continue
        if line.startswith("#") or "|" not in line:
            continue
        body = line.split("\t", 1)[1]
        a, b = body.find("|"), body.rfind("|")
        cells = body[a + 1:b].split("|")
        m = re.search(r"(?:^|[\s,])x\s*(\d+)\b", body[b + 1:])
        rep = int(m.group(1)) if m else 1
        for _ in range(rep):
            for cell in cells:
                bars += 1
                for tok in cell.split():
                    if tok in (".", "*") or re.fullmatch(r"\(\d+/\d+\)", tok):
                        continue
                    if tok in ("N", "X", "&pause"):
                        continue  # no chord; the project also does not reset 'last' across gaps? (checked below)
                    mm = re.match(r"^([A-G][b#]*)(?::([^/(]*))?(?:\(([^)]*)\))?(?:/(.+))?$", tok)
                    if not mm:
                        continue
                    root, short, ext, bass = mm.groups()
                    ch = (pc(root), short or "maj", ext or "", bass or "")
                    if ch == last:
                        continue
                    last = ch
                    changes.append((ch, tonic))
    return changes, bars


def shares(changes):
    n = len(changes)
    dom = sum(1 for (r, s, e, b), t in changes if s in ("7", "9", "11", "13"))
    mino = sum(1 for (r, s, e, b), t in changes if s == "min" and not e)
    bvii = sum(1 for (r, s, e, b), t in changes if (r - t) % 12 == 10)
    return n, dom / n, mino / n, bvii / n


index = {}
with open(ROOT / "index.tsv", newline="") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        index[int(row["id"])] = row

songs = defaultdict(list)
for folder in sorted(ROOT.iterdir()):
    if not folder.name.isdigit():
        continue
    row = index[int(folder.name)]
    artist = (row["artist"] or "").replace("\t", " & ")
    songs[f"song:{norm(artist)}|{norm(row['title'])}"].append((row["chart_date"], folder.name))
print(f"chart slots {sum(map(len, songs.values()))}, distinct songs {len(songs)}, charting twice+: "
      f"{sum(len(v) > 1 for v in songs.values())}")

from tunesmith.analysis import corpus_features  # noqa: E402

t = corpus_features()
L = t.labels
col = {n: i for i, n in enumerate(t.feature_names)}
bb = [i for i, s in enumerate(L["source"]) if s == "billboard"]
by_work = {L["work_id"][i]: i for i in bb}
later = []
diffs = defaultdict(list)
for work, entries in songs.items():
    i = by_work.get(work)
    if i is None:
        print("missing in table:", work)
        continue
    first_year = int(min(entries)[0][:4])
    kept = L["piece_id"][i].split(":")[1]
    if L["year"][i] != first_year:
        later.append((work, sorted(entries), kept, L["year"][i]))
    folder = min(entries)[1]
    ch, bars = parse(ROOT / kept / "salami_chords.txt")
    n, dom, mino, bvii = shares(ch)
    x = t.X[i]
    diffs["n_chords"].append(x[col["n_chords"]] - n)
    diffs["dom7"].append(x[col["dom7_share"]] - dom)
    diffs["minor"].append(x[col["minor_share"]] - mino)
    diffs["bVII"].append(x[col["bVII_share"]] - bvii)
    diffs["n_bars"].append(x[col["n_bars"]] - bars)
print(f"songs whose table year is not their first chart year: {len(later)}")
for w in later[:10]:
    print("  ", w)
for k, v in diffs.items():
    v = np.asarray(v)
    print(f"{k:9s} |diff|>0.02 (or >1 for counts): {int((np.abs(v) > (1 if k.startswith('n_') else 0.02)).sum())} of {len(v)};"
          f" median diff {np.median(v):+.3f}; max |diff| {np.nanmax(np.abs(v)):.3f}")

if "--detail" in sys.argv:
    for work in songs:
        i = by_work[work]
        kept = L["piece_id"][i].split(":")[1]
        ch, bars = parse(ROOT / kept / "salami_chords.txt")
        n, dom, mino, bvii = shares(ch)
        x = t.X[i]
        if abs(x[col["n_chords"]] - n) > 1 or abs(x[col["dom7_share"]] - dom) > 0.02 or abs(x[col["minor_share"]] - mino) > 0.02:
            print(kept, work, "table n/dom/min", x[col["n_chords"]], round(x[col["dom7_share"]], 3),
                  round(x[col["minor_share"]], 3), "raw", n, round(dom, 3), round(mino, 3))
