"""The benchmark harness at tiny sizes: both systems measured in one run, ratios printed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

pytest.importorskip("transformers")
sys.path.insert(0, str(Path(__file__).parent))

from script_loader import load_script  # noqa: E402
from tunesmith.evaluation.bench import format_bench, run_bench  # noqa: E402
from tunesmith.model import ModelConfig  # noqa: E402
from tunesmith.tokenizer import Tokenizer  # noqa: E402


@pytest.fixture(scope="module")
def bench():
    tok = Tokenizer()
    config = ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=32)
    return run_bench(
        model_config=config,
        runs=2,
        warmup=1,
        batches=(2,),
        throughput_runs=1,
        bars=4,
        train_batch=2,
        train_seq=32,
        train_steps=1,
        baseline_positions=256,
        progress=False,
    )


def test_bench_measures_both_systems_in_one_run(bench):
    lat = bench["latency_batch1_seconds"]
    assert lat["tunesmith"]["runs"] == 2 and lat["baseline"]["runs"] == 2
    assert lat["tunesmith"]["median"] > 0 and lat["baseline"]["median"] > 0
    assert bench["latency_ratio"] == pytest.approx(lat["baseline"]["median"] / lat["tunesmith"]["median"])
    assert 0.9 <= bench["baseline"]["params_ratio"] <= 1.1  # the same parameter count
    assert bench["throughput"]["2"]["ratio"] > 0
    assert bench["training"]["ratio"] > 0
    assert "random-init" in bench["tunesmith"]["what"] and "random-init" in bench["baseline"]["what"]
    # an untrained baseline is asked for the REMI length of the same music, not its runaway length
    assert lat["baseline"]["tokens_median"] <= lat["baseline"]["remi_tokens_of_tunesmith_takes_median"] + 1


def test_bench_prints_the_ratios(bench):
    text = format_bench(bench)
    assert "compose latency, batch 1" in text and "throughput, batch 2" in text and "training" in text
    assert text.count("x\n") >= 3 and "ratios > 1: tunesmith faster" in text


def test_bench_cli_rejects_bad_arguments():
    from tunesmith.cli import bench as verb

    parser = argparse.ArgumentParser()
    verb.add_arguments(parser)
    with pytest.raises(ValueError, match="runs"):
        verb.run(parser.parse_args(["--runs", "0"]))
    with pytest.raises(ValueError, match="batches"):
        verb.run(parser.parse_args(["--batches", "0"]))


def test_benchmarks_run_script_has_a_quick_mode():
    assert callable(load_script("benchmarks/run.py").main)


def _run_module():
    return load_script("benchmarks/run.py")


def test_make_bench_also_runs_the_corpus_build(monkeypatch, capsys, tmp_path):
    """benchmarks/run.py (what `make bench` runs) runs benchmarks/corpus_build.py after the
    compose bench, in its own process, and reports both; --quick and --skip-corpus skip it."""
    import json

    module = _run_module()
    calls = []
    fake_bench = {"compose": "measured"}
    monkeypatch.setattr(module.bench, "measure", lambda args: dict(fake_bench))
    report = {"workers": 2, "cpus": 2, "build_s": 1.0, "pieces": 3, "by_style": {"chorale": 3},
              "checks": {"chorale pieces >= 350": False}}  # fmt: skip

    def fake_corpus(args):
        calls.append(module.corpus_build_command(args))
        return 1, report

    monkeypatch.setattr(module, "run_corpus_build", fake_corpus)
    out = tmp_path / "b.json"
    assert module.main(["--corpus-sources", "jsb", "--json", "--out", str(out)]) == 1  # a target failed
    assert calls and calls[0][1].endswith("corpus_build.py") and calls[0][-2:] == ["--sources", "jsb"]
    assert "--json" in calls[0]
    assert json.loads(out.read_text())["corpus_build"] == report
    capsys.readouterr()

    calls.clear()
    import tunesmith.evaluation.bench as eb

    monkeypatch.setattr(eb, "format_bench", lambda r: "compose table")
    assert module.main(["--quick"]) == 0 and not calls
    assert "corpus build: skipped (--quick)" in capsys.readouterr().out
    assert module.main(["--skip-corpus"]) == 0 and not calls
    assert module.main([]) == 1 and len(calls) == 1
    text = capsys.readouterr().out
    assert "FAIL  chorale pieces >= 350" in text and "compose table" in text


def test_corpus_build_report_without_json_is_an_error_not_a_crash():
    module = _run_module()
    text = module.format_corpus({"error": "corpus_build.py wrote no JSON report", "output_tail": ["boom"]}, 1)
    assert "no JSON report" in text and "boom" in text


def test_the_copy_guards_cost_per_take_is_measured_with_and_without_it():
    """The issue's target: the guard adds at most 10 % to a composed take. The bench composes the
    same seeds with it and without, in turn, and reports the medians, the median of the runs'
    differences over the median without (the headline), and the guard's own time as the takes
    record it (a random-init model, which has no index, says why it is not measured)."""
    from tunesmith.evaluation.bench import measure_guard_cost

    guard = measure_guard_cost("default", runs=3, warmup=1, bars=8)
    assert guard["runs"] == 3 and guard["with_guard"]["median"] > 0 and guard["without_guard"]["median"] > 0
    assert guard["added_share_of_medians"] == pytest.approx(guard["with_guard"]["median"] / guard["without_guard"]["median"] - 1)
    assert guard["check_seconds"]["runs"] == 3 and guard["check_seconds"]["median"] > 0
    assert guard["check_share"] == pytest.approx(guard["check_seconds"]["median"] / guard["without_guard"]["median"])
    text = format_bench({**_minimal_report(), "copy_guard": guard})
    assert "compose take, with / without guard" in text and "target <= 10 %" in text
    assert "copy guard: not measured (why)" in format_bench({**_minimal_report(), "copy_guard": {"skipped": "why"}})


def test_the_guards_cost_is_the_median_of_each_runs_difference(monkeypatch):
    """Each run composes one seed with the guard and without, one after the other; a machine
    whose load wanders between runs slows both alike. With a clock that gives every take 1 s, the
    guard 0.05 s more and each run its own load (0-0.6 s), the guard adds exactly 5 %, and its own
    check is what the takes record."""
    import types

    import tunesmith.api
    from tunesmith.evaluation import bench

    clock = {"now": 0.0}
    loads = iter([0.0, 0.3, 0.3, 0.0, 0.0, 0.6, 0.6, 0.1, 0.1, 0.5, 0.5])  # (the first: the probe before the runs)

    def compose(**kw):
        clock["now"] += 1.0 + next(loads) + (0.05 if kw["check"] else 0.0)
        return types.SimpleNamespace(provenance={"timings": {"check": 0.04}} if kw["check"] else {})

    monkeypatch.setattr(tunesmith.api, "compose", compose)
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock["now"])
    guard = bench.measure_guard_cost("default", runs=5, warmup=0, bars=8)
    assert guard["added_share"] == pytest.approx(0.05 / 1.3)
    assert guard["check_share"] == pytest.approx(0.04 / 1.3)


def _minimal_report() -> dict:
    lat = {"median": 1.0, "tokens_median": 10.0, "seconds_per_token": 0.1}
    return {"tunesmith": {"what": "m", "n_params": 1}, "baseline": {"what": "b", "n_params": 1, "shape": "1 x 1", "params_ratio": 1.0},
            "task": {"bars": 8, "style": "pop", "runs": 2, "warmup": 1},
            "host": {"torch_threads_decoding": 1, "torch_threads_training": 1},
            "latency_batch1_seconds": {"tunesmith": lat, "baseline": lat}, "latency_ratio": 1.0, "throughput": {},
            "training": {"tunesmith": {"batch": 1, "seq": 1, "tokens_per_second": 1.0}, "baseline": {"tokens_per_second": 1.0},
                         "ratio": 1.0}}  # fmt: skip
