from django.http import HttpRequest
from ninja import Router

from needlepoint.accounts.permissions import request_user, require
from needlepoint.core.errors import NotFound

from . import selectors
from .access import location_for
from .location_face import location_faces
from .models import Location
from .offerings import terms_for_services
from .schemas import DeviceOut, LocationOut, OfferingOut, RoomOut, ServiceOut

router = Router(tags=["clinic"])


@router.get("/services", response=list[ServiceOut], auth=None, summary="Services the clinic offers")
def list_services(request: HttpRequest) -> object:
    return list(selectors.public_services())


@router.get("/services/{slug}", response=ServiceOut, auth=None, summary="One service")
def get_service(request: HttpRequest, slug: str) -> object:
    service = selectors.service_by_slug(slug)
    if service is None:
        raise NotFound(f"no service {slug!r}")
    return service


@router.get("/locations", response=list[LocationOut], auth=None, summary="Clinic locations")
def list_locations(request: HttpRequest) -> object:
    places = list(selectors.locations())
    for place, face in zip(places, location_faces(places), strict=True):
        place.hours_in_words = face.hours  # type: ignore[attr-defined]
    return places


def _location(request: HttpRequest, slug: str) -> Location:
    """The location the URL names, when the caller may act there (else 404, decision 0700)."""
    return location_for(request_user(request), slug)


@router.get(
    "/locations/{slug}/services",
    response=list[OfferingOut],
    auth=None,
    summary="Services offered at a location, with their duration and price there",
)
def list_location_services(request: HttpRequest, slug: str) -> object:
    location = _location(request, slug)
    services = list(selectors.public_services())
    terms = terms_for_services(services, location)  # type: ignore[arg-type]
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "duration_minutes": terms[s.pk].duration_minutes,
            "price": terms[s.pk].price,
            "currency": terms[s.pk].currency,
            "online_booking": s.online_booking,
            "is_treatment": s.is_treatment,
        }
        for s in services
        if terms[s.pk].offered
    ]


@router.get("/locations/{slug}/rooms", response=list[RoomOut], summary="Rooms (staff)")
def list_rooms(request: HttpRequest, slug: str) -> object:
    require(request, "clinic.read")
    return list(selectors.rooms_at(_location(request, slug)))


@router.get("/locations/{slug}/devices", response=list[DeviceOut], summary="Pens (staff)")
def list_devices(request: HttpRequest, slug: str) -> object:
    require(request, "clinic.read")
    return list(selectors.devices_at(_location(request, slug)))
