"""The import page's two forms: choose and check a file; then import what was checked."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from django import forms
from django.core import signing

from needlepoint.clinic.models import Location

MAX_BYTES = 1_000_000  # bigger files: `needlepoint import patients FILE` (docs/operations.md)
DATE_ORDERS = [
    ("", "As the file shows (never guessed)"),
    ("dmy", "Day first: 31/12/1980"),
    ("mdy", "Month first: 12/31/1980"),
]
_SALT = "needlepoint.setup.import"


class ImportOptions(forms.Form):
    date_order = forms.ChoiceField(
        label="How the file writes dates", choices=DATE_ORDERS, required=False
    )
    location = forms.ModelChoiceField(
        label="Book appointments at",
        queryset=Location.objects.order_by("name"),
        to_field_name="slug",
        empty_label=None,
    )
    column_map = forms.CharField(
        label="Other column names (optional)",
        required=False,
        max_length=1000,
        help_text="For columns the usual names miss, for example: "
        "Forename=first name, Mobile no=phone, Notes=ignore",
    )


class ImportFileForm(ImportOptions):
    file = forms.FileField(
        label="Export from the old system (CSV or FHIR JSON)",
        help_text="Up to 1 MB. A bigger file can be imported by the command line.",
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("is bigger than 1 MB; import it with the command line")
        return bytes(upload.read())


def sealed(data: bytes) -> str:
    """A signature of exactly the bytes that were checked, so the import is of that file."""
    return signing.dumps(hashlib.sha256(data).hexdigest(), salt=_SALT)


class ImportConfirmForm(ImportOptions):
    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES * 2)
    seal = forms.CharField(widget=forms.HiddenInput)
    skip_refused = forms.BooleanField(
        label="Leave out the refused lines and import the others", required=False
    )

    @classmethod
    def carrying(cls, data: bytes, options: dict[str, Any]) -> ImportConfirmForm:
        initial = {
            **options,
            "location": options["location"].slug,
            "content": base64.b64encode(data).decode(),
            "seal": sealed(data),
        }
        return cls(initial=initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            data = base64.b64decode(cleaned.get("content", ""), validate=True)
            valid = signing.loads(cleaned.get("seal", ""), salt=_SALT)
        except (binascii.Error, signing.BadSignature):
            raise forms.ValidationError("the checked file was lost; choose it again") from None
        if valid != hashlib.sha256(data).hexdigest():
            raise forms.ValidationError("the checked file was changed; choose it again")
        cleaned["data"] = data
        return cleaned
