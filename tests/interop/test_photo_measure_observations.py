"""Measured photos appear in the patient's bundle as Observations (local code system for the
measure, the region as bodySite, derived from the photo's Media); the bundle still validates."""

from __future__ import annotations

import pytest

from needlepoint.domain.photo_measures import METHOD_VERSION

from .validators import bundle_problems

pytestmark = pytest.mark.django_db


def test_a_measured_photo_gives_one_observation_per_figure(demo):
    from needlepoint.clinic.models import Service
    from needlepoint.interop import codes
    from needlepoint.interop.selectors import patient_bundle
    from needlepoint.outcomes.models import Photo, PhotoMeasure, PhotoMeasureRegion

    photo = Photo.objects.order_by("pk").first()
    measure, _ = PhotoMeasure.objects.get_or_create(photo=photo)
    measure.status, measure.method_version = "done", METHOD_VERSION
    measure.save()
    PhotoMeasureRegion.objects.create(
        measure=measure, region="left_cheek", spot_area_pct=8.25, spot_count=3, texture=2.5
    )
    pending = Photo.objects.exclude(pk=photo.pk).filter(patient=photo.patient).first()
    if pending is not None:
        PhotoMeasure.objects.filter(photo=pending).update(status="pending")

    bundle = patient_bundle(photo.patient, with_photos=True)
    found = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["system"] == codes.PHOTO_MEASURE
    ]
    by_code = {o["code"]["coding"][0]["code"]: o for o in found}
    assert set(by_code) == {"spot_area_pct", "spot_count", "texture"}
    assert by_code["spot_area_pct"]["valueQuantity"]["code"] == "%"
    assert by_code["spot_count"]["valueInteger"] == 3
    assert by_code["texture"]["note"][0]["text"].startswith("Experimental")
    assert by_code["spot_area_pct"]["bodySite"]["coding"][0]["code"] == "left_cheek"
    assert by_code["spot_area_pct"]["derivedFrom"] == [{"reference": f"Media/{photo.pk}"}]
    services = frozenset(Service.objects.values_list("slug", flat=True))
    assert bundle_problems(bundle, services) == []
