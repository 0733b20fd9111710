"""Changing a staff member's role (issue #11): who may, what is refused, what is recorded."""

from __future__ import annotations

import pytest

from needlepoint.accounts import services
from needlepoint.accounts.models import User
from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import Conflict, InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def _change(actor, staff, role):
    return services.staff_role_change(actor=actor.user, staff=staff.user, role=role)


def test_a_role_change_is_saved_and_audited_with_both_roles(clinic_admin, front_desk):
    _change(clinic_admin, front_desk, "aesthetician")
    assert User.objects.get(pk=front_desk.user.pk).role == "aesthetician"
    event = AuditEvent.objects.get(action="staff.role_change")
    assert event.actor_username == "adah" and event.object_id == str(front_desk.user.pk)
    assert event.detail == {"from": "front_desk", "to": "aesthetician"}


def test_your_own_role_is_refused(clinic_admin):
    with pytest.raises(Conflict, match="Ask another clinic admin"):
        _change(clinic_admin, clinic_admin, "front_desk")
    assert not AuditEvent.objects.filter(action="staff.role_change").exists()


def test_a_patient_login_is_not_a_staff_member(clinic_admin, patient):
    with pytest.raises(NotFound):
        _change(clinic_admin, patient, "front_desk")
    assert User.objects.get(pk=patient.user.pk).role == "patient"


def test_a_superuser_is_refused(clinic_admin, physician):
    physician.user.is_superuser = True
    physician.user.save()
    with pytest.raises(Conflict, match="superuser"):
        _change(clinic_admin, physician, "front_desk")


@pytest.mark.parametrize("role", ["patient", "owner", ""])
def test_an_unknown_role_names_the_role_field(clinic_admin, front_desk, role):
    with pytest.raises(InvalidInput) as refused:
        _change(clinic_admin, front_desk, role)
    assert [p.field for p in refused.value.problems] == ["role"]


def test_the_last_active_clinic_admin_keeps_the_role(clinic_admin, physician):
    # Called outside the pages (no admin actor), the rule still holds.
    with pytest.raises(Conflict, match="Make someone else a clinic admin first"):
        _change(physician, clinic_admin, "front_desk")
    assert User.objects.get(pk=clinic_admin.user.pk).role == "clinic_admin"


def test_a_clinic_admin_may_be_demoted_while_another_is_active(
    clinic_admin, make_persona, physician
):
    other = make_persona("cleo", "clinic_admin")
    _change(clinic_admin, other, "physician")
    assert User.objects.get(pk=other.user.pk).role == "physician"


@pytest.mark.parametrize("who", ["front_desk", "aesthetician", "physician"])
def test_only_the_clinic_admin_changes_roles(who, request, staff_client, front_desk):
    client = staff_client(request.getfixturevalue(who))
    response = client.post(
        f"/staff/team/{front_desk.user.pk}/role/", {"role": "clinic_admin", "confirm": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=front_desk.user.pk).role == "front_desk"


def test_the_page_confirms_in_words_then_shows_the_new_role(clinic_admin, front_desk, staff_client):
    client = staff_client(clinic_admin)
    url = f"/staff/team/{front_desk.user.pk}/role/"
    member = client.get(f"/staff/team/{front_desk.user.pk}/").content.decode()
    assert 'name="role"' in member and "Aesthetician" in member
    confirm = client.post(url, {"role": "aesthetician"})
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Fran will be able to see and record the clinical pages" in page
    assert User.objects.get(pk=front_desk.user.pk).role == "front_desk"  # not yet
    done = client.post(url, {"role": "aesthetician", "confirm": "yes"}, follow=True)
    page = done.content.decode()
    assert "Fran is now aesthetician" in page
    assert "<dd>Aesthetician</dd>" in page
    assert "aesthetician</dd>" not in page.replace("<dd>Aesthetician</dd>", "")


def test_the_confirmation_says_what_a_demotion_takes_away(clinic_admin, physician, staff_client):
    client = staff_client(clinic_admin)
    page = client.post(f"/staff/team/{physician.user.pk}/role/", {"role": "front_desk"})
    assert "will no longer be able to see and record the clinical pages" in page.content.decode()


def test_the_new_role_applies_at_their_next_request(clinic_admin, front_desk, staff_client):
    fran = staff_client(front_desk)
    assert fran.get("/staff/team/").status_code == 403
    _change(clinic_admin, front_desk, "clinic_admin")
    assert fran.get("/staff/team/").status_code == 200


def test_refusals_show_beside_the_role_field(clinic_admin, front_desk, staff_client):
    client = staff_client(clinic_admin)
    url = f"/staff/team/{front_desk.user.pk}/role/"
    unknown = client.post(url, {"role": "owner", "confirm": "yes"})
    assert unknown.status_code == 422
    assert 'id="id_role-error"' in unknown.content.decode()
    same = client.post(url, {"role": "front_desk"})
    assert same.status_code == 422
    assert "already has this role" in same.content.decode()


def test_the_own_role_refusal_on_the_page(clinic_admin, staff_client):
    client = staff_client(clinic_admin)
    own = client.post(
        f"/staff/team/{clinic_admin.user.pk}/role/", {"role": "front_desk", "confirm": "yes"}
    )
    assert own.status_code == 409
    assert "Ask another clinic admin" in own.content.decode()
    assert "Another clinic admin can change your role." in own.content.decode()
