"""A dance's takes with and without its note-length moves, against the held-out tunes of the
dance (valid + test, shippable, `fit_dance_profiles.dance_pieces`, cut to the takes' 16 bars):
quarter-eighth alternations (q-8-q or 8-q-8) per 100 beats, quarter-after-quarter and eighth-run
measures, the TV of the length moves, eighths' share of notes, mean interval, recurring bars, and a
fresh classifier's two-sample accuracy (3 seeds). Takes in the held-out tunes' keys by turns,
seeds 900.. . LENGTH_MOVES=off pops the dance's moves (the code before). Session 35.
    [LENGTH_MOVES=off] python docs/notes/2026-12-04-session-35/dance_moves_eval.py DANCE [N]"""
import os
import sys

import numpy as np

sys.path.insert(0, "scripts")
from fit_dance_profiles import dance_pieces  # noqa: E402
from fit_length_moves import distance, length_moves  # noqa: E402

import tunesmith as ts  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.evaluation.musicality import c2st_accuracy, length_matched, measure  # noqa: E402
from tunesmith.metrics.musicality import melody_line  # noqa: E402
from tunesmith.sampling.feedback import length_class  # noqa: E402

dance = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 48
E, Q = length_class(6), length_class(12)
corpus = load_corpus(None)
real = [p for s in ("valid", "test") for p in dance_pieces(corpus, dance, s) if p.melody() is not None]
real = length_matched(real, "folk", 16)
keys = [(p.key.tonic, p.key.mode) for p in real if p.key is not None]
model = ts.load_model("default")
entry = model.model.decoding["folk"]["dances"][dance]
if os.environ.get("LENGTH_MOVES") == "off":
    entry.pop("length_moves", None)
print(f"{dance}: length moves {'on' if 'length_moves' in entry else 'off'}; {len(real)} held-out tunes", flush=True)


def rhythm(pieces):
    alt = beats = runs = 0.0
    runs_n = 0
    for p in pieces:
        c = [length_class(x.duration * 12) for x in melody_line(p)]
        alt += sum((a, b, d) in ((Q, E, Q), (E, Q, E)) for a, b, d in zip(c, c[1:], c[2:]))
        line = melody_line(p)
        beats += line[-1].onset - line[0].onset
        k = 0
        for x in c + [-1]:
            if x == E:
                k += 1
            elif k:
                runs += k
                runs_n += 1
                k = 0
    notes = sum(len(melody_line(p)) for p in pieces)
    eighths = sum(length_class(x.duration * 12) == E for p in pieces for x in melody_line(p)) / notes
    return {"alternations_per_100_beats": round(100 * alt / beats, 2), "eighth_run_mean": round(runs / max(1, runs_n), 2),
            "eighths": round(eighths, 3)}  # fmt: skip


R = length_moves(real)
takes = [ts.compose(style="folk", dance=dance, key=keys[s % len(keys)][0], mode=keys[s % len(keys)][1], bars=16,
                    seed=900 + s, check=False).piece for s in range(n)]  # fmt: skip
T = length_moves(takes)
for label, pieces, M in (("real", real, R), ("takes", takes, T)):
    m = measure(pieces)
    print(f"{label:6s} {rhythm(pieces)} q->q {M[Q, Q] / M.sum():.3f} interval {m['mean_abs_interval']:.2f} "
          f"recurring {m['repeated_bar_share']:.3f}", flush=True)
acc = [c2st_accuracy(real, takes, folds=5, seed=k) for k in range(3)]
print(f"TV of moves {distance(T, R):.4f}; classifier {np.mean(acc):.3f} ± {np.std(acc):.3f}")
