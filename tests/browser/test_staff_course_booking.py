"""Staff book a whole course for a patient with an active plan, from the course page (the
proposed dates first, then all sessions at once), then the front desk sees every session on
the staff calendar's week view and on the plan page."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from needlepoint.core.labels import clock_words
from tests.browser.conftest import sign_in_as, weekday_ahead
from tests.browser.looking import look
from tests.browser.walk_helpers import booking_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active_plan(clinician, patient):
    """A signed candidate consultation and the plan as recommended, through the services."""
    from needlepoint.screening.services import consultation_record
    from needlepoint.treatments.services import plan_create

    consultation = consultation_record(
        actor=clinician,
        patient=patient,
        screening=None,
        fitzpatrick=3,
        concerns=[{"concern": "acne_scars", "grade": "2"}],
        zones=["cheeks"],
        determination="candidate",
        notes="",
    )
    return plan_create(actor=clinician, consultation=consultation)


def test_staff_book_a_whole_course_and_see_it_on_the_week_view(live_server, page, make_persona):
    from django.utils import timezone

    from needlepoint.scheduling.models import Appointment
    from needlepoint.treatments.models import PlanSession

    location, aria, _phil, fran, pat = booking_day(make_persona)
    plan = active_plan(aria.user, pat.patient)
    assert plan.status == "active"
    first_day = weekday_ahead(timezone.localdate(timezone=location.zone), 3)
    earliest = datetime(first_day.year, first_day.month, first_day.day, 9, tzinfo=location.zone)
    base = live_server.url

    # The front desk books the course from the plan's page for it: the proposed dates first,
    # then every session at once, with Aria, on the same weekday, from the chosen day on.
    sign_in_as(page, live_server, fran.user)
    page.goto(f"{base}/staff/calendar/plans/{plan.pk}/course/?location=main")
    expect(page.get_by_role("heading", name="Book the course for Pat Persona")).to_be_visible()
    page.get_by_label("Treatment").select_option(label="Micro-needling: face")
    page.get_by_label("With").select_option(label="Aria")
    page.get_by_label(f"{first_day:%A}").check()
    page.get_by_label("First session no earlier than").fill(first_day.isoformat())
    page.get_by_role("button", name="Show the proposed dates").click()
    expect(page.get_by_role("heading", name="Proposed dates")).to_be_visible()
    look(page, "staff course booking: proposed dates")
    assert Appointment.objects.count() == 0
    page.get_by_role("button", name=f"Book all {plan.sessions} sessions").click()
    expect(page.get_by_role("heading", name="Booked sessions")).to_be_visible()
    look(page, "staff course booking: booked")

    booked = list(Appointment.objects.order_by("start"))
    assert [a.plan_session for a in booked] == list(range(1, plan.sessions + 1))
    assert {(a.staff.username, a.service.slug, a.booked_via) for a in booked} == {
        ("aria", "microneedling-face", "course")
    }
    assert len({a.series_id for a in booked}) == 1
    sessions = [{"id": a.pk, "end": a.end.isoformat()} for a in booked]
    starts = [a.start.astimezone(location.zone) for a in booked]
    assert starts[0] == earliest
    assert {s.weekday() for s in starts} == {first_day.weekday()}
    gaps = {(b.date() - a.date()).days for a, b in itertools.pairwise(starts)}
    low, high = plan.recommendation["interval_weeks_range"]
    assert all(7 * low <= gap <= 7 * high for gap in gaps), gaps

    # The week view shows each session in Aria's column on its day, and nobody else's.
    for session, start in zip(sessions, starts, strict=True):
        # The week as lists (the time grid's alternative for reading).
        page.goto(f"{base}/staff/calendar/week/?location=main&date={start.date()}&layout=list")
        monday = start.date() - timedelta(days=start.weekday())
        heading = f"week of {monday.day} {monday:%B %Y}"
        expect(page.get_by_role("heading", name=re.compile(heading))).to_be_visible()
        table = page.get_by_role("table", name="Appointments by day and staff member")
        row = table.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=f"{start:%a} {start.day} {start:%b}")
        )
        cells = row.get_by_role("cell")
        expect(cells).to_have_count(2)  # one per clinician: Aria, then Phil
        end = datetime.fromisoformat(session["end"]).astimezone(location.zone)
        visit = cells.nth(0).get_by_role(
            "link", name=f"{clock_words(start)}–{clock_words(end)} Pat Persona"
        )
        expect(visit).to_be_visible()
        assert visit.get_attribute("href") == f"/staff/calendar/appointments/{session['id']}/"
        assert "Micro-needling: face · Treatment room 1 · micropen-1" in cells.nth(0).inner_text()
        assert cells.nth(1).inner_text().strip() == ""
        assert table.get_by_role("link", name=re.compile("Pat Persona")).count() == 1

    # The plan page lists every session booked, with its date.
    from needlepoint.core.labels import day_words

    page.goto(f"{base}/staff/plans/{plan.pk}/")
    expect(
        page.get_by_role("heading", name=re.compile(r"^Treatment plan for Pat Persona, "))
    ).to_be_visible()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(plan.sessions + 1)
    for index, start in enumerate(starts, start=1):
        cells = rows.nth(index).get_by_role("cell")
        assert [cells.nth(n).inner_text() for n in range(3)] == [
            str(index),
            "Booked",
            day_words(start.date()),  # "Monday 15 March 2027", not the ISO date
        ]
    look(page, "staff plan page: the course booked")
    assert set(PlanSession.objects.filter(plan=plan).values_list("status", flat=True)) == {"booked"}
