"""Clinic setup: the clinic's own screening policy and protocol table.

An override is validated by the same parser as the shipped file (errors read
"line N: problem"), saved through the service (audited) and never edited afterwards: a
change is a new version, so every stored screening and plan names exactly one text.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from needlepoint.core.errors import InvalidInput

from . import services
from .models import DataOverride


class DataOverrideForm(forms.ModelForm):
    class Meta:
        model = DataOverride
        fields = ["kind", "text", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None and cleaned.get("kind") and cleaned.get("text"):
            for problem in services.data_override_problems(cleaned["kind"], cleaned["text"]):
                self.add_error("text", problem.message)
        return cleaned


@admin.register(DataOverride)
class DataOverrideAdmin(admin.ModelAdmin):
    form = DataOverrideForm
    list_display = ["kind", "version", "is_active", "created_by", "created_at"]
    list_filter = ["kind", "is_active"]
    actions = ["activate", "deactivate"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Saved versions are immutable; only whether one is in force changes.
        return ["kind", "version", "text", "created_by", "created_at"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # stored screenings and plans name these versions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor: Any = request.user
        if change:
            if "is_active" in form.changed_data:
                services.data_override_set_active(actor=actor, override=obj, active=obj.is_active)
            return
        try:
            created = services.data_override_create(
                actor=actor, kind=obj.kind, text=obj.text, activate=obj.is_active
            )
        except InvalidInput as exc:  # raced with another save of the same version
            raise forms.ValidationError(exc.message) from exc
        obj.pk = created.pk
        obj.refresh_from_db()

    @admin.action(description="Put in force (instead of the shipped file)")
    def activate(self, request: HttpRequest, queryset: Any) -> None:
        for override in queryset:
            services.data_override_set_active(actor=request.user, override=override, active=True)  # type: ignore[arg-type]

    @admin.action(description="Take out of force (back to the shipped file)")
    def deactivate(self, request: HttpRequest, queryset: Any) -> None:
        for override in queryset:
            services.data_override_set_active(actor=request.user, override=override, active=False)  # type: ignore[arg-type]
