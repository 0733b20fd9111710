"""The online booking API's request and response shapes."""

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from needlepoint.notifications.tokens import absolute

from .services import OnlineBooking


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


def booked_out(booking: OnlineBooking) -> dict[str, Any]:
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
