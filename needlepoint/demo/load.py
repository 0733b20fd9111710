from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from needlepoint.clinic.clock import clinic_today
from needlepoint.patients.models import Patient

from .bookings import ensure_bookings, ensure_visit_elsewhere
from .charts import ensure_charts
from .chicago import ensure_chicago, ensure_chicago_lots, ensure_closure, ensure_group_hours
from .clinic import ensure_cartridges, ensure_location, ensure_services
from .followups import CHICAGO_COURSES, ensure_followups
from .notifications import ensure_notifications_demo
from .outcomes import ensure_outcomes
from .people import CHICAGO_PATIENTS, STAFF, ensure_people
from .screening import ensure_screening_demo

CHICAGO_MARKER = "[demo chicago]"


@dataclass(frozen=True)
class DemoLogins:
    usernames: list[str]
    password: str
    generated: bool


def load_demo(password: str, generated: bool) -> DemoLogins:
    """A group of two locations: New York (`main`) and Chicago, staff shared on some days."""
    with transaction.atomic():
        location = ensure_location()
        chicago = ensure_chicago()
        ensure_services()
        users = ensure_people(password)
        ensure_cartridges(location, clinic_today(location))
        ensure_chicago_lots(chicago, clinic_today(chicago))
        ensure_group_hours(users)  # who works where on which days: people.WHERE_THEY_WORK
        ensure_closure(chicago, users["admin"], clinic_today(chicago))
        ensure_screening_demo(users)  # screenings, consultations and active plans
        ensure_outcomes(users)  # synthetic photos, grades, releases, ratings (issue #6)
        ensure_charts(location, chicago)  # past sessions: signed charts, an adverse event
        ensure_followups(location, users)  # finished courses: outcome visits, a recall (#6)
        ensure_followups(chicago, users, CHICAGO_COURSES)
        chicagoans = list(Patient.objects.filter(email__in=CHICAGO_PATIENTS).order_by("pk"))
        new_yorkers = list(Patient.objects.exclude(email__in=CHICAGO_PATIENTS).order_by("pk"))
        ensure_bookings(location, patients=new_yorkers)  # each active plan's next session
        # Chicago's visits start today, so its day pages have someone on them.
        ensure_bookings(
            chicago,
            patients=chicagoans,
            marker=CHICAGO_MARKER,
            desk_username="frontdesk2",
            first_day=0,
        )
        ada = Patient.objects.filter(email="ada.testwell@example.com").first()
        ensure_visit_elsewhere(chicago, ada, CHICAGO_MARKER)  # the portal patient, in Chicago
        ensure_notifications_demo()  # a waitlist entry and a staff calendar feed (issue #4)
    return DemoLogins(
        usernames=[name for name, *_ in STAFF] + ["patient"], password=password, generated=generated
    )
