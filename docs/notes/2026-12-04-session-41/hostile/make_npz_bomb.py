"""A model folder whose similarity_index.npz is a zip bomb: its `pitches` member declares and
holds N zero bytes (deflated about 1000:1). usage: make_npz_bomb.py OUT_DIR GIGABYTES"""
import shutil
import sys
import zipfile
from pathlib import Path

import numpy as np

from tunesmith.pretrained import DEFAULT_MODEL_DIR

out, gb = Path(sys.argv[1]), float(sys.argv[2])
if out.exists():
    shutil.rmtree(out)
shutil.copytree(DEFAULT_MODEL_DIR, out)
npz = out / "similarity_index.npz"
with np.load(DEFAULT_MODEL_DIR / "similarity_index.npz", allow_pickle=False) as d:
    arrays = {k: d[k] for k in d.files}
n = int(gb * 2**30)
with zipfile.ZipFile(npz, "w", zipfile.ZIP_DEFLATED) as z:
    for k, a in arrays.items():
        if k == "pitches":
            continue
        with z.open(k + ".npy", "w") as f:
            np.lib.format.write_array(f, a, allow_pickle=False)
    with z.open("pitches.npy", "w", force_zip64=True) as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "|u1", "fortran_order": False, "shape": (n,)})
        block = bytes(1 << 24)
        for _ in range(n >> 24):
            f.write(block)
print(npz, npz.stat().st_size, "bytes for", n, "zeros")
