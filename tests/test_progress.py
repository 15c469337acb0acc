"""Progress in a log: plain lines, never tqdm's carriage-return redraws (a CI log or a file)."""

import io

from tunesmith.progress import LineProgress, progress_bar


def test_a_log_gets_plain_lines_and_one_at_the_end():
    log = io.StringIO()  # not a terminal
    bar = progress_bar(total=30, desc="train", unit="step", file=log)
    assert isinstance(bar, LineProgress)
    for i in range(30):
        bar.update(1)
        bar.set_postfix(loss=f"{4.0 - i / 100:.3f}")
    bar.close()
    bar.close()  # a second close writes nothing more
    text = log.getvalue()
    assert "\r" not in text
    lines = text.splitlines()
    assert lines == [lines[-1]]  # quicker than LOG_EVERY_S: only the closing line
    assert lines[-1].startswith("train: 30/30 step (100%), 0m") and lines[-1].endswith("loss=3.710")


def test_long_work_writes_a_line_now_and_then():
    log = io.StringIO()
    bar = LineProgress(total=3, desc="corpus build", unit="file", file=log, every_s=0.0)
    for _ in range(3):
        bar.update(1)
    bar.close()
    assert [line.split(",")[0] for line in log.getvalue().splitlines()] == [
        "corpus build: 1/3 file (33%)", "corpus build: 2/3 file (67%)", "corpus build: 3/3 file (100%)",
        "corpus build: 3/3 file (100%)"]


def test_iterating_and_disabled():
    log = io.StringIO()
    assert list(progress_bar(range(4), desc="x", file=log)) == [0, 1, 2, 3]
    assert log.getvalue().startswith("x: 4/4 it (100%)")
    quiet = io.StringIO()
    bar = progress_bar(total=2, disable=True, file=quiet)
    bar.update(2)
    bar.close()
    assert quiet.getvalue() == ""
