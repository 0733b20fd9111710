"""Reads for treatment day: the clinic's charting data in force, where an appointment stands
in the steps, stock levels, recalls, the co-signature queue, timelines and reports."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.clinic.access import require_at, within_reach
from needlepoint.clinic.clock import default_location, local_date
from needlepoint.clinic.models import CartridgeLot, Device
from needlepoint.clinic.selectors import with_published_consent_texts
from needlepoint.core.errors import NotFound
from needlepoint.data.loading import parse_data_file
from needlepoint.domain import charting
from needlepoint.domain.charting import (
    ConsentLibrary,
    LotStock,
    StepState,
    SterileProduct,
    parse_consent,
    parse_sterile_products,
)
from needlepoint.domain.protocols import DepthRange, RoleCeiling, ScopeCeilings
from needlepoint.scheduling.models import Appointment
from needlepoint.scheduling.selectors import appointment_for
from needlepoint.screening import clinic_data
from needlepoint.screening.models import Screening

from .models import (
    AdverseEvent,
    ConsentSignature,
    DayOfCheck,
    SessionChart,
)

# --- Clinic data in force (parsed once per file version) ------------------------------

_lock = threading.Lock()
_cache: dict[tuple[str, str, int], Any] = {}


def _cached(path: Path, parser: Any) -> Any:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    key = (parser.__name__, str(path), mtime)
    with _lock:
        if key not in _cache:
            if len(_cache) > 16:
                _cache.clear()
            _cache[key] = parse_data_file(path, parser)
        return _cache[key]


def consent_library() -> ConsentLibrary:
    result: ConsentLibrary = _cached(Path(settings.NEEDLEPOINT_CONSENT_FILE), parse_consent)
    # Versions published on the clinic setup pages come after the file's (decision 0413).
    return with_published_consent_texts(result)


def approved_products() -> Mapping[str, SterileProduct]:
    result: Mapping[str, SterileProduct] = _cached(
        Path(settings.NEEDLEPOINT_STERILE_PRODUCTS_FILE), parse_sterile_products
    )
    return result


def scope_ceilings() -> ScopeCeilings:
    """The protocol file's per-role ceilings, with NEEDLEPOINT_SCOPE_CEILINGS over them."""
    ceilings = dict(clinic_data.current_protocols().ceilings.default_scope)
    for role, (face, other) in charting.parse_scope_setting(
        settings.NEEDLEPOINT_SCOPE_CEILINGS
    ).items():
        ceilings[role] = RoleCeiling(face, other)
    return ceilings


# --- Where an appointment stands -------------------------------------------------------


def session_date(appointment: Any) -> date:
    return local_date(appointment.location, appointment.start)


def current_consent(appointment: Any) -> ConsentSignature | None:
    """The patient's signature of the consent text in force, for this plan (if any)."""
    library = consent_library()
    query = ConsentSignature.objects.filter(
        patient_id=appointment.patient_id,
        version=library.current.version,
        text_hash=library.current.text_hash,
    )
    if appointment.plan_id:
        query = query.filter(plan_id=appointment.plan_id)
    return query.order_by("-signed_at", "-id").first()


def consented_plans(patient_id: int) -> set[int | None]:
    """The plans (None for none) of the patient's signatures of the consent text in force:
    ``current_consent(a)`` exists exactly when ``a.plan_id`` is in it, or, for an
    appointment without a plan, when it is not empty. One query for any number of visits."""
    library = consent_library()
    return set(
        ConsentSignature.objects.filter(
            patient_id=patient_id,
            version=library.current.version,
            text_hash=library.current.text_hash,
        ).values_list("plan_id", flat=True)
    )


def latest_day_of_check(appointment: Any) -> DayOfCheck | None:
    """The latest check taken on the session's day, for that day. A check for another
    date (the appointment was moved since) or taken on another day does not count."""
    on_date = session_date(appointment)
    checks = DayOfCheck.objects.filter(appointment=appointment, judged_for=on_date)
    for check in checks.order_by("-checked_at", "-id")[:20]:
        if local_date(appointment.location, check.checked_at) == on_date:
            return check
    return None


def chart_of(appointment: Any) -> SessionChart | None:
    return SessionChart.objects.filter(appointment=appointment).first()


@dataclass(frozen=True)
class TreatmentDay:
    appointment: Any
    consent: ConsentSignature | None
    day_of: DayOfCheck | None
    chart: SessionChart | None

    @property
    def state(self) -> StepState:
        return StepState(
            consent_current=self.consent is not None,
            day_of_passed=None if self.day_of is None else not self.day_of.blocked,
            chart_exists=self.chart is not None,
            chart_signed=bool(self.chart and self.chart.status == SessionChart.Status.SIGNED),
        )

    @property
    def next_step(self) -> str:
        return charting.next_step(self.state).value


def treatment_day(appointment: Any) -> TreatmentDay:
    return TreatmentDay(
        appointment,
        current_consent(appointment),
        latest_day_of_check(appointment),
        chart_of(appointment),
    )


def plan_zones(plan: Any) -> dict[str, DepthRange]:
    zones: dict[str, DepthRange] = {}
    for item in (plan.zones if plan else None) or []:
        low, high = item["depth_mm"]
        zones[str(item["zone"])] = (float(low), float(high))
    return zones


def patient_precautions(patient: Any, plan: Any = None) -> frozenset[str]:
    """Every precaution code on record: the plan's, its consultation's screening, the
    patient's screenings, and their day-of checks."""
    codes: set[str] = set()

    def add(items: Any) -> None:
        for item in items or []:
            code = item.get("code") if isinstance(item, dict) else None
            if code:
                codes.add(str(code))

    if plan is not None:
        add(plan.precautions)
    for result in Screening.objects.filter(patient=patient).values_list("result", flat=True):
        add((result or {}).get("precautions") if isinstance(result, dict) else None)
    if plan is not None and plan.consultation.screening_id:
        result = plan.consultation.screening.result
        add(result.get("precautions") if isinstance(result, dict) else None)
    for precautions in DayOfCheck.objects.filter(patient=patient).values_list(
        "precautions", flat=True
    ):
        add(precautions)
    return frozenset(codes)


# --- Stock -----------------------------------------------------------------------------


def lots_with_stock(location: Any = None) -> QuerySet[CartridgeLot]:
    query = CartridgeLot.objects.annotate(used=Count("uses")).order_by("expiry", "lot")
    if location is not None:
        query = query.filter(location=location)
    return query


def lot_stock(lot: Any) -> LotStock:
    used = getattr(lot, "used", None)
    if used is None:
        used = lot.uses.count()
    return LotStock(lot.lot, lot.expiry, lot.quantity_received, int(used))


def stock_report(
    on_date: date, *, actor: Any = None
) -> tuple[list[tuple[Any, LotStock]], list[charting.StockWarning]]:
    """Every lot's stock and the warnings; with ``actor``, only at their locations."""
    lots = lots_with_stock().select_related("location")
    if actor is not None:
        lots = within_reach(lots, actor)
    rows = [(lot, lot_stock(lot)) for lot in lots]
    warnings = charting.stock_warnings(
        [s for _, s in rows],
        on_date,
        expiry_days=settings.NEEDLEPOINT_STOCK_EXPIRY_WARNING_DAYS,
        low_threshold=settings.NEEDLEPOINT_STOCK_LOW_THRESHOLD,
    )
    return rows, warnings


# --- Charts ----------------------------------------------------------------------------


def chart_for_staff(
    *, actor: User, chart_id: int, audit_action: str = "", acting: bool = False
) -> SessionChart:
    """A chart for staff: reading is shared (the patient's record); ``acting`` (sign, co-sign,
    amend) needs its location in reach, else 404 (decision 0700)."""
    chart = (
        SessionChart.objects.select_related(
            "patient",
            "operator",
            "device",
            "cartridge_lot",
            "cosigned_by",
            "appointment__location",
        )
        .filter(pk=chart_id)
        .first()
    )
    if chart is None or not actor.is_clinic_staff:
        raise NotFound("no such chart")
    if acting:
        require_at(actor, chart.appointment.location_id, "chart")
    if audit_action:
        record(
            actor=actor,
            action=audit_action,
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
        )
    return chart


def current_values(chart: SessionChart) -> dict[str, Any]:
    """The chart's amendable fields with every amendment applied, oldest first."""
    values = {name: getattr(chart, name) for name in charting.AMENDABLE_FIELDS}
    for amendment in chart.amendments.all():
        for name, change in amendment.changes.items():
            values[name] = change["to"]
    return values


def cosign_queue(actor: Any = None) -> QuerySet[SessionChart]:
    """Signed charts awaiting a co-signature (with ``actor``: sessions at their locations)."""
    found = (
        SessionChart.objects.filter(
            status=SessionChart.Status.SIGNED, needs_cosign=True, cosigned_at__isnull=True
        )
        .select_related("patient", "operator", "device", "cartridge_lot", "appointment__location")
        .order_by("signed_at", "id")
    )
    return found if actor is None else within_reach(found, actor, field="appointment__location")


# --- Recalls ---------------------------------------------------------------------------


def recall(*, actor: User, lot: str = "", device: str = "") -> list[SessionChart]:
    """Every charted session that used cartridge lot ``lot`` or pen ``device`` (its slug).

    Audited: one event per affected patient (a recall reads their contact details), or one
    event naming the lookup when nothing was found.
    """
    query = SessionChart.objects.select_related(
        "patient", "device", "cartridge_lot", "operator", "appointment__location"
    ).order_by("session_date", "id")
    condition = Q()
    if lot:
        condition &= Q(cartridge_lot__lot=lot)
    if device:
        condition &= Q(device__slug=device)
    # A lot or pen at a location out of the actor's reach finds nothing there (decision 0700).
    charts = list(within_reach(query.filter(condition), actor, field="appointment__location"))
    detail = {"lot": lot, "device": device, "sessions": len(charts)}
    patient_ids = list(dict.fromkeys(c.patient_id for c in charts))
    if patient_ids:
        record_many(
            actor=actor,
            action="recall.read",
            targets=[Target("patient", str(pid), str(pid)) for pid in patient_ids],
            detail=detail,
        )
    else:
        record(actor=actor, action="recall.read", object_type="recall", detail=detail)
    return charts


# --- Timelines and reports -------------------------------------------------------------


def patient_timeline(*, actor: User, patient: Any) -> list[dict[str, Any]]:
    """Sessions (charts), amendments, adverse events and consents, newest first."""
    record(
        actor=actor,
        action="timeline.read",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
    )
    entries: list[dict[str, Any]] = []
    charts = (
        SessionChart.objects.filter(patient=patient)
        .select_related(
            "operator", "device", "cartridge_lot", "cosigned_by", "appointment__location"
        )
        .prefetch_related("amendments__amended_by")
    )
    # A day is the local day where it happened; a consent signed outside a visit, the
    # clinic's default location's (one query, not one per row).
    default = default_location()
    for chart in charts:
        entries.append({"kind": "chart", "when": chart.session_date, "chart": chart})
        for amendment in chart.amendments.all():
            entries.append(
                {
                    "kind": "amendment",
                    "when": local_date(chart.appointment.location, amendment.amended_at),
                    "amendment": amendment,
                    "chart": chart,
                }
            )
    for event in AdverseEvent.objects.filter(patient=patient).select_related("chart"):
        entries.append({"kind": "adverse_event", "when": event.onset, "event": event})
    for consent in ConsentSignature.objects.filter(patient=patient).select_related(
        "appointment__location"
    ):
        where = consent.appointment.location if consent.appointment is not None else default
        entries.append(
            {"kind": "consent", "when": local_date(where, consent.signed_at), "consent": consent}
        )
    order = {"adverse_event": 0, "amendment": 1, "chart": 2, "consent": 3}
    entries.sort(key=lambda e: (e["when"], -order[e["kind"]]), reverse=True)
    return entries


# --- Lookups for the entry points (docs/decisions/0308, 0310) -----------------------------


def appointment_to_chart(*, actor: User, appointment_id: int) -> Appointment:
    """The appointment a treatment-day URL names, with what the day's steps read (404 when
    it is not the actor's to see, as ``scheduling.selectors.appointment_for``)."""
    found = appointment_for(actor=actor, appointment_id=appointment_id)
    return Appointment.objects.select_related(
        "patient", "location", "plan", "service", "staff"
    ).get(pk=found.pk)


def treatment_day_read(
    *, actor: User, appointment: Appointment, audit: bool = True
) -> TreatmentDay:
    """Where the appointment stands, read by ``actor`` (one audited read when ``audit``; a
    page re-shown after a POST has audited the write instead)."""
    day = treatment_day(appointment)
    if audit:
        record(
            actor=actor,
            action="treatment_day.read",
            object_type="appointment",
            object_id=appointment.pk,
            patient_id=appointment.patient_id,
        )
    return day


def cosign_queue_read(*, actor: User, limit: int = 200) -> list[SessionChart]:
    """The co-signature queue as the API shows it: each chart listed is one audited read."""
    charts = list(cosign_queue(actor)[:limit])
    if charts:
        record_many(
            actor=actor,
            action="chart.queue_read",
            targets=[Target("session_chart", str(c.pk), str(c.patient_id)) for c in charts],
        )
    return charts


def patient_charts(patient: Any) -> QuerySet[SessionChart]:
    """A patient's charts, newest first (the caller has audited the patient's read)."""
    return (
        SessionChart.objects.filter(patient=patient)
        .select_related("device", "cartridge_lot")
        .order_by("-session_date", "-id")
    )


def devices_for_chart(appointment: Appointment) -> QuerySet[Device]:
    """The pens a session at this appointment may be charted with: those in service at its
    location, and any pen already charted for it."""
    return (
        Device.objects.filter(location=appointment.location)
        .filter(Q(status=Device.Status.IN_SERVICE) | Q(charts__appointment=appointment))
        .distinct()
    )


def lot_with_stock(lot: CartridgeLot) -> CartridgeLot:
    """The lot read again with its use count and location (after receiving it)."""
    return lots_with_stock().select_related("location").get(pk=lot.pk)


def patient_chart(patient: Any, chart_id: int) -> SessionChart | None:
    """The patient's own chart with this id (None for another patient's or none at all)."""
    return patient_charts(patient).filter(pk=chart_id).first()
