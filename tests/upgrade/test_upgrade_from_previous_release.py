"""A clinic upgrading from the previous release finds every row where it was (issue #10).

`release-0.1.sqlite3` was written by the previous release (see `make_fixture.py` and
docs/decisions/0304). A copy is migrated by today's `needlepoint migrate` in a subprocess, as
an operator would run it; then every table holds exactly the rows it held (history and audit
included), the moved models' tables, indexes and constraints are untouched, their content
types carry the new app label under the same ids, and permissions, grants and the admin log
still point at them. A later migration that really changes data or schema changes what this
test may expect; the moves of issue #10 change nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.sqlite_only  # the fixture is a SQLite file: one run is enough

FIXTURE = Path(__file__).with_name("release-0.1.sqlite3")

# Each model that moved app: its label today -> the app label it had in the previous release.
# Moving another model is one more line here.
MOVED: dict[str, str] = {
    "charting.consentsignature": "treatments",
    "charting.dayofcheck": "treatments",
    "charting.sessionchart": "treatments",
    "charting.chartamendment": "treatments",
    "charting.cartridgereceipt": "treatments",
    "charting.cartridgeuse": "treatments",
    "charting.adverseevent": "treatments",
    "followups.followup": "outcomes",
}
# Tables a later migration widened, and their new columns (patients 0002: the phone's digits,
# kept for search and filled in for every record, not for its history rows; and the merge
# tombstone's columns, empty; patients 0003: when the patient's personal data was erased,
# empty).
WIDENED: dict[str, tuple[str, ...]] = {
    "patients_patient": ("phone_digits", "merged_into_id", "merged_at", "erased_at"),
    "patients_historicalpatient": ("phone_digits", "merged_into_id", "merged_at", "erased_at"),
}
# Tables whose rows a migrate may legitimately change: the migration record, and the content
# types, which are checked on their own below.
CHANGED_BY_MIGRATE = {"django_migrations", "django_content_type"}

# What this release adds on purpose; everything else stays as it was, byte for byte.
ADDED_TABLES = {
    "clinic_consenttext",  # consent texts published on the setup pages (0413)
    "privacy_erasurerequest",  # a patient's erasure request (0630)
    "clinic_clinicprofile",  # the public pages' name and picture (0511)
    # a photo's objective measures (0640)
    "outcomes_photomeasure",
    "outcomes_photomeasureregion",
    "outcomes_viewregions",  # the regions drawn or placed per view (0643)
    # background jobs and their periodic firings (0650)
    "core_periodicfiring",
    "django_tasks_database_dbtaskresult",
    "clinic_locationaccess",  # where staff work; existing staff get the group grant (0700)
    # each location's services, offered at every location on their own terms (0710)
    "clinic_serviceoffering",
}
# price and currency (0411); the check-in time (0403); a location's opening hours in words
# (0711): each at the end of the row
WIDENED_TABLES = {"clinic_service", "scheduling_appointment", "clinic_location"}
# Indexes of the added tables whose names do not contain their table's (0650).
ADDED_INDEXES = {
    "periodic_latest",
    "django_task_queue_n_99c321_idx",
    "django_task_backend_071754_idx",
    "tasks_db_new_ordering_idx",
    "location_access_group_once",  # at most one group grant per user (0700)
}
ADDED_CONTENT_TYPES = {
    ("clinic", "consenttext"),
    ("privacy", "erasurerequest"),
    ("clinic", "clinicprofile"),
    ("outcomes", "photomeasure"),
    ("outcomes", "photomeasureregion"),
    ("outcomes", "viewregions"),
    ("core", "periodicfiring"),
    ("django_tasks_database", "dbtaskresult"),
    ("clinic", "locationaccess"),
    ("clinic", "serviceoffering"),
}
# New models' permissions join these; the rows that were there stay as they were.
GROWN_TABLES = {"auth_permission"}


def _added_or_widened(name: str) -> bool:
    """A table, index or constraint of a table this release adds or widens."""
    return name in ADDED_INDEXES or any(table in name for table in ADDED_TABLES | WIDENED_TABLES)


def _kept(table: str, before: list[Any], after: list[Any]) -> bool:
    """Whether ``after`` holds every row of ``before`` as this release should leave it."""
    if table in WIDENED_TABLES and before:
        after = sorted((row[: len(before[0])] for row in after), key=repr)
    if table in GROWN_TABLES:
        return set(before) <= set(after)
    if table == "sqlite_sequence":  # the grown tables' last ids may move on
        last = dict(after)
        return all(
            last.get(name) == seq or (name in GROWN_TABLES and last.get(name, 0) >= seq)
            for name, seq in before
        )
    return after == before


# Run in the upgraded database by today's code: what the ORM sees through the moved models.
ORM_PROBE = """
import json
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from needlepoint.accounts.models import User

labels = json.loads({labels!r})
physician = User.objects.get(username="physician")
print(json.dumps({{
    "pks": {{l: sorted(apps.get_model(l).objects.values_list("pk", flat=True)) for l in labels}},
    "content_types": {{l: ContentType.objects.get_for_model(apps.get_model(l)).pk for l in labels}},
    "tables": {{l: apps.get_model(l)._meta.db_table for l in labels}},
    "perms": sorted(physician.get_all_permissions()),
}}))
"""


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [name for (name,) in rows]


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [column[1] for column in db.execute(f'PRAGMA table_info("{table}")')]


def _rows(db: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    rows = db.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 (names from sqlite_master)
    if table == "sqlite_sequence":  # each table's last id: the migration record's may grow
        rows = [row for row in rows if row[0] not in CHANGED_BY_MIGRATE]
    return sorted(rows, key=repr)


def _snapshot(path: Path) -> dict[str, Any]:
    db = sqlite3.connect(path)
    try:
        tables = _tables(db)
        return {
            "rows": {
                t: _rows(db, t) for t in tables if t not in CHANGED_BY_MIGRATE and t not in WIDENED
            },
            "schema": {
                (kind, name): sql
                for kind, name, table, sql in db.execute(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master"
                )
                if table not in WIDENED
            },
            "widened": {
                table: [
                    dict(zip(_columns(db, table), row, strict=True))
                    for row in db.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                ]
                for table in WIDENED
                if table in tables
            },
            "content_types": {
                (app, model): pk
                for pk, app, model in db.execute(
                    "SELECT id, app_label, model FROM django_content_type"
                )
            },
            "migrations": {
                (app, name) for app, name in db.execute("SELECT app, name FROM django_migrations")
            },
        }
    finally:
        db.close()


def _needlepoint(path: Path, data_dir: Path, *args: str, stdin: str | None = None) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "NEEDLEPOINT_DATA_DIR": str(data_dir),
        "NEEDLEPOINT_ENV": "test",
    }
    env.pop("NEEDLEPOINT_AUDIT_KEYS", None)  # the fixture is signed with the development key
    env.pop("NEEDLEPOINT_AUDIT_KEY_FILE", None)
    done = subprocess.run(
        [sys.executable, "-m", "needlepoint", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"needlepoint {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("upgrade")
    database = tmp / "clinic.sqlite3"
    shutil.copyfile(FIXTURE, database)
    before = _snapshot(database)
    _needlepoint(database, tmp / "data", "migrate", "--noinput")
    after = _snapshot(database)
    probe = ORM_PROBE.format(labels=json.dumps(sorted(MOVED)))
    orm = json.loads(_needlepoint(database, tmp / "data", "shell", stdin=probe).splitlines()[-1])
    verify = _needlepoint(database, tmp / "data", "audit", "verify")
    return {"before": before, "after": after, "orm": orm, "verify": verify}


def _model(label: str) -> str:
    return label.split(".", 1)[1]


def test_the_fixture_is_from_before_the_moves(upgrade):
    before = upgrade["before"]
    for label, old_app in MOVED.items():
        assert (old_app, _model(label)) in before["content_types"]
    assert ("charting", "0001_initial") not in before["migrations"]


def test_the_upgrade_applies_the_moves(upgrade):
    applied = upgrade["after"]["migrations"] - upgrade["before"]["migrations"]
    new_apps = {label.split(".")[0] for label in MOVED}
    assert {app for app, _ in applied} >= new_apps


def test_every_table_keeps_every_row_history_and_audit_included(upgrade):
    before, after = upgrade["before"]["rows"], upgrade["after"]["rows"]
    assert set(after) - ADDED_TABLES == set(before), "no other table appears or disappears"
    for table, rows in before.items():
        assert _kept(table, rows, after[table]), f"{table}: rows changed"
    widened_before, widened_after = upgrade["before"]["widened"], upgrade["after"]["widened"]
    assert set(widened_before) == set(widened_after) == set(WIDENED)
    for table, added in WIDENED.items():
        old = sorted(widened_before[table], key=repr)
        new = sorted(widened_after[table], key=repr)
        assert [{k: v for k, v in row.items() if k not in added} for row in new] == old, table
        for row in new:
            digits = "".join(ch for ch in row["phone"] if ch.isdigit())
            expected = "" if "historical" in table else digits
            assert row["phone_digits"] == expected and row["merged_into_id"] is None, table
            assert row["merged_at"] is None and row["erased_at"] is None, table
    # The fixture has what an upgrade must carry (a sanity check of the fixture itself).
    for table in (
        "treatments_sessionchart",
        "treatments_chartamendment",
        "treatments_historicaltreatmentplan",
        "outcomes_photo",
        "audit_auditevent",
        "auth_group_permissions",
        "accounts_user_user_permissions",
        "django_admin_log",
    ):
        assert before[table], f"the fixture has no {table} rows"
    assert upgrade["before"]["widened"]["patients_historicalpatient"], "no patient history rows"


def test_existing_staff_work_group_wide_after_the_upgrade(upgrade):
    """Decision 0700: the previous release's staff keep acting at every location."""
    assert upgrade["after"]["rows"]["clinic_locationaccess"], "no grants after the upgrade"


def test_the_moved_models_tables_indexes_and_constraints_are_untouched(upgrade):
    before, after = upgrade["before"]["schema"], upgrade["after"]["schema"]
    for table in upgrade["orm"]["tables"].values():
        assert ("table", table) in before, f"{table} is a table of the previous release"
    # No SQL ran on them: every other table, index and constraint reads as it did, byte for
    # byte (this release's own additions aside).
    assert {k: v for k, v in after.items() if not _added_or_widened(k[1])} == {
        k: v for k, v in before.items() if not _added_or_widened(k[1])
    }


def test_the_moved_models_read_the_same_rows(upgrade):
    before = upgrade["before"]["rows"]
    for label, table in upgrade["orm"]["tables"].items():
        pks = sorted(row[0] for row in before[table])
        assert upgrade["orm"]["pks"][label] == pks, label


def test_content_types_of_moved_models_keep_their_ids_under_the_new_label(upgrade):
    before = upgrade["before"]["content_types"]
    after = upgrade["after"]["content_types"]
    assert set(after) >= ADDED_CONTENT_TYPES
    assert len(after) == len(before) + len(ADDED_CONTENT_TYPES), "none other added or left"
    for label, old_app in MOVED.items():
        new_app, model = label.split(".")
        old_id = before[(old_app, model)]
        assert after[(new_app, model)] == old_id == upgrade["orm"]["content_types"][label]
        assert (old_app, model) not in after
    moved = {(old_app, _model(label)) for label, old_app in MOVED.items()}
    for key, pk in before.items():
        if key not in moved:
            assert after[key] == pk, key


def test_permissions_and_their_grants_keep_their_ids_and_answer_under_the_new_label(upgrade):
    # auth_permission, the group's and the user's grants are compared row by row above;
    # here the grants made in the previous release answer by today's labels.
    perms = set(upgrade["orm"]["perms"])
    assert {
        "charting.view_sessionchart",
        "charting.change_sessionchart",
        "charting.view_adverseevent",
        "charting.add_cartridgereceipt",
        "charting.view_consentsignature",
    } <= perms
    moved = {_model(label) for label in MOVED}
    assert not {
        p for p in perms if p.split(".")[0] in set(MOVED.values()) and p.split("_", 1)[1] in moved
    }


def test_the_audit_chain_verifies_after_the_upgrade(upgrade):
    assert "audit chain intact" in upgrade["verify"]
