"""Log filters: every line carries the request id; no client error carries a traceback.

Logs are read by whoever runs the server, who must not see patient data, so log lines
name requests (by id, also sent as X-Request-ID and stored with each audit event) and
never people; a refused request (4xx) is routine and its traceback would only repeat what
the audit trail records (docs/decisions/0242-logs-without-patient-data.md).
"""

from __future__ import annotations

import logging

from needlepoint.audit.context import current_origin


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or "-" outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_origin().request_id or "-"
        return True


class NoClientErrorTracebackFilter(logging.Filter):
    """Keeps Django's one-line "Forbidden"/"Bad Request" warnings, drops their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
