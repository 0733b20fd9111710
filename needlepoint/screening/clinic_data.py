"""The screening policy and protocol table in force: the clinic's active override, else
the configured file (``NEEDLEPOINT_SCREENING_POLICY_FILE`` / ``NEEDLEPOINT_PROTOCOL_FILE``).

Parsed values are cached per process, keyed by *which* text is in force (the active
override's id and updated_at, or the file's path and mtime). Each call asks the database
one indexed question, so every process switches as soon as an override is activated and
none parses YAML per request (docs/decisions/0110-clinic-data-overrides.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from needlepoint.data.loading import DataFileError, parse_data_file, parse_data_text
from needlepoint.data.screening_policy import load_policy
from needlepoint.domain.protocols import ProtocolTable, parse_protocols
from needlepoint.domain.screening import ScreeningPolicy, parse_policy

from .models import DataKind, DataOverride
from .page_copy import load_treatment_page

T = TypeVar("T")

_lock = threading.Lock()
_cache: dict[tuple[Any, ...], Any] = {}
_CACHE_LIMIT = 16  # a handful of versions at most; never grows with traffic


@dataclass(frozen=True)
class InForce:
    """Which text is in force for a kind: an override row or a file."""

    kind: str
    override_id: int | None
    key: tuple[Any, ...]
    name: str


def _file_for(kind: str) -> Path:
    if kind == DataKind.SCREENING_POLICY:
        return Path(settings.NEEDLEPOINT_SCREENING_POLICY_FILE)
    return Path(settings.NEEDLEPOINT_PROTOCOL_FILE)


def _parser_for(kind: str) -> Callable[[Any], Any]:
    return parse_policy if kind == DataKind.SCREENING_POLICY else parse_protocols


def in_force(kind: str) -> InForce:
    try:
        row = (
            DataOverride.objects.filter(kind=kind, is_active=True)
            .values_list("pk", "updated_at")
            .first()
        )
    except DatabaseError:  # before `migrate` has created the table: the file is in force
        row = None
    if row is not None:
        return InForce(kind, row[0], ("override", kind, row[0], row[1]), f"override #{row[0]}")
    file = _file_for(kind)
    try:
        mtime = file.stat().st_mtime_ns
    except OSError:
        mtime = 0
    return InForce(kind, None, ("file", kind, str(file), mtime), str(file))


def _parsed(source: InForce) -> Any:
    with _lock:
        if source.key in _cache:
            return _cache[source.key]
    parser = _parser_for(source.kind)
    if source.override_id is None:
        value = parse_data_file(_file_for(source.kind), parser)
    else:
        text = DataOverride.objects.values_list("text", flat=True).get(pk=source.override_id)
        value = parse_data_text(text, source.name, parser)
    with _lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[source.key] = value
    return value


def current_policy() -> ScreeningPolicy:
    policy: ScreeningPolicy = _parsed(in_force(DataKind.SCREENING_POLICY))
    return policy


def current_protocols() -> ProtocolTable:
    table: ProtocolTable = _parsed(in_force(DataKind.PROTOCOL_TABLE))
    return table


def parse_override_text(kind: str, text: str) -> Any:
    """Parse a clinic's edited text with the same parser as the file (DataFileError)."""
    return parse_data_text(text, "the edited text", _parser_for(kind))


def shipped_version(kind: str) -> str:
    version: str = parse_data_file(_file_for(kind), _parser_for(kind)).version
    return version


def shipped_text(kind: str) -> str:
    """The configured file's whole text: what a clinic's first version starts from."""
    return _file_for(kind).read_text(encoding="utf-8")


def check_data_files_at_startup() -> None:
    """Refuse to start with a data file the software cannot use (file, line, problem)."""
    try:
        load_policy(Path(settings.NEEDLEPOINT_SCREENING_POLICY_FILE))
        parse_data_file(Path(settings.NEEDLEPOINT_PROTOCOL_FILE), parse_protocols)
        load_treatment_page()
    except DataFileError as exc:
        raise ImproperlyConfigured(f"Needlepoint refuses to start: {exc}") from exc
