"""Database guarantees against double booking that only PostgreSQL can give.

``PostgresExclusionConstraint`` is Django's ``ExclusionConstraint`` that is part of the model
state everywhere (so migrations are the same on every database) but only emits SQL on
PostgreSQL. SQLite has no exclusion constraints; there bookings are serialised by IMMEDIATE
transactions and the re-check inside them (docs/decisions/0120-exclusion-constraints.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def booked_range() -> TsTzRange:
    """[start, busy_until): the appointment plus its buffer, half-open like the domain's."""
    return TsTzRange("start", "busy_until", RangeBoundary())


def _is_postgres(schema_editor: Any) -> bool:
    return bool(schema_editor.connection.vendor == "postgresql")


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().constraint_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().create_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().remove_sql(model, schema_editor) if _is_postgres(schema_editor) else None

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS
    ) -> None:
        # Model validation (admin forms) would build PostgreSQL-only lookups on SQLite.
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


class BtreeGistIfPostgres(BtreeGistExtension):
    """btree_gist (``=`` on bigint inside a GiST exclusion); a no-op both ways elsewhere."""

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        # The extension may serve other tables: leave it installed when unmigrating.
        return None
