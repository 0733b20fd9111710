"""Follow-ups after a course: outcome visits 1, 3 and 6 calendar months after the last
session, booked through the booking engine; the maintenance recall raised when due; missed
outcome visits on the front desk's list; reminders planned by the notifications outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)  # Monday 09:00 in New York


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic(db: None, frozen: Any, aesthetician: Any, physician: Any) -> Any:
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    location = ensure_location()
    ensure_services()
    ensure_working_hours(location, [aesthetician.user, physician.user])
    return location


def finished_plan(
    patient: Any, staff: Any, *session_days: date, maintenance_months: int = 12
) -> Any:
    from needlepoint.screening.models import Consultation
    from needlepoint.treatments.models import PlanSession, TreatmentPlan

    consultation = Consultation.objects.create(
        patient=patient,
        fitzpatrick=3,
        concerns=[{"concern": "acne_scars", "grade": "2"}],
        zones=["cheeks"],
        determination="candidate",
        protocol_version="test",
        signed_by=staff,
        signed_at=NOW - timedelta(days=400),
    )
    plan = TreatmentPlan.objects.create(
        patient=patient,
        consultation=consultation,
        protocol_version="test",
        recommendation={},
        sessions=len(session_days),
        interval_weeks=4,
        maintenance_months=maintenance_months,
        zones=[{"zone": "cheeks", "depth_mm": [1.0, 1.5]}],
        created_by=staff,
        status="completed",
    )
    for index, day in enumerate(session_days, start=1):
        PlanSession.objects.create(plan=plan, index=index, status="done", done_on=day)
    return plan


def test_outcome_visits_are_proposed_one_three_and_six_calendar_months_after_the_last_session(
    clinic, patient, aesthetician
):
    from needlepoint.followups.services import followups_propose

    plan = finished_plan(patient.patient, aesthetician.user, date(2026, 12, 3), date(2026, 12, 31))
    rows = followups_propose(actor=aesthetician.user, plan=plan)
    got = [(f.kind, f.months_after, f.due_on) for f in rows]
    assert got == [
        ("outcome_visit", 1, date(2027, 1, 31)),
        ("outcome_visit", 3, date(2027, 3, 31)),
        ("outcome_visit", 6, date(2027, 6, 30)),  # the 31st lands on the month's last day
        ("maintenance_recall", 12, date(2027, 12, 31)),
    ]
    assert all(f.last_session_on == date(2026, 12, 31) for f in rows)


def test_proposing_twice_writes_nothing_new(clinic, patient, aesthetician):
    from needlepoint.followups.models import FollowUp
    from needlepoint.followups.services import followups_propose

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 1, 10))
    followups_propose(actor=aesthetician.user, plan=plan)
    followups_propose(actor=aesthetician.user, plan=plan)
    assert FollowUp.objects.filter(plan=plan).count() == 4


def test_an_unfinished_course_gets_no_follow_ups_yet(clinic, api, patient, aesthetician):
    from needlepoint.treatments.models import PlanSession

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 1, 10))
    PlanSession.objects.create(plan=plan, index=2, status="booked", booked_for=date(2027, 3, 10))
    response = api(aesthetician).post(f"/plans/{plan.pk}/follow-ups")
    assert response.status_code == 409
    assert response.json()["code"] == "course_not_finished"


def test_the_sync_proposes_follow_ups_for_every_finished_course(clinic, patient, aesthetician):
    from needlepoint.followups.models import FollowUp
    from needlepoint.followups.services import followups_sync

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 1, 10))
    report = followups_sync(now=NOW)
    assert report.plans == [plan.pk] and report.proposed == 4
    assert followups_sync(now=NOW).proposed == 0
    assert FollowUp.objects.filter(plan=plan).count() == 4


def test_an_outcome_visit_is_booked_through_the_booking_engine(
    clinic, api, patient, front_desk, aesthetician
):
    from needlepoint.followups.services import followups_propose
    from needlepoint.scheduling.models import Appointment

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 2, 3))
    first = followups_propose(actor=aesthetician.user, plan=plan)[0]
    assert first.due_on == date(2027, 3, 3)
    response = api(front_desk).post(
        f"/follow-ups/{first.pk}/book", {"start": "2027-03-03T10:00:00-05:00"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "booked"
    appointment = Appointment.objects.get(pk=response.json()["appointment"])
    assert appointment.service.slug == "follow-up"
    assert appointment.patient == patient.patient
    # The engine's rules hold: a time outside working hours is refused and books nothing.
    second = followups_propose(actor=aesthetician.user, plan=plan)[1]
    refused = api(front_desk).post(
        f"/follow-ups/{second.pk}/book", {"start": "2027-05-01T03:00:00-04:00"}
    )
    assert refused.status_code in (409, 422)
    assert Appointment.objects.filter(patient=patient.patient).count() == 1


def test_a_patient_books_their_own_outcome_visit_but_not_anyone_elses(
    clinic, api, patient, other_patient, aesthetician
):
    from needlepoint.followups.services import followups_propose

    mine = followups_propose(
        actor=aesthetician.user,
        plan=finished_plan(patient.patient, aesthetician.user, date(2027, 2, 3)),
    )[0]
    theirs = followups_propose(
        actor=aesthetician.user,
        plan=finished_plan(other_patient.patient, aesthetician.user, date(2027, 2, 3)),
    )[0]
    body = {"start": "2027-03-03T10:00:00-05:00"}
    assert api(patient).post(f"/follow-ups/{theirs.pk}/book", body).status_code == 404
    assert api(patient).post(f"/follow-ups/{mine.pk}/book", body).status_code == 201


def _list(api: Any, who: Any, *states: str) -> dict[str, Any]:
    query = "&".join(f"state={s}" for s in states)
    response = api(who).get(f"/follow-ups?{query}" if query else "/follow-ups")
    assert response.status_code == 200, response.content
    return response.json()


def test_an_outcome_visit_never_booked_past_its_due_date_is_missed_on_the_front_desk_list(
    clinic, api, patient, front_desk, aesthetician
):
    from needlepoint.followups.services import followups_propose

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 1, 15))
    followups_propose(actor=aesthetician.user, plan=plan)  # 1 month: due 2027-02-15, passed
    listed = _list(api, front_desk)
    missed = [i for i in listed["items"] if i["state"] == "missed"]
    assert [(i["patient"], i["months_after"], i["due_on"]) for i in missed] == [
        (patient.patient.pk, 1, "2027-02-15")
    ]
    assert missed[0]["patient_name"] == "Pat Persona"


def test_a_no_show_at_an_outcome_visit_is_missed_on_the_front_desk_list(
    clinic, api, patient, front_desk, aesthetician, frozen
):
    from needlepoint.followups.services import followup_book, followups_propose
    from needlepoint.scheduling.services import appointment_mark_no_show

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 2, 3))
    first = followups_propose(actor=aesthetician.user, plan=plan)[0]
    followup_book(
        actor=front_desk.user, followup=first, start=datetime(2027, 3, 3, 15, 0, tzinfo=UTC)
    )
    assert _list(api, front_desk, "booked")["count"] == 1
    assert _list(api, front_desk, "missed")["count"] == 0
    frozen.move_to(datetime(2027, 3, 3, 16, 0, tzinfo=UTC))
    first.refresh_from_db()
    appointment_mark_no_show(actor=front_desk.user, appointment=first.appointment)
    missed = _list(api, front_desk, "missed")
    assert missed["count"] == 1 and missed["items"][0]["id"] == first.pk


def test_a_booked_or_done_outcome_visit_is_not_on_the_list_to_act_on(
    clinic, api, patient, front_desk, aesthetician
):
    from needlepoint.followups.services import followup_book, followups_propose

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 2, 3))
    first = followups_propose(actor=aesthetician.user, plan=plan)[0]
    followup_book(
        actor=front_desk.user, followup=first, start=datetime(2027, 3, 3, 15, 0, tzinfo=UTC)
    )
    assert all(i["id"] != first.pk for i in _list(api, front_desk)["items"])


def test_the_maintenance_recall_is_raised_when_due_and_not_before(
    clinic, api, patient, front_desk, aesthetician, frozen
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.followups.models import FollowUp
    from needlepoint.followups.services import followups_sync

    finished_plan(patient.patient, aesthetician.user, date(2026, 3, 20), maintenance_months=12)
    followups_sync(now=NOW)
    recall = FollowUp.objects.get(kind="maintenance_recall")
    assert recall.due_on == date(2027, 3, 20) and recall.raised_at is None
    assert _list(api, front_desk, "due")["count"] == 0
    later = datetime(2027, 3, 20, 14, 0, tzinfo=UTC)
    frozen.move_to(later)
    assert followups_sync(now=later).recalls_raised == 1
    recall.refresh_from_db()
    assert recall.raised_at == later
    due = _list(api, front_desk, "due")
    assert due["count"] == 1 and due["items"][0]["kind"] == "maintenance_recall"
    assert (
        AuditEvent.objects.filter(action="followup.recall_raise", object_id=str(recall.pk)).count()
        == 1
    )
    assert followups_sync(now=later).recalls_raised == 0


def test_outcome_visits_and_the_recall_are_planned_for_reminding_in_the_outbox(
    clinic, patient, aesthetician
):
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services import reminders_plan

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 2, 3))
    reminders_plan(now=NOW)
    kinds = set(OutboxMessage.objects.filter(plan=plan).values_list("kind", flat=True))
    assert {"outcome_visit", "maintenance_recall"} <= kinds


def test_the_book_your_outcome_visit_reminder_is_not_sent_once_that_visit_is_booked(
    clinic, api, patient, front_desk, aesthetician
):
    from needlepoint.followups.services import followups_propose
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services import outbox_deliver, reminders_plan

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 2, 3))
    one_month = followups_propose(actor=aesthetician.user, plan=plan)[0]
    reminders_plan(now=NOW)
    booked = api(front_desk).post(
        f"/follow-ups/{one_month.pk}/book", {"start": "2027-03-03T10:00:00-05:00"}
    )
    assert booked.status_code == 201, booked.content
    reminders = OutboxMessage.objects.filter(plan=plan, kind="outcome_visit", channel="email")
    for due_at in sorted(reminders.values_list("due_at", flat=True)):
        outbox_deliver(now=due_at)  # each on its day (a reminder months late is dropped)
    by_months = {
        m.key.split(":")[3]: m.status
        for m in OutboxMessage.objects.filter(plan=plan, kind="outcome_visit", channel="email")
    }
    assert by_months == {"1m": "cancelled", "3m": "sent", "6m": "sent"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("patient", 403),
        ("front_desk", 200),
        ("aesthetician", 200),
        ("physician", 200),
        ("clinic_admin", 403),
    ],
)
def test_the_follow_up_list_is_for_the_front_desk_and_clinicians(api, personas, role, status):
    assert api(personas[role]).get("/follow-ups").status_code == status


def test_an_unknown_state_is_refused_by_name(api, front_desk):
    response = api(front_desk).get("/follow-ups?state=lost")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "state"


def test_the_front_desk_page_lists_the_missed_visit_with_free_times(
    clinic, staff_client, patient, front_desk, aesthetician
):
    from needlepoint.followups.services import followups_sync

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 1, 15))
    client = staff_client(front_desk)
    assert client.get("/staff/follow-ups/").status_code == 200
    assert plan.follow_ups.count() == 0  # reading the page writes nothing
    followups_sync()  # what `needlepoint reminders send` runs every minute
    response = client.get("/staff/follow-ups/")
    html = response.content.decode()
    assert "Pat Persona" in html and "missed" in html
    assert 'name="start"' in html  # the first free times to book from
    assert plan.follow_ups.count() == 4


def test_the_front_desk_books_from_the_page(
    clinic, staff_client, patient, front_desk, aesthetician
):
    from needlepoint.followups.services import followups_propose

    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 1, 15))
    first = followups_propose(actor=aesthetician.user, plan=plan)[0]
    client = staff_client(front_desk)
    response = client.post(
        f"/staff/follow-ups/{first.pk}/book/",
        {"start": "2027-03-02T15:00:00+00:00", "tab": "missed"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.appointment is not None and first.appointment.status == "booked"


def test_a_patient_may_not_open_the_follow_up_page(client, patient):
    client.force_login(patient.user)
    assert client.get("/staff/follow-ups/").status_code == 403
