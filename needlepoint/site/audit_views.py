"""The clinic admin's audit trail page (and its CSV download): filters chosen from lists,
rows in words (site/audit_trail.py). Decisions 0450-0452."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from needlepoint.accounts.permissions import role_required
from needlepoint.audit.services import record
from needlepoint.audit.wording import ACTIONS, KINDS, kind_codes
from needlepoint.clinic.services.access import managed_staff_ids
from needlepoint.core.csv_cells import write_csv
from needlepoint.core.inputs import MAX_PAGE, whole_number

from . import audit_trail
from .audit_trail import NO_ACTOR, AuditFilters

PAGE_SIZE = 50
CSV_LIMIT = 10_000  # an auditor's download: a year of a small clinic; narrow the dates for more
CSV_COLUMNS = ["When", "Who", "Role", "What", "Patient", "From", "Details"]


def _kind_choices() -> list[tuple[str, Any]]:
    """The labels grouped by kind; each group can also be chosen whole."""
    choices: list[tuple[str, Any]] = [("", "Any action")]
    for kind, heading in KINDS.items():
        labels = sorted((ACTIONS[code].label, code) for code in kind_codes(kind))
        options = [(f"kind:{kind}", f"All: {heading.lower()}")]
        options += [(code, label) for label, code in labels]
        choices.append((heading, options))
    return choices


class AuditFilterForm(forms.Form):
    person = forms.ChoiceField(label="Person", required=False)
    patient_name = forms.CharField(label="Patient name", required=False, max_length=200)
    patient = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    action = forms.ChoiceField(label="Kind of action", required=False)
    outcome = forms.ChoiceField(
        label="Allowed or refused",
        required=False,
        choices=[("", "Both"), ("denied", "Only refused"), ("allowed", "Only allowed")],
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To (inclusive)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: QueryDict, people: list[audit_trail.Person]) -> None:
        super().__init__(data)
        person: Any = self.fields["person"]
        person.choices = [
            ("", "Anyone"),
            (NO_ACTOR, "System (no one signed in)"),
            *[
                (str(p.pk), f"{p.name}, {p.role}" + ("" if p.active else " (deactivated)"))
                for p in people
            ],
        ]
        action: Any = self.fields["action"]
        action.choices = _kind_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date: choose a later one.")
        return cleaned


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _actions(choice: str) -> tuple[str, ...]:
    if choice.startswith("kind:"):
        return tuple(kind_codes(choice.removeprefix("kind:")))
    return (choice,) if choice else ()


def _filters(form: AuditFilterForm) -> tuple[AuditFilters, dict[str, Any]]:
    """The form's answers as the selector's filters, and what the page says about the patient
    (the one chosen, or the several a name matched)."""
    data = form.cleaned_data
    patient_ids: tuple[int, ...] | None = None
    patient_note: dict[str, Any] = {}
    if data.get("patient"):
        chosen = audit_trail.patient_by_id(data["patient"])
        patient_ids = (chosen.pk,) if chosen is not None else ()
        patient_note = {"chosen_patient": chosen}
    elif data.get("patient_name", "").strip():
        matches = audit_trail.patients_named(data["patient_name"])
        patient_ids = tuple(p.pk for p in matches)
        patient_note = {"patient_matches": matches}
    start, end = data.get("date_from"), data.get("date_to")
    filters = AuditFilters(
        person=data.get("person") or "",
        patient_ids=patient_ids,
        actions=_actions(data.get("action") or ""),
        outcome=data.get("outcome") or "",
        start=_local_midnight(start) if start else None,
        end=_local_midnight(end + timedelta(days=1)) if end else None,
    )
    return filters, patient_note


def _query_without(request: HttpRequest, *keys: str) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


@role_required("audit.read")
def staff_audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(
        request.GET,
        audit_trail.staff_people(managed_staff_ids(request.user)),  # type: ignore[arg-type]
    )
    context: dict[str, Any] = {
        "form": form,
        "query": _query_without(request, "page"),
        "without_patient": _query_without(request, "page", "patient", "patient_name"),
    }
    if not form.is_valid():
        return render(request, "site/staff/audit.html", context, status=422)
    filters, patient_note = _filters(form)
    page_number = min(whole_number(request.GET.get("page"), digits=7) or 1, MAX_PAGE)
    user: Any = request.user
    trail = audit_trail.audit_trail(actor=user, filters=filters, page=page_number, size=PAGE_SIZE)
    context.update(patient_note, trail=trail, patient_note_keys=list(patient_note))
    return render(request, "site/staff/audit.html", context)


@role_required("audit.read")
def staff_audit_csv(request: HttpRequest) -> HttpResponse:
    """The filtered rows as a spreadsheet for an auditor (newest first, at most CSV_LIMIT)."""
    form = AuditFilterForm(
        request.GET,
        audit_trail.staff_people(managed_staff_ids(request.user)),  # type: ignore[arg-type]
    )
    if not form.is_valid():
        context = {"form": form, "query": "", "without_patient": ""}
        return render(request, "site/staff/audit.html", context, status=422)
    filters, _ = _filters(form)
    within = managed_staff_ids(request.user)  # type: ignore[arg-type]
    events = list(audit_trail.filtered_events(filters, within)[:CSV_LIMIT])
    rows = audit_trail.rows_in_words(events)
    user: Any = request.user
    record(
        actor=user,
        action="audit.export",
        object_type="audit_trail",
        detail={**filters.as_detail(), "rows": len(rows)},
    )
    out = io.StringIO()
    write_csv(
        out,
        CSV_COLUMNS,
        (
            {
                "When": audit_trail.exact_words(row.occurred_at),
                "Who": row.who,
                "Role": row.role,
                "What": row.what + (" (refused)" if row.refused else ""),
                "Patient": row.patient_name,
                "From": row.where,
                "Details": "; ".join(f"{label}: {value}" for label, value in row.lines[1:]),
            }
            for row in rows
        ),
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
