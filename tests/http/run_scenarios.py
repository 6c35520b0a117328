"""Runs the shared scenarios (tests/scenarios/*.json) over HTTP against a live ``pivotal serve``.

Each scenario gets its own server (``--db :memory: --no-auth --clock <the scenario's clock>
--actor scenario``) and talks to it with httpx, as any client of the REST API would: every
operation is its route under ``/api/v1``, errors are read from the error envelope (whose HTTP
status must be the one of its type), ``session.*`` steps become the ``Authorization`` header (a
key) or the keyless session's ``Pivotal-Workspace``/``Pivotal-Livemode``/``Pivotal-Actor``
headers, and ``clock.*`` steps move the server's test clock. A body over 1 MiB must get 413
``too_large`` and a request target over 64 KiB 414 (the HTTP limits), and the step must expect
an error. A step whose header would hold a control character (an idempotency key with a NUL)
cannot be sent at all: it is not run, and the scenario's line says so. The format and the matching are
those of the other runners (tests/python/scenario_matching.py).

Usage: ``python tests/http/run_scenarios.py [FILE_OR_DIR ...]`` (default: tests/scenarios).
Prints one line per scenario and ``N passed, N failed``; exits 1 when any fails or none ran.
"""

from __future__ import annotations

import http.client
import json
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import quote, urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenario_matching import (  # noqa: E402
    ACTOR,
    DEFAULT_CLOCK,
    STEP_KEYS,
    ScenarioError,
    check_step,
    js,
    scenario_files,
    substitute,
)

from server import Server  # noqa: E402

STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found": 404,
    "conflict": 409,
    "rate_limit_error": 429,
    "internal_error": 500,
}


BODY_LIMIT = 1 << 20
URI_LIMIT = 65534  # the longest request target the HTTP stack (hyper) parses; longer is 414


class OverLimit(Exception):
    """The request was over an HTTP limit (a body over 1 MiB, a URI over 64 KiB), and the server
    refused it as it must (413 ``too_large``, 414)."""


class Inexpressible(Exception):
    """A step HTTP cannot express (a header value with a control character, such as NUL)."""


class Failed(Exception):
    """The API answered an error; ``error`` is it as the scenario files describe it."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error)
        self.error = error


def error_of(e: dict[str, Any]) -> dict[str, Any]:
    """An envelope's error as the scenario files describe it (``field`` null when absent)."""
    return {"type": e.get("type"), "code": e.get("code"), "message": e.get("message"), "field": e.get("field")}


def ref(value: Any) -> str:
    """A reference for a path segment: percent-encoded, every character."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ScenarioError(f"a reference must be a string or an integer, not {js(value)}")
    return quote(str(value), safe="")


def query(params: Any) -> list[tuple[str, str]]:
    """List parameters as query pairs: ``null`` left out, arrays repeated, numbers as text."""
    if not isinstance(params, dict):
        raise ScenarioError("list `params` must be an object")
    pairs: list[tuple[str, str]] = []
    for k, v in params.items():
        for item in v if isinstance(v, list) else [v]:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise ScenarioError(f"`{k}`: {js(item)} is not a query value")
            pairs.append((k, item if isinstance(item, str) else json.dumps(item)))
    return pairs


class Runner:
    """One scenario run: the HTTP client, the session's headers and the saved results."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.headers: dict[str, str] = {}  # the session's
        self.saved: dict[str, Any] = {}
        self.inexpressible: list[str] = []

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Any = None,
        key: Optional[str] = None,
        headers: Optional[dict[str, str]] = None,
    ) -> Any:
        """One request; its JSON, or ``Failed`` with the envelope's error."""
        h = dict(self.headers if headers is None else headers)
        if key is not None:
            h["Idempotency-Key"] = key
        content = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        if content is not None:
            h["Content-Type"] = "application/json"
        # Header values go as UTF-8 bytes (HTTP carries them; httpx would encode text as ASCII),
        # except control characters, which no HTTP header value may hold (RFC 9110, 5.5).
        for k, v in h.items():
            if any(ord(ch) < 32 and ch != "\t" or ord(ch) == 127 for ch in v):
                raise Inexpressible(f"the {k} header would hold a control character")
        sent = {k: v.encode() for k, v in h.items()}
        pairs = query(params or {})
        target = self.client.base_url.raw_path + path.encode() + (b"?" + urlencode(pairs).encode() if pairs else b"")
        if len(target) > URI_LIMIT:
            self.too_long(method, target)
        r = self.client.request(method, path, content=content, params=pairs, headers=sent)
        if content is not None and len(content) > BODY_LIMIT:
            error = r.json().get("error", {})
            if r.status_code != 413 or error.get("code") != "too_large":
                raise ScenarioError(f"{method} {path}: a body over 1 MiB got {r.status_code} {r.text[:200]!r}")
            raise OverLimit()
        try:
            answer = r.json()
        except ValueError:
            raise ScenarioError(f"{method} {path}: {r.status_code}, not JSON: {r.text[:200]!r}") from None
        if r.status_code >= 400:
            if not isinstance(answer, dict) or not isinstance(answer.get("error"), dict):
                raise ScenarioError(f"{method} {path}: {r.status_code} without the error envelope: {js(answer)}")
            error = error_of(answer["error"])
            if STATUS.get(str(error["type"])) != r.status_code:
                raise ScenarioError(f"{method} {path}: HTTP {r.status_code} for an error of type {error['type']}")
            raise Failed(error)
        action = path.endswith("/revoke") or path.startswith("/test_helpers") or path == "/import"
        expected = 201 if method == "POST" and not action else 200  # a create answers 201
        if r.status_code != expected:
            raise ScenarioError(f"{method} {path}: HTTP {r.status_code}, expected {expected}")
        return answer

    def too_long(self, method: str, target: bytes) -> None:
        """A request target over 64 KiB (httpx will not send one): sent raw, it must get 414."""
        url = self.client.base_url
        conn = http.client.HTTPConnection(url.host, url.port, timeout=60)
        try:
            conn.putrequest(method, target.decode("ascii"), skip_accept_encoding=True)
            conn.endheaders()
            status = conn.getresponse().status
        finally:
            conn.close()
        if status != 414:
            raise ScenarioError(f"{method} of a {len(target)}-byte URI: HTTP {status}, expected 414")
        raise OverLimit()

    def step(self, step: dict[str, Any]) -> None:
        unknown = set(step) - STEP_KEYS
        if unknown:
            raise ScenarioError(f"unknown step key `{sorted(unknown)[0]}`")
        args = {k: substitute(v, self.saved) for k, v in step.items() if k not in ("expect", "error")}
        try:
            outcome, failed = self.run(args["op"], args), False
        except Failed as e:
            outcome, failed = e.error, True
        except Inexpressible as e:
            self.inexpressible.append(f"{args['op']}: {e}")
            return
        except OverLimit:
            # Over HTTP such a request is refused before the library sees it: the step must be
            # one the library refuses too (its error then cannot be compared).
            if "error" not in step:
                raise ScenarioError("the request is over an HTTP limit, but the step expects success") from None
            return
        except KeyError as e:
            raise ScenarioError(f"`{e.args[0]}` is missing") from None
        check_step(step, outcome, failed, self.saved)

    def walk(self, path: str, params: dict[str, Any]) -> list[Any]:
        """Every record of a list, following ``next_cursor``."""
        records: list[Any] = []
        cursor = None
        for _ in range(10_000):
            page = self.call("GET", path, params={**params, "cursor": cursor})
            records.extend(page["data"])
            if not page["has_more"]:
                return records
            cursor = page["next_cursor"]
        raise ScenarioError("the walk did not end after 10000 pages")

    def switch(self, headers: dict[str, str]) -> Any:
        """Later steps send ``headers`` if the server accepts them; the result is the identity."""
        identity = self.call("GET", "/me", headers=headers)
        self.headers = headers
        return identity

    def session_set(self, a: dict[str, Any]) -> None:
        headers = dict(self.headers)
        if a.get("livemode") is not None:
            headers["Pivotal-Livemode"] = "true" if a["livemode"] else "false"
        if a.get("actor") is not None:
            headers["Pivotal-Actor"] = a["actor"]
        self.call("GET", "/me", headers=headers)
        self.headers = headers

    def imported(self, params: dict[str, Any]) -> Any:
        options = {k: v for k, v in params.items() if k in ("on_error", "chunk_size")}
        summary = self.call("POST", "/import", body=params["items"], params=options)
        for e in summary["errors"]:  # the scenario files describe errors without their line
            e.pop("line", None)
            e["error"] = error_of(e["error"])
        return summary

    def run(self, op: str, a: dict[str, Any]) -> Any:
        body = a.get("params", {})
        key = a.get("idempotency_key")
        c = self.call
        ops: dict[str, Callable[[], Any]] = {
            "health": lambda: c("GET", "/health"),
            "me": lambda: c("GET", "/me"),
            "workspaces.create": lambda: c("POST", "/workspaces", body),
            "workspaces.list": lambda: c("GET", "/workspaces")["data"],
            "session.workspace": lambda: self.switch(
                {k: v for k, v in self.headers.items() if k != "Pivotal-Livemode"}
                | {"Pivotal-Workspace": str(a["ref"])}
            ),
            "session.authenticate": lambda: self.switch({"Authorization": f"Bearer {a['secret']}".rstrip()}),
            "api_keys.create": lambda: c("POST", "/api_keys", body),
            "api_keys.list": lambda: c("GET", "/api_keys")["data"],
            "api_keys.revoke": lambda: c("POST", f"/api_keys/{ref(a['ref'])}/revoke"),
            "analytics.onboarding": lambda: c("GET", f"/onboardings/{ref(a['ref'])}/analytics", params=body),
            "analytics.workspace": lambda: c("GET", "/analytics", params=body),
            "customers.create": lambda: c("POST", "/customers", body, key=key),
            "customers.retrieve": lambda: c("GET", f"/customers/{ref(a['ref'])}"),
            "customers.update": lambda: c("PATCH", f"/customers/{ref(a['ref'])}", body),
            "customers.delete": lambda: c("DELETE", f"/customers/{ref(a['ref'])}"),
            "customers.list": lambda: c("GET", "/customers", params=body),
            "customers.list_all": lambda: self.walk("/customers", body),
            "customers.timeline": lambda: c("GET", f"/customers/{ref(a['ref'])}/timeline", params=body),
            "contacts.create": lambda: c("POST", f"/customers/{ref(a['customer'])}/contacts", body, key=key),
            "contacts.retrieve": lambda: c("GET", f"/contacts/{ref(a['ref'])}"),
            "contacts.update": lambda: c("PATCH", f"/contacts/{ref(a['ref'])}", body),
            "contacts.delete": lambda: c("DELETE", f"/contacts/{ref(a['ref'])}"),
            "contacts.list": lambda: c("GET", f"/customers/{ref(a['customer'])}/contacts", params=body),
            "contacts.list_all": lambda: self.walk(f"/customers/{ref(a['customer'])}/contacts", body),
            "onboardings.create": lambda: c("POST", "/onboardings", body, key=key),
            "onboardings.retrieve": lambda: c("GET", f"/onboardings/{ref(a['ref'])}"),
            "onboardings.update": lambda: c("PATCH", f"/onboardings/{ref(a['ref'])}", body),
            "onboardings.delete": lambda: c("DELETE", f"/onboardings/{ref(a['ref'])}"),
            "onboardings.list": lambda: c("GET", "/onboardings", params=body),
            "onboardings.list_all": lambda: self.walk("/onboardings", body),
            "onboardings.list_for_customer": lambda: c("GET", f"/customers/{ref(a['customer'])}/onboardings"),
            "onboardings.transitions": lambda: c("GET", f"/onboardings/{ref(a['ref'])}/transitions")["data"],
            "events.list": lambda: c("GET", "/events", params=body),
            "import": lambda: self.imported(body),
            "clock.set": lambda: c("POST", "/test_helpers/clock", {"at": a["at"]}) and None,
            "clock.advance": lambda: c("POST", "/test_helpers/clock", {"ms": a["ms"]}) and None,
            "session.set": lambda: self.session_set(a),
        }
        if op not in ops:
            raise ScenarioError(f"unknown op `{op}`")
        return ops[op]()


def run_scenario(scenario: Any) -> list[str]:
    """Runs one scenario against a fresh server; the steps HTTP cannot express (not run)."""
    if not isinstance(scenario, dict):
        raise ScenarioError("a scenario must be a JSON object")
    unknown = set(scenario) - {"name", "spec", "clock", "steps"}
    if unknown:
        raise ScenarioError(f"unknown scenario key `{sorted(unknown)[0]}`")
    steps = scenario.get("steps")
    if not isinstance(scenario.get("name"), str) or not isinstance(steps, list):
        raise ScenarioError("`name` and `steps` are required")
    clock = scenario.get("clock", DEFAULT_CLOCK)
    with Server(":memory:", "--no-auth", "--quiet", "--clock", clock, "--actor", ACTOR) as server:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            runner = Runner(client)
            for i, step in enumerate(steps):
                op = step.get("op", "?") if isinstance(step, dict) else "?"
                try:
                    if not isinstance(step, dict):
                        raise ScenarioError("a step must be an object")
                    runner.step(step)
                except ScenarioError as e:
                    raise ScenarioError(f"steps[{i}] ({op}): {e}") from None
                except Exception as e:  # a failed request is a failure, reported with its trace
                    trace = traceback.format_exc(limit=3)
                    raise ScenarioError(f"steps[{i}] ({op}): {type(e).__name__}: {e}\n{trace}") from None
            return runner.inexpressible


def main(argv: list[str]) -> int:
    files = scenario_files(argv)
    passed = failed = 0
    for path in files:
        try:
            left_out = run_scenario(json.loads(path.read_text(encoding="utf-8")))
            passed += 1
            note = f" ({len(left_out)} steps not expressible over HTTP: {'; '.join(left_out)})" if left_out else ""
            print(f"ok   {path.name}{note}", flush=True)
        except (OSError, ValueError, ScenarioError, RuntimeError) as e:
            failed += 1
            print(f"FAIL {path.name}\n  {e}", flush=True)
    print(f"{passed} passed, {failed} failed")
    if not files:
        print("no scenario files found", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
