"""Test helpers: a live ``pivotal serve`` for code that talks to Pivotal over HTTP.

``serve()`` starts the REST API on a free loopback port, in a subprocess (``python -m
pivotal_core._cli serve``: the same ``pivotal`` tool as the console script), and yields its base
URL, ``http://127.0.0.1:PORT/api/v1``; it stops the server on exit. ``pivotal_server`` is the same
as a pytest fixture: import it into a ``conftest.py``.

    from pivotal_core.testing import serve

    with serve() as url:                      # a fresh in-memory store, no key needed
        requests.post(f"{url}/customers", json={"name": "Acme"})
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Optional, Union

__all__ = ["pivotal_server", "serve"]


@contextmanager
def serve(
    db: Union[str, os.PathLike[str]] = ":memory:",
    *,
    no_auth: bool = True,
    clock: Optional[str] = None,
    actor: Optional[str] = None,
    args: Sequence[str] = (),
    timeout: float = 30,
) -> Iterator[str]:
    """Runs ``pivotal serve`` on a free port until the block ends; yields its base URL (…/api/v1).

    ``db``: a SQLite file, or ``":memory:"`` (the default) for a fresh throwaway store.
    ``no_auth``: requests without ``Authorization`` run in the store's keyless session (the
    default); with ``False`` every request needs ``Authorization: Bearer <key>``. ``clock``: an RFC
    3339 instant to fix the clock at, moved through ``POST {url}/test_helpers/clock``. ``actor``:
    the keyless session's actor. ``args``: more ``pivotal serve`` options. A server that does not
    start within ``timeout`` seconds raises ``RuntimeError``.
    """
    command = [sys.executable, "-m", "pivotal_core._cli", "serve", "--db", os.fspath(db)]
    command += ["--addr", "127.0.0.1:0", "--quiet"]
    if no_auth:
        command.append("--no-auth")
    if clock is not None:
        command += ["--clock", clock]
    if actor is not None:
        command += ["--actor", actor]
    command += list(args)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        url = _listening(process, timeout)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _listening(process: subprocess.Popen[str], timeout: float) -> str:
    """The base URL the server prints once it listens (``listening on http://…``)."""
    import threading

    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline() if process.stdout else ""))
    reader.daemon = True
    reader.start()
    reader.join(timeout)
    line = lines[0] if lines else ""
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"pivotal serve did not start: {line.strip() or 'no answer'} (exit {process.wait()})")
    return line.split()[-1] + "/api/v1"


def _fixture() -> Any:
    try:
        import pytest
    except ImportError:  # pytest is optional: serve() works without it
        return None

    @pytest.fixture
    def pivotal_server() -> Iterator[str]:
        """The base URL of a fresh ``pivotal serve`` (in-memory store, no key needed)."""
        with serve() as url:
            yield url

    return pivotal_server


pivotal_server = _fixture()
