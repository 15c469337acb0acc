"""A learned preference reward: a Bradley-Terry model over pairs of pieces.

P(a preferred to b) = sigmoid(s(a) - s(b)), with the score s(x) = w . z(x) (+ w2 . z(x)^2 in the
quadratic form) over standardized piece features z (`features`: 54 summaries of melodic intervals,
contour, rhythm, tonality, chords and form, and 58 shares of figures, successive pairs of interval
classes and of length changes). Fitted by L2-regularized logistic regression on feature
differences (each pair is used both ways round, so no bias is learned); the linear model of the
summaries, their quadratic one, or the linear model with the figures, whichever cross-validates
best on the training pairs. Ratings in stars become pairs: two takes rated by the same rater with
different stars make one pair (more stars preferred).

`fit_pairs(pairs)` returns (model, report) with held-out pairwise accuracy (a seeded 80/20 split
of the pairs); `PreferenceModel.save/load` keep it as JSON; a `PreferenceModel` is a reward:
`model(piece) -> s(piece)`. The tuner's `--reward preferences` is `WinProbability(model)`: the
chance that a take is preferred to a typical rated take, which saturates instead of rewarding
ever more extreme features. `fit_pairs(pairs, ensemble=K)` also fits K models on bootstrap
resamples of the pairs, and the score becomes their mean less `ENSEMBLE_PENALTY` standard
deviations: a take the models disagree about is not paid for it (Coste et al. 2023, "Reward model
ensembles help mitigate overoptimization").
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tunesmith.score import Piece

FORMAT = "tunesmith-preference-model/1"


def default_path() -> Path:
    from tunesmith.paths import home

    return home() / "preference_model.json"


def _line(piece: Piece):
    from tunesmith.metrics._common import melody_line

    return melody_line(piece)


FIGURE_PREFIXES = ("figure_", "lengths_")  # `features`' bigram shares (`fit_pairs` chooses whether to use them)
INTERVAL_CLASSES = ("leap_down", "third_down", "step_down", "unison", "step_up", "third_up", "leap_up")
LENGTH_CHANGES = ("shorter", "same", "longer")


def _interval_class(semitones: int) -> str:
    """A melodic interval's signed class: a step (1-2 semitones), a third (3-4), a leap (5+)."""
    size = abs(semitones)
    if size == 0:
        return "unison"
    kind = "step" if size <= 2 else "third" if size <= 4 else "leap"
    return f"{kind}_{'up' if semitones > 0 else 'down'}"


def features(piece: Piece) -> dict[str, float]:
    """The preference model's view of a piece (NaN-free; 0 where a feature does not apply)."""
    from tunesmith.rewards import criteria, rules

    notes = _line(piece)
    f: dict[str, float] = {}
    iv = [b.pitch - a.pitch for a, b in zip(notes, notes[1:])]
    n = max(1, len(iv))
    bins = {"unison": (0, 0), "step": (1, 2), "third": (3, 4), "fourth_fifth": (5, 7), "leap": (8, 127)}
    for name, (lo, hi) in bins.items():
        f[f"iv_{name}"] = sum(lo <= abs(i) <= hi for i in iv) / n
    f["iv_up"] = sum(i > 0 for i in iv) / n
    f["direction_changes"] = sum((a > 0) != (b > 0) for a, b in zip(iv, iv[1:]) if a and b) / n
    from tunesmith.metrics import musicality

    for d, share in enumerate(musicality.degree_histogram(piece, None if piece.key else "C")):  # NaN (no notes) -> 0 below
        f[f"degree_{d}"] = share
    durs = [nt.duration for nt in notes]
    beat = piece.time_signature.beat_length
    f["mean_duration_beats"] = float(np.mean(durs) / beat) if durs else 0.0
    f["duration_variety"] = len({round(d, 3) for d in durs}) / max(1, len(durs))
    f["on_beat"] = sum(abs(nt.onset / beat - round(nt.onset / beat)) < 1e-6 for nt in notes) / max(1, len(notes))
    f["mean_pitch"] = float(np.mean([nt.pitch for nt in notes]) / 12.0) if notes else 0.0
    # melodic contour (Huron 1996, "The melodic arch in Western folksongs"): where the highest and
    # lowest notes fall, and the mean pitch of each third of the melody against the whole (octaves);
    # without these a taste for a shape (an arch, a descent) is invisible to the model
    pitches = [nt.pitch for nt in notes]
    for name in ("peak_position", "trough_position", "contour_first_third", "contour_middle_third",
                 "contour_last_third", "first_to_last"):  # fmt: skip
        f[name] = 0.0  # too few notes for a shape
    if len(pitches) >= 3:
        last = len(pitches) - 1
        f["peak_position"] = pitches.index(max(pitches)) / last
        f["trough_position"] = pitches.index(min(pitches)) / last
        whole = float(np.mean(pitches))
        for name, part in zip(("first", "middle", "last"), np.array_split(np.array(pitches, dtype=float), 3)):
            f[f"contour_{name}_third"] = (float(part.mean()) - whole) / 12.0
        f["first_to_last"] = (pitches[-1] - pitches[0]) / 12.0
    # where the melody starts and ends within its own range, how far each half spans, its highest
    # and lowest notes, and whether its peak is reached by step: a listener hears these (a tune
    # that rises to a late climax, one that opens low); the shape features above average them away
    for name in ("start_in_range", "end_in_range", "range_first_half", "range_second_half", "highest_pitch",
                 "lowest_pitch", "peak_by_step"):  # fmt: skip
        f[name] = 0.0
    if len(pitches) >= 4:
        lo, hi = min(pitches), max(pitches)
        span = max(1, hi - lo)
        f["start_in_range"], f["end_in_range"] = (pitches[0] - lo) / span, (pitches[-1] - lo) / span
        half = len(pitches) // 2
        f["range_first_half"] = (max(pitches[:half]) - min(pitches[:half])) / 12.0
        f["range_second_half"] = (max(pitches[half:]) - min(pitches[half:])) / 12.0
        f["highest_pitch"], f["lowest_pitch"] = hi / 12.0, lo / 12.0
        top = pitches.index(hi)
        f["peak_by_step"] = float(top > 0 and hi - pitches[top - 1] <= 2)
    # rhythm's figures: dotted (a note three times the next), short (under half a beat) and long
    # (two beats or more) notes, as shares of the notes
    f["dotted_share"] = sum(abs(a - 3 * b) < 1e-6 for a, b in zip(durs, durs[1:])) / max(1, len(durs) - 1)
    f["short_share"] = sum(d < beat / 2 - 1e-9 for d in durs) / max(1, len(durs))
    f["long_share"] = sum(d >= 2 * beat - 1e-9 for d in durs) / max(1, len(durs))
    # figures: each pair of successive intervals by signed class (down a leap ... up a leap), and
    # each pair of successive length changes (shorter, same, longer), as shares. A taste for a
    # kind of figure (runs of steps, broken chords, a leap filled in, neighbour notes, even
    # motion) is a weight on a few of these, which no single summary above can express
    # (n-gram features of melody: Pearce 2005, IDyOM; Conklin & Witten 1995)
    ivc = [_interval_class(i) for i in iv]
    for a in INTERVAL_CLASSES:
        for b in INTERVAL_CLASSES:
            f[f"figure_{a}_{b}"] = 0.0
    for a, b in zip(ivc, ivc[1:]):
        f[f"figure_{a}_{b}"] += 1 / max(1, len(ivc) - 1)
    changes = ["shorter" if y < x - 1e-9 else "longer" if y > x + 1e-9 else "same" for x, y in zip(durs, durs[1:])]
    for a in LENGTH_CHANGES:
        for b in LENGTH_CHANGES:
            f[f"lengths_{a}_{b}"] = 0.0
    for a, b in zip(changes, changes[1:]):
        f[f"lengths_{a}_{b}"] += 1 / max(1, len(changes) - 1)
    for name in ("note_density", "pitch_range", "syncopation", "rest_share"):
        f[name] = criteria.METRICS[name].fn(piece)
    f["pitch_range"] /= 12.0
    for name in ("starts_on_tonic", "ends_on_tonic", "in_key", "leaps_resolved", "motif", "repeated_motif",
                 "chord_tones_strong_beats", "cadence", "no_excessive_repeats"):  # fmt: skip
        f[name] = rules.RULES[name](piece)
    f["repeated_bar_share"] = musicality.repeated_bar_share(piece)
    f["n_chords_per_bar"] = len(piece.chords) / max(1, piece.n_bars)
    return {k: (0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)) for k, v in f.items()}


def feature_names() -> tuple[str, ...]:
    from tunesmith.score import KeySignature, Note, Track

    probe = Piece("probe", "probe", tracks=[Track("m", notes=[Note(60, 0, 1), Note(62, 1, 1)])],
                  keys=[KeySignature(0, "C")])  # fmt: skip
    return tuple(features(probe))


class PreferenceModel:
    """s(x) = w . z + w2 . z^2 with z = (f(x) - mean) / std; a reward (`model(piece)`).

    `w2` (None: a linear model) lets a taste have an optimum (a range neither too narrow nor too
    wide), which a linear score cannot: it only says more or less is better, and policy gradient
    on it pushes a feature without end."""

    def __init__(
        self, names: Sequence[str], mean: np.ndarray, std: np.ndarray, w: np.ndarray, report: dict | None = None,
        w2: np.ndarray | None = None,
    ):  # fmt: skip
        self.names, self.mean, self.std, self.w = tuple(names), np.asarray(mean), np.asarray(std), np.asarray(w)
        self.w2 = None if w2 is None else np.asarray(w2)
        # bootstrap members [(mean, std, w, w2)]: with them the score is the members' mean less
        # `penalty` standard deviations (a conservative reward; `fit_pairs(ensemble=K)`)
        self.members: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]] = []
        self.penalty = ENSEMBLE_PENALTY
        self.report = report or {}
        # the mean score of the rated pieces it was fitted on (`WinProbability`'s reference)
        self.offset: float | None = self.report.get("mean_score")
        self.sha256: str | None = None  # of the file it was loaded from
        self.__name__ = "preferences"

    def vector(self, piece: Piece) -> np.ndarray:
        f = features(piece)
        return np.array([f.get(n, 0.0) for n in self.names])

    def score_vectors(self, x: np.ndarray) -> np.ndarray:
        if self.members:
            each = np.stack([_score(x, *m) for m in self.members])
            return each.mean(0) - self.penalty * each.std(0)
        return _score(x, self.mean, self.std, self.w, self.w2)

    def __call__(self, piece: Piece) -> float:
        return float(self.score_vectors(self.vector(piece)[None])[0])

    def describe(self) -> dict:
        # the file's hash: a tuned model says which preference model paid it (a resume checks it too)
        return {"function": "preferences (Bradley-Terry)", "sha256": self.sha256, "report": self.report}


    def save(self, path: str | Path) -> Path:
        from tunesmith.paths import atomic_write_text

        data = {"format": FORMAT, "features": list(self.names), "mean": self.mean.tolist(), "std": self.std.tolist(),
                "weights": self.w.tolist(), "report": self.report}  # fmt: skip
        if self.w2 is not None:
            data["weights_squared"] = self.w2.tolist()
        if self.members:
            data["penalty"] = self.penalty
            data["members"] = [{"mean": m.tolist(), "std": sd.tolist(), "weights": w.tolist(),
                                "weights_squared": None if w2 is None else w2.tolist()}
                               for m, sd, w, w2 in self.members]  # fmt: skip
        atomic_write_text(Path(path), json.dumps(data, indent=1) + "\n")
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> PreferenceModel:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no preference model at {path}; fit one with `tunesmith preferences fit`")
        import hashlib

        try:
            raw = path.read_bytes()
            data = json.loads(raw.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not a preference model ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a tunesmith preference model")
        model = cls(
            data["features"],
            np.array(data["mean"]),
            np.array(data["std"]),
            np.array(data["weights"]),
            data.get("report"),
            np.array(data["weights_squared"]) if data.get("weights_squared") is not None else None,
        )
        k = len(model.names)
        for m in data.get("members") or []:
            member = (np.array(m["mean"]), np.array(m["std"]), np.array(m["weights"]),
                      None if m.get("weights_squared") is None else np.array(m["weights_squared"]))  # fmt: skip
            if any(len(a) != k for a in member if a is not None):
                raise ValueError(f"{path}: an ensemble member does not have the model's {k} features")
            model.members.append(member)
        model.penalty = float(data.get("penalty", ENSEMBLE_PENALTY))
        model.sha256 = hashlib.sha256(raw).hexdigest()  # a tune's resume checks it is the same model
        return model



class WinProbability:
    """A bounded preference reward: the probability, under the Bradley-Terry model, that a take is
    preferred to a typical take of the reference set, sigmoid(s(x) - mean s(reference)), in (0, 1).

    Why: s(x) is linear in the features, so policy gradient on it can climb without end by pushing
    features beyond anything the raters saw (reward over-optimisation, Gao et al. 2023, "Scaling
    laws for reward model overoptimization"): tuned toward a simulated rater, s rose from 1.6 to 33
    while the takes collapsed onto one figure. Once a take is clearly preferred the probability
    saturates, and the other rewards (novelty, the KL leash) decide."""

    def __init__(self, model: PreferenceModel, reference: Sequence[Piece] | None = None, scale: float = 1.0):
        """`reference`: the pieces a typical take is judged against (default: the rated pieces the
        model was fitted on, through its stored mean score)."""
        if not (isinstance(scale, int | float) and 0 < scale <= 100):
            raise ValueError(f"win probability scale must be in (0, 100], got {scale!r}")
        if reference:
            offset = float(np.mean([model(p) for p in reference]))
        elif getattr(model, "offset", None) is not None:
            offset = float(model.offset)
        else:
            raise ValueError("the win probability needs reference pieces (the rated takes) or a model that stores them")
        self.model = model
        self.scale = float(scale)  # > 1: a softer curve, saturating further from the reference
        self.offset = offset
        self.sha256 = getattr(model, "sha256", None)
        self.__name__ = "preference_win_probability"

    def __call__(self, piece: Piece) -> float:
        return float(1.0 / (1.0 + np.exp(-(self.model(piece) - self.offset) / self.scale)))

    def describe(self) -> dict:
        return {"function": "preference win probability over the reference takes", "sha256": self.sha256,
                "offset": self.offset, "scale": self.scale, "report": self.model.report}  # fmt: skip


ENSEMBLE_PENALTY = 1.0  # standard deviations of the members' scores taken off their mean


def _score(x: np.ndarray, mean: np.ndarray, std: np.ndarray, w: np.ndarray, w2: np.ndarray | None) -> np.ndarray:
    z = (x - mean) / std
    return z @ w if w2 is None else z @ w + _squares(z) @ w2


def _squares(z: np.ndarray) -> np.ndarray:
    # clipped so that one extreme feature value cannot dominate a quadratic score
    return np.clip(z, -4.0, 4.0) ** 2


def fit_vectors(
    xa: np.ndarray, xb: np.ndarray, l2: float = 1.0, quadratic: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """(mean, std, w, w2) of a Bradley-Terry model where xa[i] was preferred to xb[i]; w2 is
    None unless `quadratic` (then the squared standardized features have weights too)."""
    from tunesmith.metrics.c2st import fit_logistic

    allx = np.concatenate([xa, xb])
    mean, std = allx.mean(0), allx.std(0)
    std[std < 1e-9] = 1.0
    za, zb = (xa - mean) / std, (xb - mean) / std
    d = za - zb
    if quadratic:
        d = np.concatenate([d, _squares(za) - _squares(zb)], axis=1)
    x = np.concatenate([d, -d])
    y = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    w, _ = fit_logistic(x, y, l2)
    k = xa.shape[1]
    return mean, std, w[:k], (w[k:] if quadratic else None)


def _cv_accuracy(xa: np.ndarray, xb: np.ndarray, quadratic: bool, l2: float, folds: int, seed: int) -> float:
    """Cross-validated pairwise accuracy of a fit on (xa, xb) (model choice inside the training pairs)."""
    order = np.random.default_rng(seed).permutation(len(xa))
    correct = 0
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        mean, std, w, w2 = fit_vectors(xa[train], xb[train], l2, quadratic)
        m = PreferenceModel([str(i) for i in range(xa.shape[1])], mean, std, w, w2=w2)
        correct += int((m.score_vectors(xa[test]) > m.score_vectors(xb[test])).sum())
    return correct / len(xa)


# L2 strengths a fit chooses among by cross-validation when none is given: with 44 features a
# quadratic model has 88 weights, and at 1.0 its fit on 400 pairs of a smooth-melody rater fell from
# 0.825 to 0.76 cross-validated accuracy when the contour features were added (and the model tuned
# toward it lost its lead over the base: 0.60 and 0.51 of blind pairs against 0.70-0.78).
L2_GRID = (1.0, 4.0, 16.0)


def fit_pairs(
    pairs: Sequence[tuple[Piece, Piece]],
    *,
    heldout: float = 0.2,
    seed: int = 0,
    l2: float | None = None,
    form: str = "auto",
    ensemble: int = 0,
) -> tuple[PreferenceModel, dict]:
    """Fit on (preferred, other) pairs; report held-out pairwise accuracy, then refit on all.

    form: "linear" (every feature, the figures' bigrams too), "quadratic" (the summaries, without
    the figures, and their squares) or "auto": one of those or the linear model of the summaries;
    l2: the penalty, or None to choose it from `L2_GRID`. What is not fixed is chosen by 5-fold
    cross-validated accuracy on the training pairs (the held-out pairs play no part in the choice;
    a tie keeps the simpler model: linear, without the figures, the stronger penalty).
    `ensemble`: K > 1 bootstrap members (same form and penalty, pairs resampled), whose mean less
    `ENSEMBLE_PENALTY` standard deviations is the score (held-out accuracy reported for it too)."""
    if isinstance(ensemble, bool) or not isinstance(ensemble, int) or not (ensemble == 0 or 2 <= ensemble <= 64):
        raise ValueError(f"ensemble must be 0 (none) or 2..64 bootstrap members, got {ensemble!r}")
    if form not in ("linear", "quadratic", "auto"):
        raise ValueError(f"preference model form must be linear, quadratic or auto, got {form!r}")
    if len(pairs) < 5:
        raise ValueError(f"need at least 5 preference pairs to fit a reward model, got {len(pairs)}")
    names = feature_names()
    cache: dict[int, np.ndarray] = {}

    def vec(p: Piece) -> np.ndarray:
        if id(p) not in cache:
            f = features(p)
            cache[id(p)] = np.array([f[n] for n in names])
        return cache[id(p)]

    xa_all = np.stack([vec(a) for a, _ in pairs])
    xb_all = np.stack([vec(b) for _, b in pairs])
    # the figures' 58 shares are a block of their own: a taste for figures needs them, one for
    # summaries (range, register, smoothness) is fitted worse with them (400 pairs for 112 weights),
    # so cross-validation chooses whether the model has them, as it chooses the form
    summaries = np.array([not n.startswith(FIGURE_PREFIXES) for n in names])
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(pairs))
    n_test = max(1, int(round(heldout * len(pairs)))) if heldout > 0 else 0
    report: dict = {"pairs": len(pairs)}
    train = order[n_test:] if n_test else order
    # (form, with the figures): the quadratic form squares the summaries only
    forms = [("linear", False), ("quadratic", False), ("linear", True)] if form == "auto" else [(form, form == "linear")]
    penalties = L2_GRID if l2 is None else (float(l2),)
    if len(forms) * len(penalties) > 1:
        folds = min(5, len(train))

        def cv_of(f: str, figures: bool, a: float) -> float:
            cols = slice(None) if figures else summaries
            return _cv_accuracy(xa_all[train][:, cols], xb_all[train][:, cols], f == "quadratic", a, folds, seed)

        cv = {(f, g, a): cv_of(f, g, a) for f, g in forms for a in penalties}
        # a tie keeps the simpler model: linear, without the figures, the stronger penalty
        form, figures, l2 = max(cv, key=lambda k: (cv[k], k[0] == "linear", not k[1], k[2]))
        label = {(f, g): f + (" with figures" if g else "") for f, g in forms}
        best = {label[f, g]: max(v for (h, i, _), v in cv.items() if (h, i) == (f, g)) for f, g in forms}
        report["cv_accuracy"] = {k: round(v, 4) for k, v in best.items()}
        report["cv_grid"] = {f"{label[f, g]}/l2={a:g}": round(v, 4) for (f, g, a), v in cv.items()}
    else:
        (form, figures), l2 = forms[0], penalties[0]
    report["form"], report["figures"], report["l2"] = form, figures, l2
    quadratic = form == "quadratic"
    if not figures:
        names = tuple(n for n, keep in zip(names, summaries) if keep)
    xa, xb = (xa_all, xb_all) if figures else (xa_all[:, summaries], xb_all[:, summaries])
    def bootstrap(rows: np.ndarray) -> list:
        boot = np.random.default_rng(seed + 1)
        return [fit_vectors(xa[r], xb[r], l2, quadratic) for r in (boot.choice(rows, len(rows)) for _ in range(ensemble))]

    if n_test:
        test = order[:n_test]
        mean, std, w, w2 = fit_vectors(xa[train], xb[train], l2, quadratic)
        m = PreferenceModel(names, mean, std, w, w2=w2)
        correct = m.score_vectors(xa[test]) > m.score_vectors(xb[test])
        report.update({"heldout_pairs": int(n_test), "heldout_accuracy": float(correct.mean())})
        if ensemble:
            m.members = bootstrap(train)
            correct = m.score_vectors(xa[test]) > m.score_vectors(xb[test])
            report["heldout_accuracy_ensemble"] = float(correct.mean())
    mean, std, w, w2 = fit_vectors(xa, xb, l2, quadratic)
    model = PreferenceModel(names, mean, std, w, report, w2=w2)
    if ensemble:
        model.members = bootstrap(np.arange(len(pairs)))
        report["ensemble"] = {"members": ensemble, "penalty": model.penalty}
    model.offset = float(np.mean(model.score_vectors(np.concatenate([xa, xb]))))
    report["mean_score"] = round(model.offset, 6)
    top = np.argsort(-np.abs(w))[:5]
    report["strongest_features"] = {names[i]: round(float(w[i]), 3) for i in top}
    return model, report
