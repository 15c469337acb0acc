"""Progress on long work: a tqdm bar on a terminal, plain dated lines in a log.

tqdm redraws its bar with carriage returns, and redraws it again after every message written
beside it (`tqdm.write`). On a terminal that is what a user wants; in a log file or a CI
capture it becomes one line thousands of characters long, with the bar repeated after each
message. So when stderr is not a terminal, `progress_bar` returns a `LineProgress` that writes
one ordinary line at most every `LOG_EVERY_S` seconds and one when the work ends, and `say`
prints messages as they are.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

LOG_EVERY_S = 30.0  # a log line at most this often (and always at the end)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class LineProgress:
    """The part of tqdm's interface tunesmith uses (`n`, `update`, `set_postfix`, `close`,
    iteration), written as plain lines: "train: 300/4000 step (8%), 2m05s, loss=4.270"."""

    def __init__(self, iterable: Iterable[Any] | None = None, *, total: int | None = None, initial: int = 0,
                 desc: str = "", unit: str = "it", disable: bool = False, file: TextIO | None = None,
                 every_s: float = LOG_EVERY_S, **_ignored: Any) -> None:
        self.iterable = iterable
        if total is None and iterable is not None and hasattr(iterable, "__len__"):
            total = len(iterable)  # type: ignore[arg-type]
        self.total, self.n, self.desc, self.unit = total, initial, desc, unit
        self.disable, self.file, self.every_s = disable, file, every_s
        self.postfix = ""
        self.started = self.last = time.monotonic()
        self.closed = False

    def __iter__(self) -> Iterator[Any]:
        assert self.iterable is not None
        try:
            for item in self.iterable:
                yield item
                self.update(1)
        finally:
            self.close()

    def set_postfix(self, ordered_dict: dict[str, Any] | None = None, refresh: bool = True, **kw: Any) -> None:
        items = {**(ordered_dict or {}), **kw}
        self.postfix = ", ".join(f"{k}={v}" for k, v in items.items())

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            self._line()

    def _line(self) -> None:
        if self.disable:
            return
        elapsed = int(time.monotonic() - self.started)
        done = f"{self.n}/{self.total}" if self.total else f"{self.n}"
        share = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
        text = f"{self.desc}: {done} {self.unit}{share}, {elapsed // 60}m{elapsed % 60:02d}s"
        print(text + (f", {self.postfix}" if self.postfix else ""), file=self.file or sys.stderr, flush=True)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._line()


def progress_bar(iterable: Iterable[Any] | None = None, **kw: Any) -> Any:
    """tqdm(iterable, **kw) on a terminal; a `LineProgress` otherwise (same arguments)."""
    stream = kw.get("file") or sys.stderr
    if kw.get("disable") or _is_terminal(stream):
        from tqdm import tqdm

        return tqdm(iterable, **kw)
    return LineProgress(iterable, **kw)


def say(message: str) -> None:
    """A message beside a progress bar: above the bar on a terminal, a plain line in a log."""
    if _is_terminal(sys.stderr):
        from tqdm import tqdm

        tqdm.write(message)
    else:
        print(message, flush=True)
