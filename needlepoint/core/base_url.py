"""Where absolute links in messages point when NEEDLEPOINT_BASE_URL is not set: the address
`needlepoint serve` listens on (docs/decisions/0221-base-url.md). Imported by the settings,
so it imports nothing from Django."""

from __future__ import annotations

WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "[::]"})  # noqa: S104 (names, not a bind)


def served_base_url(host: str, port: int) -> str:
    """http://host:port; a wildcard bind is reached on this machine as 127.0.0.1."""
    host = "127.0.0.1" if host in WILDCARD_HOSTS else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"
