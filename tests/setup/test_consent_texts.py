"""Consent texts: a new version is published, never an edit; the history shows them all,
and the new version is the one patients sign from then on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.charting.selectors import consent_library
from needlepoint.clinic.models import ConsentText
from needlepoint.domain.errors import DomainError


def _form(admin: Any) -> dict[str, str]:
    library = consent_library()
    data = {"version": "2026.12", "note": "Clearer aftercare"}
    for section in library.current.sections:
        data[f"{section.key}-title"] = section.title
        data[f"{section.key}-text"] = section.text
    return data


def test_publishing_makes_a_new_current_version_and_keeps_the_old_one(admin: Any) -> None:
    before = consent_library().current
    data = _form(admin)
    data["aftercare_duties-text"] += " Call us with any question."
    response = admin.post(reverse("setup:consent_publish"), data)
    assert response.status_code == 302
    library = consent_library()
    assert library.current_version == "2026.12"
    assert library.versions[before.version] == before  # the signed version is untouched
    assert library.current.text_hash != before.text_hash
    with pytest.raises(DomainError):  # patients now sign the new version, not the old one
        library.resolve(before.version)
    row = ConsentText.objects.get(version="2026.12")
    assert AuditEvent.objects.filter(action="consent_text.publish", object_id=str(row.pk)).exists()
    history = admin.get(reverse("setup:consent")).content.decode()
    assert "Version 2026.12" in history and f"Version {before.version}" in history
    assert "Clearer aftercare" in history and "In force" in history
    assert re.search(r"\w+day \d+ \w+ \d{4}, \d+:\d\d [ap]m by Adah", history)


def test_a_version_name_already_used_is_refused_beside_the_version(admin: Any) -> None:
    data = {**_form(admin), "version": consent_library().current_version}
    response = admin.post(reverse("setup:consent_publish"), data)
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert not ConsentText.objects.exists()


def test_a_text_that_drops_a_required_risk_is_refused_beside_the_risks(admin: Any) -> None:
    data = {**_form(admin), "risks-text": "Some redness."}
    response = admin.post(reverse("setup:consent_publish"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "must name the risk of infection" in page
    assert "Some redness.</textarea>" in page  # what was typed stays
    assert consent_library().current_version != "2026.12"


def test_a_published_version_cannot_be_edited_or_deleted(admin: Any) -> None:
    admin.post(reverse("setup:consent_publish"), _form(admin))
    row = ConsentText.objects.get(version="2026.12")
    row.note = "changed"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


def test_each_version_can_be_read(admin: Any) -> None:
    version = consent_library().current_version
    page = admin.get(reverse("setup:consent_version", args=[version])).content.decode()
    assert "In force" in page and "Risks" in page
    assert admin.get(reverse("setup:consent_version", args=["nope"])).status_code == 404
