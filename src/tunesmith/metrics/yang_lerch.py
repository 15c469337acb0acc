"""Yang & Lerch's per-piece features and relative (set-vs-set) measures.

Reference: Li-Chia Yang and Alexander Lerch, "On the evaluation of generative models in music",
Neural Computing and Applications 32, 4773-4784 (2020; online 2018), with its toolbox
"mgeval" (github.com/RichardYang40148/mgeval).

Per-piece features (`FEATURES`), computed on the melody track (`Piece.melody()`) unless
`track="all"` (then every non-drum note):

- ``pitch_count`` (PC): number of distinct pitches.
- ``pitch_class_histogram`` (PCH): 12-bin pitch-class histogram weighted by note duration
  (mgeval builds it from a piano roll), normalized to sum 1.
- ``pitch_class_transition_matrix`` (PCTM): 12x12 counts of pitch-class transitions from each
  note to the next one in onset order (row = from, column = to); raw counts as in mgeval's default.
- ``pitch_range`` (PR): highest minus lowest pitch, semitones.
- ``avg_pitch_interval`` (PI): mean absolute interval, semitones, between consecutive notes.
- ``note_count`` (NC): number of notes.
- ``avg_ioi`` (IOI): mean inter-onset interval between consecutive note onsets (sorted, all
  notes, as pretty_midi's get_onsets), in quarter beats.
- ``note_length_histogram`` (NLH): 12 classes [whole, half, quarter, 8th, 16th, dotted half,
  dotted quarter, dotted 8th, dotted 16th, half triplet, quarter triplet, 8th triplet]; each
  note goes to the class nearest its duration; normalized to sum 1.
- ``note_length_transition_matrix`` (NLTM): 12x12 counts of class transitions between
  consecutive notes; raw counts.

Relative measures (paper, Sect. 3.2): for each feature, the intra-set distances of the real set
(Euclidean distance between the feature of every real piece and every OTHER real piece: the
paper's exhaustive leave-one-out cross-validation) and the inter-set distances (every real piece
against every generated piece) are two samples; each is smoothed by a Gaussian kernel density
estimate (Scott's bandwidth), and the overlapping area (OA) and the Kullback-Leibler divergence
KL(intra_real || inter) of the two densities are reported.

Interpretations (where the paper's toolbox differs or is silent):

- IOI in quarter beats, not seconds (pieces carry tempos but the corpus mixes them; beats make
  the feature tempo-free).
- Note-length classes are absolute note values (whole = 4 beats); mgeval scales the 12 classes
  with the bar length taken from a MIDI time-signature event.
- PCTM counts consecutive notes in onset order; pretty_midi (used by mgeval) counts pairs where
  one note ends within 50 ms of the other's start, so notes separated by a rest are not paired.
- OA and KLD are evaluated on one shared grid covering both samples plus six bandwidths on
  each side; mgeval integrates OA between the sample extremes only and evaluates KL on two
  different grids (one per sample), which is not a KL divergence of the two densities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.spatial.distance import cdist

from tunesmith.metrics._common import melody_notes, pitched_notes
from tunesmith.score import Note, Piece

FEATURES = (
    "pitch_count",
    "pitch_class_histogram",
    "pitch_class_transition_matrix",
    "pitch_range",
    "avg_pitch_interval",
    "note_count",
    "avg_ioi",
    "note_length_histogram",
    "note_length_transition_matrix",
)

# Quarter-beat lengths of the 12 note-length classes, in mgeval's order.
NOTE_LENGTH_CLASSES = (
    ("whole", 4.0),
    ("half", 2.0),
    ("quarter", 1.0),
    ("8th", 0.5),
    ("16th", 0.25),
    ("dotted half", 3.0),
    ("dotted quarter", 1.5),
    ("dotted 8th", 0.75),
    ("dotted 16th", 0.375),
    ("half triplet", 4.0 / 3.0),
    ("quarter triplet", 2.0 / 3.0),
    ("8th triplet", 1.0 / 3.0),
)
_CLASS_LENGTHS = np.array([length for _, length in NOTE_LENGTH_CLASSES])


def _notes(piece: Piece, track: str) -> list[Note]:
    if track == "melody":
        return melody_notes(piece)
    if track == "all":
        return pitched_notes(piece)
    raise ValueError(f"track must be 'melody' or 'all', not {track!r}")


def pitch_count(piece: Piece, track: str = "melody") -> int:
    """PC: number of distinct MIDI pitches used (Yang & Lerch 2018, "pitch count")."""
    return len({n.pitch for n in _notes(piece, track)})


def pitch_class_histogram(piece: Piece, track: str = "melody") -> np.ndarray:
    """PCH: 12-bin pitch-class histogram, each note weighted by its duration, normalized to sum 1
    (zeros if there is no note). Yang & Lerch 2018; duration weighting as mgeval's piano roll."""
    hist = np.zeros(12)
    for n in _notes(piece, track):
        hist[n.pitch % 12] += n.duration
    total = hist.sum()
    return hist / total if total > 0 else hist


def pitch_class_transition_matrix(piece: Piece, track: str = "melody", normalize: bool = False) -> np.ndarray:
    """PCTM: 12x12 matrix, entry [a, b] = number of times a note of pitch class a is followed (next
    note in onset order) by one of pitch class b. Yang & Lerch 2018. `normalize` divides by the
    total (mgeval's normalize=2); default raw counts (mgeval's default)."""
    notes = _notes(piece, track)
    mat = np.zeros((12, 12))
    for a, b in zip(notes, notes[1:]):
        mat[a.pitch % 12, b.pitch % 12] += 1
    if normalize and mat.sum() > 0:
        mat /= mat.sum()
    return mat


def pitch_range(piece: Piece, track: str = "melody") -> int:
    """PR: highest minus lowest pitch in semitones (0 without notes). Yang & Lerch 2018."""
    pitches = [n.pitch for n in _notes(piece, track)]
    return max(pitches) - min(pitches) if pitches else 0


def avg_pitch_interval(piece: Piece, track: str = "melody") -> float:
    """PI: mean of |p[i+1] - p[i]| in semitones over consecutive notes in onset order (0 with
    fewer than two notes; mgeval returns NaN there). Yang & Lerch 2018, "average pitch interval"."""
    pitches = [n.pitch for n in _notes(piece, track)]
    if len(pitches) < 2:
        return 0.0
    return float(np.mean(np.abs(np.diff(pitches))))


def note_count(piece: Piece, track: str = "melody") -> int:
    """NC: number of notes. Yang & Lerch 2018, "note count"."""
    return len(_notes(piece, track))


def avg_ioi(piece: Piece, track: str = "melody") -> float:
    """IOI: mean difference between consecutive sorted note onsets, in quarter beats (0 with fewer
    than two notes). Yang & Lerch 2018, "average inter-onset interval" (the paper uses seconds)."""
    onsets = sorted(n.onset for n in _notes(piece, track))
    if len(onsets) < 2:
        return 0.0
    return float(np.mean(np.diff(onsets)))


def note_length_class(duration: float) -> int:
    """Index in NOTE_LENGTH_CLASSES of the class whose length is nearest `duration` (beats); ties go
    to the earlier class, as numpy's argmin in mgeval."""
    return int(np.argmin(np.abs(_CLASS_LENGTHS - duration)))


def note_length_histogram(piece: Piece, track: str = "melody") -> np.ndarray:
    """NLH: 12-bin histogram of note-length classes (NOTE_LENGTH_CLASSES), normalized to sum 1
    (zeros without notes). Yang & Lerch 2018."""
    hist = np.zeros(12)
    for n in _notes(piece, track):
        hist[note_length_class(n.duration)] += 1
    total = hist.sum()
    return hist / total if total > 0 else hist


def note_length_transition_matrix(piece: Piece, track: str = "melody", normalize: bool = False) -> np.ndarray:
    """NLTM: 12x12 counts of note-length-class transitions between consecutive notes (onset order).
    Yang & Lerch 2018. Raw counts unless `normalize` (divide by the total)."""
    notes = _notes(piece, track)
    mat = np.zeros((12, 12))
    for a, b in zip(notes, notes[1:]):
        mat[note_length_class(a.duration), note_length_class(b.duration)] += 1
    if normalize and mat.sum() > 0:
        mat /= mat.sum()
    return mat


_FEATURE_FUNCS = {
    "pitch_count": pitch_count,
    "pitch_class_histogram": pitch_class_histogram,
    "pitch_class_transition_matrix": pitch_class_transition_matrix,
    "pitch_range": pitch_range,
    "avg_pitch_interval": avg_pitch_interval,
    "note_count": note_count,
    "avg_ioi": avg_ioi,
    "note_length_histogram": note_length_histogram,
    "note_length_transition_matrix": note_length_transition_matrix,
}


def extract_features(piece: Piece, track: str = "melody") -> dict[str, np.ndarray]:
    """All FEATURES of one piece, each as a float numpy array (scalars have shape ())."""
    return {name: np.asarray(func(piece, track), dtype=float) for name, func in _FEATURE_FUNCS.items()}


# --------------------------------------------------------------------------- distances
def _matrix(features: Sequence[np.ndarray]) -> np.ndarray:
    return np.stack([np.asarray(f, dtype=float).ravel() for f in features]) if features else np.zeros((0, 1))


def intra_set_distances(features: Sequence[np.ndarray]) -> np.ndarray:
    """Euclidean distances between every ordered pair (i, j), i != j, of one set's feature values
    (exhaustive leave-one-out cross-validation, Yang & Lerch 2018 Sect. 3.2.1): n(n-1) values,
    each unordered pair appearing twice, ordered by i then j."""
    x = _matrix(features)
    d = cdist(x, x)
    return d[~np.eye(len(x), dtype=bool)]


def inter_set_distances(features_a: Sequence[np.ndarray], features_b: Sequence[np.ndarray]) -> np.ndarray:
    """Euclidean distances between every piece of set A and every piece of set B: len(A)*len(B)
    values, ordered by A then B. Yang & Lerch 2018 Sect. 3.2.1."""
    return cdist(_matrix(features_a), _matrix(features_b)).ravel()


# --------------------------------------------------------------------------- densities
def _bandwidth(sample: np.ndarray) -> float:
    """Scott's rule for a 1-D Gaussian KDE (what scipy.stats.gaussian_kde uses): std * n^(-1/5),
    std with ddof=1. A degenerate sample (one value, or all equal) gets a small positive width so
    that its density is a narrow bump instead of undefined."""
    n = len(sample)
    std = float(np.std(sample, ddof=1)) if n > 1 else 0.0
    h = std * n ** (-1.0 / 5.0)
    if h <= 0 or not math.isfinite(h):
        h = 1e-3 * max(1.0, float(np.max(np.abs(sample))) if n else 1.0)
    return h


def gaussian_kde(sample: Sequence[float], grid: np.ndarray) -> np.ndarray:
    """Gaussian kernel density estimate of `sample` on `grid` with Scott's bandwidth."""
    s = np.asarray(sample, dtype=float)
    grid = np.asarray(grid, dtype=float)
    h = _bandwidth(s)
    norm = len(s) * h * math.sqrt(2 * math.pi)
    if len(s) * len(grid) > 4_000_000 and len(grid) > 2:
        dx = (grid[-1] - grid[0]) / (len(grid) - 1)
        uniform = dx > 0 and np.allclose(np.diff(grid), dx)
        inside = s.min() >= grid[0] and s.max() <= grid[-1]
        if uniform and inside and h >= 4 * dx:
            # Linear binning onto the grid, then a discrete convolution with the kernel: the usual
            # binned KDE, accurate to O(dx^2 / h^2) and linear in the sample size.
            t = (s - grid[0]) / dx
            i = np.minimum(np.floor(t).astype(np.int64), len(grid) - 2)
            w = t - i
            counts = np.bincount(i, weights=1 - w, minlength=len(grid)) + np.bincount(
                i + 1, weights=w, minlength=len(grid)
            )
            k = int(math.ceil(6 * h / dx))
            kernel = np.exp(-0.5 * (np.arange(-k, k + 1) * dx / h) ** 2)
            full = np.convolve(counts[: len(grid)], kernel)
            return full[k : k + len(grid)] / norm
        out = np.empty(len(grid))
        step = max(1, 4_000_000 // len(s))
        for start in range(0, len(grid), step):
            z = (grid[start : start + step, None] - s[None, :]) / h
            out[start : start + step] = np.exp(-0.5 * z * z).sum(1)
        return out / norm
    z = (grid[:, None] - s[None, :]) / h
    return np.exp(-0.5 * z * z).sum(1) / norm


def _grid(a: np.ndarray, b: np.ndarray, n_points: int) -> np.ndarray:
    pad = 6.0 * max(_bandwidth(a), _bandwidth(b))
    lo = min(a.min(), b.min()) - pad
    hi = max(a.max(), b.max()) + pad
    return np.linspace(lo, hi, n_points)


def overlapping_area(a: Sequence[float], b: Sequence[float], n_points: int = 2000) -> float:
    """OA = integral of min(p_a(x), p_b(x)) dx, with p_a, p_b the Gaussian KDEs of the two
    samples (Yang & Lerch 2018, Eq. 2 / Sect. 3.2.2). 1 for identical samples, near 0 for far
    apart ones. Trapezoidal rule on a shared grid spanning both samples +- 6 bandwidths."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return math.nan
    grid = _grid(a, b, n_points)
    return float(np.trapezoid(np.minimum(gaussian_kde(a, grid), gaussian_kde(b, grid)), grid))


def kl_divergence(a: Sequence[float], b: Sequence[float], n_points: int = 2000, floor: float = 1e-12) -> float:
    """KLD = integral of p_a(x) log(p_a(x) / p_b(x)) dx (nats) of the Gaussian KDEs of the two
    samples (Yang & Lerch 2018, Sect. 3.2.2), on a shared grid spanning both samples +- 6
    bandwidths; densities are floored at `floor` and renormalized on the grid, so a density that
    vanishes where the other does not gives a large finite value."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return math.nan
    grid = _grid(a, b, n_points)
    p = np.maximum(gaussian_kde(a, grid), floor)
    q = np.maximum(gaussian_kde(b, grid), floor)
    p /= np.trapezoid(p, grid)
    q /= np.trapezoid(q, grid)
    return float(max(np.trapezoid(p * np.log(p / q), grid), 0.0))


def _subsample(pieces: Sequence[Piece], max_pieces: int | None, rng: np.random.Generator) -> list[Piece]:
    if max_pieces is None or len(pieces) <= max_pieces:
        return list(pieces)
    idx = rng.choice(len(pieces), size=max_pieces, replace=False)
    return [pieces[i] for i in sorted(idx)]


def relative_measures(
    real: Sequence[Piece],
    generated: Sequence[Piece],
    *,
    track: str = "melody",
    max_pieces: int | None = None,
    seed: int = 0,
) -> dict[str, dict[str, float]]:
    """Per feature, {"oa": OA, "kld": KLD} between the intra-set distance distribution of `real`
    and the inter-set distance distribution (real vs generated), Yang & Lerch 2018 Sect. 3.2
    (their Table 3 reports exactly this pair for each feature). Higher OA and lower KLD mean the
    generated set is distributed like the real one. Needs at least two real pieces and one
    generated piece. `max_pieces` draws a seeded random subset of each set (the distances grow
    quadratically); None uses every piece.
    """
    rng = np.random.default_rng(seed)
    real = _subsample(real, max_pieces, rng)
    generated = _subsample(generated, max_pieces, rng)
    if len(real) < 2 or not generated:
        raise ValueError("relative_measures needs at least two real pieces and one generated piece")
    real_f = [extract_features(p, track) for p in real]
    gen_f = [extract_features(p, track) for p in generated]
    out: dict[str, dict[str, float]] = {}
    for name in FEATURES:
        intra = intra_set_distances([f[name] for f in real_f])
        inter = inter_set_distances([f[name] for f in real_f], [f[name] for f in gen_f])
        out[name] = {"oa": overlapping_area(intra, inter), "kld": kl_divergence(intra, inter)}
    return out


def absolute_measures(pieces: Sequence[Piece], *, track: str = "melody") -> dict[str, dict[str, np.ndarray]]:
    """Per feature, the mean and standard deviation over the set (Yang & Lerch 2018 Sect. 3.1,
    "absolute measurements"); arrays keep the feature's shape."""
    feats = [extract_features(p, track) for p in pieces]
    out: dict[str, dict[str, np.ndarray]] = {}
    for name in FEATURES:
        stack = np.stack([f[name] for f in feats]) if feats else np.zeros((0,))
        out[name] = {"mean": stack.mean(0), "std": stack.std(0)}
    return out
