"""Dominant sevenths left unresolved (`metrics.harmony_rules.unresolved_dominant_sevenths`):
Bach's chorales (corpus, a split), composed chorales (8 keys) and harmonized JSB sopranos.

    python docs/notes/2026-12-03-session-29/sevenths.py [--model default] [--n 40] [--split valid]
"""
import argparse
import sys

sys.path.insert(0, "scripts")
from musician_checks import composed_chorales, harmonized_sopranos  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.metrics.harmony_rules import unresolved_dominant_sevenths  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=40)
ap.add_argument("--split", default="valid")
ap.add_argument("--skip-bach", action="store_true")
args = ap.parse_args()


def rate(pieces, name):
    u = s = beats = 0
    for p in pieces:
        a, b = unresolved_dominant_sevenths(p)
        u, s, beats = u + a, s + b, beats + p.duration()
    print(f"{name}: {len(pieces)} pieces, {s} sevenths, {u} unresolved ({u / max(s, 1):.3f}); "
          f"{100 * u / beats:.2f} per 100 beats", flush=True)


chorales = [p for p in load_corpus(None).filter(split=args.split, style="chorale") if len(p.tracks) == 4]
if not args.skip_bach:
    rate(chorales, f"Bach ({args.split})")
rate(composed_chorales(args.n), "composed")
rate(harmonized_sopranos(chorales[: args.n]), "harmonized")
