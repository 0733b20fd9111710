from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from needlepoint.team.wording import last_sign_in_words

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # Thursday 10:00 am in New York


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (None, "never"),
        (datetime(2026, 12, 3, 14, 5, tzinfo=UTC), "today at 9:05 am"),
        (datetime(2026, 12, 2, 21, 12, tzinfo=UTC), "yesterday at 4:12 pm"),
        (datetime(2026, 12, 3, 4, 30, tzinfo=UTC), "yesterday at 11:30 pm"),  # the clinic's day
        (datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "Monday at 12:00 pm"),
        (datetime(2026, 11, 12, 5, 0, tzinfo=UTC), "Thursday 12 November 2026 at 12:00 am"),
    ],
)
def test_last_sign_in_in_words_in_the_clinics_zone(when, words):
    with timezone.override(ZoneInfo("America/New_York")):
        assert last_sign_in_words(when, NOW) == words
