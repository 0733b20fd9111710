"""A view's measures over time: per photo its status and figures, and per measure the MDC95
pooled over the clinic's repeat photos (and the patient's own once there are enough)."""

from __future__ import annotations

import math
from datetime import date
from itertools import count

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.domain.photo_measures import METHOD_VERSION
from needlepoint.outcomes.measure_selectors import OWN_MDC_MIN_PHOTOS
from needlepoint.outcomes.models import Photo, PhotoMeasure, PhotoMeasureRegion

pytestmark = pytest.mark.django_db
_names = count()


def _photo(patient, day, spots, *, status="done", reason="", view="front", shared=False):
    n = next(_names)
    photo = Photo.objects.create(
        patient=patient, view=view, taken_on=day, file_name=f"p/{n}.jpg",
        thumb_name=f"p/{n}.t.jpg", width=640, height=480, byte_size=1, sha256="0" * 64,
        source_format="jpeg", shared_with_patient=shared,
    )  # fmt: skip
    measure = PhotoMeasure.objects.create(
        photo=photo,
        status=status,
        reason=reason,
        method_version=METHOD_VERSION if status == "done" else "",
    )
    if status == "done":
        PhotoMeasureRegion.objects.create(measure=measure, region="left_cheek", spot_area_pct=spots)
    return photo


def test_the_series_has_each_photo_and_the_clinic_mdc(aesthetician, patient, make_persona, api):
    other = make_persona("olga", "patient", with_patient=True).patient
    own = patient.patient
    _photo(own, date(2026, 1, 5), 10.0)
    _photo(own, date(2026, 2, 5), 8.0)
    _photo(own, date(2026, 3, 5), None, status="not_measured", reason="card not usable: ΔE 6.1")
    # Repeats at two visits of another patient: deviations ±0.5 and ±1.0.
    for day, values in ((date(2026, 1, 9), (4.0, 5.0)), (date(2026, 2, 9), (6.0, 8.0))):
        for value in values:
            _photo(other, day, value)

    body = api(aesthetician).get(f"/patients/{own.pk}/measures", view="front").json()

    assert [(p["taken_on"], p["status"]) for p in body["points"]] == [
        ("2026-01-05", "done"), ("2026-02-05", "done"), ("2026-03-05", "not_measured"),
    ]  # fmt: skip
    assert body["points"][0]["regions"]["left_cheek"]["spot_area_pct"] == 10.0
    assert body["points"][2]["reason"].startswith("card not usable")
    (spots,) = [m for m in body["mdc"] if m["measure"] == "spot_area_pct"]
    sem = math.sqrt((0.25 + 0.25 + 1 + 1) / 2)
    assert spots["mdc95"] == pytest.approx(1.96 * math.sqrt(2) * sem)
    assert (spots["photos"], spots["groups"]) == (4, 2)
    assert spots["own_mdc95"] is None and body["own_mdc_min_photos"] == OWN_MDC_MIN_PHOTOS
    assert [m["experimental"] for m in body["mdc"] if m["measure"] == "texture"] == [True]
    assert AuditEvent.objects.filter(
        action="patient.measures_view", patient_id=str(own.pk)
    ).exists()


def test_the_patients_own_mdc_appears_once_there_are_enough_repeats(aesthetician, patient, api):
    own = patient.patient
    for visit in range(OWN_MDC_MIN_PHOTOS // 2):
        for value in (5.0, 6.0):
            _photo(own, date(2026, 1 + visit, 5), value)
    body = api(aesthetician).get(f"/patients/{own.pk}/measures", view="front").json()
    (spots,) = [m for m in body["mdc"] if m["measure"] == "spot_area_pct"]
    assert spots["own_photos"] == OWN_MDC_MIN_PHOTOS
    assert spots["own_mdc95"] == pytest.approx(spots["mdc95"])


def test_a_patient_sees_only_their_shared_photos_and_nobody_elses(patient, make_persona, api):
    other = make_persona("olga", "patient", with_patient=True)
    _photo(patient.patient, date(2026, 1, 5), 10.0, shared=True)
    _photo(patient.patient, date(2026, 2, 5), 8.0)
    mine = api(patient).get(f"/patients/{patient.patient.pk}/measures", view="front")
    assert [p["taken_on"] for p in mine.json()["points"]] == ["2026-01-05"]
    assert api(other).get(f"/patients/{patient.patient.pk}/measures").status_code == 404
    assert api(patient).get(f"/patients/{patient.patient.pk}/measures", view="x").status_code == 422
