from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.urls import reverse

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Location
from needlepoint.demo.load import load_demo
from needlepoint.demo.people import WHERE_THEY_WORK, demo_password
from needlepoint.notifications.tokens import absolute

DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _days(weekdays: tuple[int, ...]) -> str:
    return "Mon–Fri" if weekdays == (0, 1, 2, 3, 4) else ", ".join(DAY_NAMES[d] for d in weekdays)


class Command(BaseCommand):
    help = "Load the demo clinic (idempotent: a second run changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        password, generated = demo_password()
        logins = load_demo(password, generated)
        sign_in = absolute(reverse("account_login"))
        self.stdout.write(f"Demo clinic loaded. Sign in at {sign_in}")
        places = dict(Location.objects.values_list("slug", "name"))
        for username in logins.usernames:
            role = User.objects.get(username=username).get_role_display()
            where = ", ".join(
                f"{places.get(slug, slug)} ({_days(days)})"
                for slug, days in WHERE_THEY_WORK.get(username, {}).items()
            )
            self.stdout.write(f"  {username:<14} {role:<28} {where}".rstrip())
        source = "generated, kept in the data dir" if generated else "NEEDLEPOINT_DEMO_PASSWORD"
        self.stdout.write(f"  password: {password}   ({source})")
        self.stdout.write("Staff are asked to enrol an authenticator app (TOTP) at first sign-in.")
