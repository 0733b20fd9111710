"""What a person reads on a page, and the codes that must never be part of it.

``readable(html)`` is the visible text: no tags or attributes, nothing inside <script> or
<style>, and nothing inside <small> or <code>, where a rule code may stand as a secondary
reference for staff. ``offenders(text)`` lists the tokens a person should never read: a code of
the domain's enums and choices, an ISO date or timestamp, "1 months", a demo login name.
See docs/decisions/0500-words-not-codes-test.md.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
import typing
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

HIDDEN = {"script", "style", "small", "code", "template", "textarea"}
# Inline elements run on with the words around them; every other element is a break.
INLINE = {
    "a",
    "abbr",
    "b",
    "em",
    "i",
    "mark",
    "q",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
RULE_CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
TIME_ZONE = re.compile(r"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Pacific)/[A-Z]\w+")
ONE_PLURAL = re.compile(r"\b1 (?:months|weeks|days|sessions|hours|minutes|years|visits)\b")
WORD = re.compile(r"[A-Za-z0-9_]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in HIDDEN:
            self._hidden.append(tag)
        elif tag not in VOID and tag not in INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
        elif tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def readable(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _is_code(value: str, label: str = "") -> bool:
    """A value nobody writes in a sentence: snake_case, or an acronym stored in lower case
    (``sms`` for "SMS"). Plain words (``booked``, ``nose``) are also English and are left to
    the snake_case and rule-code patterns."""
    return "_" in value or (bool(label) and value != label and value.upper() == label)


def _choice_codes() -> Iterator[str]:
    from django.db import models

    for choices in _subclasses(models.Choices):
        if choices.__module__.startswith("needlepoint"):
            for member in choices:  # type: ignore[attr-defined]
                if isinstance(member.value, str) and _is_code(member.value, str(member.label)):
                    yield member.value


def _domain_codes() -> Iterator[str]:
    import needlepoint.domain as domain

    modules = [domain] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(domain.__path__, "needlepoint.domain.")
    ]
    for kind in _subclasses(enum.Enum):
        if kind.__module__.startswith("needlepoint.domain"):
            yield from (m.value for m in kind if isinstance(m.value, str) and _is_code(m.value))
    for module in modules:  # Literal aliases: verdicts, next steps, answers, concerns
        for value in vars(module).values():
            if typing.get_origin(value) is typing.Literal:
                yield from (a for a in typing.get_args(value) if isinstance(a, str) and _is_code(a))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, str):
        yield node


def _data_codes() -> Iterator[str]:
    """Concern, zone, rule and verdict names from the clinic's data files."""
    import needlepoint.data as data

    for file in sorted(Path(data.__file__).parent.glob("*.yaml")):
        for text in _strings(yaml.safe_load(file.read_text())):
            if " " not in text and (SNAKE.fullmatch(text) or RULE_CODE.fullmatch(text)):
                yield text


@cache
def domain_codes() -> frozenset[str]:
    return frozenset([*_choice_codes(), *_domain_codes(), *_data_codes()])


def offenders(text: str, usernames: Iterable[str] = ()) -> list[str]:
    found: list[str] = []
    codes = domain_codes()
    found += [w for w in WORD.findall(text) if w in codes]
    for pattern in (SNAKE, RULE_CODE, ISO, ONE_PLURAL, TIME_ZONE):
        found += pattern.findall(text)
    for name in usernames:
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            found.append(name)
    return sorted(set(found))
