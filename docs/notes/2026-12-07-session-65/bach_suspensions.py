"""Where Bach's 4-3 suspensions lie in his settings of the first 40 JSB validation chorales (four
parts): each note held into a beat a fourth over the bass sounding there and falling a step next
(the census's "4-3" measure), by voice, by the bass's degree over the key's tonic, by how long it
was held before the beat, and by when it resolves after it.

    .venv/bin/python docs/notes/2026-12-07-session-65/bach_suspensions.py
"""

from __future__ import annotations

import collections

from tunesmith.corpus import load_corpus


def main() -> None:
    chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:40]
    counts: collections.Counter = collections.Counter()
    for piece in chorales:
        tonic = piece.key.tonic_pc
        bass = sorted(piece.tracks[3].notes, key=lambda n: n.onset)
        for voice, role in ((0, "soprano"), (1, "alto"), (2, "tenor")):
            notes = sorted(piece.tracks[voice].notes, key=lambda n: n.onset)
            for a, b in zip(notes, notes[1:]):
                beat = float(int(a.onset) + 1)
                if not a.onset < beat < a.onset + a.duration - 1e-6:
                    continue
                low = next((n for n in bass if n.onset <= beat + 1e-6 < n.onset + n.duration), None)
                if low is None or (a.pitch - low.pitch) % 12 != 5 or not 1 <= a.pitch - b.pitch <= 2:
                    continue
                counts[role] += 1
                counts[(role, "bass degree", (low.pitch - tonic) % 12)] += 1
                counts[(role, "held before the beat", beat - a.onset)] += 1
                counts[(role, "resolves after the beat", b.onset - beat)] += 1
    for key, n in sorted(counts.items(), key=lambda kv: str(kv[0])):
        print(key, n)


if __name__ == "__main__":
    main()
