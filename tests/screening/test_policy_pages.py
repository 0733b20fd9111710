"""Clinic setup pages for the screening policy and protocol table (/staff/setup/policy/):
only the clinic admin; a new version is checked by the file's parser, with the line of the
mistake and the text kept; putting in force and withdrawing are confirmed and audited."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from needlepoint.audit.models import AuditEvent
from needlepoint.screening import clinic_data, services
from needlepoint.screening.models import DataKind, DataOverride

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "needlepoint" / "data"
HOME = "/staff/setup/policy/"
NEW_POLICY = "/staff/setup/policy/screening-policy/new/"
SHIPPED_VERSION = 'version: "2026.11-default"'


def policy_text(version: str, months: int = 12) -> str:
    text = (DATA / "screening-policy.yaml").read_text()
    text = text.replace(SHIPPED_VERSION, f'version: "{version}"')
    return text.replace("within: {months: 6}}", f"within: {{months: {months}}}}}", 1)


def stored(actor, version: str, **kwargs) -> DataOverride:
    return services.data_override_create(
        actor=actor, kind=DataKind.SCREENING_POLICY, text=policy_text(version), **kwargs
    )


@pytest.fixture
def admin_client(clinic_admin, staff_client):
    clinic_admin.user.first_name, clinic_admin.user.last_name = "Ada", "Lovelace"
    clinic_admin.user.save()
    return staff_client(clinic_admin)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("persona", ["front_desk", "aesthetician", "physician", "patient"])
@pytest.mark.parametrize(
    "path",
    [
        HOME,
        NEW_POLICY,
        "/staff/setup/policy/screening-policy/shipped/",
        "/staff/setup/policy/protocol-table/withdraw/",
    ],
)
def test_only_the_clinic_admin_may_open_the_pages_and_refusals_are_audited(
    persona, path, request, staff_client
):
    client = staff_client(request.getfixturevalue(persona))
    assert client.get(path).status_code == 403
    assert AuditEvent.objects.filter(action="data_override.manage", outcome="denied").count() == 1


def test_a_refused_post_changes_nothing(aesthetician, staff_client):
    response = staff_client(aesthetician).post(NEW_POLICY, {"text": policy_text("sneaky")})
    assert response.status_code == 403
    assert DataOverride.objects.count() == 0


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert "login" in response["Location"]


# ---------------------------------------------------------------- overview and history


def test_the_shipped_file_is_in_force_when_no_version_is(admin_client):
    text = page_text(admin_client.get(HOME))
    assert '<h2 id="kind-screening-policy">Screening policy</h2>' in text
    assert '<h2 id="kind-protocol-table">Protocol table</h2>' in text
    assert "In force: <strong>version 2026.11-default</strong> (the shipped file)" in text
    assert "screening_policy" not in text and "protocol_table" not in text


def test_history_names_the_author_and_the_time_in_words(clinic_admin, admin_client):
    with time_machine.travel(datetime(2026, 12, 3, 14, 30, tzinfo=UTC), tick=False):
        stored(clinic_admin.user, "clinic-1", activate=False)
    with time_machine.travel(datetime(2026, 12, 4, 9, 5, tzinfo=UTC), tick=False):
        stored(clinic_admin.user, "clinic-2", activate=True)
    text = page_text(admin_client.get(HOME))
    assert "In force: <strong>version clinic-2</strong>, created by Ada Lovelace" in text
    assert "By Ada Lovelace on Thursday 3 December 2026, 2:30 pm" in text
    assert "By Ada Lovelace on Friday 4 December 2026, 9:05 am" in text
    rows = re.findall(
        r"<th scope=\"row\">([^<]+)</th>.*?<td>(?:<strong>)?(In force|Not in force)", text
    )
    # Screening policy: newest first, then the shipped file; then the protocol table.
    assert rows[:3] == [
        ("clinic-2", "In force"),
        ("clinic-1", "Not in force"),
        ("2026.11-default", "Not in force"),
    ]
    assert rows[3] == ("2026.11-default", "In force")
    assert "2026-12-03" not in text  # no ISO dates
    assert clinic_admin.user.username not in text  # full names, never the sign-in name


# ---------------------------------------------------------------- a new version


def test_the_form_starts_from_the_shipped_text(admin_client):
    response = admin_client.get(NEW_POLICY)
    assert response.status_code == 200
    assert SHIPPED_VERSION.replace('"', "&quot;") in response.content.decode()


def test_the_form_starts_from_a_chosen_version(clinic_admin, admin_client):
    row = stored(clinic_admin.user, "clinic-7", activate=False)
    response = admin_client.get(f"{NEW_POLICY}?from={row.pk}")
    assert "version: &quot;clinic-7&quot;" in response.content.decode()
    assert admin_client.get(f"{NEW_POLICY}?from=999").status_code == 404


def test_a_valid_version_is_saved_but_not_put_in_force(admin_client, clinic_admin):
    response = admin_client.post(NEW_POLICY, {"text": policy_text("clinic-3")})
    row = DataOverride.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/setup/policy/screening-policy/{row.pk}/"
    assert (row.version, row.is_active, row.created_by) == ("clinic-3", False, clinic_admin.user)
    event = AuditEvent.objects.get(action="data_override.create")
    assert event.detail == {"kind": "screening_policy", "version": "clinic-3", "active": False}
    assert clinic_data.current_policy().version == "2026.11-default"


def test_a_yaml_mistake_shows_its_line_and_keeps_the_text(admin_client):
    text = policy_text("clinic-4").replace("verdict: not_eligible", "verdict: maybe", 1)
    line = text[: text.index("verdict: maybe")].count("\n") + 1
    response = admin_client.post(NEW_POLICY, {"text": text})
    body = response.content.decode()
    assert response.status_code == 422
    assert f"Not saved. Line {line}: " in body
    assert re.search(rf"Line {line} reads:</p><pre[^>]*><code>\s*verdict: maybe</code>", body)
    assert "verdict: maybe" in body  # what was typed is still in the box
    assert 'aria-invalid="true"' in body
    assert DataOverride.objects.count() == 0


def test_broken_yaml_syntax_is_refused_with_its_line(admin_client):
    text = policy_text("clinic-5").replace("rules:", "rules: [", 1)
    response = admin_client.post(NEW_POLICY, {"text": text})
    assert response.status_code == 422
    assert re.search(r"Not saved\. Line \d+: ", response.content.decode())


def test_the_version_must_be_new(clinic_admin, admin_client):
    stored(clinic_admin.user, "clinic-6", activate=False)
    same_as_shipped = admin_client.post(NEW_POLICY, {"text": policy_text("2026.11-default")})
    assert same_as_shipped.status_code == 422
    assert "give it a new version" in same_as_shipped.content.decode()
    taken = admin_client.post(NEW_POLICY, {"text": policy_text("clinic-6")})
    assert taken.status_code == 422
    assert "exists already" in taken.content.decode()


def test_an_empty_text_is_refused(admin_client):
    response = admin_client.post(NEW_POLICY, {"text": "  "})
    assert response.status_code == 422
    assert "it is empty" in response.content.decode()


# ---------------------------------------------------------------- reading and comparing


def test_a_version_is_shown_with_its_changes_against_the_one_in_force(clinic_admin, admin_client):
    row = stored(clinic_admin.user, "clinic-8", activate=False)
    text = page_text(admin_client.get(f"/staff/setup/policy/screening-policy/{row.pk}/"))
    assert "Changes against the version in force" in text
    assert re.search(
        r'<tr class="diff-removed"><td>removed</td>.*?version: "2026', text.replace("&quot;", '"')
    )
    assert '<tr class="diff-added"><td>added</td>' in text
    assert "months: 12" in text
    assert admin_client.get("/staff/setup/policy/screening-policy/999/").status_code == 404
    assert admin_client.get("/staff/setup/policy/nonsense/shipped/").status_code == 404


def test_the_shipped_file_can_be_read(admin_client):
    response = admin_client.get("/staff/setup/policy/protocol-table/shipped/")
    assert response.status_code == 200
    assert "Protocol table version 2026.11-default" in response.content.decode()


# ---------------------------------------------------------------- in force and withdrawn


def test_putting_in_force_asks_first_and_says_what_changes(clinic_admin, admin_client):
    row = stored(clinic_admin.user, "clinic-9", activate=False)
    url = f"/staff/setup/policy/screening-policy/{row.pk}/put-in-force/"
    confirm = page_text(admin_client.get(url))
    assert (
        "Screenings from now on are judged by version clinic-9; stored screenings keep" in confirm
    )
    row.refresh_from_db()
    assert not row.is_active
    response = admin_client.post(url, {"expected": "shipped", "confirmed": "yes"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.is_active
    assert clinic_data.current_policy().version == "clinic-9"
    assert AuditEvent.objects.filter(
        action="data_override.activate", object_id=str(row.pk)
    ).exists()


def test_a_stale_confirmation_is_refused(clinic_admin, admin_client):
    first = stored(clinic_admin.user, "clinic-10", activate=False)
    second = stored(clinic_admin.user, "clinic-11", activate=True)
    url = f"/staff/setup/policy/screening-policy/{first.pk}/put-in-force/"
    response = admin_client.post(
        url, {"expected": "shipped", "confirmed": "yes"}
    )  # opened before clinic-11
    assert response.status_code == 409
    assert "Someone changed the version in force" in response.content.decode()
    second.refresh_from_db()
    assert second.is_active


def test_withdrawing_goes_back_to_the_shipped_file(clinic_admin, admin_client):
    row = stored(clinic_admin.user, "clinic-12", activate=True)
    url = "/staff/setup/policy/screening-policy/withdraw/"
    confirm = page_text(admin_client.get(url))
    assert "Withdraw screening policy version clinic-12?" in confirm
    assert "judged by version 2026.11-default (the shipped file)" in confirm
    response = admin_client.post(url, {"expected": str(row.pk), "confirmed": "yes"})
    assert response.status_code == 302
    assert clinic_data.current_policy().version == "2026.11-default"
    assert AuditEvent.objects.filter(action="data_override.deactivate").count() == 1


def test_nothing_to_withdraw_says_so(admin_client):
    response = admin_client.post("/staff/setup/policy/protocol-table/withdraw/", follow=True)
    assert "The shipped protocol table is already in force." in response.content.decode()
    assert not AuditEvent.objects.filter(action="data_override.deactivate").exists()


def test_the_protocol_table_confirmation_speaks_of_plans(clinic_admin, admin_client):
    text = (DATA / "protocols.yaml").read_text().replace(SHIPPED_VERSION, 'version: "pt-1"')
    row = services.data_override_create(
        actor=clinic_admin.user, kind=DataKind.PROTOCOL_TABLE, text=text, activate=False
    )
    confirm = page_text(
        admin_client.get(f"/staff/setup/policy/protocol-table/{row.pk}/put-in-force/")
    )
    assert "treatment plans from now on use protocol table version pt-1" in confirm


def test_a_version_saved_at_the_same_moment_is_a_conflict_and_keeps_the_text(
    admin_client, monkeypatch
):
    from needlepoint.core.errors import Conflict

    def raced(**kwargs):
        raise Conflict("that version was saved at the same moment; reload")

    monkeypatch.setattr(services, "data_override_create", raced)
    response = admin_client.post(NEW_POLICY, {"text": policy_text("clinic-13")})
    assert response.status_code == 409
    body = response.content.decode()
    assert "saved at the same moment" in body
    assert "version: &quot;clinic-13&quot;" in body
