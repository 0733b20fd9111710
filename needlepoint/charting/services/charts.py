"""Step 3: chart (or re-chart, while unsigned) the session."""

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
from needlepoint.domain import charting
from needlepoint.domain.charting import (
    ChartContext,
    ChartDraft,
    Step,
    TopicalEntry,
    ZoneEntry,
)
from needlepoint.scheduling.models import Appointment
from needlepoint.screening import clinic_data

from .. import selectors as sel
from ..models import CartridgeUse, SessionChart
from .common import RuleRefused, _conflict, _local_today, _open, _refuse_step, _refuse_timing

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
    late_reason: str = ""


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
    """Chart (or re-chart, while unsigned) the session; consumes one cartridge, once.

    Charting is for the session's day, after that day's check; written later, the chart is
    a late entry and needs the reason it is late."""
    _open(appointment)
    on_date = sel.session_date(appointment)
    late_reason = (data.late_reason or "").strip()
    _refuse_timing(charting.chart_refusal(on_date, _local_today(appointment, now), late_reason))
    late = charting.timing(on_date, _local_today(appointment, now)) is charting.Timing.AFTER
    _refuse_step(Step.CHART, appointment)
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
        # The appointment's row first: a cancel or move waits for the chart, then sees it.
        _open(Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk))
        locked = CartridgeLot.objects.select_for_update(of=("self",)).get(pk=lot.pk)
        chart = (
            SessionChart.objects.select_for_update(of=("self",))
            .filter(appointment=appointment)
            .first()
        )
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
            "late_entry": late,
            "late_reason": late_reason if late else "",
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
                "late": late,
            },
        )
    return chart
