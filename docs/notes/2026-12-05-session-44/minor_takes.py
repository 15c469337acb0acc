"""How often a lead sheet asked for a minor key is heard in it: takes over the style's own tonics
(no chords given), music21's key estimate of the melody (with its chord symbols' tones), and the
time on the minor third against the major third over the tonic.

    python docs/notes/2026-12-05-session-44/minor_takes.py STYLE N [--set-profile FROM_STYLE]

`--set-profile folk` gives the style the minor degree profile of another style (a what-if)."""

from __future__ import annotations

import sys

import tunesmith

TONICS = ("A", "D", "E", "G", "C", "B", "F#", "Bb", "F", "C#")


def heard(piece):
    import music21

    s = music21.stream.Stream()
    for n in piece.melody().notes:
        s.append(music21.note.Note(n.pitch, quarterLength=max(n.duration, 0.25)))
    k = s.analyze("key")
    return k.tonic.pitchClass, k.mode


def minor_figures(pieces) -> str:
    """The measures of the module's docstring over `pieces` (each in a minor key), as one line."""
    n = ok = relmaj = parmaj = 0
    m3 = M3 = 0.0
    for p in pieces:
        n += 1
        tpc = p.keys[0].tonic_pc
        pc, mode = heard(p)
        ok += pc == tpc and mode == "minor"
        relmaj += pc == (tpc + 3) % 12 and mode == "major"
        parmaj += pc == tpc and mode == "major"
        for x in p.melody().notes:
            d = (x.pitch - tpc) % 12
            m3 += x.duration * (d == 3)
            M3 += x.duration * (d == 4)
    return (f"{n} pieces: heard in the minor key asked {ok / n:.2f}, its relative major {relmaj / n:.2f}, its parallel "
            f"major {parmaj / n:.2f}; time on the minor third / major third {m3 / max(m3 + M3, 1e-9):.2f} / "
            f"{M3 / max(m3 + M3, 1e-9):.2f}")


def main():
    style, n = sys.argv[1], int(sys.argv[2])
    model = tunesmith.load_model("default")
    if "--set-profile" in sys.argv:
        src = sys.argv[sys.argv.index("--set-profile") + 1]
        dec = model.model.decoding
        dec[style].setdefault("degree_profile", {})["minor"] = dec[src]["degree_profile"]["minor"]
    takes = (tunesmith.compose(style, key=TONICS[s % len(TONICS)], mode="minor", seed=s, model=model, check=False).piece
             for s in range(n))
    print(f"{style} minor takes {' '.join(sys.argv[3:])}: {minor_figures(takes)}")


if __name__ == "__main__":
    main()
