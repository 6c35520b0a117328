"""pivotal_core.testing: a live ``pivotal serve`` for HTTP clients, as a context manager and a pytest fixture."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

import pytest

from pivotal_core.testing import pivotal_server, serve

__all__ = ["pivotal_server"]  # the fixture, imported as a user's conftest.py would


def call(method: str, url: str, body: Optional[dict[str, Any]] = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_serve_gives_a_fresh_server_and_stops_it(tmp_path: Path) -> None:
    with serve(tmp_path / "p.db", clock="2024-01-01T00:00:00Z", actor="suite") as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api/v1")
        status, acme = call("POST", f"{url}/customers", {"name": "Acme"})
        assert (status, acme["created_at"]) == (201, "2024-01-01T00:00:00.000Z")
        status, events = call("GET", f"{url}/events")
        assert events["data"][0]["actor"] == "suite"
    with pytest.raises(urllib.error.URLError):
        call("GET", f"{url}/health")
    with serve(tmp_path / "p.db", no_auth=False) as url:  # the same file, now keys only
        assert call("GET", f"{url}/customers/{acme['id']}")[0] == 401
        assert call("GET", f"{url}/health")[0] == 200


def test_a_server_that_cannot_start_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="did not start"):
        with serve(args=["--addr", "256.0.0.1:1"]):
            pass


def test_the_fixture(pivotal_server: str) -> None:
    status, me = call("GET", f"{pivotal_server}/me")
    assert status == 200 and me["organization"]["slug"] == "default"
