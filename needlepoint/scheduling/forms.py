from __future__ import annotations

from typing import Any

from django import forms

from needlepoint.clinic.models import Location, Service
from needlepoint.core.errors import InvalidInput
from needlepoint.core.inputs import parse_date

from .wording import pen_choice


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


def _choices(blank: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", blank), *pairs]


class _ResourcesMixin(forms.Form):
    """Staff, rooms and pens chosen from the location's lists, by name (never typed).

    ``resources`` is ``caller_selectors.booking_resources(location=…)``; without it the lists are
    empty and only "anyone" can be chosen."""

    def _offer(self, resources: Any) -> None:
        staff = [(u.username, u.display_name) for u in getattr(resources, "staff", [])]
        self.fields["staff"].choices = _choices("Anyone free", staff)  # type: ignore[attr-defined]
        if "room" in self.fields:
            rooms = [(r.slug, r.name) for r in getattr(resources, "rooms", [])]
            self.fields["room"].choices = _choices("Any free room", rooms)  # type: ignore[attr-defined]
            pens = [(d.slug, pen_choice(d)) for d in getattr(resources, "devices", [])]
            self.fields["device"].choices = _choices("Any free pen", pens)  # type: ignore[attr-defined]


class BookingForm(_ResourcesMixin, _SpacingOverrideMixin):
    """Book on behalf of a caller: who (patient, found by name, phone or date of birth), what
    (service), when (date, then one of the free times) and, if wanted, with whom and where."""

    q = forms.CharField(
        label="Find the patient",
        required=False,
        max_length=200,
        help_text="Type a name, phone number or date of birth.",
    )
    patient = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(active=True).order_by("name"),
        to_field_name="slug",
        empty_label="Choose a service",
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.order_by("name"), to_field_name="slug", empty_label=None
    )
    date = BoundedDateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.ChoiceField(label="With", required=False)
    room = forms.ChoiceField(label="Room", required=False)
    device = forms.ChoiceField(label="Pen", required=False)
    start = forms.CharField(label="Time", required=False, max_length=64)
    notes = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, resources: Any = None, locations: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._offer(resources)
        if locations is not None:
            # Only where the staff member may act (decision 0700).
            self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class RescheduleForm(_ResourcesMixin, _SpacingOverrideMixin):
    # Only when the clinic has several locations: a visit may move to another (0713).
    location = forms.ChoiceField(label="Where", required=False)
    date = BoundedDateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.ChoiceField(label="With", required=False)
    start = forms.CharField(label="Time", required=False, max_length=64)

    def __init__(
        self, *args: Any, resources: Any = None, locations: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._offer(resources)
        places = [(place.slug, place.name) for place in locations]
        if len(places) > 1:
            self.fields["location"].choices = places  # type: ignore[attr-defined]
        else:
            del self.fields["location"]


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=500)


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class CourseForm(_ResourcesMixin):
    """A whole course from the plan: which treatment, where, with whom, on which weekdays,
    from when. Empty choices leave it to the engine (anyone qualified, any weekday, as soon
    as the plan's spacing allows)."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(active=True, is_treatment=True).order_by("name"),
        to_field_name="slug",
        empty_label=None,
        label="Treatment",
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.order_by("name"), to_field_name="slug", empty_label=None
    )
    staff = forms.ChoiceField(label="With", required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label="On these weekdays (none ticked: any day)",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    earliest = BoundedDateField(
        label="First session no earlier than",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self, *args: Any, resources: Any = None, locations: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._offer(resources)
        if locations is not None:
            # Only where the staff member may act (decision 0700).
            self.fields["location"].queryset = locations  # type: ignore[attr-defined]
