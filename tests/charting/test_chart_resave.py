"""The chart form shows what is stored: saving it again without edits changes nothing."""

from __future__ import annotations

import pytest

from .form_fields import form_fields

pytestmark = pytest.mark.django_db

STORED = (
    "device_id",
    "cartridge_lot_id",
    "anesthetic",
    "zones",
    "topicals",
    "endpoint",
    "immediate_reactions",
    "aftercare_given",
    "notes",
    "operator_id",
    "session_date",
    "protocol_version",
    "status",
)

FIRST_SAVE = {
    "step": "chart",
    "device": "micropen-1",
    "cartridge_lot": "L25C031",
    "anesthetic": "Lidocaine 4% cream, 30 min",
    "zone_0_depth": "1.25",
    "zone_0_passes": "3",
    "zone_1_depth": "0.5",
    "zone_1_passes": "2",
    "endpoint": "pinpoint_bleeding",
    "topical_product": "sterile-ha-serum",
    "topical_lot": "HA2611",
    "immediate_reactions": "Even erythema.",
    "aftercare_given": "on",
    "notes": "Tolerated well; asked about sunscreen.",
}


def _stored(chart):
    chart.refresh_from_db()
    return {name: getattr(chart, name) for name in STORED}


def test_saving_the_chart_again_without_edits_changes_nothing(day, staff_client, aesthetician):
    from needlepoint.charting.models import CartridgeUse, SessionChart

    day.ready()
    client = staff_client(aesthetician)
    url = f"/staff/appointments/{day.id}/treatment/"
    saved = client.post(url, FIRST_SAVE)
    assert saved.status_code == 302, saved.content.decode()
    chart = SessionChart.objects.get(appointment_id=day.id)
    before = _stored(chart)
    assert before["anesthetic"] and before["notes"] and before["aftercare_given"]
    assert before["topicals"][0]["lot"] == "HA2611"

    # After saving, the page opens on signing; the chart form is its own step.
    page = client.get(url + "?step=chart").content.decode()
    shown = form_fields(page, "chart-form")
    for name, value in FIRST_SAVE.items():
        assert shown.get(name) == value, (name, shown.get(name))

    again = client.post(url, shown)
    assert again.status_code == 302, again.content.decode()
    assert _stored(chart) == before
    assert CartridgeUse.objects.filter(chart=chart).count() == 1


def test_a_chart_saved_with_an_other_product_comes_back_as_other(
    day, staff_client, aesthetician, physician
):
    from needlepoint.charting.models import SessionChart

    day.ready()
    client = staff_client(physician)
    url = f"/staff/appointments/{day.id}/treatment/"
    body = {
        **FIRST_SAVE,
        "topical_product": "other",
        "topical_other": "Clinic-made serum",
        "topical_lot": "X1",
        "topical_override_reason": "Patient's own sterile product, checked",
    }
    assert client.post(url, body).status_code == 302
    chart = SessionChart.objects.get(appointment_id=day.id)
    before = _stored(chart)
    shown = form_fields(client.get(url + "?step=chart").content.decode(), "chart-form")
    assert shown["topical_product"] == "other"
    assert shown["topical_other"] == "Clinic-made serum"
    assert client.post(url, shown).status_code == 302
    assert _stored(chart) == before
