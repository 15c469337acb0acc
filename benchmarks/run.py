"""`make bench`: every benchmark in one run.

    .venv/bin/python benchmarks/run.py                 # full: compose/training bench + corpus build
    .venv/bin/python benchmarks/run.py --json --out bench.json
    .venv/bin/python benchmarks/run.py --quick         # a fast smoke run (3 runs, batch 8, 16 bars; no corpus build)
    .venv/bin/python benchmarks/run.py --skip-corpus   # the compose/training bench only

1. tunesmith against the GPT-2 + REMI baseline of the same size (`tunesmith.evaluation.bench`):
   compose latency (one 32-bar lead sheet, batch 1, median over the runs after a warm-up),
   batched throughput (pieces/s at batch 8 and 16) and training tokens/s, for the default
   model (a random-init model of configs/default.toml's size when none is shipped yet; the
   output says which) and a GPT-2 baseline of the same parameter count, with the ratios.
2. the corpus build (`benchmarks/corpus_build.py`, run as its own process so that its
   process-tree memory sampling sees only the build): a cold build of every built-in source
   into a fresh temporary cache, peak memory, reload time, against its targets. It needs the
   shared data (../shared/data or $TUNESMITH_DATA); without it the piece-count targets fail.
   `--corpus-sources jsb,nottingham` builds only those (the piece-count targets then fail by
   design: read the timings). For its per-source summary run benchmarks/corpus_build.py.

Exit status: 0 when the corpus-build targets pass (or it was skipped), else its exit status.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tunesmith.cli import bench

CORPUS_BUILD = Path(__file__).resolve().parent / "corpus_build.py"


def corpus_build_command(args: argparse.Namespace) -> list[str]:
    """The command line that runs benchmarks/corpus_build.py for these arguments (JSON output)."""
    cmd = [sys.executable, str(CORPUS_BUILD), "--json", "--workers", str(args.corpus_workers)]
    if args.corpus_sources:
        cmd += ["--sources", args.corpus_sources]
    return cmd


def run_corpus_build(args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
    """Run corpus_build.py in its own process; (exit status, its JSON report or an error)."""
    proc = subprocess.run(corpus_build_command(args), capture_output=True, text=True)
    if proc.stderr:
        sys.stderr.write(proc.stderr)
    try:
        return proc.returncode, json.loads(proc.stdout)
    except ValueError:
        tail = (proc.stdout or proc.stderr or "").strip().splitlines()[-5:]
        return proc.returncode or 1, {"error": "corpus_build.py wrote no JSON report", "output_tail": tail}


def format_corpus(report: dict[str, Any], code: int) -> str:
    """A short text report of corpus_build.py's JSON (timings, memory, counts, targets)."""
    if "error" in report:
        return "\n".join(["corpus build: " + report["error"], *report.get("output_tail", [])])
    lines = [f"corpus build ({report.get('workers')} workers, {report.get('cpus')} CPUs)"]
    for key in (
        "build_s", "peak_pss_sum_mb", "peak_rss_sum_mb", "reload_fresh_interpreter_s", "cache_mb", "pieces",
    ):  # fmt: skip
        lines.append(f"  {key:<28} {report.get(key)}")
    lines.append(f"  {'by_style':<28} {report.get('by_style')}")
    for name, ok in (report.get("checks") or {}).items():
        lines.append(f"  {'PASS' if ok else 'FAIL'}  {name}")
    lines.append(f"  exit status {code}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench.add_arguments(parser)
    parser.add_argument("--quick", action="store_true", help="3 runs, batch 8 only, 16 bars, 2 training steps")
    parser.add_argument("--skip-corpus", action="store_true", help="do not run the corpus-build benchmark")
    parser.add_argument("--corpus-sources", help="corpus build: only these sources (comma-separated)")
    parser.add_argument("--corpus-workers", type=int, default=2, help="corpus build workers (default 2)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.batches, args.bars, args.train_steps, args.train_seq = 3, "8", 16, 2, 512
    skip_corpus = args.skip_corpus or (args.quick and not args.corpus_sources)

    result = bench.measure(args)
    code, corpus = 0, {"skipped": "--skip-corpus" if args.skip_corpus else "--quick"}
    if not skip_corpus:
        print("corpus build benchmark (a cold build into a fresh temporary cache) ...", file=sys.stderr, flush=True)
        code, corpus = run_corpus_build(args)
    result["corpus_build"] = corpus
    from tunesmith.evaluation.bench import format_bench

    def text() -> str:
        done = format_corpus(corpus, code) if not skip_corpus else f"corpus build: skipped ({corpus['skipped']})"
        return format_bench(result) + "\n\n" + done

    bench.report(result, args, text)
    return code


if __name__ == "__main__":
    sys.exit(main())
