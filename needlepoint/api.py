"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error mapping.

Every error answers ``{"detail": …, "errors": [{"field": …, "message": …}]}``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from needlepoint.accounts.auth import BearerToken
from needlepoint.booking.api import router as public_booking_router
from needlepoint.booking.services import RateLimited
from needlepoint.charting.api import router as charting_router
from needlepoint.charting.services import RuleRefused
from needlepoint.clinic.api import router as clinic_router
from needlepoint.core.api_input import GuardedParser, check_request
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from needlepoint.core.openapi import document_errors
from needlepoint.domain.errors import DomainError
from needlepoint.followups.api import router as followup_router
from needlepoint.interop.api import router as fhir_router
from needlepoint.outcomes.api import router as outcomes_router
from needlepoint.patients.api import router as patients_router
from needlepoint.portal.api import router as portal_router
from needlepoint.scheduling.api import router as scheduling_router
from needlepoint.screening.api import router as screening_router
from needlepoint.site.audit_api import router as audit_router
from needlepoint.treatments.api import router as treatments_router
from needlepoint.waitlist.api import router as waitlist_router

# Operation ids are derived from the module a view function lives in; a module that moved
# to another app (issue #10) keeps the prefix it had, so openapi.json and the clients
# generated from it do not change (docs/decisions/0302-operation-ids-of-moved-modules.md).
LEGACY_OPERATION_PREFIXES: dict[str, str] = {
    "needlepoint.charting.api": "needlepoint_treatments_charting_api",
    "needlepoint.followups.api": "needlepoint_outcomes_followup_api",
    "needlepoint.booking.api": "needlepoint_scheduling_public_api",
    "needlepoint.site.audit_api": "needlepoint_audit_api",
}


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        func = operation.view_func
        prefix = LEGACY_OPERATION_PREFIXES.get(func.__module__)
        if prefix is None:
            return super().get_openapi_operation_id(operation)
        return f"{prefix}_{func.__name__}"

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


api = Api(
    title="Needlepoint API",
    version="1",
    description="Micro-needling clinic system: screening, plans, booking, charts, outcomes.",
    auth=BearerToken(),
    urls_namespace="api",
    parser=GuardedParser(),
)
api.add_decorator(check_request, mode="operation")
api.add_router("", clinic_router)
api.add_router("", patients_router)
api.add_router("", audit_router)
api.add_router("", screening_router)
api.add_router("", treatments_router)
api.add_router("", scheduling_router)
api.add_router("", public_booking_router)
api.add_router("", waitlist_router)
api.add_router("", outcomes_router)
api.add_router("", charting_router)
api.add_router("", portal_router)
api.add_router("", followup_router)
api.add_router("", fhir_router)


def error_response(
    request: HttpRequest,
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "errors": errors or [], **extra}, status=status
    )


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja prefixes locations with where the value came from ("body", "query", "path")
    # and the parameter name; the client only knows its own field names.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form", "file"}:
        parts = parts[1:]
    if parts and parts[0] in {"body", "query", "payload"}:
        parts = parts[1:]
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text or "body"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    message = str(error.get("msg", "is invalid"))
    return message.removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field_of(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
    return error_response(request, 422, "The request has invalid values.", errors)


@api.exception_handler(InvalidInput)
def on_invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    errors = [{"field": p.field, "message": p.message} for p in exc.problems]
    return error_response(request, 422, exc.message, errors, **getattr(exc, "extra", {}))


@api.exception_handler(RuleRefused)
def on_rule_refused(request: HttpRequest, exc: RuleRefused) -> HttpResponse:
    """A treatment-day rule's 422 names the rule that refused, per field and for the whole."""
    errors = [
        {"field": p.field, "message": p.message, "rule": rule}
        for p, rule in zip(exc.problems, exc.rules, strict=True)
    ]
    rule = exc.rules[0] if exc.rules else "invalid_input"
    return error_response(request, 422, exc.message, errors, code=rule, rule=rule)


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return error_response(request, 429, exc.message)


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return error_response(request, 409, exc.message, code=exc.code, **exc.extra)


@api.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return error_response(request, 404, exc.message or "Not found.")


@api.exception_handler(Http404)
def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "Not found.")


@api.exception_handler(Forbidden)
def on_forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return error_response(request, 403, exc.message)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request, 401, "Authentication required: send 'Authorization: Bearer <token>'."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = error_response(
        request, 429, "Too many failed tokens from this address; try again later."
    )
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    # A refusal of the domain core that no service translated: the input was not acceptable.
    return error_response(request, 422, exc.message, code=exc.code)
