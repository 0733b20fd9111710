"""The clinic admin meets background work falling behind: the warning on the setup page, then
the Background jobs page with a job that failed after every try and its error. Both pages are
looked at (axe-core, both sizes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_sees_the_backlog_and_a_failed_job_with_its_error(
    live_server, page, clinic_admin
):
    from django_tasks_db.models import DBTaskResult

    from tests.background import jobs_for_tests as jobs

    late = jobs.counted.enqueue("late")
    DBTaskResult.objects.filter(id=late.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=25)
    )
    failed = jobs.always_fails.enqueue("k")
    DBTaskResult.objects.filter(id=failed.id).update(
        status="FAILED",
        worker_ids=["a", "b", "c"],
        finished_at=timezone.now() - timedelta(minutes=3),
        exception_class_path="builtins.ConnectionError",
        traceback="Traceback (most recent call last):\nConnectionError: SMTP server refused the connection",
    )
    sign_in_as(page, live_server, clinic_admin.user)

    page.goto(live_server.url + "/staff/setup/")
    warning = page.get_by_text("Background jobs are behind: 1 waiting, the oldest for 25 minutes.")
    expect(warning).to_be_visible()
    expect(page.get_by_text("1 background job failed after every try.")).to_be_visible()
    look(page, "background jobs warning on setup")

    warning.get_by_role("link", name="Background jobs").click()
    expect(page.get_by_role("heading", name="Background jobs", level=1)).to_be_visible()
    row = page.get_by_role("row", name="Always fail")
    expect(row).to_contain_text("3 tries")
    expect(row).to_contain_text("SMTP server refused the connection")
    expect(page.get_by_role("row", name="Send due messages")).to_contain_text("every minute")
    look(page, "background jobs page")
