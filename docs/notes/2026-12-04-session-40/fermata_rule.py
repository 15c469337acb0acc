"""fermata_cadences.py with a rule tried and not kept: no III (the relative major) under a minor-key
soprano on the fifth degree at an inner fermata. Session 40.
    python docs/notes/2026-12-04-session-40/fermata_rule.py valid 40"""
import runpy
import sys

from tunesmith import harmonizer as H

orig = H.Harmonizer.plan
def plan(self, piece, *, key=None, rng=None, temperature=None, triads_at=()):
    if not triads_at or (key.mode or "").lower() not in ("minor", "aeolian"):
        return orig(self, piece, key=key, rng=rng, temperature=temperature, triads_at=triads_at)
    mel = piece.melody()
    fixed = []
    for f in triads_at:
        n = next((x for x in mel.notes if x.onset - 1e-6 <= f < x.onset + x.duration - 1e-6), None)
        if n is not None and (n.pitch - key.tonic_pc) % 12 == 7:
            fixed.append(f)
    if not fixed:
        return orig(self, piece, key=key, rng=rng, temperature=temperature, triads_at=triads_at)
    lp = self.log_probs
    def log_probs(p, units, k):
        out = lp(p, units, k).copy()
        III = 3 * len(H.QUALITY_NAMES) + H.QUALITY_NAMES.index("")
        for u, (s, e) in enumerate(units):
            if any(s - 1e-6 <= f < e - 1e-6 for f in fixed):
                out[u, III] = -1e9
        return out
    self.log_probs = log_probs
    try:
        return orig(self, piece, key=key, rng=rng, temperature=temperature, triads_at=triads_at)
    finally:
        del self.log_probs
H.Harmonizer.plan = plan
sys.argv = ["x"] + sys.argv[1:]
runpy.run_path("docs/notes/2026-12-04-session-40/fermata_cadences.py", run_name="__main__")
