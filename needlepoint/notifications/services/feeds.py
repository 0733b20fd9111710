"""Calendar feed tokens: create and revoke."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.core.errors import NotFound

from .. import tokens
from ..models import CalendarFeedToken


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeedToken
    raw: str


def calendar_feed_create(*, actor: User, label: str = "") -> NewFeed:
    raw = tokens.new_feed_token()
    with transaction.atomic():
        feed = CalendarFeedToken.objects.create(
            user=actor, token_hash=tokens.feed_token_hash(raw), prefix=raw[:6], label=label[:100]
        )
        record(
            actor=actor,
            action="calendar_feed.create",
            object_type="calendar_feed",
            object_id=feed.pk,
        )
    return NewFeed(feed=feed, raw=raw)


def calendar_feed_revoke(*, actor: User, feed_id: int) -> CalendarFeedToken:
    with transaction.atomic():
        feed = (
            CalendarFeedToken.objects.select_for_update(of=("self",))
            .filter(pk=feed_id, user=actor)
            .first()
        )
        if feed is None:
            raise NotFound("no such calendar feed")
        if feed.revoked_at is None:
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            record(
                actor=actor,
                action="calendar_feed.revoke",
                object_type="calendar_feed",
                object_id=feed.pk,
            )
    return feed
