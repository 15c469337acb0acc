"""Measure the corpus build against its targets: a cold build of every source, peak memory
of the whole process tree, and reloading the cache.

    .venv/bin/python benchmarks/corpus_build.py            # full corpus, fresh cache in a temp dir
    .venv/bin/python benchmarks/corpus_build.py --sources jsb,nottingham --json

Targets: >= 10,000 folk, >= 350 chorale, >= 900 pop, >= 900 jazz pieces; cold build < 180 s
wall with 2 workers; peak memory < 3 GB (sum over the build process and its workers);
reload < 3 s. Peak memory is sampled from /proc every 0.2 s: RSS summed over the process
tree (counts memory shared between forked workers more than once) and PSS (shares it out).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGETS = {"folk": 10_000, "chorale": 350, "pop": 900, "jazz": 900}
MAX_BUILD_S = 180.0
MAX_PEAK_MB = 3 * 1024
MAX_RELOAD_S = 3.0


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree(root: int) -> list[int]:
    tree = _children_of()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(tree.get(pid, []))
    return out


def _kb(pid: int, path: str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class MemorySampler(threading.Thread):
    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_procs = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            pids = _tree(os.getpid())
            self.peak_rss_kb = max(self.peak_rss_kb, sum(_kb(p, "status", "VmRSS:") for p in pids))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_kb(p, "smaps_rollup", "Pss:") for p in pids))
            self.peak_procs = max(self.peak_procs, len(pids))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", help="comma-separated sources (default: all built-ins)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", help="cache folder (default: a fresh temporary folder, removed afterwards)")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    parser.add_argument("--progress", action="store_true", help="show the progress bar")
    args = parser.parse_args(argv)

    from tunesmith.corpus import build_corpus, corpus_stats, load_corpus

    sources = [s for s in args.sources.split(",") if s] if args.sources else None
    with tempfile.TemporaryDirectory(prefix="tunesmith-bench-") as tmp:
        cache = Path(args.cache) if args.cache else Path(tmp) / "corpus"
        sampler = MemorySampler()
        sampler.start()
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        result = build_corpus(
            sources, folders=False, workers=args.workers, cache_dir=cache, force=True, progress=args.progress
        )
        build_s = time.perf_counter() - t0
        load_after = os.getloadavg()[0]
        sampler.stop()
        self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        t0 = time.perf_counter()
        corpus = load_corpus(cache)
        reload_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        n_notes = sum(p.n_notes for p in corpus)
        materialise_s = time.perf_counter() - t0
        code = (
            "import time; t=time.perf_counter(); from tunesmith.corpus import load_corpus; "
            f"c=load_corpus({str(cache)!r}); print(len(c), time.perf_counter()-t)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        reload_fresh_s = float(out[1])
        stats = corpus_stats(corpus)
        cache_mb = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 2**20

    by_style = stats["by_style"]
    checks = {f"{style} pieces >= {n:,}": by_style.get(style, 0) >= n for style, n in TARGETS.items()}
    checks[f"cold build < {MAX_BUILD_S:.0f} s"] = build_s < MAX_BUILD_S
    checks[f"peak memory (PSS) < {MAX_PEAK_MB} MB"] = sampler.peak_pss_kb / 1024 < MAX_PEAK_MB
    checks[f"reload < {MAX_RELOAD_S:.0f} s (fresh interpreter, imports included)"] = reload_fresh_s < MAX_RELOAD_S
    report = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "cpus": len(os.sched_getaffinity(0)),
        "workers": args.workers,
        "build_s": round(build_s, 1),
        "reader_cpu_s": round(sum(r.cpu_seconds for r in result.sources.values()), 1),
        "reader_wall_s": round(sum(r.seconds for r in result.sources.values()), 1),
        "load_average_before_after": [round(load_before, 2), round(load_after, 2)],
        "peak_rss_sum_mb": round(sampler.peak_rss_kb / 1024),
        "peak_pss_sum_mb": round(sampler.peak_pss_kb / 1024),
        "peak_processes": sampler.peak_procs,
        "maxrss_self_mb": round(self_kb / 1024),
        "reload_s": round(reload_s, 3),
        "reload_fresh_interpreter_s": round(reload_fresh_s, 3),
        "materialise_all_pieces_s": round(materialise_s, 2),
        "cache_mb": round(cache_mb, 1),
        "pieces": len(corpus),
        "notes": n_notes,
        "by_style": by_style,
        "duplicates_dropped": result.dropped,
        "duplicates_by_match": result.duplicates,
        "problems": len(result.problems),
        "per_source": {
            name: {
                "files": r.files,
                "pieces": r.pieces,
                "kept": r.kept,
                "problems": r.problems,
                "reader_s": round(r.seconds, 1),
                "reader_cpu_s": round(r.cpu_seconds, 1),
            }
            for name, r in result.sources.items()
        },
        "checks": checks,
    }
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(result.summary(max_problems=10))
        print()
        for key in (
            "build_s",
            "reader_cpu_s",
            "reader_wall_s",
            "load_average_before_after",
            "peak_rss_sum_mb",
            "peak_pss_sum_mb",
            "maxrss_self_mb",
            "reload_s",
            "reload_fresh_interpreter_s",
            "materialise_all_pieces_s",
            "cache_mb",
            "pieces",
            "notes",
        ):
            print(f"{key:<28} {report[key]}")
        print(
            "slowest readers (worker CPU seconds):",
            ", ".join(
                f"{n} {r['reader_cpu_s']}"
                for n, r in sorted(report["per_source"].items(), key=lambda kv: -kv[1]["reader_cpu_s"])[:5]
            ),
        )
        for name, ok in checks.items():
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
