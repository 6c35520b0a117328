"""Hostile HTTP against ``pivotal serve``, over raw sockets where a polite client would refuse: huge
bodies, slow clients, a thousand idle connections, odd paths and query strings, and a kill -9 in
the middle of a write load. Each refusal is a 4xx with the API's error envelope, and the server
keeps serving everyone else."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from server import Server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with Server(str(tmp_path / "p.db"), "--no-auth", "--quiet", "--header-timeout", "2", "--request-timeout", "2") as s:
        yield s


def connect(server: Server) -> socket.socket:
    u = urlsplit(server.url)
    return socket.create_connection((u.hostname or "127.0.0.1", u.port or 80), timeout=20)


def answer(sock: socket.socket) -> tuple[int, Any]:
    """Reads one response (the connection closes after it); its status and JSON body."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = [int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")]
        if length and len(body) >= length[0]:
            break
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head else 0
    return status, json.loads(body) if body else None


def raw(server: Server, request: bytes) -> tuple[int, Any]:
    with connect(server) as s:
        s.sendall(request)
        return answer(s)


def healthy(server: Server) -> None:
    """The server still answers someone else, at once."""
    started = time.monotonic()
    r = httpx.post(f"{server.url}/customers", json={"name": f"Still here {started}"}, timeout=5)
    assert r.status_code == 201 and time.monotonic() - started < 2


def envelope(status: int, body: Any, code: str) -> None:
    assert 400 <= status < 500, (status, body)
    assert isinstance(body, dict) and body["error"]["code"] == code, body


def test_a_100_mb_body_is_413_before_it_is_read(server: Server) -> None:
    with connect(server) as s:
        s.sendall(
            b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\n\r\n" + b"[" * 65536
        )
        envelope(*answer(s), "too_large")
    # The same without a length: chunks until the server has seen more than 1 MiB.
    with connect(server) as s:
        s.sendall(b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        s.sendall(b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b" " * 65536 + b"\r\n"
        try:
            for _ in range(1600):  # 100 MiB
                s.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, body = answer(s)
        if status:  # the answer can be lost when the server closes while the client still writes
            envelope(status, body, "too_large")
    healthy(server)


def test_slow_clients_time_out_and_others_are_served(server: Server) -> None:
    # A body sent one byte a second: 408 with the envelope after the request timeout (2 s).
    with connect(server) as s:
        s.sendall(b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        s.sendall(b"Content-Length: 100\r\n\r\n")
        slow: list[tuple[int, Any]] = []
        reader = threading.Thread(target=lambda: slow.append(answer(s)))
        reader.start()
        started = time.monotonic()
        for byte in b'{"name": "slow"':
            healthy(server)
            try:
                s.sendall(bytes([byte]))
            except OSError:
                break
            if not reader.is_alive():
                break
            time.sleep(1)
        reader.join(10)
        assert slow and slow[0][0] == 408 and slow[0][1]["error"]["type"] == "invalid_request_error", slow
        assert time.monotonic() - started < 6
    healthy(server)


def test_headers_too_slow_are_408_with_the_envelope_and_others_are_served(server: Server) -> None:
    # A head sent one byte a second, past the header timeout (2 s), on a fresh connection and on
    # a keep-alive connection right after an answer.
    for keep_alive in (False, True):
        with connect(server) as s:
            if keep_alive:
                s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                assert s.recv(65536).startswith(b"HTTP/1.1 200")
            got: list[tuple[int, Any]] = []
            reader = threading.Thread(target=lambda s=s, got=got: got.append(answer(s)))
            reader.start()
            started = time.monotonic()
            for byte in b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n":
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    break
                healthy(server)
                reader.join(max(0.0, 1 - (time.monotonic() - started) % 1))
                if not reader.is_alive():
                    break
            reader.join(10)
            assert got and got[0][0] == 408, (keep_alive, got)
            envelope(*got[0], "invalid_type")
            assert got[0][1]["error"]["type"] == "invalid_request_error"
            assert "headers took longer than 2 s" in got[0][1]["error"]["message"]
            assert 1.5 < time.monotonic() - started < 6
    healthy(server)


def test_a_thousand_idle_connections_do_not_stop_the_server(tmp_path: Path) -> None:
    server = Server(str(tmp_path / "p.db"), "--no-auth", "--quiet").start()  # idle for up to 30 s
    idle = [connect(server) for _ in range(1000)]
    try:
        healthy(server)
        for s in idle[:10]:  # and they are still served when they speak
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert answer(s)[0] == 200
    finally:
        for s in idle:
            s.close()
        server.stop()


@pytest.mark.parametrize(
    ("target", "status", "code"),
    [
        ("/api/v1/customers/../../../etc/passwd", 404, "route_not_found"),
        ("/api/v1/../../etc/passwd", 404, "route_not_found"),
        ("/api/v1/customers/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404, "customer_not_found"),
        ("/api/v1/customers/%00", 404, "customer_not_found"),
        ("/api/v1/customers/%c0%ae%c0%ae", 400, "invalid_type"),
        ("/api/v1/customers/%zz", 404, "customer_not_found"),
        ("/api/v1/customers/%", 404, "customer_not_found"),
        ("/api/v1/customers/1%2F..%2F2", 404, "customer_not_found"),
        ("/api/v1/customers?limit=%ff", 400, "invalid_limit"),
        ("/api/v1/customers?status=%00", 400, "invalid_enum_value"),
        ("/api/v1/customers?=&&=x", 400, "unknown_field"),
        ("/api/v1/customers?cursor=" + "a" * 60000, 400, "invalid_cursor"),
        ("/api/v1/customers?" + "&".join(f"p{i}=1" for i in range(6000)), 400, "unknown_field"),
        ("/api/v1/customers?limit=1&limit=2", 400, "invalid_type"),
        ("/api/v1/events?types=" + ",".join(["customer.created"] * 3000), 200, None),
    ],
)
def test_odd_paths_and_query_strings(server: Server, target: str, status: int, code: str | None) -> None:
    got, body = raw(server, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert got == status, (got, body)
    if code:
        envelope(got, body, code)
    healthy(server)


def test_a_request_target_over_64_kib_is_414_with_the_envelope(server: Server) -> None:
    got, body = raw(server, b"GET /api/v1/customers?cursor=" + b"a" * 70 * 1024 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert got == 414, (got, body)
    envelope(got, body, "too_long")
    assert body["error"]["field"] == "uri"
    # Refused as soon as the request line is too long, before the headers or its end arrive.
    with connect(server) as s:
        s.sendall(b"GET /api/v1/customers?cursor=" + b"a" * 70 * 1024)
        got, body = answer(s)
        envelope(got, body, "too_long")
    healthy(server)


def test_every_request_of_a_keep_alive_connection_is_checked(server: Server) -> None:
    """Bodies framed by length and by chunks, pipelined in one write, then a refused head: each
    answer in order, the refusal last, and the connection closed after it."""
    chunked = b'7\r\n{"name"\r\n6;ext=1\r\n: "Ch"\r\n2\r\n}\n\r\n0\r\nTrailer: x\r\n\r\n'
    body = b'{"name": "Length"}'
    with connect(server) as s:
        s.sendall(
            b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body + b"GET /api/v1/"
            b"customers?limit=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /" + b"a" * 70 * 1024 + b" HTTP/1.1\r\n\r\n"
        )
        s.settimeout(10)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    answers = [a for a in data.split(b"HTTP/1.1 ")[1:]]
    statuses = [int(a[:3]) for a in answers]
    assert statuses == [201, 201, 200, 414], data
    names = [json.loads(a.partition(b"\r\n\r\n")[2])["name"] for a in answers[:2]]
    assert names == ["Ch", "Length"]
    assert json.loads(answers[3].partition(b"\r\n\r\n")[2])["error"]["code"] == "too_long"
    healthy(server)


@pytest.mark.parametrize(
    ("head", "status", "code"),
    [
        (b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400, "invalid_type"),
        (b"GET /api/v1/health HTTP/9.9\r\nHost: x\r\n\r\n", 400, "invalid_type"),
        (b"POST /api/v1/customers HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, "invalid_type"),
        (b"POST /api/v1/customers HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "invalid_type"),
        (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(101)) + b"\r\n", 431, "too_large"),
        (b"GET /api/v1/health HTTP/1.1\r\nX-Big: " + b"a" * 140000 + b"\r\n\r\n", 431, "too_large"),
    ],
    ids=["bad-header", "bad-version", "two-lengths", "not-chunked", "101-headers", "a-140-kb-header"],
)
def test_heads_hyper_would_refuse_bare_carry_the_envelope(server: Server, head: bytes, status: int, code: str) -> None:
    got, body = raw(server, head)
    assert got == status, (got, body)
    envelope(got, body, code)
    healthy(server)


def test_every_acknowledged_write_survives_a_kill_9(tmp_path: Path) -> None:
    db = str(tmp_path / "crash.db")
    acknowledged: list[str] = []
    stop = threading.Event()
    server = Server(db, "--no-auth", "--quiet").start()

    def write(n: int) -> None:
        with httpx.Client(base_url=server.url, timeout=5) as client:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = client.post("/customers", json={"name": f"w{n}-{i}"}, headers={"Idempotency-Key": f"{n}-{i}"})
                except httpx.HTTPError:
                    return  # the server is gone
                if 200 <= r.status_code < 300:
                    acknowledged.append(r.json()["id"])

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for w in writers:
        w.start()
    time.sleep(1.5)
    server.stop(signal.SIGKILL)
    stop.set()
    for w in writers:
        w.join(10)
    assert len(acknowledged) > 50, len(acknowledged)
    with Server(db, "--no-auth", "--quiet") as again, httpx.Client(base_url=again.url) as client:
        for cid in acknowledged:
            assert client.get(f"/customers/{cid}").status_code == 200, cid


def test_requests_beyond_the_bound_wait_for_a_slot(tmp_path: Path) -> None:
    with Server(str(tmp_path / "p.db"), "--no-auth", "--quiet", "--max-concurrent", "1") as server:
        with connect(server) as s:  # holds the one slot while its body trickles in
            body = b'{"name": "First"}'
            s.sendall(b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
            s.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body[:3])
            time.sleep(0.2)
            waited: list[float] = []
            started = time.monotonic()

            def second() -> None:
                r = httpx.post(f"{server.url}/customers", json={"name": "Second"}, timeout=10)
                assert r.status_code == 201
                waited.append(time.monotonic() - started)

            t = threading.Thread(target=second)
            t.start()
            time.sleep(1)
            assert not waited  # still waiting for the slot
            s.sendall(body[3:])
            assert answer(s)[0] == 201
            t.join(10)
            assert waited and waited[0] >= 1


def test_idle_connections_are_closed_after_the_header_timeout(server: Server) -> None:
    with connect(server) as fresh, connect(server) as used:
        used.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")  # keep-alive after it
        assert used.recv(65536).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        for s in (fresh, used):
            s.settimeout(10)
            assert s.recv(65536) == b""  # closed without an answer (a timeout here raises)
        assert 1.5 < time.monotonic() - started < 8
