"""The photo-measure job runs the measuring service; it is declared with its name and retries."""

from __future__ import annotations


def test_the_job_is_declared_with_its_label_and_retries():
    from needlepoint.core.background.jobs import job_info
    from needlepoint.outcomes.tasks import measure_photo

    info = job_info(measure_photo.module_path)
    assert (info.label, info.retry.attempts) == ("Measure a photo", 4)


def test_the_job_runs_the_measuring_service(monkeypatch):
    from needlepoint.outcomes import services
    from needlepoint.outcomes.tasks import measure_photo

    calls = []
    monkeypatch.setattr(services, "photo_measure_run", lambda **kw: calls.append(kw))
    assert measure_photo.call(7) == "measured"
    assert calls == [{"photo_id": 7}]
