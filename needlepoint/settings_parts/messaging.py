"""E-mail, SMS and the outbox, public booking limits and the waitlist's offers."""

from __future__ import annotations

from needlepoint.core.env import env as _env
from needlepoint.core.env import env_bool as _env_bool
from needlepoint.core.env import env_int as _env_int
from needlepoint.settings_parts.base import DATA_DIR, NEEDLEPOINT_ENV, PRODUCTION

# Email: SMTP in production; files under DATA_DIR/mail elsewhere. Never the console: the
# console is the server log, and messages carry patients' names and visits.
EMAIL_BACKEND = _env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_HOST = _env("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = _env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = _env("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", "Needlepoint <no-reply@localhost>")


NEEDLEPOINT_SMS_ENABLED = _env_bool("NEEDLEPOINT_SMS_ENABLED", True)
NEEDLEPOINT_SMS_BACKEND = _env(
    "NEEDLEPOINT_SMS_BACKEND",
    "needlepoint.notifications.backends.sms.LocmemSmsBackend"
    if NEEDLEPOINT_ENV == "test"
    else "needlepoint.notifications.backends.sms.FileSmsBackend",
)
NEEDLEPOINT_SMS_FILE_PATH = _env("NEEDLEPOINT_SMS_FILE_PATH", str(DATA_DIR / "sms"))
NEEDLEPOINT_TWILIO_ACCOUNT_SID = _env("NEEDLEPOINT_TWILIO_ACCOUNT_SID")
NEEDLEPOINT_TWILIO_AUTH_TOKEN = _env("NEEDLEPOINT_TWILIO_AUTH_TOKEN")
NEEDLEPOINT_TWILIO_FROM = _env("NEEDLEPOINT_TWILIO_FROM")
NEEDLEPOINT_OUTBOX_LEASE_SECONDS = _env_int("NEEDLEPOINT_OUTBOX_LEASE_SECONDS", 300, 10)
NEEDLEPOINT_REMINDERS_EVERY_SECONDS = _env_int("NEEDLEPOINT_REMINDERS_EVERY_SECONDS", 60, 5)
