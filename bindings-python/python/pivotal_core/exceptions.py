"""The exceptions of pivotal_core: one class per error type of the API.

Every error carries the API's ``type``, ``code``, ``message``, ``field`` (the input at fault, when
exactly one is) and the ``http_status`` the REST API would answer with::

    try:
        db.customers.create(name="Acme", slug="taken")
    except pc.ConflictError as e:
        print(e.code, e.field)  # slug_taken slug

Classes defined here are raised by the native module (the mapping lives in one place in the Rust
crate), and can be raised by your own code too, e.g. in a fake of the Pivotal API.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

__all__ = [
    "PivotalError",
    "InvalidRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "InternalError",
    "StoreClosedError",
]


class PivotalError(Exception):
    """Base class of every error raised by pivotal_core.

    Attributes:
        type: the API's ``error.type``, e.g. ``"invalid_request_error"``.
        code: the machine-readable reason, e.g. ``"slug_taken"``.
        message: a sentence for humans (not stable: do not match on it).
        field: the input field at fault, or ``None``.
        http_status: the HTTP status the REST API answers with, e.g. 409.
    """

    #: The ``error.type`` of this class (subclasses set it).
    default_type: ClassVar[str] = "internal_error"
    #: The HTTP status of this class (subclasses set it).
    default_http_status: ClassVar[int] = 500

    type: str
    code: str
    message: str
    field: Optional[str]
    http_status: int

    def __init__(
        self,
        message: str,
        *,
        code: str,
        field: Optional[str] = None,
        type: Optional[str] = None,
        http_status: Optional[int] = None,
    ) -> None:
        """Creates an error; ``type`` and ``http_status`` default to the class's."""
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.type = type if type is not None else self.default_type
        self.http_status = http_status if http_status is not None else self.default_http_status

    def __str__(self) -> str:
        """``code: message`` (and the field, when there is one)."""
        where = f" (field `{self.field}`)" if self.field else ""
        return f"{self.code}: {self.message}{where}"

    def __repr__(self) -> str:
        """A constructor-like representation."""
        return (
            f"{type(self).__name__}({self.message!r}, code={self.code!r}, "
            f"field={self.field!r}, type={self.type!r}, http_status={self.http_status!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickles with every attribute (the keyword-only arguments included)."""
        return (_rebuild, (type(self), self.message, self.code, self.field, self.type, self.http_status))

    def to_dict(self) -> dict[str, Any]:
        """The API's error envelope: ``{"error": {"type", "code", "message", "field"?}}``."""
        body: dict[str, Any] = {"type": self.type, "code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return {"error": body}


def _rebuild(
    cls: type[PivotalError],
    message: str,
    code: str,
    field: Optional[str],
    type_: str,
    http_status: int,
) -> PivotalError:
    return cls(message, code=code, field=field, type=type_, http_status=http_status)


class InvalidRequestError(PivotalError, ValueError):
    """The request was malformed or broke a rule (``invalid_request_error``, 400).

    Also raised for a value of the wrong Python type in a request field (code ``invalid_type``).
    """

    default_type = "invalid_request_error"
    default_http_status = 400


class AuthenticationError(PivotalError):
    """The API key was missing, malformed, unknown or revoked (``authentication_error``, 401)."""

    default_type = "authentication_error"
    default_http_status = 401


class PermissionDeniedError(PivotalError):
    """The key may not do this (``permission_error``, 403).

    Raised with ``permission_denied`` when a key's session tries to switch its workspace, mode
    or actor (``with_workspace``, ``with_livemode``, ``with_actor``).
    """

    default_type = "permission_error"
    default_http_status = 403


class NotFoundError(PivotalError, LookupError):
    """The record does not exist or is not visible to this session (``not_found``, 404)."""

    default_type = "not_found"
    default_http_status = 404


class ConflictError(PivotalError):
    """The request collides with the current state, e.g. a taken slug (``conflict``, 409)."""

    default_type = "conflict"
    default_http_status = 409


class RateLimitError(PivotalError):
    """Too many requests (``rate_limit_error``, 429).

    Not raised by the library itself: reserved for the HTTP server, which raises it when it bounds
    concurrent requests.
    """

    default_type = "rate_limit_error"
    default_http_status = 429


class InternalError(PivotalError):
    """The library or its store failed, e.g. a corrupt file (``internal_error``, 500)."""

    default_type = "internal_error"
    default_http_status = 500


class StoreClosedError(InvalidRequestError):
    """A call on a store that was closed (code ``store_closed``).

    A ``ValueError``, like any operation on a closed Python file.
    """

    def __init__(self, message: str = "the store is closed", *, code: str = "store_closed", **kwargs: Any) -> None:
        """Creates the error; the code is ``store_closed``."""
        super().__init__(message, code=code, **kwargs)
