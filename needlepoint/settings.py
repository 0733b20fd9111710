"""Needlepoint settings: every value comes from the environment (see `.env.example`).

Development defaults are safe for one person on one machine. `NEEDLEPOINT_ENV=production`
refuses to start without a real secret key, allowed hosts and HTTPS settings, because a
clinic system leaking sessions or patient data over HTTP is worse than one that won't boot.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from needlepoint.core.base_url import served_base_url
from needlepoint.core.env import (
    DATABASE_CACHE,
    caches_from_url,
)
from needlepoint.core.env import (
    env as _env,
)
from needlepoint.core.env import (
    env_bool as _env_bool,
)
from needlepoint.core.env import (
    env_int as _env_int,
)
from needlepoint.core.env import (
    env_list as _env_list,
)
from needlepoint.core.photo_storage_env import photo_storage_setting
from needlepoint.settings_parts.base import (
    BASE_DIR,
    DATA_DIR,
    NEEDLEPOINT_ENV,
    PRODUCTION,
    PROJECT_DIR,  # noqa: F401 (a setting other modules read)
)
from needlepoint.settings_parts.clinic_files import *  # noqa: F403
from needlepoint.settings_parts.logging_config import *  # noqa: F403
from needlepoint.settings_parts.messaging import *  # noqa: F403
from needlepoint.settings_parts.operations import *  # noqa: F403

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 (refused in production)
SECRET_KEY = _env("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "needlepoint.site.views.csrf_failure"

# HTTPS: on by default in production, off for local development.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# A load balancer's health check may reach the app over plain HTTP on its own network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading HSTS is a one-way decision for the clinic's whole domain: the operator opts in.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if _env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append the client's address to X-Forwarded-For
# (1 for the documented TLS proxy). 0 ignores the header: a client could forge it.
# needlepoint.core.client_ip reads it for rate limits (ours and allauth's) and the audit.
NEEDLEPOINT_TRUSTED_PROXIES = _env_int("NEEDLEPOINT_TRUSTED_PROXIES", 0, 0)
ALLAUTH_TRUSTED_PROXY_COUNT = NEEDLEPOINT_TRUSTED_PROXIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"


def _refuse_unsafe_production() -> None:
    problems = []
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the host names the clinic uses (no '*')")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not (SECURE_SSL_REDIRECT and SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE):
        problems.append(
            "HTTPS must be on: SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE and "
            "CSRF_COOKIE_SECURE must not be turned off"
        )
    if SECURE_HSTS_SECONDS < 3600:
        problems.append("SECURE_HSTS_SECONDS must be at least 3600")
    if problems:
        raise ImproperlyConfigured(
            "Needlepoint refuses to start in production: " + "; ".join(problems)
        )


if PRODUCTION:
    _refuse_unsafe_production()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "needlepoint.audit",
    "needlepoint.core",
    "needlepoint.accounts",
    "needlepoint.clinic",
    "needlepoint.patients",
    "needlepoint.screening",
    "needlepoint.treatments",
    "needlepoint.site",
    "needlepoint.scheduling",
    "needlepoint.notifications",
    "needlepoint.waitlist",
    "needlepoint.outcomes",
    "needlepoint.charting",
    "needlepoint.followups",
    "needlepoint.interop",
    "needlepoint.booking",
    "needlepoint.portal",
    "needlepoint.team",
    "needlepoint.setup",
    "needlepoint.privacy",
    "needlepoint.backup",
    "needlepoint.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "needlepoint.core.middleware.RequestContextMiddleware",
    "needlepoint.core.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "needlepoint.accounts.middleware.IdleTimeoutMiddleware",
    "needlepoint.accounts.middleware.StaffMustEnrolTotpMiddleware",
    "needlepoint.site.middleware.ClinicTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "needlepoint.charting.kiosk.KioskMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "needlepoint.core.middleware.PageRefusalsMiddleware",
]

ROOT_URLCONF = "needlepoint.urls"
WSGI_APPLICATION = "needlepoint.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "needlepoint.site.context.clinic",
            ],
        },
    }
]

# Database: SQLite under ./var by default; PostgreSQL (psycopg 3) through DATABASE_URL.
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'needlepoint.sqlite3'}")
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL Needlepoint understands: {exc}"
    ) from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["CONN_MAX_AGE"] = 0
    if NEEDLEPOINT_ENV == "test":
        # A file, not Django's shared in-memory database: the live server's threads (browser
        # tests) then each get their own connection, as in production, instead of
        # interleaving on one. One file per run (xdist workers add their own suffix).
        _test_db = Path(tempfile.gettempdir()) / f"needlepoint-test-{os.getppid()}.sqlite3"
        _database["TEST"] = {"NAME": str(_test_db)}
    _database["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, so a booking's
        # re-check and insert can never interleave with another writer's.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;",
    }
if NEEDLEPOINT_ENV == "test" and _database["ENGINE"].endswith("postgresql"):
    # One test database per test run (xdist workers share their parent's id and add their
    # own suffix), so two suites on one server never drop each other's database.
    _database["TEST"] = {"NAME": f"test_{_database['NAME']}_{os.getppid()}"}
DATABASES = {"default": _database}
# Reports read from a replica when one is named (docs/decisions/0670-reports-read-a-replica.md);
# nothing else does: the router sends only reads made inside the reports' selectors there.
DATABASE_REPLICA_URL = _env("DATABASE_REPLICA_URL")
NEEDLEPOINT_REPORTS_DATABASE = ""
if DATABASE_REPLICA_URL:
    try:
        _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL is not a database URL Needlepoint understands: {exc}"
        ) from None
    DATABASES["replica"] = _replica
    NEEDLEPOINT_REPORTS_DATABASE = "replica"
if NEEDLEPOINT_ENV == "test":
    # Tests always have the replica's alias, as a mirror of the test database (no second
    # test database), and the reports' own tests read through it (tests/reports/conftest.py).
    # Other tests read reports from the primary: a mirror's connection cannot see the rows
    # a test wrote inside its transaction.
    _mirror: dict[str, Any] = {**DATABASES.get("replica", _database)}
    _mirror["TEST"] = {"MIRROR": "default"}
    if _mirror["ENGINE"] == "django.db.backends.sqlite3":
        # A test opens a transaction on every alias it names; the copy only reads, so its
        # BEGIN must not take the write lock the primary's BEGIN IMMEDIATE needs.
        _mirror["OPTIONS"] = {**_mirror.get("OPTIONS", {}), "transaction_mode": "DEFERRED"}
    DATABASES["replica"] = _mirror  # type: ignore[assignment]
    NEEDLEPOINT_REPORTS_DATABASE = ""
DATABASE_ROUTERS = ["needlepoint.reports.database.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = _env("CACHE_URL")
if _cache_url:
    CACHES = caches_from_url(_cache_url)
elif NEEDLEPOINT_ENV == "test":
    # Tests clear the cache around every test (tests/conftest.py); a test database's cache
    # table would outlive the flush between live-server tests and carry counters over.
    CACHES = caches_from_url("locmem://")
else:
    CACHES = {"default": DATABASE_CACHE}

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if NEEDLEPOINT_ENV == "test":
    # Argon2 is slow on purpose; the suite creates hundreds of users. Production and
    # development hash with Argon2 (tests/core/test_settings.py checks that).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Sessions: idle timeouts by role are applied per request (accounts.middleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STAFF_IDLE_TIMEOUT = timedelta(minutes=_env_int("STAFF_IDLE_MINUTES", 15, 1))
PATIENT_IDLE_TIMEOUT = timedelta(minutes=_env_int("PATIENT_IDLE_MINUTES", 30, 1))

# allauth: login by username or email, verified email for patients, TOTP for staff.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ALLOW_REGISTRATION = False  # patients are invited by the clinic (see decisions)
ACCOUNT_ADAPTER = "needlepoint.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Per account (key) and, more loosely, per address: one clinic's staff share one
    # public address, so one person's typos must not lock out everybody's sign-in.
    "login_failed": "20/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
LOGIN_REDIRECT_URL = "site:home"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = _env("NEEDLEPOINT_CLINIC_NAME", "Needlepoint")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # the database holds UTC; the clinic's zone is applied at the edges
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "private")},
    },
    # Photos: the private folder (as "default"), or an S3-compatible bucket when
    # NEEDLEPOINT_PHOTO_STORAGE is s3://bucket/prefix. Read only through the storage API.
    "photos": photo_storage_setting(
        _env("NEEDLEPOINT_PHOTO_STORAGE"),
        folder=str(DATA_DIR / "private"),
        endpoint_url=_env("NEEDLEPOINT_S3_ENDPOINT_URL"),
    ),
    # Hashed names (cache-forever) in production; plain names elsewhere so tests and
    # development need no collectstatic.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "private"  # never served: photos go through authorised views
WHITENOISE_USE_FINDERS = not PRODUCTION

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

NEEDLEPOINT_CLINIC_NAME = _env("NEEDLEPOINT_CLINIC_NAME", "Needlepoint Facial Plastics")
NEEDLEPOINT_DEMO_PASSWORD = _env("NEEDLEPOINT_DEMO_PASSWORD")

# Notifications (reminders outbox, SMS, calendar feeds), public booking and the waitlist.
# Absolute links in messages: the configured site; unset, the first allowed host over HTTPS in
# production, else where `needlepoint serve` listens (its --host/--port follow, 0221).
NEEDLEPOINT_BASE_URL = _env("NEEDLEPOINT_BASE_URL").rstrip("/")
if NEEDLEPOINT_BASE_URL and not NEEDLEPOINT_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"NEEDLEPOINT_BASE_URL must start with https:// or http://, not {NEEDLEPOINT_BASE_URL!r}"
    )
NEEDLEPOINT_BASE_URL_FOLLOWS_SERVE = not NEEDLEPOINT_BASE_URL and not PRODUCTION
if not NEEDLEPOINT_BASE_URL:
    NEEDLEPOINT_BASE_URL = (
        f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
        if PRODUCTION and ALLOWED_HOSTS
        else served_base_url(_env("NEEDLEPOINT_HOST", "127.0.0.1"), _env_int("PORT", 8000, 1))
    )
