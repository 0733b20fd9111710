"""Treatment-day lists: the co-signature queue (page and API), a patient's timeline,
cartridge stock (page and API), recalls and the adverse-event report. One chart per row,
each with its own patient, plan, appointment and operator."""

from __future__ import annotations

from typing import Any

from . import builders
from .builders import counts, pinned


def _charts(**options: Any) -> Any:
    def add(i: int) -> None:
        operator = builders.clinician(i)
        owner = builders.patient(i)
        plan = builders.plan(owner, operator)
        chart = builders.chart(i, patient=owner, operator=operator, plan=plan, **options)
        builders.adverse_event(chart, operator, i)

    return add


def test_cosign_queue_page_runs_the_same_queries_for_1_and_20_charts(
    clinic: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(physician)
    result = counts(_charts(needs_cosign=True), lambda: client.get("/staff/charts/cosign/"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(9)  # page 7 + the queue, patient, operator, pen and lot joined


def test_cosign_queue_endpoint_runs_the_same_queries_for_1_and_20_charts(
    clinic: Any, physician: Any, api: Any
) -> None:
    client = api(physician)
    result = counts(_charts(needs_cosign=True), lambda: client.get("/charts/awaiting-cosign"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(7)  # token + the queue (joined) + audit 4


def test_recall_endpoint_runs_the_same_queries_for_1_and_20_sessions(
    clinic: Any, physician: Any, api: Any
) -> None:
    client = api(physician)
    add = _charts(lot_code="L25C031")
    result = counts(add, lambda: client.get("/recalls", lot="L25C031", limit=50))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(7)  # token + the sessions (joined) + audit 4 (one INSERT)


def test_adverse_event_report_page_runs_the_same_queries_for_1_and_20_events(
    clinic: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(physician)
    result = counts(_charts(), lambda: client.get("/staff/reports/adverse-events/"))
    assert result == pinned(14)  # page 7 + audit 4 + events by kind + signed sessions + reach


def test_patient_timeline_page_runs_the_same_queries_for_1_and_20_sessions(
    clinic: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    owner = builders.patient(99)
    plan = builders.plan(owner, aesthetician.user)

    def add(i: int) -> None:
        operator = builders.clinician(i)
        chart = builders.chart(
            i, patient=owner, operator=operator, plan=plan, amended_by=physician.user
        )
        builders.adverse_event(chart, operator, i)
        builders.consent(chart.appointment, operator)

    client = staff_client(physician)
    url = f"/staff/patients/{owner.pk}/treatment-timeline/"
    result = counts(add, lambda: client.get(url))
    # page 7, patient, 2 audits of 4, charts, amendments, authors, events, consents, and
    # the clinic's default location (the clock dates a consent without an appointment), and
    # the protocol table once for the zones' labels
    assert result == pinned(23)


def test_inventory_page_runs_the_same_queries_for_1_and_20_lots(
    clinic: Any, clinic_admin: Any, staff_client: Any
) -> None:
    client = staff_client(clinic_admin)
    result = counts(builders.cartridge_lot, lambda: client.get("/staff/inventory/"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(10)  # page 7 + clinic zone (today) + lots with their use counts


def test_cartridge_stock_endpoint_runs_the_same_queries_for_1_and_20_lots(
    clinic: Any, clinic_admin: Any, api: Any
) -> None:
    client = api(clinic_admin)
    result = counts(builders.cartridge_lot, lambda: client.get("/inventory/cartridges"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(4)  # token + clinic zone (today) + lots with their use counts


def _amended_chart(aesthetician: Any) -> tuple[Any, Any]:
    """One chart; row ``i`` is an amendment by clinician ``i`` and an adverse event."""
    owner = builders.patient(99)
    plan = builders.plan(owner, aesthetician.user)
    chart = builders.chart(0, patient=owner, operator=aesthetician.user, plan=plan)

    def add(i: int) -> None:
        author = builders.clinician(i)
        builders.amendment(chart, author, i)
        builders.adverse_event(chart, author, i)

    return chart, add


def test_chart_endpoint_runs_the_same_queries_for_1_and_20_amendments(
    clinic: Any, aesthetician: Any, physician: Any, api: Any
) -> None:
    chart, add = _amended_chart(aesthetician)
    client = api(physician)
    result = counts(add, lambda: client.get(f"/charts/{chart.pk}"))
    # token + chart (joined) + audit 4 + amendments with authors + amendments (current values)
    assert result == pinned(8)


def test_chart_page_runs_the_same_queries_for_1_and_20_amendments_and_events(
    clinic: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    chart, add = _amended_chart(aesthetician)
    client = staff_client(physician)
    result = counts(add, lambda: client.get(f"/staff/charts/{chart.pk}/"))
    # page 7, chart (joined), audit 4, amendments with authors, current values, events,
    # the amendments again with their authors' names, the protocol table for zone labels
    assert result == pinned(17)


def test_recall_page_runs_the_same_queries_for_1_and_20_sessions(
    clinic: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(physician)
    add = _charts(lot_code="L25C031")
    result = counts(add, lambda: client.get("/staff/recalls/", {"lot": "L25C031"}))
    # page 7 + lots and pens to choose from + the sessions (joined) + audit 4 (one INSERT)
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(15)
