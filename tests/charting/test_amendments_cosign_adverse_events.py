"""Signed charts are locked (amendments beside the original), the medical director's
co-signature queue, and adverse events on the timeline and in the report."""

from __future__ import annotations

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.charting.models import SessionChart

pytestmark = pytest.mark.django_db


def test_an_amendment_is_shown_with_the_original(day, api, aesthetician):
    chart = day.signed_chart()
    response = api(aesthetician).post(
        f"/charts/{chart['id']}/amendments",
        {"reason": "late entry", "changes": {"immediate_reactions": "Mild oedema at 30 min."}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["immediate_reactions"] == "Even erythema, no bleeding after 5 minutes."
    assert body["current"]["immediate_reactions"] == "Mild oedema at 30 min."
    assert body["amendments"][0]["changes"] == {
        "immediate_reactions": {
            "from": "Even erythema, no bleeding after 5 minutes.",
            "to": "Mild oedema at 30 min.",
        }
    }
    assert body["amendments"][0]["reason"] == "late entry"


def test_an_amendment_needs_a_reason_and_may_not_touch_traceability(day, api, aesthetician):
    chart = day.signed_chart()
    response = api(aesthetician).post(
        f"/charts/{chart['id']}/amendments", {"reason": "", "changes": {"cartridge_lot": "X"}}
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "REASON_REQUIRED"
    assert [e["rule"] for e in response.json()["errors"]] == [
        "REASON_REQUIRED",
        "AMENDMENT_FIELD_UNKNOWN",
    ]


def test_an_unsigned_chart_is_not_amended_but_re_charted(day, api, aesthetician):
    day.ready()
    chart = day.chart().json()
    response = api(aesthetician).post(
        f"/charts/{chart['id']}/amendments", {"reason": "x", "changes": {"notes": "y"}}
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "CHART_NOT_SIGNED"


def test_a_signed_chart_row_is_never_changed_by_an_amendment(day, api, aesthetician):
    chart = day.signed_chart()
    before = SessionChart.objects.filter(pk=chart["id"]).values().get()
    api(aesthetician).post(
        f"/charts/{chart['id']}/amendments", {"reason": "typo", "changes": {"notes": "fixed"}}
    )
    after = SessionChart.objects.filter(pk=chart["id"]).values().get()
    assert before == after


def test_an_aestheticians_chart_waits_in_the_physicians_queue(day, api, physician):
    chart = day.signed_chart()
    queue = api(physician).get("/charts/awaiting-cosign").json()
    assert [c["id"] for c in queue["items"]] == [chart["id"]]
    cosigned = api(physician).post(f"/charts/{chart['id']}/cosign")
    assert cosigned.status_code == 200, cosigned.content
    assert cosigned.json()["cosigned_by"] == "phil"
    assert api(physician).get("/charts/awaiting-cosign").json()["count"] == 0
    again = api(physician).post(f"/charts/{chart['id']}/cosign")
    assert again.status_code == 409 and again.json()["rule"] == "ALREADY_COSIGNED"


def test_only_a_physician_cosigns(day, api, aesthetician, clinic_admin):
    chart = day.signed_chart()
    assert api(aesthetician).post(f"/charts/{chart['id']}/cosign").status_code == 403
    assert api(clinic_admin).post(f"/charts/{chart['id']}/cosign").status_code == 403


def test_a_physicians_own_chart_needs_no_cosignature(day, api, physician):
    day.ready()
    chart = day.chart(who=physician).json()
    signed = day.sign(chart["id"], who=physician).json()
    assert signed["needs_cosign"] is False
    assert api(physician).get("/charts/awaiting-cosign").json()["count"] == 0


def adverse(api, who, chart_id, **changes):
    body = {
        "chart": chart_id,
        "kind": "post_inflammatory_hyperpigmentation",
        "severity": "mild",
        "onset": "2027-03-01",
        "outcome": "ongoing",
        "actions": "Sun protection, review in 4 weeks.",
        **changes,
    }
    return api(who).post("/adverse-events", body)


def test_an_adverse_event_is_linked_to_the_session_and_audited(day, api, aesthetician):
    chart = day.signed_chart()
    response = adverse(api, aesthetician, chart["id"])
    assert response.status_code == 201, response.content
    assert response.json()["chart"] == chart["id"]
    assert AuditEvent.objects.filter(action="adverse_event.record").count() == 1


def test_adverse_event_values_are_checked(day, api, aesthetician):
    chart = day.signed_chart()
    response = adverse(api, aesthetician, chart["id"], kind="rash", onset="2027-02-01")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "onset"}
    assert adverse(api, aesthetician, 999999).status_code == 422
    assert adverse(api, aesthetician, chart["id"], kind="other").status_code == 422


def test_adverse_events_show_on_the_timeline_and_in_the_report(
    day, api, aesthetician, physician, staff_client, patient
):
    chart = day.signed_chart()
    adverse(api, aesthetician, chart["id"], severity="moderate")
    api(aesthetician).post(
        f"/charts/{chart['id']}/amendments", {"reason": "late", "changes": {"notes": "n"}}
    )
    client = staff_client(physician)
    timeline = client.get(f"/staff/patients/{patient.patient.pk}/treatment-timeline/")
    assert timeline.status_code == 200
    text = timeline.content.decode()
    assert "Post inflammatory hyperpigmentation" in text
    assert "Amendment" in text and "late" in text
    assert "L25C031" in text
    report = client.get("/staff/reports/adverse-events/")
    assert report.status_code == 200
    assert 'data-kind="post_inflammatory_hyperpigmentation" data-severity="moderate">1<' in (
        report.content.decode()
    )


def test_the_cosign_queue_page_lists_the_chart(day, staff_client, physician, aesthetician):
    chart = day.signed_chart()
    page = staff_client(physician).get("/staff/charts/cosign/")
    assert page.status_code == 200
    assert f"/staff/charts/{chart['id']}/" in page.content.decode()
    assert staff_client(aesthetician).get("/staff/charts/cosign/").status_code == 403
