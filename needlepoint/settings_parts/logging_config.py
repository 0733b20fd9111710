"""Logging: one plain line per event, with the request id."""

from __future__ import annotations

from needlepoint.core.env import env as _env

# Log lines carry the request id and never patient data (no message bodies, no names).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "needlepoint.core.logs.RequestIdFilter"},
        "no_client_error_traceback": {"()": "needlepoint.core.logs.NoClientErrorTracebackFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "no_client_error_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
