"""A patient's erasure request, carried out (docs/retention.md, decision 0630).

``patient_erase`` removes what the clinic has no reason to keep (contact details, the
portal login, photos without clinical purpose, message texts) and keeps the clinical
records for the retention period, in one transaction with one audit event that holds
counts, never values. It writes rows of several apps directly, as a merge does: the
erasure is one act, and one event on the trail says so.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import ApiToken, User
from needlepoint.audit.services import record
from needlepoint.core.errors import Conflict, Forbidden, NotFound
from needlepoint.notifications.models import OutboxMessage
from needlepoint.outcomes.models import Photo, PhotoRelease
from needlepoint.outcomes.services import photo_storage
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment, new_link_secret
from needlepoint.waitlist.models import WaitlistEntry

from .models import ErasureRequest
from .selectors import ErasurePlan, erasure_plan, retention_years, user_session_keys

RELEASE_SOURCE = "Withdrawn by the patient's erasure request"


@dataclass(frozen=True)
class Erasure:
    plan: ErasurePlan
    done: bool  # False for a dry run


def _may_erase(actor: User | None) -> None:
    # None is the operator at the server (`needlepoint patient erase`), as for other commands.
    if actor is not None and not actor.may("patient.erase"):
        raise Forbidden("your role may not erase a patient's personal data")


def _close_login(user: User, now: datetime) -> None:
    """The portal login can never sign in again, and nothing of the person stays on it."""
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    Session.objects.filter(session_key__in=user_session_keys(user)).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.username = f"erased-{user.pk}"
    user.email = ""
    # What the audit page and "who opened this record" now call the login's past actions.
    user.first_name, user.last_name = "Erased", "patient"
    user.is_active = False
    user.set_unusable_password()  # also ends any session signed in with the old password
    user.save()


def _delete_photo_files(names: list[str]) -> None:
    storage = photo_storage()
    for name in names:
        with contextlib.suppress(OSError):
            storage.delete(name)


def _erase_photos(photo_ids: list[int]) -> None:
    photos = Photo.objects.filter(pk__in=photo_ids)
    names = [n for p in photos for n in p.stored_names()]
    photos.delete()
    # Their history rows name the files and their hashes: they go with the photos.
    Photo.history.filter(id__in=photo_ids).delete()
    # The files go once the rows are gone for good: a rolled-back erasure keeps both.
    transaction.on_commit(lambda: _delete_photo_files(names))


def _erase_contact(patient: Patient) -> None:
    patient.email = ""
    patient.phone = ""
    patient.user = None
    patient.erased_at = timezone.now()
    patient.save()
    # Earlier versions of the record held the same contact details.
    patient.history.filter(id=patient.pk).update(email="", phone="", phone_digits="")


def _erase_messages(patient: Patient) -> None:
    messages = OutboxMessage.objects.filter(patient=patient)
    messages.filter(status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.CANCELLED
    )
    # Kind, channel and when stay (the record says a reminder was sent); no address or text.
    messages.update(to="", subject="", body="", ics="", last_error="")


def _end_links(patient: Patient) -> None:
    """Links emailed earlier (manage an appointment) stop opening anything."""
    for pk in Appointment.objects.filter(patient=patient).values_list("pk", flat=True):
        Appointment.objects.filter(pk=pk).update(link_secret=new_link_secret())


def patient_erase(*, actor: User | None, patient_id: int, dry_run: bool = False) -> Erasure:
    """Carry out a patient's erasure request (clinic admin), or with ``dry_run`` only say
    what it would remove and keep. Refused, changing nothing, while the patient has
    upcoming appointments, or when the record was erased or merged already."""
    _may_erase(actor)
    with transaction.atomic():
        patient = Patient.objects.select_for_update(of=("self",)).filter(pk=patient_id).first()
        if patient is None:
            raise NotFound("no such patient")
        now = timezone.now()
        plan = erasure_plan(patient, now=now)
        if dry_run:
            record(
                actor=actor,
                action="patient.read",
                object_type="patient",
                object_id=patient.pk,
                patient_id=patient.pk,
                detail={"via": "erasure_dry_run"},
            )
            return Erasure(plan=plan, done=False)
        if plan.problems:
            raise Conflict(" ".join(plan.problems), code="erasure_refused")
        if patient.user is not None:
            _close_login(patient.user, now)
        _erase_photos(plan.photo_ids)
        if any(line.code == "photo_release_withdrawn" for line in plan.removed):
            PhotoRelease.objects.create(
                patient=patient,
                granted=False,
                signed_at=now,
                source=RELEASE_SOURCE,
                signed_by=actor,
            )
        _erase_messages(patient)
        WaitlistEntry.objects.filter(patient=patient, status=WaitlistEntry.Status.WAITING).update(
            status=WaitlistEntry.Status.WITHDRAWN
        )
        _end_links(patient)
        ErasureRequest.objects.filter(patient=patient, done_at__isnull=True).update(done_at=now)
        _erase_contact(patient)
        record(
            actor=actor,
            action="patient.erase",
            object_type="patient",
            object_id=patient.pk,
            patient_id=patient.pk,
            detail={
                "removed": plan.counts(plan.removed),
                "kept": plan.counts(plan.kept),
                "retention_years": retention_years(),
            },
        )
    return Erasure(plan=plan, done=True)


def erasure_request_create(*, actor: User) -> ErasureRequest:
    """The patient asks the clinic to erase their personal data (from the portal); the
    clinic admin acts on it from the patient's record. Asking twice keeps one request."""
    if not actor.may("patient.read_own"):
        raise Forbidden("only a patient may ask for their own data to be erased")
    with transaction.atomic():
        patient = Patient.objects.select_for_update(of=("self",)).filter(user=actor).first()
        if patient is None:
            raise NotFound("no patient record is linked to this login")
        open_request = ErasureRequest.objects.filter(patient=patient, done_at__isnull=True).first()
        if open_request is not None:
            return open_request
        request = ErasureRequest.objects.create(patient=patient)
        record(
            actor=actor,
            action="erasure_request.create",
            object_type="erasure_request",
            object_id=request.pk,
            patient_id=patient.pk,
        )
    return request
