"""Recall by cartridge lot or pen: every session and patient it touched, as a page and as a
CSV to send on (physician and clinic admin; docs/decisions/0474-recall-page.md)."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlepoint.accounts.permissions import role_required
from needlepoint.core.csv_cells import write_csv

from ..recall_selectors import RECALL_CSV_COLUMNS, recall_choices, recall_csv_row, recall_rows
from .common import user_of


def _file_name(lot: str, device: str) -> str:
    name = "-".join(["recall", *(v for v in (lot, device) if v)])
    return "".join(ch for ch in name if ch.isalnum() or ch in "-_.") or "recall"


@role_required("recall.read")
def recall(request: HttpRequest) -> HttpResponse:
    lot = request.GET.get("lot", "").strip()[:64]
    device = request.GET.get("device", "").strip()[:64]
    choices = recall_choices()
    context: dict[str, object] = {"lot": lot, "device": device, "choices": choices}
    if not lot and not device:
        if "lot" in request.GET or "device" in request.GET:
            context["error"] = "Choose a cartridge lot or a pen (or both) to recall."
            return render(request, "charting/recall.html", context, status=422)
        return render(request, "charting/recall.html", context)
    charts = recall_rows(actor=user_of(request), lot=lot, device=device)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        write_csv(out, RECALL_CSV_COLUMNS, [recall_csv_row(c) for c in charts])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_file_name(lot, device)}.csv"'
        return response
    lot_label = dict(choices.lots).get(lot, lot)
    pen_label = dict(choices.pens).get(device, device)
    context.update(
        {
            "charts": charts,
            "searched": True,
            "lot_label": lot_label,
            "pen_label": pen_label,
            "patients": len({c.patient_id for c in charts}),
        }
    )
    return render(request, "charting/recall.html", context)
