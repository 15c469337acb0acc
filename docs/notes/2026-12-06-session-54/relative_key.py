"""How often `api._note_relative_key_against_the_notes` would speak on real tunes with a written key
(the valid split): asked their relative key (a hit: the note should speak), and asked their own
key while the signature read as the relative (a false note).

    .venv/bin/python docs/notes/2026-12-06-session-54/relative_key.py
"""

from collections import Counter

from tunesmith.api import KEY_FIT_MARGIN, _key_fits
from tunesmith.corpus import load_corpus

# the other mode of the same signature: (mode, semitones from the tonic to its tonic)
RELATIVE = {"major": ("minor", 9), "minor": ("major", 3), "dorian": ("major", 10), "mixolydian": ("major", 5)}

corpus = load_corpus(None)
told, n = Counter(), Counter()
for style in ("folk", "chorale", "pop", "jazz"):
    for piece in corpus.filter(split="valid", style=style):
        if not piece.keys or piece.meta.get("key_estimated") or len(piece.keys) > 1:
            continue
        key, melody = piece.key, piece.melody()
        if key.mode not in RELATIVE or melody is None or not melody.notes:
            continue
        mode, step = RELATIVE[key.mode]
        relative = (key.tonic_pc + step) % 12
        fit = _key_fits(piece, [(key.tonic_pc, key.mode), (relative, mode)])
        if fit is None:
            continue
        last = melody.notes[-1].pitch % 12
        n[(style, key.mode)] += 1
        if last == key.tonic_pc and last != relative and fit[1] < fit[0] + KEY_FIT_MARGIN:
            told[(style, key.mode, "asked the relative: told")] += 1
        if last == relative and last != key.tonic_pc and fit[0] < fit[1] + KEY_FIT_MARGIN:
            told[(style, key.mode, "asked its own: told falsely")] += 1
for k in sorted(n):
    print(*k, n[k], {what: v for (s, m, what), v in told.items() if (s, m) == k})
print("told", sum(v for k, v in told.items() if k[2].endswith(": told")), "falsely", sum(v for k, v in told.items() if k[2].endswith("falsely")), "of", sum(n.values()))
