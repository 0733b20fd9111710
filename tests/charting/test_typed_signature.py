"""A typed consent signature is the patient's own name; anyone else's is refused."""

from __future__ import annotations

import pytest

from needlepoint.domain.charting import typed_signature_matches


@pytest.mark.parametrize(
    "typed",
    ["Zoë Núñez", "zoe nunez", "  ZOË   NÚÑEZ ", "Núñez Zoë", "zoe\tnunez"],
)
def test_the_patients_own_name_matches_ignoring_case_accents_and_spaces(typed):
    assert typed_signature_matches(typed, "Zoë", "Núñez")


@pytest.mark.parametrize("typed", ["Somebody Else", "Zoe", "Zoe Nunez Smith", "", "Zoe N"])
def test_another_name_does_not_match(typed):
    assert not typed_signature_matches(typed, "Zoë", "Núñez")


@pytest.mark.django_db
def test_the_api_refuses_somebody_elses_typed_name(day):
    from needlepoint.charting.models import ConsentSignature

    response = day.consent(signature="Somebody Else")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "signature"
    assert body["code"] == "SIGNATURE_NOT_THE_PATIENT"
    assert "Pat Persona" not in body["errors"][0]["message"]
    assert not ConsentSignature.objects.exists()
    assert day.consent(signature="  pat   PERSONA ").status_code == 201


@pytest.mark.django_db
def test_the_tablet_page_refuses_somebody_elses_typed_name_and_keeps_it(
    day, staff_client, aesthetician
):
    client = staff_client(aesthetician)
    url = f"/staff/appointments/{day.id}/treatment/"
    response = client.post(url, {"step": "consent", "signature": "Somebody Else"})
    assert response.status_code == 422
    text = response.content.decode()
    assert 'value="Somebody Else"' in text and "own name as it is on their record" in text


@pytest.mark.django_db
def test_a_drawn_signature_needs_no_typed_name(day):
    from .test_consent_drawn_signature_page import png_data_url

    response = day.consent(signature=png_data_url(), signature_kind="drawn")
    assert response.status_code == 201, response.content
