"""Errors raised by the pure domain core."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal the domain core makes; carries a stable code."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class DataError(DomainError):
    """A clinic data file (policy, protocol table) has a value the domain cannot use.

    ``path`` is the key path to the offending value, e.g. ``("rules", 3, "verdict")``, so the
    loader can name the line of the file.
    """

    code = "invalid_data"

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
