"""Session 59: the soprano's notes longer than a beat, in Bach's own chorale scores (music21's
corpus) and in composed chorales (the musicality takes, the valid split's headers): per 100
beats, how many there are, how many end a phrase (a fermata on the note, or the piece's last
note) and how many stand inside a phrase; of those inside, how many the lower voices change
harmony under (a lower voice strikes a new pitch during the held note: where Bach's text would
have the soprano sing the note again, the JSB grid merges it into one long note), and how many
of those inside start on a weak beat (4/4: 2 and 4; else any but the first) or between beats.

    python docs/notes/2026-12-06-session-59/long_soprano_notes.py [PIECES]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from evaluate_musicality import read_real  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.corpus.sources import music21_corpus_dir  # noqa: E402
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, real_pieces  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402


def voices(piece):
    named = {t.role: t for t in piece.tracks}
    if all(r in named for r in ("soprano", "alto", "tenor", "bass")):
        return [named[r].notes for r in ("soprano", "alto", "tenor", "bass")]
    return [t.notes for t in piece.tracks[:4]]


def count(pieces) -> dict:
    out = {
        "beats": 0.0,
        "long": 0,
        "phrase_end": 0,
        "inside": 0,
        "inside_moving": 0,
        "inside_weak": 0,
        "inside_weak_moving": 0,
    }
    for p in pieces:
        vs = voices(p)
        if len(vs) < 4 or not vs[0]:
            continue
        sop = sorted(vs[0], key=lambda n: n.onset)
        beat = p.time_signature.beat_length if hasattr(p.time_signature, "beat_length") else 1.0
        out["beats"] += (sop[-1].onset + sop[-1].duration - sop[0].onset) / beat
        ferm = {round(f, 3) for f in (getattr(p, "fermatas", None) or [])}
        lower_onsets = [{round(n.onset, 3): n.pitch for n in v} for v in vs[1:]]
        for k, n in enumerate(sop):
            if n.duration <= beat + 1e-6:
                continue
            out["long"] += 1
            if k == len(sop) - 1 or round(n.onset, 3) in ferm:
                out["phrase_end"] += 1
                continue
            out["inside"] += 1
            lo, hi = n.onset + 1e-6, n.onset + n.duration - 1e-6
            moving = any(any(lo < t < hi for t in lv) for lv in lower_onsets)
            out["inside_moving"] += moving
            # from a weak beat (4/4: beats 2 and 4; 3/4: 2 and 3) or between beats, held over the next
            bar_start = max([b for b in p.bars() if b <= n.onset + 1e-6] or [0.0])
            pos = (n.onset - bar_start) / beat
            strong = abs(pos) < 1e-6 or (p.time_signature.numerator == 4 and abs(pos - 2) < 1e-6)
            out["inside_weak"] += not strong
            out["inside_weak_moving"] += (not strong) and moving
    b = out["beats"] / 100
    return {k: (round(v / b, 2) if k != "beats" else round(v)) for k, v in out.items()}


def main(n: int = 120) -> None:
    bach = read_real("chorale", [str(music21_corpus_dir() / "bach")], [])[0][: int(n)]
    print("Bach's scores (per 100 beats):", count(bach))
    corpus = load_corpus(None)
    valid = {"chorale": list(corpus.filter(split="valid", style="chorale"))}
    grid = real_pieces(valid, "chorale", int(n), 0)
    print("JSB grid, valid split:        ", count(grid))
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
    takes = compose_like(model, tok, grid, "chorale", MusicalityConfig(per_style=int(n), seed=0))
    print("composed (valid headers):     ", count(takes))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
