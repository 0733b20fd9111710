"""Which services each location offers, for how long and at what price (decision 0710).

A service with no offering row at a location is offered there on its own terms; a row says
"not offered here", or overrides the duration or the price (an empty override keeps the
service's own). Every booking path, the availability engine, the public pages and the
messages read the terms in force at the location through ``terms_at``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from needlepoint.core.errors import InvalidInput

from .models import Location, Service, ServiceOffering


@dataclass(frozen=True)
class Terms:
    """A service as one location offers it."""

    offered: bool
    duration_minutes: int
    price: Decimal | None
    currency: str
    # True when the location sets its own duration or price.
    own_duration: bool = False
    own_price: bool = False


def _terms(service: Service, row: ServiceOffering | None) -> Terms:
    if row is None:
        return Terms(True, service.duration_minutes, service.price, service.currency)
    return Terms(
        offered=row.offered,
        duration_minutes=row.duration_minutes or service.duration_minutes,
        price=row.price if row.price is not None else service.price,
        currency=service.currency,
        own_duration=row.duration_minutes is not None,
        own_price=row.price is not None,
    )


def terms_at(service: Service, location: Location | None) -> Terms:
    """The terms in force for ``service`` at ``location`` (None: the service's own)."""
    if location is None:
        return _terms(service, None)
    row = ServiceOffering.objects.filter(service=service, location=location).first()
    return _terms(service, row)


def terms_for_services(services: Iterable[Service], location: Location) -> dict[int, Terms]:
    """Each service's terms at ``location`` in one query (a page listing services)."""
    services = list(services)
    rows = {
        row.service_id: row
        for row in ServiceOffering.objects.filter(
            location=location, service__in=[s.pk for s in services]
        )
    }
    return {s.pk: _terms(s, rows.get(s.pk)) for s in services}


def is_offered(service: Service, location: Location) -> bool:
    return not ServiceOffering.objects.filter(
        service=service, location=location, offered=False
    ).exists()


def locations_offering(service: Service) -> list[Location]:
    """The locations where ``service`` may be booked, by name."""
    refused = ServiceOffering.objects.filter(service=service, offered=False).values("location_id")
    return list(Location.objects.exclude(pk__in=refused).order_by("name"))


def _not_offered(service: Service, location: Location, field: str) -> InvalidInput:
    return InvalidInput.one(
        field, f"{service.name} is not offered at {location.name}; choose another location"
    )


def refuse_unless_offered(service: Service, location: Location, field: str = "service") -> None:
    """422 on ``field`` when ``location`` does not offer ``service`` (online or by staff)."""
    if not is_offered(service, location):
        raise _not_offered(service, location, field)


def offered_terms(service: Service, location: Location, field: str = "service") -> Terms:
    """The terms at ``location`` in one read, refused (422 on ``field``) when not offered."""
    terms = terms_at(service, location)
    if not terms.offered:
        raise _not_offered(service, location, field)
    return terms
