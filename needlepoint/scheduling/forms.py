from __future__ import annotations

from typing import Any

from django import forms

from needlepoint.clinic.models import Location, Service
from needlepoint.core.errors import InvalidInput
from needlepoint.core.inputs import parse_date


class BoundedDateField(forms.DateField):
    """A date the calendar can show a week either side of (core.inputs' bounds)."""

    def to_python(self, value: Any) -> Any:
        day = super().to_python(value)
        if day is not None:
            try:
                parse_date(day, "date")
            except InvalidInput as exc:
                raise forms.ValidationError(exc.problems[0].message) from None
        return day


OVERRIDE_LABEL = "Reason to book closer than the plan's spacing (clinicians only)"


def _spacing_override_field() -> forms.CharField:
    return forms.CharField(
        label=OVERRIDE_LABEL,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the session is refused as too close to another of its course.",
    )


class _SpacingOverrideMixin(forms.Form):
    """The override reason is offered only to those who may give one (aesthetician,
    physician); for everyone else the field isn't there at all."""

    def __init__(self, *args: Any, may_override_spacing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_override_spacing:
            self.fields["spacing_override_reason"] = _spacing_override_field()


class BookingForm(_SpacingOverrideMixin):
    """Book on behalf of a caller: who (patient), what (service), when (date, then a slot)."""

    q = forms.CharField(label="Find the patient", required=False, max_length=200)
    patient = forms.IntegerField(label="Patient record number", min_value=1)
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(active=True), to_field_name="slug", empty_label=None
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.all(), to_field_name="slug", empty_label=None
    )
    date = BoundedDateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.CharField(label="With (optional username)", required=False, max_length=150)
    start = forms.CharField(label="Time", required=False, max_length=64)
    notes = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient"].required = False


class RescheduleForm(_SpacingOverrideMixin):
    date = BoundedDateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.CharField(label="With (optional username)", required=False, max_length=150)
    start = forms.CharField(label="Time", required=False, max_length=64)


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500)
