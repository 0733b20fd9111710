"""The staff patient list: search and pages; a nonsense page number is page 1, not an error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["", "abc", "0", "-3", "1"])
def test_a_missing_or_nonsense_page_number_shows_the_first_page(
    page, front_desk, patient, staff_client
):
    response = staff_client(front_desk).get("/staff/patients/", {"q": "Persona", "page": page})
    assert response.status_code == 200
    assert "Persona, Pat" in response.content.decode()


def test_a_page_past_the_end_is_empty_not_an_error(front_desk, patient, staff_client):
    response = staff_client(front_desk).get("/staff/patients/", {"page": "99"})
    assert response.status_code == 200
    assert "No patients found." in response.content.decode()
