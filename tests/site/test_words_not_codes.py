"""Every page of the demo clinic, for every role, reads as words: no code of the domain's enums
or choices, no rule code, no ISO date or timestamp, no "1 months", no demo login name.

The pages are the URLconf's (outside /api/, /admin/, allauth's internals, downloads and
images), path parameters filled from the demo clinic. Only 200 text/html answers are read.
The offenders are also written to var/test-results/words-not-codes.txt.
See docs/decisions/0500-words-not-codes-test.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import enrol_totp

from .words import offenders, readable

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 9"
ROLES = {  # role: the demo persona who plays it
    "front_desk": "frontdesk",
    "aesthetician": "aesthetician",
    "physician": "physician",
    "clinic_admin": "admin",
    "patient": "patient",
    "anonymous": None,
}
# allauth's pages are its own machinery; the sign-in page is the one everyone meets.
ACCOUNT_PAGES = {"accounts/login/"}
SKIPPED = ("api/", "admin/", "static/", "media/")
DOWNLOADS = re.compile(r"(\.ics$|/image/$|/download/$|/export/$|/feed/$)")
ACTIONS = re.compile(r"<slug:action>")  # POST-only buttons on the calendar card
REPORT = Path("var/test-results/words-not-codes.txt")
READ = Path("var/test-results/words-not-codes-pages-read.txt")


def _routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    routes = []
    for route in dict.fromkeys(walk(get_resolver().url_patterns)):
        if route.startswith(SKIPPED) or "^" in route or ACTIONS.search(route):
            continue
        if route.startswith("accounts/") and route not in ACCOUNT_PAGES:
            continue
        if DOWNLOADS.search(route):
            continue
        routes.append(route)
    return routes


def _values(portal_user: Any) -> dict[str, dict[str, Any]]:
    """An object from the demo clinic for every path parameter (the portal patient's own in
    portal/); ``pk`` depends on the setup page it names."""
    from needlepoint.accounts.models import User
    from needlepoint.charting.models import SessionChart
    from needlepoint.clinic.models import Closure, Device, Room, ScheduleException, Service
    from needlepoint.data.charting_data import load_consent
    from needlepoint.followups.models import FollowUp
    from needlepoint.notifications.models import CalendarFeedToken
    from needlepoint.notifications.tokens import manage_token, offer_token
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment
    from needlepoint.screening.models import Consultation, Screening
    from needlepoint.screening.policy_selectors import KIND_SLUGS
    from needlepoint.treatments.models import TreatmentPlan
    from needlepoint.waitlist.models import WaitlistEntry, WaitlistOffer

    def first(model: Any, **filters: Any) -> Any:
        return model.objects.filter(**filters).order_by("pk").first()

    def pk(found: Any) -> int:
        return found.pk if found else 0

    own = first(Patient, user=portal_user)
    upcoming = first(Appointment, status="booked", patient=own) or first(
        Appointment, status="booked"
    )
    plan = first(TreatmentPlan, patient=own) or first(TreatmentPlan)
    staff = User.objects.exclude(role="patient").order_by("pk").first()
    offer = first(WaitlistOffer)
    common = {
        "slug": "main",
        "public_id": staff.public_id,
        "user_id": staff.pk,
        "version": load_consent().current_version,
        "kind_slug": next(iter(KIND_SLUGS)),
        "ref": "1",
        "token": manage_token(upcoming) if upcoming else "x",
        "offer_token": offer_token(offer) if offer else "x",
        "feed_id": pk(first(CalendarFeedToken)),
        "pk:rooms": pk(first(Room)),
        "pk:pens": pk(first(Device)),
        "pk:services": pk(first(Service)),
        "pk:closures": pk(first(Closure)),
        "pk:time-off": pk(first(ScheduleException)),
    }
    other = Patient.objects.exclude(pk=own.pk).order_by("pk").first()
    return {
        "staff": common
        | {
            "patient_id": own.pk,
            "duplicate_id": other.pk,
            "appointment_id": pk(upcoming),
            "plan_id": pk(plan),
            "consultation_id": pk(first(Consultation, patient=own) or first(Consultation)),
            "screening_id": pk(first(Screening)),
            "chart_id": pk(first(SessionChart)),
            "followup_id": pk(first(FollowUp)),
            "entry_id": pk(first(WaitlistEntry)),
        },
        "portal": common
        | {
            "appointment_id": pk(upcoming),
            "plan_id": pk(plan),
            "followup_id": pk(first(FollowUp, patient=own)),
            "entry_id": pk(first(WaitlistEntry, patient=own)),
        },
    }


def _fill(route: str, values: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        if name == "pk":
            name = "pk:" + route.removeprefix("staff/setup/").split("/")[0]
        if route.startswith("waitlist/offers/") and name == "token":
            name = "offer_token"
        assert name in values, f"teach {__name__} the path parameter {name!r} ({route})"
        return str(values[name])

    return "/" + re.sub(r"<([^>]+)>", one, route)


def _sign_in_through_the_form() -> tuple[Client, str]:
    """The patient signs in with the form, so the "signed in" message is on the page."""
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/", {"login": "patient", "password": PASSWORD}, follow=True
    )
    return client, response.content.decode()


@pytest.fixture
def world(db: None, settings: Any) -> tuple[dict[str, Client], dict[str, dict[str, Any]], str]:
    from needlepoint.accounts.models import User
    from needlepoint.demo.load import load_demo

    load_demo(PASSWORD, generated=False)
    clients: dict[str, Client] = {}
    for role, username in ROLES.items():
        client = Client(raise_request_exception=False)
        if username:
            user = User.objects.get(username=username)
            if role != "patient":
                enrol_totp(user)
            client.force_login(user)
        clients[role] = client
    _, landing = _sign_in_through_the_form()
    return clients, _values(User.objects.get(username="patient")), landing


def _usernames() -> list[str]:
    from needlepoint.accounts.models import User

    # A demo login that is also an English word ("patient", "physician", "admin") can only
    # be told apart from the word by case in a sentence; those are caught where they stand
    # alone after "as" (allauth's "signed in as patient.") and in every form otherwise.
    return [u for u in User.objects.values_list("username", flat=True) if u]


def _slugs() -> list[str]:
    """Rooms, services and locations are read by their names; a slug that its own name does
    not contain ("treatment-1" for "Treatment room 1") is a code. Pens have no name but
    their label (the slug), so they are not here."""
    from needlepoint.clinic.models import Location, Room, Service

    return [
        slug
        for model in (Room, Service, Location)
        for slug, name in model.objects.values_list("slug", "name")
        if slug.lower() not in name.lower()
    ]


def _slug_offenders(text: str, slugs: list[str]) -> list[str]:
    return [s for s in slugs if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]


def _username_offenders(text: str, names: list[str]) -> list[str]:
    words = {"patient", "physician", "aesthetician", "admin"}
    distinct = [n for n in names if n not in words]
    found = [n for n in distinct if re.search(rf"(?<![\w@.-]){re.escape(n)}(?![\w-])", text)]
    found += [n for n in names if n in words and re.search(rf"\bas {re.escape(n)}\b\.?", text)]
    return found


def test_every_page_for_every_role_reads_as_words_not_codes(world):
    clients, values, landing = world
    names, slugs = _usernames(), _slugs()
    flagged: dict[tuple[str, str], list[str]] = {}
    read: list[str] = []
    for route in _routes():
        path = _fill(route, values["portal" if route.startswith("portal/") else "staff"])
        for role, client in clients.items():
            response = client.get(path)
            assert response.status_code < 500, (path, role, response.status_code)
            if response.status_code != 200:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            read.append(f"{path}\t{role}\n")
            text = readable(response.content.decode())
            found = offenders(text) + _username_offenders(text, names)
            found += _slug_offenders(text, slugs)
            if found:
                flagged[(path, role)] = sorted(set(found))
    text = readable(landing)
    found = offenders(text) + _username_offenders(text, names)
    if found:
        flagged[("/accounts/login/ (after signing in)", "patient")] = sorted(set(found))

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        "".join(f"{path}\t{role}\t{' '.join(tokens)}\n" for (path, role), tokens in flagged.items())
    )
    READ.write_text("".join(read))
    assert len(read) > 60, (
        f"only {len(read)} pages were read: the demo clinic or the routes changed"
    )
    assert not flagged, "pages show codes where people read words:\n" + "\n".join(
        f"  {path} as {role}: {', '.join(tokens)}" for (path, role), tokens in flagged.items()
    )
