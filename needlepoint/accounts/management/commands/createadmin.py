from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import Role
from needlepoint.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a clinic admin (asks for the password, or reads NEEDLEPOINT_ADMIN_PASSWORD)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} exists already")
        password = os.environ.get("NEEDLEPOINT_ADMIN_PASSWORD") or getpass.getpass(
            "Password (12+ characters): "
        )
        try:
            user = user_create(
                username=username, role=Role.CLINIC_ADMIN, password=password, email=options["email"]
            )
        except ValidationError as exc:
            raise CommandError("password refused: " + " ".join(exc.messages)) from None
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
        self.stdout.write(
            f"clinic admin {username!r} created; sign in and enrol two-factor authentication"
        )
