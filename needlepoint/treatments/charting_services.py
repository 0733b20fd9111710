"""Treatment day writes: consent, the day-of check, the session chart, signature,
co-signature, amendments, adverse events and receiving cartridge stock.

Each service owns its transaction, refuses with a rule code (``RuleRefused`` for values
that can never be accepted: 422; ``Conflict(code=rule)`` for the state of things: 409) and
writes its audit event in the same transaction. The rules are in needlepoint.domain.charting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.models import CartridgeLot, Device, Location
from needlepoint.core.errors import Conflict, FieldProblem, InvalidInput
from needlepoint.domain import charting
from needlepoint.domain.charting import (
    ChartContext,
    ChartDraft,
    Step,
    TopicalEntry,
    ZoneEntry,
    drawn_signature_problem,
)
from needlepoint.domain.errors import DomainError
from needlepoint.domain.screening import (
    DAY_OF_FIELDS,
    DayOfAnswers,
    blocks_treatment,
    evaluate_day_of,
    validate_day_of_answers,
)
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.screening import clinic_data
from needlepoint.screening.results import result_payload

from . import charting_selectors as sel
from .models import (
    AdverseEvent,
    CartridgeReceipt,
    CartridgeUse,
    ChartAmendment,
    ConsentSignature,
    DayOfCheck,
    SessionChart,
)


class RuleRefused(InvalidInput):
    """422 naming the rule that refused each value (``problems`` and ``rules`` in step)."""

    def __init__(self, problems: Sequence[tuple[str, str, str]], message: str = "") -> None:
        # (field, rule, message)
        self.rules = [rule for _, rule, _ in problems]
        super().__init__([FieldProblem(f, m) for f, _, m in problems], message)
        self.code = self.rules[0] if self.rules else "invalid_input"

    @classmethod
    def single(cls, field: str, rule: str, message: str) -> RuleRefused:
        return cls([(field, rule, message)], message)


def _conflict(rule: str, message: str, **extra: Any) -> Conflict:
    return Conflict(message, code=rule, extra={"rule": rule, **extra})


def _open(appointment: Appointment) -> None:
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED):
        raise _conflict(
            charting.APPOINTMENT_NOT_OPEN,
            f"This appointment is {appointment.get_status_display().lower()}.",
        )


def _refuse_step(step: Step, appointment: Appointment) -> sel.TreatmentDay:
    day = sel.treatment_day(appointment)
    refusal = charting.refusal_for(step, day.state)
    if refusal is not None:
        extra: dict[str, Any] = {"next_step": day.next_step}
        if refusal.rule == charting.DAY_OF_CHECK_FAILED and day.day_of is not None:
            extra["rebook"] = rebook_offer(day.day_of)
        raise _conflict(refusal.rule, refusal.message, **extra)
    return day


def rebook_offer(check: DayOfCheck) -> dict[str, Any]:
    return {
        "earliest": check.resume_on.isoformat() if check.resume_on else None,
        "message": (
            f"Rebook on or after {check.resume_on.isoformat()}."
            if check.resume_on
            else "Rebook once the finding has resolved."
        ),
        "appointment": check.appointment_id,
    }


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
    try:
        from needlepoint.outcomes.services import photo_release_record
    except ImportError:  # the outcomes app is not installed in this build
        return
    photo_release_record(
        actor=actor,
        patient=appointment.patient,
        granted=granted,
        source=f"consent:{consent.pk}",
        signed_at=when,
    )


# --- 2. Day-of check -------------------------------------------------------------------


def day_of_answers(raw: Mapping[str, Any]) -> DayOfAnswers:
    unknown = sorted(set(raw) - set(DAY_OF_FIELDS))
    if unknown:
        raise RuleRefused.single(unknown[0], "FIELD_UNKNOWN", "is not a known field")
    missing = [name for name in DAY_OF_FIELDS if name not in raw]
    if missing:
        raise RuleRefused([(name, "FIELD_REQUIRED", "is required") for name in missing])
    return DayOfAnswers(**{name: raw[name] for name in DAY_OF_FIELDS})


def day_of_check_record(
    *,
    actor: User,
    appointment: Appointment,
    answers: DayOfAnswers,
    now: datetime | None = None,
) -> DayOfCheck:
    """Judge the checklist as of the appointment's date and record it, blocked or not.

    A blocking finding is stored (and audited) and then the caller refuses the session:
    the record of *why* must survive the refusal.
    """
    _open(appointment)
    on_date = sel.session_date(appointment)
    problems = validate_day_of_answers(answers, on_date=on_date)
    if problems:
        raise RuleRefused([(p.field, "VALUE_INVALID", p.message) for p in problems])
    _refuse_step(Step.DAY_OF_CHECK, appointment)
    day = sel.treatment_day(appointment)
    if day.chart is not None and day.chart.status == SessionChart.Status.SIGNED:
        raise _conflict(charting.CHART_ALREADY_SIGNED, "The session is charted and signed.")
    result = evaluate_day_of(answers, clinic_data.current_policy(), on_date)
    payload = result_payload(result, None)
    blocked = blocks_treatment(result)
    with transaction.atomic():
        check = DayOfCheck.objects.create(
            appointment=appointment,
            patient=appointment.patient,
            answers={
                name: (v.isoformat() if isinstance(v, date) else v)
                for name, v in ((n, getattr(answers, n)) for n in DAY_OF_FIELDS)
            },
            judged_for=on_date,
            policy_version=result.policy_version,
            verdict=result.verdict,
            blocked=blocked,
            resume_on=result.resume_on,
            reasons=payload["reasons"],
            precautions=payload["precautions"],
            checked_by=actor,
            checked_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="day_of_check.record",
            object_type="day_of_check",
            object_id=check.pk,
            patient_id=appointment.patient_id,
            detail={
                "verdict": result.verdict,
                "blocked": blocked,
                "reasons": [r.code for r in result.reasons],
            },
        )
    return check


# --- 3. The session chart --------------------------------------------------------------


@dataclass(frozen=True)
class ChartInput:
    device: str
    cartridge_lot: str
    zones: Sequence[Mapping[str, Any]]
    endpoint: str
    anesthetic: str = ""
    topicals: Sequence[Mapping[str, Any]] = ()
    immediate_reactions: str = ""
    aftercare_given: bool = False
    notes: str = ""


def _draft(data: ChartInput) -> ChartDraft:
    return ChartDraft(
        zones=tuple(
            ZoneEntry(
                str(z.get("zone", "")),
                float(z.get("depth_mm") or 0),
                int(z.get("passes") or 0),
                str(z.get("reason") or ""),
            )
            for z in data.zones
        ),
        anesthetic=data.anesthetic or "",
        topicals=tuple(
            TopicalEntry(
                str(t.get("product", "")),
                str(t.get("lot") or ""),
                str(t.get("override_reason") or ""),
            )
            for t in data.topicals
        ),
        endpoint=data.endpoint,
    )


def _device(slug: str, location: Location) -> Device:
    device = Device.objects.filter(slug=slug).first()
    if device is None:
        raise RuleRefused.single("device", charting.DEVICE_UNKNOWN, f"no pen {slug!r}")
    if device.status != Device.Status.IN_SERVICE:
        raise _conflict(
            charting.DEVICE_NOT_IN_SERVICE,
            f"Pen {slug} is {device.get_status_display().lower()}, not in service; "
            "use another pen.",
        )
    return device


def _lot(name: str, appointment: Appointment, on_date: date) -> CartridgeLot:
    lots = list(
        CartridgeLot.objects.filter(lot=name, location=appointment.location).order_by("-expiry")
    )
    if not lots:
        raise RuleRefused.single(
            "cartridge_lot", charting.LOT_UNKNOWN, f"no cartridge lot {name!r} in stock here"
        )
    lot = lots[0]
    if lot.expiry < on_date:
        raise RuleRefused.single(
            "cartridge_lot",
            charting.LOT_EXPIRED,
            f"lot {name} expired on {lot.expiry.isoformat()}; use an unexpired cartridge",
        )
    return lot


def chart_save(
    *,
    actor: User,
    appointment: Appointment,
    data: ChartInput,
    now: datetime | None = None,
) -> SessionChart:
    """Chart (or re-chart, while unsigned) the session; consumes one cartridge, once."""
    _open(appointment)
    _refuse_step(Step.CHART, appointment)
    on_date = sel.session_date(appointment)
    device = _device(data.device, appointment.location)
    lot = _lot(data.cartridge_lot, appointment, on_date)
    plan = appointment.plan
    table = clinic_data.current_protocols()
    verdict = charting.check_chart(
        _draft(data),
        ChartContext(
            operator_role=str(actor.role),
            plan_zones=sel.plan_zones(plan),
            precautions=sel.patient_precautions(appointment.patient, plan),
            approved_products=frozenset(sel.approved_products()),
            table=table,
            scope_ceilings=sel.scope_ceilings(),
        ),
    )
    if not verdict.ok:
        raise RuleRefused(
            [(p.field, p.rule, p.message) for p in verdict.problems],
            f"The chart is refused: {verdict.problems[0].message}",
        )
    judged = {j.zone: j for j in verdict.zones}
    zones = [
        {
            "zone": z["zone"],
            "depth_mm": float(z["depth_mm"]),
            "passes": int(z["passes"]),
            "reason": str(z.get("reason") or ""),
            "rule": judged[z["zone"]].rule,
        }
        for z in data.zones
    ]
    topicals = [
        {
            "product": str(t.get("product")),
            "lot": str(t.get("lot") or ""),
            "override_reason": str(t.get("override_reason") or ""),
            "approved": str(t.get("product")) in sel.approved_products(),
        }
        for t in data.topicals
    ]
    when = now or timezone.now()
    with transaction.atomic():
        locked = CartridgeLot.objects.select_for_update().get(pk=lot.pk)
        chart = SessionChart.objects.select_for_update().filter(appointment=appointment).first()
        if chart is not None and chart.status == SessionChart.Status.SIGNED:
            raise _conflict(charting.CHART_ALREADY_SIGNED, "The chart is already signed.")
        use = CartridgeUse.objects.filter(chart=chart).first() if chart else None
        if use is None or use.lot_id != locked.pk:
            refusal = charting.lot_refusal(sel.lot_stock(locked), on_date)
            if refusal is not None:
                if refusal.rule == charting.LOT_EXHAUSTED:
                    raise _conflict(
                        refusal.rule, refusal.message + "; receive stock or use another lot."
                    )
                raise RuleRefused.single("cartridge_lot", refusal.rule, refusal.message)
        fields = {
            "patient": appointment.patient,
            "plan": plan,
            "session_date": on_date,
            "operator": actor,
            "operator_role": str(actor.role),
            "device": device,
            "cartridge_lot": locked,
            "anesthetic": data.anesthetic.strip(),
            "zones": zones,
            "topicals": topicals,
            "endpoint": data.endpoint,
            "immediate_reactions": data.immediate_reactions.strip(),
            "aftercare_given": bool(data.aftercare_given),
            "notes": data.notes.strip(),
            "protocol_version": table.version,
        }
        created = chart is None
        if chart is None:
            chart = SessionChart.objects.create(appointment=appointment, **fields)
        else:
            for name, value in fields.items():
                setattr(chart, name, value)
            chart.save()
        if use is None:
            CartridgeUse.objects.create(chart=chart, lot=locked, used_at=when)
        elif use.lot_id != locked.pk:
            CartridgeUse.objects.filter(pk=use.pk).update(lot=locked)
        record(
            actor=actor,
            action="chart.create" if created else "chart.update",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=appointment.patient_id,
            detail={
                "lot": locked.lot,
                "device": device.slug,
                "zones": [z["zone"] for z in zones],
                "rules": sorted({z["rule"] for z in zones}),
            },
        )
    return chart


# --- 4. Sign, co-sign, amend -----------------------------------------------------------


def _first_session(chart: SessionChart) -> bool:
    appointment = chart.appointment
    if appointment.plan_session is not None:
        return appointment.plan_session == 1
    if chart.plan_id is None:
        return False
    return not SessionChart.objects.filter(
        plan_id=chart.plan_id, status=SessionChart.Status.SIGNED
    ).exists()


def _baseline_photos_complete(patient: Any) -> bool | None:
    """The outcomes app's answer, or None while it has no such selector."""
    import importlib

    try:
        outcome_selectors = importlib.import_module("needlepoint.outcomes.selectors")
    except ImportError:
        return None
    check = getattr(outcome_selectors, "baseline_photos_complete", None)
    return None if check is None else bool(check(patient))


def baseline_photos_missing(patient: Any) -> bool:
    return _baseline_photos_complete(patient) is False


def chart_sign(*, actor: User, chart: SessionChart, now: datetime | None = None) -> SessionChart:
    """The operator signs; a non-physician's chart goes to the medical director's queue."""
    when = now or timezone.now()
    with transaction.atomic():
        chart = (
            SessionChart.objects.select_for_update().select_related("appointment").get(pk=chart.pk)
        )
        if chart.status == SessionChart.Status.SIGNED:
            raise _conflict(charting.CHART_ALREADY_SIGNED, "The chart is already signed.")
        if chart.operator_id != actor.pk:
            raise _conflict(
                charting.NOT_THE_OPERATOR, "Only the operator who charted the session signs it."
            )
        _refuse_step(Step.SIGN, chart.appointment)
        if _first_session(chart) and _baseline_photos_complete(chart.patient) is False:
            raise _conflict(
                charting.BASELINE_PHOTOS_REQUIRED,
                "Baseline photos are required before the first session's chart is signed.",
            )
        chart.status = SessionChart.Status.SIGNED
        chart.signed_at = when
        chart.needs_cosign = chart.operator_role != "physician"
        chart.save(update_fields=["status", "signed_at", "needs_cosign", "updated_at"])
        record(
            actor=actor,
            action="chart.sign",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
            detail={"needs_cosign": chart.needs_cosign},
        )
        _close_appointment(actor, chart, when)
    return chart


def _close_appointment(actor: User, chart: SessionChart, when: datetime) -> None:
    from needlepoint.scheduling.services import appointment_complete

    appointment = chart.appointment
    if appointment.status == AppointmentStatus.BOOKED and when >= appointment.start:
        appointment_complete(actor=actor, appointment=appointment, now=when)
    plan = appointment.plan
    if plan is not None and appointment.plan_session and plan.status != "cancelled":
        from .services import plan_session_mark

        plan_session_mark(
            actor=actor,
            plan=plan,
            index=appointment.plan_session,
            status="done",
            on=chart.session_date,
            reference=f"appointment:{appointment.pk}",
        )


def chart_cosign(*, actor: User, chart: SessionChart, now: datetime | None = None) -> SessionChart:
    with transaction.atomic():
        chart = SessionChart.objects.select_for_update().get(pk=chart.pk)
        if chart.status != SessionChart.Status.SIGNED:
            raise _conflict(charting.CHART_NOT_SIGNED, "The operator has not signed the chart yet.")
        if chart.cosigned_at is not None:
            raise _conflict(charting.ALREADY_COSIGNED, "The chart is already co-signed.")
        if not chart.needs_cosign:
            raise _conflict(
                charting.COSIGN_NOT_NEEDED, "A physician's chart needs no co-signature."
            )
        chart.cosigned_by = actor
        chart.cosigned_at = now or timezone.now()
        chart.save(update_fields=["cosigned_by", "cosigned_at", "updated_at"])
        record(
            actor=actor,
            action="chart.cosign",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
        )
    return chart


def chart_amend(
    *,
    actor: User,
    chart: SessionChart,
    changes: Mapping[str, Any],
    reason: str,
    now: datetime | None = None,
) -> ChartAmendment:
    """A signed chart is locked: a change is an amendment kept beside the original."""
    problems = charting.check_amendment(changes, reason or "")
    if problems:
        raise RuleRefused([(p.field, p.rule, p.message) for p in problems])
    with transaction.atomic():
        chart = SessionChart.objects.select_for_update().get(pk=chart.pk)
        if chart.status != SessionChart.Status.SIGNED:
            raise _conflict(
                charting.CHART_NOT_SIGNED, "An unsigned chart is corrected by charting it again."
            )
        before = sel.current_values(chart)
        diff = {
            name: {"from": before[name], "to": value}
            for name, value in changes.items()
            if before[name] != value
        }
        if not diff:
            raise RuleRefused.single("changes", "NO_CHANGE", "nothing differs from the chart")
        amendment = ChartAmendment.objects.create(
            chart=chart,
            changes=diff,
            reason=reason.strip(),
            amended_by=actor,
            amended_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="chart.amend",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
            detail={"fields": sorted(diff), "amendment": amendment.pk},
        )
    return amendment


# --- 5. Adverse events -----------------------------------------------------------------


def adverse_event_record(
    *,
    actor: User,
    chart: SessionChart,
    kind: str,
    severity: str,
    onset: date,
    outcome: str,
    description: str = "",
    actions: str = "",
    now: datetime | None = None,
) -> AdverseEvent:
    problems: list[tuple[str, str, str]] = []
    for field, value, allowed in (
        ("kind", kind, charting.ADVERSE_EVENT_KINDS),
        ("severity", severity, charting.ADVERSE_EVENT_SEVERITIES),
        ("outcome", outcome, charting.ADVERSE_EVENT_OUTCOMES),
    ):
        if value not in allowed:
            problems.append((field, "VALUE_INVALID", f"must be one of {', '.join(allowed)}"))
    if onset < chart.session_date:
        problems.append(("onset", "ONSET_BEFORE_SESSION", "cannot be before the session"))
    if onset > clinic_data.clinic_today():
        problems.append(("onset", "ONSET_IN_FUTURE", "cannot be in the future"))
    if kind == "other" and not (description or "").strip():
        problems.append(("description", "DESCRIPTION_REQUIRED", "describe an 'other' event"))
    if problems:
        raise RuleRefused(problems)
    with transaction.atomic():
        event = AdverseEvent.objects.create(
            patient_id=chart.patient_id,
            chart=chart,
            kind=kind,
            severity=severity,
            onset=onset,
            outcome=outcome,
            description=(description or "").strip(),
            actions=(actions or "").strip(),
            recorded_by=actor,
            recorded_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="adverse_event.record",
            object_type="adverse_event",
            object_id=event.pk,
            patient_id=chart.patient_id,
            detail={"kind": kind, "severity": severity, "chart": chart.pk},
        )
    return event


# --- Inventory -------------------------------------------------------------------------


def cartridge_receive(
    *,
    actor: User | None,
    product: str,
    ref: str,
    lot: str,
    expiry: date,
    quantity: int,
    location: Location | None = None,
    now: datetime | None = None,
) -> CartridgeLot:
    """Receive stock of a lot; an already expired lot is refused."""
    problems: list[tuple[str, str, str]] = []
    for field, value in (("product", product), ("ref", ref), ("lot", lot)):
        if not (value or "").strip():
            problems.append((field, "FIELD_REQUIRED", "is required"))
        elif len(value.strip()) > (120 if field == "product" else 64):
            problems.append((field, "VALUE_INVALID", "is too long"))
    if quantity < 1 or quantity > 100_000:
        problems.append(("quantity", "QUANTITY_INVALID", "must be between 1 and 100000"))
    today = clinic_data.clinic_today()
    refusal = charting.receipt_refusal(expiry, max(quantity, 1), today)
    if refusal is not None:
        problems.append(("expiry", refusal.rule, refusal.message))
    if problems:
        raise RuleRefused(problems)
    where = location or Location.objects.order_by("pk").first()
    if where is None:
        raise _conflict("NO_LOCATION", "Set up a clinic location first.")
    when = now or timezone.now()
    with transaction.atomic():
        existing = (
            CartridgeLot.objects.select_for_update()
            .filter(location=where, ref=ref.strip(), lot=lot.strip())
            .first()
        )
        if existing is not None and existing.expiry != expiry:
            raise _conflict(
                charting.LOT_EXISTS_OTHER_EXPIRY,
                f"Lot {lot} is on record with expiry {existing.expiry.isoformat()}; "
                "check the label.",
            )
        if existing is None:
            existing = CartridgeLot.objects.create(
                location=where,
                product=product.strip(),
                ref=ref.strip(),
                lot=lot.strip(),
                expiry=expiry,
                quantity_received=quantity,
                received_on=timezone.localdate(when, where.zone),
            )
        else:
            existing.quantity_received += quantity
            existing.save(update_fields=["quantity_received"])
        CartridgeReceipt.objects.create(
            lot=existing, quantity=quantity, received_by=actor, received_at=when
        )
        record(
            actor=actor,
            action="inventory.receive",
            object_type="cartridge_lot",
            object_id=existing.pk,
            detail={"lot": existing.lot, "quantity": quantity},
        )
    return existing
