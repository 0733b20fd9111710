"""Where the current request (or command) came from, for the audit trail.

Services record *who* explicitly (``actor=``); the *from where* (IP, request id, channel,
which API token) is ambient, so it is carried in a context variable set by the request
middleware, the API authenticator and the command runner.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Origin:
    channel: str = "system"  # web | api | command | system
    ip: str = ""
    request_id: str = ""
    via: str = ""  # "session", "token:<id>", "command:<name>"


_NO_ORIGIN = Origin()
_current: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "audit_origin",
    default=_NO_ORIGIN,
)


def current_origin() -> Origin:
    return _current.get()


def set_origin(origin: Origin) -> contextvars.Token[Origin]:
    return _current.set(origin)


def reset_origin(token: contextvars.Token[Origin]) -> None:
    _current.reset(token)


def update_origin(**changes: str) -> None:
    _current.set(replace(_current.get(), **changes))


def new_request_id() -> str:
    return uuid.uuid4().hex
