"""The demo clinic's follow-ups: a proposed outcome visit, a missed one on the front desk's
list and a maintenance recall due; the portal patient's pages show a course in progress."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    settings.NEEDLEPOINT_DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("demo", stdout=io.StringIO())


def test_the_demo_has_a_missed_visit_a_recall_due_and_a_visit_to_book(demo):
    from needlepoint.accounts.models import User
    from needlepoint.followups.selectors import followup_list

    desk = User.objects.get(username="frontdesk")
    rows, _ = followup_list(actor=desk, states=("missed", "due", "proposed", "done", "upcoming"))
    by_state: dict[str, set[str]] = {}
    for row in rows:
        by_state.setdefault(row.state, set()).add(row.patient.given_name)
    assert "Dmitri" in by_state["missed"]
    assert "Farah" in by_state["due"]
    assert "Esme" in by_state["proposed"] and "Esme" in by_state["done"]


def test_loading_the_demo_twice_adds_no_follow_ups(demo, settings):
    from needlepoint.followups.models import FollowUp
    from needlepoint.scheduling.models import Appointment

    counts = (FollowUp.objects.count(), Appointment.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (FollowUp.objects.count(), Appointment.objects.count()) == counts


def test_the_demo_portal_patient_sees_plan_progress_and_photos(demo):
    from needlepoint.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="patient"))
    assert "Hello, Ada" in client.get("/portal/").content.decode()
    progress = client.get("/portal/progress/").content.decode()
    assert '<svg class="chart"' in progress and "done" in progress
    photos = client.get("/portal/photos/").content.decode()
    assert "Before and after" in photos


def test_the_demo_front_desk_page_shows_the_missed_visit(demo):
    from needlepoint.accounts.models import User
    from tests.conftest import enrol_totp

    desk = User.objects.get(username="frontdesk")
    enrol_totp(desk)
    client = Client()
    client.force_login(desk)
    html = client.get("/staff/follow-ups/?tab=missed").content.decode()
    assert "Dmitri Placeholder" in html
