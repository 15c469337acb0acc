"""Why a composed chorale's bass strikes its last pitch again: at every bass pitch choice, the
model's own probability of the repeat (softmax of the raw logits over the allowed pitches), the
probability after the constrainer's biases, and whether the repeat was the only pitch allowed;
split by whether the repeat was chosen. Composed 8-bar chorales, seeds 500.. Session 34.
    python docs/notes/2026-12-04-session-34/bass_repeat_why.py [N] [voice]"""
import sys
from collections import Counter

import numpy as np

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.sampling import automaton, decode  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 40
VOICE = int(sys.argv[2]) if len(sys.argv) > 2 else 3
state = {"a": None, "raw": None}
rows = []
orig_bias, orig_sample = automaton.Constrainer.tonal_bias, decode._sample


def bias(self):
    state["a"] = self
    return orig_bias(self)


def softmax_on(logits, allowed):
    x = logits[allowed]
    x = np.exp(x - x.max())
    return dict(zip(allowed.tolist(), (x / x.sum()).tolist()))


def sample(logits, allowed, temperature, top_p, rng):
    a = state["a"]
    tok, lp = orig_sample(logits, allowed, temperature, top_p, rng)
    if a is not None and a.v == VOICE and a.state in (automaton._VOICE, automaton._NPOS) and a.voice_recent[VOICE]:
        t = a.t
        last = a.voice_recent[VOICE][-1]
        idx = np.flatnonzero(t.pitch_real == last)
        if len(idx) and np.isin(allowed, t.pitch_ids).all():
            rep = int(t.pitch_ids[idx[0]])
            after = softmax_on(np.asarray(logits, float), np.asarray(allowed))
            raw = softmax_on(np.asarray(state["raw"], float), np.asarray(allowed)) if state["raw"] is not None else after
            rows.append({"chosen": tok == rep, "allowed": rep in set(allowed.tolist()), "only": len(allowed) == 1 and rep == allowed[0],
                         "n_allowed": len(allowed), "p_raw": raw.get(rep, 0.0), "p_after": after.get(rep, 0.0)})
    state["a"] = None
    return tok, lp


orig_step = None


def patch_decoder():
    global orig_step
    orig_for = decode._decoder_for

    def decoder_for(model):
        d = orig_for(model)
        step = d.step

        def stepped(feed):
            out = step(feed)
            state["raw"] = out[0].copy()
            return out
        d.step = stepped
        return d
    decode._decoder_for = decoder_for


automaton.Constrainer.tonal_bias = bias
decode._sample = sample
patch_decoder()
mc.composed_chorales(N)
ch = [r for r in rows if r["chosen"]]
nc = [r for r in rows if not r["chosen"]]
print(f"voice {VOICE}: {len(rows)} pitch choices, repeat chosen {len(ch)}, repeat allowed {sum(r['allowed'] for r in rows)}")
for name, rs in (("repeat chosen", ch), ("not chosen", nc)):
    if rs:
        print(f"  {name}: only pitch allowed {sum(r['only'] for r in rs)}; mean allowed {np.mean([r['n_allowed'] for r in rs]):.1f}; "
              f"model p(repeat) {np.mean([r['p_raw'] for r in rs]):.3f} (median {np.median([r['p_raw'] for r in rs]):.3f}); "
              f"after biases {np.mean([r['p_after'] for r in rs]):.3f}")
print(Counter(round(r["p_raw"], 1) for r in ch))
