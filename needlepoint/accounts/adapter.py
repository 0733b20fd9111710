from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from needlepoint.core.client_ip import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Patients get their account from the clinic (invitation by email); nobody can
        # create a staff login from the public site.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits key on this: the same address as our limits and the audit.
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address
