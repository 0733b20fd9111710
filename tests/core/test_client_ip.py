"""Behind the documented TLS proxy each person keeps their own address: sign-in limits,
public booking limits and the audit trail read it through one function, and a forwarded
address is believed only when the operator says how many proxies write it."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings

from needlepoint.core.client_ip import client_address
from tests.notifications.clinic_fixtures import (  # noqa: F401
    _clean_caches_and_sms,
    clinic,
    frozen,
)

PROXY = "127.0.0.1"
BEHIND_ONE_PROXY = override_settings(NEEDLEPOINT_TRUSTED_PROXIES=1, ALLAUTH_TRUSTED_PROXY_COUNT=1)


def request(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored():
    assert client_address(request("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


@BEHIND_ONE_PROXY
def test_behind_one_proxy_the_address_the_proxy_saw_is_the_client():
    assert client_address(request(PROXY, "203.0.113.9")) == "203.0.113.9"
    # Whatever the client put in front of it is not believed.
    assert client_address(request(PROXY, "10.9.9.9, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request(PROXY, "[2001:db8::7]:443")) == "2001:db8::7"
    # No header, or garbage: the connection's own address.
    assert client_address(request(PROXY)) == PROXY
    assert client_address(request(PROXY, "not-an-address")) == PROXY


@override_settings(NEEDLEPOINT_TRUSTED_PROXIES=2, ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    assert client_address(request(PROXY, "6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def sign_in(client: Client, username: str, password: str, address: str):
    return client.post(
        "/accounts/login/",
        {"login": username, "password": password},
        HTTP_X_FORWARDED_FOR=address,
        REMOTE_ADDR=PROXY,
    )


@pytest.mark.django_db
@BEHIND_ONE_PROXY
def test_one_persons_wrong_passwords_do_not_lock_out_the_rest_of_the_clinic(
    front_desk, aesthetician
):
    for i in range(6):
        sign_in(Client(), "fran", f"wrong-{i}", "203.0.113.10")
    other = sign_in(Client(), "aria", "correct horse battery staple 9", "203.0.113.11")
    assert b"Too many failed login attempts" not in other.content
    assert other.status_code == 302


@pytest.mark.django_db
@BEHIND_ONE_PROXY
def test_failed_sign_ins_are_limited_per_account_from_any_address(front_desk):
    for i in range(5):
        sign_in(Client(), "fran", f"wrong-{i}", f"203.0.113.{20 + i}")
    right = sign_in(Client(), "fran", "correct horse battery staple 9", "203.0.113.99")
    assert b"Too many failed login attempts" in right.content


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_address_across_accounts(make_persona):
    for n in range(4):
        make_persona(f"user{n}", "front_desk")
    pages = [sign_in(Client(), f"user{i % 4}", f"wrong-{i}", "ignored").content for i in range(21)]
    assert b"Too many failed login attempts" not in pages[0]
    assert b"Too many failed login attempts" in pages[-1]


def book(client: Client, start: str, email: str, address: str):
    body = {
        "given_name": "Grace",
        "family_name": "Hopper",
        "email": email,
        "phone": "+1 555 0142",
        "date_of_birth": "1986-12-09",
        "start": start,
    }
    return client.post(
        "/api/v1/bookings/consultation",
        body,
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


STARTS = [f"2027-03-0{2 + i // 8}T{9 + i % 8:02d}:00:00-05:00" for i in range(7)]


@pytest.mark.django_db
@BEHIND_ONE_PROXY
def test_the_public_booking_limit_is_per_person_behind_the_proxy(clinic):  # noqa: F811
    from needlepoint.audit.models import AuditEvent

    client = Client()
    for i in range(5):
        response = book(client, STARTS[i], f"p{i}@example.com", "203.0.113.7")
        assert response.status_code == 201, response.content
    assert book(client, STARTS[5], "p5@example.com", "203.0.113.7").status_code == 429
    response = book(client, STARTS[5], "p5@example.com", "198.51.100.8")
    assert response.status_code == 201, response.content
    # The audit trail records the person's address, not the proxy's.
    addresses = set(AuditEvent.objects.values_list("ip", flat=True))
    assert {"203.0.113.7", "198.51.100.8"} <= addresses
    assert PROXY not in addresses


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(clinic):  # noqa: F811
    client = Client()
    for i in range(5):
        assert book(client, STARTS[i], f"p{i}@example.com", f"203.0.113.{i}").status_code == 201
    assert book(client, STARTS[5], "p5@example.com", "198.51.100.8").status_code == 429
