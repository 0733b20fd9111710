"""Moving FollowUp from outcomes to followups (issue #10) moves no data: the rows stay in
outcomes_followup, and the content type keeps its id, so permissions and their grants stay."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from needlepoint.followups.models import FollowUp
from needlepoint.followups.services import followups_propose

from .test_followups import clinic, finished_plan, frozen  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("followups", None), ("outcomes", "0002_followups")]


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaves() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def proposed(request: Any, patient: Any, aesthetician: Any) -> list[int]:
    request.getfixturevalue("clinic")
    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 1, 10))
    return [f.pk for f in followups_propose(actor=aesthetician.user, plan=plan)]


def _as_before_the_move() -> ContentType:
    # A database of the previous release knows the model as outcomes.followup.
    ContentType.objects.filter(app_label="followups", model="followup").update(app_label="outcomes")
    ContentType.objects.clear_cache()
    return ContentType.objects.get(app_label="outcomes", model="followup")


def test_the_rows_the_content_type_and_the_grants_survive_the_move(proposed):
    leaves = _leaves()
    old_apps = _migrate(BEFORE)
    assert sorted(old_apps.get_model("outcomes", "FollowUp").objects.values_list("pk", flat=True))
    content_type = _as_before_the_move()
    permissions = dict(
        Permission.objects.filter(content_type=content_type).values_list("codename", "pk")
    )
    group = Group.objects.create(name="Follow-up readers")
    group.permissions.add(permissions["view_followup"])

    _migrate(leaves)

    moved = ContentType.objects.get(app_label="followups", model="followup")
    assert moved.pk == content_type.pk
    assert not ContentType.objects.filter(app_label="outcomes", model="followup").exists()
    assert dict(Permission.objects.filter(content_type=moved).values_list("codename", "pk")) == (
        permissions
    )
    assert list(group.permissions.values_list("codename", flat=True)) == ["view_followup"]
    assert sorted(FollowUp.objects.values_list("pk", flat=True)) == sorted(proposed)
    assert FollowUp._meta.db_table == "outcomes_followup"


def test_an_empty_copy_of_the_content_type_gives_way_to_the_old_one(proposed):
    leaves = _leaves()
    _migrate(BEFORE)
    content_type = _as_before_the_move()
    # An interrupted upgrade ran post_migrate with the new code: a second, empty copy.
    copy = ContentType.objects.create(app_label="followups", model="followup")
    Permission.objects.create(content_type=copy, codename="view_followup", name="copy")

    _migrate(leaves)

    assert ContentType.objects.get(app_label="followups", model="followup").pk == content_type.pk
    assert not ContentType.objects.filter(pk=copy.pk).exists()
    assert Permission.objects.filter(content_type=content_type).count() == 4


def test_the_move_can_be_undone(proposed):
    leaves = _leaves()
    content_type = ContentType.objects.get(app_label="followups", model="followup")
    _migrate(BEFORE)
    assert ContentType.objects.get(app_label="outcomes", model="followup").pk == content_type.pk
    _migrate(leaves)
    assert ContentType.objects.get(app_label="followups", model="followup").pk == content_type.pk
