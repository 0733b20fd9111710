"""One way of writing a time of day on every page: "9:30 am" (docs/decisions/0510).

Every page of the demo clinic, for every role (the same walk as the words-not-codes test), is
read as a person sees it; every time of day on it must be written "9:30 am" / "2:00 pm":
12-hour, minutes always, "am"/"pm" lower case without dots (the audit page's exact instants
add seconds, "4:12:07 pm"). A 24-hour "14:30", a "09:00" or a "2:30 p.m." fails, naming the
page. The public booking page, the staff calendar day and the portal must show times at all,
so the test cannot pass by reading pages without any.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

# The demo clinic and a signed-in client per role: the words-not-codes test's `world` fixture.
from .test_words_not_codes import _fill, _routes, world  # noqa: F401
from .words import readable

pytestmark = pytest.mark.django_db

# Anything that looks like a time of day, with whatever follows it.
TIME = re.compile(
    r"(?<![\d:.])(\d{1,2}):(\d{2})(:\d{2})?(\s*(?:[aApP]\.\s?[mM]\.|[aApP][mM](?![a-z])))?(?!\d|:\d)"
)
# The demo is a group of two locations: the public booking page is one location's (#15).
AT_EACH_LOCATION = ["book/consultation/?location=main", "book/consultation/?location=chicago"]
HOUSE = re.compile(r"(?:[1-9]|1[0-2]):[0-5]\d(?::[0-5]\d)? [ap]m")


def off_style(text: str) -> list[str]:
    """The times in ``text`` not written the house way."""
    found = []
    for match in TIME.finditer(text):
        written = match.group(0).strip()
        if not HOUSE.fullmatch(written):
            found.append(written)
    return found


def test_the_house_style_is_told_apart_from_the_others() -> None:
    assert off_style("Tuesday 2 March 2027, 9:00 am to 12:30 pm; 4:12:07 pm EST") == []
    assert off_style("from 14:30") == ["14:30"]
    assert off_style("at 09:00 am") == ["09:00 am"]
    assert off_style("9:00 a.m. and 2:30 PM") == ["9:00 a.m.", "2:30 PM"]
    assert off_style("3:15") == ["3:15"]


def test_every_page_writes_times_one_way(world: Any) -> None:  # noqa: F811
    clients, values, _landing = world
    flagged: dict[tuple[str, str], list[str]] = {}
    times_on: dict[str, int] = {}
    for route in [*_routes(), *AT_EACH_LOCATION]:
        path = _fill(route, values["portal" if route.startswith("portal/") else "staff"])
        for role, client in clients.items():
            response = client.get(path)
            if response.status_code != 200:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            text = readable(response.content.decode())
            times_on[path] = times_on.get(path, 0) + len(TIME.findall(text))
            if found := off_style(text):
                flagged[(path, role)] = sorted(set(found))
    assert not flagged, "pages write a time another way than '9:30 am':\n" + "\n".join(
        f"  {path} as {role}: {', '.join(tokens)}" for (path, role), tokens in flagged.items()
    )
    # The pages the style matters most on show times at all (else the test proves nothing).
    # The week's grid page lists no appointments (its feed does; decision 0730): its list
    # is read with appointments in the test below.
    for page in (*(f"/{at}" for at in AT_EACH_LOCATION), "/portal/"):
        assert times_on.get(page, 0) > 0, (page, sorted(p for p, n in times_on.items() if n))


def test_the_calendar_day_with_appointments_writes_times_one_way(
    world: Any,  # noqa: F811
) -> None:
    from needlepoint.scheduling.models import Appointment

    clients, _values, _landing = world
    first = Appointment.objects.order_by("start").first()
    day = first.start.astimezone(first.location.zone).date()
    for view in ("", "week/?layout=list&"):
        separator = "" if view.endswith("&") else "?"
        text = readable(
            clients["front_desk"]
            .get(f"/staff/calendar/{view}{separator}date={day}")
            .content.decode()
        )
        assert TIME.search(text), view
        assert off_style(text) == [], view
