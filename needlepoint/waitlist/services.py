"""Writes for the waitlist: join, withdraw, offer freed slots, accept an offer.

Cancellations are detected by a scan, not a signal (docs/decisions/0133): `needlepoint
waitlist offer` (also part of `needlepoint reminders send`, every minute under `make run`)
looks at appointments cancelled in the last two days whose time is still ahead and still
free. One FreedSlot row per cancelled appointment (a one-to-one key) makes the offers for it
exactly once. Offers go by email through the outbox to the longest-waiting matching entries
(FIFO); the first to accept gets the slot, booked through the booking core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today, local_date
from needlepoint.clinic.models import Location, Service
from needlepoint.clinic.public_face import public_face
from needlepoint.core.errors import Conflict, InvalidInput, NotFound, Problems
from needlepoint.notifications import tokens
from needlepoint.notifications.messages import when
from needlepoint.notifications.models import Channel, Kind, OutboxMessage
from needlepoint.notifications.services import confirmation_enqueue, deliver_now
from needlepoint.patients.models import Patient
from needlepoint.scheduling import selectors as scheduling_selectors
from needlepoint.scheduling import services as booking
from needlepoint.scheduling.models import Appointment, AppointmentStatus, BookedVia

from .models import FreedSlot, WaitlistEntry, WaitlistOffer

SCAN_BACK = timedelta(days=2)


def waitlist_join(
    *,
    actor: User | None,
    patient: Patient,
    service: Service,
    location: Location | None = None,
    staff: User | None = None,
    earliest: date | None = None,
    latest: date | None = None,
    appointment: Appointment | None = None,
) -> WaitlistEntry:
    problems = Problems()
    today = clinic_today(location)
    if earliest and latest and latest < earliest:
        problems.add("latest", "must be on or after earliest")
    if latest and latest < today:
        problems.add("latest", "is in the past")
    if appointment is not None and (
        appointment.patient_id != patient.pk or appointment.status != AppointmentStatus.BOOKED
    ):
        problems.add("appointment", "is not a booked appointment of this patient")
    if staff is not None and not staff.is_clinic_staff:
        problems.add("staff", "is not a staff member")
    problems.raise_if_any()
    with transaction.atomic():
        existing = WaitlistEntry.objects.filter(
            patient=patient,
            service=service,
            status=WaitlistEntry.Status.WAITING,
            appointment=appointment,
        ).first()
        if existing is not None:
            return existing  # asking twice keeps one place in the queue (the first)
        entry = WaitlistEntry.objects.create(
            patient=patient,
            service=service,
            location=location,
            staff=staff,
            earliest=earliest,
            latest=latest,
            appointment=appointment,
            created_by=actor,
        )
        record(
            actor=actor,
            action="waitlist.join",
            object_type="waitlist_entry",
            object_id=entry.pk,
            patient_id=patient.pk,
            detail={"service": service.slug},
        )
    return entry


def waitlist_withdraw(*, actor: User | None, entry: WaitlistEntry) -> WaitlistEntry:
    with transaction.atomic():
        updated = WaitlistEntry.objects.filter(
            pk=entry.pk, status=WaitlistEntry.Status.WAITING
        ).update(status=WaitlistEntry.Status.WITHDRAWN, updated_at=timezone.now())
        if updated:
            record(
                actor=actor,
                action="waitlist.withdraw",
                object_type="waitlist_entry",
                object_id=entry.pk,
                patient_id=entry.patient_id,
            )
    entry.refresh_from_db()
    return entry


def _still_free(appointment: Appointment, now: datetime) -> bool:
    """Could a patient book this service at this start right now (any qualified staff)?"""
    day = local_date(appointment.location, appointment.start)
    slots = scheduling_selectors.available_slots(
        service=appointment.service,
        location=appointment.location,
        start_date=day,
        end_date=day,
        now=now,
        every_staff=True,
    )
    return any(slot.start == appointment.start for slot in slots)


def _matching(slot: FreedSlot, cancelled: Appointment) -> list[WaitlistEntry]:
    local_day = local_date(slot.location, slot.start)
    entries = (
        WaitlistEntry.objects.select_related("patient", "appointment")
        .filter(status=WaitlistEntry.Status.WAITING, service=slot.service)
        .filter(Q(location__isnull=True) | Q(location=slot.location))
        .filter(Q(staff__isnull=True) | Q(staff=slot.staff))
        .filter(Q(earliest__isnull=True) | Q(earliest__lte=local_day))
        .filter(Q(latest__isnull=True) | Q(latest__gte=local_day))
        .exclude(patient_id=cancelled.patient_id)
        .order_by("created_at", "id")
    )
    found = []
    for entry in entries:
        current = entry.appointment
        # Someone waiting to move an appointment wants an earlier one, not any one.
        if current is not None and (
            current.status != AppointmentStatus.BOOKED or current.start <= slot.start
        ):
            continue
        if not entry.patient.email:
            continue
        found.append(entry)
        if len(found) >= settings.NEEDLEPOINT_WAITLIST_OFFER_BATCH:
            break
    return found


def _offer_message(offer: WaitlistOffer) -> None:
    slot, patient = offer.slot, offer.entry.patient
    at = when(slot.start, slot.location.zone)
    link = tokens.absolute(f"/waitlist/offers/{tokens.offer_token(offer)}/")
    OutboxMessage.objects.create(
        key=f"offer:{offer.pk}:{Kind.WAITLIST_OFFER}:{Channel.EMAIL}",
        kind=Kind.WAITLIST_OFFER,
        channel=Channel.EMAIL,
        patient=patient,
        to=patient.email,
        subject=f"An earlier {slot.service.name} is free: {at}",
        body=(
            f"Hello {patient.given_name},\n\nA {slot.service.name} on {at} has become free and "
            f"you asked for an earlier time. It goes to whoever accepts first:\n\n{link}\n\n"
            f"The offer stands until {when(offer.expires_at, slot.location.zone)}.\n\n"
            f"{public_face().name}\n"
        ),
        due_at=timezone.now(),
    )


def waitlist_offer_freed_slots(*, now: datetime | None = None) -> int:
    """Offer every newly freed slot to the waitlist once; returns the number of offers."""
    now = now or timezone.now()
    rules = booking.rules_for(None)
    candidates = (
        Appointment.objects.select_related("service", "location", "staff")
        .filter(
            status=AppointmentStatus.CANCELLED,
            cancelled_at__gte=now - SCAN_BACK,
            start__gt=now + rules.min_notice,
            freed_slot__isnull=True,
        )
        .order_by("cancelled_at", "id")
    )
    offered = 0
    keys: list[str] = []
    for cancelled in candidates:
        free = _still_free(cancelled, now)
        try:
            with transaction.atomic():
                slot = FreedSlot.objects.create(
                    cancelled_appointment=cancelled,
                    service=cancelled.service,
                    location=cancelled.location,
                    staff=cancelled.staff,
                    start=cancelled.start,
                    end=cancelled.end,
                    status=FreedSlot.Status.OPEN if free else FreedSlot.Status.GONE,
                )
                if not free:
                    continue
                entries = _matching(slot, cancelled)
                if not entries:
                    slot.status = FreedSlot.Status.UNMATCHED
                    slot.save(update_fields=["status"])
                    continue
                expires = now + timedelta(hours=settings.NEEDLEPOINT_WAITLIST_OFFER_HOURS)
                for rank, entry in enumerate(entries, start=1):
                    offer = WaitlistOffer.objects.create(
                        slot=slot, entry=entry, rank=rank, expires_at=min(expires, slot.start)
                    )
                    _offer_message(offer)
                    keys.append(f"offer:{offer.pk}:{Kind.WAITLIST_OFFER}:{Channel.EMAIL}")
                    record(
                        actor=None,
                        action="waitlist.offer",
                        object_type="waitlist_offer",
                        object_id=offer.pk,
                        patient_id=entry.patient_id,
                        detail={"slot": slot.pk, "rank": rank},
                    )
                    offered += 1
        except IntegrityError:
            continue  # another scan recorded this freed slot first: its offers are made
    if keys:
        deliver_now(keys)
    return offered


@dataclass(frozen=True)
class Accepted:
    offer: WaitlistOffer
    appointment: Appointment


def offer_for_token(token: str) -> WaitlistOffer:
    claim = tokens.offer_claim(token)
    offer = (
        WaitlistOffer.objects.select_related(
            "slot", "slot__service", "slot__location", "entry", "entry__patient"
        )
        .filter(pk=claim.record_id)
        .first()
        if claim
        else None
    )
    if claim is None or offer is None or not tokens.link_opens(claim, offer):
        raise NotFound("This offer link is not valid (or has expired).")
    return offer


def _taken(offer: WaitlistOffer) -> Conflict:
    return Conflict(
        "Sorry, this slot has been taken by someone else. You stay on the waitlist.",
        code="offer_taken",
    )


def waitlist_offer_accept(*, offer: WaitlistOffer, now: datetime | None = None) -> Accepted:
    """First to accept wins: a conditional update claims the slot, then the booking core books
    (or moves the patient's appointment) in the same transaction; any refusal undoes both."""
    now = now or timezone.now()
    if offer.status == WaitlistOffer.Status.ACCEPTED and offer.entry.booked_appointment_id:
        raise Conflict("You have already accepted this offer.", code="offer_accepted")
    if offer.status != WaitlistOffer.Status.OFFERED:
        raise _taken(offer)
    if now >= offer.expires_at:
        raise Conflict("This offer has expired. You stay on the waitlist.", code="offer_expired")
    if offer.entry.status == WaitlistEntry.Status.CLOSED:
        raise Conflict(
            "Your request for an earlier time was closed when the appointment it was for was "
            "cancelled. Book a new time, or call the clinic.",
            code="entry_closed",
        )
    slot, entry = offer.slot, offer.entry
    try:
        with transaction.atomic():
            claimed = FreedSlot.objects.filter(pk=slot.pk, status=FreedSlot.Status.OPEN).update(
                status=FreedSlot.Status.TAKEN
            )
            if not claimed:
                raise _taken(offer)
            current = entry.appointment
            if current is not None and current.status == AppointmentStatus.BOOKED:
                appointment = booking.appointment_reschedule(
                    actor=None, appointment=current, start=slot.start, now=now
                )
            else:
                appointment = booking.appointment_book(
                    actor=None,
                    patient=entry.patient,
                    service=slot.service,
                    start=slot.start,
                    location=slot.location,
                    booked_via=BookedVia.ONLINE,
                    now=now,
                )
            WaitlistOffer.objects.filter(pk=offer.pk).update(
                status=WaitlistOffer.Status.ACCEPTED, responded_at=now
            )
            WaitlistOffer.objects.filter(slot=slot).exclude(pk=offer.pk).update(
                status=WaitlistOffer.Status.TAKEN
            )
            WaitlistEntry.objects.filter(pk=entry.pk).update(
                status=WaitlistEntry.Status.BOOKED, booked_appointment=appointment, updated_at=now
            )
            record(
                actor=None,
                action="waitlist.accept",
                object_type="waitlist_offer",
                object_id=offer.pk,
                patient_id=entry.patient_id,
                detail={"appointment": appointment.pk},
            )
    except Conflict as exc:
        if exc.code != "offer_taken":
            # The booking core refused: the time is gone (booked some other way).
            FreedSlot.objects.filter(pk=slot.pk, status=FreedSlot.Status.OPEN).update(
                status=FreedSlot.Status.GONE
            )
        WaitlistOffer.objects.filter(pk=offer.pk, status=WaitlistOffer.Status.OFFERED).update(
            status=WaitlistOffer.Status.TAKEN, responded_at=now
        )
        raise _taken(offer) from None
    except InvalidInput:
        raise Conflict(
            "This slot can no longer be booked online. Please call the clinic.",
            code="offer_unavailable",
        ) from None
    offer.refresh_from_db()

    appointment = Appointment.objects.select_related("patient", "service", "location").get(
        pk=appointment.pk
    )
    deliver_now(confirmation_enqueue(appointment))
    return Accepted(offer=offer, appointment=appointment)
