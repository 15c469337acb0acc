import sys
sys.path.insert(0, "scripts")
from collections import Counter
from musician_checks import harmonized_sopranos, composed_chorales
from tunesmith.corpus import load_corpus
from tunesmith.metrics import harmony_rules as hr
chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) == 4]
def by_voice(pieces, name):
    c, tot = Counter(), Counter()
    for p in pieces:
        v = hr._voices(p)
        german = (p.key.tonic_pc + 8) % 12 if p.key else None
        for role in hr.VOICES:
            for n, m in zip(v[role].notes, v[role].notes[1:]):
                end = n.onset + n.duration
                if abs(m.onset - end) > 1e-6: continue
                root = (n.pitch + 2) % 12
                if root == german: continue
                snd = {q % 12 for r in hr.VOICES for q in (v[r].pitch_at(end - 1e-3),) if q is not None}
                if root in snd and (root + 4) % 12 in snd:
                    tot[role] += 1
                    if (m.pitch - n.pitch) not in (0, -1, -2):
                        c[(role, "key V7" if p.key and root == (p.key.tonic_pc + 7) % 12 else "other", m.pitch - n.pitch)] += 1
    print(name, dict(tot)); print("  ", c.most_common(14))
by_voice(chorales, "bach")
by_voice(harmonized_sopranos(chorales[:40]), "harmonized")
