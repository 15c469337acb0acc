"""A small process pool that survives bad inputs: per-task timeouts, crashed or hung
workers replaced, each worker recycled after a number of tasks.

concurrent.futures cannot stop one task that hangs (its worker would keep the pool busy
forever) and breaks the whole pool when a worker dies. Here every worker has its own pipe
and runs one task at a time, so the parent always knows which task a worker is on: when it
runs past its deadline the worker is killed and replaced, and the task is reported.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

OK = "ok"
ERROR = "error"
RETIRE = "retire"  # worker -> parent only: an error after which the worker exits (reported as ERROR)
START_ATTEMPTS = 3
START_TIMEOUT = 120.0  # seconds for a new worker to import what it needs and say it is ready


class WorkerStartError(RuntimeError):
    """Worker processes cannot be started at all (nothing to do with any input file)."""


def _resolve(ref: str) -> Callable[[Any], Any]:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def _worker_loop(conn, func_ref: str, memory_limit_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    if memory_limit_mb:
        import resource

        limit = memory_limit_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    func = _resolve(func_ref)
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            message = (OK, func(task))
        except MemoryError:
            # after a MemoryError the process may be half-broken (a module half-imported): the
            # task is reported and this worker exits, so the next files are not blamed for it
            message = (RETIRE, f"out of memory (worker limit {memory_limit_mb} MB; worker replaced)")
        except BaseException as exc:  # noqa: BLE001 - every failure is reported for this task
            message = (ERROR, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(message)
        except MemoryError:
            conn.send((ERROR, "out of memory while sending the result"))
        except Exception as exc:  # an unpicklable result
            conn.send((ERROR, f"cannot send the result back: {type(exc).__name__}: {exc}"))
        if message[0] == RETIRE:
            return


@dataclass
class _Worker:
    process: Any
    conn: Any
    task: Any = None
    started: float = 0.0
    deadline: float = 0.0
    done: int = 0


class TaskPool:
    """Run `func_ref` ("module:function", importable in a child) over tasks in `workers` processes.

    `run(tasks, timeout_of)` yields (task, OK, result) or (task, ERROR, message) as tasks
    finish, in completion order. workers=0 runs everything in this process (no timeouts)."""

    def __init__(
        self,
        func_ref: str,
        *,
        workers: int = 2,
        max_tasks_per_worker: int = 500,
        memory_limit_mb: int = 0,
        context: str = "forkserver",
        preload: Iterable[str] = (),
    ) -> None:
        self.func_ref = func_ref
        self.workers = max(0, int(workers))
        self.max_tasks_per_worker = max_tasks_per_worker
        self.memory_limit_mb = memory_limit_mb
        self.ctx = mp.get_context(context)
        if context == "forkserver":
            self.ctx.set_forkserver_preload([m for m in ("tunesmith.corpus.pool", *preload)])
        self._pool: list[_Worker] = []
        self.replaced = 0

    def _spawn(self) -> _Worker:
        """A new worker, once it has said it is ready. A worker that cannot start is not a
        problem of any file: after START_ATTEMPTS failures in a row the build stops with
        WorkerStartError instead of reporting every file as crashed."""
        for _attempt in range(START_ATTEMPTS):
            parent_conn, child_conn = self.ctx.Pipe(duplex=True)
            process = self.ctx.Process(
                target=_worker_loop, args=(child_conn, self.func_ref, self.memory_limit_mb), daemon=True
            )
            process.start()
            child_conn.close()
            worker = _Worker(process, parent_conn)
            try:
                if parent_conn.poll(START_TIMEOUT) and parent_conn.recv()[0] == "ready":
                    return worker
            except (EOFError, OSError):
                pass
            process.join(timeout=1)
            code = process.exitcode
            self._stop(worker, kill=True)
        raise WorkerStartError(
            f"worker processes do not start (last exit status {code}). If build_corpus is called from a "
            "script, put the call under `if __name__ == \"__main__\":` (multiprocessing re-imports the "
            "main module in each worker); see the traceback above"
        )

    def _stop(self, worker: _Worker, *, kill: bool) -> None:
        try:
            if kill:
                worker.process.kill()
            else:
                try:
                    worker.conn.send(None)
                except OSError:
                    worker.process.kill()
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
        finally:
            worker.conn.close()
        if worker in self._pool:
            self._pool.remove(worker)

    def close(self) -> None:
        for worker in list(self._pool):
            self._stop(worker, kill=worker.task is not None)

    def run(self, tasks: Iterable[Any], timeout_of: Callable[[Any], float]) -> Iterator[tuple[Any, str, Any]]:
        if self.workers == 0:
            func = _resolve(self.func_ref)
            for task in tasks:
                try:
                    yield task, OK, func(task)
                except Exception as exc:  # noqa: BLE001
                    yield task, ERROR, f"{type(exc).__name__}: {exc}"
            return
        pending = iter(tasks)
        exhausted = False
        try:
            while True:
                # hand out work
                while not exhausted:
                    idle = next((w for w in self._pool if w.task is None), None)
                    if idle is None and len(self._pool) < self.workers:
                        idle = self._spawn()
                        self._pool.append(idle)
                    if idle is None:
                        break
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                        break
                    idle.task, idle.started = task, time.monotonic()
                    idle.deadline = idle.started + float(timeout_of(task))
                    try:
                        idle.conn.send(task)
                    except OSError:  # the worker died while idle: replace it and retry the task
                        yield from self._replace(idle, None)
                        pending = _chain_first(task, pending)
                busy = [w for w in self._pool if w.task is not None]
                if not busy:
                    if exhausted:
                        return
                    continue
                now = time.monotonic()
                timeout = max(0.0, min(w.deadline for w in busy) - now)
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=timeout)
                for worker in busy:
                    if worker.conn in ready or worker.conn.poll():
                        try:
                            status, payload = worker.conn.recv()
                        except (EOFError, OSError):
                            yield from self._crashed(worker)
                            continue
                        task, worker.task = worker.task, None
                        worker.done += 1
                        if status == RETIRE:  # the worker exits after an out-of-memory task
                            self._stop(worker, kill=True)
                            self.replaced += 1
                            yield task, ERROR, payload
                            continue
                        yield task, status, payload
                        if self.max_tasks_per_worker and worker.done >= self.max_tasks_per_worker:
                            self._stop(worker, kill=False)
                    elif worker.process.sentinel in ready or not worker.process.is_alive():
                        yield from self._crashed(worker)
                    elif time.monotonic() >= worker.deadline:
                        elapsed = time.monotonic() - worker.started
                        yield from self._replace(worker, f"timed out after {elapsed:.0f} s (worker replaced)")
        finally:
            self.close()

    def _crashed(self, worker: _Worker) -> Iterator[tuple[Any, str, Any]]:
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                why = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                why = f"killed by signal {-code}"
        else:
            why = f"exit status {code}"
        yield from self._replace(worker, f"worker crashed ({why}) while reading this (worker replaced)")

    def _replace(self, worker: _Worker, message: str | None) -> Iterator[tuple[Any, str, Any]]:
        task = worker.task
        worker.task = None
        self._stop(worker, kill=True)
        self.replaced += 1
        if message is not None and task is not None:
            yield task, ERROR, message


def _chain_first(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
