from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from needlepoint.accounts.models import User
from needlepoint.demo.load import load_demo
from needlepoint.demo.people import demo_password


class Command(BaseCommand):
    help = "Load the demo clinic (idempotent: a second run changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        password, generated = demo_password()
        logins = load_demo(password, generated)
        self.stdout.write("Demo clinic loaded. Sign in at http://127.0.0.1:8000/accounts/login/")
        for username in logins.usernames:
            role = User.objects.get(username=username).get_role_display()
            self.stdout.write(f"  {username:<14} {role}")
        source = "generated, kept in the data dir" if generated else "NEEDLEPOINT_DEMO_PASSWORD"
        self.stdout.write(f"  password: {password}   ({source})")
        self.stdout.write("Staff are asked to enrol an authenticator app (TOTP) at first sign-in.")
