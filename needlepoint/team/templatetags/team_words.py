"""The team pages' actions in words, from the audit trail's one table of labels."""

from __future__ import annotations

from django import template

from needlepoint.audit.wording import action_label

register = template.Library()


@register.filter
def audit_action_words(action: str) -> str:
    """`staff.deactivate` → "Deactivated a staff member"."""
    return action_label(str(action))
