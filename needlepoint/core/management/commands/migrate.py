"""`needlepoint migrate`: Django's migrate, then the database cache table.

Rate limits and other cross-process state live in the database cache, so a migrated
database without that table would not be a working one.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        call_command("createcachetable", database=options["database"], verbosity=0)
