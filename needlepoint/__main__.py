"""The `needlepoint` command: Django's management commands under one name.

`needlepoint migrate`, `needlepoint demo`, `needlepoint serve`, `needlepoint token create
USERNAME`, `needlepoint audit verify`, `needlepoint check --deploy`, …
"""

from __future__ import annotations

import os
import sys

from needlepoint.audit.context import Origin, set_origin


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlepoint.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    command = args[1] if len(args) > 1 else "help"
    # Everything a command reads or writes is audited as coming from that command.
    set_origin(Origin(channel="command", via=f"command:{command}"))
    execute_from_command_line(["needlepoint", *args[1:]])


if __name__ == "__main__":
    main()
