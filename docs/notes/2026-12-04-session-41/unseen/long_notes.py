"""Where the takes hold a note for two beats or more (a half, dotted half or whole note), which the
unseen reels, jigs and hornpipes almost never do: the takes of the seed-0 sample's dance tunes (R:
reel, jig, hornpipe), asked as the run asks (tempo 120) and at the dance's tempo
(request_variants.py's dance_tempo). Position: in the take's last bar, in the last bar of a strain
(every 8th bar as played), or elsewhere.

    python docs/notes/2026-12-04-session-41/unseen/long_notes.py
"""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))
import evaluate_musicality as em  # noqa: E402
from per_piece import M21, tune_type  # noqa: E402
from request_variants import varied  # noqa: E402

from tunesmith.evaluation import musicality as mu  # noqa: E402
from tunesmith.harmonizer import harmonize_takes  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402
from tunesmith.sampling import generate  # noqa: E402

model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
pool, _ = em.read_real("folk", [str(M21 / "oneills1850"), str(M21 / "ryansMammoth")], [])
config = mu.MusicalityConfig(seed=0)
reals = mu.real_pieces({"folk": pool}, "folk", config.per_style, 0)
dance = [(i, p) for i, p in enumerate(reals) if tune_type(p) in ("reel", "jig", "hornpipe")]
for variant in ("as_run", "dance_tempo"):
    where, takes_with = Counter(), 0
    for i, p in dance:
        req = varied(mu.request_for(p, "folk", config.max_bars, i), p, variant)
        got = generate(model, tok, req, n=1)
        harmonize_takes(got, req, model)
        take = got[0].piece
        bars = take.bars()
        mel = take.melody().notes
        long = [n for n in mel if n.duration >= 2 - 1e-6]
        takes_with += bool(long)
        for n in long:
            b = max(k for k, onset in enumerate(bars) if onset <= n.onset + 1e-6)
            has_pickup = bars and bars[0] < 1e-6 and len(bars) > 1 and bars[1] - bars[0] < take.bars()[-1] - take.bars()[-2] - 1e-6
            k = b - (1 if has_pickup else 0)
            where["last bar" if b == len(bars) - 1 else "end of an 8-bar strain" if k % 8 == 7 else "inside a strain"] += 1
    print(f"{variant}: {len(dance)} dance-tune takes, {takes_with} hold a note >= 2 beats; those notes: {dict(where)}")
