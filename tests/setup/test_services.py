"""Services: duration, buffer, price and the rest, in words; refusals beside the field."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.clinic.models import Service

GOOD = {
    "name": "Neck micro-needling",
    "description": "",
    "duration_minutes": "45",
    "buffer_after_minutes": "15",
    "room_kind": "treatment",
    "performer_roles": ["aesthetician", "physician"],
    "needs_device": "on",
    "is_treatment": "on",
    "online_booking": "",
    "price": "180",
    "currency": "USD",
}


def test_a_service_is_added_and_listed_in_words(admin: Any) -> None:
    response = admin.post(reverse("setup:service_new"), GOOD)
    assert response.status_code == 302
    service = Service.objects.get(name="Neck micro-needling")
    assert service.duration_minutes == 45 and str(service.price) == "180.00"
    assert service.is_treatment and service.needs_device and not service.online_booking
    page = admin.get(reverse("setup:services")).content.decode()
    assert "45 minutes" in page and "$180.00" in page and "15 minutes" in page
    assert AuditEvent.objects.filter(action="service.create", object_id=str(service.pk)).exists()


def test_a_negative_buffer_is_refused_beside_the_buffer(admin: Any) -> None:
    response = admin.post(reverse("setup:service_new"), {**GOOD, "buffer_after_minutes": "-5"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "cannot be negative" in page
    assert 'value="Neck micro-needling"' in page and 'value="-5"' in page
    assert not Service.objects.filter(name="Neck micro-needling").exists()


def test_a_service_name_taken_is_refused(admin: Any) -> None:
    taken = Service.objects.first()
    assert taken is not None
    response = admin.post(reverse("setup:service_new"), {**GOOD, "name": taken.name})
    assert response.status_code == 422
    assert "another service already has this name" in response.content.decode()


def test_a_service_is_changed_and_withdrawn_not_deleted(admin: Any) -> None:
    service = Service.objects.get(slug="consultation")
    form = admin.get(reverse("setup:service_edit", args=[service.pk])).content.decode()
    assert f'value="{service.name}"' in form
    response = admin.post(
        reverse("setup:service_edit", args=[service.pk]),
        {**GOOD, "name": service.name, "duration_minutes": "40", "room_kind": "consultation"},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.duration_minutes == 40
    admin.post(
        reverse("setup:service_active", args=[service.pk]), {"active": "no", "confirmed": "yes"}
    )
    service.refresh_from_db()
    assert service.active is False
