"""An aesthetician opens a patient's micro-needling overview, records a signed consultation
from the patient's stored phone screening, creates the treatment plan from the
recommendation with one value changed (and its reason), and sees the plan and its sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.words import assert_reads_as_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fact(page, term: str) -> str:
    """The text of the <dd> beside a <dt> in a facts list."""
    dt = page.locator("dl.facts > dt", has_text=re.compile(rf"^{re.escape(term)}$"))
    return dt.locator("xpath=following-sibling::dd[1]").inner_text().strip()


def page_zone():
    from needlepoint.clinic.clock import location_zone

    return location_zone()


def stored_phone_screening(front_desk_user, patient):
    """Worked example 1 taken by phone and linked to the patient: a likely candidate."""
    from needlepoint.clinic.clock import clinic_today
    from needlepoint.screening.services import screening_submit
    from tests.screening.conftest import answers

    planned = clinic_today() + timedelta(days=10)
    submitted = screening_submit(
        actor=front_desk_user,
        data=answers(planned_date=planned.isoformat(), consent_to_store=True),
        channel="phone",
        patient=patient,
    )
    assert submitted.screening is not None
    return submitted.screening


def test_an_aesthetician_records_a_consultation_and_plans_the_course(
    live_server, page, make_persona
):
    from needlepoint.screening.models import Consultation
    from needlepoint.treatments.models import PlanSession, TreatmentPlan
    from needlepoint.treatments.services import recommendation_for, recommendation_record

    aria = make_persona("aria", "aesthetician")
    fran = make_persona("fran", "front_desk")
    pat = make_persona("pat", "patient", with_patient=True)
    screening = stored_phone_screening(fran.user, pat.patient)
    pid = pat.patient.pk
    base = live_server.url

    sign_in_as(page, live_server, aria.user)

    # The overview: the stored screening, nothing signed or planned yet.
    page.goto(f"{base}/staff/patients/{pid}/micro-needling/")
    assert page.get_by_role("heading", name="Pat Persona: micro-needling").is_visible()
    screenings = page.locator("table.list").first
    assert "Likely candidate" in screenings.inner_text()
    assert "By phone (staff)" in screenings.inner_text()
    assert page.get_by_text("No consultations yet.").is_visible()
    assert page.get_by_text("No plans yet.").is_visible()
    page.get_by_role("link", name="Consult with this screening").click()

    # The consultation form shows the screening being consulted on.
    page.wait_for_url(re.compile(rf"/consultations/new/\?screening={screening.pk}$"))
    assert page.get_by_role("heading", name="Consultation: Pat Persona").is_visible()
    stored = page.get_by_role(
        "region", name=re.compile(r"^Screening of \w+day \d+ \w+ \d{4}, .*, taken by phone")
    )
    assert "Likely candidate" in stored.inner_text()
    look(page, "staff consultation form with the screening")

    fitzpatrick = page.get_by_role("group", name="Fitzpatrick phototype")
    fitzpatrick.get_by_label("4", exact=True).check()
    page.get_by_label(re.compile(r"^Acne scars")).select_option("3")
    zones = page.get_by_role("group", name="Zones to treat")
    zones.get_by_label("Cheeks", exact=True).check()
    zones.get_by_label("Forehead", exact=True).check()
    page.get_by_label("Notes").fill("Rolling scars on both cheeks.")
    page.get_by_role("group", name=re.compile(r"^Determination")).get_by_label(
        "Candidate", exact=True
    ).check()
    page.get_by_role("button", name="Sign the consultation").click()

    # Signed: the detail page says treatment may be planned.
    page.wait_for_url(re.compile(r"/staff/consultations/\d+/$"))
    consultation = Consultation.objects.get()
    signed_on = consultation.signed_at.astimezone(page_zone()).date()
    assert page.get_by_role(
        "heading", name=f"Consultation with Pat Persona, {signed_on.day} {signed_on:%B %Y}"
    ).is_visible()
    assert "Consultation recorded and signed." in page.locator(".messages").inner_text()
    status = page.get_by_role("status").filter(has_text="Determination now")
    assert "Determination now: Candidate, signed by Aria on " in status.inner_text()
    assert "Treatment may be planned and booked." in status.inner_text()
    assert fact(page, "Fitzpatrick phototype") == "Type 4"
    assert fact(page, "Concerns").startswith("Acne scars, grade 3")
    assert sorted(fact(page, "Zones").split(", ")) == ["Cheeks", "Forehead"]
    assert_reads_as_words(page.content(), usernames={"aria", "fran", "pat"}, where="consultation")
    look(page, "staff consultation signed")
    assert (consultation.signed_by, consultation.screening_id) == (aria.user, screening.pk)
    assert consultation.fitzpatrick == 4
    assert consultation.concerns == [{"concern": "acne_scars", "grade": "3"}]

    # The plan form starts from the recommendation; change the number of sessions.
    recommendation = recommendation_record(recommendation_for(consultation))
    recommended = recommendation["sessions"]
    low, high = recommendation["sessions_range"]
    chosen = recommended + 1 if recommended < high else recommended - 1
    assert low <= chosen <= high
    page.get_by_role("link", name="Create the treatment plan").click()
    page.wait_for_url(re.compile(rf"/staff/consultations/{consultation.pk}/plan/$"))
    assert page.get_by_role("heading", name="Treatment plan for Pat Persona").is_visible()
    look(page, "staff plan form")
    sessions = page.get_by_role("group", name=re.compile(r"^Sessions: recommended"))
    assert sessions.get_by_label("Value").input_value() == str(recommended)
    sessions.get_by_label("Value").fill(str(chosen))

    # Without a reason the change is refused and what was typed stays.
    page.get_by_role("button", name="Create the plan").click()
    reason = sessions.get_by_label("Reason, if you change it")
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert "give the reason" in sessions.locator(".field-error").inner_text()
    assert sessions.get_by_label("Value").input_value() == str(chosen)
    assert not TreatmentPlan.objects.exists()

    reason.fill("Deep rolling scars")
    page.get_by_role("button", name="Create the plan").click()

    # The plan, its override beside the recommendation, and one planned row per session.
    page.wait_for_url(re.compile(r"/staff/plans/\d+/$"))
    plan = TreatmentPlan.objects.get()
    made_on = plan.created_at.astimezone(page_zone()).date()
    assert page.get_by_role(
        "heading", name=f"Treatment plan for Pat Persona, {made_on.day} {made_on:%B %Y}"
    ).is_visible()
    assert fact(page, "Sessions") == (
        f"{chosen} (recommended {recommended}; changed because: Deep rolling scars)"
    )
    assert fact(page, "Status") == "Active"
    assert fact(page, "Created").startswith("by Aria on ")
    assert "Treatment plan created." in page.locator(".messages").inner_text()
    overrides = page.get_by_role("heading", name="Changes from the recommendation").locator(
        "xpath=following-sibling::ul[1]"
    )
    assert (
        f"Sessions: recommended {recommended} sessions, planned {chosen} sessions. "
        "Reason: Deep rolling scars"
    ) in overrides.inner_text()
    assert_reads_as_words(page.content(), usernames={"aria", "fran", "pat"}, where="plan")
    look(page, "staff plan page")
    course = page.get_by_role("table")
    rows = course.get_by_role("row")
    assert rows.count() == chosen + 1  # the header and one row per session
    for index in range(1, chosen + 1):
        cells = rows.nth(index).get_by_role("cell")
        assert cells.nth(0).inner_text() == str(index)
        assert cells.nth(1).inner_text() == "Planned"
    assert plan.sessions == chosen
    assert plan.overrides["sessions"]["reason"] == "Deep rolling scars"
    assert PlanSession.objects.filter(plan=plan, status="planned").count() == chosen

    # Back on the overview: the signed consultation and the plan.
    page.get_by_role("link", name="Back to the patient's micro-needling").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{pid}/micro-needling/$"))
    assert page.get_by_role("link", name=re.compile(r"^Plan of ")).is_visible()  # no record numbers
    assert f"{chosen} sessions every {plan.interval_weeks} weeks" in page.content()
    assert page.get_by_role("link", name="Open").is_visible()


def test_the_front_desk_finds_the_caller_by_name_and_screens_them(live_server, page, make_persona):
    """The phone screening asks for no record number: a name finds the caller to link."""
    from needlepoint.screening.models import Screening

    fran = make_persona("fran", "front_desk")
    pat = make_persona("pat", "patient", with_patient=True)
    sign_in_as(page, live_server, fran.user)
    page.goto(f"{live_server.url}/staff/screenings/new/")
    expect(page.get_by_role("heading", name="Screening by phone", level=1)).to_be_visible()
    assert page.get_by_label(re.compile("record number", re.I)).count() == 0
    page.get_by_label(re.compile(r"^Is the caller already a patient\?")).fill("Persona")
    page.get_by_role("button", name="Find the patient").click()
    callers = page.get_by_role("group", name="Patients found")
    expect(callers).to_be_visible()
    callers.get_by_role("radio", name=re.compile(r"Pat Persona, born 1 May 1990")).check()
    look(page, "staff phone screening: caller found")
    assert_reads_as_words(page.content(), usernames={"fran", "pat"}, where="phone screening")
    assert not Screening.objects.filter(patient=pat.patient).exists()
