"""Reads for the clinic's own screening policy and protocol table pages (setup/policy).

A version is either the shipped file (the configured YAML file, in force whenever no
override is) or a stored override (never edited). Each page asks one question for the
versions of a kind, whatever their number (tests/query_budgets/test_policy.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from needlepoint.clinic.clock import location_zone
from needlepoint.core.errors import NotFound
from needlepoint.core.labels import clock_words

from . import clinic_data
from .models import DataKind, DataOverride

SHIPPED = "shipped"

# The address of a kind in a URL and its words on the page.
KIND_SLUGS: dict[str, str] = {
    "screening-policy": DataKind.SCREENING_POLICY,
    "protocol-table": DataKind.PROTOCOL_TABLE,
}


@dataclass(frozen=True)
class Version:
    """One version of a kind as the pages show it."""

    kind: str
    ref: str  # "shipped" or the override's id, as it appears in URLs
    version: str
    in_force: bool
    shipped: bool
    created_by: str = ""
    created_when: str = ""

    @property
    def kind_label(self) -> str:
        return str(DataKind(self.kind).label)

    @property
    def kind_slug(self) -> str:
        return slug_for(self.kind)


@dataclass(frozen=True)
class KindOverview:
    kind: str
    label: str
    slug: str
    in_force: Version
    versions: list[Version]  # the clinic's versions, newest first, then the shipped file


@dataclass(frozen=True)
class DiffLine:
    change: str  # "added", "removed", "same" or "gap"
    old_number: int | None
    new_number: int | None
    text: str


def kind_for_slug(slug: str) -> str:
    try:
        return KIND_SLUGS[slug]
    except KeyError:
        raise NotFound("no such kind of clinic data") from None


def slug_for(kind: str) -> str:
    return next(slug for slug, value in KIND_SLUGS.items() if value == kind)


def in_words(moment: datetime, zone: ZoneInfo) -> str:
    """ "Thursday 3 December 2026, 9:30 am" in the clinic's zone."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {clock_words(local)}"


def _shipped(kind: str, *, in_force: bool) -> Version:
    return Version(
        kind=kind,
        ref=SHIPPED,
        version=clinic_data.shipped_version(kind),
        in_force=in_force,
        shipped=True,
    )


def _from_row(row: DataOverride, zone: ZoneInfo) -> Version:
    return Version(
        kind=row.kind,
        ref=str(row.pk),
        version=row.version,
        in_force=row.is_active,
        shipped=False,
        created_by=row.created_by.display_name if row.created_by else "someone since removed",
        created_when=in_words(row.created_at, zone),
    )


def kind_overview(kind: str, zone: ZoneInfo | None = None) -> KindOverview:
    """The version in force and the history of one kind (one query for the whole history)."""
    zone = zone or location_zone()
    rows = (
        DataOverride.objects.filter(kind=kind)
        .select_related("created_by")
        .only("kind", "version", "is_active", "created_at", "created_by")
        .order_by("-created_at", "-pk")
    )
    versions = [_from_row(row, zone) for row in rows]
    active = next((v for v in versions if v.in_force), None)
    shipped = _shipped(kind, in_force=active is None)
    versions.append(shipped)
    return KindOverview(
        kind=kind,
        label=str(DataKind(kind).label),
        slug=slug_for(kind),
        in_force=active or shipped,
        versions=versions,
    )


def overviews() -> list[KindOverview]:
    zone = location_zone()
    return [kind_overview(kind, zone) for kind in KIND_SLUGS.values()]


def override(kind: str, ref: str) -> DataOverride:
    """A stored version of ``kind`` by its id in the URL (NotFound otherwise)."""
    if not ref.isdigit():
        raise NotFound("no such version")
    row = DataOverride.objects.select_related("created_by").filter(kind=kind, pk=int(ref)).first()
    if row is None:
        raise NotFound("no such version")
    return row


def version_and_text(kind: str, ref: str) -> tuple[Version, str]:
    """A version (the shipped file with ``ref`` "shipped") and its whole text."""
    if ref == SHIPPED:
        active = DataOverride.objects.filter(kind=kind, is_active=True).exists()
        return _shipped(kind, in_force=not active), clinic_data.shipped_text(kind)
    row = override(kind, ref)
    return _from_row(row, location_zone()), row.text


def in_force_text(kind: str) -> tuple[Version, str]:
    row = (
        DataOverride.objects.select_related("created_by").filter(kind=kind, is_active=True).first()
    )
    if row is None:
        return _shipped(kind, in_force=True), clinic_data.shipped_text(kind)
    return _from_row(row, location_zone()), row.text


def diff_lines(in_force: str, other: str, *, context: int = 3) -> list[DiffLine]:
    """A unified diff of ``other`` against the text in force, line by line, with the line
    numbers of each side; "gap" stands for unchanged lines left out between changes."""
    old, new = in_force.splitlines(), other.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    lines: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for offset in range(i2 - i1):
                    lines.append(
                        DiffLine("same", i1 + offset + 1, j1 + offset + 1, old[i1 + offset])
                    )
                continue
            for i in range(i1, i2):
                lines.append(DiffLine("removed", i + 1, None, old[i]))
            for j in range(j1, j2):
                lines.append(DiffLine("added", None, j + 1, new[j]))
    return lines
