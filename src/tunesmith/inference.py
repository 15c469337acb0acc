"""Inference without torch: the model's config, its numpy KV-cache decoder, and a loader that
reads a model folder straight into numpy.

Sampling (compose, co-create) never needs torch: `tunesmith.model.GPT` trains, and its weights
are decoded here. Importing torch costs about a second per command, so the CLI loads models
with `load_numpy_model` and only training and batch scoring import torch.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

MODEL_FORMAT = "tunesmith-model"
MODEL_FILE = "model.safetensors"


@dataclass
class ModelConfig:
    vocab_size: int
    block_size: int = 1024  # longest sequence (positions) the model can see
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 256
    dropout: float = 0.0
    bias: bool = True
    # Metrical embeddings (`tunesmith.token_meter`): each token also gets where the next note
    # falls in the bar, how many bars are left and the bar's place in an 8-bar phrase, all
    # computed from the tokens by the grammar. False for models trained before they existed.
    metric: bool = False

    def __post_init__(self) -> None:
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"ModelConfig.{name} must be a positive integer, got {value!r}")
        if self.n_embd % self.n_head:
            raise ValueError(f"ModelConfig: n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        if not 0.0 <= float(self.dropout) < 1.0:
            raise ValueError(f"ModelConfig.dropout must be in [0, 1), got {self.dropout!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"ModelConfig: unknown fields {sorted(unknown)}")
        return cls(**d)



@dataclass
class NumpyModel:
    """Weights (float64 numpy arrays, by the torch model's state-dict names) and config: what
    sampling needs of a model. `parameters()` is empty so `sampling` caches its decoder once."""

    config: ModelConfig
    state: dict
    decoding: dict | None = None  # per-style {"temperature", "top_p"} defaults (decoding.json)

    def parameters(self):
        return ()


DECODING_FILE = "decoding.json"


def read_decoding(folder: Path) -> dict:
    """Per-style decoding defaults from `decoding.json` beside the weights ({} when absent);
    ValueError naming the file when it is malformed or out of bounds."""
    from tunesmith.score import STYLES

    file = Path(folder) / DECODING_FILE
    if not file.exists():
        return {}
    if not file.is_file():  # a pipe or a device had been taken as no file: the model's defaults, unsaid
        raise ValueError(f"{file}: not a regular file (a folder, pipe, device or socket); a decoding file is JSON")
    if file.stat().st_size > 100_000:
        raise ValueError(f"{file}: too large for a decoding file")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{file}: not a decoding file ({exc})") from None
    if not isinstance(data, dict):  # `[1, 2, 3]` had been read as no defaults at all, without a word
        raise ValueError(f"{file}: not a decoding file (a JSON object of styles, not {type(data).__name__})")
    out = {}
    for style in STYLES:
        d = data.get(style) if isinstance(data, dict) else None
        if d is None:
            continue
        if not isinstance(d, dict):
            raise ValueError(f"{file}: {style}: must be a table of decoding defaults")
        out[style] = {}
        t, p = d.get("temperature"), d.get("top_p")  # each optional (a tuned model may set only its endings)
        ok = (t is None or (isinstance(t, int | float) and 0 < t <= 10)) and (
            p is None or (isinstance(p, int | float) and 0 < p <= 1)
        )
        if not ok:
            raise ValueError(f"{file}: {style}: temperature must be in (0, 10] and top_p in (0, 1]")
        if t is not None:
            out[style]["temperature"] = float(t)
        if p is not None:
            out[style]["top_p"] = float(p)
        r = d.get("rhythm_temperature")
        if r is not None:
            if not (isinstance(r, int | float) and 0 < r <= 10):
                raise ValueError(f"{file}: {style}: rhythm_temperature must be in (0, 10]")
            out[style]["rhythm_temperature"] = float(r)
        ct = d.get("chord_token_temperature")
        if ct is not None:
            if not (isinstance(ct, int | float) and not isinstance(ct, bool) and 0 < ct <= 10):
                raise ValueError(f"{file}: {style}: chord_token_temperature must be in (0, 10]")
            out[style]["chord_token_temperature"] = float(ct)
        c = d.get("chords_from")
        if c is not None:
            if c not in ("model", "harmonizer"):
                raise ValueError(f"{file}: {style}: chords_from must be 'model' or 'harmonizer'")
            out[style]["chords_from"] = c
        ct = d.get("chords_temperature")
        if ct is not None:
            if not (isinstance(ct, int | float) and 0 < ct <= 10):
                raise ValueError(f"{file}: {style}: chords_temperature must be in (0, 10]")
            out[style]["chords_temperature"] = float(ct)
        for flag in ("ii_v", "sevenths", "secondary_dominants", "home_through_the_dominant",
                     "minor_plagal", "turnaround"):  # chord idioms applied to the composer's own chords
            value = d.get(flag)
            if value is not None:
                if not isinstance(value, bool):
                    raise ValueError(f"{file}: {style}: {flag} must be true or false")
                out[style][flag] = value
        cp = d.get("chords_prior_correction")
        if cp is not None:
            if not (isinstance(cp, int | float) and not isinstance(cp, bool) and 0 <= cp <= 2):
                raise ValueError(f"{file}: {style}: chords_prior_correction must be in [0, 2]")
            out[style]["chords_prior_correction"] = float(cp)
        for key, check in _TABLES.items():
            if d.get(key) is not None:
                out[style][key] = check(d[key], f"{file}: {style}")
        closing = d.get("closing_degrees")
        if closing is not None:
            ok = isinstance(closing, dict) and closing and not set(closing) - {"root", "third", "fifth", "other"} and all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
                for v in closing.values()
            ) and sum(closing.values()) > 0
            if not ok:
                raise ValueError(f"{file}: {style}: closing_degrees must map root, third, fifth, other to shares >= 0")
            out[style]["closing_degrees"] = {k: float(v) for k, v in closing.items()}
        dances = d.get("dances")
        if dances is not None:
            out[style]["dances"] = _dances(dances, f"{file}: {style}")
        for key in ("tonal_feedback", "rhythm_feedback", "register_gain", "modulation_gain", "dance_rhythm_feedback",
                    "voice_register_gain", "rest_offset", "plan_stay_cost", "plan_return_cost"):
            gain = d.get(key)
            if gain is not None:
                if not (isinstance(gain, int | float) and not isinstance(gain, bool) and 0 <= gain <= 4):
                    raise ValueError(f"{file}: {style}: {key} must be in [0, 4]")
                out[style][key] = float(gain)
        tempos = d.get("header_tempos")
        if tempos is not None:
            from tunesmith.tokenizer import TEMPO_BUCKETS

            ok = isinstance(tempos, list) and 0 < len(tempos) <= len(TEMPO_BUCKETS) and all(
                isinstance(b, int) and not isinstance(b, bool) and b in TEMPO_BUCKETS for b in tempos
            )
            if not ok:
                raise ValueError(f"{file}: {style}: header_tempos must be a list of tempo buckets ({TEMPO_BUCKETS})")
            out[style]["header_tempos"] = sorted(set(tempos))
        registers = d.get("voice_registers")
        if registers is not None:
            ok = isinstance(registers, list) and 0 < len(registers) <= 5 and all(
                isinstance(x, int | float) and not isinstance(x, bool) and 21 <= x <= 108 for x in registers)
            if not ok:
                raise ValueError(f"{file}: {style}: voice_registers must be one mean MIDI pitch (21-108) per voice")
            out[style]["voice_registers"] = [float(x) for x in registers]
        lifts = d.get("header_key_lifts")
        if lifts is not None:
            ok = isinstance(lifts, dict) and len(lifts) <= 24 and all(
                isinstance(k, str) and len(k.split()) == 2 and k.split()[1] in ("major", "minor")
                and isinstance(v, int) and not isinstance(v, bool) and -6 <= v <= 6 for k, v in lifts.items())  # fmt: skip
            if not ok:
                raise ValueError(f"{file}: {style}: header_key_lifts must map 'Tonic major|minor' to semitones in [-6, 6]")
            out[style]["header_key_lifts"] = {k: int(v) for k, v in lifts.items()}
        lift = d.get("register_lift")
        if lift is not None:
            if not (isinstance(lift, int | float) and not isinstance(lift, bool) and -12 <= lift <= 12):
                raise ValueError(f"{file}: {style}: register_lift must be in [-12, 12] semitones")
            out[style]["register_lift"] = float(lift)
    return out


def _share_rows(value, where: str, name: str, keys: set[str], length: int) -> dict[str, list[float]]:
    """{key: `length` shares >= 0 summing to 1} for keys among `keys`; ValueError naming `where`."""
    if not isinstance(value, dict) or not value or set(value) - keys:
        raise ValueError(f"{where}: {name} must map {', '.join(sorted(keys))} to shares")
    out = {}
    for key, row in value.items():
        ok = isinstance(row, list) and len(row) == length and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0 for v in row
        )
        if not ok or abs(sum(row) - 1.0) > 0.01:
            raise ValueError(f"{where}: {name} {key!r} must be {length} shares >= 0 summing to 1")
        out[key] = [float(v) for v in row]
    return out


def _degree_profile(value, where: str) -> dict:
    """Per mode family, the melody's time on each of the 12 scale degrees (tonal feedback), or
    per mode family {voice letter: the voice's time on each degree} (a chorale's modulation)."""
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        if set(value) - {"major", "minor"}:
            raise ValueError(f"{where}: degree_profile must map major, minor to shares")
        return {fam: _share_rows(rows, where, f"degree_profile {fam!r}", {"M", "S", "A", "T", "B"}, 12)
                for fam, rows in value.items()}  # fmt: skip
    return _share_rows(value, where, "degree_profile", {"major", "minor"}, 12)


def _rhythm_profile(value, where: str) -> dict[str, list[float]]:
    """Per voice letter, the share of each note length of DUR_TICKS (rhythm feedback)."""
    from tunesmith.tokenizer import DUR_TICKS

    return _share_rows(value, where, "rhythm_profile", {"M", "S", "A", "T", "B"}, len(DUR_TICKS))


def _dances(value, where: str) -> dict[str, dict]:
    """{dance: {"meter": a meter, "rhythm_profile": the melody's share of each note length of
    DUR_TICKS, "pieces": how many tunes it was measured on, optionally "length_moves" and the
    dance's own "interval_offsets"}} (`--dance`)."""
    from tunesmith.sampling.request import DANCES
    from tunesmith.tokenizer import DUR_TICKS, METERS

    if not isinstance(value, dict) or not value or set(value) - set(DANCES):
        raise ValueError(f"{where}: dances must map dance names ({', '.join(DANCES)}) to their meter and rhythm")
    out = {}
    for dance, entry in value.items():
        if not isinstance(entry, dict) or entry.get("meter") not in METERS:
            raise ValueError(f"{where}: dances {dance!r} needs a meter of {', '.join(METERS)}")
        rows = _share_rows({"M": entry.get("rhythm_profile")}, where, f"dances {dance!r} rhythm_profile", {"M"},
                           len(DUR_TICKS))  # fmt: skip
        pieces = entry.get("pieces", 0)
        if not (isinstance(pieces, int) and not isinstance(pieces, bool) and pieces >= 0):
            raise ValueError(f"{where}: dances {dance!r} pieces must be a count")
        out[dance] = {"meter": entry["meter"], "rhythm_profile": rows["M"], "pieces": pieces}
        if entry.get("length_moves") is not None:
            out[dance]["length_moves"] = _length_moves(entry["length_moves"], f"{where}: dances {dance!r}")
        if entry.get("interval_offsets") is not None:
            out[dance]["interval_offsets"] = _interval_offsets(entry["interval_offsets"], f"{where}: dances {dance!r}")
    return out


def _length_moves(value, where: str) -> list[list[float]]:
    """Per class of the note before, a logit offset in [-4, 4] for each class of the next note's
    length (`sampling.feedback.LENGTH_CLASSES` by LENGTH_CLASSES)."""
    from tunesmith.sampling.feedback import LENGTH_CLASSES

    ok = isinstance(value, list) and len(value) == LENGTH_CLASSES and all(
        isinstance(row, list) and len(row) == LENGTH_CLASSES and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and -4 <= v <= 4 for v in row)
        for row in value
    )  # fmt: skip
    if not ok:
        raise ValueError(f"{where}: length_moves must be {LENGTH_CLASSES} rows of {LENGTH_CLASSES} numbers in [-4, 4]")
    return [[float(v) for v in row] for row in value]


def _pickups(value, where: str) -> dict[str, dict[str, float]]:
    """Per meter, {pickup length in quarter-note beats ("0": none): share} a take draws from."""
    from tunesmith.tokenizer import METERS, TICKS_PER_BEAT, meter_ticks

    if not isinstance(value, dict) or not value:
        raise ValueError(f"{where}: pickups must map meters to {{beats: share}}")
    out = {}
    for meter, row in value.items():
        if meter not in METERS or not isinstance(row, dict) or not row:
            raise ValueError(f"{where}: pickups: {meter!r} must be a meter ({', '.join(METERS)}) with {{beats: share}}")
        bar = meter_ticks(meter) / TICKS_PER_BEAT
        clean = {}
        for beats, share in row.items():
            try:
                b = float(beats)
            except ValueError:
                b = -1.0
            ok_share = isinstance(share, int | float) and not isinstance(share, bool) and math.isfinite(share) and share >= 0
            if not (0 <= b < bar and abs(b * TICKS_PER_BEAT - round(b * TICKS_PER_BEAT)) < 1e-6) or not ok_share:
                raise ValueError(f"{where}: pickups {meter}: {beats!r}: {share!r} must be beats in [0, {bar:g}) "
                                 "on the tick grid with a share >= 0")  # fmt: skip
            clean[str(beats)] = float(share)
        if sum(clean.values()) <= 0:
            raise ValueError(f"{where}: pickups {meter}: the shares sum to 0")
        out[meter] = clean
    return out


def _interval_offsets(value, where: str, name: str = "interval_offsets") -> list[float]:
    """One logit offset in [-4, 4] per melodic interval size (`sampling.feedback.INTERVAL_BUCKETS`)."""
    from tunesmith.sampling.feedback import INTERVAL_BUCKETS

    ok = isinstance(value, list) and len(value) == INTERVAL_BUCKETS and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and -4 <= v <= 4 for v in value
    )
    if not ok:
        raise ValueError(f"{where}: {name} must be {INTERVAL_BUCKETS} numbers in [-4, 4]")
    return [float(v) for v in value]


def _return_offsets(value, where: str) -> dict[str, float]:
    """{"return": r, "rock": k}, each optional, in [-4, 4] (`sampling.set_interval_feedback`)."""
    ok = isinstance(value, dict) and value and not set(value) - {"return", "rock"} and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and -4 <= v <= 4
        for v in value.values()
    )
    if not ok:
        raise ValueError(f"{where}: return_offsets must map return and rock to numbers in [-4, 4]")
    return {k: float(v) for k, v in value.items()}


def _lower_return_offsets(value, where: str) -> list[dict[str, float]]:
    """A chorale's alto, tenor and bass: three `_return_offsets` tables."""
    if not (isinstance(value, list) and len(value) == 3):
        raise ValueError(f"{where}: lower_return_offsets must be three tables (alto, tenor, bass)")
    return [_return_offsets(v, f"{where}: lower_return_offsets") for v in value]


def _lower_interval_offsets(value, where: str) -> list[list[float]]:
    """A chorale's alto, tenor and bass: three `_interval_offsets` tables."""
    if not (isinstance(value, list) and len(value) == 3):
        raise ValueError(f"{where}: lower_interval_offsets must be three tables (alto, tenor, bass)")
    return [_interval_offsets(v, f"{where}: lower_interval_offsets") for v in value]


def _pitch_offsets(value, where: str) -> dict:
    """{"low": a MIDI pitch, "values": one logit offset in [-4, 4] per pitch from it up} (`sampling.set_pitch_offsets`)."""
    values = value.get("values") if isinstance(value, dict) else None
    low = value.get("low") if isinstance(value, dict) else None
    ok = (isinstance(low, int) and not isinstance(low, bool) and isinstance(values, list) and low >= 0
          and len(values) > 0 and low + len(values) <= 128 and set(value) == {"low", "values"}
          and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and -4 <= v <= 4 for v in values))  # fmt: skip
    if not ok:
        raise ValueError(f"{where}: pitch_offsets must be {{\"low\": a MIDI pitch, \"values\": numbers in [-4, 4]}} within MIDI 0..127")
    return {"low": low, "values": [float(v) for v in values]}


def _pitch_offsets_by_tonic(value, where: str) -> dict[str, dict]:
    """{tonic pitch class "0".."11": a `_pitch_offsets` table} (`sampling.set_pitch_offsets`)."""
    if not (isinstance(value, dict) and value and set(value) <= {str(pc) for pc in range(12)}):
        raise ValueError(f"{where}: pitch_offsets_by_tonic must map tonic pitch classes 0-11 to pitch_offsets tables")
    return {k: _pitch_offsets(v, f"{where}: pitch_offsets_by_tonic {k}") for k, v in value.items()}


def _seventh_shares(value, where: str) -> dict[str, dict[str, float]]:
    """Per mode ("major", "minor"), {degree "0".."11": share in [0, 1]}: how often a jazz lead sheet
    writes the key's triad on that degree with its seventh (`cocreate.chords.seventh_shares`)."""
    ok = isinstance(value, dict) and value and not set(value) - {"major", "minor"} and all(
        isinstance(row, dict) and row and all(
            k in {str(d) for d in range(12)} and isinstance(v, int | float) and not isinstance(v, bool)
            and math.isfinite(v) and 0 <= v <= 1 for k, v in row.items())
        for row in value.values())  # fmt: skip
    if not ok:
        raise ValueError(f"{where}: seventh_shares must map major and minor to {{degree 0-11: share in [0, 1]}}")
    return {mode: {k: float(v) for k, v in row.items()} for mode, row in value.items()}


def _label_shift(value, where: str) -> list[float]:
    """One log-ratio per harmonizer label (`harmonizer.N_LABELS`), each finite and within +-3: a
    style's chord prior against the one its harmonizer learned (`harmonizer.Harmonizer.decode`)."""
    from tunesmith.harmonizer import N_LABELS

    ok = isinstance(value, list) and len(value) == N_LABELS and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and abs(v) <= 3 for v in value)  # fmt: skip
    if not ok:
        raise ValueError(f"{where}: chords_label_shift must be {N_LABELS} numbers within +-3")
    return [float(v) for v in value]


def _root_offsets(value, where: str) -> dict[str, list[float]]:
    """Per mode ("major", "minor"), 12 logit offsets in [-4, 4], one per degree of a chord's root
    above the tonic (`sampling.set_root_offsets`)."""
    ok = isinstance(value, dict) and value and not set(value) - {"major", "minor"} and all(
        isinstance(row, list) and len(row) == 12 and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and -4 <= v <= 4 for v in row)
        for row in value.values())  # fmt: skip
    if not ok:
        raise ValueError(f"{where}: root_offsets must map major and/or minor to 12 numbers in [-4, 4]")
    return {mode: [float(v) for v in row] for mode, row in value.items()}


_TABLES = {"degree_profile": _degree_profile, "rhythm_profile": _rhythm_profile, "pickups": _pickups,
           "interval_offsets": _interval_offsets, "return_offsets": _return_offsets,
           "lower_return_offsets": _lower_return_offsets, "lower_interval_offsets": _lower_interval_offsets,
           "pitch_offsets": _pitch_offsets, "pitch_offsets_by_tonic": _pitch_offsets_by_tonic,
           "seventh_shares": _seventh_shares, "chords_label_shift": _label_shift, "root_offsets": _root_offsets,
           "rest_interval_offsets": lambda value, where: _interval_offsets(value, where, "rest_interval_offsets")}  # fmt: skip


def update_decoding_file(folder: Path, entries: dict[str, dict], note_key: str, note: str) -> Path:
    """Merge `entries` ({style: {key: value}}) into the model folder's decoding.json (created if
    absent), with `note_key: note` saying how they were chosen. Checked by `read_decoding` before
    it replaces the file (a bad value fails here, not at compose time, and leaves the file as it
    was); written atomically."""
    import tempfile

    from tunesmith.paths import atomic_write_text

    file = Path(folder) / DECODING_FILE
    data = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    for style, values in entries.items():
        data.setdefault(style, {}).update(values)
    data[note_key] = note
    text = json.dumps(data, indent=1) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / DECODING_FILE).write_text(text, encoding="utf-8")
        read_decoding(Path(tmp))
    atomic_write_text(file, text)
    return file


def _numpy_state(model) -> dict:
    if isinstance(model, NumpyModel):
        return model.state
    import torch  # a torch GPT

    return {k: v.detach().to(torch.float64).cpu().numpy() for k, v in model.state_dict().items()}


class NumpyDecoder:
    """Incremental decoding with a KV cache, in numpy: the same math as `GPT.forward(idx, cache=...)`.

    Why: at batch 1 a decoding step is ~60 small ops; torch's eager dispatch costs ~5-10 us per
    op on a laptop CPU, numpy's ~1 us, and the weights (14 MB) stay in cache either way. This
    roughly halves the latency of composing one piece. Training and batch scoring use torch.
    """

    def __init__(self, model):
        cfg = model.config
        self.config = cfg
        C = cfg.n_embd
        sd = _numpy_state(model)
        zeros = np.zeros(C)

        def ln_fold(prefix: str, weight: np.ndarray, bias: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
            """LayerNorm's gain and shift folded into the linear layer that follows it:
            (xhat * g + b) @ W.T + c == xhat @ (g[:, None] * W.T) + (b @ W.T + c)."""
            g, b = sd[prefix + ".weight"], sd.get(prefix + ".bias", zeros)
            w = weight.T  # (in, out)
            c = bias if bias is not None else np.zeros(w.shape[1])
            return g[:, None] * w, b @ w + c

        scale = 1.0 / math.sqrt(C // cfg.n_head)
        self.layers = []
        for i in range(cfg.n_layer):
            p = f"h.{i}."
            wa, ba = ln_fold(p + "ln_1", sd[p + "attn.c_attn.weight"], sd.get(p + "attn.c_attn.bias"))
            wa[:, :C] *= scale  # fold the attention scale 1/sqrt(hd) into the queries
            ba[:C] *= scale
            wf, bf = ln_fold(p + "ln_2", sd[p + "mlp.c_fc.weight"], sd.get(p + "mlp.c_fc.bias"))
            layer = (
                wa,  # (C, 3C)
                ba,
                sd[p + "attn.c_proj.weight"].T,  # (C, C)
                sd.get(p + "attn.c_proj.bias", zeros),
                wf,  # (C, 4C)
                bf,
                0.5 * sd[p + "mlp.c_proj.weight"].T,  # (4C, C), with GELU's 0.5 folded in
                sd.get(p + "mlp.c_proj.bias", zeros),
            )
            self.layers.append(tuple(np.ascontiguousarray(a, dtype=np.float32) for a in layer))
        head, head_bias = ln_fold("ln_f", sd["wte.weight"], None)  # tied head, (C, V)
        self.head = np.ascontiguousarray(head, dtype=np.float32)
        self.head_bias = head_bias.astype(np.float32)
        self.wte = sd["wte.weight"].astype(np.float32)  # (V, C)
        self.wpe = sd["wpe.weight"].astype(np.float32)  # (block, C)
        self.metric = None
        if getattr(cfg, "metric", False):
            self.metric = tuple(sd[k].astype(np.float32) for k in ("wmb.weight", "wml.weight", "wmp.weight"))
        self.inv_c = np.float32(1.0 / C)
        self.eps = np.float32(1e-5)
        # GELU (tanh form) 0.5 h (1 + tanh(a h + b h^3)) as h (1 + tanh(h (a + b h^2))), the 0.5
        # folded into the next matmul: seven in-place ufunc calls instead of nine allocating ones
        self.gelu_a = np.float32(0.7978845608)
        self.gelu_b = np.float32(0.7978845608 * 0.044715)
        self.K = self.V = None
        self.pads: np.ndarray | None = None  # (B,) left pads per row (`reset`)
        self._pad_mask: np.ndarray | None = None  # their additive mask once the prompt is in
        self.length = 0
        self._trackers: list = []
        self._history: list[list[int]] = []

    def reset(self, batch_size: int, max_len: int | None = None, pads: list[int] | None = None) -> None:
        """Empty the cache for `batch_size` rows of up to `max_len` positions each. `pads`: per
        row, how many slots its prompt is left-padded by (prompts of different lengths share one
        batch: a row's positions start after its pads, and no other slot ever attends to them)."""
        cfg = self.config
        max_len = max_len or cfg.block_size
        if max_len > cfg.block_size:
            raise ValueError(f"cache length {max_len} exceeds the model's block size {cfg.block_size}")
        self.pads = None
        slots = max_len
        if pads is not None and any(pads):
            if len(pads) != batch_size or min(pads) < 0:
                raise ValueError(f"pads must be {batch_size} counts >= 0, got {pads!r}")
            self.pads = np.asarray(pads, dtype=np.int64)  # (B,)
            slots = max_len + int(self.pads.max())
            # every step after the prompt: each row's pads hidden, nothing else (B, 1, 1, slots)
            hidden = np.arange(slots)[None, :] < self.pads[:, None]
            self._pad_mask = np.where(hidden, np.float32(-np.inf), np.float32(0.0))[:, None, None, :]
        shape = (cfg.n_layer, batch_size, cfg.n_head, slots, cfg.n_embd // cfg.n_head)
        self.K = np.zeros(shape, np.float32)
        self.V = np.zeros(shape, np.float32)
        self.length = 0
        self._trackers, self._history = [], [[] for _ in range(batch_size)]

    def _metric_rows(self, ids: np.ndarray, start: int) -> np.ndarray:
        """(B, T, 3) metrical features of `ids` fed after `start` cached slots. Each row keeps
        its token history (its pads left out); a caller that rewinds `length` (co-create's
        proposals) is replayed."""
        from tunesmith.token_meter import MeterTracker
        from tunesmith.tokenizer import Tokenizer

        B, T = ids.shape
        if len(self._trackers) != B:
            tok = Tokenizer()
            self._trackers = [MeterTracker(tok) for _ in range(B)]
            self._history = [[] for _ in range(B)]
        out = np.zeros((B, T, 3), dtype=np.int64)
        for r in range(B):
            tr, hist = self._trackers[r], self._history[r]
            pad = 0 if self.pads is None else int(self.pads[r])
            row_start = max(0, start - pad)
            if len(hist) != row_start:  # rewound (or fed elsewhere): replay the kept history
                del hist[row_start:]
                tr.reset()
                for t in hist:
                    tr.push(t)
            for j in range(max(0, pad - start), T):  # a pad's features are never read
                t = int(ids[r, j])
                out[r, j] = tr.push(t)
                hist.append(t)
        return out

    def embed(self, ids: np.ndarray, start: int) -> np.ndarray:
        """(B, T, C) input embeddings of `ids` at slots start.. (token + position [+ metre])."""
        stop = start + ids.shape[1]
        if self.pads is None:
            x = self.wte[ids] + self.wpe[start:stop]
        else:  # a row's position is its slot less its pads; a finished row that runs on is clipped
            pos = np.arange(start, stop)[None, :] - self.pads[:, None]  # (B, T)
            x = self.wte[ids] + self.wpe[np.clip(pos, 0, len(self.wpe) - 1)]
        if self.metric is not None:
            f = self._metric_rows(ids, start)
            wmb, wml, wmp = self.metric
            x = x + wmb[f[..., 0]] + wml[f[..., 1]] + wmp[f[..., 2]]
        return x

    def _mask(self, T: int) -> np.ndarray | None:
        """Additive attention mask for T queries at slots length.. over keys 0..length+T-1:
        (T, S) causal, or (B, 1, T, S) with each row's pads hidden from its real slots (a pad
        still sees itself and the pads before it, so no row of the softmax is empty)."""
        s = self.length
        stop = s + T
        if self.pads is None:
            if T == 1:
                return None
            return np.triu(np.full((T, stop), -np.inf, np.float32), k=s + 1)  # query i sees keys <= s + i
        if T == 1 and s >= int(self.pads.max()):  # decoding after the prompt: the pads only
            return self._pad_mask[..., :stop]
        q = np.arange(s, stop)[:, None]  # (T, 1) query slots
        k = np.arange(stop)[None, :]  # (1, S) key slots
        pad = self.pads[:, None, None]  # (B, 1, 1)
        hidden = (k > q)[None] | ((k < pad) & (q >= pad))  # (B, T, S)
        return np.where(hidden, np.float32(-np.inf), np.float32(0.0))[:, None]  # (B, 1, T, S)

    def _norm(self, x: np.ndarray) -> np.ndarray:
        """LayerNorm without gain and shift (those are folded into the next matmul). x: (N, C).

        Why two paths: at batch 1 (most steps) numpy's per-call overhead, not arithmetic, is the
        cost, and one row's variance is one dot product and a Python float."""
        xc = np.add.reduce(x, axis=-1, keepdims=True)
        xc *= self.inv_c
        xc = x - xc
        if xc.shape[0] == 1:
            var = float(np.dot(xc[0], xc[0])) * float(self.inv_c)
            xc *= np.float32(1.0 / math.sqrt(var + 1e-5))
            return xc
        var = np.einsum("ij,ij->i", xc, xc)[:, None]  # (N, 1)
        var *= self.inv_c
        var += self.eps
        xc /= np.sqrt(var, out=var)
        return xc

    def step(self, ids: np.ndarray) -> np.ndarray:
        """ids (B, T) next tokens -> logits (B, V) after the last of them; the cache advances by T."""
        return self._forward(ids, last_only=True)

    def step_all(self, ids: np.ndarray) -> np.ndarray:
        """ids (B, T) next tokens -> logits (B, T, V) after every one of them (co-create scores
        a proposed run of tokens at once); the cache advances by T."""
        return self._forward(ids, last_only=False)

    def _forward(self, ids: np.ndarray, last_only: bool) -> np.ndarray:
        ids = np.asarray(ids)
        B, T = ids.shape  # (B, T)
        cfg = self.config
        nh, C = cfg.n_head, cfg.n_embd
        hd = C // nh
        s = self.length
        stop = s + T
        cache_len = self.K.shape[3]
        if stop > cache_len:
            raise ValueError(f"sequence of {stop} tokens exceeds the cache ({cache_len})")
        x = self.embed(ids, s).reshape(B * T, C)  # (B*T, C): 2-D matmuls are one BLAS call
        mask = self._mask(T)
        for layer, (wa, ba, wp, bp, wf, bf, wo, bo) in enumerate(self.layers):
            qkv = self._norm(x) @ wa  # (B*T, 3C), queries already scaled
            qkv += ba
            qkv = qkv.reshape(B, T, 3, nh, hd).transpose(2, 0, 3, 1, 4)  # (3, B, nh, T, hd)
            K, V = self.K[layer], self.V[layer]  # (B, nh, max_len, hd)
            K[:, :, s:stop] = qkv[1]
            V[:, :, s:stop] = qkv[2]
            att = qkv[0] @ K[:, :, :stop].swapaxes(-1, -2)  # (B, nh, T, S)
            if mask is not None:
                att += mask
            att -= att.max(-1, keepdims=True)
            np.exp(att, out=att)
            y = att @ V[:, :, :stop]  # (B, nh, T, hd), not yet normalised: ...
            y /= np.add.reduce(att, axis=-1, keepdims=True)  # ... softmax's sum divides hd values, not S
            y = y.transpose(0, 2, 1, 3).reshape(B * T, C)  # (B*T, C)
            z = y @ wp  # (B*T, C)
            z += bp
            x = x + z
            h = self._norm(x) @ wf  # (B*T, 4C)
            h += bf
            g = h * h
            g *= self.gelu_b
            g += self.gelu_a
            g *= h
            np.tanh(g, out=g)
            g += 1.0
            g *= h  # 2 GELU(h)
            z = g @ wo  # (B*T, C); wo holds GELU's 0.5
            z += bo
            x += z
        self.length = stop
        if last_only:
            x = self._norm(x.reshape(B, T, C)[:, -1])  # (B, C)
            z = x @ self.head  # (B, V)
            z += self.head_bias
            return z
        x = self._norm(x)  # (B*T, C)
        z = x @ self.head
        z += self.head_bias
        return z.reshape(B, T, -1)  # (B, T, V)


# ---------------------------------------------------------------------------- files


def read_safetensors_file(path: str | Path, load) -> tuple[dict, dict[str, str]]:
    """Arrays (via `load(bytes)`: safetensors.numpy.load or safetensors.torch.load) and string
    metadata of a safetensors file; ValueError if it is not one. The header is checked first,
    so a pickle or a truncated file never reaches the loader."""
    data = Path(path).read_bytes()
    try:
        if len(data) < 8:
            raise ValueError("too short")
        n = struct.unpack("<Q", data[:8])[0]
        if n > len(data) - 8 or n > 100_000_000:
            raise ValueError("bad header length")
        header = json.loads(data[8 : 8 + n])
        if not isinstance(header, dict):
            raise ValueError("bad header")
        arrays = load(data)
    except Exception as exc:  # safetensors raises its own error type
        raise ValueError(f"{path}: not a safetensors file ({exc})") from None
    return arrays, dict(header.get("__metadata__") or {})


def read_model_file(path: str | Path, load):
    """(file, weights by state-dict name, config, tokenizer, info) of a model folder or its
    model.safetensors; FileNotFoundError when there is none, ValueError when it is not a
    tunesmith model. Shared by `load_numpy_model` and `tunesmith.model.load_model`."""
    from tunesmith.limits import check_model_file
    from tunesmith.tokenizer import Tokenizer

    path = Path(path)
    file = path / MODEL_FILE if path.is_dir() else path
    if not file.is_file():
        raise FileNotFoundError(f"no tunesmith model at {path} (expected {MODEL_FILE})")
    check_model_file(file)  # size, header, config bounds, shapes, finite weights: before reading them
    arrays, meta = read_safetensors_file(file, load)
    try:
        info = json.loads(meta.get("tunesmith", "null"))
    except json.JSONDecodeError:
        info = None
    if not isinstance(info, dict) or info.get("format") not in (MODEL_FORMAT, "tunesmith-checkpoint"):
        raise ValueError(f"{file}: not a tunesmith model (no tunesmith metadata in the safetensors header)")
    config = ModelConfig.from_dict(info["model_config"])
    tokenizer = Tokenizer.from_dict(info["tokenizer"])
    if tokenizer.vocab_size != config.vocab_size:
        raise ValueError(f"{file}: tokenizer has {tokenizer.vocab_size} tokens, model {config.vocab_size}")
    weights = {k[len("model.") :]: v for k, v in arrays.items() if k.startswith("model.")} or arrays
    return file, weights, config, tokenizer, info


def load_numpy_model(path: str | Path):
    """(NumpyModel, tokenizer, info) from a model folder or its model.safetensors, without torch.

    The same checks as `tunesmith.model.load_model`: only safetensors and JSON are read (never
    pickle); ValueError when the file is not a tunesmith model or its weights do not fit."""
    import safetensors.numpy

    file, weights, config, tokenizer, info = read_model_file(path, safetensors.numpy.load)
    state = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
    C, V = config.n_embd, config.vocab_size
    expected = {"wte.weight": (V, C), "wpe.weight": (config.block_size, C)}
    if config.metric:
        from tunesmith.token_meter import N_BEAT, N_LEFT, N_PHRASE

        expected.update({"wmb.weight": (N_BEAT, C), "wml.weight": (N_LEFT, C), "wmp.weight": (N_PHRASE, C)})
    expected.update({f"h.{i}.attn.c_attn.weight": (3 * C, C) for i in range(config.n_layer)})
    wrong = [k for k, shape in expected.items() if k not in state or tuple(state[k].shape) != shape]
    if wrong:
        raise ValueError(f"{file}: weights do not match the config ({wrong[:3]})")
    return NumpyModel(config, state, read_decoding(file.parent)), tokenizer, info
