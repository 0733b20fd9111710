"""Demo data for notifications and the waitlist: idempotent, safe to run every `make run`."""

from __future__ import annotations

import sys

from django.urls import reverse

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Service
from needlepoint.notifications.models import CalendarFeedToken
from needlepoint.notifications.services import calendar_feed_create
from needlepoint.notifications.tokens import absolute
from needlepoint.patients.models import Patient
from needlepoint.waitlist.models import WaitlistEntry
from needlepoint.waitlist.services import waitlist_join


def ensure_notifications_demo() -> None:
    """A waitlist entry (Bruno wants an earlier consultation) and a calendar feed for the
    aesthetician (its URL is printed once, when created: only its hash is kept)."""
    service = Service.objects.filter(slug="consultation").first()
    patient = Patient.objects.filter(email="bruno.samplesson@example.com").first()
    if service and patient and not WaitlistEntry.objects.filter(patient=patient).exists():
        waitlist_join(actor=None, patient=patient, service=service)
    aesthetician = User.objects.filter(username="aesthetician").first()
    if aesthetician and not CalendarFeedToken.objects.filter(user=aesthetician).exists():
        created = calendar_feed_create(actor=aesthetician, label="demo")
        url = absolute(reverse("notifications:calendar_feed", args=[created.raw]))
        sys.stdout.write(f"Demo calendar feed for 'aesthetician': {url}\n")
