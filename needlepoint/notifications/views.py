"""The private staff calendar feed and the staff page that creates and revokes feeds."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.core.confirm import Question, ask_once
from needlepoint.core.errors import NotFound

from . import selectors, services
from .ical import staff_feed_ics
from .tokens import absolute


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.feed_owner(token)
    if found is None:
        raise Http404("No such calendar feed.")
    feed, user = found
    appointments = selectors.feed_appointments(feed=feed, user=user)
    body = staff_feed_ics(
        appointments, name=f"Needlepoint: {user.get_full_name() or user.username}"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@role_required("calendar_feed.manage")
@require_http_methods(["GET", "POST"])
def staff_feeds(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    new_url = ""
    if request.method == "POST":
        created = services.calendar_feed_create(
            actor=user, label=request.POST.get("label", "")[:100]
        )
        new_url = absolute(reverse("notifications:calendar_feed", args=[created.raw]))
    return render(
        request,
        "notifications/staff_feeds.html",
        {"feeds": selectors.feeds_of(user), "new_url": new_url},
    )


@role_required("calendar_feed.manage")
@require_http_methods(["GET", "POST"])
def staff_feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    """Asks once (core/confirm.py), then revokes the feed. Someone else's feed: 404."""
    if not any(feed.pk == feed_id for feed in selectors.feeds_of(request.user)):  # type: ignore[arg-type]
        raise Http404("No such calendar feed.")
    question = Question(
        title="Revoke this calendar feed?",
        says=(
            "The calendar app or phone that uses this address stops getting your appointments.",
            "A revoked address never works again; you can create a new one.",
        ),
        yes="Yes, revoke the feed",
        no="No, keep it",
        back=reverse("notifications:staff_feeds"),
    )
    if (asked := ask_once(request, question)) is not None:
        return asked
    try:
        services.calendar_feed_revoke(actor=request.user, feed_id=feed_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404("No such calendar feed.") from None
    return redirect("notifications:staff_feeds")
