"""Held-out likelihood: nats per token, per note and per bar, and the JSB chorales frame figures.

Units. Every figure is a negative log-likelihood in NATS (natural log). A model assigns the
held-out piece a total NLL; dividing it by different counts gives

- ``per_token``: by the tokens scored. Depends on the tokenization: tunesmith's tokens
  (`tunesmith.tokenizer`) and the baseline's REMI tokens cannot be compared this way.
- ``per_note``: by the notes of the piece as both models see it (below). Compares across
  tokenizations: it is the cost of the whole piece, spread over its notes.
- ``per_bar``: by its bars. Likewise comparable.

What is scored ("the canonical view"). tunesmith's tokenizer keeps monophonic voices (melody,
or soprano/alto/tenor/bass), chord symbols, and times on a 12-per-beat grid; it drops other
tracks (a pop song's piano). So that both models are judged on the same music, each held-out
piece is first reduced to `canonical_view(piece) = decode(encode(piece))`, and BOTH models score
that view; per-note and per-bar counts are that view's `Piece.n_notes` and `Piece.n_bars`.
The baseline hears the view's chord symbols as a block-chord track (its own converter); it
scores those chord notes as tokens, tunesmith scores Root/Qual tokens: each model pays for the
harmony in its own currency, and the note count excludes the chord track on both sides.

Conditioning. tunesmith is scored GIVEN its header (style, key, mode, meter, tempo bucket,
number of bars, layout, pickup): at compose time that header is the request, and training
does not teach the model to predict it. Every token from the first ``Bar`` to ``<eos>`` is
predicted once. The baseline predicts every token after ``BOS`` including its own time
signature and tempo tokens (`baselines.gpt2_remi.heldout_nll`): it is scored on the whole
piece, unconditioned. So that the comparison does not favour tunesmith by construction, the
``*_joint`` figures add the cost of the header under a UNIFORM prior over each header slot
(`header_cost_nats`: style 1 of 5, key 1 of 21, mode 1 of 8, meter 1 of 16, tempo 1 of 19,
bars 1 of 128, layout 1 of 2, pickup or not 1 of 2, and its position 1 of 96; about 18.7
nats a piece without a pickup). uniform(header) x p(body | header) is a proper distribution
over whole token streams, so the joint figures are likelihoods of the whole piece like the
baseline's, and a pessimistic one for tunesmith (a learned header prior would cost less).
The conditional figures (``per_note``, ``per_bar``) are kept for reference.

Long pieces. A piece whose tokens do not fit the model's block is scored in bar-aligned
windows (`tokenizer.encode(piece, start_bar=s, end_bar=e)`, the same windows training sees):
each bar is predicted once, with the bars before it in the same window as context (at least
about half a block when there are that many). A window re-encodes its first bar from voice
cursors at 0, so a note tied into it may cost one extra `Pos` token there.

JSB chorales, frame level (`jsb_frame_nll`). The literature's JSB figures (Boulanger-Lewandowski
et al. 2012 on the piano-roll form; Coconet, Huang et al. 2017, and Music Transformer, Huang
et al. 2019, on the 4-voice 16th-note form "Jsb16thSeparated") are NLLs on a grid of T frames
(16th-note steps) x 4 voices, each cell one MIDI pitch. magenta's Coconet evaluation code
(`coconet/lib_evaluation.py`) defines the units: NoteEvaluator's unit is one (frame, voice)
variable, the NLL of that voice's pitch at that step ("notewise", nats per frame-voice);
FrameEvaluator's unit is a frame, the sum of its four voices' NLLs ("framewise", nats per
frame). Music Transformer serialises the same grid one (frame, voice) pitch per token, so its
per-token figure is a notewise figure.

Our models do not predict grid cells, so no exact conversion exists; the closest honest
computation is the one below. A joint probability of the whole chorale does not depend on the
order a model factorises it in, so the total NLL of the chorale (in whatever tokens) divided by
its T frames is a per-frame figure, and divided by 4T a per-frame-voice figure. That is exact
when (a) our encoding of the grid is lossless (checked per chorale: the decoded token stream
must give back the same 16th grid; chorales that do not are counted and also reported apart)
and (b) the model puts no mass on other token streams that decode to the same grid (ours are
canonical encodings; mass on non-canonical streams only makes our NLL an upper bound, i.e.
pessimistic). It still differs from the papers in two ways: tunesmith is conditioned on its
header (the estimated key, 4/4, the number of bars, so the chorale's length), and both grids
merge a repeated pitch into one held note (the 16th grid cannot tell them apart, so no
information is lost). Coconet's orderless figures average over orderings; its chronological
figures and Music Transformer's are left-to-right like ours.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.score import Piece

JSB_STEP_BEATS = 0.25  # the 16th-note grid of Jsb16thSeparated / jsb-chorales-16th
JSB_VOICES = ("soprano", "alto", "tenor", "bass")

# Published JSB 16th-note, 4-voice figures, nats. UNVERIFIED: these values were written down
# from memory of the papers. A search of public sources (papers' full texts, reimplementations,
# leaderboards) found no copy of the tables to check them against, so every row carries
# "verified": False and "status": "unverified", and the report prints that next to the value.
# (The Music Transformer paper's JSB table may be its Table 2, not Table 1; not checked either.)
# Check the PDFs before citing any number:
#   Music Transformer: https://arxiv.org/abs/1809.04281 (ICLR 2019, https://openreview.net/forum?id=rJe4ShAcF7)
#   Coconet: https://arxiv.org/abs/1903.07227 (ISMIR 2017)
_UNVERIFIED = "unverified: recalled from memory, not found in any public source checked; check the paper"
JSB_REFERENCE_FIGURES: list[dict[str, Any]] = [
    {
        "model": "Music Transformer (relative attention)",
        "paper": "Huang et al., Music Transformer, ICLR 2019 (JSB Chorales NLL table)",
        "url": "https://arxiv.org/abs/1809.04281",
        "unit": "nats per frame-voice (one token = one voice's pitch at one 16th step)",
        "split": "validation",
        "value": 0.335,
        "verified": False,
        "status": _UNVERIFIED,
    },
    {
        "model": "Transformer baseline",
        "paper": "Huang et al., Music Transformer, ICLR 2019 (JSB Chorales NLL table)",
        "url": "https://arxiv.org/abs/1809.04281",
        "unit": "nats per frame-voice",
        "split": "validation",
        "value": 0.417,
        "verified": False,
        "status": _UNVERIFIED,
    },
    {
        "model": "Coconet",
        "paper": "Huang et al., Counterpoint by Convolution, ISMIR 2017 (as quoted by Music Transformer)",
        "url": "https://arxiv.org/abs/1903.07227",
        "unit": "nats per frame-voice",
        "split": "validation",
        "value": 0.436,
        "verified": False,
        "status": _UNVERIFIED,
    },
]


# ------------------------------------------------------------------ header cost (joint figures)
HEADER_SLOTS = ("Style", "Key", "Mode", "Meter", "Tempo", "Bars", "Layout")


def header_cost_nats(ids: Sequence[int], tokenizer: Any) -> float:
    """-log u(header) of one encoded piece under a uniform prior: each header slot uniform over
    its tokens in the vocabulary, pickup present or not with 1/2 each, its position uniform over
    the Pos tokens. `ids` is a canonical encoding (`tokenizer.encode`); the header is everything
    between <bos> and the first Bar."""
    sizes: dict[str, int] = {}
    for token in tokenizer.vocab:
        group = token.split("_", 1)[0]
        sizes[group] = sizes.get(group, 0) + 1
    cost = math.log(2.0)  # pickup or not
    first_bar = list(ids).index(tokenizer.bar_id) if tokenizer.bar_id in ids else len(ids)
    for i in ids[1:first_bar]:
        group = tokenizer.vocab[i].split("_", 1)[0]
        if group in HEADER_SLOTS or group == "Pos":
            cost += math.log(sizes[group])
    return cost


# ------------------------------------------------------------------ views and counts
def canonical_view(piece: Piece, tokenizer: Any | None = None) -> Piece:
    """The piece as tunesmith's tokens keep it: `decode(encode(piece))`, with the original
    ids, style and split. ValueError if the piece cannot be encoded (an unsupported meter)."""
    from tunesmith.tokenizer import Tokenizer

    tok = tokenizer or Tokenizer()
    view = tok.decode(tok.encode(piece), piece_id=piece.piece_id, title=piece.title)
    view.work_id = piece.work_id
    view.style = piece.style
    view.split = piece.split
    view.source = piece.source
    view.license = piece.license
    return view


def _summary(total: float, n_tokens: int, n_notes: int, n_bars: int, n_pieces: int, **extra: Any) -> dict[str, Any]:
    return {
        "per_token": total / n_tokens if n_tokens else math.nan,
        "per_note": total / n_notes if n_notes else math.nan,
        "per_bar": total / n_bars if n_bars else math.nan,
        "total": total,
        "n_tokens": n_tokens,
        "n_notes": n_notes,
        "n_bars": n_bars,
        "n_pieces": n_pieces,
        **extra,
    }


# ------------------------------------------------------------------ tunesmith
@dataclass
class _Window:
    piece: int  # index into the pieces list
    ids: list[int]
    first: int  # first target index (into ids[1:]) that is scored
    stop: int  # one past the last scored target index


def _score_span(ids: list[int], tokenizer: Any, from_bar: int, to_bar: int, with_eos: bool) -> tuple[int, int]:
    """Target indices [first, stop) (targets are ids[1:]) covering bars from_bar..to_bar-1 of the
    window `ids` (bar k = the k-th Bar token) and the final <eos> when `with_eos`."""
    bars = [i for i, t in enumerate(ids) if t == tokenizer.bar_id]
    start_pos = bars[from_bar]
    if to_bar < len(bars):
        end_pos = bars[to_bar]  # exclusive: the next bar's Bar token is not scored here
    else:
        end_pos = len(ids) if with_eos else len(ids) - 1  # the window's own <eos> only at the very end
    return start_pos - 1, end_pos - 1


def _windows_of(index: int, piece: Piece, tokenizer: Any, block: int) -> list[_Window]:
    full = tokenizer.encode(piece)
    if len(full) <= block + 1:
        bars = [i for i, t in enumerate(full) if t == tokenizer.bar_id]
        if not bars:
            return []
        return [_Window(index, full, bars[0] - 1, len(full) - 1)]
    bar_pos = [i for i, t in enumerate(full) if t == tokenizer.bar_id]
    n_bars = len(bar_pos)
    costs = [b - a for a, b in zip(bar_pos, bar_pos[1:])] + [len(full) - 1 - bar_pos[-1]]
    header = bar_pos[0] + 2  # header tokens + <eos> (+1 slack for a re-encoded window's extra Pos)
    windows: list[_Window] = []
    scored = 0  # bars [0, scored) are done
    start = 0
    while scored < n_bars:
        end, used = start, header
        while end < n_bars and used + costs[end] <= block + 1:
            used += costs[end]
            end += 1
        end = max(end, scored + 1)
        while True:
            ids = tokenizer.encode(piece, start_bar=start, end_bar=end)
            if len(ids) <= block + 1 or end - 1 <= scored:
                break
            end -= 1
        if len(ids) > block + 1:  # one bar alone over the block: keep its head (rare)
            ids = ids[: block + 1]
        first, stop = _score_span(ids, tokenizer, scored - start, end - start, with_eos=end == n_bars)
        stop = min(stop, len(ids) - 1)
        windows.append(_Window(index, ids, first, stop))
        scored = end
        # next window: keep about half a block of the bars just scored as context
        start, ctx = scored, 0
        while start > 0 and ctx + costs[start - 1] <= block // 2:
            start -= 1
            ctx += costs[start]
    return windows


def tunesmith_nll(
    model: Any,
    tokenizer: Any,
    pieces: Iterable[Piece],
    *,
    batch_size: int = 8,
    per_piece: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """Held-out NLL (nats) of `pieces` under a tunesmith GPT, given each piece's header.

    Pieces are scored as given (pass `canonical_view`s for counts that match the baseline's);
    per-note / per-bar divide by `Piece.n_notes` / `Piece.n_bars` of the given pieces. A piece
    the tokenizer refuses (unsupported meter) is skipped and counted in `n_skipped`.
    `per_note_joint` / `per_bar_joint` add each piece's header cost under a uniform prior
    (`header_cost_nats`, see the module docstring): whole-piece figures, comparable with the
    unconditioned baseline's. `per_piece=True` adds a "pieces" list of per-piece totals.
    """
    import torch
    import torch.nn.functional as F

    pieces = list(pieces)
    block = int(model.config.block_size)
    windows: list[_Window] = []
    skipped = 0
    kept: list[int] = []
    header = np.zeros(len(pieces))
    for i, p in enumerate(pieces):
        try:
            w = _windows_of(i, p, tokenizer, block)
        except ValueError:
            skipped += 1
            continue
        if not w:
            skipped += 1
            continue
        windows.extend(w)
        kept.append(i)
        header[i] = header_cost_nats(tokenizer.encode(p), tokenizer)
    totals = np.zeros(len(pieces))
    counts = np.zeros(len(pieces), dtype=np.int64)
    order = sorted(range(len(windows)), key=lambda j: len(windows[j].ids))  # similar lengths share a batch
    was_training = model.training
    model.eval()
    bar = None
    if progress:
        from tunesmith.progress import progress_bar

        bar = progress_bar(total=len(windows), desc="likelihood", unit="window", leave=False)
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            group = [windows[j] for j in order[b : b + batch_size]]
            T = max(len(w.ids) for w in group) - 1
            x = torch.full((len(group), T), tokenizer.pad_id, dtype=torch.long)  # (B, T)
            y = torch.full((len(group), T), -1, dtype=torch.long)  # (B, T)
            for r, w in enumerate(group):
                n = len(w.ids) - 1
                x[r, :n] = torch.tensor(w.ids[:-1])
                targets = torch.tensor(w.ids[1:])
                y[r, w.first : w.stop] = targets[w.first : w.stop]
            logits, _ = model(x, targets=y)  # (B, T, V)
            nll = F.cross_entropy(logits.float().transpose(1, 2), y, ignore_index=-1, reduction="none")  # (B, T)
            nll = nll.double().sum(1).numpy()
            scored = (y >= 0).sum(1).numpy()
            for r, w in enumerate(group):
                totals[w.piece] += nll[r]
                counts[w.piece] += scored[r]
            if bar is not None:
                bar.update(len(group))
    if bar is not None:
        bar.close()
    model.train(was_training)
    total = float(totals[kept].sum()) if kept else 0.0
    header_total = float(header[kept].sum()) if kept else 0.0
    n_notes = sum(pieces[i].n_notes for i in kept)
    n_bars = sum(pieces[i].n_bars for i in kept)
    out = _summary(
        total,
        int(counts[kept].sum()) if kept else 0,
        n_notes,
        n_bars,
        len(kept),
        n_skipped=skipped,
        n_windows=len(windows),
        conditioning="header given (style, key, mode, meter, tempo, bars, layout)",
        header_total=header_total,
        per_note_joint=(total + header_total) / n_notes if n_notes else math.nan,
        per_bar_joint=(total + header_total) / n_bars if n_bars else math.nan,
        joint="conditional NLL + header cost under a uniform prior (header_cost_nats)",
    )
    if per_piece:
        out["pieces"] = [
            {
                "piece_id": pieces[i].piece_id,
                "total": float(totals[i]),
                "header_nats": float(header[i]),
                "n_tokens": int(counts[i]),
                "n_notes": pieces[i].n_notes,
                "n_bars": pieces[i].n_bars,
            }
            for i in kept
        ]
    return out


# ------------------------------------------------------------------ the GPT-2 baseline
def baseline_nll(model: Any, tokenizer: Any, pieces: Sequence[Piece], *, per_piece: bool = False) -> dict[str, Any]:
    """Held-out NLL under the GPT-2 + REMI baseline (`baselines.gpt2_remi.heldout_nll`), on the
    same pieces; pieces with no playable note are skipped. `per_piece` scores them one by one."""
    from tunesmith.baselines.gpt2_remi import encode_piece, heldout_nll

    kept, encoded, skipped = [], [], 0
    for p in pieces:
        try:
            ids = encode_piece(tokenizer, p)
        except Exception:  # miditok/symusic refuse odd scores in their own ways
            ids = []
        if not ids:
            skipped += 1
            continue
        kept.append(p)
        encoded.append(ids)
    if not per_piece:
        out = heldout_nll(model, tokenizer, kept, encoded=encoded) if kept else _summary(0.0, 0, 0, 0, 0)
        out = dict(out)
        out["n_skipped"] = skipped
        out["conditioning"] = "none (BOS only)"
        out.update(_joint_of_unconditioned(out))
        return out
    rows = []
    for p, ids in zip(kept, encoded):
        r = heldout_nll(model, tokenizer, [p], encoded=[ids])
        rows.append(
            {
                "piece_id": p.piece_id,
                "total": float(r["total"]),
                "header_nats": 0.0,
                "n_tokens": int(r["n_tokens"]),
                "n_notes": p.n_notes,
                "n_bars": p.n_bars,
            }
        )
    out = _summary(
        sum(r["total"] for r in rows),
        sum(r["n_tokens"] for r in rows),
        sum(r["n_notes"] for r in rows),
        sum(r["n_bars"] for r in rows),
        len(rows),
        n_skipped=skipped,
        conditioning="none (BOS only)",
    )
    out.update(_joint_of_unconditioned(out))
    out["pieces"] = rows
    return out


def _joint_of_unconditioned(out: dict[str, Any]) -> dict[str, Any]:
    """An unconditioned model's figures are already whole-piece (joint) figures."""
    return {
        "header_total": 0.0,
        "per_note_joint": out.get("per_note", math.nan),
        "per_bar_joint": out.get("per_bar", math.nan),
        "joint": "the model's own NLL (unconditioned: nothing to add)",
    }


# ------------------------------------------------------------------ JSB chorales, frame level
def voice_grid(piece: Piece, n_frames: int, step: float = JSB_STEP_BEATS) -> np.ndarray:
    """(n_frames, 4) MIDI pitches of soprano..bass at each grid step (-1: rest)."""
    grid = np.full((n_frames, len(JSB_VOICES)), -1, dtype=np.int64)
    for v, role in enumerate(JSB_VOICES):
        track = piece.track(role)
        if track is None:
            continue
        for n in track.notes:
            a = int(round(n.onset / step))
            b = int(round((n.onset + n.duration) / step))
            grid[max(a, 0) : min(max(b, a + 1), n_frames), v] = n.pitch
    return grid


def load_jsb_split(path: str | Path | None = None, split: str = "test") -> list[Piece]:
    """The chorales of one split of the 16th-note JSB JSON (default: the shared data's
    Jsb16thSeparated.json, else jsb-chorales-16th.json), read with `inputs.jsb.read_jsb_json`."""
    from tunesmith.inputs.jsb import read_jsb_json
    from tunesmith.paths import shared_data

    if path is None:
        folder = shared_data() / "jsb"
        path = next(
            (folder / n for n in ("Jsb16thSeparated.json", "jsb-chorales-16th.json") if (folder / n).is_file()),
            folder / "Jsb16thSeparated.json",
        )
    pieces = read_jsb_json(path, grid=JSB_STEP_BEATS, source="jsb", license="public-domain")
    return [p for p in pieces if p.split == split]


def jsb_frame_nll(
    system: Any,
    pieces: Sequence[Piece] | None = None,
    *,
    path: str | Path | None = None,
    split: str = "test",
) -> dict[str, Any]:
    """Frame-level NLL of the JSB chorales (see the module docstring for what it means).

    `system` is an `evaluation.systems.System` (tunesmith or the GPT-2 baseline). Returns the
    pooled figures (sum of NLL / sum of frames: Coconet's "unit" mean) and the mean over
    chorales of their own per-frame figures (Coconet's "example" mean), over all chorales and
    over the ones our encoding reproduces exactly, plus the published reference figures (all
    marked unverified: see `JSB_REFERENCE_FIGURES`).
    """
    from tunesmith.tokenizer import Tokenizer

    pieces = list(pieces) if pieces is not None else load_jsb_split(path, split)
    tok = Tokenizer()
    views, frames, exact = [], [], []
    for p in pieces:
        n_frames = int(round(p.duration() / JSB_STEP_BEATS))
        try:
            view = canonical_view(p, tok)
        except ValueError:
            continue
        views.append(view)
        frames.append(n_frames)
        exact.append(bool(np.array_equal(voice_grid(p, n_frames), voice_grid(view, n_frames))))
    result = system.nll(views, per_piece=True)
    by_id = {r["piece_id"]: r for r in result.get("pieces", [])}

    def figures(which: list[int]) -> dict[str, Any]:
        rows = [(by_id[views[i].piece_id], frames[i]) for i in which if views[i].piece_id in by_id]
        total = sum(r["total"] for r, _ in rows)
        joint = total + sum(r.get("header_nats", 0.0) for r, _ in rows)
        n_frames = sum(f for _, f in rows)
        per_chorale = [r["total"] / f for r, f in rows if f]
        return {
            "n_chorales": len(rows),
            "n_frames": n_frames,
            "nats_per_frame": total / n_frames if n_frames else math.nan,
            "nats_per_frame_voice": total / (4 * n_frames) if n_frames else math.nan,
            "nats_per_frame_joint": joint / n_frames if n_frames else math.nan,
            "nats_per_frame_voice_joint": joint / (4 * n_frames) if n_frames else math.nan,
            "nats_per_frame_mean_over_chorales": float(np.mean(per_chorale)) if per_chorale else math.nan,
            "nats_per_frame_voice_mean_over_chorales": float(np.mean(per_chorale)) / 4 if per_chorale else math.nan,
            "nats_per_note": total / sum(r["n_notes"] for r, _ in rows) if rows else math.nan,
            "nats_per_token": total / sum(r["n_tokens"] for r, _ in rows) if rows else math.nan,
        }

    return {
        "split": split,
        "grid": "16th notes, 4 voices (soprano, alto, tenor, bass)",
        "all": figures(list(range(len(views)))),
        "exact_encoding_only": figures([i for i, e in enumerate(exact) if e]),
        "n_exact_encoding": int(sum(exact)),
        "n_chorales_read": len(pieces),
        "conditioning": result.get("conditioning", ""),
        "method": (
            "total NLL of each chorale (its whole token stream; tunesmith: given its header) divided by "
            "its number of 16th-note frames (x4 for frame-voices); not a grid model's own factorisation. "
            "'joint' adds tunesmith's header cost under a uniform prior (whole-piece likelihood, like the "
            "papers' unconditioned figures and the baseline's)"
        ),
        "reference": JSB_REFERENCE_FIGURES,
    }
