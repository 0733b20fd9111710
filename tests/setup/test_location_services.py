"""Setup: a location's own services (offered or not, minutes and price there) and its opening
hours, set by the clinic admin; a refusal sits beside its box and what was typed stays
(decisions 0710, 0711)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.clinic.models import Location, Service, ServiceOffering


def _page(clinic: Any) -> str:
    return reverse("setup:location_services", args=[clinic.slug])


def _form(**changes: Any) -> dict[str, Any]:
    """Every active service offered on its own terms, with ``changes`` (field suffix by
    service slug: {"consultation": {"duration_minutes": "45"}})."""
    data: dict[str, Any] = {}
    for service in Service.objects.filter(active=True):
        data[f"service-{service.pk}-offered"] = "on"
        for name, value in changes.get(service.slug, {}).items():
            data[f"service-{service.pk}-{name}"] = value
            if name == "offered" and not value:
                del data[f"service-{service.pk}-offered"]
    return data


def test_the_locations_page_links_each_locations_services(admin: Any, clinic: Any) -> None:
    html = admin.get(reverse("setup:locations")).content.decode()
    assert _page(clinic) in html
    assert "The hours staff work there" in html


def test_the_admin_sets_a_locations_services(admin: Any, clinic: Any) -> None:
    page = admin.get(_page(clinic))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Micro-needling consultation" in html and 'placeholder="30"' in html
    response = admin.post(
        _page(clinic),
        _form(
            consultation={"duration_minutes": "45", "price": "95.50"},
            **{"microneedling-body": {"offered": ""}},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    consultation = ServiceOffering.objects.get(location=clinic, service__slug="consultation")
    assert (consultation.duration_minutes, consultation.price) == (45, Decimal("95.50"))
    body = ServiceOffering.objects.get(location=clinic, service__slug="microneedling-body")
    assert body.offered is False
    event = AuditEvent.objects.filter(action="location.services").latest("id")
    assert {c["service"] for c in event.detail["changed"]} == {"consultation", "microneedling-body"}
    shown = admin.get(_page(clinic)).content.decode()
    assert 'value="45"' in shown and 'value="95.50"' in shown


def test_a_bad_duration_is_refused_beside_its_box_keeping_every_value(
    admin: Any, clinic: Any
) -> None:
    consultation = Service.objects.get(slug="consultation")
    response = admin.post(
        _page(clinic),
        _form(consultation={"duration_minutes": "2", "price": "95"}),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "between 5 and 480 minutes" in html
    assert 'value="2"' in html and 'value="95"' in html
    assert not ServiceOffering.objects.filter(
        location=clinic, service=consultation, duration_minutes=2
    ).exists()
    words = admin.post(_page(clinic), _form(consultation={"price": "ninety"}))
    assert words.status_code == 422
    assert "Enter an amount such as 250" in words.content.decode()
    assert 'value="ninety"' in words.content.decode()


def test_opening_hours_are_set_in_words_on_the_location(admin: Any, clinic: Any) -> None:
    edit = reverse("setup:location_edit", args=[clinic.slug])
    assert "Leave empty to show the hours staff work here" in admin.get(edit).content.decode()
    response = admin.post(
        edit,
        {
            "name": clinic.name,
            "address": clinic.address,
            "phone": clinic.phone,
            "time_zone": clinic.time_zone,
            "opening_hours": "Monday to Saturday, 8 am to 8 pm",
        },
    )
    assert response.status_code == 302
    assert Location.objects.get(pk=clinic.pk).opening_hours == "Monday to Saturday, 8 am to 8 pm"
    assert (
        "Monday to Saturday, 8 am to 8 pm" in admin.get(reverse("setup:locations")).content.decode()
    )
