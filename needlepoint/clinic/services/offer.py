"""Services: what the clinic offers, for how long and for how much."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES, Role
from needlepoint.audit.services import record
from needlepoint.core.errors import Problems

from ..models import (
    RoomKind,
    Service,
)
from .common import active_set, name_taken, required_text, unique_slug

# --- Services --------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTerms:
    name: str
    description: str
    duration_minutes: int
    buffer_after_minutes: int
    room_kind: str
    needs_device: bool
    performer_roles: Sequence[str]
    online_booking: bool
    is_treatment: bool
    price: Decimal | None
    currency: str = "USD"


def service_save(*, actor: User, terms: ServiceTerms, service: Service | None = None) -> Service:
    """Add a service (``service`` None) or change its terms."""
    problems = Problems()
    name = required_text(problems, "name", terms.name, 120)
    if not 5 <= terms.duration_minutes <= 480:
        problems.add("duration_minutes", "must be between 5 and 480 minutes")
    if terms.buffer_after_minutes < 0:
        problems.add("buffer_after_minutes", "cannot be negative; enter 0 for no buffer")
    elif terms.buffer_after_minutes > 240:
        problems.add("buffer_after_minutes", "must be at most 240 minutes")
    if terms.room_kind not in RoomKind.values:
        problems.add("room_kind", "choose the kind of room the service needs")
    allowed = set(STAFF_ROLES)
    if not terms.performer_roles or not set(terms.performer_roles) <= allowed:
        problems.add("performer_roles", "choose at least one staff role who performs it")
    if terms.price is not None and (terms.price < 0 or terms.price >= Decimal("1000000")):
        problems.add("price", "must be between 0 and 999999.99; leave empty if not priced")
    if len(terms.currency or "") != 3 or not terms.currency.isalpha():
        problems.add("currency", "must be a three-letter currency code such as USD")
    if name_taken(Service.objects.all(), name, other_than=service):
        problems.add("name", "another service already has this name; choose another")
    problems.raise_if_any()
    with transaction.atomic():
        adding = service is None
        if service is None:
            service = Service(slug=unique_slug(Service, name))
        service.name, service.description = name, (terms.description or "").strip()
        service.duration_minutes = terms.duration_minutes
        service.buffer_after_minutes = terms.buffer_after_minutes
        service.room_kind, service.needs_device = terms.room_kind, terms.needs_device
        service.performer_roles = [r for r in Role.values if r in set(terms.performer_roles)]
        service.online_booking, service.is_treatment = terms.online_booking, terms.is_treatment
        service.price, service.currency = terms.price, terms.currency.upper()
        service.save()
        record(
            actor=actor,
            action="service.create" if adding else "service.update",
            object_type="service",
            object_id=service.pk,
            detail={"name": name, "duration_minutes": terms.duration_minutes},
        )
    return service


def service_set_active(*, actor: User, service: Service, active: bool) -> Service:
    """Services are withdrawn, never deleted: appointments and plans name them."""
    return active_set(
        actor=actor,
        item=service,
        active=active,
        object_type="service",
        on="reactivate",
        off="withdraw",
    )
