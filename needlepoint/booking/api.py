"""`POST /api/v1/bookings/consultation`: public online booking (no login)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from needlepoint.core.client_ip import client_address
from needlepoint.core.errors import FieldProblem
from needlepoint.core.idempotency import idempotent
from needlepoint.notifications.tokens import absolute

from . import services as public_services
from .services import BookingRequest, RateLimited

router = Router(tags=["online booking"])


class ConsultationBookingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=200, description="full name, or the two below")
    given_name: str = Field(default="", max_length=100)
    family_name: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)
    date_of_birth: str = Field(default="", max_length=10, description="YYYY-MM-DD")
    start: str = Field(default="", max_length=40, description="a free slot's start (ISO 8601)")
    screening: str = Field(
        default="",
        max_length=200,
        description="the `booking_reference` of a stored screening (POST /screenings)",
    )
    location: str = Field(default="", max_length=100)


class BookedOut(Schema):
    id: int
    service: str
    location: str
    timezone: str
    start: str
    end: str
    status: str
    manage_url: str


def start_problem(start: datetime) -> str:
    """Why a parsed start can't be a booking time (empty when it can)."""
    if start.tzinfo is None:
        return "must include a UTC offset"
    this_year = date.today().year
    # Far years would overflow on conversion to UTC; no booking is that far off anyway.
    if not this_year - 1 <= start.year <= this_year + 5:
        return "is not a time that can be booked"
    return ""


def parse_request(fields: dict[str, str]) -> tuple[BookingRequest, list[FieldProblem]]:
    """Text fields (a form or JSON) -> a request, and the values that could not be parsed
    (reported together with every other problem by the service)."""
    problems: list[FieldProblem] = []
    given, family = fields.get("given_name", "").strip(), fields.get("family_name", "").strip()
    if not (given or family) and fields.get("name", "").strip():
        given, family = public_services.split_name(fields["name"])
    dob: date | None = None
    raw_dob = fields.get("date_of_birth", "").strip()
    if raw_dob:
        try:
            dob = date.fromisoformat(raw_dob)
        except ValueError:
            problems.append(FieldProblem("date_of_birth", "must be a date as YYYY-MM-DD"))
    start: datetime | None = None
    raw_start = fields.get("start", "").strip()
    if raw_start:
        try:
            start = datetime.fromisoformat(raw_start)
        except ValueError:
            problems.append(FieldProblem("start", "must be a date and time (ISO 8601)"))
        else:
            message = start_problem(start)
            if message:
                problems.append(FieldProblem("start", message))
                start = None
    data = BookingRequest(
        given_name=given,
        family_name=family,
        email=fields.get("email", "").strip(),
        phone=fields.get("phone", "").strip(),
        date_of_birth=dob,
        start=start,
        screening=fields.get("screening", "").strip(),
        location=fields.get("location", "").strip(),
    )
    return data, problems


def booked_out(booking: public_services.OnlineBooking) -> dict[str, Any]:
    appointment = booking.appointment
    zone = appointment.location.zone
    return {
        "id": appointment.pk,
        "service": appointment.service.slug,
        "location": appointment.location.slug,
        "timezone": appointment.location.time_zone,
        "start": appointment.start.astimezone(zone).isoformat(),
        "end": appointment.end.astimezone(zone).isoformat(),
        "status": appointment.status,
        "manage_url": absolute(f"/book/manage/{booking.manage_token}/"),
    }


@router.post(
    "/bookings/consultation",
    auth=None,
    response={201: BookedOut},
    openapi_extra={"responses": {429: {"description": "rate-limited"}}},
    summary="Book a consultation online (public; rate-limited per IP and per email)",
)
@idempotent
def book_consultation(request: HttpRequest, body: ConsultationBookingIn) -> tuple[int, object]:
    data, known = parse_request(body.model_dump())
    try:
        booking = public_services.consultation_book_online(
            data=data, ip=client_address(request) or "unknown", known=known
        )
    except RateLimited as exc:
        raise HttpError(429, exc.message) from None
    return 201, booked_out(booking)
