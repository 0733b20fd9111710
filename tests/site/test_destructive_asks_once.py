"""Every destructive action asks once (docs/decisions/0504-destructive-actions-ask-once.md).

A form is destructive when its button or the address it posts to says cancel, delete,
withdraw, deactivate, revoke, remove, reset, erase, "take out of use", "stop sharing" or
"leave the waiting list". Each one must be either the confirm step itself (it carries
templates/_confirmed.html, ``confirmed=yes``) or post to a view that asks first
(core.confirm.ask_once). Two checks:

- every template: each destructive POST form is a confirm step, or its ``{% url %}``
  names a view whose code calls ``ask_once``;
- the demo clinic's rendered pages, for the roles that meet such forms: each destructive
  form found, posted as it stands but without ``confirmed``, answers with a page whose
  form carries ``confirmed=yes``: it asked, it did not act.
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.urls import get_resolver

from tests.site.test_words_not_codes import _fill, _routes, world  # noqa: F401 (fixture)

REPORT = Path("var/test-results/destructive-forms-checked.txt")
ROOT = Path(__file__).resolve().parents[2] / "needlepoint"
DESTRUCTIVE = re.compile(
    r"cancel|delet|withdraw|deactivat|revok|remov|reset|erase|take out of use|stop sharing"
    r"|leave the waiting",
    re.I,
)
CONFIRM_STEP = '{% include "_confirmed.html" %}'
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
BUTTON = re.compile(r"<button\b[^>]*>(.*?)</button>", re.S | re.I)
URL_TAG = re.compile(r"""\{%\s*url\s+['"]([\w:-]+)['"]""")


def _destructive(action: str, buttons: list[str]) -> bool:
    words = " ".join(re.sub(r"<[^>]+>|\{[%{].*?[%}]\}", " ", b) for b in buttons)
    # Template logic between tags ({% if %}Withdraw{% else %}...) stays in `words`.
    return bool(DESTRUCTIVE.search(words) or DESTRUCTIVE.search(action))


def _view_asks_first(url_name: str) -> bool:
    views = dict(_named_views())
    assert url_name in views, f"no view named {url_name!r}"
    return "ask_once(" in inspect.getsource(inspect.unwrap(views[url_name]))


def _named_views() -> list[tuple[str, Any]]:
    from django.urls import URLPattern, URLResolver

    out: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                out.append((namespace + p.name, p.callback))

    walk(get_resolver().url_patterns)
    return out


def _template_forms() -> list[tuple[str, str, str, list[str]]]:
    forms = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for match in FORM.finditer(text):
            attrs, body = match.groups()
            if 'method="post"' not in attrs.lower():
                continue
            action = re.search(r'action="([^"]*)"', attrs)
            forms.append(
                (
                    str(path.relative_to(ROOT)),
                    action.group(1) if action else "",
                    body,
                    BUTTON.findall(body),
                )
            )
    return forms


def test_every_destructive_form_in_the_templates_asks_once() -> None:
    offenders, seen = [], 0
    for where, action, body, buttons in _template_forms():
        if not _destructive(action, buttons):
            continue
        seen += 1
        if CONFIRM_STEP in body:
            continue  # the confirm step itself
        named = URL_TAG.search(action)
        if named and _view_asks_first(named.group(1)):
            continue
        offenders.append(f"{where}: posts to {action or 'itself'} without the confirm step")
    assert seen >= 10, f"only {seen} destructive forms found: the scan is broken"
    assert not offenders, "destructive forms that act at once:\n" + "\n".join(offenders)


def test_the_scan_knows_a_form_that_acts_at_once() -> None:
    """The rule can fail: a bare "Delete" form posting to a view without ask_once."""
    assert _destructive("/x/", ["Delete the note"])
    assert not _view_asks_first("site:staff_patients")
    assert _view_asks_first("team:deactivate")


class _Forms(HTMLParser):
    """The POST forms of a page: action, fields (hidden inputs, inputs with a value, the
    selected or first option) and the buttons' words."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._button: list[str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": {}, "buttons": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("radio", "checkbox"):
            self._form["fields"].setdefault(a["name"], a.get("value", ""))
        elif tag == "input" and a.get("name") and "checked" in a:
            self._form["fields"][a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self._form["fields"]:
                self._form["fields"][self._select] = a.get("value", "")
        elif tag == "button":
            self._button = []

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self._form is not None:
            self._form["buttons"].append(" ".join("".join(self._button).split()))
            self._button = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _asks(html: str) -> bool:
    return any(f["fields"].get("confirmed") == "yes" for f in _forms(html))


@pytest.mark.django_db
def test_every_destructive_form_on_the_demo_pages_asks_before_it_acts(world):  # noqa: F811
    clients, values, _ = world
    checked: list[str] = []
    acted: list[str] = []
    for route in _routes():
        path = _fill(route, values["portal" if route.startswith("portal/") else "staff"])
        for role in ("clinic_admin", "front_desk", "patient", "anonymous"):
            client = clients[role]
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for form in _forms(response.content.decode()):
                if not _destructive(form["action"], form["buttons"]):
                    continue
                fields = {k: v for k, v in form["fields"].items() if k != "confirmed"}
                fields.pop("csrfmiddlewaretoken", None)
                answer = client.post(form["action"] or path, fields, follow=True)
                checked.append(f"{path} as {role}: {form['buttons']}")
                if not _asks(answer.content.decode()):
                    acted.append(f"{path} as {role}: {form['buttons']} -> {form['action']}")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("".join(f"{line}\n" for line in checked))
    assert len(checked) >= 5, f"only {len(checked)} destructive forms were seen: {checked}"
    assert not acted, "destructive forms that acted without asking:\n" + "\n".join(acted)
