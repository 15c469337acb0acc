"""Runs each hostile file through the verbs that read a file and writes one TSV row per run:
verb, file, exit code, seconds, peak KB, stderr lines, traceback?, names the file?, last line.
usage: run_files.py FILES_DIR OUT.tsv VERB [VERB...]   (VERB: check, continue, harmonize, inpaint, compare, read)"""
import os
import re
import subprocess
import sys
from pathlib import Path

files_dir, out_tsv, verbs = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
T = "/work/main/.venv/bin/tunesmith"
PY = "/work/main/.venv/bin/python"
ONLY = os.environ.get("ONLY")
CMD = {
    "check": lambda f, o: [T, "check", f],
    "continue": lambda f, o: [T, "continue", f, "--bars", "2", "--no-audio", "--out", o],
    "harmonize": lambda f, o: [T, "harmonize", f, "--no-audio", "--out", o],
    "inpaint": lambda f, o: [T, "inpaint", f, "--bars", "1-1", "--no-audio", "--out", o],
    "compare": lambda f, o: [T, "analyze", "--compare", f, "--style", "folk"],
    "read": lambda f, o: [PY, "-c", "import sys, tunesmith as ts; p = ts.read(sys.argv[1]); print(p)", f],
}
rows = []
names = sorted(os.listdir(files_dir))
if ONLY:
    names = [n for n in names if re.search(ONLY, n)]
for verb in verbs:
    for name in names:
        f = str(files_dir / name)
        o = f"/tmp/hostile/out/{verb}/{re.sub(r'[^A-Za-z0-9_-]', '_', name)}"
        cmd = ["/usr/bin/time", "-f", "@@TIME %e %M", "timeout", "180"] + CMD[verb](f, o)
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
        err = p.stderr.splitlines()
        tm = [x for x in err if x.startswith("@@TIME")]
        err = [x for x in err if not x.startswith("@@TIME") and not x.startswith("Command exited") and not x.startswith("Command terminated")]
        secs, kb = tm[-1].split()[1:3] if tm else ("?", "?")
        rc = p.returncode
        tb = any("Traceback" in x for x in err)
        last = err[-1] if err else (p.stdout.splitlines() or [""])[-1]
        if verb == "read" and rc == 0:
            last = (p.stdout.splitlines() or [""])[-1]
        names_file = name in "\n".join(err) or rc == 0
        rows.append((verb, name, rc, secs, kb, len(err), tb, names_file, last[:300].replace("\t", " ")))
        print("\t".join(map(str, rows[-1])), flush=True)
with open(out_tsv, "a") as fh:
    for r in rows:
        fh.write("\t".join(map(str, r)) + "\n")
