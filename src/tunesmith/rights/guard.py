"""The copy guard every take passes: check it against the model's training set, resample a copy
(a bounded number of times) or keep it labelled, and attach attribution to the take's JSON.

    takes = guard_takes(takes, index, resample=lambda i, attempt: new_take, allow_close=False)

Each take's `provenance["rights"]` then holds the verdict (clear / close / copy), its score
and the thresholds, the top-3 nearest training works (work id, title, source, license, score,
the bars that match on each side), how many times it was resampled, and a usage note (what the
user may do with the take). The musician's own notes (`given`: co-create input) never count.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from tunesmith.rights.check import CheckResult, check_piece, resolve_index
from tunesmith.rights.index import SimilarityIndex
from tunesmith.rights.provenance import disclosure, made_how, usage_note

MAX_RESAMPLES = 3


def model_index(model: Any = None) -> SimilarityIndex | None:
    """The similarity index beside `model` (a `tunesmith.api.Model`, a name or folder), or None
    where it has none (its takes are labelled unchecked). An index that is there but unreadable
    is a ValueError naming it: a damaged index had silently turned the copy guard off, the takes
    saying "no similarity index beside the model"."""
    source = getattr(model, "info", {}).get("source") if model is not None and hasattr(model, "info") else model
    try:
        return resolve_index("model", model=source)
    except FileNotFoundError:
        return None
    except ValueError as e:
        from tunesmith.rights.check import model_dir

        try:
            where = str(model_dir(source))
        except (FileNotFoundError, ValueError):
            where = "the model"
        raise ValueError(f"{where}: its copy-guard index is damaged: {e} (rebuild or remove it)") from None


def rights_record(result: CheckResult, *, resampled: int, allow_close: bool, training_licenses: Sequence[str],
                  input_excluded: bool, model_id: str | None = "default",
                  provenance: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """The take's "rights" record; `provenance` (the take's) says how it was made (`disclosure`)."""
    rec = result.to_dict()
    rec.update(
        checked=True,
        resampled=resampled,
        allow_close=allow_close,
        kept_as_copy=result.verdict == "copy",
        input_excluded=input_excluded,
        usage=usage_note(training_licenses, result.verdict, model_id=model_id, how=made_how(provenance),
                         nearest_license=(rec.get("nearest") or [{}])[0].get("license")),
        **disclosure(provenance),
    )
    return rec


def guard_takes(
    takes: Sequence[Any],
    index: SimilarityIndex | None,
    *,
    resample: Callable[[int, int], Any] | None = None,
    max_resamples: int = MAX_RESAMPLES,
    allow_close: bool = False,
    given: set[tuple[int, float]] | None = None,
) -> list[Any]:
    """Check every take (`.piece`, `.provenance`); a "copy" is replaced by `resample(i, attempt)`
    (attempt 1..max_resamples) until one is not a copy, unless `allow_close` (then it is kept and
    labelled). When every resample is a copy too, the least similar take is kept, labelled.
    `index` None: the takes are labelled as unchecked. Returns the takes (maybe new ones)."""
    if max_resamples < 0:
        raise ValueError(f"max_resamples must be 0 or more, got {max_resamples}")
    out = []
    for i, take in enumerate(takes):
        licenses = training_licenses(take.provenance, take.piece)
        model_id = (take.provenance.get("model") or {}).get("id")
        if index is None:
            take.provenance["rights"] = {"checked": False, "why": "no similarity index beside the model",
                                         "usage": usage_note(licenses, None, model_id=model_id,
                                                             how=made_how(take.provenance)),
                                         **disclosure(take.provenance)}  # fmt: skip
            out.append(take)
            continue
        t0 = time.perf_counter()
        best, result = take, check_piece(take.piece, index, given=given)
        attempt = 0
        while result.verdict == "copy" and not allow_close and resample is not None and attempt < max_resamples:
            attempt += 1
            candidate = resample(i, attempt)
            r = check_piece(candidate.piece, index, given=given)
            if r.score < result.score:
                best, result = candidate, r
        best.provenance["rights"] = rights_record(result, resampled=attempt, allow_close=allow_close,
                                                  training_licenses=licenses, input_excluded=bool(given),
                                                  model_id=model_id, provenance=best.provenance)  # fmt: skip
        timings = best.provenance.setdefault("timings", {})
        timings["check"] = round(time.perf_counter() - t0, 4)
        out.append(best)
    return out


def training_licenses(provenance: dict, piece: Any = None) -> list[str]:
    """The license ids of the data the take's model learned from and, given the take's `piece`,
    the shipped harmonizer's where it chose the take's chords (sorted; [] when not recorded)."""
    training = provenance.get("training_data") or {}
    lic = training.get("licenses") if isinstance(training, dict) else None
    out = set(lic) if isinstance(lic, dict | list) else set()
    if out and piece is not None:
        from tunesmith.outputs.bundle import chords_training_data, is_four_part

        out |= set((chords_training_data(provenance, is_four_part(piece)) or {}).get("licenses") or {})
    return sorted(out)
