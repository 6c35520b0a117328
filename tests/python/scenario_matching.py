"""The shared scenarios' format (tests/scenarios/README.md) for every Python runner: references to
earlier results and the matching of results against ``expect``, the rules of the Rust runner
(tests/rust/src/matching.rs). Used by the Python API's runner (run_scenarios.py) and the HTTP
runner (tests/http/run_scenarios.py); it imports nothing but the standard library.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = ROOT / "tests" / "scenarios"
DEFAULT_CLOCK = "2024-01-01T00:00:00.000Z"
ACTOR = "scenario"
STEP_KEYS = {
    "op", "ref", "customer", "params", "idempotency_key", "save", "expect", "error", "at", "ms", "livemode", "actor",
    "secret",
}  # fmt: skip
MISSING = object()


class ScenarioError(Exception):
    """A step did not do what the scenario says."""


# --- references and matching -------------------------------------------------------------------


def lookup(path: str, saved: dict[str, Any]) -> Any:
    """The value at ``name.key.0.key`` in the saved results."""
    name, *parts = path.split(".")
    if name not in saved:
        raise ScenarioError(f"`${path}`: no result saved as `{name}`")
    value = saved[name]
    for part in parts:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise ScenarioError(f"`${path}`: nothing at `{part}`")
    return value


def substitute(value: Any, saved: dict[str, Any]) -> Any:
    """``value`` with every ``$name.path`` string replaced by what it names, ``$$…`` by ``$…``."""
    if isinstance(value, str) and value.startswith("$"):
        return value[1:] if value.startswith("$$") else lookup(value[1:], saved)
    if isinstance(value, list):
        return [substitute(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, saved) for k, v in value.items()}
    return value


def same(a: Any, b: Any) -> bool:
    """Deep JSON equality, numbers by value (a bool is not a number)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and same(v, b[k]) for k, v in a.items())
    return type(a) is type(b) and a == b


def js(value: Any) -> str:
    return "no value" if value is MISSING else json.dumps(value, ensure_ascii=False)


def differ(path: str, expected: str, actual: Any) -> ScenarioError:
    return ScenarioError(f"at {path}: expected {expected}, got {js(actual)}")


def match(expected: Any, actual: Any, saved: dict[str, Any], path: str = "$") -> None:
    """Checks ``actual`` against the pattern ``expected``; raises naming the first difference."""
    if isinstance(expected, str):
        if expected == "$any":
            return
        if expected == "$absent":
            raise differ(path, "no value", actual)
        wanted = substitute(expected, saved)
        if not same(wanted, actual):
            raise differ(path, js(wanted), actual)
    elif isinstance(expected, dict) and any(k.startswith("$") for k in expected):
        matcher(expected, actual, saved, path)
    elif isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise differ(path, "an object", actual)
        match_object(expected, actual, saved, path, exact=False)
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            raise differ(path, "an array", actual)
        if len(expected) != len(actual):
            raise ScenarioError(f"at {path}: expected {len(expected)} elements, got {len(actual)}")
        for i, (e, a) in enumerate(zip(expected, actual)):
            match(e, a, saved, f"{path}.{i}")
    elif not same(expected, actual):
        raise differ(path, js(expected), actual)


def match_object(
    expected: dict[str, Any], actual: dict[str, Any], saved: dict[str, Any], path: str, exact: bool
) -> None:
    for key, want in expected.items():
        here = f"{path}.{key}"
        if want == "$absent":
            if key in actual:
                raise differ(here, "no value", actual[key])
        elif key not in actual:
            raise ScenarioError(f"at {here}: missing")
        else:
            match(want, actual[key], saved, here)
    if exact:
        for key in actual:
            if key not in expected:
                raise ScenarioError(f"at {path}.{key}: not expected (`$exact`)")


def order_key(item: Any, keys: list[str]) -> tuple[Any, ...]:
    values = []
    for key in keys:
        v = item.get(key) if isinstance(item, dict) else None
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise ScenarioError(f"cannot order by `{key}`: {js(v)}")
        values.append(v)
    return tuple(values)


def matcher(spec: dict[str, Any], actual: Any, saved: dict[str, Any], path: str) -> None:
    """``{"$len": n}``, ``{"$exact": {…}}``, ``{"$id": prefix}``, ``{"$asc"|"$desc": [keys]}``; all must hold."""
    for name, arg in spec.items():
        if name == "$exact" and isinstance(arg, dict):
            if not isinstance(actual, dict):
                raise differ(path, "an object", actual)
            match_object(arg, actual, saved, path, exact=True)
        elif name == "$id" and isinstance(arg, str):
            body = actual[len(arg) :] if isinstance(actual, str) and actual.startswith(arg) else None
            if body is None or len(body) < 16 or not all(c.isdigit() or "a" <= c <= "z" for c in body):
                raise differ(path, f"an id `{arg}` + 16 or more of [a-z0-9]", actual)
        elif name == "$len":
            if not isinstance(actual, list) or isinstance(arg, bool) or len(actual) != arg:
                raise differ(path, f"an array of length {arg}", actual)
        elif name in ("$asc", "$desc") and isinstance(arg, list):
            if not isinstance(actual, list):
                raise differ(path, "an array", actual)
            for i in range(1, len(actual)):
                a, b = order_key(actual[i - 1], arg), order_key(actual[i], arg)
                if not (a < b if name == "$asc" else a > b):
                    raise ScenarioError(f"at {path}.{i}: not strictly {name} by {arg} after the element before")
        else:
            raise ScenarioError(f"at {path}: unknown matcher `{name}: {js(arg)}`")


def check_step(step: dict[str, Any], outcome: Any, failed: bool, saved: dict[str, Any]) -> None:
    """Checks a step's outcome (its JSON, or the error's when ``failed``) against its ``expect`` or
    ``error``, then saves it under the step's ``save`` name."""
    want = step.get("error") if failed else step.get("expect")
    if failed and "error" not in step:
        raise ScenarioError(f"unexpected error: {js(outcome)}")
    if not failed and "error" in step:
        raise ScenarioError(f"expected error {js(step['error'])}, got success: {js(outcome)}")
    if want is not None:
        try:
            match(want, outcome, saved)
        except ScenarioError as e:
            raise ScenarioError(f"{e}\n    expected: {js(want)}\n    actual:   {js(outcome)}") from None
    if isinstance(step.get("save"), str):
        saved[step["save"]] = outcome


def scenario_files(args: list[str]) -> list[Path]:
    """The scenario files of the arguments (files, or directories of ``*.json``), default all."""
    roots = [Path(a) for a in args] or [DEFAULT_DIR]
    files: list[Path] = []
    for root in roots:
        files.extend(sorted(root.glob("*.json")) if root.is_dir() else [root])
    return files
