"""The tablet pages refuse skipped steps, keep what was typed, and follow the roles."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_page_walks_the_steps_and_refuses_to_skip_one(day, staff_client, aesthetician):
    client = staff_client(aesthetician)
    url = f"/staff/appointments/{day.id}/treatment/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="step-consent"' in page.content.decode()
    skipped = client.post(url, {"step": "chart", "device": "micropen-1"})
    assert skipped.status_code == 409
    assert 'data-rule="CONSENT_REQUIRED"' in skipped.content.decode()
    signed = client.post(url, {"step": "consent", "signature": "Pat Persona"})
    assert signed.status_code == 302
    assert 'id="step-day-of"' in client.get(url).content.decode()


def test_a_refused_consent_keeps_the_form(day, staff_client, aesthetician):
    client = staff_client(aesthetician)
    url = f"/staff/appointments/{day.id}/treatment/"
    response = client.post(url, {"step": "consent", "signature": "Pat", "photo_release": "on"})
    assert response.status_code == 422
    text = response.content.decode()
    assert 'value="Pat"' in text and "SIGNATURE_REQUIRED" in text


def test_a_blocking_day_of_check_offers_to_rebook(day, staff_client, aesthetician):
    day.consent()
    client = staff_client(aesthetician)
    url = f"/staff/appointments/{day.id}/treatment/"
    answers = dict.fromkeys(
        (
            "active_skin_infection",
            "active_cold_sore",
            "open_wounds_or_irritated_skin",
            "active_inflamed_acne",
            "dermatitis_flare",
            "pregnant_or_breastfeeding",
            "new_medication",
        ),
        "no",
    )
    response = client.post(url, {"step": "day_of", **answers, "sunburn_last": "2027-02-25"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "SUNBURN_RECENT" in text and 'id="rebook"' in text and "2027-03-11" in text


def test_the_front_desk_cannot_chart(day, staff_client, front_desk):
    response = staff_client(front_desk).get(f"/staff/appointments/{day.id}/treatment/")
    assert response.status_code == 403


def test_receiving_an_expired_lot_on_the_page_keeps_the_values(clinic, staff_client, clinic_admin):
    client = staff_client(clinic_admin)
    body = {
        "product": "Cartridge",
        "ref": "R1",
        "lot": "OLD9",
        "expiry": "2027-01-01",
        "quantity": "5",
    }
    response = client.post("/staff/inventory/", body)
    assert response.status_code == 422
    text = response.content.decode()
    assert "LOT_EXPIRED" in text and 'value="OLD9"' in text
    page = client.get("/staff/inventory/")
    assert "L24A117" in page.content.decode() and "LOT_EXPIRING" in page.content.decode()


def test_a_physician_cosigns_and_an_aesthetician_amends_on_the_chart_page(
    day, staff_client, physician, aesthetician
):
    chart = day.signed_chart()
    url = f"/staff/charts/{chart['id']}/"
    assert staff_client(physician).post(url, {"action": "cosign"}).status_code == 302
    aria = staff_client(aesthetician)
    amend = aria.post(
        url, {"action": "amend", "field": "notes", "value": "late note", "reason": "forgot"}
    )
    assert amend.status_code == 302
    text = aria.get(url).content.decode()
    assert "co-signed by Phil" in text and "late note" in text and "forgot" in text
