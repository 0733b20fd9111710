"""Writes for booking: book, cancel, reschedule, mark no-show or completed, book a course.

Every booking decision is made twice: once to refuse bad input early, and again inside the
write transaction against freshly read busy time (``check_slot``), so two requests for one
slot can't both pass. On SQLite the transaction is IMMEDIATE (one writer at a time), so the
re-check is exact; on PostgreSQL concurrent re-checks can both pass, and the exclusion
constraints then fail the second insert, which is retried against the new state and
otherwise answered with 409 (docs/decisions/0120, 0121).

``placing`` holds the steps every write shares; ``appointments`` and ``courses`` the services.
"""

from .appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_complete,
    appointment_mark_no_show,
    appointment_record_past,
    appointment_reschedule,
)
from .courses import CourseBooking, course_book
from .placing import (
    ALTERNATIVES_DAYS,
    INPUT_PROBLEMS,
    Eligible,
    alternatives_for,
    rules_for,
    slot_json,
    treatment_check,
)

__all__ = [
    "ALTERNATIVES_DAYS",
    "INPUT_PROBLEMS",
    "CourseBooking",
    "Eligible",
    "alternatives_for",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_complete",
    "appointment_mark_no_show",
    "appointment_record_past",
    "appointment_reschedule",
    "course_book",
    "rules_for",
    "slot_json",
    "treatment_check",
]
