"""The reports pages: a range and location form, charts and tables, and a CSV per report.

Thin: check ``report.read``, parse the form, call ``selectors.report_read``, render."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.access import location_for
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.current import location_choices
from needlepoint.core.csv_cells import write_csv

from . import selectors
from .forms import RangeForm
from .pages import REPORTS


def _form(request: HttpRequest) -> RangeForm:
    slug = request.GET.get("location", "")
    if slug:
        # A location out of the user's reach is as unknown as a made-up one: 404 (0700).
        location_for(request.user, slug)
    return RangeForm(request.GET, choices=location_choices(request), today=clinic_today())


@role_required("report.read")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "reports/index.html",
        {"reports": [(name, title) for name, (title, _) in REPORTS.items()], "query": query},
    )


@role_required("report.read")
@require_GET
def report(request: HttpRequest, name: str) -> HttpResponse:
    form = _form(request)
    found = None
    if not form.is_bound or form.is_valid():
        start, end, slug = form.range()
        found = selectors.report_read(
            actor=request.user, name=name, start=start, end=end, location_slug=slug
        )
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "reports/report.html",
        {"form": form, "report": found, "name": name, "title": REPORTS[name][0], "query": query},
    )


@role_required("report.read")
@require_GET
def download(request: HttpRequest, name: str) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(str(e) for e in errors)}" for field, errors in form.errors.items()
        )
        return HttpResponse(
            "The dates or location are not valid: " + problems,
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    start, end, slug = form.range()
    found = selectors.report_read(
        actor=request.user, name=name, start=start, end=end, location_slug=slug, download=True
    )
    out = io.StringIO()
    for table in found.tables:
        rows: list[dict[str, Any]] = [
            dict(zip(table.columns, row, strict=True)) for row in table.rows
        ]
        write_csv(out, table.columns, rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    where = slug or "group"
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{where}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response
