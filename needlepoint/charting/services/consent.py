"""Step 1: the patient signs the consent (and, separately, the photo release)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.domain import charting
from needlepoint.domain.charting import drawn_signature_problem, typed_signature_matches
from needlepoint.domain.errors import DomainError
from needlepoint.outcomes.services import photo_release_record
from needlepoint.scheduling.models import Appointment

from .. import selectors as sel
from ..models import ConsentSignature
from .common import RuleRefused, _open

# --- 1. Consent ------------------------------------------------------------------------


def consent_sign(
    *,
    actor: User,
    appointment: Appointment,
    consent_version: str,
    signature: str,
    photo_release: bool,
    signature_kind: str = ConsentSignature.SignatureKind.TYPED,
    source: str = ConsentSignature.Source.API,
    now: datetime | None = None,
) -> ConsentSignature:
    """The patient signs the current consent text (and, separately, the photo release)."""
    library = sel.consent_library()
    try:
        version = library.resolve(consent_version)
    except DomainError as exc:
        raise RuleRefused.single("consent_version", exc.code, exc.message) from None
    signature = (signature or "").strip()
    if signature_kind not in ConsentSignature.SignatureKind.values:
        raise RuleRefused.single("signature_kind", "VALUE_INVALID", "must be typed or drawn")
    if not signature or (signature_kind == "typed" and len(signature.split()) < 2):
        raise RuleRefused.single(
            "signature",
            charting.SIGNATURE_REQUIRED,
            "the patient signs with their full name (given and family name) or a drawing",
        )
    patient = appointment.patient
    if signature_kind == "typed" and not typed_signature_matches(
        signature, patient.given_name, patient.family_name
    ):
        raise RuleRefused.single(
            "signature",
            charting.SIGNATURE_NOT_THE_PATIENT,
            "type the patient's own name as it is on their record, or draw the signature",
        )
    if len(signature) > 100_000:
        raise RuleRefused.single("signature", "VALUE_INVALID", "is too long")
    if signature_kind == "drawn" and (problem := drawn_signature_problem(signature)):
        # The same check as the tablet page: a real PNG of sane size, stored whole.
        raise RuleRefused.single("signature", "SIGNATURE_INVALID", problem)
    _open(appointment)
    when = now or timezone.now()
    release = library.photo_release
    with transaction.atomic():
        consent = ConsentSignature.objects.create(
            patient=appointment.patient,
            plan_id=appointment.plan_id,
            appointment=appointment,
            version=version.version,
            text_hash=version.text_hash,
            signature_kind=signature_kind,
            signature=signature,
            signer_name=signature if signature_kind == "typed" else appointment.patient.full_name,
            photo_release=bool(photo_release),
            photo_release_version=release.version,
            photo_release_hash=release.text_hash,
            source=source,
            collected_by=actor,
            signed_at=when,
        )
        record(
            actor=actor,
            action="consent.sign",
            object_type="consent",
            object_id=consent.pk,
            patient_id=appointment.patient_id,
            detail={
                "version": version.version,
                "photo_release": bool(photo_release),
                "source": source,
            },
        )
        _photo_release(actor, appointment, consent, bool(photo_release), when)
    return consent


def _photo_release(
    actor: User, appointment: Appointment, consent: ConsentSignature, granted: bool, when: datetime
) -> None:
    # The photo release is the outcomes app's record; consent only passes it on.
    photo_release_record(
        actor=actor,
        patient=appointment.patient,
        granted=granted,
        source=f"consent:{consent.pk}",
        signed_at=when,
    )
