"""`/healthz` (for monitors and load balancers) and the clinic admin's Background jobs page."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from needlepoint.accounts.permissions import role_required
from needlepoint.core.background.jobs import job_info
from needlepoint.core.background.queue import failed_jobs, periodic_last, queue_state
from needlepoint.core.labels import count_words, moment_words

from .health import health
from .tasks import schedule


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    status, answer = health(timezone.now())
    return JsonResponse(answer, status=status)


def _every_words(every: timedelta) -> str:
    seconds = int(every.total_seconds())
    if seconds % 86400 == 0:
        return "every day" if seconds == 86400 else f"every {seconds // 86400} days"
    if seconds % 3600 == 0:
        return "every hour" if seconds == 3600 else f"every {seconds // 3600} hours"
    if seconds % 60 == 0:
        return "every minute" if seconds == 60 else f"every {seconds // 60} minutes"
    return f"every {count_words(seconds, 'second')}"


def _when(value: datetime | None, zone: tzinfo) -> str:
    return moment_words(value, zone) if value is not None else ""


@role_required("clinic.change", audit_action="setup.open")
@require_GET
def background_jobs(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    zone = timezone.get_current_timezone()
    state = queue_state(now)
    age = state.oldest_waiting_age(now)
    entries = schedule()
    last = periodic_last([entry.name for entry in entries])
    periodic = [
        {
            "label": job_info(entry.task.module_path).label,
            "every": _every_words(entry.every),
            "last": _when(last.get(entry.name), zone),
        }
        for entry in entries
    ]
    failed = [
        {
            "label": item.label,
            "tries": count_words(item.attempts, "try", "tries"),
            "when": _when(item.finished_at, zone),
            "error": item.error,
        }
        for item in failed_jobs()
    ]
    context = {
        "state": state,
        "oldest_minutes": None if age is None else int(age.total_seconds() // 60),
        "periodic": periodic,
        "failed": failed,
    }
    return render(request, "site/staff/background_jobs.html", context)
