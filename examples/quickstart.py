"""The Python quickstart: a customer with contacts and an onboarding walked through every phase, on a
SQLite file — the same walk as `pivotal demo` (cli/src/demo.rs).

    make dist-python   # the wheel, into dist/
    python3 -m venv v && v/bin/pip install dist/pivotal_core-*.whl && v/bin/python examples/quickstart.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pivotal_core as pc
from pivotal_core import Phase

DEMO_FILE = Path("pivotal-demo.db")


def show(label: str, value: Any) -> None:
    """Prints an object (or a list of them) as the API's JSON."""
    data = [v.to_dict() for v in value] if isinstance(value, list) else value.to_dict()
    print(f"── {label}\n{json.dumps(data, indent=2, ensure_ascii=False)}")


def move_to(db: pc.Pivotal, onboarding: str, phase: Phase, reason: str | None = None) -> pc.Onboarding:
    o = db.onboardings.update(onboarding, phase=phase, reason=reason)
    print(f"phase → {o.phase} (state {o.state})")
    return o


def main() -> None:
    # Start from an empty demo file so the walk reads the same every time.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DEMO_FILE}{suffix}").unlink(missing_ok=True)

    with pc.open(DEMO_FILE, actor="quickstart") as db:
        show(f"opened {DEMO_FILE}", db.health())

        acme = db.customers.create(name="Acme Café", domain="acme.example", mrr=120_000, idempotency_key="crm-42")
        again = db.customers.create(name="Acme Café", domain="acme.example", mrr=120_000, idempotency_key="crm-42")
        print(f"idempotent replay returned the same customer: {again == acme}")
        show("customer", acme)

        ada = db.contacts.create(acme.id, name="Ada Lovelace", email="Ada@Acme.example")
        grace = db.contacts.create(
            acme.display_id,  # a display id works wherever an id does
            name="Grace Hopper",
            email="grace@acme.example",
            is_primary=True,
            labels=["Champion", "champion"],
        )
        ada = db.contacts.retrieve(ada.id)
        print(f"primary contact: {grace.name} (Ada primary: {ada.is_primary}, Grace's labels: {grace.labels})")

        onboarding = db.onboardings.create(customer_id=acme.id, csm_id="user_csm_001", target_launch_date="2030-07-15")
        oid = onboarding.id
        move_to(db, oid, Phase.PROGRAM_DESIGN)

        try:
            db.onboardings.update(oid, phase=Phase.INTERNAL_QA)  # two steps ahead, without a reason
            print("skip unexpectedly allowed")
        except pc.InvalidRequestError as e:
            print(f"skip refused: {json.dumps(e.to_dict())}")
        move_to(db, oid, Phase.REVIEW)

        o = db.onboardings.update(oid, waiting_on_customer=True)
        print(f"waiting on the customer since {o.waiting_on_customer_since} (state {o.state})")
        o = db.onboardings.update(oid, waiting_on_customer=False)
        print(f"customer answered (state {o.state})")

        for phase in (Phase.PROGRAM_BUILDOUT, Phase.INTERNAL_QA, Phase.LAUNCH, Phase.COMPLETED):
            move_to(db, oid, phase)
        show("onboarding", db.onboardings.retrieve(oid))
        show("transitions", db.onboardings.transitions(oid))

        events = list(db.customers.timeline(acme.id, limit=5))  # every page, fetched as it goes
        for event in events:
            print(f"#{event.sequence:<3} {event.type:<28} {event.actor}")
        print(f"timeline: {len(events)} events, newest first")


if __name__ == "__main__":
    main()
