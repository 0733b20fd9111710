"""`needlepoint demo` loads the demo clinic; a second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list]:
    """Every row of every model, so 'changes nothing' is checked for real."""
    rows = {}
    for model in apps.get_models():
        if model._meta.label in {"sessions.Session", "core.IdempotencyRecord"}:
            continue
        rows[model._meta.label] = sorted(map(str, model.objects.values()))
    return rows


def load(settings) -> str:
    settings.NEEDLEPOINT_DEMO_PASSWORD = "a-demo-password-for-tests"
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_clinic_has_what_the_issue_lists(settings):
    from needlepoint.accounts.models import User
    from needlepoint.clinic.models import CartridgeLot, Device, Location, Room, Service

    output = load(settings)
    main = Location.objects.get(slug="main")
    assert main.time_zone == "America/New_York"
    assert set(Room.objects.values_list("slug", flat=True)) >= {
        "treatment-1",
        "treatment-2",
        "consult-1",
    }
    pens = Device.objects.filter(slug__in=["micropen-1", "micropen-2"])
    assert pens.count() == 2 and all(p.serial_number for p in pens)
    services = {s.slug: s for s in Service.objects.all()}
    assert services["microneedling-face"].duration_minutes == 60
    assert services["microneedling-face"].buffer_after_minutes == 15
    assert services["microneedling-face"].needs_device
    assert services["microneedling-face-neck"].duration_minutes == 75
    assert services["consultation"].duration_minutes == 30
    assert services["follow-up"].duration_minutes == 15
    assert {"microneedling-body", "signature-facial"} <= set(services)
    lots = CartridgeLot.objects.order_by("expiry")
    assert lots.count() >= 2 and (lots[0].expiry - lots[1].expiry).days < 0
    for username in ["admin", "frontdesk", "aesthetician", "aesthetician2", "physician", "patient"]:
        assert User.objects.filter(username=username).exists()
        assert username in output
    assert "a-demo-password-for-tests" in output


def test_loading_the_demo_twice_changes_nothing(settings):
    load(settings)
    first = snapshot()
    load(settings)
    assert snapshot() == first


def test_demo_logins_use_the_configured_password(settings):
    from django.contrib.auth import authenticate

    load(settings)
    assert authenticate(username="frontdesk", password="a-demo-password-for-tests") is not None


def test_the_demo_is_a_group_of_new_york_and_chicago_with_shared_staff(settings):
    """Issue #15: two locations in different zones, staff shared on some days, a cartridge
    lot stocked at both (a recall reaches both), and visits, charts and follow-ups at each."""
    from needlepoint.accounts.models import User
    from needlepoint.charting.models import SessionChart
    from needlepoint.clinic.models import CartridgeLot, Closure, Location, Room, WorkingHours
    from needlepoint.demo.people import WHERE_THEY_WORK
    from needlepoint.followups.models import FollowUp
    from needlepoint.scheduling.models import Appointment

    output = load(settings)
    main, chicago = Location.objects.get(slug="main"), Location.objects.get(slug="chicago")
    assert "New York" in main.name and main.address and main.phone
    assert chicago.time_zone == "America/Chicago" and chicago.address and chicago.phone
    assert Room.objects.filter(location=chicago).count() >= 2
    assert Closure.objects.filter(location=chicago).exists()
    shared = CartridgeLot.objects.filter(location=chicago).values_list("ref", "lot")
    assert CartridgeLot.objects.filter(location=main, ref__in=[r for r, _ in shared]).exists()
    assert set(shared) & set(CartridgeLot.objects.filter(location=main).values_list("ref", "lot"))
    # Who works where comes from one table, and the working hours follow it.
    for username, places in WHERE_THEY_WORK.items():
        user = User.objects.get(username=username)
        if user.role in {"aesthetician", "physician"}:
            for slug, days in places.items():
                worked = WorkingHours.objects.filter(staff=user, location__slug=slug)
                assert sorted(worked.values_list("weekday", flat=True)) == sorted(days)
    alex = User.objects.get(username="aesthetician")
    assert set(alex.working_hours.values_list("location__slug", flat=True)) == {"main", "chicago"}
    assert set(WHERE_THEY_WORK["frontdesk2"]) == {"chicago"}
    assert "Needlepoint West Loop, Chicago" in output  # the logins say who works where
    for location in (main, chicago):
        visits = Appointment.objects.filter(location=location)
        assert visits.filter(status="booked").exists() and visits.filter(status="completed")
        assert SessionChart.objects.filter(appointment__location=location).exists()
        assert FollowUp.objects.filter(plan__patient__appointments__location=location).exists()
    # A recall of the lot stocked at both locations reaches charts at both.
    used = SessionChart.objects.filter(cartridge_lot__lot__in=[lot for _, lot in shared])
    assert set(used.values_list("appointment__location__slug", flat=True)) == {"main", "chicago"}
    waiting = SessionChart.objects.filter(needs_cosign=True, cosigned_at__isnull=True)
    assert waiting.filter(appointment__location=chicago).exists()
    ada_in_chicago = Appointment.objects.filter(
        location=chicago, patient__email="ada.testwell@example.com", status="booked"
    )
    assert ada_in_chicago.exists()


def test_demo_staff_may_act_only_where_they_work(settings):
    """The who-works-where table is also where each demo login may act (decision 0700)."""
    from needlepoint.accounts.models import User
    from needlepoint.clinic.access import is_group_wide, may_act_at
    from needlepoint.clinic.models import Location

    load(settings)
    new_york, chicago = Location.objects.get(slug="main"), Location.objects.get(slug="chicago")
    reach = {
        username: (may_act_at(user, new_york), may_act_at(user, chicago), is_group_wide(user))
        for username, user in ((u.username, u) for u in User.objects.exclude(role="patient"))
    }
    assert reach["admin"] == (True, True, True)
    assert reach["frontdesk"] == (True, False, False)
    assert reach["frontdesk2"] == (False, True, False)
    assert reach["aesthetician"] == (True, True, False)
    assert reach["aesthetician2"] == (True, False, False)
    assert reach["physician"] == (True, True, False)
