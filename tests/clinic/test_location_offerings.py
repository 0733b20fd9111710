"""What a location offers and how it is described (decisions 0710, 0711): the migration
offers every existing service at every existing location on its own terms; opening hours in
words; the map link is built from the address."""

from __future__ import annotations

import importlib
from datetime import time

import pytest

pytestmark = pytest.mark.django_db


def test_the_migration_offers_every_service_everywhere_on_its_own_terms(db):
    from django.apps import apps

    from needlepoint.clinic.models import Location, Service, ServiceOffering
    from needlepoint.clinic.offerings import terms_at
    from needlepoint.demo.clinic import ensure_location, ensure_services
    from tests.locations import add_chicago

    ensure_location()
    ensure_services()
    add_chicago([])
    ServiceOffering.objects.all().delete()
    migration = importlib.import_module(
        "needlepoint.clinic.migrations.0005_location_offerings_and_hours"
    )
    migration.offer_everything_everywhere(apps, None)
    migration.offer_everything_everywhere(apps, None)  # twice: still one row each
    expected = Location.objects.count() * Service.objects.count()
    assert ServiceOffering.objects.filter(offered=True).count() == expected
    service = Service.objects.get(slug="consultation")
    for location in Location.objects.all():
        terms = terms_at(service, location)
        assert (terms.offered, terms.duration_minutes, terms.price) == (True, 30, service.price)


def test_hours_in_words_join_days_with_the_same_hours():
    from needlepoint.clinic.location_face import hours_words

    nine_five = (time(9), time(17))
    spans = {0: nine_five, 1: nine_five, 2: nine_five, 3: nine_five, 4: nine_five}
    spans[5] = (time(10), time(14))
    assert hours_words(spans) == (
        "Monday to Friday, 9:00 am to 5:00 pm; Saturday, 10:00 am to 2:00 pm"
    )
    assert hours_words({0: nine_five, 1: nine_five, 3: nine_five}) == (
        "Monday and Tuesday, 9:00 am to 5:00 pm; Thursday, 9:00 am to 5:00 pm"
    )
    assert hours_words({}) == ""


def test_the_map_link_is_an_openstreetmap_search_for_the_address():
    from needlepoint.clinic.models import Location

    place = Location(address="200 West Loop Street\nChicago, IL 60606")
    assert place.map_url == (
        "https://www.openstreetmap.org/search?query=200+West+Loop+Street%2C+Chicago%2C+IL+60606"
    )
    assert place.address_line == "200 West Loop Street, Chicago, IL 60606"
    assert Location(address="  ").map_url == ""
