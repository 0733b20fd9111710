"""Build `tests/upgrade/release-0.1.sqlite3`: a database written by the previous release.

The upgrade test (`test_upgrade_from_previous_release.py`) migrates a copy of that file with
today's code and checks that every row, history record, content type and permission is still
there. The file must therefore be made by the OLD code, once, and committed; it is never
rebuilt by the tests. It was made from `integrate` at 7b9da93 (before issue #10 moved the
treatment day to `needlepoint/charting/` and follow-ups to `needlepoint/followups/`).

To make it again (only for a new "previous release", from a checkout of that release):

    .venv/bin/python tests/upgrade/make_fixture.py [OUTPUT]

What it does, in a throwaway data directory (photos, mail and audit checkpoints land there
and are thrown away; only the database is kept):
1. `needlepoint migrate` on a fresh SQLite file;
2. `needlepoint demo`: the demo clinic with screenings, plans, bookings, signed charts, an
   adverse event, cartridge stock, photos, grades, ratings, follow-ups, a waitlist entry and
   the audit events all of those wrote;
3. a few rows the demo does not make, so the upgrade test sees every kind the moves touch:
   a chart amendment, a group and a user granted permissions on moved models, and an admin
   log entry pointing at a moved model's content type;
4. `VACUUM` and journal mode DELETE, so the single file is the whole database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "release-0.1.sqlite3"
DEMO_PASSWORD = "upgrade-fixture-password-0.1"  # a fixture, never a real login

# Run by step 3 in a `needlepoint shell`, with the old code's models.
EXTRA_ROWS = """
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from needlepoint.accounts.models import User
from needlepoint.treatments import charting_services as svc
from needlepoint.treatments.models import ChartAmendment, SessionChart

director = User.objects.get(username="physician")
chart = SessionChart.objects.filter(signed_at__isnull=False).order_by("pk").first()
if not ChartAmendment.objects.exists():
    svc.chart_amend(
        chart=chart,
        actor=director,
        reason="Depth on the forehead corrected after review",
        changes={"notes": "Forehead 0.5 mm as planned; corrected on review."},
    )
codenames = [
    "view_sessionchart", "change_sessionchart", "view_adverseevent",
    "view_cartridgereceipt", "add_cartridgereceipt", "view_followup",
]
perms = Permission.objects.filter(codename__in=codenames)
group, _ = Group.objects.get_or_create(name="Chart reviewers (upgrade fixture)")
group.permissions.set(perms)
director.groups.add(group)
director.user_permissions.add(Permission.objects.get(codename="view_consentsignature"))
LogEntry.objects.get_or_create(
    user=director,
    content_type=ContentType.objects.get(app_label="treatments", model="sessionchart"),
    object_id=str(chart.pk),
    defaults={"object_repr": f"chart {chart.pk}", "action_flag": CHANGE,
              "change_message": "upgrade fixture"},
)
"""


def needlepoint(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "needlepoint", *args], env=env, input=stdin, text=True, check=True
    )


def main() -> None:
    output = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else DEFAULT_OUTPUT
    with tempfile.TemporaryDirectory(prefix="needlepoint-fixture-") as tmp:
        database = Path(tmp) / "release.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "NEEDLEPOINT_DATA_DIR": str(Path(tmp) / "data"),
            "NEEDLEPOINT_ENV": "development",
            "NEEDLEPOINT_DEMO_PASSWORD": DEMO_PASSWORD,
            "CACHE_URL": "locmem://",
        }
        env.pop("NEEDLEPOINT_AUDIT_KEYS", None)  # the development key signs: tests verify it
        env.pop("NEEDLEPOINT_AUDIT_KEY_FILE", None)
        needlepoint(env, "migrate", "--noinput")
        needlepoint(env, "demo")
        needlepoint(env, "shell", stdin=EXTRA_ROWS)
        with sqlite3.connect(database) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        db = sqlite3.connect(database)
        db.execute("VACUUM")
        db.close()
        shutil.copyfile(database, output)
    print(f"wrote {output} ({output.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
