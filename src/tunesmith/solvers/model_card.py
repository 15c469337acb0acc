"""MODEL_CARD.md for a trained model, written from the model's own record (model.json).

Every model `tunesmith train` makes gets one beside its weights: what it is, how it was trained,
what it learned from under which licenses, and what that means for sharing the weights and the
takes. `scripts/ship_model.py` writes the package's default model's card from the same parts,
with the decisions about the data the default model leaves out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tunesmith.licenses import may_ship
from tunesmith.paths import atomic_write_text

CARD_FILE = "MODEL_CARD.md"


def _n_params(weights: Path) -> int:
    from safetensors.numpy import load_file

    return sum(t.size for t in load_file(str(weights)).values())


def recipe_line(prov: dict[str, Any], config_name: str | None) -> str:
    """One training run, or a fine-tune of the model it started from (`config_name`: the config
    file's name when known; the full config is always in model.json)."""
    config = f"`tunesmith train --config {config_name}`" if config_name else "`tunesmith train`"
    start = prov.get("initialised_from")
    if not start:
        return f"- recipe: {config} (the full config is in model.json, `train_config`)"
    return (f"- recipe: fine-tuned from model `{start['model']}` (sha256 `{start['sha256'][:12]}`) by "
            f"{config[:-1]} --init {start['model']}` (the full config is in model.json, `train_config`)")


def summary_lines(info: dict[str, Any], weights: Path, *, config_name: str | None) -> list[str]:
    """The card's bullet list: weights and their hash, shape, training run, recipe, corpus."""
    from tunesmith.pretrained import file_sha256

    prov = info.get("provenance", {})
    mc, tc = info["model_config"], info.get("train_config", {})
    val = info.get("val_loss")
    return [
        f"- weights: `{weights.name}`, sha256 `{file_sha256(weights)}`",
        f"- shape: {mc['n_layer']} layers x {mc['n_embd']} wide, {mc['n_head']} heads, "
        f"context {mc['block_size']} tokens, vocabulary {mc['vocab_size']}, {_n_params(weights):,} parameters",
        f"- trained: {info.get('step', '?')} steps{' of fine-tuning' if prov.get('initialised_from') else ''} "
        f"of batch {tc.get('batch_size', '?')}, fill-in-the-middle rate {tc.get('fim_rate', '?')}, "
        f"transposition +-{tc.get('transpose', '?')}, seed {tc.get('seed', '?')}; best validation loss "
        + (f"{val:.4f} nats/token" if isinstance(val, (int, float)) else "none (no evaluation improved)"),
        recipe_line(prov, config_name),
        f"- corpus: {prov.get('corpus', '?')}"
        + (f", built {prov['manifest_created']}" if prov.get("manifest_created") else "")
        + f"; shippable licenses only: {prov.get('shippable_only')}",
    ]


def data_lines(info: dict[str, Any]) -> list[str]:
    """The training-data table: each source, its licenses, its train and valid pieces."""
    prov = info.get("provenance", {})
    lines = ["## Training data", "", "| source | license | train pieces | valid pieces |", "|---|---|---|---|"]
    for name, src in sorted(prov.get("sources", {}).items()):
        licenses = ", ".join(f"{k} ({v})" for k, v in src.get("licenses", {}).items())
        lines.append(f"| {name} | {licenses} | {src.get('train', 0)} | {src.get('valid', 0)} |")
    styles = ", ".join(f"{k} {v}" for k, v in prov.get("style_counts", {}).items())
    lines += ["", f"Training pieces by style: {styles or 'none recorded'}."]
    with_chords = prov.get("pieces_with_chords")
    if with_chords == 0:
        lines.append("None of them has chord symbols: the model never learned chords, and its lead sheets are the "
                     "melody alone unless you give chords (`--chords`) or ask the harmonizer's (`--chords-from harmonizer`).")
    elif with_chords is not None:
        lines.append(f"Training pieces with chord symbols: {with_chords} of {prov.get('pieces', {}).get('train', '?')}.")
    return lines


def sharing_lines(info: dict[str, Any]) -> list[str]:
    """What the data's licenses mean for the weights and the takes (tunesmith's reading, not legal advice)."""
    prov = info.get("provenance", {})
    licenses = sorted(prov.get("licenses", {}))
    barred = [lic for lic in licenses if not may_ship(lic)]
    lines = ["## Sharing the weights and the takes", ""]
    if not licenses:
        return lines + ["The licenses of the training data are not recorded: find them out before sharing the "
                        "weights or publishing takes."]
    if barred:
        lines.append(f"Part of the training data is licensed {', '.join(barred)}, which tunesmith reads as not "
                     "allowing the weights to be shipped or sold, nor takes published: keep this model and its "
                     "takes to study and research unless you hold those rights. "
                     "(`scripts/ship_model.py` refuses such a model.)")
    else:
        text = (f"Every training piece is licensed {', '.join(licenses)}, which tunesmith reads as allowing the "
                "weights and the takes to be shared.")
        if any(lic.upper().startswith(("GPL", "CC-BY-SA")) for lic in licenses):
            text += " Weights derived from share-alike data (GPL, CC-BY-SA) carry those terms when shared."
        if any(lic.upper().startswith("CC-BY") for lic in licenses):
            text += " CC-BY data asks for credit to its sources, listed above."
        lines.append(text)
    start = prov.get("initialised_from")
    if start:
        lines += ["", f"The training started from model `{start.get('model')}`: the weights derive from that model's "
                      "training data too (see its own card)."]
    return lines + ["", "Every take says which works it resembles (the copy guard) and what you may do with it, "
                        "in its JSON sidecar and inside its files."]


def model_card(info: dict[str, Any], weights: Path, *, title: str, intro: str, config_name: str | None = None,
               extra: str = "") -> str:  # fmt: skip
    """The whole card: title, intro, summary, data table, sharing, then `extra` markdown."""
    lines = [f"# {title}", "", intro, "", *summary_lines(info, weights, config_name=config_name), "",
             *data_lines(info), "", *sharing_lines(info)]  # fmt: skip
    if extra.strip():
        lines += ["", extra.strip()]
    return "\n".join(lines) + "\n"


def write_trained_card(folder: Path, info: dict[str, Any]) -> Path:
    """MODEL_CARD.md for a model `tunesmith train` made in `folder` (its weights already there)."""
    prov = info.get("provenance", {})
    styles = prov.get("styles")
    what = "every style" if styles in (None, "all") else ", ".join(styles)
    intro = (f"A tunesmith model (a decoder-only transformer, tunesmith.model.GPT) trained by `tunesmith train` on "
             f"{prov.get('pieces', {}).get('train', '?')} pieces ({what}). Compose with it by "
             "`tunesmith compose --model FOLDER`; the folder's model.json holds the full record this card is "
             "written from.")
    text = model_card(info, folder / "model.safetensors", title=f"tunesmith model: {folder.name}", intro=intro)
    atomic_write_text(folder / CARD_FILE, text)
    return folder / CARD_FILE
