from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.accounts.models import User
from needlepoint.accounts.services import api_token_create, api_token_revoke_all


class Command(BaseCommand):
    help = "API tokens: `token create USERNAME` prints a new token; `token revoke USERNAME`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        if options["action"] == "create":
            issued = api_token_create(user=user)
            self.stdout.write(
                f"Token for {user.username} ({user.role}). It is shown once; store it safely."
            )
            self.stdout.write(issued.raw)  # last line of output, for scripts
        else:
            count = api_token_revoke_all(user=user)
            self.stdout.write(f"revoked {count} token(s) of {user.username}")
