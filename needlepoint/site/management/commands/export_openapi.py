from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from needlepoint.api import api


class Command(BaseCommand):
    help = "Print the API's OpenAPI document (committed as openapi.json; CI diffs it)."

    def handle(self, *args: Any, **options: Any) -> None:
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        self.stdout.write(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False))
