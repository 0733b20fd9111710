"""A lookup's refusal that a page lets through becomes the 404 or 403 page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from needlepoint.core.errors import Conflict, Forbidden, NotFound
from needlepoint.core.middleware import PageRefusalsMiddleware


def _middleware() -> PageRefusalsMiddleware:
    return PageRefusalsMiddleware(lambda request: HttpResponse())


def test_not_found_becomes_the_404_page() -> None:
    request = RequestFactory().get("/staff/setup/rooms/999/")
    with pytest.raises(Http404, match="no such room"):
        _middleware().process_exception(request, NotFound("no such room"))


def test_forbidden_becomes_the_403_page() -> None:
    request = RequestFactory().get("/staff/setup/")
    with pytest.raises(PermissionDenied, match="clinic admin"):
        _middleware().process_exception(request, Forbidden("for the clinic admin"))


def test_other_refusals_are_left_to_the_view() -> None:
    request = RequestFactory().post("/staff/setup/rooms/")
    assert _middleware().process_exception(request, Conflict("taken")) is None


@pytest.mark.django_db
def test_an_unknown_room_on_a_setup_page_is_the_404_page(clinic_admin, staff_client) -> None:
    response = staff_client(clinic_admin).get("/staff/setup/rooms/999999/")
    assert response.status_code == 404
