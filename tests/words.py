"""What a person reads on a page, and the codes that must not be in it (shared by the
"reads as words" tests of every app: portal, screening, treatments)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?")
COUNTS = re.compile(r"\b1 (?:months|weeks|days|sessions)\b")
CLOCK_24H = re.compile(r"\b(?:1[3-9]|2[0-3]):[0-5]\d\b")
RECORD_NUMBER = re.compile(r"#\d+\b")

UNREAD = ("script", "style")
SECONDARY = ("small", "code")


class _Text(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles (and, when asked,
    not the small secondary references a rule code or version may sit in)."""

    def __init__(self, skip: tuple[str, ...]) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip_tags = skip
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._skip_tags:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skip_tags and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def readable(html: str, *, secondary: bool = True) -> str:
    """The page's text; `secondary=False` leaves out what is in <small> and <code>."""
    parser = _Text(UNREAD if secondary else UNREAD + SECONDARY)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def codes_in(text: str, usernames: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    """Every code, ISO date, 24-hour time, "1 months", "#12" or username in `text`."""
    found: dict[str, Any] = {
        "codes": CODE.findall(text),
        "iso": ISO.findall(text),
        "counts": COUNTS.findall(text),
        "clock_24h": CLOCK_24H.findall(text),
        "record_numbers": RECORD_NUMBER.findall(text),
        "usernames": sorted(set(usernames) & set(re.findall(r"[A-Za-z0-9_.@+-]+", text))),
    }
    return {kind: hits for kind, hits in found.items() if hits}


def assert_reads_as_words(html: str, *, usernames: set[str] = frozenset(), where: str = "") -> None:  # type: ignore[assignment]
    """The page (outside <small> and <code>) holds words only."""
    text = readable(html, secondary=False)
    found = codes_in(text, usernames)
    assert not found, (where, found, text[:2000])
