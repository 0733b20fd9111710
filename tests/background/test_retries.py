"""A failing job is tried again after a backoff that doubles, and after its last try it stays
failed: listed with its error on the admin's Background jobs page, and warned about on the
admin's pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.background import jobs_for_tests as jobs
from tests.background.workers import drain

# The worker closes its connection between jobs, as in production: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)
T0 = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)


def test_a_failing_job_is_retried_with_backoff_then_shown_to_the_admin_with_its_error(
    clinic_admin, staff_client
):
    from django_tasks_db.models import DBTaskResult

    from needlepoint.core.background.queue import failed_jobs, queue_state

    jobs.RUNS.clear()
    with time_machine.travel(T0, tick=False) as clock:
        result = jobs.always_fails.enqueue("k")
        drain()
        row = DBTaskResult.objects.get(id=result.id)
        assert (row.status, row.run_after) == ("READY", T0 + timedelta(seconds=30))
        assert "provider unreachable for k" in row.traceback  # the last error, kept meanwhile
        assert queue_state(T0).retrying == 1

        drain()  # not due yet: nothing runs
        assert jobs.RUNS["k"] == 1

        clock.shift(timedelta(seconds=30))
        drain()
        row.refresh_from_db()
        assert row.status == "READY"
        assert row.run_after == T0 + timedelta(seconds=30 + 60)  # the second wait is twice as long

        clock.shift(timedelta(seconds=60))
        drain()
        row.refresh_from_db()
        assert (row.status, len(row.worker_ids), jobs.RUNS["k"]) == ("FAILED", 3, 3)

        clock.shift(timedelta(hours=2))
        drain()
        assert jobs.RUNS["k"] == 3  # given up: never tried again by itself
        (failed,) = failed_jobs()
        assert (failed.label, failed.attempts) == ("Always fail", 3)
        assert failed.error == "ConnectionError: provider unreachable for k"

        client = staff_client(clinic_admin)
        page = client.get("/staff/background-jobs/").content.decode()
        assert "Always fail" in page and "3 tries" in page
        assert "provider unreachable for k" in page
        setup = client.get("/staff/setup/").content.decode()
        assert "1 background job failed after every try." in setup


def test_a_job_that_succeeds_on_a_retry_is_no_longer_failed():
    from django_tasks_db.models import DBTaskResult

    from needlepoint.core.background.retries import retry_later

    with time_machine.travel(T0, tick=False):
        result = jobs.counted.enqueue("ok")
        DBTaskResult.objects.filter(id=result.id).update(status="FAILED")
        assert retry_later(str(result.id), jobs.counted.module_path, attempts=1)
        assert not retry_later(str(result.id), jobs.counted.module_path, attempts=1)  # once
        DBTaskResult.objects.filter(id=result.id).update(run_after=T0)
        drain()
        row = DBTaskResult.objects.get(id=result.id)
        assert (row.status, row.traceback, row.return_value) == ("SUCCESSFUL", "", "ok")


def test_the_admin_page_is_for_the_clinic_admin_only(front_desk, staff_client):
    assert staff_client(front_desk).get("/staff/background-jobs/").status_code == 403
