"""How well the preference model learns tastes it was not written for: one pool of the shipped
model's folk takes (8 bars, `tuning_experiments.takes_of`, 240 takes, seed 3), and for each hidden
taste 500 pairs rated by a simulated rater as decided as `--ceiling` 0.84 (`tuning_experiments`),
over several draws of the pairs. Per taste: held-out pairwise accuracy (`fit_pairs`, 100 pairs),
and the agreement of the fitted score with the taste itself on every pair of the pool (noise-free:
the rater's coin left out). The tastes in NEW were written in session 33 before any change to the
reward model's features, as tastes it does not know; those in LATE after the first change (shape
and rhythm descriptors), to check it; those in FINAL after LATE's result, before the second
(interval and rhythm bigrams).
    python docs/notes/2026-12-03-session-33/reward_model_tastes.py [DRAWS] [--pool FILE]"""
import json
import math
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, "scripts")
import tuning_experiments as te  # noqa: E402

from tunesmith.metrics._common import melody_line  # noqa: E402
from tunesmith.rewards.preference import fit_pairs  # noqa: E402


def _line(p):
    line = melody_line(p)
    return line, p.time_signature.beat_length


def taste_sparse(p):
    """Room to breathe: rests about a sixth of the time, about one note a beat."""
    line, beat = _line(p)
    if len(line) < 2:
        return -5.0
    total = (line[-1].onset + line[-1].duration - line[0].onset)
    sounding = sum(n.duration for n in line)
    rest = max(0.0, 1 - sounding / max(total, 1e-6))
    density = len(line) / max(total / beat, 1e-6)
    return -6 * abs(rest - 0.15) - abs(density - 1.0)


def taste_high(p):
    """Bright: a high register (mean above D5) and a top note of A5 or more."""
    line, _ = _line(p)
    if len(line) < 2:
        return -5.0
    ps = [n.pitch for n in line]
    return min(0.0, (np.mean(ps) - 74) / 3) + (max(ps) >= 81)


def taste_dotted(p):
    """Dotted rhythm: long-short pairs where the long note is three times the short."""
    line, _ = _line(p)
    if len(line) < 3:
        return -5.0
    d = [n.duration for n in line]
    dotted = sum(abs(a - 3 * b) < 1e-6 for a, b in zip(d, d[1:])) / (len(d) - 1)
    return 8 * dotted


def taste_second_half_wider(p):
    """Growth: the second half of the melody spans more than the first, and climbs higher."""
    line, _ = _line(p)
    if len(line) < 4:
        return -5.0
    ps = [n.pitch for n in line]
    h = len(ps) // 2
    a, b = ps[:h], ps[h:]
    return ((max(b) - min(b)) - (max(a) - min(a))) / 4 + (max(b) > max(a))


def taste_turns(p):
    """Turning figures: the melody changes direction often, with few notes repeated."""
    line, _ = _line(p)
    if len(line) < 3:
        return -5.0
    iv = [b.pitch - a.pitch for a, b in zip(line, line[1:])]
    turns = sum((x > 0) != (y > 0) for x, y in zip(iv, iv[1:]) if x and y) / max(1, len(iv) - 1)
    reps = sum(x == 0 for x in iv) / len(iv)
    return 4 * turns - 4 * reps


def taste_low_start_high_end(p):
    """Rising: ends higher than it starts, the last bar above the first on average."""
    line, _ = _line(p)
    if len(line) < 2:
        return -5.0
    bar = p.time_signature.bar_length
    first = [n.pitch for n in line if n.onset < line[0].onset + bar]
    last = [n.pitch for n in line if n.onset >= line[-1].onset - bar + 1e-6]
    return (np.mean(last) - np.mean(first)) / 3


def taste_late_climax(p):
    """The climax late: the highest note in the last quarter, reached by step."""
    line, _ = _line(p)
    if len(line) < 4:
        return -5.0
    ps = [n.pitch for n in line]
    i = ps.index(max(ps))
    return 2 * (i >= 0.75 * (len(ps) - 1)) + (abs(ps[i] - ps[i - 1]) <= 2 if i else 0)


def taste_descending_runs(p):
    """Lines that run down by step: the longest run of falling steps, and how many such runs of 3+."""
    line, _ = _line(p)
    if len(line) < 3:
        return -5.0
    iv = [b.pitch - a.pitch for a, b in zip(line, line[1:])]
    runs, cur, best = 0, 0, 0
    for x in iv + [0]:
        if -2 <= x <= -1:
            cur += 1
        else:
            runs += cur >= 3
            best, cur = max(best, cur), 0
    return best / 2 + runs


def taste_gap_fill(p):
    """Leaps answered: a leap of a fourth or more followed by a step the other way, per leap."""
    line, _ = _line(p)
    if len(line) < 3:
        return -5.0
    iv = [b.pitch - a.pitch for a, b in zip(line, line[1:])]
    leaps = [(x, y) for x, y in zip(iv, iv[1:]) if abs(x) >= 5]
    if not leaps:
        return 0.0
    return 3 * sum(0 < abs(y) <= 2 and (x > 0) != (y > 0) for x, y in leaps) / len(leaps) + 0.2 * len(leaps)


def taste_arpeggios(p):
    """Broken chords: two thirds in a row the same way (a triad outlined), per note."""
    line, _ = _line(p)
    if len(line) < 3:
        return -5.0
    iv = [b.pitch - a.pitch for a, b in zip(line, line[1:])]
    arp = sum(3 <= abs(x) <= 4 and 3 <= abs(y) <= 4 and (x > 0) == (y > 0) for x, y in zip(iv, iv[1:]))
    return 10 * arp / len(line)


def taste_off_beat_long(p):
    """Syncopation proper: notes struck off the beat that last through the next beat."""
    line, beat = _line(p)
    if len(line) < 2:
        return -5.0
    sync = sum(abs(n.onset / beat - round(n.onset / beat)) > 1e-6
               and math.floor(n.onset / beat + 1e-9) < math.floor((n.onset + n.duration) / beat - 1e-9) for n in line)
    return 10 * sync / len(line)


def taste_neighbour_notes(p):
    """Ornamented: neighbour notes, a step away and straight back (x, x +- 1 or 2, x), per note."""
    line, _ = _line(p)
    if len(line) < 3:
        return -5.0
    ps = [n.pitch for n in line]
    return 10 * sum(a == c and 0 < abs(b - a) <= 2 for a, b, c in zip(ps, ps[1:], ps[2:])) / len(ps)


def taste_even_rhythm(p):
    """Even motion: consecutive notes of the same length, as a share."""
    line, _ = _line(p)
    if len(line) < 3:
        return -5.0
    d = [n.duration for n in line]
    return 4 * sum(abs(a - b) < 1e-6 for a, b in zip(d, d[1:])) / (len(d) - 1)


def taste_sequences(p):
    """Sequences: a figure of three intervals played again at once, at another pitch."""
    line, _ = _line(p)
    if len(line) < 8:
        return -5.0
    ps = [n.pitch for n in line]
    iv = [b - a for a, b in zip(ps, ps[1:])]
    hits = sum(iv[i:i + 3] == iv[i + 3:i + 6] and ps[i] != ps[i + 3] for i in range(len(iv) - 5))
    return 3 * hits / len(ps) * 10


def taste_wide_then_narrow(p):
    """Leaps early, steps late: the first half's mean interval over the second half's."""
    line, _ = _line(p)
    if len(line) < 6:
        return -5.0
    iv = [abs(b.pitch - a.pitch) for a, b in zip(line, line[1:])]
    h = len(iv) // 2
    return float(np.mean(iv[:h]) - np.mean(iv[h:]))


FINAL = {"neighbour_notes": taste_neighbour_notes, "even_rhythm": taste_even_rhythm, "sequences": taste_sequences,
         "wide_then_narrow": taste_wide_then_narrow}
LATE = {"descending_runs": taste_descending_runs, "gap_fill": taste_gap_fill, "arpeggios": taste_arpeggios,
        "off_beat_long": taste_off_beat_long}
NEW = {"sparse": taste_sparse, "high": taste_high, "dotted": taste_dotted, "growth": taste_second_half_wider,
       "turns": taste_turns, "rising": taste_low_start_high_end, "late_climax": taste_late_climax}
TASTES = {**te.TASTES, **NEW, **LATE}
if "--late" in sys.argv:
    TASTES = LATE
if "--final" in sys.argv:
    TASTES = FINAL


def pool_takes(path: Path, n: int = 240):
    if path.exists():
        return pickle.loads(path.read_bytes())
    model, tok, _ = te.load("default")
    pool = [t.piece for t in te.takes_of(model, tok, "folk", n, 8, 3).takes]
    path.write_bytes(pickle.dumps(pool))
    return pool


def run(pool, draws: int) -> dict:
    out = {}
    for name, u in TASTES.items():
        us = np.array([u(p) for p in pool])
        scale = te._scale_for_ceiling(list(us), 0.84)
        acc, agree = [], []
        for d in range(draws):
            rng = np.random.default_rng(100 + d)
            pairs = []
            for _ in range(500):
                i, j = rng.choice(len(pool), 2, replace=False)
                x, y = pool[i], pool[j]
                z = float(np.clip(scale * (u(x) - u(y)), -50, 50))  # te.rater_prefers, without its overflow
                pairs.append((x, y) if rng.random() < 1 / (1 + math.exp(-z)) else (y, x))
            model, report = fit_pairs(pairs, seed=d)
            acc.append(report["heldout_accuracy"])
            s = np.array([model(p) for p in pool])
            iu = np.triu_indices(len(pool), 1)
            du, ds = (us[:, None] - us[None, :])[iu], (s[:, None] - s[None, :])[iu]
            keep = np.abs(du) > 1e-9
            agree.append(float(np.mean(np.sign(du[keep]) == np.sign(ds[keep]))))
        out[name] = {"heldout_accuracy": round(float(np.mean(acc)), 3), "sd": round(float(np.std(acc)), 3),
                     "agreement_with_taste": round(float(np.mean(agree)), 3), "form": report["form"]}
        print(name, out[name], flush=True)
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    draws = int(args[0]) if args else 3
    path = Path(sys.argv[sys.argv.index("--pool") + 1]) if "--pool" in sys.argv else Path("runs/s33/pool_folk8.pkl")
    path.parent.mkdir(parents=True, exist_ok=True)
    pool = pool_takes(path)
    res = run(pool, draws)
    print(json.dumps(res, indent=1))
