"""The OpenAPI document says what the server does: one schema per name, the errors each
operation can answer, and which operations need a token."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from ninja import Schema

import needlepoint

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document():
    from needlepoint.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def _all_schemas() -> list[type]:
    for module in pkgutil.walk_packages(needlepoint.__path__, "needlepoint."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)
    found, todo = [], [Schema]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("needlepoint."):
            found.append(cls)
    return found


def test_no_two_schemas_share_a_name():
    by_name: dict[str, list[str]] = {}
    for cls in _all_schemas():
        by_name.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def test_amending_a_consultation_documents_its_own_body(document):
    operation = document["paths"]["/api/v1/consultations/{consultation_id}/amendments"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    properties = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(properties) == {"determination", "reason"}


def test_every_operation_documents_the_errors_it_can_answer(document):
    missing = {}
    for method, path, operation in _operations(document):
        codes = {int(code) for code in operation["responses"]}
        expected = {400}
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add(422)
        if {} not in operation.get("security", [{}]):
            expected |= {401, 403, 404}
        if "{" in path:
            expected.add(404)
        if expected - codes:
            missing[f"{method.upper()} {path}"] = sorted(expected - codes)
    assert missing == {}


def test_every_documented_error_has_the_error_shape(document):
    for _method, _path, operation in _operations(document):
        for code, response in operation["responses"].items():
            if int(code) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (_path, code)
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "errors"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/screenings"),
        ("post", "/api/v1/bookings/consultation"),
        ("get", "/api/v1/availability"),
        ("get", "/api/v1/locations"),
        ("post", "/api/v1/waitlist/offers/accept"),
    ],
)
def test_public_operations_need_no_token(document, method, path):
    security = document["paths"][path][method].get("security")
    assert security is None or {} in security


@pytest.mark.django_db
def test_a_public_screening_without_a_token_is_answered(api):
    # The document's promise, checked against the server: no 401 without a token.
    assert api().post("/screenings", {}).status_code == 422


def test_operations_of_moved_api_modules_keep_their_operation_ids(document):
    # Generated clients name their methods after operationIds; moving an api module to
    # its own app must not rename them (docs/decisions/0306).
    ids = {operation["operationId"] for _, _, operation in _operations(document)}
    assert {
        "needlepoint_outcomes_followup_api_list_follow_ups",
        "needlepoint_outcomes_followup_api_propose",
        "needlepoint_outcomes_followup_api_book",
        "needlepoint_scheduling_public_api_book_consultation",
    } <= ids
