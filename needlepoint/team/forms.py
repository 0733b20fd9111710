from __future__ import annotations

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
