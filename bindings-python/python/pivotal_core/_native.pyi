"""Type stubs of the native module ``pivotal_core._native`` (import ``pivotal_core`` instead)."""

import builtins
import datetime
import os
import pathlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, Literal, Protocol, TypeAlias, TypeVar, final, overload

from typing_extensions import Self

from pivotal_core.enums import CustomerStatus, EventType, Phase, State
from pivotal_core.exceptions import PivotalError

_T = TypeVar("_T")

#: A reference to a record: its id (``str``) or display id (``int``; a ``str`` of digits is one too).
_Ref = int | str
#: An instant: an aware ``datetime`` (any timezone, converted to UTC) or an RFC 3339 string.
_Instant = datetime.datetime | str
#: A date or instant: also a ``date`` or a ``YYYY-MM-DD`` string (midnight UTC).
_DateOrInstant = datetime.datetime | datetime.date | str
#: A file path.
_Path = str | bytes | os.PathLike[str] | os.PathLike[bytes]
#: What ``import_records()`` reads: a file, a page, or items (API JSON ``dict``s, records, pages).
_ImportSource: TypeAlias = _Path | Page[Any] | Iterable[Mapping[str, Any] | Customer | Contact | Onboarding | Page[Any]]
_ExportKind = Literal["customers", "contacts", "onboardings", "events"]
_ExportFormat = Literal["ndjson", "json", "csv"]

class _BinaryWriter(Protocol):
    def write(self, data: bytes, /) -> int | None: ...

__all__ = [
    "__version__",
    "Analytics",
    "ByPhase",
    "ByState",
    "LaunchDays",
    "OnboardingMetrics",
    "WorkspaceReport",
    "ApiKey",
    "ApiKeys",
    "CreatedApiKey",
    "Identity",
    "ImportSummary",
    "ItemError",
    "KeyIdentity",
    "Workspace",
    "Workspaces",
    "Contact",
    "Contacts",
    "Customer",
    "Customers",
    "Deleted",
    "Event",
    "Events",
    "FixedClock",
    "Health",
    "ListIterator",
    "Onboarding",
    "Onboardings",
    "Page",
    "PhaseTransition",
    "Pivotal",
    "open",
    "open_in_memory",
    "_exceptions_by_code",
    "_record_stubs",
    "cli_main",
]

__version__: str

def open(
    path: str | bytes | os.PathLike[str] | os.PathLike[bytes],
    *,
    actor: str = "local",
    livemode: bool = True,
    clock: FixedClock | None = None,
    id_seed: int | None = None,
    durability: Literal["normal", "full"] = "normal",
    mmap_size: int | None = None,
) -> Pivotal:
    """Opens (creating or migrating as needed) the SQLite file at ``path``, or the PostgreSQL
    database of a ``postgresql://user@host/db`` URL (the password from the URL or ``PGPASSWORD``;
    ``durability`` and ``mmap_size`` apply to SQLite only).

    ``actor`` is recorded on every change; ``livemode=False`` works in test mode; ``clock`` fixes
    "now"; ``id_seed`` makes new ids reproducible; ``durability="full"`` also survives a power loss;
    ``mmap_size`` is how many bytes of the file reads may memory-map (faster reads of a file larger
    than the page cache; the mapped pages count as resident memory; default 0, none).
    """

def open_in_memory(
    *,
    actor: str = "local",
    livemode: bool = True,
    clock: FixedClock | None = None,
    id_seed: int | None = None,
) -> Pivotal:
    """Opens a fresh, empty store in memory (gone when closed). Same options as ``open()``."""

def _exceptions_by_code() -> list[tuple[str, PivotalError]]:
    """For the test suite: every error code of the core with the exception it maps to."""

def _record_stubs() -> str:
    """For the test suite: the record classes' part of this stub, generated from their declarations."""

def cli_main(argv: list[str]) -> int:
    """Runs the ``pivotal`` command line ``argv`` (program name first, as ``sys.argv``); returns the exit code.

    It prints on the process's stdout and stderr and releases the GIL while it runs. The ``pivotal``
    console script (``pivotal_core._cli``) calls it.
    """

@final
class FixedClock:
    """A clock that stands still until told to move, for tests and reproducible runs."""

    def __new__(cls, start: _Instant | None = None) -> Self:
        """A clock fixed at ``start``; now (UTC) when omitted."""
    def now(self) -> datetime.datetime:
        """The clock's current instant (aware, UTC, millisecond precision)."""
    def set(self, at: _Instant) -> None:
        """Moves the clock to ``at``; backwards is allowed."""
    def advance(self, delta: datetime.timedelta | None = None, *, ms: int | None = None) -> None:
        """Moves the clock by ``delta`` plus ``ms`` milliseconds."""

@final
class Pivotal:
    """An open store with a session (workspace, mode, actor): the entry point of the library.

    A context manager; any call after ``close()`` raises ``StoreClosedError``. Safe to use from
    several threads at once (the GIL is released while the store works).
    """

    @property
    def customers(self) -> Customers:
        """Customer operations."""
    @property
    def contacts(self) -> Contacts:
        """Contact operations."""
    @property
    def onboardings(self) -> Onboardings:
        """Onboarding operations."""
    @property
    def events(self) -> Events:
        """The change log."""
    @property
    def workspaces(self) -> Workspaces:
        """The workspaces of the store."""
    @property
    def api_keys(self) -> ApiKeys:
        """The API keys of this session's workspace and mode."""
    @property
    def analytics(self) -> Analytics:
        """Analytics of this session's workspace and mode."""
    @property
    def workspace(self) -> Workspace:
        """The workspace this session works in."""
    @property
    def actor(self) -> str:
        """The actor name recorded on every change made through this handle."""
    @property
    def livemode(self) -> bool:
        """Live (``True``) or test (``False``) mode."""
    @property
    def path(self) -> pathlib.Path | None:
        """The SQLite file, or ``None`` for an in-memory store."""
    @property
    def closed(self) -> bool:
        """Whether the store was closed (through any of its handles)."""
    def with_actor(self, actor: str) -> Pivotal:
        """A handle on the same store acting as another actor."""
    def with_livemode(self, livemode: bool) -> Pivotal:
        """A handle on the same store and workspace in live or test mode."""
    def with_workspace(self, ref: str) -> Pivotal:
        """A handle on the same store in another workspace (id or slug), live, without a key."""
    def authenticate(self, secret: str) -> Pivotal:
        """A handle for an API key's session (its workspace, mode, and name as actor)."""
    def me(self) -> Identity:
        """Who this session is: its API key (``None`` for a local session) and workspace."""
    def now(self) -> datetime.datetime:
        """The store's current instant, by its clock."""
    def health(self) -> Health:
        """Checks that the store answers."""
    def import_records(
        self,
        source: _ImportSource,
        *,
        on_error: Literal["stop", "skip"] = "stop",
        chunk_size: int = 1000,
    ) -> ImportSummary:
        """Imports the API's own JSON, keeping ids, display ids and timestamps.

        ``source`` is a path to a JSON or NDJSON file (streamed), a ``Page``, or an iterable of
        ``dict``s, ``Customer``, ``Contact`` and ``Onboarding`` objects or pages. Importing the same
        data again changes nothing; a newer ``updated_at`` replaces a record. ``on_error="stop"``
        raises the first bad item's error (its chunk rolled back); ``"skip"`` lists bad items in
        the summary. ``chunk_size`` items are written per transaction.
        """
    @overload
    def export(
        self, kind: _ExportKind, path_or_file: None = None, *, format: _ExportFormat = "ndjson", **filters: Any
    ) -> bytes:
        """Every record of a list as NDJSON, a list envelope or CSV, returned as ``bytes``."""
    @overload
    def export(
        self,
        kind: _ExportKind,
        path_or_file: _Path | _BinaryWriter,
        *,
        format: _ExportFormat = "ndjson",
        **filters: Any,
    ) -> int:
        """Every record of a list written to a path or a binary file; returns how many."""
    def close(self) -> None:
        """Closes the store, for every handle on it. Idempotent."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *_exc: object) -> bool: ...

@final
class Workspaces:
    """The workspaces of the store: ``db.workspaces``."""

    def create(self, name: str, *, slug: str | None = None) -> Workspace:
        """Creates a workspace; the slug is derived from the name when omitted."""
    def retrieve(self, ref: str) -> Workspace:
        """The workspace with this id or slug."""
    def list(self) -> builtins.list[Workspace]:
        """Every workspace of the store, oldest first."""

@final
class ApiKeys:
    """The API keys of the session's workspace and mode: ``db.api_keys``."""

    def create(self, name: str) -> CreatedApiKey:
        """Creates a key in the session's mode; the secret is returned this once only."""
    def list(self) -> builtins.list[ApiKey]:
        """The session's keys, revoked ones included, oldest first."""
    def revoke(self, id: str) -> ApiKey:
        """Revokes a key: it authenticates nothing from now on."""

@final
class Analytics:
    """Analytics of the session's workspace and mode: ``db.analytics``."""

    def onboarding(self, ref: _Ref, *, as_of: _Instant | None = None) -> OnboardingMetrics:
        """The metrics of one onboarding as of ``as_of`` (default: now)."""
    def workspace(
        self,
        *,
        as_of: _Instant | None = None,
        customer_id: _Ref | None = None,
        csm_id: str | None = None,
        template_id: str | None = None,
        stalled_after_days: float | None = None,
    ) -> WorkspaceReport:
        """The report over the workspace's onboardings as of ``as_of`` (default: now)."""

@final
class Customers:
    """Customer operations: ``db.customers``."""

    @overload
    def create(
        self,
        /,
        *,
        idempotency_key: str | None = None,
        name: str,
        slug: str | None = ...,
        domain: str | None = ...,
        status: CustomerStatus | str | None = ...,
        plan: str | None = ...,
        mrr: int | None = ...,
        monthly_orders: int | None = ...,
        hubspot_company_id: str | None = ...,
        hubspot_deal_id: str | None = ...,
        stripe_customer_id: str | None = ...,
        intercom_company_id: str | None = ...,
        slack_channel_id: str | None = ...,
        metadata: Mapping[str, Any] | None = ...,
    ) -> Customer: ...
    @overload
    def create(
        self, params: Mapping[str, Any] | None, /, *, idempotency_key: str | None = None, **fields: Any
    ) -> Customer: ...
    def create_many(self, items: Iterable[Mapping[str, Any]]) -> builtins.list[Customer]:
        """Creates every customer of ``items`` (bodies as ``create`` takes) in one transaction, all or nothing."""
    def retrieve(self, ref: _Ref) -> Customer:
        """The customer with this id or display id."""
    def update(
        self,
        ref: _Ref,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        name: str = ...,
        slug: str = ...,
        domain: str | None = ...,
        status: CustomerStatus | str = ...,
        plan: str | None = ...,
        mrr: int | None = ...,
        monthly_orders: int | None = ...,
        hubspot_company_id: str | None = ...,
        hubspot_deal_id: str | None = ...,
        stripe_customer_id: str | None = ...,
        intercom_company_id: str | None = ...,
        slack_channel_id: str | None = ...,
        metadata: Mapping[str, Any] = ...,
    ) -> Customer:
        """Updates the named fields: omitted = unchanged, ``None`` = cleared."""
    def delete(self, ref: _Ref) -> Deleted:
        """Deletes a customer; its contacts and onboardings disappear with it."""
    def list(
        self,
        *,
        status: CustomerStatus | str | None = None,
        slug: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ListIterator[Customer]:
        """Every customer (newest first), fetched ``limit`` per page as you iterate."""
    def list_page(
        self,
        *,
        status: CustomerStatus | str | None = None,
        slug: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[Customer]:
        """One page of customers (newest first)."""
    def timeline(self, ref: _Ref, *, limit: int | None = None, cursor: str | None = None) -> ListIterator[Event]:
        """Every event of the customer and its contacts and onboardings (newest first)."""
    def timeline_page(self, ref: _Ref, *, limit: int | None = None, cursor: str | None = None) -> Page[Event]:
        """One page of the customer's timeline (newest first)."""

@final
class Contacts:
    """Contact operations: ``db.contacts``."""

    @overload
    def create(
        self,
        customer: _Ref,
        /,
        *,
        idempotency_key: str | None = None,
        name: str,
        email: str,
        title: str | None = ...,
        phone: str | None = ...,
        is_primary: bool | None = ...,
        labels: builtins.list[str] | tuple[str, ...] | None = ...,
    ) -> Contact: ...
    @overload
    def create(
        self, customer: _Ref, params: Mapping[str, Any] | None, /, *, idempotency_key: str | None = None, **fields: Any
    ) -> Contact: ...
    def retrieve(self, ref: _Ref) -> Contact:
        """The contact with this id or display id."""
    def update(
        self,
        ref: _Ref,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        name: str = ...,
        email: str = ...,
        title: str | None = ...,
        phone: str | None = ...,
        is_primary: bool = ...,
        labels: builtins.list[str] | tuple[str, ...] = ...,
    ) -> Contact:
        """Updates the named fields: omitted = unchanged, ``None`` = cleared."""
    def delete(self, ref: _Ref) -> Deleted:
        """Deletes a contact."""
    def list(self, customer: _Ref, *, limit: int | None = None, cursor: str | None = None) -> ListIterator[Contact]:
        """Every contact of ``customer`` (newest first)."""
    def list_page(self, customer: _Ref, *, limit: int | None = None, cursor: str | None = None) -> Page[Contact]:
        """One page of the contacts of ``customer``."""

@final
class Onboardings:
    """Onboarding operations: ``db.onboardings``."""

    @overload
    def create(
        self,
        /,
        *,
        idempotency_key: str | None = None,
        customer_id: _Ref,
        template_id: str | None = ...,
        phase: Phase | str | None = ...,
        state: State | str | None = ...,
        started_at: _Instant | None = ...,
        target_launch_date: _DateOrInstant | None = ...,
        csm_id: str | None = ...,
        se_id: str | None = ...,
        designer_id: str | None = ...,
        product_ops_id: str | None = ...,
        notes: str | None = ...,
        waiting_on_customer: bool | None = ...,
        wizard_completed_at: _Instant | None = ...,
        reminder_email: bool | None = ...,
        reminder_slack: bool | None = ...,
        reminder_frequency_days: int | None = ...,
    ) -> Onboarding: ...
    @overload
    def create(
        self, params: Mapping[str, Any] | None, /, *, idempotency_key: str | None = None, **fields: Any
    ) -> Onboarding: ...
    def create_many(self, items: Iterable[Mapping[str, Any]]) -> builtins.list[Onboarding]:
        """Creates every onboarding of ``items`` (bodies as ``create`` takes) in one transaction, all or nothing."""
    def retrieve(self, ref: _Ref) -> Onboarding:
        """The onboarding with this id or display id."""
    def update(
        self,
        ref: _Ref,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        template_id: str | None = ...,
        phase: Phase | str = ...,
        state: State | str = ...,
        started_at: _Instant = ...,
        target_launch_date: _DateOrInstant | None = ...,
        csm_id: str | None = ...,
        se_id: str | None = ...,
        designer_id: str | None = ...,
        product_ops_id: str | None = ...,
        notes: str | None = ...,
        waiting_on_customer: bool = ...,
        wizard_completed_at: _Instant | None = ...,
        reminder_email: bool = ...,
        reminder_slack: bool = ...,
        reminder_frequency_days: int = ...,
        reason: str | None = ...,
    ) -> Onboarding:
        """Updates the named fields under the phase rules; ``reason`` explains a skip or regression."""
    def delete(self, ref: _Ref) -> Deleted:
        """Deletes an onboarding."""
    def list(
        self,
        *,
        customer_id: _Ref | None = None,
        phase: Phase | str | None = None,
        state: State | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ListIterator[Onboarding]:
        """Every onboarding (newest first), fetched ``limit`` per page as you iterate."""
    def list_page(
        self,
        *,
        customer_id: _Ref | None = None,
        phase: Phase | str | None = None,
        state: State | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[Onboarding]:
        """One page of onboardings (newest first; 25 by default)."""
    def list_for_customer(self, customer: _Ref) -> Page[Onboarding]:
        """All of a customer's onboardings, newest first, in one page."""
    def transitions(self, ref: _Ref) -> builtins.list[PhaseTransition]:
        """The onboarding's phase transitions, oldest first."""

@final
class Events:
    """The change log: ``db.events``."""

    def list(
        self,
        *,
        after_sequence: int | None = None,
        types: EventType | str | Iterable[EventType | str] | None = None,
        object_id: str | None = None,
        limit: int | None = None,
    ) -> ListIterator[Event]:
        """Every event after ``after_sequence``, ascending by sequence."""
    def list_page(
        self,
        *,
        after_sequence: int | None = None,
        types: EventType | str | Iterable[EventType | str] | None = None,
        object_id: str | None = None,
        limit: int | None = None,
    ) -> Page[Event]:
        """One page of events, ascending by sequence."""

@final
class ListIterator(Iterator[_T], Generic[_T]):
    """Iterates every record of a list, fetching one page at a time."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> _T: ...
    def __class_getitem__(cls, key: Any) -> Any: ...

@final
class Page(Generic[_T]):
    """One page of a list: ``data``, ``has_more``, ``next_cursor``."""

    @property
    def data(self) -> builtins.list[_T]:
        """The records of this page, in list order."""
    @property
    def has_more(self) -> bool:
        """Whether more records follow."""
    @property
    def next_cursor(self) -> str | None:
        """Pass as ``cursor`` to get the next page."""
    @property
    def object(self) -> Literal["list"]:
        """The wire ``object`` tag."""
    def to_dict(self) -> dict[str, Any]:
        """The API's list envelope."""
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Page[Any]:
        """Reads a list envelope."""
    def __iter__(self) -> Iterator[_T]: ...
    def __len__(self) -> int: ...
    def __class_getitem__(cls, key: Any) -> Any: ...
    def __eq__(self, other: builtins.object, /) -> bool: ...

# Generated below by tests/python/stubgen.py from the record classes' py_record! declarations.

@final
class Customer:
    """A customer (docs/reference.md#customer). Frozen; compare with ``==``; ``to_dict()`` is the API JSON."""

    @property
    def object(self) -> Literal["customer"]:
        """The wire ``object`` tag."""
    @property
    def id(self) -> str:
        """``cus_…``, or an imported id kept verbatim."""
    @property
    def display_id(self) -> int:
        """Per-workspace sequence number, 1, 2, 3, …"""
    @property
    def name(self) -> str:
        """1–200 characters."""
    @property
    def slug(self) -> str:
        """Unique among the workspace's customers."""
    @property
    def domain(self) -> str | None:
        """A lowercased host name."""
    @property
    def status(self) -> CustomerStatus:
        """Lifecycle status."""
    @property
    def plan(self) -> str | None:
        """Plan name."""
    @property
    def mrr(self) -> int | None:
        """Monthly recurring revenue, in minor currency units."""
    @property
    def monthly_orders(self) -> int | None:
        """Orders per month."""
    @property
    def hubspot_company_id(self) -> str | None:
        """HubSpot company id."""
    @property
    def hubspot_deal_id(self) -> str | None:
        """HubSpot deal id."""
    @property
    def stripe_customer_id(self) -> str | None:
        """Stripe customer id."""
    @property
    def intercom_company_id(self) -> str | None:
        """Intercom company id."""
    @property
    def slack_channel_id(self) -> str | None:
        """Slack channel id."""
    @property
    def metadata(self) -> dict[str, Any]:
        """Free-form data (a new ``dict`` on each access)."""
    @property
    def created_at(self) -> datetime.datetime:
        """Creation time (aware, UTC)."""
    @property
    def updated_at(self) -> datetime.datetime:
        """Time of the last change (aware, UTC)."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Customer:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Contact:
    """A contact of a customer (docs/reference.md#contact). Frozen; compares with ``==``; ``to_dict()``: API JSON."""

    @property
    def object(self) -> Literal["contact"]:
        """The wire ``object`` tag."""
    @property
    def id(self) -> str:
        """``con_…``, or an imported id kept verbatim."""
    @property
    def display_id(self) -> int:
        """Per-workspace sequence number."""
    @property
    def customer_id(self) -> str:
        """The parent customer's id."""
    @property
    def name(self) -> str:
        """1–200 characters."""
    @property
    def email(self) -> str:
        """Lowercased; unique among the customer's contacts."""
    @property
    def title(self) -> str | None:
        """Job title."""
    @property
    def phone(self) -> str | None:
        """Digits, spaces and ``+-().``."""
    @property
    def is_primary(self) -> bool:
        """At most one primary contact per customer."""
    @property
    def labels(self) -> builtins.list[str]:
        """Lowercased, deduplicated, in order (a new ``list`` on each access)."""
    @property
    def created_at(self) -> datetime.datetime:
        """Creation time (aware, UTC)."""
    @property
    def updated_at(self) -> datetime.datetime:
        """Time of the last change (aware, UTC)."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Contact:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Onboarding:
    """An onboarding (docs/reference.md#onboarding). Frozen; compare with ``==``; ``to_dict()`` is the API JSON."""

    @property
    def object(self) -> Literal["onboarding"]:
        """The wire ``object`` tag."""
    @property
    def id(self) -> str:
        """``onb_…``, or an imported id kept verbatim."""
    @property
    def display_id(self) -> int:
        """Per-workspace sequence number."""
    @property
    def customer_id(self) -> str:
        """The customer's id."""
    @property
    def template_id(self) -> str | None:
        """Opaque template reference."""
    @property
    def phase(self) -> Phase:
        """Where the engagement is."""
    @property
    def state(self) -> State:
        """Whether anything blocks it."""
    @property
    def started_at(self) -> datetime.datetime:
        """When the work started."""
    @property
    def completed_at(self) -> datetime.datetime | None:
        """When the phase became ``completed``."""
    @property
    def target_launch_date(self) -> datetime.datetime | None:
        """The planned launch."""
    @property
    def csm_id(self) -> str | None:
        """Customer success manager."""
    @property
    def se_id(self) -> str | None:
        """Solutions engineer."""
    @property
    def designer_id(self) -> str | None:
        """Designer."""
    @property
    def product_ops_id(self) -> str | None:
        """Product operations."""
    @property
    def notes(self) -> str | None:
        """Free text."""
    @property
    def waiting_on_customer(self) -> bool:
        """True exactly while ``state`` is ``waiting``."""
    @property
    def waiting_on_customer_since(self) -> datetime.datetime | None:
        """When the current waiting period began."""
    @property
    def wizard_completed_at(self) -> datetime.datetime | None:
        """When the setup wizard was finished."""
    @property
    def reminder_email(self) -> bool:
        """Send reminder emails."""
    @property
    def reminder_slack(self) -> bool:
        """Send reminder Slack messages."""
    @property
    def reminder_frequency_days(self) -> int:
        """0–90; at least 1 while a reminder is on."""
    @property
    def created_at(self) -> datetime.datetime:
        """Creation time (aware, UTC)."""
    @property
    def updated_at(self) -> datetime.datetime:
        """Time of the last change (aware, UTC)."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Onboarding:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Event:
    """One entry of the change log (docs/reference.md#change-log). Frozen; ``to_dict()`` is the API JSON."""

    @property
    def object(self) -> Literal["event"]:
        """The wire ``object`` tag."""
    @property
    def id(self) -> str:
        """``evt_…``"""
    @property
    def sequence(self) -> int:
        """Strictly increasing within a workspace."""
    @property
    def type(self) -> EventType:
        """What happened, e.g. ``EventType.ONBOARDING_PHASE_CHANGED`` (== ``"onboarding.phase_changed"``)."""
    @property
    def created_at(self) -> datetime.datetime:
        """When it happened (aware, UTC)."""
    @property
    def org_id(self) -> str:
        """The workspace (``org_…``)."""
    @property
    def livemode(self) -> bool:
        """Live or test mode."""
    @property
    def api_version(self) -> str:
        """Always ``v1``."""
    @property
    def actor(self) -> str:
        """Who made the change."""
    @property
    def data(self) -> dict[str, Any]:
        """``{"object": {…after…}, "previous_attributes": {…} | None}`` (a new ``dict`` on each access)."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class PhaseTransition:
    """A recorded change of an onboarding's phase (docs/reference.md#phases). Frozen; ``to_dict()`` is the API JSON."""

    @property
    def object(self) -> Literal["phase_transition"]:
        """The wire ``object`` tag."""
    @property
    def id(self) -> str:
        """``ptr_…``"""
    @property
    def onboarding_id(self) -> str:
        """The onboarding's id."""
    @property
    def from_phase(self) -> Phase:
        """The phase before."""
    @property
    def to_phase(self) -> Phase:
        """The phase after."""
    @property
    def actor(self) -> str:
        """Who made the change."""
    @property
    def reason(self) -> str | None:
        """Why (required for skips and regressions)."""
    @property
    def created_at(self) -> datetime.datetime:
        """When (aware, UTC)."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PhaseTransition:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Deleted:
    """The answer to a delete: ``{"object": "deleted", "id", "display_id", "deleted": true}``."""

    @property
    def object(self) -> Literal["deleted"]:
        """The wire ``object`` tag."""
    @property
    def id(self) -> str:
        """The deleted record's id."""
    @property
    def display_id(self) -> int:
        """Its display id."""
    @property
    def deleted(self) -> bool:
        """Always ``True``."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Deleted:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Health:
    """The answer of ``health()``: ``{"status": "ok", "timestamp", "version", "schema_version"}``."""

    @property
    def status(self) -> str:
        """``"ok"`` when the store answers."""
    @property
    def timestamp(self) -> datetime.datetime:
        """Now, by the store's clock (aware, UTC)."""
    @property
    def version(self) -> str:
        """The library version."""
    @property
    def schema_version(self) -> int:
        """The store's schema version."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Health:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class Workspace:
    """A workspace (the API's organization): ``{"id", "slug", "name"}``."""

    @property
    def id(self) -> str:
        """``org_…``"""
    @property
    def slug(self) -> str:
        """Short unique name (``default`` for the workspace a store opens in)."""
    @property
    def name(self) -> str:
        """Display name."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Workspace:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class ApiKey:
    """An API key as listed (never its secret):
    ``{"object": "api_key", "id", "name", "prefix", "livemode", "created_at", "revoked_at"}``.
    """

    @property
    def object(self) -> Literal["api_key"]:
        """The wire ``object`` tag."""
    @property
    def id(self) -> str:
        """``key_…``"""
    @property
    def name(self) -> str:
        """The key's name: the actor of every change made with it."""
    @property
    def prefix(self) -> str:
        """The first 12 characters of the secret, for recognising it."""
    @property
    def livemode(self) -> bool:
        """Live (``pivotal_…``) or test (``pivotal_test_…``) key."""
    @property
    def created_at(self) -> datetime.datetime:
        """When the key was created (aware, UTC)."""
    @property
    def revoked_at(self) -> datetime.datetime | None:
        """When the key was revoked; it authenticates nothing from then on."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ApiKey:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class CreatedApiKey:
    """A key just created: ``{"api_key": {…}, "secret": "…"}``, the only time its secret is returned."""

    @property
    def api_key(self) -> ApiKey:
        """The key as it will be listed."""
    @property
    def secret(self) -> str:
        """The secret to hand to the key's user (``pivotal_…`` or ``pivotal_test_…``); only its hash is kept."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CreatedApiKey:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class KeyIdentity:
    """The key of an identity: ``{"id", "name", "prefix", "livemode"}``."""

    @property
    def id(self) -> str:
        """``key_…``"""
    @property
    def name(self) -> str:
        """The key's name."""
    @property
    def prefix(self) -> str:
        """The secret's first 12 characters."""
    @property
    def livemode(self) -> bool:
        """The key's mode."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KeyIdentity:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class Identity:
    """Who a session is: ``{"object": "me", "api_key": {…} | None, "organization": {…}}``."""

    @property
    def object(self) -> Literal["me"]:
        """The wire ``object`` tag."""
    @property
    def api_key(self) -> KeyIdentity | None:
        """The key the session authenticated with; ``None`` for a local session."""
    @property
    def organization(self) -> Workspace:
        """The session's workspace."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Identity:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class ByPhase:
    """One number per phase (durations in milliseconds, or counts): an attribute per phase, and
    ``by_phase[Phase.REVIEW]`` (or ``["review"]``).
    """

    @property
    def before_getting_started(self) -> int:
        """``before_getting_started``"""
    @property
    def program_design(self) -> int:
        """``program_design``"""
    @property
    def review(self) -> int:
        """``review``"""
    @property
    def program_buildout(self) -> int:
        """``program_buildout``"""
    @property
    def internal_qa(self) -> int:
        """``internal_qa``"""
    @property
    def launch(self) -> int:
        """``launch``"""
    @property
    def completed(self) -> int:
        """``completed``"""
    def total(self) -> int:
        """The sum over every phase."""
    def __getitem__(self, key: Phase | str, /) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ByPhase:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class ByState:
    """One count per state: an attribute per state, and ``by_state[State.WAITING]`` (or ``["waiting"]``)."""

    @property
    def active(self) -> int:
        """``active``"""
    @property
    def paused(self) -> int:
        """``paused``"""
    @property
    def at_risk(self) -> int:
        """``at_risk``"""
    @property
    def waiting(self) -> int:
        """``waiting``"""
    def total(self) -> int:
        """The sum over every state."""
    def __getitem__(self, key: State | str, /) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ByState:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class LaunchDays:
    """Launch durations of the launched onboardings, in days: ``count``, ``median``, ``p90``."""

    @property
    def count(self) -> int:
        """How many launched onboardings the statistics cover."""
    @property
    def median(self) -> float | None:
        """The median, in days; ``None`` when none launched."""
    @property
    def p90(self) -> float | None:
        """The 90th percentile, in days; ``None`` when none launched."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LaunchDays:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class OnboardingMetrics:
    """One onboarding's clocks as of an instant (docs/reference.md#analytics); durations in milliseconds."""

    @property
    def object(self) -> Literal["onboarding_metrics"]:
        """The wire ``object`` tag."""
    @property
    def onboarding_id(self) -> str:
        """The onboarding's id."""
    @property
    def display_id(self) -> int:
        """Its display id."""
    @property
    def customer_id(self) -> str:
        """Its customer's id."""
    @property
    def as_of(self) -> datetime.datetime:
        """The instant the metrics are computed for."""
    @property
    def phase(self) -> Phase:
        """The phase as of that instant."""
    @property
    def state(self) -> State:
        """The state as of that instant."""
    @property
    def started_at(self) -> datetime.datetime:
        """``started_at`` as of that instant: where the clocks start."""
    @property
    def target_launch_date(self) -> datetime.datetime | None:
        """``target_launch_date`` as of that instant."""
    @property
    def elapsed_ms(self) -> int:
        """From ``started_at`` to ``as_of``, or to completion."""
    @property
    def waiting_ms(self) -> int:
        """The part of ``elapsed_ms`` spent waiting on the customer."""
    @property
    def sla_ms(self) -> int:
        """``elapsed_ms - waiting_ms``: the SLA clock."""
    @property
    def time_in_phase_ms(self) -> ByPhase:
        """Elapsed time in each phase, summed over re-entries."""
    @property
    def current_phase_since(self) -> datetime.datetime:
        """When the current stint in the current phase began."""
    @property
    def current_phase_sla_ms(self) -> int:
        """SLA time of the current stint (what "stalled" is measured on)."""
    @property
    def launched_at(self) -> datetime.datetime | None:
        """The first instant at or beyond ``launch``; ``None`` before."""
    @property
    def time_to_launch_ms(self) -> int | None:
        """Elapsed time from ``started_at`` to the launch; ``None`` before."""
    @property
    def sla_time_to_launch_ms(self) -> int | None:
        """SLA time from ``started_at`` to the launch; ``None`` before."""
    @property
    def completed_at(self) -> datetime.datetime | None:
        """The first entry into ``completed``; ``None`` before."""
    @property
    def on_time(self) -> bool | None:
        """Launched at or before the target; ``None`` without a target or before the launch."""
    @property
    def overdue(self) -> bool:
        """Not launched, and the target is before ``as_of``."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OnboardingMetrics:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class WorkspaceReport:
    """A workspace's onboardings as of an instant (docs/reference.md#analytics): counts, rates in ``[0, 1]``, days."""

    @property
    def object(self) -> Literal["workspace_report"]:
        """The wire ``object`` tag."""
    @property
    def as_of(self) -> datetime.datetime:
        """The instant of the report."""
    @property
    def customer_id(self) -> str | None:
        """The customer filter (canonical id), if any."""
    @property
    def csm_id(self) -> str | None:
        """The CSM filter, if any."""
    @property
    def template_id(self) -> str | None:
        """The template filter, if any."""
    @property
    def stalled_after_days(self) -> float | None:
        """The stalled threshold, in days, if any."""
    @property
    def total(self) -> int:
        """Onboardings covered."""
    @property
    def by_phase(self) -> ByPhase:
        """Covered onboardings by phase."""
    @property
    def by_state(self) -> ByState:
        """Covered onboardings by state."""
    @property
    def launched(self) -> int:
        """Launched (reached ``launch`` or beyond) by the instant."""
    @property
    def launched_with_target(self) -> int:
        """Launched, with a target launch date."""
    @property
    def launched_on_time(self) -> int:
        """Launched at or before their target."""
    @property
    def on_time_rate(self) -> float | None:
        """``launched_on_time / launched_with_target``; ``None`` when no launched onboarding has a
        target.
        """
    @property
    def days_to_launch(self) -> LaunchDays:
        """Days from ``started_at`` to the launch (elapsed time)."""
    @property
    def sla_days_to_launch(self) -> LaunchDays:
        """Days from ``started_at`` to the launch on the SLA clock (waiting left out)."""
    @property
    def overdue(self) -> int:
        """Not launched, and the target launch date has passed."""
    @property
    def at_risk(self) -> int:
        """Open and either in state ``at_risk`` or overdue."""
    @property
    def stalled(self) -> int | None:
        """Open, and stuck in the current phase longer than ``stalled_after_days``; ``None`` without a
        threshold.
        """
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkspaceReport:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class ImportSummary:
    """What ``import_records()`` did: records created, updated (a newer ``updated_at``), unchanged, skipped."""

    @property
    def object(self) -> Literal["import_summary"]:
        """The wire ``object`` tag."""
    @property
    def created(self) -> int:
        """Records inserted (ids, display ids and timestamps as given)."""
    @property
    def updated(self) -> int:
        """Records replaced by a newer version."""
    @property
    def unchanged(self) -> int:
        """Items that changed nothing (not newer, identical, or deleted here)."""
    @property
    def skipped(self) -> int:
        """Items left out for their errors (``on_error="skip"``)."""
    @property
    def errors(self) -> builtins.list[ItemError]:
        """The first 100 skipped items' errors, in input order (a new ``list`` on each access)."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportSummary:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...

@final
class ItemError:
    """An item an import skipped (``on_error="skip"``): its position and its error, as the API would answer it."""

    @property
    def index(self) -> int:
        """The item's index among the input's items, from 0."""
    @property
    def line(self) -> int | None:
        """The line its JSON text ends on, from 1 (``None`` for items given as Python values)."""
    @property
    def type(self) -> str:
        """The error's type, e.g. ``invalid_request_error``."""
    @property
    def code(self) -> str:
        """The error's code, e.g. ``invalid_email``."""
    @property
    def field(self) -> str | None:
        """The field at fault, if any."""
    @property
    def message(self) -> str:
        """What is wrong (without the position)."""
    def to_dict(self) -> dict[str, Any]:
        """The API JSON of this object."""
    def to_record(self) -> dict[str, Any]:
        """The attributes as a ``dict`` of native values, for analysis (e.g. ``pandas``):
        ``datetime``, ``int``, enum members, nested records as dicts, and durations
        (the ``*_ms`` fields) as ``datetime.timedelta``.
        """
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemError:
        """Reads the API JSON of this object."""
    def __eq__(self, other: builtins.object, /) -> bool: ...
