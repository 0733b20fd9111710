"""The clinic admin's "Public pages": the clinic's name on every page, and the picture at
the top of the public pages, stored through Django's storage and served alone (0511)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from needlepoint.audit.models import AuditEvent
from needlepoint.clinic.models import ClinicProfile

URL = "/staff/setup/public-pages/"


def _photo(kind: str = "PNG", size: tuple[int, int] = (3000, 1500)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 150, 140)).save(out, format=kind)
    out.seek(0)
    out.name = f"harbour.{kind.lower()}"
    return out


def test_without_a_profile_the_pages_show_the_deployment_name_and_the_default_picture(
    clinic: Any, settings: Any
) -> None:
    home = Client().get("/").content.decode()
    assert f"<h1>{settings.NEEDLEPOINT_CLINIC_NAME}</h1>" in home
    assert "site/hero-default.svg" in home
    assert 'alt="A face in profile' in home


def test_the_admin_names_the_clinic_and_sets_a_picture_every_public_page_shows(
    admin: Any, clinic: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert reverse("setup:public_pages") == URL
    response = admin.post(
        URL,
        {"name": "Harbour Skin Clinic", "hero_alt": "Our treatment room", "hero_image": _photo()},
    )
    assert response.status_code == 302
    profile = ClinicProfile.objects.get()
    stored = profile.hero_image.name
    assert default_storage.exists(stored)
    with default_storage.open(stored) as kept:
        image = Image.open(kept)
        assert (image.format, image.width) == ("JPEG", 2400)  # re-encoded, made smaller
    event = AuditEvent.objects.filter(action="clinic.public_pages_update").get()
    assert event.detail == {"name": "Harbour Skin Clinic", "picture": "replaced"}

    visitor = Client()
    for page in ("/", "/micro-needling/"):
        html = visitor.get(page).content.decode()
        assert "Harbour Skin Clinic" in html, page
        assert 'alt="Our treatment room"' in html, page
    picture_url = reverse("site:clinic_picture", args=[stored.rsplit("/", 1)[-1]])
    assert picture_url in visitor.get("/").content.decode()
    served = visitor.get(picture_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"

    # Back to the default picture: the clinic's file is deleted and no longer served.
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(URL, {"name": "Harbour Skin Clinic", "remove_picture": "on"})
    assert not default_storage.exists(stored)
    assert visitor.get(picture_url).status_code == 404
    assert "site/hero-default.svg" in visitor.get("/").content.decode()


def test_the_picture_view_serves_nothing_else_from_the_private_storage(
    admin: Any, clinic: Any
) -> None:
    default_storage.save("photos/patient-1.jpg", _photo("JPEG", (10, 10)))
    visitor = Client()
    assert visitor.get("/clinic/patient-1.jpg/image/").status_code == 404
    assert visitor.get("/clinic/..%2Fphotos%2Fpatient-1.jpg/image/").status_code == 404


def test_a_picture_needs_its_description_and_must_be_a_picture(admin: Any, clinic: Any) -> None:
    refused = admin.post(URL, {"name": "Harbour Skin Clinic", "hero_image": _photo()})
    assert refused.status_code == 422
    assert "say what it shows" in refused.content.decode()
    assert refused.context["form"]["name"].value() == "Harbour Skin Clinic"  # kept

    not_a_picture = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    not_a_picture.name = "logo.svg"
    refused = admin.post(
        URL, {"name": "Harbour", "hero_alt": "A logo", "hero_image": not_a_picture}
    )
    assert refused.status_code == 422
    assert "JPEG, PNG or WebP" in refused.content.decode()
    assert not ClinicProfile.objects.exists()


def test_only_the_clinic_admin_opens_the_public_pages_setup(
    clinic: Any, front_desk: Any, staff_client: Any
) -> None:
    assert staff_client(front_desk).get(URL).status_code == 403
