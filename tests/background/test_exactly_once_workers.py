"""Two workers (each firing the periodic jobs and running the queue, as `needlepoint worker`
does) against one PostgreSQL database: each reminder goes out once, each waitlist offer is
made and sent once, each photo is measured once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.background.workers import drain, in_threads
from tests.notifications.clinic_fixtures import NOW, TUESDAY_9, TUESDAY_10

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
WEDNESDAY_MORNING = [f"2027-03-03T{h:02d}:{m:02d}:00-05:00" for h in (9, 10, 11) for m in (0, 30)]


def _worker(i: int) -> None:
    from needlepoint.core.background.periodic import fire_due
    from needlepoint.site.tasks import schedule

    fire_due(schedule(), now=timezone.now())
    drain(f"worker-{i}")


def _patient(n: int):
    from needlepoint.patients.models import Patient

    return Patient.objects.create(
        given_name=f"P{n}",
        family_name="Once",
        date_of_birth="1985-01-01",
        email=f"p{n}@example.com",
        phone=f"+1 555 01{n:02d}",
    )


def test_each_reminder_and_each_waitlist_offer_goes_out_once(clinic, booked, frozen, monkeypatch):
    from needlepoint.clinic.models import Service
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services import outbox
    from needlepoint.scheduling.services import appointment_cancel
    from needlepoint.waitlist.models import WaitlistOffer
    from needlepoint.waitlist.services import waitlist_join

    sent: list[tuple[str, str]] = []
    lock = threading.Lock()

    def transmit(message):
        with lock:
            sent.append((message.key, message.kind))

    monkeypatch.setattr(outbox, "_transmit", transmit)
    for n, start in enumerate(WEDNESDAY_MORNING):
        booked(start, who=_Persona(_patient(n)), created_at=NOW - timedelta(days=3))
    consultation = Service.objects.get(slug="consultation")
    for n in range(20, 24):
        waitlist_join(actor=None, patient=_patient(n), service=consultation)
    for n, start in ((30, TUESDAY_9), (31, TUESDAY_10)):
        freed = booked(start, who=_Persona(_patient(n)))
        appointment_cancel(actor=None, appointment=freed, reason="can't come")

    frozen.move_to(datetime.fromisoformat("2027-03-01T11:45:00-05:00"))  # 48-hour reminders due
    for _round in range(2):
        assert in_threads(2, _worker) == []
        frozen.shift(timedelta(minutes=1))  # the next period: everything fires again

    per_key = Counter(key for key, _kind in sent)
    assert per_key and max(per_key.values()) == 1  # nothing went out twice
    assert set(per_key) == set(
        OutboxMessage.objects.filter(status="sent").values_list("key", flat=True)
    )
    kinds = Counter(kind for _key, kind in sent)
    assert kinds["reminder_48h"] >= len(WEDNESDAY_MORNING)  # an email each (and texts)
    offers = WaitlistOffer.objects.count()
    assert offers >= 2 and kinds["waitlist_offer"] == offers  # each offer made and sent once


class _Persona:
    def __init__(self, patient) -> None:
        self.patient = patient


def test_each_photo_is_measured_once(monkeypatch):
    from needlepoint.outcomes import services
    from needlepoint.outcomes.tasks import measure_photo

    measured: list[int] = []
    lock = threading.Lock()

    def measure(*, photo_id: int) -> None:
        with lock:
            measured.append(photo_id)

    monkeypatch.setattr(services, "photo_measure_run", measure, raising=False)
    for photo_id in range(1, 41):
        measure_photo.enqueue(photo_id)
    assert in_threads(2, lambda i: drain(f"worker-{i}")) == []
    assert sorted(measured) == list(range(1, 41))
