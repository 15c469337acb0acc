"""The model folders the tuning solvers write (policy gradient, adversarial, DPO): each is a
normal tunesmith model folder, as `compose --model FOLDER` expects one (the weights and
model.json, decoding.json, the base's similarity index, a model card); and the guard that a new
run never writes over a folder holding another (`check_out_folder`; `clear_run` for --force)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tunesmith.model import GPT, save_model
from tunesmith.paths import atomic_write_text

CHECKPOINT_FILE = "checkpoint.safetensors"  # the policy-gradient checkpoint (solvers.policy_gradient)
TUNE_LOG = "tune_log.json"

# beside the weights, what `compose --model FOLDER` reads from a model folder: the sampling
# defaults (decoding.json, written from the model's own) and the copy guard's similarity index
# (the harmonizers and the chord table are always the shipped ones, so they are not copied)
SIDE_FILES = ("similarity_index.npz", "similarity_index.json")
# what a tune or a DPO run writes into its folder (--force clears these before a new run)
RUN_FILES = ("model.safetensors", "model.json", "decoding.json", "MODEL_CARD.md", CHECKPOINT_FILE, TUNE_LOG,
             "train_log.json", *SIDE_FILES)  # fmt: skip
SNAPSHOT_NAME = re.compile(r"round-\d{4,}")


def base_folder(base_info: dict[str, Any]) -> Path | None:
    """The folder the base model was loaded from (None: given in memory)."""
    path = base_info.get("path")
    if not path:
        return None
    p = Path(path)
    return p if p.is_dir() else p.parent


def existing_run(out: str | Path) -> list[str]:
    """What of a model or a tune run `out` already holds (sorted names; [] for none)."""
    out = Path(out)
    if not out.is_dir():
        return []
    held = [name for name in ("model.safetensors", CHECKPOINT_FILE, TUNE_LOG, "train_log.json") if (out / name).is_file()]
    snaps = sorted(p.name for p in out.iterdir() if p.is_dir() and SNAPSHOT_NAME.fullmatch(p.name))
    return held + ([f"{snaps[0]}..{snaps[-1]}" if len(snaps) > 1 else snaps[0]] if snaps else [])


def check_out_folder(out: str | Path, *, resume: bool = False, force: bool = False, what: str = "tune") -> None:
    """Refuse to write a new run over a folder that holds a model or a tune (FileExistsError, one
    line): `resume` continues its checkpoint, `force` replaces it (`clear_run`)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out}: a file, not a folder; give --out a folder for the model")
    if resume and force:
        raise ValueError("--resume continues the folder's run and --force replaces it: give one of them")
    held = [] if resume or force else existing_run(out)
    if held:
        hint = ("continue it with --resume or replace it with --force" if what in ("tune", "train")
                else "replace it with --force")  # fmt: skip
        raise FileExistsError(f"{out}: already holds a model or a run ({', '.join(held)}); {hint}")


def clear_run(out: str | Path) -> None:
    """Remove what a previous tune or DPO run wrote into `out` (its model files, checkpoint, log
    and round-NNNN snapshots), so that the folder never mixes two runs. Other files stay."""
    import shutil

    out = Path(out)
    if not out.is_dir():
        return
    for p in out.iterdir():
        if p.is_dir() and SNAPSHOT_NAME.fullmatch(p.name):
            shutil.rmtree(p)
        elif p.name in RUN_FILES and p.is_file():
            p.unlink()


def _copy_side_files(base_dir: Path | None, folder: Path) -> None:
    """The base folder's `SIDE_FILES` into `folder` (atomically; skipped when already the same)."""
    import filecmp
    import os
    import shutil

    if base_dir is None or base_dir.resolve() == folder.resolve():
        return
    for name in SIDE_FILES:
        src, dst = base_dir / name, folder / name
        if not src.is_file():
            continue
        if dst.is_file() and filecmp.cmp(src, dst, shallow=True):
            continue
        tmp = dst.with_name(f".{name}.tmp-{os.getpid()}")
        try:
            shutil.copy2(src, tmp)
            os.replace(tmp, dst)
        finally:
            if tmp.exists():
                tmp.unlink()


def write_model_folder(folder: str | Path, model: GPT, tokenizer, info: dict[str, Any], *, base_info: dict[str, Any],
                       base_id: str, card: list[str]) -> Path:  # fmt: skip
    """A normal tunesmith model folder, as `compose --model` expects one: the weights and
    model.json (`info`: the model's record), decoding.json (the model's sampling defaults, which
    it inherited from its base), the base's similarity index (the copy guard), and MODEL_CARD.md
    (`card`: the lines that say how this model was made, then the base's card). Every model
    folder the tuner and DPO write (the tuned model, its round-NNNN snapshots, a DPO model) is one."""
    from tunesmith.inference import DECODING_FILE

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _copy_side_files(base_folder(base_info), folder)
    if getattr(model, "decoding", None):
        # the base's sampling defaults per style (temperatures, chords, tonal and rhythm feedback)
        # go with the tuned weights, so that `compose --model FOLDER` composes as the base does
        decoding = {"inherited_from": base_id, **model.decoding}
        atomic_write_text(folder / DECODING_FILE, json.dumps(decoding, indent=1) + "\n")
    elif (folder / DECODING_FILE).is_file():
        (folder / DECODING_FILE).unlink()
    save_model(folder, model, tokenizer, info)
    _write_card(folder, base_info, card)
    return folder


def _write_card(out: Path, base_info: dict, lines: list[str]) -> None:
    """MODEL_CARD.md: how the model was made (`lines`), then the base model's card (when the
    base folder has one)."""
    base_card = ""
    bdir = base_folder(base_info)
    if bdir is not None and (bdir / "MODEL_CARD.md").is_file():
        base_card = (bdir / "MODEL_CARD.md").read_text(encoding="utf-8")
    text = "\n".join(lines) + ("\n---\n\n# The base model\n\n" + base_card if base_card else "")
    atomic_write_text(out / "MODEL_CARD.md", text)
