import sys
import numpy as np
from PIL import Image
for path in sys.argv[1:]:
    im = Image.open(path).convert("RGBA")
    bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
    im = Image.alpha_composite(bg, im).convert("RGB")
    a = np.asarray(im)
    rows = np.where((a < 200).any(axis=(1, 2)))[0]; cols = np.where((a < 200).any(axis=(0, 2)))[0]
    im = im.crop((max(0, cols.min() - 10), max(0, rows.min() - 10), cols.max() + 10, rows.max() + 10))
    im.thumbnail((1400, 1400)); im.save(path.replace(".png", "_c.png"))
