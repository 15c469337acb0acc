"""Starts a tunesmith command, sends it SIGINT after S seconds, and lists what is left under the
output folder: whole takes (all five files and the JSON), partial staging folders, and files of
takes without their JSON. usage: interrupt.py SECONDS OUT_DIR -- tunesmith args..."""
import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

secs, out = float(sys.argv[1]), Path(sys.argv[2])
cmd = sys.argv[sys.argv.index("--") + 1:]
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
time.sleep(secs)
p.send_signal(signal.SIGINT)
so, se = p.communicate()
print("rc", p.returncode)
print("stderr:", se.strip()[-600:])
stems = collections.defaultdict(set)
for f in out.iterdir() if out.exists() else []:
    if f.is_dir():
        print("folder left:", f.name, os.listdir(f))
        continue
    stem, _, kind = f.name.partition(".")
    stems[stem].add(kind)
whole = [s for s, k in stems.items() if "json" in k]
half = {s: sorted(k) for s, k in stems.items() if "json" not in k}
print("whole takes:", len(whole), "files without their JSON:", half, "hidden:", [f.name for f in out.iterdir() if f.name.startswith(".")] if out.exists() else [])
