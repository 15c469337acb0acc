"""A live `tunesmith studio` server in a subprocess, for the studio's load and browser tests
(127.0.0.1 only; killed by its test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

START = "from tunesmith.cli import main; import sys; sys.exit(main(sys.argv[1:]))"


class LiveStudio:
    def __init__(self, home: Path, token: str):
        self.home, self.token = Path(home), token
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.log: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"token {self.token}"}, timeout=120, **kw)

    def start(self, timeout: float = 120) -> LiveStudio:
        env = {**os.environ, "TUNESMITH_HOME": str(self.home)}
        cmd = [sys.executable, "-c", START, "studio", "--host", "127.0.0.1", "--port", str(self.port),
               "--token", self.token]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        found = threading.Event()

        def drain():
            for line in self.proc.stdout:
                self.log.append(line.rstrip())
                m = re.search(r"tunesmith studio: http://127\.0\.0\.1:(\d+)/\?token=", line)
                if m:
                    self.port = int(m.group(1))
                    found.set()

        threading.Thread(target=drain, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not found.wait(0.2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("studio did not start:\n" + "\n".join(self.log[-30:]))
        while time.monotonic() < deadline:  # the address is printed just before uvicorn serves
            try:
                if httpx.get(f"{self.base}/api/info", headers={"Authorization": f"token {self.token}"},
                             timeout=5).status_code == 200:  # fmt: skip
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError("studio did not answer:\n" + "\n".join(self.log[-30:]))

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs (what a crash does)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
