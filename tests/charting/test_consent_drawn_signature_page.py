"""The tablet's consent step takes a drawn signature (a PNG from the pad) as well as the
typed full name; the drawing is stored whole and immutable with the consent record."""

from __future__ import annotations

import base64
import io
import os

import pytest

pytestmark = pytest.mark.django_db


def png_data_url(width: int = 60, height: int = 20, *, noise: bool = False) -> str:
    from PIL import Image

    image = Image.new("RGB", (width, height), "white")
    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        for x in range(5, width - 5):
            image.putpixel((x, height // 2), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def sign(client, appointment_id, **fields):
    body = {"step": "consent", "signature_kind": "drawn", "photo_release": "on", **fields}
    return client.post(f"/staff/appointments/{appointment_id}/treatment/", body)


def test_a_drawn_signature_is_stored_with_the_consent(day, staff_client, aesthetician, patient):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.charting import selectors as sel
    from needlepoint.charting.models import ConsentSignature

    client = staff_client(aesthetician)
    drawing = png_data_url()
    response = sign(client, day.id, signature_drawing=drawing, signature="")
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = ConsentSignature.objects.get()
    current = sel.consent_library().current
    assert consent.signature_kind == "drawn" and consent.signature == drawing
    assert consent.signer_name == patient.patient.full_name
    assert (consent.version, consent.text_hash) == (current.version, current.text_hash)
    assert consent.source == "tablet" and consent.collected_by_id == aesthetician.user.pk
    assert consent.photo_release
    assert AuditEvent.objects.filter(action="consent.sign").count() == 1
    page = client.get(f"/staff/appointments/{day.id}/treatment/").content.decode()
    assert 'id="step-day-of"' in page and "(drawn signature)" in page
    # The signed consent, with its drawing, is on the consent step's own screen.
    page = client.get(f"/staff/appointments/{day.id}/treatment/?step=consent").content.decode()
    assert f'src="{drawing}"' in page
    # Immutable: the row refuses a change.
    consent.signature = png_data_url(10, 10)
    with pytest.raises(ValueError, match="immutable"):
        consent.save()


@pytest.mark.parametrize(
    ("drawing", "rule", "message"),
    [
        ("", "SIGNATURE_REQUIRED", "draw the signature in the box"),
        ("data:image/jpeg;base64,/9j/4AAQ", "VALUE_INVALID", "must be a PNG image"),
        ("data:image/png;base64,bm90IGEgcG5n", "VALUE_INVALID", "not a valid PNG"),
        ("data:image/png;base64,@@@@", "VALUE_INVALID", "not a valid PNG"),
        ("javascript:alert(1)", "VALUE_INVALID", "must be a PNG image"),
    ],
)
def test_a_bad_drawing_is_refused_by_its_field(
    day, staff_client, aesthetician, drawing, rule, message
):
    from needlepoint.charting.models import ConsentSignature

    response = sign(staff_client(aesthetician), day.id, signature_drawing=drawing)
    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="id_signature_drawing_error"' in text
    assert message in text and rule in text
    assert 'value="drawn" checked' in text.replace(' id="id_signature_kind_drawn"', "")
    assert not ConsentSignature.objects.exists()


def test_a_drawing_over_the_size_limit_is_refused(day, staff_client, aesthetician):
    from needlepoint.charting.models import ConsentSignature
    from needlepoint.domain.charting import MAX_DRAWN_SIGNATURE_BYTES

    drawing = png_data_url(400, 400, noise=True)
    assert len(base64.b64decode(drawing.split(",", 1)[1])) > MAX_DRAWN_SIGNATURE_BYTES
    response = sign(staff_client(aesthetician), day.id, signature_drawing=drawing)
    assert response.status_code == 422
    text = response.content.decode()
    assert "too large" in text and 'id="id_signature_drawing_error"' in text
    # The oversized drawing is not echoed back into the page.
    assert drawing not in text
    assert not ConsentSignature.objects.exists()


def test_a_good_drawing_is_kept_when_something_else_is_refused(day, staff_client, aesthetician):
    from needlepoint.charting.models import ConsentSignature

    drawing = png_data_url()
    response = sign(
        staff_client(aesthetician), day.id, signature_drawing=drawing, consent_version="0.1-old"
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert f'value="{drawing}"' in text
    assert not ConsentSignature.objects.exists()


def test_the_typed_name_still_signs_when_the_pad_is_offered(day, staff_client, aesthetician):
    from needlepoint.charting.models import ConsentSignature

    client = staff_client(aesthetician)
    page = client.get(f"/staff/appointments/{day.id}/treatment/").content.decode()
    assert "<canvas" in page and "treatments/signature-pad.js" in page
    response = sign(
        client, day.id, signature_kind="typed", signature="Pat Persona", signature_drawing=""
    )
    assert response.status_code == 302
    consent = ConsentSignature.objects.get()
    assert consent.signature_kind == "typed" and consent.signer_name == "Pat Persona"


@pytest.mark.parametrize(
    "drawing",
    ["data:image/jpeg;base64,/9j/4AAQ", "data:image/png;base64,not-base64!", "javascript:alert(1)"],
)
def test_the_api_refuses_a_drawn_signature_that_is_not_a_png_like_the_page_does(day, drawing):
    response = day.consent(signature_kind="drawn", signature=drawing)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "signature"


def test_the_api_stores_a_real_drawn_signature(day):
    drawing = png_data_url()
    response = day.consent(signature_kind="drawn", signature=drawing)
    assert response.status_code == 201, response.content
