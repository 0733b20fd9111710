"""Only the clinic admin opens the setup pages; anyone else gets a 403, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from needlepoint.audit.models import AuditEvent

PAGES = [
    "setup:home",
    "setup:locations",
    "setup:rooms",
    "setup:pens",
    "setup:cartridges",
    "setup:services",
    "setup:service_new",
    "setup:hours",
    "setup:closures",
    "setup:consent",
    "setup:consent_publish",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_clinic_admin_opens_every_setup_page(admin: Any, name: str) -> None:
    response = admin.get(reverse(name))
    assert response.status_code == 200
    assert b"Clinic setup" in response.content


@pytest.mark.parametrize("role", ["front_desk", "aesthetician", "physician"])
def test_other_staff_get_403_and_the_refusal_is_audited(
    clinic: Any, personas: dict[str, Any], staff_client: Any, role: str
) -> None:
    client = staff_client(personas[role])
    response = client.get(reverse("setup:pens"))
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(
        action="setup.open", outcome=AuditEvent.Outcome.DENIED, actor_id=str(personas[role].user.pk)
    )
    assert denied.count() == 1


def test_a_patient_gets_403_and_someone_signed_out_is_sent_to_sign_in(
    clinic: Any, patient: Any, client: Any
) -> None:
    assert client.get(reverse("setup:home")).status_code == 302
    client.force_login(patient.user)
    assert client.post(reverse("setup:pens"), {"label": "x"}).status_code == 403


def test_the_admins_nav_link_goes_to_the_setup_home(admin: Any) -> None:
    page = admin.get(reverse("site:staff_home")).content.decode()
    assert f'href="{reverse("setup:home")}">Clinic setup' in page


def test_the_setup_home_counts_each_area(admin: Any) -> None:
    page = admin.get(reverse("setup:home")).content.decode()
    assert "2 pens in service" in page
    assert "1 location<" in page
    assert "2 staff members with hours" in page


@pytest.mark.parametrize(
    "path",
    [
        "/staff/setup/locations/main/",
        "/staff/setup/rooms/1/",
        "/staff/setup/rooms/1/in-use/",
        "/staff/setup/pens/1/status/",
        "/staff/setup/services/1/",
        "/staff/setup/services/1/offered/",
        "/staff/setup/closures/1/remove/",
        "/staff/setup/time-off/1/remove/",
        "/staff/setup/consent/2026.11/",
    ],
)
def test_a_patient_reaches_no_setup_page_with_an_object_in_its_path(
    clinic: Any, patient: Any, client: Any, path: str
) -> None:
    client.force_login(patient.user)
    assert client.get(path).status_code in (403, 405)
    assert client.post(path, {"status": "retired", "active": "no"}).status_code == 403


def test_other_staff_reach_no_staff_members_hours(
    clinic: Any, front_desk: Any, aesthetician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    path = reverse("setup:hours_edit", args=[aesthetician.user.public_id])
    assert client.post(path, {}).status_code == 403
