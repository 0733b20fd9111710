"""Hypothesis throws text, integers and dates at every page's query parameters: no 5xx.

The pages are every pattern in the URLconf outside /api/, /admin/ and /accounts/; path
parameters come from the demo clinic. Which query parameters a page reads is found by asking
it once and recording every key its view looks up; those are then fuzzed. Each page is
opened as the first of the admin, the physician, the front desk and the portal patient that
may see it. ``NEEDLEPOINT_FUZZ_EXAMPLES`` sets the examples per page.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import enrol_totp

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("NEEDLEPOINT_FUZZ_EXAMPLES", "10"))
SKIPPED = ("api/", "admin/", "accounts/")
EDGES = [
    "", "0", "-1", "³", "٣", "99999999999999999999", "1e309", "9999-12-31", "0001-01-01",
    "10000-01-01", "2027-02-30", "a\x00b", "%", "[]", "../", "<b>", " ", "\u202e",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(EDGES),
    st.text(max_size=40),
    st.integers(-(10**25), 10**25).map(str),
    st.dates().map(str),
)


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return [r for r in routes if not r.startswith(SKIPPED)]


@contextmanager
def recording_reads():
    """Every key a view looks up in a QueryDict (GET or POST) while the block runs."""
    keys: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__")}

    def spy(name: str) -> Any:
        def read(self: QueryDict, key: str, *args: Any, **kwargs: Any) -> Any:
            keys.add(key)
            return originals[name](self, key, *args, **kwargs)

        return read

    for name in originals:
        setattr(QueryDict, name, spy(name))
    try:
        yield keys
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def _path_values(portal_user: Any) -> dict[str, Any]:
    """An existing object for each path parameter (the portal patient's own in portal/)."""
    from needlepoint.charting.models import SessionChart
    from needlepoint.followups.models import FollowUp
    from needlepoint.notifications.models import CalendarFeedToken
    from needlepoint.outcomes.models import Photo
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment
    from needlepoint.screening.models import Consultation
    from needlepoint.treatments.models import TreatmentPlan

    def first(model: Any, **filters: Any) -> int:
        found = model.objects.filter(**filters).order_by("pk").first()
        return found.pk if found else 1

    own = {"patient__user": portal_user}
    return {
        "staff": {
            "appointment_id": first(Appointment),
            "patient_id": first(Patient, user=portal_user),
            "consultation_id": first(Consultation),
            "plan_id": first(TreatmentPlan),
            "chart_id": first(SessionChart),
            "photo_id": first(Photo),
            "followup_id": first(FollowUp),
            "feed_id": first(CalendarFeedToken),
        },
        "portal": {
            "appointment_id": first(Appointment, **own),
            "photo_id": first(Photo, **own),
            "followup_id": first(FollowUp, **own),
        },
    }


def _fill(route: str, values: dict[str, Any]) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "x")), route)
    return "/" + path


@pytest.fixture
def pages(db: None) -> list[tuple[str, Client, set[str]]]:
    """(path, a client that may open it, the query keys its view reads)."""
    from needlepoint.accounts.models import User
    from needlepoint.demo.load import load_demo

    load_demo("correct horse battery staple 9", generated=False)
    clients = []
    for username in ("admin", "physician", "frontdesk", "patient"):
        user = User.objects.get(username=username)
        if username != "patient":
            enrol_totp(user)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    clients.append(Client(raise_request_exception=False))
    portal_user = User.objects.get(username="patient")
    values = _path_values(portal_user)
    found = []
    for route in _routes(get_resolver().url_patterns):
        path = _fill(route, values["portal" if route.startswith("portal/") else "staff"])
        for client in clients:
            with recording_reads() as keys:
                response = client.get(path)
            assert response.status_code < 500, (path, response.status_code)
            if response.status_code not in (302, 401, 403):
                found.append((path, client, set(keys)))
                break
    return found


def _fuzz(path: str, client: Client, names: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(params=st.dictionaries(st.sampled_from(names), VALUES, min_size=1))
    def page_survives(params: dict[str, str]) -> None:
        response = client.get(path, params)
        assert response.status_code < 500, (path, params, response.status_code)

    page_survives()


def test_every_page_answers_fuzzed_query_parameters_without_a_server_error(pages):
    assert len(pages) > 40  # most pages are reachable by one of the personas
    for path, client, keys in pages:
        _fuzz(path, client, sorted(keys) or ["q"])
