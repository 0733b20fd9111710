"""Free appointment slots: working time minus busy time, across staff, room and pen at once.

A start ``s`` is offered when, for ``occupied = duration + buffer_after``, one qualified staff
member works through all of [s, s + occupied) and is free for it, one room of the service's
kind is free for it and, if the service needs one, one in-service device is free for it.
Existing bookings arrive as busy intervals that already include their own buffers, so the
buffer after the new booking and the one after an existing booking are both respected.

The engine works on intervals, never minutes: each resource's free time becomes the set of
starts it can accept ([a, b - occupied] for each free [a, b)), those sets are intersected
with a sweep, and only the surviving local grid points become slots. The cost grows with the
number of busy intervals and slots offered, not with the length of the day in minutes.

``resources`` holds the inputs and answers, ``spans`` the interval arithmetic, ``slots``
the search and ``check`` the check of one requested start.
"""

from .check import check_slot
from .resources import (
    DEFAULT_RULES,
    MAX_OCCUPIED,
    AvailabilityRules,
    DeviceCalendar,
    RoomCalendar,
    ServiceSpec,
    Slot,
    SlotCheck,
    SlotProblem,
    StaffCalendar,
)
from .slots import (
    booking_window,
    find_slots,
    nearest_alternatives,
    slots_by_staff,
)

__all__ = [
    "DEFAULT_RULES",
    "MAX_OCCUPIED",
    "AvailabilityRules",
    "DeviceCalendar",
    "RoomCalendar",
    "ServiceSpec",
    "Slot",
    "SlotCheck",
    "SlotProblem",
    "StaffCalendar",
    "booking_window",
    "check_slot",
    "find_slots",
    "nearest_alternatives",
    "slots_by_staff",
]
