"""The role matrix in docs/roles.md, checked cell by cell against code, API and pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from needlepoint.accounts.roles import CAPABILITIES

ROLES = ["patient", "front_desk", "aesthetician", "physician", "clinic_admin"]
DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def documented_matrix() -> dict[str, dict[str, bool]]:
    matrix = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 + len(ROLES) and "." in cells[0] and " " not in cells[0]:
            matrix[cells[0]] = {role: cells[2 + i] == "yes" for i, role in enumerate(ROLES)}
    return matrix


def test_the_documented_matrix_lists_every_capability_in_the_code():
    assert set(documented_matrix()) == set(CAPABILITIES)


@pytest.mark.parametrize("capability", sorted(CAPABILITIES))
@pytest.mark.parametrize("role", ROLES)
def test_each_cell_of_the_documented_matrix_matches_the_code(capability, role):
    assert documented_matrix()[capability][role] == (role in CAPABILITIES[capability])


API_EXPECTATIONS = {
    # (method, path): {role: status}; "anonymous" is a caller without a token.
    ("GET", "/services"): dict.fromkeys([*ROLES, "anonymous"], 200),
    ("GET", "/locations"): dict.fromkeys([*ROLES, "anonymous"], 200),
    ("GET", "/locations/main/rooms"): {
        "patient": 403,
        "front_desk": 200,
        "aesthetician": 200,
        "physician": 200,
        "clinic_admin": 200,
        "anonymous": 401,
    },
    ("GET", "/patients"): {
        "patient": 403,
        "front_desk": 200,
        "aesthetician": 200,
        "physician": 200,
        "clinic_admin": 200,
        "anonymous": 401,
    },
    ("GET", "/patients/{other}"): {
        "patient": 404,
        "front_desk": 200,
        "aesthetician": 200,
        "physician": 200,
        "clinic_admin": 200,
        "anonymous": 401,
    },
    ("GET", "/patients/{other}/fhir"): {
        "patient": 403,
        "front_desk": 403,
        "aesthetician": 403,
        "physician": 200,
        "clinic_admin": 200,
        "anonymous": 401,
    },
    ("GET", "/me/fhir"): {
        "patient": 200,
        "front_desk": 403,
        "aesthetician": 403,
        "physician": 403,
        "clinic_admin": 403,
        "anonymous": 401,
    },
    ("GET", "/patients/{own}"): {
        "patient": 404,
        "front_desk": 200,
        "aesthetician": 200,
        "physician": 200,
        "clinic_admin": 200,
        "anonymous": 401,
    },
    ("POST", "/patients"): {
        "patient": 403,
        "front_desk": 201,
        "aesthetician": 201,
        "physician": 201,
        "clinic_admin": 201,
        "anonymous": 401,
    },
    ("GET", "/me"): {**dict.fromkeys(ROLES, 200), "anonymous": 401},
    ("GET", "/audit"): {
        "patient": 403,
        "front_desk": 403,
        "aesthetician": 403,
        "physician": 403,
        "clinic_admin": 200,
        "anonymous": 401,
    },
}


@pytest.fixture
def location(db):
    from needlepoint.demo.clinic import ensure_location

    return ensure_location()


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("endpoint", list(API_EXPECTATIONS), ids=lambda e: f"{e[0]} {e[1]}")
def test_api_answers_each_role_as_the_matrix_says(
    endpoint, role, personas, other_patient, api, location
):
    method, path = endpoint
    path = path.format(other=other_patient.patient.pk, own=personas["patient"].patient.pk)
    client = api(personas.get(role))
    if method == "GET":
        response = client.get(path)
    else:
        body = {
            "given_name": "Nova",
            "family_name": f"Matrix{role}",
            "date_of_birth": "1991-02-03",
            "email": f"nova.{role}@example.com",
        }
        response = client.post(path, body)
    assert response.status_code == API_EXPECTATIONS[endpoint][role], response.content


PAGE_EXPECTATIONS = {
    "/staff/": {
        "patient": 403,
        "front_desk": 200,
        "aesthetician": 200,
        "physician": 200,
        "clinic_admin": 200,
    },
    "/staff/patients/": {
        "patient": 403,
        "front_desk": 200,
        "aesthetician": 200,
        "physician": 200,
        "clinic_admin": 200,
    },
    "/staff/audit/": {
        "patient": 403,
        "front_desk": 403,
        "aesthetician": 403,
        "physician": 403,
        "clinic_admin": 200,
    },
    "/portal/": {
        "patient": 200,
        "front_desk": 403,
        "aesthetician": 403,
        "physician": 403,
        "clinic_admin": 403,
    },
    "/admin/": {
        "patient": 302,
        "front_desk": 302,
        "aesthetician": 302,
        "physician": 302,
        "clinic_admin": 200,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", list(PAGE_EXPECTATIONS))
def test_pages_answer_each_role_as_the_matrix_says(path, role, personas, staff_client):
    persona = personas[role]
    if role == "clinic_admin":
        persona.user.is_staff = persona.user.is_superuser = True
        persona.user.save()
    client = staff_client(persona, with_totp=role != "patient")
    response = client.get(path)
    assert response.status_code == PAGE_EXPECTATIONS[path][role]


# ---------------------------------------------------------------- the endpoint table


def documented_endpoint(endpoint: str) -> tuple[str, dict[str, int]]:
    """The row of the "Where each capability is enforced" table that starts with the
    endpoint: its capability, and its refusals ("role": without the capability, "not
    theirs": someone else's object)."""
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].split(",")[0].strip() == f"`{endpoint}`":
            capability = cells[1].split()[0]
            parts = [p.strip() for p in cells[2].split(";")]
            refusals = {"role": int(parts[0].split()[0])}
            for part in parts[1:]:
                if part.startswith("not theirs"):
                    refusals["not theirs"] = int(part.split()[-1])
            return capability, refusals
    raise AssertionError(f"{endpoint} is not in docs/roles.md")


def expected_status(endpoint: str, role: str) -> int | None:
    """The documented refusal for this role, or None when the table grants it."""
    capability, refusals = documented_endpoint(endpoint)
    return None if documented_matrix()[capability][role] else refusals["role"]


@pytest.fixture
def stored_screening(patient, front_desk):
    import time_machine

    from needlepoint.screening.services import screening_submit
    from tests.screening.conftest import answers

    with time_machine.travel("2027-01-10 15:00:00+00:00", tick=False):
        submitted = screening_submit(
            actor=front_desk.user,
            data=answers(consent_to_store=True),
            channel="api",
            patient=patient.patient,
        )
    return submitted.screening


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_stored_screening_answers_as_the_table_says(
    role, personas, api, stored_screening
):
    response = api(personas[role]).get(f"/screenings/{stored_screening.pk}")
    expected = expected_status("GET /api/v1/screenings/{id}", role)
    assert response.status_code == (expected or 200), response.content


@pytest.fixture
def outcome_visits(patient, other_patient, aesthetician):
    from datetime import date

    from needlepoint.followups.services import followups_propose
    from tests.followups.test_followups import finished_plan

    def visit(persona):
        plan = finished_plan(persona.patient, aesthetician.user, date(2026, 12, 3))
        return followups_propose(actor=aesthetician.user, plan=plan)[0]

    return {"own": visit(patient), "not theirs": visit(other_patient)}


@pytest.mark.parametrize("role", ROLES)
def test_booking_a_follow_up_answers_as_the_table_says(role, personas, api, outcome_visits):
    endpoint = "POST /api/v1/follow-ups/{id}/book"
    client = api(personas[role])
    # A time long past: whoever may book gets as far as the booking rules (409/422).
    body = {"start": "2001-01-02T10:00:00+00:00"}
    own = client.post(f"/follow-ups/{outcome_visits['own'].pk}/book", body)
    expected = expected_status(endpoint, role)
    if expected is not None:
        assert own.status_code == expected, own.content
        return
    assert own.status_code in {409, 422}, own.content
    others = client.post(f"/follow-ups/{outcome_visits['not theirs'].pk}/book", body)
    if role == "patient":
        assert others.status_code == documented_endpoint(endpoint)[1]["not theirs"]
    else:
        assert others.status_code in {409, 422}, others.content
