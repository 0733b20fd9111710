"""Whether a patient message is still timely when it is about to be planned or sent.

A message names a day ("your 1-month outcome visit is due around 27 November", "how is your
skin today?" the morning after a session). Sent long after that day it is wrong, and a
patient who reads it a year late learns only that the clinic's system is broken. Each kind
stays timely for a while after the day it is about; then a late outcome-visit reminder is
replaced, once, by the missed-visit message while booking late still gives useful photos,
and after that nothing is sent: the visit is on the front desk's list of missed visits, where
a person decides (docs/decisions/0222-timely-messages.md, 0162-missed-outcome-visit.md).

Pure: days are the clinic's local dates, worked out by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OUTCOME_VISIT = "outcome_visit"
OUTCOME_VISIT_MISSED = "outcome_visit_missed"
MAINTENANCE_RECALL = "maintenance_recall"
AFTERCARE = "aftercare"

# How many days after the day it is about each kind may still go out.
REMINDER_LATE_DAYS = 7  # "due around" the day: up to a week either side
MISSED_LATE_DAYS = 28  # photos within four weeks of the due day still show that stage
RECALL_LATE_DAYS = 30  # "book from <day>": a month on, the front desk's recall list takes over
AFTERCARE_LATE_DAYS = 3  # the aftercare days are 0-3 after the session (protocols.md)

SEND = "send"
SEND_MISSED_INSTEAD = "send_missed_instead"
DROP = "drop"


@dataclass(frozen=True)
class Verdict:
    action: str  # SEND, SEND_MISSED_INSTEAD or DROP
    reason: str = ""  # why it is not sent as it is, in words for the outbox

    @property
    def send(self) -> bool:
        return self.action == SEND


TIMELY = Verdict(SEND)


def _too_late(days: int, what: str) -> Verdict:
    return Verdict(DROP, f"too late: more than {days} days after {what}")


def message_timeliness(kind: str, *, about: date, today: date) -> Verdict:
    """Whether a message of this kind about that day may go out today.

    ``about`` is the outcome visit's or recall's due day, or the day of the session for
    aftercare. Kinds not listed (confirmations, appointment reminders, offers) have their own
    rules, tied to the appointment's start or the offer's expiry, and are always timely here.
    """
    late = (today - about).days
    if kind == OUTCOME_VISIT:
        if late <= REMINDER_LATE_DAYS:
            return TIMELY
        if late <= MISSED_LATE_DAYS:
            return Verdict(
                SEND_MISSED_INSTEAD,
                f"too late: more than {REMINDER_LATE_DAYS} days after the visit was due; "
                "replaced by the missed-visit message",
            )
        return _too_late(MISSED_LATE_DAYS, "the visit was due")
    if kind == OUTCOME_VISIT_MISSED:
        return (
            TIMELY if late <= MISSED_LATE_DAYS else _too_late(MISSED_LATE_DAYS, "the visit was due")
        )
    if kind == MAINTENANCE_RECALL:
        return (
            TIMELY
            if late <= RECALL_LATE_DAYS
            else _too_late(RECALL_LATE_DAYS, "the recall was due")
        )
    if kind == AFTERCARE:
        return (
            TIMELY if late <= AFTERCARE_LATE_DAYS else _too_late(AFTERCARE_LATE_DAYS, "the session")
        )
    return TIMELY
