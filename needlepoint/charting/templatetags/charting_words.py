"""Template filters for the charting pages: see needlepoint.charting.wording."""

from __future__ import annotations

from typing import Any

from django import template

from needlepoint.charting import wording
from needlepoint.charting.selectors import approved_products
from needlepoint.core.labels import count_words, humanise

register = template.Library()


@register.filter
def when(moment: Any, location: Any = None) -> str:
    return wording.when(moment, location)


@register.filter
def short_when(moment: Any, location: Any = None) -> str:
    return wording.short_when(moment, location)


@register.filter
def day(value: Any) -> str:
    return wording.day(value)


@register.filter
def staff(user: Any) -> str:
    return wording.staff_name(user)


@register.simple_tag(takes_context=True)
def zone(context: Any, name: Any) -> str:
    """A zone by the protocol table's label. The table is read once per page (each read is
    a query), not once per zone."""
    labels = context.render_context.get("charting_zone_labels")
    if labels is None:
        labels = wording.zone_labels()
        context.render_context["charting_zone_labels"] = labels
    return labels.get(str(name)) or humanise(name)


@register.filter
def endpoint(code: Any) -> str:
    return wording.endpoint_label(code)


@register.filter
def verdict(code: Any) -> str:
    return wording.verdict_label(code)


@register.filter
def field(name: Any) -> str:
    return wording.field_label(name)


@register.filter
def tidy(message: Any) -> str:
    return wording.tidy(message)


@register.filter
def value_words(value: Any, field_name: str) -> str:
    return wording.value_words(field_name, value)


@register.filter
def words(code: Any) -> str:
    return humanise(code)


@register.simple_tag
def count(n: int, one: str, many: str = "") -> str:
    return count_words(n, one, many)


@register.filter
def zone_rule(code: Any) -> str:
    return wording.zone_rule_words(code)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or "" (an error message for a field named in a loop)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def product(slug: Any) -> str:
    """A charted topical by its name on the clinic's sterile-products list; a product off
    the list (a physician's override) was typed by its name and is shown as typed."""
    found = approved_products().get(str(slug))
    return found.name if found is not None else str(slug)
