"""Treatment-day staff pages: the tablet walk-through (consent, day-of check, chart, sign),
a chart with its amendments, the co-signature queue, a patient's treatment timeline, the
adverse-event report and cartridge inventory. Same services as the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.audit.services import record
from needlepoint.clinic.models import Device
from needlepoint.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from needlepoint.domain import charting
from needlepoint.domain.screening import DAY_OF_DATE_FIELDS, DAY_OF_TRI_STATE_FIELDS
from needlepoint.patients import selectors as patient_selectors
from needlepoint.scheduling.models import Appointment
from needlepoint.scheduling.selectors import appointment_for
from needlepoint.screening import clinic_data

from . import charting_selectors as sel
from . import charting_services as svc
from .charting_forms import (
    AdverseEventForm,
    chart_form_values,
    consent_signature_from_post,
    topical_prefixes,
    topical_rows,
)
from .charting_payloads import chart_payload
from .models import SessionChart

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


def _user(request: HttpRequest) -> Any:
    return request.user


def _appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    try:
        found = appointment_for(actor=_user(request), appointment_id=appointment_id)
    except NotFound:
        raise Http404("No such appointment.") from None
    return Appointment.objects.select_related(
        "patient", "location", "plan", "service", "staff"
    ).get(pk=found.pk)


def _errors_of(exc: Exception) -> tuple[str, dict[str, str], str]:
    """(summary, field errors, rule) for a refusal, for the page to show."""
    if isinstance(exc, svc.RuleRefused):
        fields = {
            p.field: f"{p.message} ({rule})"
            for p, rule in zip(exc.problems, exc.rules, strict=True)
        }
        return exc.message, fields, exc.rules[0] if exc.rules else ""
    if isinstance(exc, InvalidInput):
        return exc.message, {p.field: p.message for p in exc.problems}, ""
    if isinstance(exc, Conflict):
        return exc.message, {}, str(exc.code)
    return str(exc), {}, ""


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
            errors[name] = "answer yes, no or unsure"
        answers[name] = value
    for name in DAY_OF_DATE_FIELDS:
        raw = (post.get(name) or "").strip()
        if not raw:
            answers[name] = None
            continue
        try:
            answers[name] = date.fromisoformat(raw)
        except ValueError:
            errors[name] = "enter a date (YYYY-MM-DD) or leave it empty"
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
    user = _user(request)
    appointment = _appointment(request, appointment_id)
    values: Any = request.POST if request.method == "POST" else {}
    errors: dict[str, str] = {}
    summary, rule = "", ""
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
            summary, errors, rule = _errors_of(exc)
    day = sel.treatment_day(appointment)
    if request.method == "GET":
        record(
            actor=user,
            action="treatment_day.read",
            object_type="appointment",
            object_id=appointment.pk,
            patient_id=appointment.patient_id,
        )
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
    context = {
        "appointment": appointment,
        "patient": appointment.patient,
        "day": day,
        "next_step": day.next_step,
        "steps": [s.value for s in charting.STEPS],
        "consent": library.current,
        "photo_release": library.photo_release,
        "tri_fields": [(f, DAY_OF_LABELS[f], values.get(f, "")) for f in DAY_OF_TRI_STATE_FIELDS],
        "date_fields": [(f, DAY_OF_LABELS[f], values.get(f, "")) for f in DAY_OF_DATE_FIELDS],
        "zones": _zone_rows_with_errors(appointment, chart_values, errors),
        "devices": Device.objects.filter(location=appointment.location)
        .filter(Q(status=Device.Status.IN_SERVICE) | Q(charts__appointment=appointment))
        .distinct(),
        "lots": _lots(appointment, day.chart),
        "chart_values": chart_values,
        "topicals": topical_rows(chart_values),
        "products": list(sel.approved_products().values()),
        "endpoints": charting.ENDPOINTS,
        "values": values,
        "errors": errors,
        "summary": summary,
        "rule": rule,
        "blocked": blocked_check,
        "rebook": svc.rebook_offer(blocked_check) if blocked_check else None,
        "chart": chart_payload(day.chart) if day.chart else None,
        "session_date": sel.session_date(appointment),
        "may_hand_over": user.may("consent.collect"),
        "session_day": charting.long_date(sel.session_date(appointment)),
        "timing": charting.timing(
            sel.session_date(appointment),
            timezone.localtime(timezone.now(), appointment.location.zone).date(),
        ).value,
    }
    status = 200 if not summary else (409 if rule and not errors else 422)
    return render(request, "treatments/charting/treatment_day.html", context, status=status)


@role_required("chart.read", audit_action="chart.read")
@require_http_methods(["GET", "POST"])
def chart_detail(request: HttpRequest, chart_id: int) -> HttpResponse:
    user = _user(request)
    try:
        chart = sel.chart_for_staff(actor=user, chart_id=chart_id)
    except NotFound:
        raise Http404("No such chart.") from None
    summary, errors = "", dict[str, str]()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "cosign":
                if not user.may("chart.cosign"):
                    raise PermissionDenied("Only a physician co-signs.")
                svc.chart_cosign(actor=user, chart=chart)
                messages.success(request, "Chart co-signed.")
            elif action == "amend":
                if not user.may("chart.write"):
                    raise PermissionDenied("Your role may not amend charts.")
                field = request.POST.get("field", "")
                value: Any = request.POST.get("value", "")
                if field == "aftercare_given":
                    value = value in ("yes", "on", "true")
                svc.chart_amend(
                    actor=user,
                    chart=chart,
                    changes={field: value},
                    reason=request.POST.get("reason", "")[:2000],
                )
                messages.success(request, "Amendment recorded.")
            else:
                raise Http404("No such action.")
            return redirect(request.path)
        except (InvalidInput, Conflict) as exc:
            summary, errors, _ = _errors_of(exc)
    else:
        record(
            actor=user,
            action="chart.read",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
        )
    context = {
        "chart": chart,
        "payload": chart_payload(chart),
        "amendable": charting.AMENDABLE_FIELDS,
        "summary": summary,
        "errors": errors,
        "values": request.POST if request.method == "POST" else {},
        "events": chart.adverse_events.all(),
        "may_record_event": user.may("adverse_event.record"),
    }
    return render(
        request, "treatments/charting/chart_detail.html", context, status=422 if summary else 200
    )


@role_required("chart.cosign")
def cosign_queue(request: HttpRequest) -> HttpResponse:
    charts = list(sel.cosign_queue()[:200])
    return render(request, "treatments/charting/cosign_queue.html", {"charts": charts})


@role_required("chart.read", audit_action="timeline.read")
def patient_timeline(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = _user(request)
    try:
        patient = patient_selectors.patient_for_staff(actor=user, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    entries = sel.patient_timeline(actor=user, patient=patient)
    context = {
        "patient": patient,
        "entries": entries,
        "may_record_event": user.may("adverse_event.record"),
    }
    return render(request, "treatments/charting/timeline.html", context)


def _patient_charts(patient: Any) -> QuerySet[SessionChart]:
    # A read of charts the page already audits as patient.read; charting_selectors has no
    # per-patient chart list yet, so the query lives here.
    return (
        SessionChart.objects.filter(patient=patient)
        .select_related("device", "cartridge_lot")
        .order_by("-session_date", "-id")
    )


def _patient_chart(patient: Any, raw: str) -> SessionChart:
    """The patient's own chart with id ``raw``; any other id (another patient's, or none
    at all) is a 404, so the form does not tell what exists."""
    try:
        chart_id = int(raw)
    except ValueError:
        raise Http404("No such chart.") from None
    chart = _patient_charts(patient).filter(pk=chart_id).first()
    if chart is None:
        raise Http404("No such chart.")
    return chart


@role_required("adverse_event.record", audit_action="adverse_event.record")
@require_http_methods(["GET", "POST"])
def adverse_event_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Record an adverse event after one of the patient's sessions, on the day or later."""
    user = _user(request)
    try:
        patient = patient_selectors.patient_for_staff(actor=user, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    errors: dict[str, str] = {}
    summary = ""
    if request.method == "POST":
        values: Any = request.POST
        raw_chart = (values.get("chart") or "").strip()
        chart = _patient_chart(patient, raw_chart) if raw_chart else None
        form = AdverseEventForm(values)
        errors = form.field_errors() if not form.is_valid() else {}
        if chart is None:
            errors["chart"] = "choose the session the event followed"
        if not errors and chart is not None:
            data = form.cleaned_data
            try:
                svc.adverse_event_record(
                    actor=user,
                    chart=chart,
                    kind=data["kind"],
                    severity=data["severity"],
                    onset=data["onset"],
                    outcome=data["outcome"],
                    description=data["description"],
                    actions=data["actions"],
                )
                messages.success(request, "Adverse event recorded.")
                return redirect(reverse("charting:patient_timeline", args=[patient.pk]))
            except (InvalidInput, Conflict) as exc:
                summary, errors, _ = _errors_of(exc)
        summary = summary or "The adverse event is not recorded yet: check the marked fields."
    else:
        values = {"chart": request.GET.get("chart", "")}
        if values["chart"]:
            _patient_chart(patient, values["chart"])
    charts = list(_patient_charts(patient))
    context = {
        "patient": patient,
        "charts": charts,
        "form": AdverseEventForm(),
        "values": values,
        "errors": errors,
        "summary": summary,
        "today": clinic_data.clinic_today(),
    }
    return render(
        request,
        "treatments/charting/adverse_event_form.html",
        context,
        status=422 if summary else 200,
    )


@role_required("adverse_event.report")
def adverse_event_report(request: HttpRequest) -> HttpResponse:
    report = sel.adverse_event_report(actor=_user(request))
    return render(request, "treatments/charting/adverse_event_report.html", {"report": report})


@role_required("inventory.read")
@require_http_methods(["GET", "POST"])
def inventory(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    summary, errors = "", dict[str, str]()
    if request.method == "POST":
        if not user.may("inventory.receive"):
            raise PermissionDenied("Your role may not receive stock.")
        try:
            try:
                expiry = date.fromisoformat(request.POST.get("expiry", ""))
                quantity = int(request.POST.get("quantity", ""))
            except ValueError:
                raise svc.RuleRefused.single(
                    "expiry", "VALUE_INVALID", "enter the expiry date and a whole quantity"
                ) from None
            svc.cartridge_receive(
                actor=user,
                product=request.POST.get("product", ""),
                ref=request.POST.get("ref", ""),
                lot=request.POST.get("lot", ""),
                expiry=expiry,
                quantity=quantity,
            )
            messages.success(request, "Stock received.")
            return redirect(reverse("charting:inventory"))
        except (InvalidInput, Conflict) as exc:
            summary, errors, _ = _errors_of(exc)
    rows, warnings = sel.stock_report(clinic_data.clinic_today())
    context = {
        "rows": rows,
        "warnings": warnings,
        "summary": summary,
        "errors": errors,
        "values": request.POST if request.method == "POST" else {},
        "may_receive": user.may("inventory.receive"),
    }
    return render(
        request, "treatments/charting/inventory.html", context, status=422 if summary else 200
    )
