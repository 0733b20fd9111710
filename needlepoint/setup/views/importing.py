"""Importing patients from the old system: choose a file, read the check, then import."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.core.errors import InvalidInput
from needlepoint.core.form_errors import add_to_form

from ..import_forms import ImportConfirmForm, ImportFileForm
from ..import_words import appointment_words, detail_words, file_words, status_words, summary_words
from ..importing import REFUSED, ImportReport, patients_import
from .common import actor, page

importer_only = role_required("patient.import", audit_action="setup.open")


@importer_only
@require_http_methods(["GET", "POST"])
def import_patients(request: HttpRequest) -> HttpResponse:
    """GET: the file form. POST a file: the check (nothing saved) and the confirm form.
    POST the confirm form: the import, and what it did."""
    if request.method == "POST" and "seal" in request.POST:
        return _confirmed(request)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        options = _options(form.cleaned_data)
        try:
            report = patients_import(
                actor=actor(request), data=form.cleaned_data["file"], **options
            )
        except InvalidInput as exc:
            add_to_form(form, exc)
        else:
            confirm = ImportConfirmForm.carrying(form.cleaned_data["file"], form.cleaned_data)
            return _report_page(request, report, confirm=confirm)
    return page(request, "import.html", {"form": form}, refused=bool(form.errors))


def _options(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {
        "date_order": cleaned.get("date_order") or None,
        "location_slug": cleaned["location"].slug,
        "column_map": cleaned.get("column_map", ""),
    }


def _confirmed(request: HttpRequest) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        # The checked file did not come back intact: start again, with the options kept.
        fresh = ImportFileForm(initial=request.POST.dict())
        problem = " ".join(str(e) for e in form.non_field_errors()) or "choose the file again"
        return page(request, "import.html", {"form": fresh, "problem": problem}, refused=True)
    data = form.cleaned_data
    report = patients_import(
        actor=actor(request),
        data=data["data"],
        commit=True,
        skip_refused=data["skip_refused"],
        **_options(data),
    )
    confirm = None if report.committed else ImportConfirmForm.carrying(data["data"], data)
    return _report_page(request, report, confirm=confirm)


def _report_page(
    request: HttpRequest, report: ImportReport, *, confirm: ImportConfirmForm | None
) -> HttpResponse:
    done = report.committed
    zone = report.location.zone
    rows = [
        {
            "where": o.line.where,
            "name": o.line.name,
            "born": o.born,
            "status": status_words(o, done),
            "refused": o.status == REFUSED,
            "details": detail_words(o),
            "existing": o.existing,
            "patient_id": o.patient_id,
            "appointment": appointment_words(o.appointment, done, zone) if o.appointment else "",
            "appointment_booked": bool(o.appointment and o.appointment.booked),
        }
        for o in report.lines
    ]
    context = {
        "report": report,
        "rows": rows,
        "file_words": file_words(report),
        "summary": summary_words(report),
        "confirm": confirm,
        "refused": report.count(REFUSED),
        "creating": report.count("create"),
    }
    return page(request, "import_report.html", context)
