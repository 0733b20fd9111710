"""Background jobs of the outcomes app: measuring a stored photo (issue #14, "Runs in the
background"), never in the request.

Queue it once the photo is stored, after the transaction commits, so the worker finds the row:
    transaction.on_commit(lambda: measure_photo.enqueue(photo.pk))
The measuring itself is `services.photo_measure_run`, read from the module when the job runs
(its author may add it after this job exists); until it exists the job fails with that reason,
is retried with backoff, and after its last try is listed on the admin's Background jobs page.
"""

from __future__ import annotations

from needlepoint.core.background.jobs import job

from . import services


class MeasuringNotInstalled(RuntimeError):
    pass


@job(label="Measure a photo", attempts=4, first_delay_seconds=60)
def measure_photo(photo_id: int) -> str:
    run = getattr(services, "photo_measure_run", None)
    if run is None:
        raise MeasuringNotInstalled("photo measuring is not installed in this version")
    run(photo_id=photo_id)
    return "measured"
