"""Every portal page reads as words: no snake_case code (an enum value such as
`likely_candidate`, `chin_jawline`, `fine_lines_wrinkles`), no ISO date or timestamp, no
username and no "1 months" in the text a person reads (attributes are not read)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.words import CLOCK_24H, CODE, COUNTS, ISO, readable

from .world import NOW, _appointment, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(frozen: Any, patient: Any, aesthetician: Any) -> tuple[Client, list[str]]:
    from needlepoint.demo.clinic import ensure_location, ensure_working_hours
    from needlepoint.followups.models import FollowUp
    from needlepoint.treatments.models import PlanSession
    from needlepoint.waitlist.models import WaitlistEntry

    world = build_world(patient.patient, aesthetician.user)
    ensure_working_hours(ensure_location(), [aesthetician.user])
    plan = world.rows["plan"]
    plan.sessions, plan.recommendation = 4, {"interval_weeks_range": [3, 6]}
    plan.save(update_fields=["sessions", "recommendation"])
    PlanSession.objects.create(plan=plan, index=4)
    soon = _appointment(world, start=NOW + timedelta(days=8), status="booked")
    client = Client()
    client.force_login(patient.user)
    followup = FollowUp.objects.filter(patient=patient.patient).first()
    entry = WaitlistEntry.objects.get(patient=patient.patient)
    urls = [
        "/portal/",
        "/portal/appointments/",
        "/portal/forms/",
        "/portal/progress/",
        "/portal/photos/",
        "/portal/export/",
        f"/portal/plans/{plan.pk}/next-session/",
        f"/portal/plans/{plan.pk}/next-session/?day=2027-03-02",
        f"/portal/waitlist/{entry.pk}/withdraw/",
        f"/portal/appointments/{soon.pk}/reschedule/",
        f"/portal/appointments/{soon.pk}/cancel/",
        f"/portal/appointments/{soon.pk}/consent/",
        f"/portal/follow-ups/{followup.pk}/book/",
    ]
    return client, urls


def test_every_portal_page_reads_as_words(pages, patient, aesthetician):
    client, urls = pages
    usernames = {patient.user.username, aesthetician.user.username}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 422), (url, response.status_code)
        text = readable(response.content.decode())
        assert not CODE.findall(text), (url, CODE.findall(text))
        assert not ISO.findall(text), (url, ISO.findall(text))
        assert not COUNTS.findall(text), (url, COUNTS.findall(text))
        assert not CLOCK_24H.findall(text), (url, CLOCK_24H.findall(text))
        words = set(re.findall(r"[A-Za-z]+", text))
        assert not usernames & words, (url, usernames & words)
