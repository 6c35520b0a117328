"""``pivotal serve`` through httpx, as a client of the REST API sees it: the documented response of
``GET /api/v1/customers/{id}/onboardings``, keys and their revocation across server processes,
status codes, and the error envelope on everything the server refuses."""

from __future__ import annotations

import json
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server import ROOT, Server

FIXTURE = ROOT / "tests" / "fixtures" / "list-customer-onboardings.json"
JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html"}


@pytest.fixture
def keyless(tmp_path: Path) -> Iterator[httpx.Client]:
    with Server(str(tmp_path / "p.db"), "--no-auth", "--quiet") as server:
        with httpx.Client(base_url=server.url) as client:
            yield client


def shape(value: Any) -> Any:
    """The JSON's shape: object keys in order with the shapes of their values, types of the rest."""
    if isinstance(value, dict):
        return [(k, shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__


def test_the_documented_list_of_a_customers_onboardings_is_what_the_server_answers(
    keyless: httpx.Client,
) -> None:
    documented = json.loads(FIXTURE.read_text())
    customer_id = documented["data"][0]["customer_id"]
    customer = {
        "object": "customer",
        "id": customer_id,
        "display_id": 7,
        "name": "Fixture",
        "slug": "fixture",
        "created_at": "2023-01-01T00:00:00Z",
        "updated_at": "2023-01-01T00:00:00Z",
    }
    body = "\n".join(json.dumps(o) for o in [customer, *documented["data"]])
    r = keyless.post("/import", content=body, headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 3
    r = keyless.get(f"/customers/{customer_id}/onboardings")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    answer = r.json()
    assert shape(answer) == shape(documented)
    assert [o["id"] for o in answer["data"]] == [o["id"] for o in documented["data"]]
    for got, want in zip(answer["data"], documented["data"]):
        for k, v in want.items():  # equal, timestamps written with milliseconds
            assert got[k] == v or got[k] == v.replace("Z", ".000Z"), k


def test_creates_answer_201_and_replay_with_the_idempotency_key(keyless: httpx.Client) -> None:
    first = keyless.post("/customers", json={"name": "Acme"}, headers={"Idempotency-Key": "k1"})
    again = keyless.post("/customers", json={"name": "Acme"}, headers={"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    reused = keyless.post("/customers", json={"name": "Other"}, headers={"Idempotency-Key": "k1"})
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"
    deleted = keyless.delete(f"/customers/{first.json()['id']}")
    assert deleted.status_code == 200 and deleted.json()["object"] == "deleted"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("POST", "/customers", {"content": b"{", "headers": JSON}, 400, "invalid_type"),
        ("POST", "/customers", {"content": b'{"name":"A"}', "headers": HTML}, 400, "invalid_type"),
        ("POST", "/customers", {"json": {"name": "A", "nmae": 1}}, 400, "unknown_field"),
        ("GET", "/customers?limit=0", {}, 400, "invalid_limit"),
        ("GET", "/customers?colour=red", {}, 400, "unknown_field"),
        ("GET", "/onboardings?phase=lunch", {}, 400, "invalid_enum_value"),
        ("GET", "/customers/..%2F..%2Fetc%2Fpasswd", {}, 404, "customer_not_found"),
        ("GET", "/customers/%ff%fe", {}, 400, "invalid_type"),
        ("GET", "/customers/%2E%2E%2F%2E%2E%2Fhealth", {}, 404, "customer_not_found"),
        ("PUT", "/customers", {}, 404, "route_not_found"),
        ("GET", "/nothing/here", {}, 404, "route_not_found"),
        ("POST", "/customers", {"content": b"x" * (1 << 20 | 1), "headers": JSON}, 413, "too_large"),
    ],
)  # fmt: skip
def test_refusals_are_the_error_envelope_with_the_types_status(
    keyless: httpx.Client, method: str, path: str, kwargs: dict[str, Any], status: int, code: str
) -> None:
    r = keyless.request(method, path, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    error = r.json()["error"]
    assert error["code"] == code and isinstance(error["message"], str)


def test_a_key_revoked_through_one_server_fails_at_once_on_another(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.db")
    with Server(db, "--no-auth", "--quiet") as a, Server(db, "--quiet") as b:
        created = httpx.post(f"{a.url}/api_keys", json={"name": "ci"}).json()
        auth = {"Authorization": f"Bearer {created['secret']}"}
        assert httpx.get(f"{b.url}/customers", headers=auth).status_code == 200  # verified, cached
        lower = {"Authorization": f"bearer {created['secret']}"}  # the scheme's case does not matter
        assert httpx.get(f"{b.url}/me", headers=lower).json()["api_key"]["name"] == "ci"
        assert httpx.get(f"{b.url}/customers").json()["error"]["code"] == "invalid_api_key"
        revoked = httpx.post(f"{a.url}/api_keys/{created['api_key']['id']}/revoke")
        assert revoked.status_code == 200
        r = httpx.get(f"{b.url}/customers", headers=auth)
        assert (r.status_code, r.json()["error"]["code"]) == (401, "api_key_revoked")


def test_sigterm_stops_the_server_cleanly(tmp_path: Path) -> None:
    server = Server(str(tmp_path / "p.db"), "--no-auth", "--quiet").start()
    assert httpx.post(f"{server.url}/customers", json={"name": "Kept"}).status_code == 201
    assert server.stop(signal.SIGTERM) == 0
    with Server(str(tmp_path / "p.db"), "--no-auth", "--quiet") as again:
        assert [c["name"] for c in httpx.get(f"{again.url}/customers").json()["data"]] == ["Kept"]


def test_sigterm_lets_an_in_flight_request_finish(tmp_path: Path) -> None:
    server = Server(str(tmp_path / "p.db"), "--no-auth", "--quiet").start()
    host, port = server.url.split("//")[1].split("/")[0].split(":")
    body = b'{"name": "In flight"}'
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        s.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body[:5])
        time.sleep(0.3)
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        s.sendall(body[5:])
        answer = s.recv(65536)
    assert answer.startswith(b"HTTP/1.1 201"), answer
    assert server.stop() == 0
    with Server(str(tmp_path / "p.db"), "--no-auth", "--quiet") as again:
        assert [c["name"] for c in httpx.get(f"{again.url}/customers").json()["data"]] == ["In flight"]


def test_request_logs_name_no_secret(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with Server(str(tmp_path / "p.db"), "--no-auth", log=log) as server:
        secret = httpx.post(f"{server.url}/api_keys", json={"name": "logged"}).json()["secret"]
        auth = {"Authorization": f"Bearer {secret}", "Idempotency-Key": f"idem-{secret}"}
        assert httpx.post(f"{server.url}/customers", json={"name": secret}, headers=auth).status_code == 201
        assert httpx.get(f"{server.url}/customers", params={"slug": secret}, headers=auth).status_code == 200
    text = log.read_text()
    assert "POST" in text and "/api/v1/customers" in text and "status=201" in text
    assert secret not in text and secret[:16] not in text
