"""A small group of two clinics whose every report figure is worked out by hand.

The range is Monday 5 to Sunday 18 January 2026 (two weeks). North (New York):
- Aria (aesthetician) works Monday and Tuesday 9–5 (960 min a week); Phil (physician)
  Wednesday 9–1 (240 min). North is closed on Tuesday 13 January, so week two gives Aria
  480 minutes and North is open 1200 minutes in week one, 720 in week two.
- One treatment room and one pen. Facials last 60 minutes (plus a 15-minute buffer that is
  not booked time); consultations 30.
South (Chicago): Sam works Thursday 10–2 (240 min); one consultation on 8 January.
The expected answers are written beside each test (tests/reports/test_known_answers.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from needlepoint.accounts.models import User
from needlepoint.charting.models import AdverseEvent, SessionChart
from needlepoint.clinic.models import (
    CartridgeLot,
    Closure,
    Device,
    Location,
    Room,
    Service,
    WorkingHours,
)
from needlepoint.outcomes.models import Assessment
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment
from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import TreatmentPlan

START = date(2026, 1, 5)
END = date(2026, 1, 18)
NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = NY) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


class Clinic:
    def __init__(self) -> None:
        self.north = Location.objects.create(
            slug="north", name="North", time_zone="America/New_York"
        )
        self.south = Location.objects.create(
            slug="south", name="South", time_zone="America/Chicago"
        )
        self.aria = self._staff("aria", "aesthetician", "Aria")
        self.phil = self._staff("phil", "physician", "Phil")
        self.sam = self._staff("sam", "aesthetician", "Sam")
        for weekday in (0, 1):
            self._hours(self.aria, self.north, weekday, 9, 17)
        self._hours(self.phil, self.north, 2, 9, 13)
        self._hours(self.sam, self.south, 3, 10, 14)
        Closure.objects.create(location=self.north, date=date(2026, 1, 13), reason="Training")
        self.room = Room.objects.create(
            location=self.north, slug="room-a", name="Room A", kind="treatment"
        )
        self.room_b = Room.objects.create(
            location=self.south, slug="room-b", name="Room B", kind="consultation"
        )
        self.pen = Device.objects.create(
            location=self.north, slug="pen-1", model_name="Pen", serial_number="SN1"
        )
        self.facial = Service.objects.create(
            slug="facial",
            name="Facial",
            duration_minutes=60,
            buffer_after_minutes=15,
            room_kind="treatment",
            needs_device=True,
            is_treatment=True,
        )
        self.consult = Service.objects.create(
            slug="consult", name="Consultation", duration_minutes=30, room_kind="treatment"
        )
        self.lot = CartridgeLot.objects.create(
            location=self.north,
            product="Cartridge",
            ref="R1",
            lot="L1",
            expiry=date(2028, 1, 1),
            quantity_received=100,
            received_on=date(2025, 1, 1),
        )
        self.patients = {n: self._patient(n) for n in range(1, 9)}

    # -- builders ---------------------------------------------------------------------

    def _staff(self, username: str, role: str, name: str) -> User:
        return User.objects.create_user(username=username, role=role, first_name=name)

    def _hours(self, staff: User, location: Location, weekday: int, start: int, end: int) -> None:
        WorkingHours.objects.create(
            staff=staff,
            location=location,
            weekday=weekday,
            start_time=time(start),
            end_time=time(end),
        )

    def _patient(self, n: int) -> Patient:
        return Patient.objects.create(
            given_name=f"P{n}",
            family_name="Known",
            date_of_birth=date(1990, 1, n),
            email=f"p{n}@example.com",
            phone="+1 555 0100",
        )

    def visit(
        self,
        n: int,
        start: datetime,
        status: str,
        *,
        service: Any = None,
        staff: Any = None,
        location: Any = None,
        plan: Any = None,
        session: int | None = None,
        created: datetime | None = None,
        late: bool = False,
        screening: Any = None,
    ) -> Appointment:
        service = service or self.facial
        location = location or self.north
        room = self.room if location == self.north else self.room_b
        end = start + timedelta(minutes=service.duration_minutes)
        row = Appointment.objects.create(
            patient=self.patients[n],
            service=service,
            location=location,
            staff=staff or self.aria,
            room=room,
            device=self.pen if service.needs_device else None,
            start=start,
            end=end,
            busy_until=end + timedelta(minutes=service.buffer_after_minutes),
            status=status,
            late_cancellation=late,
            booked_via="staff",
            plan=plan,
            plan_session=session,
            screening=screening,
            cancelled_at=start - timedelta(days=1 if late else 5)
            if status == "cancelled"
            else None,
        )
        # Made long before the visit unless the test says when (never "as they left").
        made = created or start - timedelta(days=30)
        Appointment.objects.filter(pk=row.pk).update(created_at=made)
        return row

    def screening(
        self, created: datetime, channel: str = "online", n: int | None = None
    ) -> Screening:
        row = Screening.objects.create(
            patient=self.patients[n] if n else None,
            channel=channel,
            answers={},
            judged_for=created.date(),
            policy_version="t",
            verdict="likely_candidate",
            result={},
        )
        Screening.objects.filter(pk=row.pk).update(created_at=created)
        return row

    def consultation(self, n: int, screening: Any = None) -> Consultation:
        return Consultation.objects.create(
            patient=self.patients[n],
            screening=screening,
            fitzpatrick=2,
            concerns=[{"concern": "acne_scars", "grade": "3"}],
            zones=["cheeks"],
            determination="candidate",
            protocol_version="t",
            signed_by=self.phil,
            signed_at=at(date(2025, 12, 1), 10),
        )

    def plan(self, n: int, sessions: int, weeks: int, screening: Any = None) -> TreatmentPlan:
        return TreatmentPlan.objects.create(
            patient=self.patients[n],
            consultation=self.consultation(n, screening),
            protocol_version="t",
            recommendation={},
            sessions=sessions,
            interval_weeks=weeks,
            maintenance_months=12,
            zones=[],
            created_by=self.phil,
        )

    def grade(self, n: int, on: date, grade: str | None, concern: str = "acne_scars") -> None:
        Assessment.objects.create(
            patient=self.patients[n],
            concern=concern,
            grade=grade,
            kind="before_session",
            assessed_on=on,
        )

    def adverse_event(self, visit: Appointment, onset: date) -> None:
        chart = SessionChart.objects.create(
            appointment=visit,
            patient=visit.patient,
            plan=visit.plan,
            session_date=visit.start.astimezone(NY).date(),
            operator=visit.staff,
            operator_role=visit.staff.role,
            device=self.pen,
            cartridge_lot=self.lot,
            zones=[],
            endpoint="erythema",
            protocol_version="t",
        )
        AdverseEvent.objects.create(
            patient=visit.patient,
            chart=chart,
            kind="infection",
            severity="mild",
            onset=onset,
            outcome="resolved",
            recorded_by=self.phil,
            recorded_at=visit.end,
        )


def build() -> Clinic:
    c = Clinic()
    mon5, tue6, wed7, mon12, wed14 = (
        date(2026, 1, 5),
        date(2026, 1, 6),
        date(2026, 1, 7),
        date(2026, 1, 12),
        date(2026, 1, 14),
    )
    # Screenings: three online in the range, one by phone, one online before the range.
    s1 = c.screening(at(tue6, 20))
    s2 = c.screening(at(wed7, 20))
    c.screening(at(date(2026, 1, 8), 20))
    c.screening(at(date(2026, 1, 9), 20), channel="phone")
    c.screening(at(date(2025, 12, 1), 20))
    course1 = c.plan(1, sessions=3, weeks=4, screening=s1)  # P1, consulted from s1
    c.consultation(4, screening=s2)  # P4, consulted from s2, never treated
    course2 = c.plan(6, sessions=2, weeks=2)
    course3 = c.plan(7, sessions=3, weeks=4)
    # P1's consultation was booked from s1 at South (so s1 belongs to South).
    c.visit(
        1,
        at(date(2026, 1, 2), 11, zone=CHI),
        "completed",
        service=c.consult,
        staff=c.sam,
        location=c.south,
        screening=s1,
    )

    # North, week one.
    a1 = c.visit(1, at(mon5, 10), "completed", plan=course1, session=1)
    c.visit(2, at(mon5, 12), "no_show")
    c.visit(3, at(tue6, 10), "cancelled", late=True)
    c.visit(3, at(tue6, 14), "cancelled")
    c.visit(4, at(mon5, 15), "completed", service=c.consult, screening=s2)
    c3s1 = c.visit(7, at(wed7, 9), "completed", staff=c.phil, plan=course3, session=1)
    # North, week two.
    a6 = c.visit(2, at(mon12, 10), "completed")
    c.visit(5, at(mon12, 11, 30), "booked")
    a10 = c.visit(6, at(wed14, 10), "completed", staff=c.phil, plan=course2, session=2)
    # Outside the range: earlier and later sessions, and next bookings.
    c.visit(6, at(date(2025, 12, 30), 10), "completed", plan=course2, session=1)
    c.visit(
        1,
        at(date(2026, 2, 2), 10),
        "completed",
        plan=course1,
        session=2,
        created=a1.end + timedelta(minutes=10),
    )  # booked as P1 left
    c.visit(
        7,
        at(date(2026, 2, 16), 9),
        "completed",
        staff=c.phil,
        plan=course3,
        session=2,
        created=c3s1.start - timedelta(days=1),
    )  # booked with the course
    c.visit(
        2, at(date(2026, 2, 9), 10), "booked", created=a6.end + timedelta(hours=2)
    )  # booked two hours after P2 left: too late
    # South, in the range.
    c.visit(
        8,
        at(date(2026, 1, 8), 10, zone=CHI),
        "completed",
        service=c.consult,
        staff=c.sam,
        location=c.south,
    )

    # Grades (acne scars: 1 mildest … 4).
    c.grade(1, date(2026, 1, 2), "3")
    c.grade(1, date(2026, 1, 10), "2")  # 1 better, after 1 session
    c.grade(7, date(2026, 1, 7), "4")  # baseline inside the range: not a change
    c.grade(7, date(2026, 1, 15), "2")  # 2 better, after 1 session
    c.grade(6, date(2025, 12, 20), "3")
    c.grade(6, date(2026, 1, 16), "1")  # 2 better, after 2 sessions
    c.grade(1, date(2026, 1, 11), "II", concern="fine_lines_wrinkles")  # its own baseline
    c.grade(1, date(2026, 1, 11), None, concern="enlarged_pores")  # no grade to compare
    c.adverse_event(a1, date(2026, 1, 6))
    c.adverse_event(a10, date(2026, 1, 20))  # after the range
    return c
