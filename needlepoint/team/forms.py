from __future__ import annotations

from typing import Any

from django import forms

from needlepoint.accounts.roles import STAFF_ROLES, Role

ROLE_CHOICES = [(role.value, role.label) for role in Role if role in STAFF_ROLES]


class InviteForm(forms.Form):
    # Lengths and formats are checked by the service (accounts.services.staff_invite), which
    # names the field; the form only carries what was typed.
    full_name = forms.CharField(
        label="Full name",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.CharField(
        label="E-mail address",
        max_length=300,
        required=False,
        help_text="The invitation goes here; they sign in with it.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *ROLE_CHOICES],
        required=False,
    )


class RoleForm(forms.Form):
    # An unknown role is refused by the service (staff_role_change), which names this field.
    role = forms.CharField(label="Role", required=False, widget=forms.Select(choices=ROLE_CHOICES))


class LocationsForm(forms.Form):
    """Where a staff member works (decision 0700): the locations, in words, ticked; "all
    locations (group)" is offered to a group admin only."""

    locations = forms.TypedMultipleChoiceField(
        label="Works at",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They see and book only these locations' calendars.",
    )
    group_wide = forms.BooleanField(
        label="All locations (group), including locations added later", required=False
    )

    def __init__(
        self, *args: Any, choices: list[tuple[int, str]], may_grant_group: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locations"].choices = choices  # type: ignore[attr-defined]
        if not may_grant_group:
            del self.fields["group_wide"]


class InviteWithLocationsForm(InviteForm, LocationsForm):
    field_order = ["full_name", "email", "role", "locations", "group_wide"]
