"""Clinic setup pages for the clinic's own screening policy and protocol table.

The clinic admin reads every version, starts a new one from any of them (checked by the
same parser as the shipped file), and puts a version in force or goes back to the shipped
file, each after a confirmation that says what changes. Writes go through the services,
which audit them (docs/decisions/0460-policy-pages.md).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.core.confirm import is_confirmed
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import form_errors

from . import clinic_data, policy_selectors, services
from .models import DataKind

CAPABILITY = "clinic.change"
AUDIT_ACTION = "data_override.manage"
LINE_PROBLEM = re.compile(r"^line (\d+):")


def _kind(slug: str) -> str:
    try:
        return policy_selectors.kind_for_slug(slug)
    except NotFound:
        raise Http404("No such kind of clinic data.") from None


def _quoted_line(text: str, problem: str) -> dict[str, Any] | None:
    """The line a "line N: problem" names, to quote beside the error (None without one)."""
    found = LINE_PROBLEM.match(problem)
    lines = text.splitlines()
    if not found or not 1 <= int(found[1]) <= len(lines):
        return None
    number = int(found[1])
    return {"number": number, "text": lines[number - 1]}


def _home() -> str:
    return reverse("screening:policy_home")


def consequence(kind: str, version: str) -> str:
    """What putting ``version`` in force changes, in the words of the confirmation step."""
    if kind == DataKind.SCREENING_POLICY:
        return (
            f"Screenings from now on are judged by version {version}; stored screenings keep "
            "the version they were judged by."
        )
    return (
        f"Consultations and treatment plans from now on use protocol table version {version}; "
        "stored consultations and plans keep the version they were made with."
    )


@role_required(CAPABILITY, audit_action=AUDIT_ACTION)
@require_GET
def policy_home(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/policy/home.html", {"kinds": policy_selectors.overviews()})


@role_required(CAPABILITY, audit_action=AUDIT_ACTION)
@require_GET
def version_detail(request: HttpRequest, kind_slug: str, ref: str) -> HttpResponse:
    kind = _kind(kind_slug)
    try:
        version, text = policy_selectors.version_and_text(kind, ref)
    except NotFound:
        raise Http404("No such version.") from None
    in_force, in_force_text = policy_selectors.in_force_text(kind)
    diff = [] if version.in_force else policy_selectors.diff_lines(in_force_text, text)
    return render(
        request,
        "screening/policy/version.html",
        {
            "version": version,
            "text": text,
            "in_force": in_force,
            "diff": diff,
            "lines": text.splitlines(),
        },
    )


@role_required(CAPABILITY, audit_action=AUDIT_ACTION)
@require_http_methods(["GET", "POST"])
def version_new(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = _kind(kind_slug)
    source = request.POST.get("from") or request.GET.get("from") or policy_selectors.SHIPPED
    try:
        start, start_text = policy_selectors.version_and_text(kind, source)
    except NotFound:
        raise Http404("No such version to start from.") from None
    context: dict[str, Any] = {
        "kind_label": DataKind(kind).label,
        "kind_slug": kind_slug,
        "start": start,
        "text": start_text,
        "errors": {},
        "summary": "",
    }
    if request.method == "GET":
        return render(request, "screening/policy/new.html", context)
    text = request.POST.get("text", "").replace("\r\n", "\n")
    context["text"] = text
    try:
        if not text.strip():
            raise InvalidInput.one("text", "paste or type the whole file; it is empty")
        created = services.data_override_create(
            actor=request.user,  # type: ignore[arg-type]
            kind=kind,
            text=text,
            activate=False,
        )
    except (InvalidInput, Conflict) as exc:
        shown = form_errors(exc, fields=["text"])
        context["errors"], context["summary"] = shown.fields, shown.summary
        context["error_line"] = _quoted_line(text, shown.fields.get("text", ""))
        status = 409 if isinstance(exc, Conflict) else 422
        return render(request, "screening/policy/new.html", context, status=status)
    messages.success(
        request,
        f"{DataKind(kind).label} version {created.version} is saved. It is not in force yet.",
    )
    return redirect("screening:policy_version", kind_slug=kind_slug, ref=created.pk)


def _confirm(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return render(request, "screening/policy/confirm.html", context, status=status)


def _unconfirmed(request: HttpRequest, context: dict[str, Any]) -> HttpResponse | None:
    """The question again (a GET, or a 409 when the version in force changed since the page
    was drawn: ``context["expected"]`` names the one it showed); None once confirmed."""
    if not is_confirmed(request):  # a GET, or a POST that skipped the page (decision 0504)
        return _confirm(request, context)
    if request.POST.get("expected") != context["expected"]:
        context["problem"] = (
            "Someone changed the version in force while this page was open. "
            "Read what changes again, then confirm."
        )
        return _confirm(request, context, status=409)
    return None


@role_required(CAPABILITY, audit_action=AUDIT_ACTION)
@require_http_methods(["GET", "POST"])
def put_in_force(request: HttpRequest, kind_slug: str, ref: int) -> HttpResponse:
    kind = _kind(kind_slug)
    try:
        row = policy_selectors.override(kind, str(ref))
    except NotFound:
        raise Http404("No such version.") from None
    label = DataKind(kind).label
    if row.is_active:
        messages.info(request, f"{label} version {row.version} is already in force.")
        return redirect(_home())
    in_force, _ = policy_selectors.in_force_text(kind)
    context = {
        "title": f"Put {label.lower()} version {row.version} in force?",
        "kind_label": label,
        "now": in_force,
        "consequence": consequence(kind, row.version),
        "button": f"Put version {row.version} in force",
        "back": reverse("screening:policy_version", args=[kind_slug, row.pk]),
        "expected": in_force.ref,
        "problem": "",
    }
    unconfirmed = _unconfirmed(request, context)
    if unconfirmed is not None:
        return unconfirmed
    services.data_override_set_active(actor=request.user, override=row, active=True)  # type: ignore[arg-type]
    messages.success(request, f"{label} version {row.version} is now in force.")
    return redirect(_home())


@role_required(CAPABILITY, audit_action=AUDIT_ACTION)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = _kind(kind_slug)
    label = DataKind(kind).label
    in_force, _ = policy_selectors.in_force_text(kind)
    shipped = clinic_data.shipped_version(kind)
    if in_force.shipped:
        messages.info(request, f"The shipped {label.lower()} is already in force.")
        return redirect(_home())
    context = {
        "title": f"Withdraw {label.lower()} version {in_force.version}?",
        "kind_label": label,
        "now": in_force,
        "consequence": consequence(kind, f"{shipped} (the shipped file)"),
        "button": "Withdraw (go back to the shipped file)",
        "danger": True,
        "back": _home(),
        "expected": in_force.ref,
        "problem": "",
    }
    unconfirmed = _unconfirmed(request, context)
    if unconfirmed is not None:
        return unconfirmed
    row = policy_selectors.override(kind, in_force.ref)
    services.data_override_set_active(actor=request.user, override=row, active=False)  # type: ignore[arg-type]
    messages.success(
        request, f"Version {row.version} is withdrawn: the shipped {label.lower()} is in force."
    )
    return redirect(_home())
