"""Writes 052-hostile-input.json next to this file: the hostile-input corpus that every runner
runs (its 1 MB strings and deep nesting are easier to read here than in the JSON).

Usage: python3 tests/scenarios/generate-052.py
"""

import base64
import hashlib
import json
from pathlib import Path

IRE = "invalid_request_error"


def err(code, field, type_=IRE):
    return {"type": type_, "code": code, "field": field}


def cursor(payload):
    check = hashlib.sha256(payload.encode()).digest()[:4].hex()
    return base64.urlsafe_b64encode(f"{payload}|{check}".encode()).decode().rstrip("=")


def nest_obj(d):  # an object nested d levels, itself included
    v = {"leaf": d}
    for _ in range(d - 1):
        v = {"a": v}
    return v


def nest_arr(d):  # an object holding arrays: d levels in all
    v = [d]
    for _ in range(d - 2):
        v = [v]
    return {"a": v}


steps = []
S = steps.append
health = {"op": "health", "expect": {"status": "ok"}}

# --- metadata nested at every depth 30–35 (and 39: the body at the reader's 40), objects and arrays
S({"op": "customers.create", "params": {"name": "Anchor"}, "save": "anchor"})
for d in [30, 31, 32, 33, 34, 35, 39]:
    for kind, nest in [("object", nest_obj), ("array", nest_arr)]:
        step = {"op": "customers.create", "params": {"name": f"Nest {kind} {d}", "metadata": nest(d)}}
        if d <= 32:
            step["save"] = f"n{kind}{d}"
            step["expect"] = {"metadata": nest(d)}
        else:
            step["error"] = err("invalid_type", "metadata")
        S(step)
for d in [32, 33]:
    step = {"op": "customers.update", "ref": "$anchor.id", "params": {"metadata": nest_obj(d)}}
    if d <= 32:
        step["expect"] = {"metadata": nest_obj(d)}
    else:
        step["error"] = err("invalid_type", "metadata")
    S(step)
S(
    {
        "op": "customers.create",
        "params": {"name": "Keyed deep", "metadata": nest_obj(32)},
        "idempotency_key": "deep-32",
        "save": "keyed",
    }
)
S(
    {
        "op": "customers.create",
        "params": {"name": "Keyed deep", "metadata": nest_obj(32)},
        "idempotency_key": "deep-32",
        "expect": "$keyed",
    }
)
S(
    {
        "op": "customers.create",
        "params": {"name": "Keyed deep", "metadata": nest_obj(33)},
        "idempotency_key": "deep-33",
        "error": err("invalid_type", "metadata"),
    }
)
S({"op": "customers.retrieve", "ref": "$nobject32.id", "expect": "$nobject32"})
S({"op": "customers.retrieve", "ref": "$anchor.id", "expect": {"metadata": nest_obj(32)}})
S({"op": "customers.timeline", "ref": "$anchor.id", "expect": {"data": {"$len": 2}}})
S({"op": "events.list", "params": {"limit": 100}, "expect": {"data": {"$len": 9, "$asc": ["sequence"]}}})
S({"op": "customers.list_all", "params": {"limit": 2}, "expect": {"$len": 8}})
S(dict(health))

# --- emails: control, NUL, bidi characters and emoji domains are refused; the store answers after
S(
    {
        "op": "contacts.create",
        "customer": "$anchor.id",
        "params": {"name": "Ok", "email": "o'brien+tag@example.com"},
        "save": "ok",
        "expect": {"email": "o'brien+tag@example.com"},
    }
)
for bad in [
    "a\u0000b@example.com",
    "ada@example.com\u0000",
    "ad\u0007a@example.com",
    "ada\t@example.com",
    "ada\u007f@example.com",
    "ada\u0085@example.com",
    "ada\u202e@example.com",
    "ada@exa\u202emple.com",
    "ada@\u200fexample.com",
    "\u2066ada@example.com",
    "ada@\u200bexample.com",
    "ada@😀.com",
    "ada@example.😀",
    "ada@xn--ls8h.😀",
    "ada@@example.com",
    "ada@",
    "@example.com",
    "ada",
]:
    S(
        {
            "op": "contacts.create",
            "customer": "$anchor.id",
            "params": {"name": "Bad", "email": bad},
            "error": err("invalid_email", "email"),
        }
    )
S(
    {
        "op": "contacts.create",
        "customer": "$anchor.id",
        "params": {"name": "Bad", "email": ""},
        "error": err("missing_field", "email"),
    }
)
S(
    {
        "op": "contacts.create",
        "customer": "$anchor.id",
        "params": {"name": "Trimmed", "email": " ada@example.com\n"},
        "expect": {"email": "ada@example.com"},
    }
)
S(
    {
        "op": "contacts.update",
        "ref": "$ok.id",
        "params": {"email": "ok\u0000@example.com"},
        "error": err("invalid_email", "email"),
    }
)
S(
    {
        "op": "contacts.update",
        "ref": "$ok.id",
        "params": {"email": "ok@ex\u202eample.com"},
        "error": err("invalid_email", "email"),
    }
)
S({"op": "contacts.retrieve", "ref": "$ok.id", "expect": "$ok"})
S({"op": "contacts.list", "customer": "$anchor.id", "expect": {"data": {"$len": 2}}})

# --- cursors: only a cursor's exact text is one
S({"op": "customers.list", "params": {"limit": 1}, "save": "p1", "expect": {"has_more": True}})
S({"op": "customers.list", "params": {"limit": 1, "cursor": "$p1.next_cursor"}, "expect": {"data": {"$len": 1}}})
list_cursor = cursor("1704067200000:cus_zzzzzzzzzzzzzzzzzzzz")
seq_cursor = cursor("seq:2")
S({"op": "customers.list", "params": {"cursor": list_cursor}, "expect": {"object": "list"}})
S({"op": "onboardings.list", "params": {"cursor": list_cursor}, "expect": {"data": []}})
S({"op": "contacts.list", "customer": "$anchor.id", "params": {"cursor": list_cursor}, "expect": {"object": "list"}})
S({"op": "customers.timeline", "ref": "$anchor.id", "params": {"cursor": seq_cursor}, "expect": {"object": "list"}})
for extra in ["A", "x", "=", "0", "_", "-", " ", "\u0000", "😀"]:
    S({"op": "customers.list", "params": {"cursor": list_cursor + extra}, "error": err("invalid_cursor", "cursor")})
S({"op": "onboardings.list", "params": {"cursor": list_cursor + "A"}, "error": err("invalid_cursor", "cursor")})
S(
    {
        "op": "contacts.list",
        "customer": "$anchor.id",
        "params": {"cursor": list_cursor + "A"},
        "error": err("invalid_cursor", "cursor"),
    }
)
S(
    {
        "op": "customers.timeline",
        "ref": "$anchor.id",
        "params": {"cursor": seq_cursor + "A"},
        "error": err("invalid_cursor", "cursor"),
    }
)
S(
    {
        "op": "customers.timeline",
        "ref": "$anchor.id",
        "params": {"cursor": list_cursor},
        "error": err("invalid_cursor", "cursor"),
    }
)
S({"op": "customers.list", "params": {"cursor": seq_cursor}, "error": err("invalid_cursor", "cursor")})
S({"op": "customers.list", "params": {"cursor": list_cursor[:-1]}, "error": err("invalid_cursor", "cursor")})
S({"op": "customers.list", "params": {"cursor": "2024-01-01T00:00:00.000Z"}, "expect": {"object": "list"}})
S({"op": "customers.list", "params": {"cursor": "2024-01-01T00:00:00.000Zx"}, "error": err("invalid_cursor", "cursor")})
S({"op": "customers.list", "params": {"cursor": ""}, "error": err("invalid_cursor", "cursor")})
S(dict(health))

# --- huge strings (1 MB) get too_long, never a crash
mb = "x" * (1 << 20)
big = "é" * (1 << 15)  # 64 KiB of UTF-8
S({"op": "customers.create", "params": {"name": mb}, "error": err("too_long", "name")})
S({"op": "customers.create", "params": {"name": big}, "error": err("too_long", "name")})
S({"op": "customers.update", "ref": "$anchor.id", "params": {"name": big}, "error": err("too_long", "name")})
S(
    {
        "op": "contacts.create",
        "customer": "$anchor.id",
        "params": {"name": big, "email": "big@example.com"},
        "error": err("too_long", "name"),
    }
)
S(
    {
        "op": "customers.create",
        "params": {"name": "Big key"},
        "idempotency_key": big,
        "error": err("invalid_idempotency_key", "idempotency_key"),
    }
)
S({"op": "customers.retrieve", "ref": big, "error": {"type": "not_found", "code": "customer_not_found", "field": None}})
S({"op": "customers.list", "params": {"cursor": big}, "error": err("invalid_cursor", "cursor")})

# --- idempotency keys: 1–255 bytes (bytes, not characters)
S(
    {
        "op": "customers.create",
        "params": {"name": "Key 0"},
        "idempotency_key": "",
        "error": err("invalid_idempotency_key", "idempotency_key"),
    }
)
for label, key, ok in [
    ("255", "k" * 255, True),
    ("256", "k" * 256, False),
    ("255 bytes in 128 characters", "é" * 127 + "a", True),
    ("256 bytes in 128 characters", "é" * 128, False),
    ("odd", "a\u0000b \u202e 😀 '; --", True),
]:
    step = {"op": "customers.create", "params": {"name": f"Key {label}"}, "idempotency_key": key}
    if ok:
        step["save"] = f"key{len(steps)}"
        S(step)
        S(
            {
                "op": "customers.create",
                "params": {"name": f"Key {label}"},
                "idempotency_key": key,
                "expect": f"${step['save']}",
            }
        )
    else:
        step["error"] = err("invalid_idempotency_key", "idempotency_key")
        S(step)

# --- references with odd characters: not found, never an internal error
for ref in [
    "",
    " ",
    " 1",
    "1 ",
    "+1",
    "-1",
    "0",
    "1.0",
    "1e0",
    "0x1",
    "１",
    "\u202e1",
    "1\u0000",
    "cus_\u0000",
    "cus_😀",
    "😀",
    "' OR 1=1 --",
    "%",
    "_",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999",
    "cus_zzzzzzzzzzzzzzzzzzzz",
]:
    S(
        {
            "op": "customers.retrieve",
            "ref": ref,
            "error": {"type": "not_found", "code": "customer_not_found", "field": None},
        }
    )
S(
    {
        "op": "customers.update",
        "ref": "cus_\u0000",
        "params": {"name": "X"},
        "error": {"type": "not_found", "code": "customer_not_found", "field": None},
    }
)
S(
    {
        "op": "customers.delete",
        "ref": "\u202e1",
        "error": {"type": "not_found", "code": "customer_not_found", "field": None},
    }
)
S(
    {
        "op": "contacts.create",
        "customer": "1\u0000",
        "params": {"name": "X", "email": "x@example.com"},
        "error": {"type": "not_found", "code": "customer_not_found"},
    }
)
S(
    {
        "op": "contacts.retrieve",
        "ref": "con_😀",
        "error": {"type": "not_found", "code": "contact_not_found", "field": None},
    }
)
S(
    {
        "op": "onboardings.create",
        "params": {"customer_id": "cus_\u0000"},
        "error": {"type": "not_found", "code": "customer_not_found", "field": "customer_id"},
    }
)
S(
    {
        "op": "onboardings.retrieve",
        "ref": "9223372036854775808",
        "error": {"type": "not_found", "code": "onboarding_not_found", "field": None},
    }
)
S({"op": "customers.retrieve", "ref": "$anchor.display_id", "expect": {"id": "$anchor.id"}})
S(dict(health))

# --- limits at their boundaries
for limit, ok in [
    (1, True),
    (100, True),
    (0, False),
    (101, False),
    (-1, False),
    (9223372036854775807, False),
    (-9223372036854775808, False),
]:
    for op in ["customers.list", "onboardings.list", "events.list"]:
        step = {"op": op, "params": {"limit": limit}}
        if ok:
            step["expect"] = {"object": "list"}
        else:
            step["error"] = err("invalid_limit", "limit")
        S(step)
S({"op": "events.list", "params": {"after_sequence": 9223372036854775807}, "expect": {"data": []}})
S({"op": "events.list", "params": {"after_sequence": -9223372036854775808}, "expect": {"object": "list"}})
S({"op": "customers.create", "params": {"name": "n" * 200}, "expect": {"name": "n" * 200}})
S({"op": "customers.create", "params": {"name": "😀" * 200}, "expect": {"name": "😀" * 200}})
S({"op": "customers.create", "params": {"name": "n" * 201}, "error": err("too_long", "name")})
S(
    {
        "op": "contacts.create",
        "customer": "$anchor.id",
        "params": {"name": "L", "email": "l@example.com", "labels": [f"l{i}" for i in range(21)]},
        "error": err("too_large", "labels"),
    }
)
S(
    {
        "op": "customers.create",
        "params": {"name": "M50", "metadata": {f"k{i}": i for i in range(50)}},
        "expect": {"name": "M50"},
    }
)
S(
    {
        "op": "customers.create",
        "params": {"name": "M51", "metadata": {f"k{i}": i for i in range(51)}},
        "error": err("too_large", "metadata"),
    }
)
S(
    {
        "op": "onboardings.create",
        "params": {"customer_id": "$anchor.id", "reminder_frequency_days": 90},
        "save": "onb",
        "expect": {"reminder_frequency_days": 90},
    }
)
S(
    {
        "op": "onboardings.update",
        "ref": "$onb.id",
        "params": {"reminder_frequency_days": 91},
        "error": err("too_large", "reminder_frequency_days"),
    }
)
S(
    {
        "op": "onboardings.update",
        "ref": "$onb.id",
        "params": {"reminder_frequency_days": -1},
        "error": err("too_small", "reminder_frequency_days"),
    }
)
S(
    {
        "op": "onboardings.update",
        "ref": "$onb.id",
        "params": {"reminder_frequency_days": 0},
        "error": err("too_small", "reminder_frequency_days"),
    }
)
S(
    {
        "op": "onboardings.update",
        "ref": "$onb.id",
        "params": {"reminder_frequency_days": 1},
        "expect": {"reminder_frequency_days": 1},
    }
)

# --- timestamps at the ends of the years 1–9999, and beyond
for at, ok in [
    ("9999-12-31T23:59:59.999Z", True),
    ("0001-01-01T00:00:00.000Z", True),
    ("0001-01-01T00:00:00+14:00", False),
    ("9999-12-31T23:59:59.999-00:01", False),
    ("+10000-01-01T00:00:00Z", False),
    ("10000-01-01", False),
    ("0000-12-31T23:59:59.999Z", False),
]:
    step = {"op": "onboardings.update", "ref": "$onb.id", "params": {"target_launch_date": at}}
    if ok:
        step["expect"] = {"target_launch_date": at}
    else:
        step["error"] = err("invalid_timestamp", "target_launch_date")
    S(step)
S({"op": "customers.list", "params": {"cursor": "9999-12-31T23:59:59.999Z"}, "expect": {"object": "list"}})
S({"op": "customers.list", "params": {"cursor": "0001-01-01T00:00:00.000Z"}, "expect": {"data": []}})
S({"op": "clock.set", "at": "9999-12-31T23:59:59.999Z"})
S(
    {
        "op": "customers.create",
        "params": {"name": "Last instant"},
        "save": "last",
        "expect": {"created_at": "9999-12-31T23:59:59.999Z"},
    }
)
S({"op": "clock.advance", "ms": 1, "error": err("invalid_timestamp", "ms")})
S({"op": "clock.advance", "ms": 9223372036854775807, "error": err("invalid_timestamp", "ms")})
S(
    {
        "op": "customers.update",
        "ref": "$last.id",
        "params": {"plan": "still"},
        "expect": {"updated_at": "9999-12-31T23:59:59.999Z"},
    }
)
S({"op": "customers.list", "params": {"limit": 1}, "expect": {"data": [{"id": "$last.id"}]}})
S({"op": "clock.set", "at": "0001-01-01T00:00:00.000Z"})
S(
    {
        "op": "customers.create",
        "params": {"name": "First instant"},
        "save": "first",
        "expect": {"created_at": "0001-01-01T00:00:00.000Z"},
    }
)
S({"op": "clock.advance", "ms": -1, "error": err("invalid_timestamp", "ms")})
S({"op": "clock.advance", "ms": -9223372036854775808, "error": err("invalid_timestamp", "ms")})
S({"op": "customers.retrieve", "ref": "$first.id", "expect": "$first"})
S({"op": "customers.retrieve", "ref": "$last.id", "expect": {"created_at": "9999-12-31T23:59:59.999Z"}})
S(dict(health))
S({"op": "customers.list_all", "params": {"limit": 100}, "expect": {"$desc": ["created_at", "id"]}})
S({"op": "events.list", "params": {"limit": 100}, "expect": {"data": {"$asc": ["sequence"]}}})

scenario = {
    "name": "hostile input through every binding: metadata nested 30–39 deep, emails with control, bidi and emoji, "
    "altered cursors, 1 MB strings, idempotency keys of 0/255/256 bytes, odd references, limits and "
    "timestamps at their boundaries; each a typed error, and the store still answers",
    "spec": ["2", "3", "4.4", "4.5", "6"],
    "steps": steps,
}
out = Path(__file__).with_name("052-hostile-input.json")
head = json.dumps({k: v for k, v in scenario.items() if k != "steps"}, ensure_ascii=False)[:-1]
lines = ",\n".join("    " + json.dumps(s, ensure_ascii=False) for s in steps)
out.write_text(head + ',\n  "steps": [\n' + lines + "\n  ]\n}\n", encoding="utf-8")
