"""Which services a location offers, for how long and at what price (decision 0710)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.core.errors import Problems

from ..models import Location, Service, ServiceOffering


@dataclass(frozen=True)
class OfferingTerms:
    """One service at one location; an empty duration or price keeps the service's own."""

    service: Service
    offered: bool
    duration_minutes: int | None
    price: Decimal | None


def offering_field(service: Service, name: str) -> str:
    """The form field a problem with ``service``'s ``name`` is shown beside."""
    return f"service-{service.pk}-{name}"


def offerings_set(*, actor: User, location: Location, terms: Sequence[OfferingTerms]) -> None:
    """Set, for each service named, whether ``location`` offers it and on what terms; all
    or nothing, every problem named at once."""
    problems = Problems()
    for item in terms:
        minutes = item.duration_minutes
        if minutes is not None and not 5 <= minutes <= 480:
            problems.add(
                offering_field(item.service, "duration_minutes"),
                "must be between 5 and 480 minutes; leave empty for the service's own",
            )
        if item.price is not None and (item.price < 0 or item.price >= Decimal("1000000")):
            problems.add(
                offering_field(item.service, "price"),
                "must be between 0 and 999999.99; leave empty for the service's own price",
            )
    problems.raise_if_any()
    with transaction.atomic():
        changed = []
        for item in terms:
            row, _ = ServiceOffering.objects.get_or_create(location=location, service=item.service)
            now = (item.offered, item.duration_minutes, item.price)
            if (row.offered, row.duration_minutes, row.price) == now:
                continue
            row.offered, row.duration_minutes, row.price = now
            row.save()
            changed.append(
                {
                    "service": item.service.slug,
                    "offered": item.offered,
                    "duration_minutes": item.duration_minutes,
                    "price": str(item.price) if item.price is not None else None,
                }
            )
        if changed:
            record(
                actor=actor,
                action="location.services",
                object_type="location",
                object_id=location.pk,
                detail={"changed": changed},
            )
