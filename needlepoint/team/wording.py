"""Staff accounts in words: a role, a status, a last sign-in ("yesterday at 4:12 pm")."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from needlepoint.accounts.roles import role_may
from needlepoint.core.labels import clock_words

INVITED = "invited"
ACTIVE = "active"
DEACTIVATED = "deactivated"

STATUS_WORDS = {
    INVITED: "Invited (no password chosen yet)",
    ACTIVE: "Active",
    DEACTIVATED: "Deactivated (cannot sign in)",
}


def status_of(*, is_active: bool, has_password: bool) -> str:
    if not is_active:
        return DEACTIVATED
    return ACTIVE if has_password else INVITED


def clock_time(moment: datetime) -> str:
    """4:12 pm (the one clock style, core.labels.clock_words)."""
    return clock_words(moment)


def last_sign_in_words(when: datetime | None, now: datetime) -> str:
    """In the active time zone (the clinic's, on pages): "never", "today at 9:05 am",
    "yesterday at 4:12 pm", "Monday at 8:30 am" within the week, else the full date."""
    if when is None:
        return "never"
    local = timezone.localtime(when)
    days = (timezone.localtime(now).date() - local.date()).days
    at = clock_time(local)
    if days == 0:
        return f"today at {at}"
    if days == 1:
        return f"yesterday at {at}"
    if 1 < days < 7:
        return f"{local:%A} at {at}"
    return f"{local:%A} {local.day} {local:%B %Y} at {at}"


# What a role change gives or takes away, in a clinic's words. Each area stands for one
# capability of accounts/roles.py (docs/roles.md), so the sentence is true by construction.
ROLE_AREAS: tuple[tuple[str, str], ...] = (
    ("chart.write", "see and record the clinical pages (consultations, charts and photos)"),
    ("consultation.clear", "clear consultations, co-sign charts"),
    ("followup.read", "see the follow-up list"),
    ("staff.manage", "manage staff, clinic setup and the audit trail"),
)


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def role_change_words(name: str, old: str, new: str) -> list[str]:
    """ "Dana Lee will be able to …", "Dana Lee will no longer be able to …"."""
    gained = [words for cap, words in ROLE_AREAS if role_may(new, cap) and not role_may(old, cap)]
    lost = [words for cap, words in ROLE_AREAS if role_may(old, cap) and not role_may(new, cap)]
    sentences = []
    if gained:
        sentences.append(f"{name} will be able to {_joined(gained)}.")
    if lost:
        sentences.append(f"{name} will no longer be able to {_joined(lost)}.")
    if not sentences:
        sentences.append(f"{name} will see the same pages as before.")
    return sentences
