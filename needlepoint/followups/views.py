"""The front desk's follow-up page: missed outcome visits, maintenance recalls due, outcome
visits to book (with the first free times), and booking one through the booking engine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.access import visible_locations
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import NotFound
from needlepoint.domain.errors import DomainError

from . import selectors, services

TABS = [
    ("action", "To act on", selectors.State.ACTION),
    ("missed", "Missed outcome visits", (selectors.State.MISSED,)),
    ("due", "Recalls due", (selectors.State.DUE,)),
    ("proposed", "To book", (selectors.State.PROPOSED,)),
    ("booked", "Booked", (selectors.State.BOOKED,)),
]

_TAB_KEYS = [(key, label) for key, label, _ in TABS]


@role_required("followup.read", audit_action="followup.read")
def follow_ups(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    # Proposals and recalls are written by `needlepoint reminders send` (every minute under
    # `make run`), never by reading this page.
    tab = request.GET.get("tab", "action")
    chosen = next((t for t in TABS if t[0] == tab), TABS[0])
    rows, count = selectors.followup_list(actor=actor, states=chosen[2], limit=200)
    now = timezone.now()
    bookable = (selectors.State.PROPOSED, selectors.State.MISSED, selectors.State.DUE)
    to_book = [row.followup for row in rows if row.state in bookable]
    # Each visit is offered where the course's last session was, or at the location chosen
    # above the list; only ever at a location the user may act at (decision 0700).
    reachable = list(visible_locations(actor))
    where = next((p for p in reachable if p.slug == request.GET.get("where")), None)
    usual = selectors.usual_locations(to_book)
    first = reachable[0] if reachable else None
    places = {pk: where or (place if place in reachable else first) for pk, place in usual.items()}
    slots = selectors.followup_slots_many(to_book, now=now, limit=3, places=places)
    # The slots name staff by username; people read their names.
    usernames = {slot.staff for found in slots.values() for slot in found}
    names = {u.username: u.public_name for u in User.objects.filter(username__in=usernames)}
    items = []
    for row in rows:
        place = places.get(row.followup.pk)
        # Times on each location's own wall clock (Chicago's an hour behind New York's).
        found = [
            (s.start.astimezone(place.zone) if place else s.start, names.get(s.staff, ""))
            for s in slots.get(row.followup.pk, [])
        ]
        items.append({"row": row, "slots": found, "place": place})
    counts = {
        key: selectors.followup_list(actor=actor, states=states, limit=0)[1]
        for key, _, states in TABS
    }
    return render(
        request,
        "followups/list.html",
        {
            "tabs": [(key, label, counts[key]) for key, label, _ in TABS],
            "tab": chosen[0],
            "tab_label": chosen[1],
            "items": items,
            "count": count,
            "today": clinic_today(now=now),
            "reachable": reachable,
            "where": where,
        },
    )


@role_required("followup.propose", audit_action="followup.book")
def book(request: HttpRequest, followup_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("followups:list")
    actor: Any = request.user
    try:
        followup = selectors.followup_for(actor=actor, followup_id=followup_id)
    except NotFound:
        raise Http404("No such follow-up.") from None
    try:
        start = datetime.fromisoformat(request.POST.get("start", "").strip())
        if timezone.is_naive(start):
            raise ValueError
    except ValueError:
        messages.error(request, "Choose one of the free times.")
        return redirect("followups:list")
    try:
        place = selectors.booking_place(actor, followup, request.POST.get("location", "")[:100])
        services.followup_book(actor=actor, followup=followup, start=start, location=place)
    except NotFound:
        raise Http404("No such location.") from None
    except DomainError as exc:
        messages.error(request, f"Not booked: {exc.message}")
    else:
        messages.success(
            request,
            f"Booked {followup.get_kind_display().lower()} for patient #{followup.patient_id}.",
        )
    tab = request.POST.get("tab", "action")
    return redirect(
        reverse("followups:list") + f"?tab={tab if tab in dict(_TAB_KEYS) else 'action'}"
    )
