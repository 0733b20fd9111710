"""Reading settings from the environment: one parser per kind of value, each failing loudly
with the variable's name (settings.py reads every value through these)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    """The variable's value; an empty variable counts as unset."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Shared state across processes lives in the database (or Redis when CACHE_URL is set):
# rate limits must hold across every worker, never in one process's memory.
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "needlepoint_cache",  # created by `needlepoint migrate`
}


def caches_from_url(url: str) -> dict[str, dict[str, str]]:
    """CACHE_URL -> CACHES: redis://host:port/db, locmem:// (one process only: tests and
    single-process development), db:// (the database cache), empty = the default."""
    if url.startswith(("redis://", "rediss://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    if url.startswith("locmem://"):
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if url.startswith("db://"):
        return {"default": DATABASE_CACHE}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, db:// or locmem://, not {url!r}"
    )
