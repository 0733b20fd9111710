"""Consent texts, their canonical form and hashes, and the sterile-products list."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from needlepoint.domain.charting.rules import CONSENT_VERSION_NOT_CURRENT, CONSENT_VERSION_UNKNOWN
from needlepoint.domain.errors import DataError, DomainError

# --- Consent texts ---------------------------------------------------------------------

# What a consent must cover (reference §8, "Consent"); the file must have each section.
CONSENT_SECTIONS: tuple[str, ...] = (
    "procedure",
    "risks",
    "alternatives",
    "no_guarantee",
    "several_sessions",
    "aftercare_duties",
    "capacity_and_voluntariness",
)
# Risks a consent must name (reference §8).
CONSENT_RISKS: tuple[str, ...] = ("infection", "pih", "scarring", "hsv", "allergy")


@dataclass(frozen=True)
class ConsentSection:
    key: str
    title: str
    text: str


@dataclass(frozen=True)
class ConsentVersion:
    version: str
    effective: date
    sections: tuple[ConsentSection, ...]

    @property
    def text(self) -> str:
        return canonical_text(f"{s.title}\n{s.text}" for s in self.sections)

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


@dataclass(frozen=True)
class PhotoReleaseVersion:
    version: str
    text: str

    @property
    def text_hash(self) -> str:
        return text_hash(canonical_text([self.text]))


@dataclass(frozen=True)
class ConsentLibrary:
    versions: Mapping[str, ConsentVersion]
    current_version: str
    photo_release: PhotoReleaseVersion

    @property
    def current(self) -> ConsentVersion:
        return self.versions[self.current_version]

    def resolve(self, requested: str) -> ConsentVersion:
        """``"current"`` or a version id -> that version; only the current one may be signed."""
        requested = (requested or "").strip()
        if requested in ("", "current"):
            return self.current
        found = self.versions.get(requested)
        if found is None:
            raise DomainError(f"no consent version {requested!r}", code=CONSENT_VERSION_UNKNOWN)
        if found.version != self.current_version:
            raise DomainError(
                f"consent version {requested!r} is no longer current; "
                f"the patient signs {self.current_version!r}",
                code=CONSENT_VERSION_NOT_CURRENT,
            )
        return found


def canonical_text(parts: Iterable[str]) -> str:
    """One normalised text (NFC, single spaces, paragraphs by blank line) to hash."""
    cleaned = []
    for part in parts:
        normal = unicodedata.normalize("NFC", part)
        cleaned.append("\n".join(" ".join(line.split()) for line in normal.strip().splitlines()))
    return "\n\n".join(cleaned)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(raw: object, path: tuple[str | int, ...], *, required: bool = True) -> str:
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise DataError(path, "must be a non-empty text")
    return raw.strip()


def _mapping(raw: object, path: tuple[str | int, ...], keys: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise DataError(path, f"must be a mapping with {', '.join(keys)}")
    missing = [k for k in keys if k not in raw]
    if missing:
        raise DataError(path, f"is missing {', '.join(missing)}")
    unknown = [str(k) for k in raw if k not in keys]
    if unknown:
        raise DataError((*path, unknown[0]), f"is not a known key (expected {', '.join(keys)})")
    return raw


def parse_consent(raw: object) -> ConsentLibrary:
    """Validate the consent file's plain data (see needlepoint/data/consent.yaml)."""
    top = _mapping(raw, (), ("current", "versions", "photo_release"))
    current = _text(top["current"], ("current",))
    versions_raw = top["versions"]
    if not isinstance(versions_raw, list) or not versions_raw:
        raise DataError(("versions",), "must be a non-empty list of consent versions")
    versions: dict[str, ConsentVersion] = {}
    for i, item in enumerate(versions_raw):
        at: tuple[str | int, ...] = ("versions", i)
        entry = _mapping(item, at, ("version", "effective", "sections"))
        version = _text(entry["version"], (*at, "version"))
        if version in versions:
            raise DataError((*at, "version"), f"version {version!r} appears twice")
        effective = entry["effective"]
        if not isinstance(effective, date):
            raise DataError((*at, "effective"), "must be a date (YYYY-MM-DD)")
        sections_raw = entry["sections"]
        if not isinstance(sections_raw, Mapping):
            raise DataError((*at, "sections"), "must map each section to its title and text")
        missing = [s for s in CONSENT_SECTIONS if s not in sections_raw]
        if missing:
            raise DataError((*at, "sections"), f"is missing {', '.join(missing)}")
        sections = []
        for key in sections_raw:
            if key not in CONSENT_SECTIONS:
                raise DataError((*at, "sections", str(key)), "is not a known consent section")
            sec = _mapping(sections_raw[key], (*at, "sections", key), ("title", "text"))
            sections.append(
                ConsentSection(
                    key,
                    _text(sec["title"], (*at, "sections", key, "title")),
                    _text(sec["text"], (*at, "sections", key, "text")),
                )
            )
        risks = next(s for s in sections if s.key == "risks").text.lower()
        for risk, words in _RISK_WORDS.items():
            if not any(w in risks for w in words):
                raise DataError((*at, "sections", "risks", "text"), f"must name the risk of {risk}")
        versions[version] = ConsentVersion(version, effective, tuple(sections))
    if current not in versions:
        raise DataError(("current",), f"names no listed version ({', '.join(versions)})")
    release = _mapping(top["photo_release"], ("photo_release",), ("version", "text"))
    return ConsentLibrary(
        MappingProxyType(versions),
        current,
        PhotoReleaseVersion(
            _text(release["version"], ("photo_release", "version")),
            _text(release["text"], ("photo_release", "text")),
        ),
    )


_RISK_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "infection": ("infection",),
        "post-inflammatory hyperpigmentation": ("hyperpigmentation",),
        "scarring": ("scar",),
        "HSV (cold sores)": ("cold sore", "herpes", "hsv"),
        "allergy": ("allerg",),
    }
)


# --- Sterile products ------------------------------------------------------------------


@dataclass(frozen=True)
class SterileProduct:
    slug: str
    name: str
    note: str


def parse_sterile_products(raw: object) -> Mapping[str, SterileProduct]:
    top = _mapping(raw, (), ("version", "products"))
    _text(top["version"], ("version",))
    items = top["products"]
    if not isinstance(items, list):
        raise DataError(("products",), "must be a list (it may be empty)")
    products: dict[str, SterileProduct] = {}
    for i, item in enumerate(items):
        at: tuple[str | int, ...] = ("products", i)
        entry = _mapping(item, at, ("slug", "name", "note"))
        slug = _text(entry["slug"], (*at, "slug"))
        if slug in products:
            raise DataError((*at, "slug"), f"product {slug!r} appears twice")
        products[slug] = SterileProduct(
            slug,
            _text(entry["name"], (*at, "name")),
            _text(entry["note"], (*at, "note"), required=False),
        )
    return MappingProxyType(products)
