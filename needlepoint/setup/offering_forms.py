"""The form of one location's services: offered here or not, and its duration and price here
(an empty box keeps the service's own). Fields are named ``service-<id>-<what>`` so a refusal
from the clinic service lands beside the box it is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from needlepoint.clinic.models import Service
from needlepoint.clinic.offerings import Terms
from needlepoint.clinic.services import OfferingTerms, offering_field


@dataclass(frozen=True)
class OfferingRow:
    """One table row: the service and its three bound fields."""

    service: Service
    offered: forms.BoundField
    duration: forms.BoundField
    price: forms.BoundField


class LocationServicesForm(forms.Form):
    def __init__(
        self, *args: Any, services: list[Service], terms: dict[int, Terms], **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {}
        for service in services:
            now = terms[service.pk]
            initial[offering_field(service, "offered")] = now.offered
            initial[offering_field(service, "duration_minutes")] = (
                now.duration_minutes if now.own_duration else None
            )
            initial[offering_field(service, "price")] = now.price if now.own_price else None
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.services = services
        for service in services:
            self.fields[offering_field(service, "offered")] = forms.BooleanField(
                required=False, label=f"Offer {service.name} here"
            )
            self.fields[offering_field(service, "duration_minutes")] = forms.IntegerField(
                required=False,
                label=f"{service.name}: minutes here",
                widget=forms.NumberInput(
                    attrs={"placeholder": str(service.duration_minutes), "inputmode": "numeric"}
                ),
                error_messages={"invalid": "Enter whole minutes, e.g. 60, or leave it empty."},
            )
            self.fields[offering_field(service, "price")] = forms.DecimalField(
                required=False,
                max_digits=8,
                decimal_places=2,
                label=f"{service.name}: price here ({service.currency})",
                widget=forms.TextInput(
                    attrs={
                        "placeholder": "" if service.price is None else str(service.price),
                        "inputmode": "decimal",
                    }
                ),
                error_messages={"invalid": "Enter an amount such as 250 or 249.50."},
            )

    def rows(self) -> list[OfferingRow]:
        return [
            OfferingRow(
                service=service,
                offered=self[offering_field(service, "offered")],
                duration=self[offering_field(service, "duration_minutes")],
                price=self[offering_field(service, "price")],
            )
            for service in self.services
        ]

    def terms(self) -> list[OfferingTerms]:
        data = self.cleaned_data
        return [
            OfferingTerms(
                service=service,
                offered=bool(data.get(offering_field(service, "offered"))),
                duration_minutes=data.get(offering_field(service, "duration_minutes")),
                price=data.get(offering_field(service, "price")),
            )
            for service in self.services
        ]
