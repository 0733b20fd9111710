"""The location matrix's second half (issue #15, decision 0700): the entry points that take an
object bound to a location and were not yet checked. Same world as ``test_location_matrix``:
A (main) and B (uptown); staff granted only A get 404 acting on B's objects, group-wide staff
reach both."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from .test_location_matrix import frozen, world  # noqa: F401  (the two-location world)


def _chart(world: Any, slug: str, **changes: Any) -> Any:  # noqa: F811
    from needlepoint.charting.models import SessionChart

    appointment = world["appointments"][slug]
    values: dict[str, Any] = {
        "appointment": appointment,
        "patient": appointment.patient,
        "session_date": appointment.start.date(),
        "operator": appointment.staff,
        "operator_role": "aesthetician",
        "device": world["pens"][slug],
        "cartridge_lot": world["lots"][slug],
        "zones": [
            {"zone": "cheeks", "depth_mm": 1.0, "passes": 2, "reason": "", "rule": "DEPTH_OK"}
        ],
        "endpoint": "even_erythema",
        "protocol_version": "test",
        "status": "signed",
        "signed_at": appointment.end,
        "needs_cosign": True,
    }
    values.update(changes)
    return SessionChart.objects.create(**values)


@pytest.fixture
def charts(world: Any) -> dict[str, Any]:  # noqa: F811
    return {slug: _chart(world, slug) for slug in ("main", "uptown")}


CHART_ACTIONS = [
    ("cosign", "physician_a", {}),
    ("amendments", "clinician_a", {"changes": {"endpoint": "pinpoint_bleeding"}, "reason": "typo"}),
]


@pytest.mark.parametrize("action", CHART_ACTIONS, ids=lambda a: a[0])
def test_acting_on_a_chart_at_B_is_404_for_staff_granted_only_A(
    action,
    world,  # noqa: F811
    charts,
    api,
    frozen,  # noqa: F811
):
    name, who, body = action
    client = api(world["people"][who])
    refused = client.post(f"/charts/{charts['uptown'].pk}/{name}", body)
    assert refused.status_code == 404, refused.content
    answered = client.post(f"/charts/{charts['main'].pk}/{name}", body)
    assert answered.status_code != 404, answered.content
    # Reading stays shared: the chart is part of the patient's record (decision 0700).
    assert client.get(f"/charts/{charts['uptown'].pk}").status_code == 200


def test_signing_a_draft_chart_at_B_is_404_for_a_clinician_at_A(
    world,  # noqa: F811
    api,
    frozen,  # noqa: F811
):
    drafts = {
        slug: _chart(world, slug, status="draft", signed_at=None, needs_cosign=False)
        for slug in ("main", "uptown")
    }
    client = api(world["people"]["clinician_a"])
    assert client.post(f"/charts/{drafts['uptown'].pk}/sign", {}).status_code == 404
    assert client.post(f"/charts/{drafts['main'].pk}/sign", {}).status_code != 404


def test_a_group_wide_physician_cosigns_at_both(
    world,  # noqa: F811
    charts,
    api,
    make_persona,
    frozen,  # noqa: F811
):
    client = api(make_persona("physician_group", "physician"))
    for slug in ("uptown", "main"):
        answer = client.post(f"/charts/{charts[slug].pk}/cosign", {})
        assert answer.status_code == 200, answer.content


def test_the_chart_page_reads_Bs_chart_but_refuses_acting_on_it(
    world,  # noqa: F811
    charts,
    staff_client,
    frozen,  # noqa: F811
):
    client = staff_client(world["people"]["physician_a"])
    at_b = charts["uptown"].pk
    assert client.get(f"/staff/charts/{at_b}/").status_code == 200
    assert client.post(f"/staff/charts/{at_b}/", {"action": "cosign"}).status_code == 404
    assert (
        client.post(f"/staff/charts/{charts['main'].pk}/", {"action": "cosign"}).status_code == 302
    )


RECEIPT = {"product": "Cartridge", "ref": "REF-9", "lot": "LOT-NEW", "expiry": "2028-06-01"}


def test_receiving_stock_names_a_location_within_reach(
    world,  # noqa: F811
    api,
    make_persona,
    frozen,  # noqa: F811
):
    from needlepoint.clinic.models import CartridgeLot

    admin_a = api(world["people"]["admin_a"])
    refused = admin_a.post(
        "/inventory/cartridges", {**RECEIPT, "quantity": 5, "location": "uptown"}
    )
    assert refused.status_code == 404
    # Someone who works at one location may leave it out: received there.
    assert admin_a.post("/inventory/cartridges", {**RECEIPT, "quantity": 5}).status_code == 201
    assert CartridgeLot.objects.get(lot="LOT-NEW").location == world["a"]
    group = api(world["people"]["group_admin"])
    missing = group.post("/inventory/cartridges", {**RECEIPT, "quantity": 5})
    assert missing.status_code == 422
    assert "location" in missing.content.decode()
    placed = group.post("/inventory/cartridges", {**RECEIPT, "quantity": 5, "location": "uptown"})
    assert placed.status_code == 201, placed.content
    assert CartridgeLot.objects.filter(lot="LOT-NEW", location=world["b"]).exists()


def _patient_seen_only_at_B(world: Any) -> Any:  # noqa: F811
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment

    other = Patient.objects.create(
        given_name="Bea", family_name="Uptown", date_of_birth="1980-01-01", email="bea@example.com"
    )
    at_b = world["appointments"]["uptown"]
    later = timedelta(hours=1)  # the staff member and room are busy at B's first visit
    Appointment.objects.create(
        patient=other,
        service=at_b.service,
        location=world["b"],
        staff=at_b.staff,
        room=at_b.room,
        start=at_b.start + later,
        end=at_b.end + later,
        busy_until=at_b.busy_until + later,
        booked_via="staff",
    )
    return other


def test_the_outcome_report_counts_the_patients_treated_within_reach(
    world,  # noqa: F811
    api,
    patient,
    make_persona,
    frozen,  # noqa: F811
):
    from needlepoint.outcomes.models import Assessment

    other = _patient_seen_only_at_B(world)
    for who in (patient.patient, other):
        for on, grade in (("2026-01-05", "3"), ("2026-06-01", "2")):
            Assessment.objects.create(
                patient=who,
                concern="acne_scars",
                grade=grade,
                kind="before_session",
                assessed_on=on,
            )

    def patients(persona: Any) -> int:
        [acne] = api(persona).get("/reports/outcomes").json()["concerns"]
        return int(acne["patients"])

    assert patients(world["people"]["physician_a"]) == 1  # the patient seen at A only
    assert patients(make_persona("physician_group", "physician")) == 2


def test_the_adverse_event_report_counts_events_within_reach(
    world,  # noqa: F811
    charts,
    make_persona,
    frozen,  # noqa: F811
):
    from needlepoint.charting.adverse_event_selectors import adverse_event_report
    from needlepoint.charting.models import AdverseEvent

    for slug in ("main", "uptown"):
        AdverseEvent.objects.create(
            patient=charts[slug].patient,
            chart=charts[slug],
            kind="prolonged_erythema",
            severity="mild",
            onset="2027-03-02",
            outcome="resolved",
            recorded_by=world["people"]["physician_a"].user,
            recorded_at=charts[slug].signed_at,
        )
    mine = adverse_event_report(actor=world["people"]["physician_a"].user)
    assert (mine.total, mine.sessions) == (1, 1)
    group = adverse_event_report(actor=make_persona("physician_group", "physician").user)
    assert (group.total, group.sessions) == (2, 2)


def test_a_locations_services_page_is_404_for_another_locations_admin(
    world,  # noqa: F811
    staff_client,
    frozen,  # noqa: F811
):
    admin_a = staff_client(world["people"]["admin_a"])
    assert admin_a.get("/staff/setup/locations/uptown/services/").status_code == 404
    assert admin_a.post("/staff/setup/locations/uptown/services/", {}).status_code == 404
    assert admin_a.get("/staff/setup/locations/main/services/").status_code == 200
    group = staff_client(world["people"]["group_admin"])
    for slug in ("uptown", "main"):
        assert group.get(f"/staff/setup/locations/{slug}/services/").status_code == 200


def test_moving_a_visit_to_a_location_out_of_reach_is_refused(
    world,  # noqa: F811
    api,
    frozen,  # noqa: F811
):
    from needlepoint.scheduling.models import Appointment

    at_a = world["appointments"]["main"]
    clerk = api(world["people"]["clerk_a"])
    moved = clerk.post(
        f"/appointments/{at_a.pk}/reschedule",
        {"start": "2027-03-04T15:00:00Z", "location": "uptown"},
    )
    assert moved.status_code == 404
    unknown = clerk.post(
        f"/appointments/{at_a.pk}/reschedule",
        {"start": "2027-03-04T15:00:00Z", "location": "nowhere"},
    )
    assert unknown.status_code == 422 and "location" in unknown.content.decode()
    assert Appointment.objects.get(pk=at_a.pk).location == world["a"]


def test_the_appointment_pages_where_lists_only_reachable_locations(
    world,  # noqa: F811
    staff_client,
    frozen,  # noqa: F811
):
    from needlepoint.scheduling.models import Appointment

    at_a = world["appointments"]["main"]
    clerk = staff_client(world["people"]["clerk_a"])
    page = clerk.get(f"/staff/calendar/appointments/{at_a.pk}/").content.decode()
    assert "Uptown" not in page
    # Asking for B by hand keeps the visit where it is.
    clerk.post(
        f"/staff/calendar/appointments/{at_a.pk}/",
        {"location": "uptown", "date": "2027-03-04", "start": "2027-03-04T10:00-05:00"},
    )
    assert Appointment.objects.get(pk=at_a.pk).location == world["a"]
    group = staff_client(world["people"]["clerk_group"])
    assert "Uptown" in group.get(f"/staff/calendar/appointments/{at_a.pk}/").content.decode()
