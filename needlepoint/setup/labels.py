"""Setup values in words: time zones, durations and prices as people say them."""

from __future__ import annotations

from decimal import Decimal

# The time zones offered when a location is added: the places a clinic is likely to be,
# each as "City (what people call the time)". Any other IANA zone already on a location
# is still shown in words (its city) and kept.
TIME_ZONES: tuple[tuple[str, str], ...] = (
    ("America/New_York", "New York (Eastern time)"),
    ("America/Chicago", "Chicago (Central time)"),
    ("America/Denver", "Denver (Mountain time)"),
    ("America/Phoenix", "Phoenix (Arizona, no daylight saving)"),
    ("America/Los_Angeles", "Los Angeles (Pacific time)"),
    ("America/Anchorage", "Anchorage (Alaska time)"),
    ("Pacific/Honolulu", "Honolulu (Hawaii time)"),
    ("America/Puerto_Rico", "Puerto Rico (Atlantic time)"),
    ("America/Toronto", "Toronto (Eastern time)"),
    ("America/Vancouver", "Vancouver (Pacific time)"),
    ("America/Halifax", "Halifax (Atlantic time)"),
    ("America/Mexico_City", "Mexico City (Central Mexico time)"),
    ("America/Sao_Paulo", "São Paulo (Brasília time)"),
    ("Europe/London", "London (UK time)"),
    ("Europe/Dublin", "Dublin (Irish time)"),
    ("Europe/Lisbon", "Lisbon (Western European time)"),
    ("Europe/Paris", "Paris (Central European time)"),
    ("Europe/Berlin", "Berlin (Central European time)"),
    ("Europe/Madrid", "Madrid (Central European time)"),
    ("Europe/Rome", "Rome (Central European time)"),
    ("Europe/Amsterdam", "Amsterdam (Central European time)"),
    ("Europe/Zurich", "Zurich (Central European time)"),
    ("Europe/Athens", "Athens (Eastern European time)"),
    ("Asia/Dubai", "Dubai (Gulf time)"),
    ("Asia/Singapore", "Singapore (Singapore time)"),
    ("Asia/Tokyo", "Tokyo (Japan time)"),
    ("Asia/Seoul", "Seoul (Korea time)"),
    ("Australia/Sydney", "Sydney (Australian Eastern time)"),
    ("Australia/Perth", "Perth (Australian Western time)"),
    ("Pacific/Auckland", "Auckland (New Zealand time)"),
)
_ZONE_WORDS = dict(TIME_ZONES)

_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "GBP": "£", "EUR": "€"}


def zone_words(name: str) -> str:
    """`America/New_York` -> "New York (Eastern time)"; an unlisted zone by its city."""
    if name in _ZONE_WORDS:
        return _ZONE_WORDS[name]
    return str(name).rsplit("/", 1)[-1].replace("_", " ")


def zone_choices(current: str = "") -> list[tuple[str, str]]:
    choices = list(TIME_ZONES)
    if current and current not in _ZONE_WORDS:
        choices.insert(0, (current, zone_words(current)))
    return choices


def minutes_words(minutes: int | None) -> str:
    """45 -> "45 minutes"; 90 -> "1 hour 30 minutes"; 0 -> "none"."""
    if not minutes:
        return "none"
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def price_words(price: Decimal | None, currency: str = "USD") -> str:
    """120 USD -> "$120.00"; 95 CHF -> "95.00 CHF"; no price -> "not priced"."""
    if price is None:
        return "not priced"
    amount = f"{price:,.2f}"
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"
