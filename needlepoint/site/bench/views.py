"""Baseline views for `needlepoint bench_load`: no auth, no audit, on purpose.

They exist only under the bench settings, against a throwaway database: the yardstick the
real booking API and pages are measured against (same server, same client).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Device, Location, Room, Service
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment

# Far from the API's bookings so the two never collide; one resource set per lane.
BASELINE_START = datetime(2040, 1, 2, 8, 0, tzinfo=UTC)
LANES = 10


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def insert(request: HttpRequest, number: int) -> JsonResponse:
    # The same row the booking API writes, placed so no two requests overlap.
    lane, turn = number % LANES, number // LANES
    start = BASELINE_START + timedelta(minutes=75 * turn)
    location = Location.objects.get(slug="bench")
    appointment = Appointment.objects.create(
        patient=Patient.objects.order_by("pk")[0],
        service=Service.objects.get(slug="bench-treatment"),
        location=location,
        staff=User.objects.get(username=f"clinician-{lane:02}"),
        room=Room.objects.get(location=location, slug=f"room-{lane:02}"),
        device=Device.objects.get(location=location, slug=f"pen-{lane:02}"),
        start=start,
        end=start + timedelta(minutes=60),
        busy_until=start + timedelta(minutes=75),
        booked_via="staff",
    )
    return JsonResponse({"id": appointment.pk}, status=201)
