"""The errors every operation can answer, added to the OpenAPI document in one place.

ninja documents the responses an operation declares; the refusals come from one error
mapping (``needlepoint/api.py``) and the input guard (``core.input_guard``), so they are
documented here by the same rules that produce them (decision 0252):

- 400: any operation (a NUL byte or over-deep JSON, refused before the view);
- 422: any operation that takes parameters or a body (invalid values, field by field);
- 401, 403: any operation that needs a token (no or bad token; the role may not);
- 404: any operation (object-level denials are 404, as is anything absent or a link that
  expired);
- 409: any POST (a conflict with the state of things, or an idempotency key reused).

Free-text strings also say that they may not hold a NUL byte (the guard refuses it), so a
client generating valid requests from the document never sends one.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "Every refusal: what is wrong, and field by field where it applies.",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
        "code": {"type": "string"},
    },
    "required": ["detail", "errors"],
    "additionalProperties": True,
}

DESCRIPTIONS = {
    400: "The request holds a value no field accepts (a NUL byte, or JSON nested too deep).",
    401: "No valid bearer token.",
    403: "Your role may not do this.",
    404: "Not found (or not yours).",
    409: "The request conflicts with the state of things; the answer says what to do.",
    422: "Invalid values, listed field by field.",
    429: "Too many requests from this address or for this e-mail; try again later.",
}

METHODS = ("get", "post", "put", "patch", "delete")


def _needs_token(operation: dict[str, Any]) -> bool:
    security = operation.get("security") or []
    return bool(security) and {} not in security


def error_codes(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    codes = {400, 404}
    if operation.get("parameters") or operation.get("requestBody"):
        codes.add(422)
    if _needs_token(operation):
        codes |= {401, 403}
    if method == "post":
        codes.add(409)
    return codes


NO_NUL = "^[^\\x00]*$"


def _no_nul_strings(node: Any) -> None:
    """Add the no-NUL pattern to every free-text string schema under ``node``."""
    if isinstance(node, dict):
        free_text = node.get("type") == "string" and not {
            "format",
            "pattern",
            "enum",
            "const",
        } & set(node)
        if free_text:
            node["pattern"] = NO_NUL
        for value in node.values():
            _no_nul_strings(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul_strings(value)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    _no_nul_strings(schema.get("paths", {}))
    _no_nul_strings(schema.get("components", {}).get("schemas", {}))
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            declared = {int(code) for code in responses}
            for code in error_codes(path, method, operation) | {c for c in declared if c >= 400}:
                responses[code] = {
                    "description": DESCRIPTIONS.get(code, "Error"),
                    "content": content,
                }
    return schema
