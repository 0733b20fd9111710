from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.urls import reverse

from needlepoint.accounts.models import User
from needlepoint.demo.load import load_demo
from needlepoint.demo.people import demo_password
from needlepoint.notifications.tokens import absolute


class Command(BaseCommand):
    help = "Load the demo clinic (idempotent: a second run changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        password, generated = demo_password()
        logins = load_demo(password, generated)
        sign_in = absolute(reverse("account_login"))
        self.stdout.write(f"Demo clinic loaded. Sign in at {sign_in}")
        for username in logins.usernames:
            role = User.objects.get(username=username).get_role_display()
            self.stdout.write(f"  {username:<14} {role}")
        source = "generated, kept in the data dir" if generated else "NEEDLEPOINT_DEMO_PASSWORD"
        self.stdout.write(f"  password: {password}   ({source})")
        self.stdout.write("Staff are asked to enrol an authenticator app (TOTP) at first sign-in.")
