"""The demo clinic looks like a clinic in use: signed (and co-signed) charts, an adverse
event, stock used; a second load adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_demo_has_signed_charts_an_adverse_event_and_stock_used(settings):
    from needlepoint.charting.models import AdverseEvent, CartridgeUse, SessionChart

    settings.NEEDLEPOINT_DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("demo", stdout=io.StringIO())
    signed = SessionChart.objects.filter(status="signed")
    assert signed.count() >= 2
    assert signed.filter(cosigned_at__isnull=False).exists()
    assert signed.filter(needs_cosign=True, cosigned_at__isnull=True).exists()
    assert not SessionChart.objects.filter(status="draft").exists()
    assert AdverseEvent.objects.count() == 1
    assert CartridgeUse.objects.count() == signed.count()
    call_command("demo", stdout=io.StringIO())
    assert SessionChart.objects.count() == signed.count()
    assert AdverseEvent.objects.count() == 1
