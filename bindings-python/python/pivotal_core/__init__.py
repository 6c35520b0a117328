"""pivotal_core: the Pivotal customer-onboarding domain as an embeddable library.

Customers, contacts, onboardings, their phases and states and the history of every change, with
the same validation, defaults and behaviour as the hosted REST API, stored locally (SQLite)::

    import pivotal_core as pc

    with pc.open("pivotal.db", actor="sync-script") as db:
        acme = db.customers.create(name="Acme", domain="acme.com", idempotency_key="crm-42")
        onb = db.onboardings.create(customer_id=acme.display_id)
        onb = db.onboardings.update(onb.id, phase="program_design")
        for o in db.onboardings.list(phase=pc.Phase.LAUNCH):  # every page, lazily
            print(o.display_id, o.to_dict())  # to_dict() is the API's JSON

Every object serialises to exactly the JSON the API returns (``to_dict()``) and reads it back
(``from_dict()``); errors are ``PivotalError`` subclasses carrying the API's type and code.
"""

from __future__ import annotations

from pivotal_core import enums, exceptions
from pivotal_core._native import (
    Analytics,
    ApiKey,
    ApiKeys,
    ByPhase,
    ByState,
    Contact,
    Contacts,
    CreatedApiKey,
    Customer,
    Customers,
    Deleted,
    Event,
    Events,
    FixedClock,
    Health,
    Identity,
    ImportSummary,
    ItemError,
    KeyIdentity,
    LaunchDays,
    ListIterator,
    Onboarding,
    OnboardingMetrics,
    Onboardings,
    Page,
    PhaseTransition,
    Pivotal,
    Workspace,
    WorkspaceReport,
    Workspaces,
    __version__,
    open,
    open_in_memory,
)
from pivotal_core.enums import CustomerStatus, EventType, Phase, State
from pivotal_core.exceptions import (
    AuthenticationError,
    ConflictError,
    InternalError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    PivotalError,
    RateLimitError,
    StoreClosedError,
)
from pivotal_core.frames import to_pandas

__all__ = [
    "__version__",
    "open",
    "open_in_memory",
    "to_pandas",
    "Pivotal",
    "FixedClock",
    "Customers",
    "Contacts",
    "Onboardings",
    "Events",
    "Workspaces",
    "ApiKeys",
    "Analytics",
    "ListIterator",
    "Page",
    "Customer",
    "Contact",
    "Onboarding",
    "Event",
    "PhaseTransition",
    "Deleted",
    "Health",
    "Workspace",
    "ApiKey",
    "CreatedApiKey",
    "KeyIdentity",
    "Identity",
    "ImportSummary",
    "ItemError",
    "OnboardingMetrics",
    "WorkspaceReport",
    "ByPhase",
    "ByState",
    "LaunchDays",
    "CustomerStatus",
    "Phase",
    "State",
    "EventType",
    "PivotalError",
    "InvalidRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "InternalError",
    "StoreClosedError",
    "enums",
    "exceptions",
]
