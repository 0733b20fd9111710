from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from needlepoint.clinic.clock import clinic_today

from .bookings import ensure_bookings
from .charts import ensure_charts
from .clinic import ensure_cartridges, ensure_location, ensure_services, ensure_working_hours
from .followups import ensure_followups
from .notifications import ensure_notifications_demo
from .outcomes import ensure_outcomes
from .people import STAFF, ensure_people
from .screening import ensure_screening_demo


@dataclass(frozen=True)
class DemoLogins:
    usernames: list[str]
    password: str
    generated: bool


def load_demo(password: str, generated: bool) -> DemoLogins:
    with transaction.atomic():
        location = ensure_location()
        ensure_services()
        users = ensure_people(password)
        location_today = clinic_today(location)
        ensure_cartridges(location, location_today)
        clinicians = [users[n] for n in ("aesthetician", "aesthetician2", "physician")]
        ensure_working_hours(location, clinicians)
        ensure_screening_demo(users)  # screenings, consultations and active plans
        ensure_outcomes(users)  # synthetic photos, grades, releases, ratings (issue #6)
        ensure_charts(location)  # past sessions: signed charts, an adverse event, stock used
        ensure_followups(location, users)  # finished courses: outcome visits, a recall (#6)
        ensure_bookings(location)  # upcoming visits: each active plan's next session
        ensure_notifications_demo()  # a waitlist entry and a staff calendar feed (issue #4)
    return DemoLogins(
        usernames=[name for name, *_ in STAFF] + ["patient"], password=password, generated=generated
    )
