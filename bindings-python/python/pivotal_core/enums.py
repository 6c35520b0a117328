"""The enumerations of the wire format.

Each is a ``str`` enum: a member *is* its wire string, so ``Phase.LAUNCH == "launch"``, members
hash like their strings, ``json.dumps`` writes them as strings, and every operation that takes one
also accepts the plain string.
"""

from __future__ import annotations

import enum
from typing import TypeVar

__all__ = ["CustomerStatus", "Phase", "State", "EventType"]


_E = TypeVar("_E", bound="_WireEnum")


class _WireEnum(str, enum.Enum):
    """A ``str`` enum whose ``str()`` and ``format()`` are the wire string."""

    def __new__(cls: type[_E], value: str) -> _E:
        """A member whose string is its wire value (lookups go by value: ``Phase("launch")``)."""
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    def __str__(self) -> str:
        """The wire string."""
        return str(self.value)

    def __format__(self, spec: str) -> str:
        """Formats the wire string."""
        return format(str(self.value), spec)


class CustomerStatus(_WireEnum):
    """Where a customer is in its lifecycle."""

    ONBOARDING = "onboarding"
    ACTIVE = "active"
    AT_RISK = "at_risk"
    CHURNED = "churned"
    ARCHIVED = "archived"


class Phase(_WireEnum):
    """Where an onboarding is, in order (``Phase.order()``); ``completed`` is terminal."""

    BEFORE_GETTING_STARTED = "before_getting_started"
    PROGRAM_DESIGN = "program_design"
    REVIEW = "review"
    PROGRAM_BUILDOUT = "program_buildout"
    INTERNAL_QA = "internal_qa"
    LAUNCH = "launch"
    COMPLETED = "completed"

    @property
    def position(self) -> int:
        """Position in the order, from 0 (``before_getting_started``) to 6 (``completed``)."""
        return list(Phase).index(self)

    @classmethod
    def order(cls) -> list[Phase]:
        """Every phase, in order."""
        return list(cls)


class State(_WireEnum):
    """Whether anything blocks an onboarding; ``waiting`` ⇔ ``waiting_on_customer``."""

    ACTIVE = "active"
    PAUSED = "paused"
    AT_RISK = "at_risk"
    WAITING = "waiting"


class EventType(_WireEnum):
    """The type of a change-log event."""

    CUSTOMER_CREATED = "customer.created"
    CUSTOMER_UPDATED = "customer.updated"
    CUSTOMER_DELETED = "customer.deleted"
    CONTACT_CREATED = "contact.created"
    CONTACT_UPDATED = "contact.updated"
    CONTACT_DELETED = "contact.deleted"
    ONBOARDING_CREATED = "onboarding.created"
    ONBOARDING_UPDATED = "onboarding.updated"
    ONBOARDING_DELETED = "onboarding.deleted"
    ONBOARDING_PHASE_CHANGED = "onboarding.phase_changed"
    ONBOARDING_STATE_CHANGED = "onboarding.state_changed"
    ONBOARDING_LAUNCHED = "onboarding.launched"
    ONBOARDING_COMPLETED = "onboarding.completed"
    ONBOARDING_AT_RISK = "onboarding.at_risk"
    ONBOARDING_BACK_ON_TRACK = "onboarding.back_on_track"
    CUSTOMER_IMPORTED = "customer.imported"
    CONTACT_IMPORTED = "contact.imported"
    ONBOARDING_IMPORTED = "onboarding.imported"
