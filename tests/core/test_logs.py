"""The server log carries request ids, never patient data: no message bodies (mail and texts
go to files in development), no names or addresses, no traceback for a refused request."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.notifications.clinic_fixtures import (  # noqa: F401
    TUESDAY_9,
    _clean_caches_and_sms,
    clinic,
    frozen,
)


@pytest.fixture
def server_log():
    """What the configured console handler would print, whatever pytest does to stderr."""
    root = logging.getLogger()
    (console,) = [h for h in root.handlers if isinstance(h, logging.StreamHandler)][:1]
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(console.formatter)
    for kept in console.filters:
        handler.addFilter(kept)
    root.addHandler(handler)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_a_booking_with_mail_and_a_refused_page_log_request_ids_not_patient_data(
    clinic,  # noqa: F811
    patient,
    staff_client,
    settings,
    tmp_path,
    server_log,
    capsys,
):
    # The development defaults (checked below): mail and texts to files.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.NEEDLEPOINT_SMS_BACKEND = "needlepoint.notifications.backends.sms.FileSmsBackend"
    settings.NEEDLEPOINT_SMS_FILE_PATH = str(tmp_path / "sms")
    body = {
        "given_name": "Philippa",
        "family_name": "Quarrington",
        "email": "philippa.q@example.com",
        "phone": "+1 555 0199",
        "date_of_birth": "1986-12-09",
        "start": TUESDAY_9,
    }
    booked = Client().post("/api/v1/bookings/consultation", body, content_type="application/json")
    assert booked.status_code == 201, booked.content
    assert "philippa.q@example.com" in next((tmp_path / "mail").iterdir()).read_text()
    refused = staff_client(patient, with_totp=False).get("/staff/patients/")
    assert refused.status_code == 403

    printed = capsys.readouterr()
    everything = server_log.getvalue() + printed.out + printed.err
    for secret in ("Philippa", "Quarrington", "philippa.q@example.com", "555 0199", "Pat"):
        assert secret not in everything
    assert "Traceback" not in everything
    assert refused["X-Request-ID"] in server_log.getvalue()


def test_development_sends_mail_and_texts_to_files_not_the_log(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NEEDLEPOINT_ENV": "development",
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='needlepoint.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.NEEDLEPOINT_SMS_BACKEND)"
    )
    ran = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    backend, folder, sms = ran.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert folder == str(tmp_path / "mail")
    assert sms == "needlepoint.notifications.backends.sms.FileSmsBackend"


def test_the_access_log_names_the_request_and_leaves_out_query_strings():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    from needlepoint.site.management.commands.serve import ACCESS_LOG_FORMAT

    config = Config()
    config.set("access_log_format", ACCESS_LOG_FORMAT)
    response = SimpleNamespace(
        status="200 OK", status_code=200, sent=512, headers=[("X-Request-ID", "req-7f3a")]
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/staff/patients/",
        "QUERY_STRING": "q=Quarrington",
        "RAW_URI": "/staff/patients/?q=Quarrington",
        "REMOTE_ADDR": "203.0.113.7",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://clinic.example.com/staff/patients/?q=Quarrington",
    }
    atoms = Logger(config).atoms(
        response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12)
    )
    line = ACCESS_LOG_FORMAT % atoms
    assert '"GET /staff/patients/" 200' in line and "request=req-7f3a" in line
    assert "Quarrington" not in line
