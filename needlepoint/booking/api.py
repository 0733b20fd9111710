"""`POST /api/v1/bookings/consultation`: public online booking (no login)."""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from needlepoint.core.client_ip import client_address
from needlepoint.core.errors import FieldProblem
from needlepoint.core.idempotency import idempotent

from . import services
from .schemas import BookedOut, ConsultationBookingIn, booked_out
from .services import BookingRequest

router = Router(tags=["online booking"])


def start_problem(start: datetime) -> str:
    """Why a parsed start can't be a booking time (empty when it can)."""
    if start.tzinfo is None:
        return "must include a UTC offset"
    this_year = timezone.now().year  # a sanity bound, not a clinic day
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
        given, family = services.split_name(fields["name"])
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
    booking = services.consultation_book_online(
        data=data, ip=client_address(request) or "unknown", known=known
    )
    return 201, booked_out(booking)
