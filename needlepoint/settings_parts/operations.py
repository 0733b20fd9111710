"""Background jobs, the audit chain's keys and checkpoints, backups."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from needlepoint.core.env import env as _env
from needlepoint.core.env import env_int as _env_int
from needlepoint.settings_parts.base import DATA_DIR, PRODUCTION

# Background jobs (docs/operations.md, Background worker; decision 0650): django-tasks on the
# project's own database, run by `needlepoint worker`. The clinic admin's pages warn, and
# /healthz reports a backlog, when a job has waited, or a due message stayed unsent, longer.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NEEDLEPOINT_JOBS_BACKLOG_MINUTES = _env_int("NEEDLEPOINT_JOBS_BACKLOG_MINUTES", 10, 1)
NEEDLEPOINT_OUTBOX_BACKLOG_MINUTES = _env_int("NEEDLEPOINT_OUTBOX_BACKLOG_MINUTES", 15, 1)
NEEDLEPOINT_MANAGE_LINK_DAYS = _env_int("NEEDLEPOINT_MANAGE_LINK_DAYS", 120, 1)
NEEDLEPOINT_BOOKING_LIMIT_PER_IP_HOUR = _env_int("NEEDLEPOINT_BOOKING_LIMIT_PER_IP_HOUR", 5, 1)
NEEDLEPOINT_BOOKING_LIMIT_PER_EMAIL_DAY = _env_int("NEEDLEPOINT_BOOKING_LIMIT_PER_EMAIL_DAY", 3, 1)
NEEDLEPOINT_WAITLIST_OFFER_BATCH = _env_int("NEEDLEPOINT_WAITLIST_OFFER_BATCH", 3, 1)
NEEDLEPOINT_WAITLIST_OFFER_HOURS = _env_int("NEEDLEPOINT_WAITLIST_OFFER_HOURS", 12, 1)

# Audit chain (docs/operations.md, Audit; docs/decisions/0230-audit-chain.md): HMAC keys
# outside the database (the first signs, the rest only verify), signed checkpoints in a
# directory outside it, and the limit on failed API tokens per address.
try:
    from needlepoint.audit.keys import AuditKeyError as _AuditKeyError
    from needlepoint.audit.keys import load_keys as _load_audit_keys

    NEEDLEPOINT_AUDIT_KEYS = _load_audit_keys(
        env_value=_env("NEEDLEPOINT_AUDIT_KEYS"),
        key_file=_env("NEEDLEPOINT_AUDIT_KEY_FILE"),
        production=PRODUCTION,
    )
except _AuditKeyError as _exc:
    _where = " in production" if PRODUCTION else ""
    raise ImproperlyConfigured(f"Needlepoint refuses to start{_where}: {_exc}") from None
NEEDLEPOINT_AUDIT_CHECKPOINT_DIR = Path(
    _env("NEEDLEPOINT_AUDIT_CHECKPOINT_DIR", str(DATA_DIR / "audit-checkpoints"))
)
NEEDLEPOINT_AUDIT_CHECKPOINT_MINUTES = _env_int("NEEDLEPOINT_AUDIT_CHECKPOINT_MINUTES", 5, 1)
NEEDLEPOINT_API_TOKEN_FAILURES = _env_int("NEEDLEPOINT_API_TOKEN_FAILURES", 20, 1)
NEEDLEPOINT_API_TOKEN_FAILURE_WINDOW_SECONDS = _env_int(
    "NEEDLEPOINT_API_TOKEN_FAILURE_WINDOW_SECONDS", 900, 10
)

# Backups (docs/operations.md, Backups): the age public key(s) backups are encrypted to; the
# secret key is not on this server, it is given to `needlepoint restore` only.
NEEDLEPOINT_BACKUP_KEY = _env("NEEDLEPOINT_BACKUP_KEY")
NEEDLEPOINT_BACKUP_IDENTITY_FILE = _env("NEEDLEPOINT_BACKUP_IDENTITY_FILE")
