"""Treatment day through the API: the steps in order, and every refusal with its rule."""

from __future__ import annotations

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.charting.models import CartridgeUse, ConsentSignature, DayOfCheck
from needlepoint.clinic.models import CartridgeLot, Device

from .conftest import CHART

pytestmark = pytest.mark.django_db


def rule_of(response):
    body = response.json()
    assert body.get("code") == body.get("rule"), body
    return body["rule"]


def test_an_aesthetician_walks_consent_check_chart_and_sign(day, appointment):
    assert day.consent().status_code == 201
    assert day.check().status_code == 201
    chart = day.chart()
    assert chart.status_code == 201, chart.content
    assert chart.json()["status"] == "draft"
    signed = day.sign(chart.json()["id"])
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert body["status"] == "signed" and body["needs_cosign"] is True
    assert body["zones"][0] == {
        "zone": "cheeks",
        "depth_mm": 1.25,
        "passes": 3,
        "reason": "",
        "rule": "DEPTH_OK",
    }
    appointment.refresh_from_db()
    assert appointment.status == "completed"


def test_charting_without_signed_consent_is_409(day):
    response = day.chart()
    assert response.status_code == 409
    assert rule_of(response) == "CONSENT_REQUIRED"


def test_charting_before_the_day_of_check_is_409(day):
    day.consent()
    response = day.chart()
    assert response.status_code == 409
    assert rule_of(response) == "DAY_OF_CHECK_REQUIRED"


def test_a_failed_day_of_check_is_409_recorded_and_blocks_the_chart(day, appointment):
    day.consent()
    response = day.check(active_cold_sore="yes")
    assert response.status_code == 409, response.content
    body = response.json()
    assert rule_of(response) == "DAY_OF_CHECK_FAILED"
    assert [r["code"] for r in body["check"]["reasons"]] == ["ACTIVE_COLD_SORE"]
    assert body["rebook"]["earliest"] is None
    check = DayOfCheck.objects.get(appointment=appointment)
    assert check.blocked and check.verdict == "defer"
    assert AuditEvent.objects.filter(action="day_of_check.record").count() == 1
    chart = day.chart()
    assert chart.status_code == 409
    assert rule_of(chart) == "DAY_OF_CHECK_FAILED"
    assert chart.json()["rebook"]["appointment"] == appointment.pk


def test_day_of_dates_are_judged_as_of_the_appointment_date(day):
    day.consent()
    response = day.check(filler_in_area_last="2027-02-20")
    assert response.status_code == 409
    assert response.json()["rebook"]["earliest"] == "2027-03-06"


def test_a_day_of_check_with_bad_values_is_422_and_records_nothing(day, appointment):
    day.consent()
    response = day.check(active_cold_sore="maybe", sunburn_last="2027-03-09")
    assert response.status_code == 422
    assert not DayOfCheck.objects.filter(appointment=appointment).exists()


def test_exhausted_stock_is_409(day, patient, aesthetician, appointment):
    from .conftest import make_appointment

    CartridgeLot.objects.filter(lot="L25C031").update(quantity_received=1)
    first = day.signed_chart()
    assert first["cartridge_lot"] == "L25C031"
    second = make_appointment(
        patient=patient.patient, staff=aesthetician.user, plan_id=appointment.plan_id, session=2
    )
    day.id = second.pk
    day.ready()
    refused = day.chart()
    assert refused.status_code == 409, refused.content
    assert rule_of(refused) == "LOT_EXHAUSTED"
    assert day.chart(cartridge_lot="L24A117").status_code == 201


def test_the_first_session_needs_baseline_photos_before_signing(day, patient):
    from needlepoint.outcomes.models import Photo

    Photo.objects.filter(patient=patient.patient).delete()
    day.ready()
    chart = day.chart().json()
    response = day.sign(chart["id"])
    assert response.status_code == 409
    assert rule_of(response) == "BASELINE_PHOTOS_REQUIRED"


def test_signing_twice_is_409(day):
    chart = day.signed_chart()
    again = day.sign(chart["id"])
    assert again.status_code == 409
    assert rule_of(again) == "CHART_ALREADY_SIGNED"
    rechart = day.chart()
    assert rechart.status_code == 409
    assert rule_of(rechart) == "CHART_ALREADY_SIGNED"


def test_an_expired_lot_is_422(day, clinic):
    day.ready()
    CartridgeLot.objects.create(
        location=clinic,
        product="cartridge",
        ref="EMP-12-0.5",
        lot="OLD1",
        expiry="2027-02-01",
        quantity_received=5,
        received_on="2026-01-01",
    )
    response = day.chart(cartridge_lot="OLD1")
    assert response.status_code == 422
    assert rule_of(response) == "LOT_EXPIRED"
    assert response.json()["errors"][0]["field"] == "cartridge_lot"


def zones(*entries):
    return [{"zone": z, "depth_mm": d, "passes": 2, **extra} for z, d, extra in entries]


def test_a_depth_over_the_face_ceiling_is_422(day):
    day.ready()
    response = day.chart(zones=zones(("cheeks", 2.0, {})))
    assert response.status_code == 422
    assert rule_of(response) == "DEPTH_ABOVE_FACE_CEILING"
    assert response.json()["errors"][0]["field"] == "zones[0].depth_mm"


def test_a_depth_over_the_operator_ceiling_is_422(day, settings):
    settings.NEEDLEPOINT_SCOPE_CEILINGS = "aesthetician=1.0/2.0"
    day.ready()
    response = day.chart(zones=zones(("cheeks", 1.25, {})))
    assert response.status_code == 422
    assert rule_of(response) == "DEPTH_ABOVE_OPERATOR_CEILING"


def test_an_unknown_zone_is_422(day):
    day.ready()
    response = day.chart(zones=zones(("elbow", 1.0, {})))
    assert response.status_code == 422
    assert rule_of(response) == "ZONE_UNKNOWN"


def test_a_pen_not_in_service_is_409(day):
    day.ready()
    Device.objects.filter(slug="micropen-2").update(status="maintenance")
    response = day.chart(device="micropen-2")
    assert response.status_code == 409
    assert rule_of(response) == "DEVICE_NOT_IN_SERVICE"


def test_anesthetic_is_refused_when_the_patient_is_allergic(day, appointment):
    from needlepoint.treatments.models import TreatmentPlan

    TreatmentPlan.objects.filter(pk=appointment.plan_id).update(
        precautions=[{"code": "NO_TOPICAL_ANESTHETIC", "message": "numbing-cream allergy"}]
    )
    day.ready()
    response = day.chart()
    assert response.status_code == 422
    assert rule_of(response) == "ANESTHETIC_CONTRAINDICATED"
    assert day.chart(anesthetic="").status_code == 201


def test_a_product_not_approved_needs_a_physician_override(day, physician):
    day.ready()
    serum = [{"product": "vitamin-c-serum", "lot": "VC1", "override_reason": "asked for it"}]
    response = day.chart(topicals=serum)
    assert response.status_code == 422
    assert rule_of(response) == "TOPICAL_NOT_APPROVED"
    by_physician = day.chart(who=physician, topicals=serum)
    assert by_physician.status_code == 201, by_physician.content
    assert by_physician.json()["topicals"][0]["approved"] is False


def test_a_depth_outside_the_plan_needs_a_reason(day):
    day.ready()
    response = day.chart(zones=zones(("cheeks", 0.75, {})))
    assert response.status_code == 422
    assert rule_of(response) == "DEPTH_OUTSIDE_PLAN_RANGE"
    assert response.json()["errors"][0]["field"] == "zones[0].reason"
    ok = day.chart(zones=zones(("cheeks", 0.75, {"reason": "thin skin, first session"})))
    assert ok.status_code == 201
    assert ok.json()["zones"][0]["rule"] == "DEPTH_OUTSIDE_PLAN_RANGE"


def test_stock_is_decremented_exactly_once_per_chart(day, api, physician):
    lot = CartridgeLot.objects.get(lot="L25C031")

    def in_stock():
        body = api(physician).get("/inventory/cartridges").json()
        return next(i for i in body["items"] if i["lot"] == "L25C031")["in_stock"]

    before = in_stock()
    day.ready()
    first = day.chart()
    assert first.status_code == 201
    again = day.chart(notes="re-charted before signing")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    day.sign(first.json()["id"])
    assert in_stock() == before - 1
    assert CartridgeUse.objects.filter(lot=lot).count() == 1


def test_the_same_idempotency_key_charts_once(day):
    day.ready()
    headers = {"Idempotency-Key": "chart-1"}
    one = day.client.post(f"/appointments/{day.id}/chart", CHART, headers=headers)
    two = day.client.post(f"/appointments/{day.id}/chart", CHART, headers=headers)
    assert one.status_code == two.status_code == 201
    assert one.json() == two.json()
    assert CartridgeUse.objects.count() == 1


def test_consent_must_be_signed_again_when_the_text_changes(day, appointment, settings, tmp_path):
    from pathlib import Path

    assert day.consent().status_code == 201
    text = Path(settings.NEEDLEPOINT_CONSENT_FILE).read_text()
    text = text.replace('current: "2026.11"', 'current: "2027.01"')
    block = text[text.index('  - version: "2026.11"') : text.index("photo_release:")]
    text = text.replace("photo_release:", block.replace("2026.11", "2027.01") + "photo_release:", 1)
    changed = tmp_path / "consent.yaml"
    changed.write_text(text.replace("about an hour", "about 45 minutes"))
    settings.NEEDLEPOINT_CONSENT_FILE = changed
    check = day.check()
    assert check.status_code == 409
    assert rule_of(check) == "CONSENT_REQUIRED"
    old = day.consent(consent_version="2026.11")
    assert old.status_code == 422
    assert rule_of(old) == "CONSENT_VERSION_NOT_CURRENT"
    new = day.consent()
    assert new.status_code == 201
    assert new.json()["version"] == "2027.01"
    assert day.check().status_code == 201
    hashes = set(ConsentSignature.objects.values_list("text_hash", flat=True))
    assert len(hashes) == 2


def test_a_consent_is_stored_immutably_with_version_signer_time_and_hash(day):
    from needlepoint.charting.selectors import consent_library

    body = day.consent().json()
    library = consent_library()
    assert body["version"] == library.current.version
    assert body["text_hash"] == library.current.text_hash
    assert body["signer_name"] == "Pat Persona" and body["collected_by"] == "aria"
    consent = ConsentSignature.objects.get(pk=body["id"])
    consent.signature = "Someone Else"
    with pytest.raises(ValueError):
        consent.save()
    with pytest.raises(ValueError):
        consent.delete()


def test_a_consent_needs_a_full_name(day):
    response = day.consent(signature="P")
    assert response.status_code == 422
    assert rule_of(response) == "SIGNATURE_REQUIRED"


def test_a_photo_release_is_passed_to_the_outcomes_record(day, patient):
    from needlepoint.outcomes.models import PhotoRelease

    day.consent(photo_release=True)
    release = PhotoRelease.objects.get(patient=patient.patient)
    assert release.granted is True and release.source.startswith("consent:")


def test_only_the_operator_signs_their_chart(day, physician):
    day.ready()
    chart = day.chart().json()
    response = day.sign(chart["id"], who=physician)
    assert response.status_code == 409
    assert rule_of(response) == "NOT_THE_OPERATOR"


@pytest.mark.parametrize(
    ("role", "status"),
    [("patient", 403), ("front_desk", 403), ("clinic_admin", 403), ("physician", 201)],
)
def test_only_clinicians_chart(day, api, personas, role, status):
    day.ready()
    response = api(personas[role]).post(f"/appointments/{day.id}/chart", CHART)
    assert response.status_code == status


def test_malformed_bodies_are_422_not_500(day):
    day.ready()
    for body in (
        {"device": 3},
        {**CHART, "zones": "cheeks"},
        {**CHART, "zones": [{"zone": "cheeks", "depth_mm": "deep", "passes": 1}]},
        {**CHART, "zones": [{"zone": "cheeks", "depth_mm": -1, "passes": 1}]},
        {**CHART, "extra": 1},
    ):
        response = day.client.post(f"/appointments/{day.id}/chart", body)
        assert response.status_code == 422, (body, response.content)
    assert day.client.post(f"/appointments/{day.id}/day-of-check", {"x": 1}).status_code == 422
    assert day.client.post(f"/appointments/{day.id}/consent", []).status_code == 422
