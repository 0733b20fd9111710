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
