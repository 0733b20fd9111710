"""A link e-mailed for one record never opens another that reuses its id (after a restore from
a backup, ids are handed out again): manage links and waitlist offers carry the record's own
random secret. Links in the older format (id only) keep working for the record they were sent
for (docs/decisions/0220-link-secrets.md)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing

from tests.booking.test_pages_and_manage_link import _book
from tests.waitlist.test_waitlist import freed_tuesday, join, make_patient, offer_links

pytestmark = pytest.mark.django_db


def _same_id_for_someone_else(record, **changes):
    """Delete the record and write a new one with the same id (what a restore leads to)."""
    model = type(record)
    kept = {
        f.attname: getattr(record, f.attname)
        for f in model._meta.concrete_fields
        if f.name not in {"id", "link_secret", "created_at", "updated_at"}
    }
    record_id = record.pk
    record.delete()
    new = model(id=record_id, **{**kept, **changes})
    new.save(force_insert=True)
    return new


def _legacy_manage_link(appointment_id: int) -> str:
    from needlepoint.notifications.tokens import MANAGE_SALT

    return f"/book/manage/{signing.dumps({'a': appointment_id}, salt=MANAGE_SALT, compress=True)}/"


def test_an_old_manage_link_does_not_open_a_new_appointment_with_the_same_id(
    clinic, client, mailoutbox, frozen, patient
):
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.scheduling.models import Appointment

    path = _book(client, mailoutbox)
    legacy = _legacy_manage_link(Appointment.objects.get().pk)
    assert client.get(path).status_code == 200
    assert client.get(legacy).status_code == 200  # a link in the older format still works

    frozen.shift(timedelta(hours=3))
    OutboxMessage.objects.all().delete()
    other = _same_id_for_someone_else(Appointment.objects.get(), patient_id=patient.patient.pk)
    assert other.patient.email != "grace@example.com"

    for link in (path, legacy):
        response = client.get(link)
        assert response.status_code == 404, link
        assert "Tuesday 2 March 2027" not in response.content.decode()
        assert client.post(link + "cancel/", {"reason": "x"}).status_code == 404
    assert Appointment.objects.get().status == "booked"


def test_the_link_of_the_new_appointment_opens_it(clinic, client, mailoutbox, frozen, patient):
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.tokens import manage_url
    from needlepoint.scheduling.models import Appointment

    _book(client, mailoutbox)
    frozen.shift(timedelta(hours=3))
    OutboxMessage.objects.all().delete()
    other = _same_id_for_someone_else(Appointment.objects.get(), patient_id=patient.patient.pk)
    page = client.get(urlsplit(manage_url(other)).path)
    assert page.status_code == 200 and "Tuesday 2 March 2027" in page.content.decode()


def test_an_old_offer_link_does_not_open_a_new_offer_with_the_same_id(
    clinic, booked, mailoutbox, client, frozen
):
    from needlepoint.waitlist.models import WaitlistOffer
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    join(make_patient(0))
    second = join(make_patient(1))
    freed_tuesday(booked)
    waitlist_offer_freed_slots()
    link = offer_links(mailoutbox)["w0@example.com"]
    assert client.get(link).status_code == 200

    frozen.shift(timedelta(hours=1))
    offer = WaitlistOffer.objects.get(entry__patient__email="w0@example.com")
    WaitlistOffer.objects.exclude(pk=offer.pk).delete()
    _same_id_for_someone_else(offer, entry_id=second.pk)

    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert WaitlistOffer.objects.get().status == "offered"


def test_a_legacy_offer_link_still_opens_its_own_offer(clinic, booked, mailoutbox, client):
    from needlepoint.notifications.tokens import OFFER_SALT
    from needlepoint.waitlist.models import WaitlistOffer
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    join(make_patient(0))
    freed_tuesday(booked)
    waitlist_offer_freed_slots()
    offer = WaitlistOffer.objects.get()
    token = signing.dumps({"o": offer.pk}, salt=OFFER_SALT, compress=True)
    assert client.get(f"/waitlist/offers/{token}/").status_code == 200
