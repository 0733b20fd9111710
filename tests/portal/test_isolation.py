"""A patient never reaches another patient's anything: every API operation and page with an
object in its path is tried, as the patient, with the other patient's object. The lists are
enumerated from the OpenAPI document and the URLconf, so a new endpoint is covered (or, with
a path parameter this test does not know, fails until it is taught it)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .world import build_world

pytestmark = pytest.mark.django_db

# Public pages whose string token is the credential (signed manage links, calendar feeds):
# another patient's object can't be named in them, only a token, checked in their own tests.
TOKEN_PARAMS = {"token"}
# Clinic setup (services, locations) is named by slug and belongs to no patient.
CLINIC_PARAMS = {"slug"}
# The clinic admin's setup pages (rooms, pens, staff hours, consent versions): the same.
SETUP_PAGES = ("staff/setup/",)
ALLOWED = {403, 404}
# Bodies that would pass validation, so that the object check, not the schema, answers.
BODIES = {
    "cancel": {"reason": "not mine"},
    "reschedule": {"start": "2027-03-08T10:00:00-05:00"},
    "share": {"shared": True},
    "consent": {"consent_version": "current", "signature": "Otto Persona", "photo_release": True},
    "book": {"start": "2027-03-08T10:00:00-05:00"},
    "photo-releases": {"granted": True, "source": "x"},
    "assessments": {"concern": "acne_scars", "grade": "1", "kind": "baseline"},
    "amendments": {"determination": "candidate", "reason": "not mine"},
    "clearance": {"cleared": True, "notes": ""},
}
# A body the schema refuses is answered before any object is looked up (it reveals nothing);
# these operations, which change another patient's things, must reach the object check.
MUST_REACH_OBJECT = {
    "/api/v1/appointments/{appointment_id}/cancel",
    "/api/v1/appointments/{appointment_id}/reschedule",
    "/api/v1/appointments/{appointment_id}/consent",
    "/api/v1/photos/{photo_id}/share",
    "/api/v1/follow-ups/{followup_id}/book",
    "/api/v1/consultations/{consultation_id}/amendments",
}
SCHEMA_REFUSAL = b"The request has invalid values."


@pytest.fixture
def theirs(frozen: Any, other_patient: Any, aesthetician: Any) -> dict[str, Any]:
    from needlepoint.followups.models import FollowUp
    from needlepoint.notifications.models import CalendarFeedToken
    from needlepoint.outcomes.models import Photo
    from needlepoint.waitlist.models import WaitlistEntry

    world = build_world(other_patient.patient, aesthetician.user)
    patient = other_patient.patient
    feed = CalendarFeedToken.objects.create(user=aesthetician.user, token_hash="f" * 64, prefix="f")
    return {
        "patient_id": patient.pk,
        "duplicate_id": patient.pk,
        "appointment_id": world.rows["appointment"].pk,
        "plan_id": world.rows["plan"].pk,
        "consultation_id": world.rows["consultation"].pk,
        "screening_id": world.rows["screening"].pk,
        "chart_id": world.rows["chart"].pk,
        "photo_id": Photo.objects.filter(patient=patient, shared_with_patient=True).first().pk,
        "entry_id": WaitlistEntry.objects.filter(patient=patient).first().pk,
        "followup_id": FollowUp.objects.filter(patient=patient).first().pk,
        "feed_id": feed.pk,
        "action": "check-in",  # the calendar card's buttons (check in, no-show, done)
        "user_id": aesthetician.user.pk,  # the clinic admin's staff pages
    }


def _api_operations() -> list[tuple[str, str]]:
    from needlepoint.api import api

    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if "{" in path and not set(re.findall(r"{(?:\w+:)?(\w+)}", path)) <= CLINIC_PARAMS
        for method in operations
    ]


def _fill(path: str, values: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        assert name in values, f"teach tests/portal/test_isolation.py the parameter {name!r}"
        return str(values[name])

    return re.sub(r"[{<]([^}>]+)[}>]", one, path)


def _body(path: str) -> dict[str, Any]:
    last = path.rstrip("/").split("/")[-1]
    return BODIES.get(last, {})


def _snapshot(ids: dict[str, Any]) -> dict[str, Any]:
    from needlepoint.charting.models import ConsentSignature
    from needlepoint.followups.models import FollowUp
    from needlepoint.outcomes.models import Photo
    from needlepoint.scheduling.models import Appointment

    appointment = Appointment.objects.get(pk=ids["appointment_id"])
    return {
        "appointment": (appointment.status, appointment.start),
        "photo": Photo.objects.get(pk=ids["photo_id"]).shared_with_patient,
        "consents": ConsentSignature.objects.filter(patient_id=ids["patient_id"]).count(),
        "followup": FollowUp.objects.get(pk=ids["followup_id"]).appointment_id,
    }


def test_every_api_operation_on_another_patients_object_answers_403_or_404(api, patient, theirs):
    import json

    before = _snapshot(theirs)
    client = api(patient)
    checked = []
    for method, path in _api_operations():
        url = _fill(path, theirs).removeprefix("/api/v1")
        if method == "GET":
            response = client.get(url)
        else:
            response = client.client.generic(
                method,
                f"/api/v1{url}",
                json.dumps(_body(path)),
                content_type="application/json",
                headers=client.headers,
            )
        schema_refusal = response.status_code == 422 and SCHEMA_REFUSAL in response.content
        if method == "GET" or path in MUST_REACH_OBJECT or not schema_refusal:
            assert response.status_code in ALLOWED, (
                method,
                path,
                response.status_code,
                response.content[:300],
            )
        assert b"Otto" not in response.content
        checked.append(path)
    assert _snapshot(theirs) == before
    # The kinds of object the issue names are all among those tried.
    for needle in (
        "appointments",
        "plans",
        "consultations",
        "screenings",
        "photos",
        "charts",
        "follow-ups",
    ):
        assert any(needle in p for p in checked), needle


def _page_routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    routes = []
    for route in walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/", "accounts/", "static/")) or "<" not in route:
            continue
        if route.startswith(SETUP_PAGES):  # clinic setup: no patient's object in their paths
            continue
        if route.startswith("clinic/"):  # the clinic's public picture, named by its hash
            continue
        params = {m.split(":")[-1] for m in re.findall(r"<([^>]+)>", route)}
        if params & TOKEN_PARAMS:
            continue
        routes.append(route)
    return routes


def test_every_page_on_another_patients_object_answers_403_or_404(patient, theirs):
    client = Client(raise_request_exception=False)
    client.force_login(patient.user)
    before = _snapshot(theirs)
    routes = _page_routes()
    assert any(r.startswith("portal/") for r in routes)
    for route in routes:
        url = "/" + _fill(route, theirs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in ALLOWED, (method, url, response.status_code)
            assert b"Otto" not in response.content
    assert _snapshot(theirs) == before


def test_the_patients_own_pages_never_show_another_patients_name(
    patient, other_patient, theirs, frozen
):
    from .world import build_world as build

    client = Client()
    client.force_login(patient.user)
    for url in (
        "/portal/",
        "/portal/appointments/",
        "/portal/progress/",
        "/portal/photos/",
        "/portal/forms/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Otto" not in response.content
    assert build  # the other patient's world exists (theirs), and nothing of it shows
