"""A live ``pivotal serve`` for the HTTP tests: started as a subprocess on a free port, stopped with
SIGTERM (or killed) on exit. The binary is ``$PIVOTAL_BIN`` (tests/http/run.sh builds it)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[2]


def binary() -> str:
    """The ``pivotal`` binary under test."""
    return os.environ.get("PIVOTAL_BIN") or str(ROOT / "target" / "debug" / "pivotal")


class Server:
    """``pivotal serve --db DB --addr 127.0.0.1:0 ARGS…``; ``url`` is its base URL (…/api/v1)."""

    def __init__(self, db: str = ":memory:", *args: str, log: Optional[Path] = None) -> None:
        self.command = [binary(), "serve", "--db", db, "--addr", "127.0.0.1:0", *args]
        self.log = log
        self.process: Optional[subprocess.Popen[str]] = None
        self.url = ""

    def start(self) -> Server:
        stderr = open(self.log, "a") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=stderr, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.process.kill()
            raise RuntimeError(f"pivotal serve did not start: {line!r} (exit {self.process.wait()})")
        self.url = line.split()[-1] + "/api/v1"
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int:
        """Stops the server with ``sig``; its exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.stop()
