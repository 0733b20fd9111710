"""`needlepoint migrate`: Django's migrate, then the database cache table.

Rate limits and other cross-process state live in the database cache by default, so a
migrated database without that table would not be a working one. The table is created
whatever CACHE_URL says today, so switching CACHE_URL back to the database (or to its
default) later needs no manual step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        call_command("createcachetable", database=options["database"], verbosity=0)
        creator = CreateCacheTable()
        creator.verbosity = 0
        creator.create_table(options["database"], settings.DATABASE_CACHE["LOCATION"], False)
