from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from needlepoint.core.base_url import served_base_url
from needlepoint.site.worker_process import start_worker

# The access log names the request by id (the X-Request-ID header, also in the audit trail)
# and its path without the query string: searches carry patients' names (?q=...).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms request=%({x-request-id}o)s'


class Command(BaseCommand):
    help = "Serve Needlepoint with gunicorn (threaded workers), static files by WhiteNoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("NEEDLEPOINT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run `needlepoint worker` (background and periodic jobs) beside the server",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        # Imported when serving, not when the command is merely loaded: it builds the app.
        from needlepoint.wsgi import application

        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.NEEDLEPOINT_BASE_URL_FOLLOWS_SERVE:
            # Links in messages point here; the workers (forked) and the job worker (a
            # child process, reading the environment) inherit it.
            settings.NEEDLEPOINT_BASE_URL = served_base_url(options["host"], options["port"])
            os.environ["NEEDLEPOINT_BASE_URL"] = settings.NEEDLEPOINT_BASE_URL
        config = {
            "bind": f"{options['host']}:{options['port']}",
            "workers": options["workers"],
            "threads": options["threads"],
            "worker_class": "gthread",
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "timeout": 60,
            "graceful_timeout": 20,
        }

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        if options["with_worker"]:
            start_worker(self.stdout)
        self.stdout.write(f"Needlepoint at http://{config['bind']}/ (Ctrl+C to stop)")
        Server().run()
