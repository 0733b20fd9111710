"""A destructive action asks once (docs/decisions/0504-destructive-actions-ask-once.md).

A view that deletes, cancels, withdraws, deactivates, revokes, removes or resets starts with
`ask_once`: a GET, or a POST that did not come from the confirm page, answers with the
confirm page (templates/confirm.html) and changes nothing; the confirm page's "Yes, ..."
button posts the same fields again with ``confirmed=yes``, and only then does the view act.
No JavaScript is involved, so it works the same with scripts off, and the button on the
page that started it can stay a plain POST form or become a link to the confirm page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"


@dataclass(frozen=True)
class Question:
    """What the confirm page asks and says.

    `title` is the heading ("Deactivate Dana Reyes?"), `says` the consequences, one sentence
    each; `yes` the danger button's words ("Yes, deactivate"), `back` where "No" goes."""

    title: str
    yes: str
    back: str
    says: Iterable[str] = ()
    no: str = "No, go back"
    keep: Mapping[str, str] = field(default_factory=dict)  # fields posted again with the yes


def is_confirmed(request: HttpRequest) -> bool:
    """The request is the confirm page's "Yes": a POST carrying ``confirmed=yes``."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_page(request: HttpRequest, question: Question) -> HttpResponse:
    """The confirm page for this request's URL; its form posts back to the same URL."""
    keep = dict(question.keep)
    if request.method == "POST":
        # The fields the first form posted (a reason, active=no) come along with the yes.
        for name in request.POST:
            if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD):
                keep.setdefault(name, str(request.POST.get(name, "")))
    context = {
        "question": question,
        "says": list(question.says),
        "keep": sorted(keep.items()),
        "action": request.path,
    }
    return render(request, "confirm.html", context)


def ask_once(request: HttpRequest, question: Question) -> HttpResponse | None:
    """The confirm page, unless this request already answered it (then None: go ahead)."""
    return None if is_confirmed(request) else confirm_page(request, question)
