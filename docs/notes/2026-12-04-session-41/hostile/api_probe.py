"""Hostile calls of the Python API (session 41): each in its own process with a time limit;
prints one row per case: name, outcome (ok / the exception's type), seconds, peak MB, message.
usage: api_probe.py [NAME_SUBSTRING]"""
import subprocess
import sys
import time

PY = "/work/main/.venv/bin/python"
PRE = """
import math, tunesmith as ts
from tunesmith.score import Piece, Track, Note, TimeSignature, KeySignature, Tempo
def piece(notes, ts_=(4, 4), tempo=None, tracks=1):
    p = Piece("p", "p", tracks=[Track(name=f"m{i}", role="melody" if i == 0 else "accompaniment", notes=[Note(*n) for n in notes]) for i in range(tracks)],
              time_signatures=[TimeSignature(0.0, *ts_)], keys=[KeySignature(0.0, "D", "major")])
    if tempo is not None:
        p.tempos = [Tempo(0.0, tempo)]
    p.end = max((n[1] + n[2] for n in notes), default=0.0)
    return p
ok = [(62 + (i % 5), float(i), 1.0) for i in range(16)]
"""
CASES = {
    "compose bars 10**9": "ts.compose(style='folk', bars=10**9)",
    "compose n 10**6": "ts.compose(style='folk', bars=4, n=10**6)",
    "compose seed 2**200": "ts.compose(style='folk', bars=4, seed=2**200)",
    "compose seed -1": "ts.compose(style='folk', bars=4, seed=-1)",
    "compose seed 1.5": "ts.compose(style='folk', bars=4, seed=1.5)",
    "compose tempo nan": "ts.compose(style='folk', bars=4, tempo=float('nan'))",
    "compose tempo 1e308": "ts.compose(style='folk', bars=4, tempo=1e308)",
    "compose meter 0/4": "ts.compose(style='folk', bars=4, meter='0/4')",
    "compose meter 13/0": "ts.compose(style='folk', bars=4, meter='13/0')",
    "compose key H#": "ts.compose(style='folk', bars=4, key='H#')",
    "compose chords 1MB": "ts.compose(style='jazz', bars=4, chords='C7 ' * 300000)",
    "compose range huge": "ts.compose(style='folk', bars=4, pitch_range='C-100:C100')",
    "compose temperature inf": "ts.compose(style='folk', bars=4, temperature=float('inf'))",
    "compose top_p 0": "ts.compose(style='folk', bars=4, top_p=0)",
    "compose style None": "ts.compose(style=None, bars=4)",
    "compose style list": "ts.compose(style=['folk'], bars=4)",
    "compose model n_layer 1e6": "ts.compose(style='folk', bars=4, model='/tmp/hostile/models/n_layer_1e6')",
    "compose model npz bomb": "ts.compose(style='folk', bars=4, model='/tmp/hostile/models2/npz_bomb')",
    "compose model url": "ts.compose(style='folk', bars=4, model='http://example.com/m')",
    "load_model pickle folder": "ts.load_model('/tmp/hostile/models/pickle')",
    "load_model file": "ts.load_model('/tmp/hostile/files/ok.mid')",
    "read tune 0": "ts.read('/tmp/hostile/files/ok.abc', tune=0)",
    "read tune -1": "ts.read('/tmp/hostile/files/ok.abc', tune=-1)",
    "read tune 10**9": "ts.read('/tmp/hostile/files/tunes5k.abc', tune=10**9)",
    "read tune 5000 of 5000": "print(ts.read('/tmp/hostile/files/tunes5k.abc', tune=5000))",
    "read bytes path": "ts.read(b'/tmp/hostile/files/ok.mid')",
    "read int path": "ts.read(5)",
    "continue Piece note 1e9 beats": "ts.continue_(piece(ok + [(60, 16.0, 1e9)]), bars=2)",
    "continue Piece 300k notes": "ts.continue_(piece([(60 + i % 12, i * 0.25, 0.25) for i in range(300000)]), bars=2)",
    "continue Piece 300 tracks": "ts.continue_(piece(ok, tracks=300), bars=2)",
    "continue Piece pitch 500": "ts.continue_(piece(ok + [(500, 16.0, 1.0)]), bars=2)",
    "continue Piece nan onset": "ts.continue_(piece(ok + [(60, float('nan'), 1.0)]), bars=2)",
    "continue Piece inf duration": "ts.continue_(piece(ok + [(60, 16.0, float('inf'))]), bars=2)",
    "continue Piece tempo 0": "ts.continue_(piece(ok, tempo=0.0), bars=2)",
    "continue Piece tempo nan": "ts.continue_(piece(ok, tempo=float('nan')), bars=2)",
    "continue Piece meter 0/4": "ts.continue_(piece(ok, ts_=(0, 4)), bars=2)",
    "continue Piece meter 1000/4": "ts.continue_(piece(ok, ts_=(1000, 4)), bars=2)",
    "continue Piece empty": "ts.continue_(piece([]), bars=2)",
    "continue Piece 20k bars": "ts.continue_(piece([(60, i * 4.0, 1.0) for i in range(20000)]), bars=2)",
    "harmonize Piece 20k bars": "ts.harmonize(piece([(60, i * 4.0, 1.0) for i in range(20000)]))",
    "inpaint Piece bars 1-10**9": "ts.inpaint(piece(ok), bars='1-1000000000')",
    "inpaint bars weird": "ts.inpaint(piece(ok), bars='2-1')",
    "check Piece 300k notes": "ts.check(piece([(60 + i % 12, i * 0.25, 0.25) for i in range(300000)]))",
    "check Piece note 1e9": "ts.check(piece(ok + [(60, 16.0, 1e9)]))",
    "check against missing folder": "ts.check('/tmp/hostile/files/ok.mid', against='/nonexistent')",
    "check against file": "ts.check('/tmp/hostile/files/ok.mid', against='/tmp/hostile/files/ok.abc')",
    "check against /": "ts.check('/tmp/hostile/files/ok.mid', against='/')",
    "check given hostile": "ts.check('/tmp/hostile/files/ok.mid', given='/tmp/hostile/files/long_line.abc')",
    "rate deep json": "ts.rate('/tmp/hostile/side/a.json', 4, store='/tmp/hostile/r.db')",
    "rate stars 10**9": "ts.rate('/tmp/hostile/takes/t-1.json', 10**9, store='/tmp/hostile/r.db')",
    "rate store is folder": "ts.rate('/tmp/hostile/takes/t-1.json', 4, store='/tmp/hostile/takes')",
    "rate store is garbage": "open('/tmp/hostile/garbage.db','wb').write(bytes(range(256))*10); ts.rate('/tmp/hostile/takes/t-1.json', 4, store='/tmp/hostile/garbage.db')",
    "prefer same": "ts.prefer('/tmp/hostile/takes/t-1.json', '/tmp/hostile/takes/t-1.json', store='/tmp/hostile/r.db')",
    "provenance fifo": "ts.provenance('/tmp/hostile/files/fifo.mid')",
    "provenance devzero": "ts.provenance('/dev/zero')",
    "write existing": "t = ts.compose(style='folk', bars=4, seed=1); t.write('/tmp/hostile/files/ok.mid')",
    "write unicode": "t = ts.compose(style='folk', bars=4, seed=1); print(t.write('/tmp/hostile/out/api/ünï cödé take', audio=False, force=True))",
    "write .abc": "t = ts.compose(style='folk', bars=4, seed=1); t.write('/tmp/hostile/out/api/x.abc')",
    "tune reward deep toml": "ts.tune('default', '/tmp/hostile/toml/deep.toml', '/tmp/hostile/out/api/tune1', {'rounds': 1})",
    "tune config bad": "ts.tune('default', 'rules', '/tmp/hostile/out/api/tune2', {'rounds': 10**12})",
    "tune config lr nan": "ts.tune('default', 'rules', '/tmp/hostile/out/api/tune3', {'lr': float('nan')})",
    "tune reward fn nan": "ts.tune('default', lambda p: float('nan'), '/tmp/hostile/out/api/tune4', {'rounds': 1})",
    "tune reward fn raises": "ts.tune('default', lambda p: 1/0, '/tmp/hostile/out/api/tune5', {'rounds': 1})",
}
only = sys.argv[1] if len(sys.argv) > 1 else ""
for name, code in CASES.items():
    if only not in name:
        continue
    prog = PRE + f"""
try:
    r = {code if not code.startswith(('t =', 'open(', 'print(')) else 'None'}
    {'' if not code.startswith(('t =', 'open(', 'print(')) else code.replace('; ', chr(10) + '    ')}
    print('@@OK', repr(r)[:150].replace(chr(10), ' '))
except BaseException as e:
    msg = str(e)
    print('@@ERR', type(e).__name__, len(msg.splitlines()), msg.splitlines()[0][:260] if msg else '')
"""
    t = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "@@TIME %M", "timeout", "150", PY, "-c", prog], capture_output=True, text=True,
                       env={"TUNESMITH_HOME": "/tmp/hostile/home", "PATH": "/usr/bin:/bin"})
    dt = time.time() - t
    out = [x for x in p.stdout.splitlines() if x.startswith("@@")]
    mem = next((x.split()[1] for x in p.stderr.splitlines() if x.startswith("@@TIME")), "?")
    res = out[-1] if out else f"@@NO RESULT rc={p.returncode} {p.stderr.strip().splitlines()[-2:] if p.stderr.strip() else ''}"
    print(f"{name}\t{dt:.1f}s\t{int(mem) // 1024 if mem.isdigit() else mem}MB\t{res[:330]}", flush=True)
