"""The demo group's clinic clock: Chicago is an hour behind New York, so just after midnight
in New York it is still yesterday in Chicago, and each location's "today" pages say so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db

# 11:30 pm on Tuesday 2 March 2027 in Chicago; 12:30 am on Wednesday 3 March in New York.
NEAR_MIDNIGHT = datetime(2027, 3, 3, 5, 30, tzinfo=UTC)
# 9:30 am on Wednesday in Chicago (10:30 am in New York).
MORNING = datetime(2027, 3, 3, 15, 30, tzinfo=UTC)


def signed_in(username: str):
    from django.test import Client

    from needlepoint.accounts.models import User
    from tests.conftest import enrol_totp

    user = User.objects.get(username=username)
    enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def load_at(moment: datetime) -> None:
    from needlepoint.demo.load import load_demo

    with time_machine.travel(moment, tick=False):
        load_demo("a long demo password 123", generated=False)


def test_near_midnight_each_location_has_its_own_today():
    from needlepoint.clinic.clock import clinic_today
    from needlepoint.clinic.models import Location

    load_at(NEAR_MIDNIGHT)
    with time_machine.travel(NEAR_MIDNIGHT, tick=False):  # the session starts then too
        client = signed_in("frontdesk2")
        assert clinic_today(Location.objects.get(slug="chicago")) == date(2027, 3, 2)
        assert clinic_today(Location.objects.get(slug="main")) == date(2027, 3, 3)
        chicago = client.get("/staff/calendar/?location=chicago&layout=list").content.decode()
        # Chicago's desk may not read New York's day (decision 0700); New York's desk may.
        assert client.get("/staff/calendar/?location=main&layout=list").status_code == 404
        new_york = (
            signed_in("frontdesk")
            .get("/staff/calendar/?location=main&layout=list")
            .content.decode()
        )
    assert "Tuesday 2 March" in chicago and "Needlepoint West Loop, Chicago" in chicago
    assert "Wednesday 3 March" in new_york and "Needlepoint Upper East Side, New York" in new_york


def test_chicago_today_page_lists_chicago_visits_in_chicago_time():
    """Loaded on a Wednesday morning, the Chicago desk's Today page (after the switch) lists
    Chicago's visits of the day, and New York's desk sees none of them."""
    from needlepoint.clinic.models import Location
    from needlepoint.core.templatetags.clock import clock
    from needlepoint.scheduling.models import Appointment

    load_at(MORNING)
    chicago = Location.objects.get(slug="chicago")
    today = Appointment.objects.filter(
        location=chicago, status="booked", start__date=date(2027, 3, 3)
    ).select_related("patient")
    assert today.exists()
    first = today.order_by("start").first()
    local = first.start.astimezone(chicago.zone)
    with time_machine.travel(MORNING, tick=False):
        client = signed_in("frontdesk2")
        client.post("/staff/calendar/location/", {"location": "chicago", "next": "/staff/"})
        html = client.get("/staff/").content.decode()
        desk = signed_in("frontdesk").get("/staff/").content.decode()
    assert "Today at Needlepoint West Loop, Chicago" in html
    assert first.patient.full_name in html
    assert clock(local) in html  # Chicago's wall clock, not New York's
    assert "Today at Needlepoint Upper East Side, New York" in desk
    assert first.patient.full_name not in desk
