"""Roles granted per location (decision 0700): the one helper every entry point asks, the
grants service, and the migration that keeps existing staff working everywhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from needlepoint.accounts.models import User
from needlepoint.clinic import access
from needlepoint.clinic.models import Location, LocationAccess
from needlepoint.clinic.services.access import (
    location_access_set,
    managed_staff_ids,
    may_manage,
)
from needlepoint.core.errors import InvalidInput, NotFound


@pytest.fixture
def two(db: None) -> tuple[Location, Location]:
    a = Location.objects.create(slug="a", name="Alpha", time_zone="America/New_York")
    b = Location.objects.create(slug="b", name="Beta", time_zone="America/Chicago")
    return a, b


def test_staff_granted_one_location_act_there_only(two, make_persona):
    a, b = two
    clerk = make_persona("clerk", "front_desk", locations=[a]).user
    assert access.may_act_at(clerk, a) and not access.may_act_at(clerk, b)
    assert list(access.visible_locations(clerk)) == [a]
    assert access.location_for(clerk, "a") == a
    with pytest.raises(NotFound):
        access.location_for(clerk, "b")
    with pytest.raises(NotFound):
        access.require_at(clerk, b.pk)
    assert not access.is_group_wide(clerk)
    # An object bound to no location (a waitlist entry "any location") is everyone's.
    assert access.may_act_at(clerk, None)


def test_group_wide_staff_act_everywhere_even_at_locations_added_later(two, make_persona):
    admin = make_persona("boss", "clinic_admin").user
    later = Location.objects.create(slug="c", name="Gamma", time_zone="UTC")
    assert access.is_group_wide(admin)
    assert set(access.visible_locations(admin)) == {*two, later}
    assert access.reach(admin) is None


def test_staff_with_no_grant_act_nowhere(two, make_persona):
    nobody = make_persona("new", "front_desk", locations=[]).user
    assert list(access.visible_locations(nobody)) == []
    assert not access.may_act_at(nobody, two[0])


def test_patients_and_the_public_are_not_bound_to_locations(two, patient):
    assert access.may_act_at(patient.user, two[1])
    assert access.may_act_at(None, two[1])


def test_a_blank_location_field_means_a_staff_members_only_location(two, make_persona):
    _, b = two
    clerk = make_persona("clerk", "front_desk", locations=[b]).user
    assert access.location_in_field_for(clerk, "") == b
    with pytest.raises(NotFound):
        access.location_in_field_for(clerk, "a")
    group = make_persona("group", "front_desk").user
    with pytest.raises(InvalidInput):  # several locations: say which one
        access.location_in_field_for(group, "")


def test_within_reach_narrows_a_query_by_its_location(two, make_persona):
    a, b = two
    clerk = make_persona("clerk", "front_desk", locations=[a]).user
    assert list(access.within_reach(Location.objects.all(), clerk, field="pk")) == [a]
    assert access.location_ids_within(clerk, None) == [a.pk]
    with pytest.raises(NotFound):
        access.location_ids_within(clerk, b)


def test_a_group_admin_grants_locations_and_the_change_is_audited(two, make_persona):
    from needlepoint.audit.models import AuditEvent

    a, b = two
    admin = make_persona("boss", "clinic_admin").user
    clerk = make_persona("clerk", "front_desk", locations=[a]).user
    location_access_set(actor=admin, staff=clerk, location_ids=[a.pk, b.pk])
    assert access.visible_locations(clerk).count() == 2
    location_access_set(actor=admin, staff=clerk, location_ids=[], group_wide=True)
    assert access.is_group_wide(clerk)
    events = AuditEvent.objects.filter(action="staff.locations").order_by("pk")
    assert [e.detail["to"] for e in events] == [["Alpha", "Beta"], ["all locations (group)"]]


def test_a_location_admin_grants_only_their_locations_and_never_the_group(two, make_persona):
    a, b = two
    admin_a = make_persona("admin_a", "clinic_admin", locations=[a]).user
    clerk = make_persona("clerk", "front_desk", locations=[a, b]).user
    with pytest.raises(InvalidInput) as refused:
        location_access_set(actor=admin_a, staff=clerk, location_ids=[], group_wide=True)
    assert refused.value.problems[0].field == "locations"
    with pytest.raises(InvalidInput):
        location_access_set(actor=admin_a, staff=clerk, location_ids=[b.pk])
    # Taking A away leaves B, which is not theirs to change.
    location_access_set(actor=admin_a, staff=clerk, location_ids=[])
    assert list(access.visible_locations(clerk)) == [b]
    assert not may_manage(admin_a, clerk)


def test_a_location_admin_manages_only_staff_sharing_a_location(two, make_persona):
    a, b = two
    admin_a = make_persona("admin_a", "clinic_admin", locations=[a]).user
    at_a = make_persona("at_a", "front_desk", locations=[a]).user
    at_b = make_persona("at_b", "front_desk", locations=[b]).user
    group = make_persona("group", "front_desk").user
    assert may_manage(admin_a, at_a)
    assert not may_manage(admin_a, at_b) and not may_manage(admin_a, group)
    assert managed_staff_ids(admin_a) == sorted([admin_a.pk, at_a.pk])
    assert managed_staff_ids(make_persona("boss", "clinic_admin").user) is None


def test_the_last_grant_cannot_be_taken_away(two, make_persona):
    a, _ = two
    admin = make_persona("boss", "clinic_admin").user
    clerk = make_persona("clerk", "front_desk", locations=[a]).user
    with pytest.raises(InvalidInput):
        location_access_set(actor=admin, staff=clerk, location_ids=[])


def test_a_superuser_works_group_wide_without_a_grant(two, make_persona):
    admin = make_persona("root", "clinic_admin", locations=[]).user
    admin.is_superuser = True
    assert access.is_group_wide(admin)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_staff_group_wide_access_and_patients_none():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("clinic", "0003_clinic_profile")])
    # Accounts stay migrated: the staff of an install from before the grants existed.
    clerk = User.objects.create(username="old-clerk", role="front_desk")
    admin = User.objects.create(username="old-admin", role="clinic_admin")
    person = User.objects.create(username="old-patient", role="patient")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)
    grants = dict(LocationAccess.objects.values_list("user_id", "location_id"))
    assert grants == {clerk.pk: None, admin.pk: None}
    assert person.pk not in grants
