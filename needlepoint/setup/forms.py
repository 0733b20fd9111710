"""The setup pages' forms: they parse what was typed; the clinic services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES, Role
from needlepoint.clinic.models import Device, Location, RoomKind, ScheduleException
from needlepoint.clinic.services import WEEKDAYS
from needlepoint.domain.charting import CONSENT_SECTIONS

from .labels import zone_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
STAFF_ROLE_CHOICES = [(r.value, r.label) for r in Role if r.value in STAFF_ROLES]
SECTION_TITLES = {
    "procedure": "The procedure",
    "risks": "Risks",
    "alternatives": "Alternatives",
    "no_guarantee": "No guarantee",
    "several_sessions": "Several sessions",
    "aftercare_duties": "Aftercare duties",
    "capacity_and_voluntariness": "Capacity and free choice",
}


class LocationChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Location.objects.order_by("name"), empty_label=None, **kwargs)


class StaffChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        super().__init__(
            queryset=staff.order_by("first_name", "last_name"),
            to_field_name="public_id",
            empty_label=None,
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class LocationForm(forms.Form):
    name = forms.CharField(max_length=200)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(max_length=64, required=False)
    opening_hours = forms.CharField(
        max_length=300,
        required=False,
        help_text=(
            "As patients read it, e.g. Monday to Friday, 9 am to 6 pm. Leave empty to show "
            "the hours staff work here."
        ),
    )
    time_zone = forms.ChoiceField(
        help_text='The clinic\'s clocks: appointments and "today" follow this time zone.'
    )

    def __init__(self, *args: Any, current_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices(current_zone)  # type: ignore[attr-defined]


class RoomForm(forms.Form):
    location = LocationChoice()
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=RoomKind.choices, label="Kind of room")


class PenForm(forms.Form):
    location = LocationChoice()
    label = forms.CharField(
        max_length=80, help_text="As on the pen's sticker, e.g. micropen-3. Charts name it."
    )
    model_name = forms.CharField(max_length=200, label="Model")
    serial_number = forms.CharField(max_length=100, label="Serial number")


class PenStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Device.Status.choices, label="Status")


class ServiceForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    duration_minutes = forms.IntegerField(label="Duration (minutes)")
    buffer_after_minutes = forms.IntegerField(
        label="Buffer after (minutes)",
        initial=0,
        help_text="Time kept free after each appointment for cleaning and notes.",
    )
    room_kind = forms.ChoiceField(choices=RoomKind.choices, label="Room it needs")
    performer_roles = forms.MultipleChoiceField(
        choices=STAFF_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Who performs it",
    )
    needs_device = forms.BooleanField(required=False, label="Needs a pen")
    is_treatment = forms.BooleanField(
        required=False,
        label="Needs a candidate determination",
        help_text="A treatment: booked only with a current determination and an active plan.",
    )
    online_booking = forms.BooleanField(required=False, label="Patients may book it online")
    price = forms.DecimalField(
        required=False, decimal_places=2, help_text="Leave empty if the price is given at the desk."
    )
    currency = forms.CharField(max_length=3, initial="USD", help_text="Three letters, e.g. USD.")


class ClosureForm(forms.Form):
    location = LocationChoice()
    date = forms.DateField(widget=DATE)
    reason = forms.CharField(max_length=300, required=False, help_text="E.g. public holiday.")


class ExceptionForm(forms.Form):
    staff = StaffChoice(label="Staff member")
    location = LocationChoice()
    date = forms.DateField(widget=DATE)
    kind = forms.ChoiceField(choices=ScheduleException.Kind.choices, label="What")
    start = forms.TimeField(
        widget=TIME, required=False, help_text="Leave both times empty for a whole day off."
    )
    end = forms.TimeField(widget=TIME, required=False)
    note = forms.CharField(max_length=300, required=False)


class WeekGridForm(forms.Form):
    """Monday to Sunday, one start and end per location: ``monday-main-start``."""

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locations = locations
        for day in WEEKDAYS:
            for location in locations:
                for end in ("start", "end"):
                    verb = "starts" if end == "start" else "ends"
                    label = f"{day.title()} at {location.name}: {verb}"
                    self.fields[f"{day}-{location.slug}-{end}"] = forms.TimeField(
                        widget=TIME, required=False, label=label
                    )


class ConsentTextForm(forms.Form):
    version = forms.CharField(
        max_length=64, help_text="A new name, e.g. 2026.12. Signed versions are never changed."
    )
    note = forms.CharField(
        max_length=400, required=False, label="What changed", help_text="Kept in the history."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in CONSENT_SECTIONS:
            name = SECTION_TITLES.get(key, key.replace("_", " "))
            self.fields[f"{key}-title"] = forms.CharField(
                max_length=200, label=f"{name}: heading", required=False
            )
            self.fields[f"{key}-text"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 5}), label=f"{name}: text", required=False
            )

    def section_fields(self) -> list[tuple[str, Any, Any]]:
        return [
            (SECTION_TITLES.get(k, k), self[f"{k}-title"], self[f"{k}-text"])
            for k in CONSENT_SECTIONS
        ]


class PublicPagesForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Clinic name",
        help_text="At the top of every page, in the browser tab and on the home page.",
    )
    hero_image = forms.FileField(
        required=False,
        label="Picture at the top of the public pages",
        help_text="A JPEG, PNG or WebP photo, landscape, at least 1200 pixels wide. "
        "Leave empty to keep the one shown.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    hero_alt = forms.CharField(
        max_length=300,
        required=False,
        label="What the picture shows",
        help_text="Read aloud to people who cannot see it, e.g. “Our treatment room, with "
        "the window onto the harbour”.",
    )
    remove_picture = forms.BooleanField(
        required=False, label="Use the picture that comes with Needlepoint instead"
    )
