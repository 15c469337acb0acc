"""Session 58's census loop, shared by `anticipations.py`, `bass_moves.py` and
`lower_voice_motion.py`: a census (a function of a four-voice piece giving a Counter) summed over
Bach's chorales, then over their sopranos harmonized by `tunesmith.harmonize` (seed = the chorale's
place in the list), each sum given to `report(name, total)`."""

import collections
import copy

import tunesmith as ts


def bach_against_harmonized(chorales, census, report) -> None:
    report("bach", sum((census(p) for p in chorales), collections.Counter()))
    harmonized = collections.Counter()
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        harmonized += census(ts.harmonize(soprano, style="chorale", seed=i).piece)
    report("harmonized", harmonized)
