"""One way for a page to show a service's refusal: a summary line and an error per field.

Services raise `InvalidInput` (problems named by field), `Conflict` (the state refuses; the
message says what to do instead) and `NotFound`. A page shows each problem beside the field
it names, and anything that names no field on the page (or a conflict) above the form, so
nothing a service said is lost and what was typed stays in the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from needlepoint.domain.errors import DomainError

from .errors import InvalidInput


@dataclass
class FormErrors:
    """What the page shows: `summary` above the form, `fields` beside each field."""

    summary: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.summary or self.fields)


def form_errors(
    exc: DomainError,
    *,
    fields: Iterable[str] | None = None,
    rename: Mapping[str, str] | Callable[[str], str] | None = None,
) -> FormErrors:
    """The refusal as a page shows it.

    `fields` are the names the page has (None: every problem has a field on the page);
    `rename` maps a service's field name to the page's (a mapping or a function). A problem
    whose field the page lacks joins the summary, so it is never dropped."""
    shown = FormErrors()
    known = set(fields) if fields is not None else None
    leftovers: list[str] = []
    for problem in exc.problems if isinstance(exc, InvalidInput) else []:
        name = _renamed(problem.field, rename)
        if (known is None or name in known) and name not in shown.fields:
            shown.fields[name] = problem.message
        else:
            leftovers.append(problem.message)
    if not isinstance(exc, InvalidInput):
        shown.summary = exc.message
    elif leftovers:
        shown.summary = "; ".join(leftovers)
    return shown


def add_to_form(form: Any, exc: DomainError, **kwargs: Any) -> FormErrors:
    """Put the refusal on a Django form: problems on their fields, the rest above the form."""
    shown = form_errors(exc, fields=form.fields.keys(), **kwargs)
    for name, message in shown.fields.items():
        form.add_error(name, message)
    if shown.summary:
        form.add_error(None, shown.summary)
    return shown


def _renamed(name: str, rename: Mapping[str, str] | Callable[[str], str] | None) -> str:
    if rename is None:
        return name
    if callable(rename):
        return rename(name)
    return rename.get(name, name)
