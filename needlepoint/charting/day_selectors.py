"""Reads for the treatment-day and chart pages beyond the steps themselves: whether the first
session still needs its baseline photos (docs/decisions/0472-treatment-day-steps.md), and a
chart's amendments with their authors."""

from __future__ import annotations

from dataclasses import dataclass, field

from needlepoint.domain.outcomes import FACE_VIEWS, VIEW_LABELS
from needlepoint.outcomes import selectors as outcome_selectors
from needlepoint.scheduling.models import Appointment

from .models import ChartAmendment, SessionChart


@dataclass(frozen=True)
class BaselinePhotos:
    """``required``: this is the plan's first session, so signing needs the baseline views.
    ``missing``: the labels of the views the baseline visit lacks (all five when no photo
    was taken yet)."""

    required: bool
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def blocks_signing(self) -> bool:
        return self.required and not self.complete


def _first_session(appointment: Appointment) -> bool:
    """The same test as signing uses: plan session 1, or a plan with no signed chart yet."""
    if appointment.plan_session is not None:
        return bool(appointment.plan_session == 1)
    if appointment.plan_id is None:
        return False
    return not SessionChart.objects.filter(
        plan_id=appointment.plan_id, status=SessionChart.Status.SIGNED
    ).exists()


def baseline_photos(appointment: Appointment) -> BaselinePhotos:
    required = _first_session(appointment)
    baseline = outcome_selectors.baseline_date(appointment.patient_id)
    if baseline is None:
        missing = FACE_VIEWS
    else:
        missing = outcome_selectors.visit_missing_views(appointment.patient_id, baseline)
    return BaselinePhotos(required, tuple(VIEW_LABELS[v] for v in missing))


def chart_amendments(chart: SessionChart) -> list[ChartAmendment]:
    """A chart's amendments, oldest first, with their authors (the page names them)."""
    return list(chart.amendments.select_related("amended_by").order_by("amended_at", "id"))
