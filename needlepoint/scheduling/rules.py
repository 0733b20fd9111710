"""The booking rules from settings, as the domain engine's values."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from needlepoint.domain.availability import AvailabilityRules


def booking_rules() -> AvailabilityRules:
    return AvailabilityRules(
        grid_minutes=settings.NEEDLEPOINT_SLOT_MINUTES,
        min_notice=timedelta(hours=settings.NEEDLEPOINT_MIN_NOTICE_HOURS),
        horizon=timedelta(days=settings.NEEDLEPOINT_HORIZON_DAYS),
    )


def late_cancel_window() -> timedelta:
    return timedelta(hours=settings.NEEDLEPOINT_LATE_CANCEL_HOURS)
