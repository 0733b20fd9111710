"""The staff list: one query for everyone, with their second factor, however many."""

from __future__ import annotations

from typing import Any

from needlepoint.accounts.models import User
from tests.conftest import enrol_totp

from .builders import counts, pinned


def _staff_member(i: int) -> None:
    # Invited, active with a second factor, and deactivated, in turn.
    user = User.objects.create_user(
        username=f"team{i}",
        role=("front_desk", "aesthetician", "physician")[i % 3],
        first_name=f"Team{i}",
        email=f"team{i}@example.com",
        password=None if i % 3 == 0 else "a long passphrase 42",
        is_active=i % 3 != 2,
    )
    if i % 3 == 1:
        enrol_totp(user)


def test_staff_list_runs_the_same_queries_for_1_and_20_staff(
    clinic: Any, clinic_admin: Any, staff_client: Any
) -> None:
    client = staff_client(clinic_admin)
    result = counts(_staff_member, lambda: client.get("/staff/team/"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(9)  # page 7 (session save included) + the staff with their factor
