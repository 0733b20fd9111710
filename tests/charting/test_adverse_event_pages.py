"""Staff record an adverse event on a page, from the chart or the timeline; a refusal keeps
every value and changes nothing; the roles and the patient's own charts are respected."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "post_inflammatory_hyperpigmentation",
    "severity": "moderate",
    "onset": "2027-03-01",
    "actions": "Sunscreen SPF 50, hydroquinone 4% nightly.",
    "outcome": "ongoing",
    "description": "Brown patches on both cheeks.",
}


def url_for(patient) -> str:
    return f"/staff/patients/{patient.pk}/adverse-events/new/"


def test_an_aesthetician_records_an_event_and_it_shows_on_the_timeline_and_report(
    day, staff_client, aesthetician, physician, patient
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.charting.models import AdverseEvent

    chart = day.signed_chart()
    client = staff_client(aesthetician)
    detail = client.get(f"/staff/charts/{chart['id']}/").content.decode()
    link = f"{url_for(patient.patient)}?chart={chart['id']}"
    assert link in detail
    timeline = client.get(f"/staff/patients/{patient.patient.pk}/treatment-timeline/")
    assert link in timeline.content.decode()

    form = client.get(link)
    assert form.status_code == 200
    assert f'<option value="{chart["id"]}" selected>' in form.content.decode()

    response = client.post(url_for(patient.patient), {"chart": str(chart["id"]), **GOOD})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/patients/{patient.patient.pk}/treatment-timeline/"
    event = AdverseEvent.objects.get()
    assert event.chart_id == chart["id"] and event.patient_id == patient.patient.pk
    assert (event.kind, event.severity, event.outcome) == (
        "post_inflammatory_hyperpigmentation",
        "moderate",
        "ongoing",
    )
    assert event.actions == GOOD["actions"] and event.description == GOOD["description"]
    assert event.recorded_by_id == aesthetician.user.pk
    assert AuditEvent.objects.filter(action="adverse_event.record").count() == 1

    text = client.get(response["Location"]).content.decode()
    assert "Adverse event recorded." in text
    assert "Post inflammatory hyperpigmentation" in text and "hydroquinone 4%" in text
    assert "Post inflammatory hyperpigmentation" in (
        client.get(f"/staff/charts/{chart['id']}/").content.decode()
    )
    report = staff_client(physician).get("/staff/reports/adverse-events/").content.decode()
    assert 'data-kind="post_inflammatory_hyperpigmentation" data-severity="moderate">1<' in report


def test_bad_input_re_renders_with_the_values_and_each_error_by_its_field(
    day, staff_client, physician, patient
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.charting.models import AdverseEvent

    chart = day.signed_chart()
    client = staff_client(physician)
    body = {
        "chart": str(chart["id"]),
        **GOOD,
        "kind": "other",
        "severity": "catastrophic",
        "onset": "2027-13-45",
        "description": "",
    }
    response = client.post(url_for(patient.patient), body)
    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="id_severity_error"' in text and 'id="id_onset_error"' in text
    assert 'value="2027-13-45"' in text
    assert '<option value="other" selected>' in text
    assert f'<option value="{chart["id"]}" selected>' in text
    assert "hydroquinone 4%" in text

    # Past the form, the service's rules: onset before the session, "other" undescribed.
    body = {"chart": str(chart["id"]), **GOOD, "kind": "other", "onset": "2027-02-01"}
    body["description"] = ""
    response = client.post(url_for(patient.patient), body)
    assert response.status_code == 422
    text = response.content.decode()
    assert "ONSET_BEFORE_SESSION" in text and "DESCRIPTION_REQUIRED" in text
    assert 'id="id_onset_error"' in text and 'id="id_description_error"' in text
    assert 'value="2027-02-01"' in text and "Sunscreen SPF 50" in text

    missing = client.post(url_for(patient.patient), {**GOOD})
    assert missing.status_code == 422
    assert 'id="id_chart_error"' in missing.content.decode()

    assert not AdverseEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="adverse_event.record").exists()


def test_a_role_without_the_capability_is_refused(
    day, staff_client, front_desk, clinic_admin, patient
):
    from needlepoint.charting.models import AdverseEvent

    chart = day.signed_chart()
    body = {"chart": str(chart["id"]), **GOOD}
    desk, admin = staff_client(front_desk), staff_client(clinic_admin)
    for client in (desk, admin):
        assert client.get(url_for(patient.patient)).status_code == 403
        assert client.post(url_for(patient.patient), body).status_code == 403
    assert not AdverseEvent.objects.exists()
    # The clinic admin reads the timeline but is offered no form.
    timeline = admin.get(f"/staff/patients/{patient.patient.pk}/treatment-timeline/")
    assert timeline.status_code == 200
    assert "adverse-events/new/" not in timeline.content.decode()


def test_another_patients_chart_is_not_found(
    day, staff_client, aesthetician, patient, other_patient
):
    from needlepoint.charting.models import AdverseEvent

    chart = day.signed_chart()
    client = staff_client(aesthetician)
    other = url_for(other_patient.patient)
    assert client.post(other, {"chart": str(chart["id"]), **GOOD}).status_code == 404
    assert client.get(f"{other}?chart={chart['id']}").status_code == 404
    assert client.post(url_for(patient.patient), {"chart": "abc", **GOOD}).status_code == 404
    assert client.get("/staff/patients/999999/adverse-events/new/").status_code == 404
    assert not AdverseEvent.objects.exists()
