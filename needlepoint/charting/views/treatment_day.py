"""The treatment day on the clinic tablet: consent, day-of check, chart and signature, one
step after the other, with the same services as the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import Conflict, FieldProblem, InvalidInput
from needlepoint.domain import charting
from needlepoint.domain.screening import DAY_OF_DATE_FIELDS, DAY_OF_TRI_STATE_FIELDS
from needlepoint.scheduling.models import Appointment

from .. import selectors as sel
from .. import services as svc
from ..day_selectors import baseline_photos
from ..forms import (
    chart_form_values,
    consent_signature_from_post,
    topical_prefixes,
    topical_rows,
)
from ..models import SessionChart
from ..payloads import chart_payload
from ..wording import day_words, tri_state_choices
from .common import appointment_or_404, errors_of, rules_of, user_of
from .steps import page_steps, shown_step

DAY_OF_LABELS = {
    "active_skin_infection": "Any skin infection in or near the area now?",
    "active_cold_sore": "A cold sore right now?",
    "open_wounds_or_irritated_skin": "Open cuts, wounds or irritated skin in the area?",
    "active_inflamed_acne": "Inflamed acne (red bumps, pustules, cysts) in the area now?",
    "dermatitis_flare": "Eczema, psoriasis or rosacea flaring in the area now?",
    "pregnant_or_breastfeeding": "Pregnant or breastfeeding?",
    "new_medication": "Any new medication since the consultation?",
    "sunburn_last": "Last sunburn or tan of the area",
    "filler_in_area_last": "Last dermal filler in the area",
    "neurotoxin_last": "Last botulinum toxin injection",
    "peel_or_laser_last": "Last chemical peel or laser in the area",
    "retinoid_or_acid_last_use": "Last retinoid, AHA or BHA on the area",
}


def _lots(appointment: Appointment, chart: SessionChart | None = None) -> list[dict[str, Any]]:
    on_date = sel.session_date(appointment)
    rows = []
    for lot in sel.lots_with_stock(appointment.location):
        stock = sel.lot_stock(lot)
        # The draft's own lot stays offered even when its cartridge was the last one.
        own = chart is not None and chart.cartridge_lot_id == lot.pk
        if (stock.remaining > 0 or own) and lot.expiry >= on_date:
            rows.append(
                {"lot": lot.lot, "ref": lot.ref, "expiry": lot.expiry, "left": stock.remaining}
            )
    return rows


def _zone_rows(appointment: Appointment, values: Any) -> list[dict[str, Any]]:
    zones = sel.plan_zones(appointment.plan)
    names = list(zones) or ["cheeks", "forehead"]
    rows = []
    for i, name in enumerate(names):
        low, high = zones.get(name, (None, None))
        rows.append(
            {
                "i": i,
                "zone": name,
                "low": low,
                "high": high,
                "depth": values.get(f"zone_{i}_depth", ""),
                "passes": values.get(f"zone_{i}_passes", ""),
                "reason": values.get(f"zone_{i}_reason", ""),
            }
        )
    return rows


def _zone_rows_with_errors(
    appointment: Appointment, values: Any, errors: dict[str, str]
) -> list[dict[str, Any]]:
    rows = _zone_rows(appointment, values)
    charted = [r for r in rows if str(r["depth"]).strip() or str(r["passes"]).strip()]
    for field, message in errors.items():
        if field.startswith("zones["):
            index = int(field[6 : field.index("]")])
            if index < len(charted):
                charted[index]["error"] = message
    return rows


def _day_of_from_post(post: Any) -> tuple[dict[str, Any], dict[str, str]]:
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in DAY_OF_TRI_STATE_FIELDS:
        value = post.get(name, "")
        if value not in ("yes", "no", "unsure"):
            errors[name] = "choose Yes, No or Not sure"
        answers[name] = value
    for name in DAY_OF_DATE_FIELDS:
        raw = (post.get(name) or "").strip()
        if not raw:
            answers[name] = None
            continue
        try:
            answers[name] = date.fromisoformat(raw)
        except ValueError:
            errors[name] = "enter a date, or leave it empty if never"
            answers[name] = None
    return answers, errors


def _chart_from_post(post: Any, appointment: Appointment) -> svc.ChartInput:
    zones = []
    problems = []
    for row in _zone_rows(appointment, post):
        depth, passes = str(row["depth"]).strip(), str(row["passes"]).strip()
        if not depth and not passes:
            continue
        try:
            zones.append(
                {
                    "zone": row["zone"],
                    "depth_mm": float(depth),
                    "passes": int(passes or 0),
                    "reason": row["reason"],
                }
            )
        except ValueError:
            problems.append((f"zones[{row['i']}].depth_mm", "DEPTH_INVALID", "enter a depth in mm"))
    if problems:
        raise svc.RuleRefused(problems)
    topicals = []
    for prefix in topical_prefixes(post):
        product = (post.get(f"{prefix}product") or "").strip()
        if product == "other":
            product = (post.get(f"{prefix}other") or "").strip()
        if product:
            topicals.append(
                {
                    "product": product,
                    "lot": (post.get(f"{prefix}lot") or "").strip(),
                    "override_reason": (post.get(f"{prefix}override_reason") or "").strip(),
                }
            )
    return svc.ChartInput(
        device=post.get("device", ""),
        cartridge_lot=post.get("cartridge_lot", ""),
        zones=zones,
        endpoint=post.get("endpoint", ""),
        anesthetic=(post.get("anesthetic") or "")[:200],
        topicals=topicals,
        immediate_reactions=(post.get("immediate_reactions") or "")[:5000],
        aftercare_given=post.get("aftercare_given") == "on",
        notes=(post.get("notes") or "")[:5000],
        late_reason=(post.get("late_reason") or "")[:2000],
    )


@role_required("chart.read", audit_action="treatment_day.read")
@require_http_methods(["GET", "POST"])
def treatment_day(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = user_of(request)
    appointment = appointment_or_404(request, appointment_id)
    values: Any = request.POST if request.method == "POST" else {}
    errors: dict[str, str] = {}
    summary, rule = "", ""
    error_rules: dict[str, str] = {}
    blocked_check = None
    if request.method == "POST":
        step = request.POST.get("step", "")
        capability = {
            "consent": "consent.collect",
            "day_of": "day_of.check",
            "chart": "chart.write",
            "sign": "chart.write",
        }.get(step)
        if capability is None:
            raise Http404("No such step.")
        if not user.may(capability):
            raise PermissionDenied(f"Your role may not {capability.replace('.', ' ')}.")
        try:
            if step == "consent":
                kind, signature, problems = consent_signature_from_post(request.POST)
                if problems:
                    raise svc.RuleRefused(problems, "The consent is not signed yet.")
                try:
                    svc.consent_sign(
                        actor=user,
                        appointment=appointment,
                        consent_version=request.POST.get("consent_version", "current"),
                        signature=signature,
                        signature_kind=kind,
                        photo_release=request.POST.get("photo_release") == "on",
                        source="tablet",
                    )
                except svc.RuleRefused as exc:
                    if kind == "drawn":
                        # The service names "signature"; on the page the drawing is its own field.
                        exc.problems = [
                            FieldProblem(
                                "signature_drawing" if p.field == "signature" else p.field,
                                p.message,
                            )
                            for p in exc.problems
                        ]
                    raise
                messages.success(request, "Consent signed.")
            elif step == "day_of":
                answers, form_errors = _day_of_from_post(request.POST)
                if form_errors:
                    raise svc.RuleRefused(
                        [(f, "VALUE_INVALID", m) for f, m in form_errors.items()],
                        "Answer every question.",
                    )
                check = svc.day_of_check_record(
                    actor=user, appointment=appointment, answers=svc.day_of_answers(answers)
                )
                if check.blocked:
                    blocked_check = check
                    summary = "The day-of check found a reason not to treat today."
                    rule = charting.DAY_OF_CHECK_FAILED
                else:
                    messages.success(request, "Day-of check passed.")
            elif step == "chart":
                svc.chart_save(
                    actor=user,
                    appointment=appointment,
                    data=_chart_from_post(request.POST, appointment),
                )
                messages.success(request, "Session charted. Review and sign.")
            else:
                chart = sel.chart_of(appointment)
                if chart is None:
                    raise Conflict("Chart the session before signing it.", code="CHART_REQUIRED")
                svc.chart_sign(actor=user, chart=chart)
                messages.success(request, "Chart signed.")
            if not summary:
                return redirect(request.path)
        except (InvalidInput, Conflict) as exc:
            summary, errors, rule = errors_of(exc)
            error_rules = rules_of(exc)
    day = sel.treatment_day_read(actor=user, appointment=appointment, audit=request.method == "GET")
    library = sel.consent_library()
    chart_values: Any = values
    if not (request.method == "POST" and request.POST.get("step") == "chart"):
        # The form shows the stored draft: saving it again must not blank a field.
        chart_values = {}
        if day.chart is not None and day.chart.status == SessionChart.Status.DRAFT:
            zone_names = [row["zone"] for row in _zone_rows(appointment, {})]
            chart_values = chart_form_values(day.chart, zone_names, sel.approved_products())
    if blocked_check is None and day.day_of is not None and day.day_of.blocked:
        blocked_check = day.day_of
    baseline = baseline_photos(appointment)
    posted_step = request.POST.get("step", "") if request.method == "POST" else ""
    shown = shown_step(request.GET.get("step", ""), posted_step, day, baseline)
    timing = charting.timing(sel.session_date(appointment), clinic_today(appointment.location))
    day_of_open = (
        day.consent is not None
        and timing is charting.Timing.ON_THE_DAY
        and (day.day_of is None or day.day_of.blocked)
    )
    chart_open = (
        timing is not charting.Timing.BEFORE
        and day.day_of is not None
        and not day.day_of.blocked
        and not (day.chart is not None and day.chart.status == SessionChart.Status.SIGNED)
    )
    context = {
        "day_of_open": day_of_open,
        "chart_open": chart_open,
        "appointment": appointment,
        "location": appointment.location,
        "shown": shown,
        "page_steps": page_steps(day, baseline, shown),
        "baseline": baseline,
        "tri_choices": tri_state_choices(),
        "patient": appointment.patient,
        "day": day,
        "next_step": day.next_step,
        "steps": [s.value for s in charting.STEPS],
        "consent": library.current,
        "photo_release": library.photo_release,
        "tri_fields": [(f, DAY_OF_LABELS[f], values.get(f, "")) for f in DAY_OF_TRI_STATE_FIELDS],
        "date_fields": [(f, DAY_OF_LABELS[f], values.get(f, "")) for f in DAY_OF_DATE_FIELDS],
        "zones": _zone_rows_with_errors(appointment, chart_values, errors),
        "devices": sel.devices_for_chart(appointment),
        "lots": _lots(appointment, day.chart),
        "chart_values": chart_values,
        "topicals": topical_rows(chart_values),
        "products": list(sel.approved_products().values()),
        "endpoints": charting.ENDPOINTS,
        "values": values,
        "errors": errors,
        "error_rules": error_rules,
        "summary": summary,
        "rule": rule,
        "blocked": blocked_check,
        "rebook": svc.rebook_offer(blocked_check) if blocked_check else None,
        "chart": chart_payload(day.chart) if day.chart else None,
        "session_date": sel.session_date(appointment),
        "may_hand_over": user.may("consent.collect"),
        "session_day": day_words(sel.session_date(appointment)),
        "timing": timing.value,
    }
    status = 200 if not summary else (409 if rule and not errors else 422)
    return render(request, "charting/treatment_day.html", context, status=status)
