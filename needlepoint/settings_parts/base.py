"""What every block of the settings depends on: which environment this is, and where data lives."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from needlepoint.core.env import env as _env

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent

NEEDLEPOINT_ENV = _env("NEEDLEPOINT_ENV", "development")
if NEEDLEPOINT_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"NEEDLEPOINT_ENV must be development, production or test, not {NEEDLEPOINT_ENV!r}"
    )
PRODUCTION = NEEDLEPOINT_ENV == "production"

DATA_DIR = Path(_env("NEEDLEPOINT_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
