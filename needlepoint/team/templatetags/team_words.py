"""The audit trail page (site) shows the team pages' actions in words."""

from __future__ import annotations

from django import template

from needlepoint.team.wording import AUDIT_ACTION_WORDS

register = template.Library()


@register.filter
def audit_action_words(action: str) -> str:
    """`staff.deactivate` → "Deactivated a staff member"; other actions as recorded."""
    return AUDIT_ACTION_WORDS.get(str(action), str(action))
