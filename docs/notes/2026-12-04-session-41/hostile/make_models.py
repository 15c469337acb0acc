"""Hostile model folders for `compose --model DIR` (session 41), made under /tmp/hostile/models
from a copy of the shipped model. run: .venv/bin/python make_models.py [OUT]"""
# ruff: noqa: E402, E702, SIM115  (a list of hostile cases, one a line)
import json
import os
import shutil
import struct
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from tunesmith.pretrained import DEFAULT_MODEL_DIR

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hostile/models")
if OUT.exists():
    shutil.rmtree(OUT)
OUT.mkdir(parents=True)


def copy(name):
    d = OUT / name
    shutil.copytree(DEFAULT_MODEL_DIR, d)
    return d


def header(file):
    with open(file, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n)), n


def rewrite_meta(d, edit):
    """model.safetensors with its tunesmith metadata edited (weights as they are)."""
    f = d / "model.safetensors"
    data = f.read_bytes()
    h, n = header(f)
    info = json.loads(h["__metadata__"]["tunesmith"])
    edit(info)
    h["__metadata__"]["tunesmith"] = json.dumps(info)
    raw = json.dumps(h).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    f.write_bytes(struct.pack("<Q", len(raw)) + raw + data[8 + n:])


copy("ok")
d = copy("missing_weights"); (d / "model.safetensors").unlink()
d = copy("empty_dir"); shutil.rmtree(d); d.mkdir()
d = copy("pickle"); (d / "model.safetensors").unlink()
import pickle

(d / "model.pt").write_bytes(pickle.dumps({"x": 1}))
(d / "model.bin").write_bytes(pickle.dumps({"x": 1}))
d = copy("pickle_as_safetensors"); (d / "model.safetensors").write_bytes(pickle.dumps({"x": [1, 2, 3]}))
d = copy("zero_bytes"); (d / "model.safetensors").write_bytes(b"")
d = copy("truncated"); f = d / "model.safetensors"; f.write_bytes(f.read_bytes()[:100_000])
d = copy("n_layer_1e6"); rewrite_meta(d, lambda i: i["model_config"].__setitem__("n_layer", 10**6))
d = copy("n_layer_str"); rewrite_meta(d, lambda i: i["model_config"].__setitem__("n_layer", "4"))
d = copy("n_embd_float"); rewrite_meta(d, lambda i: i["model_config"].__setitem__("n_embd", 256.0))
d = copy("dropout_str"); rewrite_meta(d, lambda i: i["model_config"].__setitem__("dropout", "high"))
d = copy("block_small"); rewrite_meta(d, lambda i: i["model_config"].__setitem__("block_size", 8))
d = copy("tokenizer_bad"); rewrite_meta(d, lambda i: i.__setitem__("tokenizer", {"version": 99}))
d = copy("tokenizer_list"); rewrite_meta(d, lambda i: i.__setitem__("tokenizer", [1, 2]))
d = copy("metric_str"); rewrite_meta(d, lambda i: i["model_config"].__setitem__("metric", "yes"))
d = copy("extra_cfg"); rewrite_meta(d, lambda i: i["model_config"].__setitem__("evil", "x" * 1000))
# weights whose shapes disagree with the config: a tiny model saved under the real metadata
d = copy("shapes"); h, n = header(d / "model.safetensors")
save_file({"wte.weight": np.zeros((3, 3), np.float32)}, str(d / "model.safetensors"), metadata=h["__metadata__"])
d = copy("nan"); f = d / "model.safetensors"; h, n = header(f); data = bytearray(f.read_bytes())
k = next(k for k in h if k != "__metadata__"); a = 8 + n + h[k]["data_offsets"][0]
data[a:a + 4] = struct.pack("<f", float("nan")); f.write_bytes(bytes(data))
# symlinks out of the folder
d = copy("symlink_weights_out"); (d / "model.safetensors").unlink(); os.symlink(DEFAULT_MODEL_DIR / "model.safetensors", d / "model.safetensors")
d = copy("symlink_passwd"); (d / "model.safetensors").unlink(); os.symlink("/etc/passwd", d / "model.safetensors")
d = copy("symlink_devzero"); (d / "model.safetensors").unlink(); os.symlink("/dev/zero", d / "model.safetensors")
d = copy("symlink_decoding_devzero"); (d / "decoding.json").unlink(); os.symlink("/dev/zero", d / "decoding.json")
d = copy("symlink_decoding_out"); (d / "decoding.json").unlink(); os.symlink("/etc/passwd", d / "decoding.json")
d = copy("symlink_index_devzero"); (d / "similarity_index.npz").unlink(); os.symlink("/dev/zero", d / "similarity_index.npz")
d = copy("symlink_chord_table_devzero"); (d / "chord_table.json").unlink(); os.symlink("/dev/zero", d / "chord_table.json")
d = copy("symlink_harmonizer_devzero"); (d / "harmonizer.json").unlink(); os.symlink("/dev/zero", d / "harmonizer.json")
d = copy("fifo_decoding"); (d / "decoding.json").unlink(); os.mkfifo(d / "decoding.json")
d = copy("fifo_harmonizer"); (d / "harmonizer.json").unlink(); os.mkfifo(d / "harmonizer.json")
d = copy("fifo_chord_table"); (d / "chord_table.json").unlink(); os.mkfifo(d / "chord_table.json")
os.symlink(DEFAULT_MODEL_DIR, OUT / "dir_symlink")
# side files: decoding.json, chord_table.json, harmonizer*, similarity index
d = copy("decoding_types"); (d / "decoding.json").write_text(json.dumps({"folk": {"temperature": "hot", "top_p": [1]}}))
d = copy("decoding_deep"); (d / "decoding.json").write_text("[" * 50_000 + "]" * 50_000)
d = copy("decoding_huge"); (d / "decoding.json").write_text(json.dumps({"folk": {"x": "y" * 200_000}}))
d = copy("decoding_list"); (d / "decoding.json").write_text("[1, 2, 3]")
d = copy("decoding_nan"); (d / "decoding.json").write_text('{"folk": {"temperature": NaN}}')
d = copy("decoding_garbage"); (d / "decoding.json").write_bytes(os.urandom(5000))
d = copy("decoding_fields"); dec = json.loads((d / "decoding.json").read_text())
for style in dec:
    if isinstance(dec[style], dict):
        for k, v in list(dec[style].items()):
            dec[style][k] = {"a": 1} if isinstance(v, (list, dict)) else ("x" if not isinstance(v, str) else 5)
(d / "decoding.json").write_text(json.dumps(dec))
d = copy("decoding_bignum"); dec = json.loads((d / "decoding.json").read_text())
for style in dec:
    if isinstance(dec[style], dict):
        for k, v in list(dec[style].items()):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                dec[style][k] = 1e308
(d / "decoding.json").write_text(json.dumps(dec))
d = copy("chord_table_garbage"); (d / "chord_table.json").write_bytes(os.urandom(3000))
d = copy("chord_table_deep"); (d / "chord_table.json").write_text("[" * 50_000 + "]" * 50_000)
d = copy("chord_table_types"); (d / "chord_table.json").write_text(json.dumps({"folk": "x", "version": [1]}))
d = copy("harmonizer_garbage"); (d / "harmonizer.json").write_bytes(os.urandom(3000))
d = copy("harmonizer_deep"); (d / "harmonizer.json").write_text("[" * 50_000 + "]" * 50_000)
d = copy("harmonizer_st_pickle"); (d / "harmonizer.safetensors").write_bytes(pickle.dumps({"x": 1}))
d = copy("harmonizer_shapes"); h, n = header(d / "harmonizer.safetensors")
save_file({"w": np.zeros((3, 3), np.float32)}, str(d / "harmonizer.safetensors"), metadata=h.get("__metadata__"))
d = copy("index_garbage"); (d / "similarity_index.npz").write_bytes(os.urandom(3000))
d = copy("index_json_garbage"); (d / "similarity_index.json").write_bytes(os.urandom(3000))
d = copy("index_json_deep"); (d / "similarity_index.json").write_text("[" * 50_000 + "]" * 50_000)
d = copy("index_npz_pickle"); np.savez(d / "similarity_index.npz", a=np.array([{"x": 1}], dtype=object))
d = copy("model_json_garbage"); (d / "model.json").write_bytes(os.urandom(3000))
d = copy("model_json_deep"); (d / "model.json").write_text("[" * 50_000 + "]" * 50_000)
print("made", len(list(OUT.iterdir())), "model folders in", OUT)
