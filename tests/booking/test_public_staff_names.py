"""Public answers never name staff by username (sign-in is by username): they give a display
name and an opaque public id, and a wrong id answers the same whether or not it is someone's
username (docs/decisions/0261-public-staff-ids.md)."""

from __future__ import annotations

import re

import pytest

from tests.notifications.clinic_fixtures import TUESDAY_9

pytestmark = pytest.mark.django_db

PERSON = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.com",
    "phone": "+1 555 0142",
    "date_of_birth": "1986-12-09",
}
DAY = {"service": "consultation", "start": "2027-03-02", "end": "2027-03-02"}


@pytest.fixture
def usernames(clinic, aesthetician, physician):
    """Usernames unlike anything else on the pages, so a leak cannot hide in other words."""
    names = []
    for persona, username in ((aesthetician, "zq-aria-login"), (physician, "zq-phil-login")):
        persona.user.username = username
        persona.user.last_name = "Kovacs"
        persona.user.save()
        names.append(username)
    return names


def _no_username_in(text: str, usernames: list[str]) -> None:
    for username in usernames:
        assert username not in text


def test_public_availability_names_staff_by_display_name_and_public_id(usernames, api):
    from needlepoint.accounts.models import User

    response = api().get("/availability", **DAY)
    assert response.status_code == 200, response.content
    _no_username_in(response.content.decode(), usernames)
    slot = response.json()["slots"][0]
    staff = User.objects.get(public_id=slot["staff"])
    assert slot["staff_name"] == staff.get_full_name()


def test_a_public_id_filters_the_public_availability(usernames, api, physician):
    response = api().get("/availability", staff=physician.user.public_id, **DAY)
    assert response.status_code == 200, response.content
    assert {s["staff"] for s in response.json()["slots"]} == {physician.user.public_id}


def test_a_probe_for_a_real_username_answers_exactly_as_one_for_a_made_up_name(usernames, api):
    real = api().get("/availability", staff=usernames[0], **DAY)
    fake = api().get("/availability", staff="zq-nobody-login", **DAY)
    assert real.status_code == fake.status_code == 422
    assert real.content == fake.content
    assert "zq-nobody-login" not in fake.content.decode()
    assert fake.json()["errors"][0]["field"] == "staff"


def test_a_patient_sees_public_ids_not_usernames(usernames, api, patient):
    response = api(patient).get("/availability", **DAY)
    _no_username_in(response.content.decode(), usernames)
    probe = api(patient).get("/availability", staff=usernames[0], **DAY)
    assert probe.status_code == 422
    booked = api(patient).post(
        "/appointments",
        {"service": "consultation", "start": TUESDAY_9, "patient": patient.patient.pk},
    )
    assert booked.status_code == 201, booked.content
    _no_username_in(booked.content.decode(), usernames)
    again = api(patient).get(f"/appointments/{booked.json()['id']}")
    assert again.status_code == 200
    _no_username_in(again.content.decode(), usernames)


def test_staff_keep_usernames_in_the_staff_api(usernames, api, front_desk):
    response = api(front_desk).get("/availability", staff=usernames[1], **DAY)
    assert response.status_code == 200
    assert {s["staff"] for s in response.json()["slots"]} == {usernames[1]}


def test_the_public_booking_pages_and_api_name_no_username(usernames, client, mailoutbox):
    for path in (
        "/",
        "/micro-needling/",
        "/micro-needling/screening/",
        "/book/consultation/",
        "/api/v1/services",
        "/api/v1/locations",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _no_username_in(response.content.decode(), usernames)
    booked = client.post(
        "/api/v1/bookings/consultation",
        {**PERSON, "start": TUESDAY_9},
        content_type="application/json",
    )
    assert booked.status_code == 201, booked.content
    _no_username_in(booked.content.decode(), usernames)
    manage = re.search(r"(/book/manage/[^/\s]+/)", mailoutbox[0].body).group(1)
    _no_username_in(client.get(manage).content.decode(), usernames)
    _no_username_in(mailoutbox[0].body, usernames)


def test_every_staff_member_gets_a_distinct_unguessable_public_id(usernames):
    from needlepoint.accounts.models import User

    ids = list(User.objects.values_list("public_id", flat=True))
    assert len(set(ids)) == len(ids)
    assert all(len(i) >= 16 for i in ids)
