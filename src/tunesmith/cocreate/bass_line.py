"""The bass line a chorale harmonization plans over the harmonizer's chords: on each beat the
chord's root or its third (a first inversion), chosen over the whole soprano at once so that the
bass moves by step where the chords allow (I6 IV V I: E F G C under C F G C, where roots alone
leap C F G C).

    plan = _chorale_plan(W, tonic, mode)          # (onset, chord tones, root first) per beat
    basses = plan_bass(plan, soprano_notes, fermatas)  # (onset, the bass's pitch class) per beat

Why by hand: the choice is a two-state Viterbi over the plan's beats (root or third), a dozen
lines; no library decodes a bass over given chords. The voices are still written by the model:
the planned pitch class is the bass's first choice where the voice leading allows
(`voice_leading.VoiceLeading.planned_bass`)."""

from __future__ import annotations

from collections.abc import Sequence

from tunesmith import voice_leading
from tunesmith.score import Note

# What a planned bass gains for a step (one or two semitones, either way, as pitch classes) from
# the bass planned on the beat before, and what a first inversion costs against the root. Any
# cost under the gain takes the third wherever it makes a step on one side; at or over it, only
# where it makes steps on both. Bach's basses, on the beats of 23 of music21's chorales: steps
# 0.342 of their moves, complete chords on their third 0.278; the harmonized sopranos' basses on
# roots where they could: 0.247, 0.183; with the plan 0.309, 0.215 (seed 1; seeds 2 and 3: 0.246 ->
# 0.280, 0.187 -> 0.208; docs/notes session 49, chorale_bass.py, session 46's chorale_vocabulary.py).
STEP_GAIN = 1.0
FIRST_INVERSION_COST = 0.5
PLANNED_BASS = True  # (False: the bass's tiers alone choose, as before session 49)


def _is_step(a: int, b: int) -> bool:
    return min((a - b) % 12, (b - a) % 12) in (1, 2)


def plan_bass(plan: Sequence[tuple[float, Sequence[int]]], soprano: Sequence[Note],
              fermatas: Sequence[float] = ()) -> tuple[tuple[float, int], ...]:  # fmt: skip
    """Per beat of `plan` ((onset in beats, the chord's pitch classes, root first)), the pitch
    class the bass is planned to sing: the root, or the chord's third where that makes the line
    move by step (`STEP_GAIN` against `FIRST_INVERSION_COST`). Never the third under a fermata or
    on the beat before one (a phrase closes V I on roots), on the last beat, or where the soprano
    sings that third as the beat starts (the bass would double it)."""
    if not plan:
        return ()
    last = len(plan) - 1
    options: list[list[tuple[int, float]]] = []  # per beat: (pitch class, cost)
    for i, (onset, tones) in enumerate(plan):
        root = int(tones[0])
        opts = [(root, 0.0)]
        third = next((int(t) for t in tones[1:] if (int(t) - root) % 12 in (3, 4)), None)
        # under a fermata and on the beat before it (a cadence's V), the root: planned on the third
        # there, the beat before a fermata had lacked a third 0.059 of the time (0.013 unplanned)
        at_fermata = any(abs(f - onset) < 1e-6 for f in fermatas) or (
            i < last and any(abs(f - plan[i + 1][0]) < 1e-6 for f in fermatas))  # fmt: skip
        sung = {n.pitch % 12 for n in soprano if n.onset <= onset + 1e-6 < n.onset + n.duration}
        if third is not None and not at_fermata and voice_leading.stands_on_its_third(tones):
            opts = [(third, 0.0)]  # vii°6, ii°6: the third doubled, the soprano's too (`voice_leading`)
        elif third is not None and not at_fermata and i != last and third not in sung:
            opts.append((third, FIRST_INVERSION_COST))
        options.append(opts)
    score = [-cost for _, cost in options[0]]
    back: list[list[int]] = []
    for i in range(1, len(options)):
        row, came = [], []
        for pc, cost in options[i]:
            gains = [score[j] + STEP_GAIN * _is_step(prev, pc) for j, (prev, _) in enumerate(options[i - 1])]
            j = max(range(len(gains)), key=gains.__getitem__)
            came.append(j)
            row.append(gains[j] - cost)
        score, back = row, [*back, came]
    k = max(range(len(score)), key=score.__getitem__)
    path = [k]
    for came in reversed(back):
        k = came[k]
        path.append(k)
    path.reverse()
    return tuple((float(plan[i][0]), options[i][k][0]) for i, k in enumerate(path))
