"""Background jobs of the outcomes app: measuring a stored photo (issue #14, "Runs in the
background"), never in the request.

`services.photo_upload` and `services.view_regions_save` queue it once the photo (or the
regions) are stored, after the transaction commits, so the worker finds the rows. A failure
is retried with backoff and, after its last try, listed on the admin's Background jobs page.
"""

from __future__ import annotations

from needlepoint.core.background.jobs import job

# `services` imports this module too; the attribute is read when the job runs, by which time
# both modules are complete (and tests can put a stand-in in its place).
from . import services


@job(label="Measure a photo", attempts=4, first_delay_seconds=60)
def measure_photo(photo_id: int) -> str:
    services.photo_measure_run(photo_id=photo_id)
    return "measured"
