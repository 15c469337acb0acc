"""How chromatic notes sit in four-part chorales: Bach's (JSB validation) against composed 8-bar
chorales (musician_checks.composed_chorales, seeds 500...). A note is chromatic when its pitch class
is outside the key (major scale; in minor natural, harmonic and melodic minor). Per 100 beats:
  chromatic notes, per voice;
  "chains": a voice moving by semitone into and out of a chromatic note (a chromatic passing or
    neighbour note), and of them "oscillations": x, x+-1, x, x+-1 (a trill-like return);
  "runs": three or more semitone steps in a row in one voice;
  "shifts": beats whose sonority holds a chromatic pitch class not in the beat before or after it
    (a chromatic chord for one beat) -- per 100 beats;
  "busy bars": bars where 2+ distinct chromatic pitch classes sound.
Session 33.
    python docs/notes/2026-12-03-session-33/chromatic_lines.py [N]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

MAJOR = {0, 2, 4, 5, 7, 9, 11}
MINOR = {0, 2, 3, 5, 7, 8, 10, 9, 11}


def measure(pieces) -> dict:
    c = Counter()
    for p in pieces:
        key = p.keys[0]
        tonic = key.tonic_pc
        scale = MINOR if key.mode == "minor" else MAJOR

        def chrom(pitch):
            return (pitch - tonic) % 12 not in scale

        beat = p.time_signature.beat_length
        end = max(n.onset + n.duration for t in p.tracks for n in t.notes)
        beats = int(end / beat + 0.5)
        c["beats"] += beats
        bar = p.time_signature.bar_length
        chrom_by_bar: dict[int, set] = {}
        chrom_by_beat: dict[int, set] = {}
        for t in p.tracks:
            notes = sorted(t.notes, key=lambda x: x.onset)
            ps = [n.pitch for n in notes]
            for i, n in enumerate(notes):
                c["notes"] += 1
                if chrom(n.pitch):
                    c["chromatic"] += 1
                    c[f"chromatic_{t.role}"] += 1
                    chrom_by_bar.setdefault(int(n.onset // bar), set()).add(n.pitch % 12)
                    for b in range(int(n.onset // beat), int((n.onset + n.duration - 1e-6) // beat) + 1):
                        chrom_by_beat.setdefault(b, set()).add(n.pitch % 12)
                    if 0 < i < len(ps) - 1 and abs(ps[i] - ps[i - 1]) == 1 and abs(ps[i + 1] - ps[i]) == 1:
                        c["chains"] += 1
                        if ps[i + 1] == ps[i - 1] and i + 2 < len(ps) and ps[i + 2] == ps[i]:
                            c["oscillations"] += 1
            for i in range(len(ps) - 3):
                if all(abs(ps[i + k + 1] - ps[i + k]) == 1 for k in range(3)):
                    c["runs"] += 1
        c["busy_bars"] += sum(len(v) >= 2 for v in chrom_by_bar.values())
        c["bars"] += int(end / bar + 0.5)
        for b, pcs in chrom_by_beat.items():
            if any(pc not in chrom_by_beat.get(b - 1, set()) and pc not in chrom_by_beat.get(b + 1, set()) for pc in pcs):
                c["shifts"] += 1
    per100 = {k: round(100 * c[k] / c["beats"], 2) for k in ("chromatic", "chains", "oscillations", "runs", "shifts")}
    per100.update({k: round(100 * c[k] / c["beats"], 2) for k in c if k.startswith("chromatic_")})
    per100["busy_bar_share"] = round(c["busy_bars"] / c["bars"], 3)
    per100["pieces"], per100["beats"] = len(pieces), c["beats"]
    return per100


if __name__ == "__main__":
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}, indent=1))
