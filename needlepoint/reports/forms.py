from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

# A report over more than two years is a query nobody needs on a page.
LONGEST = timedelta(days=731)


class RangeForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.ChoiceField(label="Location or group", required=False)

    def __init__(self, data: Any, *, choices: list[tuple[str, str]], today: date) -> None:
        initial = {"start": today - timedelta(weeks=12), "end": today, "location": ""}
        super().__init__(data or None, initial=initial)
        location: Any = self.fields["location"]
        location.choices = [("", "All locations (the group)"), *choices]
        self.today = today

    def range(self) -> tuple[date, date, str]:
        if not self.is_bound:
            return self.initial["start"], self.initial["end"], ""
        values = self.cleaned_data
        return values["start"], values["end"], values["location"] or ""

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        start, end = values.get("start"), values.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The last day must be on or after the first day.")
            elif end - start > LONGEST:
                self.add_error("end", "Choose two years or less.")
        return values
