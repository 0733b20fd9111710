"""The charting pages in words people read (issue #12): no rule code, enum value, username
or ISO timestamp as the text a person reads. A rule code may stay as a small reference, in
a <small> or <code> element, never as the message."""

from __future__ import annotations

import re

import pytest

from needlepoint.charting import wording

pytestmark = pytest.mark.django_db

RULE_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?\b")
ENUM = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def read_text(html: str) -> str:
    """What a person reads: the <main> text without tags, attributes, and the small
    references (<small>, <code>) a rule code may live in."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<(small|code)\b[^>]*>.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"<(script|style|template)\b[^>]*>.*?</\1>", " ", main, flags=re.S)
    # Values of form controls are data, not text (a typed date, an option's value).
    return re.sub(r"<[^>]+>", " ", main)


def codes_outside_references(html: str, code: str) -> int:
    return read_text(html).count(code)


def assert_in_words(html: str) -> None:
    text = read_text(html)
    assert not RULE_CODE.findall(text), RULE_CODE.findall(text)
    assert not ISO.findall(text), ISO.findall(text)
    assert not ENUM.findall(text), ENUM.findall(text)


def test_tidy_turns_iso_dates_into_words_and_one_months_into_one_month():
    assert wording.tidy("wait 1 months after 2027-03-01") == (
        "wait 1 month after Monday 1 March 2027"
    )
    assert wording.tidy("expires in 1 days; 2 weeks") == "expires in 1 day; 2 weeks"
    assert wording.tidy("at 2026-12-02T03:57") == "at Wednesday 2 December 2026, 3:57 am"


def test_the_day_of_answers_are_the_screenings_in_the_screenings_order():
    assert wording.tri_state_choices() == [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")]


def test_the_sign_step_of_a_charted_session_reads_in_words(day, staff_client, aesthetician):
    aesthetician.user.first_name, aesthetician.user.last_name = "Aria", "Lindqvist"
    aesthetician.user.save(update_fields=["first_name", "last_name"])
    day.ready()
    assert day.chart().status_code == 201
    page = staff_client(aesthetician).get(f"/staff/appointments/{day.id}/treatment/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="step-sign"' in html
    assert_in_words(html)
    text = read_text(html)
    assert "Cheeks: 1.25 mm, 3 passes, within the plan" in text
    assert "Charted by" in text and "Aria Lindqvist" in text
    assert "Pinpoint bleeding" in text
    assert re.search(r"Monday 1 March 2027, \d{1,2}:\d{2} [ap]m", text)
    # The rule code is there, but only as a small reference.
    assert "DEPTH_OK" in html and codes_outside_references(html, "DEPTH_OK") == 0
    assert re.search(r"<small><code>DEPTH_OK</code></small>", html)


def test_a_blocked_day_of_check_shows_reasons_as_words(day, staff_client, aesthetician):
    assert day.consent().status_code == 201
    assert day.check(active_cold_sore="yes").status_code in (201, 409)
    html = staff_client(aesthetician).get(f"/staff/appointments/{day.id}/treatment/")
    html = html.content.decode()
    assert 'id="blocked"' in html and "Do not treat today" in html
    assert_in_words(html)


def test_a_refused_day_of_check_names_the_question_not_a_code(day, staff_client, aesthetician):
    assert day.consent().status_code == 201
    url = f"/staff/appointments/{day.id}/treatment/"
    response = staff_client(aesthetician).post(url, {"step": "day_of"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "choose Yes, No or Not sure" in html
    assert codes_outside_references(html, "VALUE_INVALID") == 0
    assert "<code>VALUE_INVALID</code>" in html
    # The form is shown again with the screening's answers.
    assert html.index('value="yes"') < html.index('value="no"') < html.index('value="unsure"')


def test_the_step_list_says_done_now_and_to_do(day, staff_client, aesthetician):
    assert day.consent().status_code == 201
    client = staff_client(aesthetician)
    html = client.get(f"/staff/appointments/{day.id}/treatment/").content.decode()
    states = re.findall(r'data-step="(\w+)".*?day-step-state">([^<]+)<', html, flags=re.S)
    assert states == [
        ("consent", "Done"),
        ("day_of_check", "Now"),
        ("photos", "Done"),  # the clinic fixture's patient has her baseline photos
        ("chart", "To do"),
        ("sign", "To do"),
    ]
    # Each step is its own URL, so the page works without JavaScript.
    chart = client.get(f"/staff/appointments/{day.id}/treatment/?step=chart")
    text = chart.content.decode()
    assert "Record a day-of check that passes first" in text and 'id="chart-form"' not in text


def test_the_baseline_photo_requirement_shows_before_signing(day, staff_client, aesthetician):
    from needlepoint.outcomes.models import Photo

    Photo.objects.all().delete()
    day.ready()
    assert day.chart().status_code == 201
    client = staff_client(aesthetician)
    html = client.get(f"/staff/appointments/{day.id}/treatment/?step=sign").content.decode()
    assert 'id="baseline-before-signing"' in html
    assert "Front" in read_text(html)
    assert 'id="capture-before-signing"' in html and "/photos/" in html
    photos = client.get(f"/staff/appointments/{day.id}/treatment/?step=photos").content.decode()
    assert 'id="baseline-required"' in photos and 'id="capture-baseline"' in photos


def test_the_chart_page_names_people_and_dates_in_words(day, staff_client, physician):
    physician.user.first_name, physician.user.last_name = "Phil", "Okafor"
    physician.user.save(update_fields=["first_name", "last_name"])
    chart = day.signed_chart()
    url = f"/staff/charts/{chart['id']}/"
    client = staff_client(physician)
    assert client.post(url, {"action": "cosign"}).status_code == 302
    html = client.get(url).content.decode()
    assert "co-signed by Phil Okafor" in html
    # The topical by its name on the sterile-products list, not the slug the chart stores.
    assert "Sterile hyaluronic acid serum (single-use vial) lot HA2611" in html
    assert "sterile-ha-serum" not in read_text(html)
    assert_in_words(html)


def test_the_cosign_queue_and_timeline_read_in_words(day, staff_client, physician, patient):
    day.signed_chart()
    client = staff_client(physician)
    queue = client.get("/staff/charts/cosign/").content.decode()
    assert "Aria" in read_text(queue) and "Monday 1 March 2027" in read_text(queue)
    assert_in_words(queue)
    timeline = client.get(f"/staff/patients/{patient.patient.pk}/treatment-timeline/")
    assert_in_words(timeline.content.decode())


def test_stock_warnings_are_messages_with_the_code_as_a_reference(
    staff_client, clinic_admin, clinic
):
    html = staff_client(clinic_admin).get("/staff/inventory/").content.decode()
    assert "<code>LOT_EXPIRING</code>" in html
    assert codes_outside_references(html, "LOT_EXPIRING") == 0
    assert_in_words(html)


@pytest.mark.parametrize("step", ["consent", "day_of_check", "photos", "chart", "sign"])
def test_every_step_screen_reads_in_words(day, staff_client, aesthetician, step):
    day.ready()
    url = f"/staff/appointments/{day.id}/treatment/?step={step}"
    response = staff_client(aesthetician).get(url)
    assert response.status_code == 200
    assert_in_words(response.content.decode())


def test_the_adverse_event_pages_read_in_words(day, staff_client, aesthetician, physician, patient):
    chart = day.signed_chart()
    client = staff_client(physician)
    form = client.get(
        f"/staff/patients/{patient.patient.pk}/adverse-events/new/?chart={chart['id']}"
    )
    assert form.status_code == 200
    assert_in_words(form.content.decode())
    report = client.get("/staff/reports/adverse-events/")
    assert report.status_code == 200
    assert_in_words(report.content.decode())


def test_the_kiosk_reads_in_words_even_when_it_refuses(day, staff_client, aesthetician):
    client = staff_client(aesthetician)
    assert client.post(f"/staff/appointments/{day.id}/treatment/kiosk/start/").status_code == 302
    url = f"/staff/appointments/{day.id}/treatment/kiosk/"
    shown = client.get(url)
    assert shown.status_code == 200
    assert_in_words(shown.content.decode())
    refused = client.post(url, {"step": "consent", "signature": ""})
    assert refused.status_code == 422
    assert_in_words(refused.content.decode())
