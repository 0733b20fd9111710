from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .clinic import ensure_cartridges, ensure_location, ensure_services, ensure_working_hours
from .people import STAFF, ensure_people


@dataclass(frozen=True)
class DemoLogins:
    usernames: list[str]
    password: str
    generated: bool


def load_demo(password: str, generated: bool) -> DemoLogins:
    with transaction.atomic():
        location = ensure_location()
        ensure_services()
        users = ensure_people(password)
        location_today = timezone.localdate(timezone=location.zone)
        ensure_cartridges(location, location_today)
        clinicians = [users[n] for n in ("aesthetician", "aesthetician2", "physician")]
        ensure_working_hours(location, clinicians)
    return DemoLogins(
        usernames=[name for name, *_ in STAFF] + ["patient"], password=password, generated=generated
    )
