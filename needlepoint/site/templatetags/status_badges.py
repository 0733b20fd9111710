"""A status as a badge: the word people read, in the colour of its tone (docs/design-system.md).

`{% status_badge appointment.status appointment.get_status_display %}` renders
`<span class="badge badge-info">Booked</span>`. The word always comes along: colour never
carries the meaning alone. Statuses of different records share a code's tone (a "cancelled"
appointment and a "cancelled" plan both read as a stop); a code nobody gave a tone is a plain,
neutral badge.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from needlepoint.core.labels import humanise

register = template.Library()

# Status code → badge tone ("" is the neutral badge).
STATUS_TONES = {
    # appointments, plan sessions, waitlist entries
    "booked": "info",
    "completed": "ok",
    "done": "ok",
    "cancelled": "bad",
    "no_show": "bad",
    "planned": "",
    # charts
    "draft": "warn",
    "signed": "ok",
    "amended": "info",
    "awaiting_cosign": "warn",
    "cosigned": "ok",
    # follow-ups
    "proposed": "info",
    "missed": "bad",
    "upcoming": "",
    "due": "warn",
    "dismissed": "",
    # waitlist
    "waiting": "info",
    "withdrawn": "",
    "closed": "",
    # plans
    "active": "ok",
    # consultations and clearances
    "candidate": "ok",
    "not_candidate": "bad",
    "physician_clearance_required": "warn",
    "awaiting_clearance": "warn",
    "cleared": "ok",
    "not_cleared": "bad",
}

# Words for states that have no model label (follow-up states are read, not stored).
STATUS_WORDS = {
    "proposed": "Not booked yet",
    "booked": "Booked",
    "done": "Done",
    "missed": "Missed",
    "upcoming": "Not due yet",
    "due": "Due",
    "dismissed": "Dismissed",
    "awaiting_cosign": "Awaiting co-signature",
    "awaiting_clearance": "Awaiting clearance",
}


def status_class(status: object) -> str:
    tone = STATUS_TONES.get(str(status), "")
    return f"badge badge-{tone}" if tone else "badge"


@register.simple_tag
def status_badge(status: object, words: object = "") -> SafeString:
    """The badge for `status`, reading `words` (or the state's own words when none are given)."""
    text = str(words) if words else STATUS_WORDS.get(str(status), humanise(status))
    return format_html('<span class="{}">{}</span>', status_class(status), text)
