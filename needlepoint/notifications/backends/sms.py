"""SMS backends, chosen by ``NEEDLEPOINT_SMS_BACKEND`` (a dotted path), like Django's email
backends: console for development, a file per message or an in-memory list for tests, and
an adapter for a real provider (docs/decisions/0131-sms-backend-interface.md).

A backend sends one text and returns the provider's message id. ``idempotency_key`` is the
outbox key: a provider that deduplicates on it (most HTTP SMS APIs accept one) turns a resend
after a crash into a no-op; the others may deliver it twice (the at-least-once boundary).
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sms:
    to: str
    body: str
    idempotency_key: str


class BaseSmsBackend:
    def send(self, message: Sms) -> str:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, message: Sms) -> str:
        sys.stdout.write(f"--- SMS to {message.to} [{message.idempotency_key}]\n{message.body}\n")
        sys.stdout.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


class FileSmsBackend(BaseSmsBackend):
    """One JSON file per text under ``NEEDLEPOINT_SMS_FILE_PATH``."""

    def send(self, message: Sms) -> str:
        folder = Path(settings.NEEDLEPOINT_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        message_id = uuid.uuid4().hex
        (folder / f"{message_id}.json").write_text(
            json.dumps(
                {"to": message.to, "body": message.body, "key": message.idempotency_key},
                ensure_ascii=False,
            )
        )
        return message_id


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps texts in ``LocmemSmsBackend.outbox`` (a class attribute), like Django's locmem."""

    outbox: ClassVar[list[Sms]] = []
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def send(self, message: Sms) -> str:
        with self._lock:
            self.outbox.append(message)
        return f"locmem-{len(self.outbox)}"


class TwilioSmsBackend(BaseSmsBackend):
    """Twilio's Messages API over HTTPS (settings: NEEDLEPOINT_TWILIO_ACCOUNT_SID,
    NEEDLEPOINT_TWILIO_AUTH_TOKEN, NEEDLEPOINT_TWILIO_FROM). Twilio does not deduplicate, so
    a resend after a crash between sending and marking sent can reach the phone twice."""

    def send(self, message: Sms) -> str:
        import requests

        sid = settings.NEEDLEPOINT_TWILIO_ACCOUNT_SID
        response = requests.post(
            f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json",
            data={"To": message.to, "From": settings.NEEDLEPOINT_TWILIO_FROM, "Body": message.body},
            auth=(sid, settings.NEEDLEPOINT_TWILIO_AUTH_TOKEN),
            timeout=15,
        )
        response.raise_for_status()
        payload: Any = response.json()
        return str(payload.get("sid", ""))


def get_sms_backend() -> BaseSmsBackend:
    backend_class = import_string(settings.NEEDLEPOINT_SMS_BACKEND)
    backend: BaseSmsBackend = backend_class()
    return backend
