"""The photo-measure job exists for the photo pages to queue; until the measuring service is
installed it fails with that reason (and is retried, then shown to the admin)."""

from __future__ import annotations

import pytest


def test_without_the_measuring_service_the_job_fails_with_its_reason(monkeypatch):
    from needlepoint.core.background.jobs import job_info
    from needlepoint.outcomes import services
    from needlepoint.outcomes.tasks import MeasuringNotInstalled, measure_photo

    monkeypatch.delattr(services, "photo_measure_run", raising=False)
    with pytest.raises(MeasuringNotInstalled, match="not installed"):
        measure_photo.call(7)
    info = job_info(measure_photo.module_path)
    assert (info.label, info.retry.attempts) == ("Measure a photo", 4)


def test_with_the_measuring_service_the_job_runs_it(monkeypatch):
    from needlepoint.outcomes import services
    from needlepoint.outcomes.tasks import measure_photo

    calls = []
    monkeypatch.setattr(services, "photo_measure_run", lambda **kw: calls.append(kw), raising=False)
    assert measure_photo.call(7) == "measured"
    assert calls == [{"photo_id": 7}]
