"""Treatment day, pure rules: the order of the steps, consent texts and their hashes, the
session chart's checks, and cartridge stock warnings.

Nothing here reads the clock or the database: callers pass ``on_date``, the protocol table,
the role's scope ceilings, the approved sterile products and the patient's precautions.
Every refusal carries a rule code (``rule``) that the API returns and the tests name.
Decisions: docs/decisions/0150..0155.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from needlepoint.domain.errors import DataError, DomainError
from needlepoint.domain.protocols import (
    DepthRange,
    DepthStatus,
    ProtocolTable,
    ScopeCeilings,
    depth_check,
)

# --- Rule codes (API contract) ---------------------------------------------------------

CONSENT_REQUIRED = "CONSENT_REQUIRED"
CONSENT_VERSION_UNKNOWN = "CONSENT_VERSION_UNKNOWN"
CONSENT_VERSION_NOT_CURRENT = "CONSENT_VERSION_NOT_CURRENT"
SIGNATURE_REQUIRED = "SIGNATURE_REQUIRED"
DAY_OF_CHECK_REQUIRED = "DAY_OF_CHECK_REQUIRED"
DAY_OF_CHECK_FAILED = "DAY_OF_CHECK_FAILED"
CHART_REQUIRED = "CHART_REQUIRED"
CHART_ALREADY_SIGNED = "CHART_ALREADY_SIGNED"
CHART_NOT_SIGNED = "CHART_NOT_SIGNED"
COSIGN_NOT_NEEDED = "COSIGN_NOT_NEEDED"
ALREADY_COSIGNED = "ALREADY_COSIGNED"
NOT_THE_OPERATOR = "NOT_THE_OPERATOR"
BASELINE_PHOTOS_REQUIRED = "BASELINE_PHOTOS_REQUIRED"
APPOINTMENT_NOT_OPEN = "APPOINTMENT_NOT_OPEN"
LOT_UNKNOWN = "LOT_UNKNOWN"
LOT_EXPIRED = "LOT_EXPIRED"
LOT_EXHAUSTED = "LOT_EXHAUSTED"
LOT_EXISTS_OTHER_EXPIRY = "LOT_EXISTS_OTHER_EXPIRY"
DEVICE_UNKNOWN = "DEVICE_UNKNOWN"
DEVICE_NOT_IN_SERVICE = "DEVICE_NOT_IN_SERVICE"
ZONE_UNKNOWN = "ZONE_UNKNOWN"
ZONE_REPEATED = "ZONE_REPEATED"
ZONES_REQUIRED = "ZONES_REQUIRED"
DEPTH_INVALID = "DEPTH_INVALID"
DEPTH_REASON_REQUIRED = "DEPTH_REASON_REQUIRED"
PASSES_INVALID = "PASSES_INVALID"
ENDPOINT_UNKNOWN = "ENDPOINT_UNKNOWN"
ANESTHETIC_CONTRAINDICATED = "ANESTHETIC_CONTRAINDICATED"
TOPICAL_NOT_APPROVED = "TOPICAL_NOT_APPROVED"
TOPICAL_LOT_REQUIRED = "TOPICAL_LOT_REQUIRED"
AMENDMENT_FIELD_UNKNOWN = "AMENDMENT_FIELD_UNKNOWN"
REASON_REQUIRED = "REASON_REQUIRED"

NO_TOPICAL_ANESTHETIC = "NO_TOPICAL_ANESTHETIC"

# What the operator aimed for and reached (reference §3: erythema, or pinpoint bleeding).
ENDPOINTS: tuple[str, ...] = ("even_erythema", "pinpoint_bleeding", "not_reached")
MAX_PASSES = 12

ADVERSE_EVENT_KINDS: tuple[str, ...] = (
    "prolonged_erythema",
    "infection",
    "herpes_outbreak",
    "post_inflammatory_hyperpigmentation",
    "tram_track_scarring",
    "granuloma",
    "allergic_reaction",
    "other",
)
ADVERSE_EVENT_SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe")
ADVERSE_EVENT_OUTCOMES: tuple[str, ...] = (
    "ongoing",
    "resolved",
    "resolved_with_sequelae",
    "unknown",
)

# Fields of a signed chart that an amendment may change. Traceability (lot, pen, operator,
# depths) is never amended: a wrong lot is a new adverse-event-grade finding, not an edit.
AMENDABLE_FIELDS: tuple[str, ...] = (
    "endpoint",
    "immediate_reactions",
    "aftercare_given",
    "notes",
)


# --- Step order ------------------------------------------------------------------------


class Step(StrEnum):
    CONSENT = "consent"
    DAY_OF_CHECK = "day_of_check"
    CHART = "chart"
    SIGN = "sign"
    DONE = "done"


STEPS: tuple[Step, ...] = (Step.CONSENT, Step.DAY_OF_CHECK, Step.CHART, Step.SIGN)


@dataclass(frozen=True)
class StepState:
    """What has happened for one appointment so far."""

    consent_current: bool
    day_of_passed: bool | None  # None: no check yet; False: the latest check blocked
    chart_exists: bool
    chart_signed: bool


@dataclass(frozen=True)
class StepRefusal:
    rule: str
    message: str


def next_step(state: StepState) -> Step:
    """The first step not yet done."""
    if not state.consent_current:
        return Step.CONSENT
    if state.day_of_passed is not True:
        return Step.DAY_OF_CHECK
    if not state.chart_exists:
        return Step.CHART
    if not state.chart_signed:
        return Step.SIGN
    return Step.DONE


def refusal_for(step: Step, state: StepState) -> StepRefusal | None:
    """Why ``step`` may not be taken now (each earlier step must be done), or None."""
    if step is Step.CONSENT:
        return None
    if not state.consent_current:
        return StepRefusal(
            CONSENT_REQUIRED,
            "The patient has not signed the current consent for this plan; take consent first.",
        )
    if step is Step.DAY_OF_CHECK:
        return None
    if state.day_of_passed is None:
        return StepRefusal(
            DAY_OF_CHECK_REQUIRED, "Take the day-of check before charting the session."
        )
    if state.day_of_passed is False:
        return StepRefusal(
            DAY_OF_CHECK_FAILED,
            "The day-of check found a reason not to treat today; rebook the session.",
        )
    if step is Step.CHART:
        if state.chart_signed:
            return StepRefusal(
                CHART_ALREADY_SIGNED,
                "The chart is signed and locked; record an amendment with a reason.",
            )
        return None
    if not state.chart_exists:
        return StepRefusal(CHART_REQUIRED, "Chart the session before signing it.")
    if state.chart_signed:
        return StepRefusal(CHART_ALREADY_SIGNED, "The chart is already signed.")
    return None


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


# --- The session chart -----------------------------------------------------------------


@dataclass(frozen=True)
class ZoneEntry:
    zone: str
    depth_mm: float
    passes: int
    reason: str = ""


@dataclass(frozen=True)
class TopicalEntry:
    product: str
    lot: str
    override_reason: str = ""


@dataclass(frozen=True)
class ChartDraft:
    zones: tuple[ZoneEntry, ...]
    anesthetic: str
    topicals: tuple[TopicalEntry, ...]
    endpoint: str


class ProblemKind(StrEnum):
    REFUSED = "refused"  # 422: a value that can never be charted
    NEEDS_REASON = "needs_reason"  # 422 until a reason is given


@dataclass(frozen=True)
class ChartProblem:
    field: str
    rule: str
    message: str
    kind: ProblemKind = ProblemKind.REFUSED


@dataclass(frozen=True)
class ChartContext:
    """Everything the chart is judged against, gathered by the caller."""

    operator_role: str
    plan_zones: Mapping[str, DepthRange]
    precautions: frozenset[str]
    approved_products: frozenset[str]
    table: ProtocolTable
    scope_ceilings: ScopeCeilings


@dataclass(frozen=True)
class ZoneJudgement:
    zone: str
    depth_mm: float
    rule: str
    message: str
    plan_range: DepthRange | None


@dataclass(frozen=True)
class ChartVerdict:
    problems: tuple[ChartProblem, ...]
    zones: tuple[ZoneJudgement, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rule(self) -> str:
        """The first refusing rule: what the API names as the reason."""
        return self.problems[0].rule if self.problems else "CHART_OK"


def check_chart(draft: ChartDraft, ctx: ChartContext) -> ChartVerdict:
    """Every problem with a chart, refusals and missing reasons alike."""
    problems: list[ChartProblem] = []
    judged: list[ZoneJudgement] = []
    if not draft.zones:
        problems.append(ChartProblem("zones", ZONES_REQUIRED, "chart at least one zone"))
    seen: set[str] = set()
    for i, entry in enumerate(draft.zones):
        at = f"zones[{i}]"
        if entry.zone not in ctx.table.zones:
            problems.append(
                ChartProblem(
                    f"{at}.zone",
                    ZONE_UNKNOWN,
                    f"unknown zone {entry.zone!r}; one of {', '.join(ctx.table.zones)}",
                )
            )
            continue
        if entry.zone in seen:
            problems.append(
                ChartProblem(f"{at}.zone", ZONE_REPEATED, f"{entry.zone} is charted twice")
            )
        seen.add(entry.zone)
        if not 1 <= entry.passes <= MAX_PASSES:
            problems.append(
                ChartProblem(f"{at}.passes", PASSES_INVALID, f"must be between 1 and {MAX_PASSES}")
            )
        if not entry.depth_mm > 0:
            problems.append(ChartProblem(f"{at}.depth_mm", DEPTH_INVALID, "must be above 0 mm"))
            continue
        plan_range = ctx.plan_zones.get(entry.zone)
        # A zone the plan does not list has no plan range: charting it needs a reason.
        verdict = depth_check(
            entry.zone,
            entry.depth_mm,
            ctx.operator_role,
            plan_range or (0.0, -1.0),
            ctx.table,
            ctx.scope_ceilings,
        )
        message = verdict.message
        if plan_range is None and verdict.status is DepthStatus.OUTSIDE_PLAN_RANGE:
            message = f"{entry.zone} is not in the plan; record the reason."
        judged.append(ZoneJudgement(entry.zone, entry.depth_mm, verdict.rule, message, plan_range))
        if verdict.refused:
            problems.append(ChartProblem(f"{at}.depth_mm", verdict.rule, message))
        elif verdict.needs_reason and not entry.reason.strip():
            problems.append(
                ChartProblem(f"{at}.reason", verdict.rule, message, ProblemKind.NEEDS_REASON)
            )
    if draft.endpoint not in ENDPOINTS:
        problems.append(
            ChartProblem("endpoint", ENDPOINT_UNKNOWN, f"must be one of {', '.join(ENDPOINTS)}")
        )
    if draft.anesthetic.strip() and NO_TOPICAL_ANESTHETIC in ctx.precautions:
        problems.append(
            ChartProblem(
                "anesthetic",
                ANESTHETIC_CONTRAINDICATED,
                "the patient has precaution NO_TOPICAL_ANESTHETIC (numbing-cream allergy); "
                "no topical anaesthetic may be charted",
            )
        )
    for i, topical in enumerate(draft.topicals):
        at = f"topicals[{i}]"
        if not topical.lot.strip():
            problems.append(
                ChartProblem(f"{at}.lot", TOPICAL_LOT_REQUIRED, "record the product's lot")
            )
        if topical.product in ctx.approved_products:
            continue
        overridden = ctx.operator_role == "physician" and topical.override_reason.strip()
        if not overridden:
            problems.append(
                ChartProblem(
                    f"{at}.product",
                    TOPICAL_NOT_APPROVED,
                    f"{topical.product!r} is not on the clinic's list of sterile products "
                    "approved for needled skin (non-sterile serums have caused granulomas); "
                    "only a physician may override it, with a reason",
                )
            )
    return ChartVerdict(tuple(problems), tuple(judged))


# --- Stock and expiry ------------------------------------------------------------------


@dataclass(frozen=True)
class LotStock:
    lot: str
    expiry: date
    received: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.received - self.used, 0)


@dataclass(frozen=True)
class StockWarning:
    lot: str
    code: str
    message: str


LOT_EXPIRING = "LOT_EXPIRING"
LOT_LOW = "LOT_LOW"


def lot_refusal(stock: LotStock, on_date: date) -> StepRefusal | None:
    """Why a cartridge from this lot may not be used on ``on_date`` (expired or none left)."""
    if stock.expiry < on_date:
        return StepRefusal(LOT_EXPIRED, f"lot {stock.lot} expired on {stock.expiry.isoformat()}")
    if stock.remaining <= 0:
        return StepRefusal(LOT_EXHAUSTED, f"lot {stock.lot} has no cartridges left in stock")
    return None


def receipt_refusal(expiry: date, quantity: int, on_date: date) -> StepRefusal | None:
    if quantity < 1:
        raise DomainError("a receipt must have at least one cartridge", code="QUANTITY_INVALID")
    if expiry < on_date:
        return StepRefusal(
            LOT_EXPIRED, f"the lot expired on {expiry.isoformat()}; expired stock is not received"
        )
    return None


def stock_warnings(
    lots: Iterable[LotStock], on_date: date, *, expiry_days: int, low_threshold: int
) -> list[StockWarning]:
    """Warnings for lots still in stock: expired, expiring within ``expiry_days``, or low."""
    warnings: list[StockWarning] = []
    horizon = on_date + timedelta(days=expiry_days)
    for stock in lots:
        if stock.remaining <= 0:
            continue
        if stock.expiry < on_date:
            warnings.append(
                StockWarning(
                    stock.lot,
                    LOT_EXPIRED,
                    f"lot {stock.lot} expired on {stock.expiry.isoformat()}: "
                    f"{stock.remaining} left to discard",
                )
            )
            continue
        if stock.expiry <= horizon:
            warnings.append(
                StockWarning(
                    stock.lot,
                    LOT_EXPIRING,
                    f"lot {stock.lot} expires on {stock.expiry.isoformat()} "
                    f"({(stock.expiry - on_date).days} days)",
                )
            )
        if stock.remaining <= low_threshold:
            warnings.append(
                StockWarning(stock.lot, LOT_LOW, f"lot {stock.lot}: only {stock.remaining} left")
            )
    return warnings


def usable_stock(lots: Iterable[LotStock], on_date: date) -> int:
    return sum(s.remaining for s in lots if s.expiry >= on_date)


# --- Amendments ------------------------------------------------------------------------


def check_amendment(changes: Mapping[str, object], reason: str) -> list[ChartProblem]:
    problems: list[ChartProblem] = []
    if not reason.strip():
        problems.append(ChartProblem("reason", REASON_REQUIRED, "an amendment needs a reason"))
    if not changes:
        problems.append(
            ChartProblem("changes", AMENDMENT_FIELD_UNKNOWN, "name at least one field to change")
        )
    for name, value in changes.items():
        if name not in AMENDABLE_FIELDS:
            problems.append(
                ChartProblem(
                    f"changes.{name}",
                    AMENDMENT_FIELD_UNKNOWN,
                    f"may not be amended; amendable: {', '.join(AMENDABLE_FIELDS)}",
                )
            )
        elif name == "endpoint" and value not in ENDPOINTS:
            problems.append(
                ChartProblem(
                    "changes.endpoint", ENDPOINT_UNKNOWN, f"must be one of {', '.join(ENDPOINTS)}"
                )
            )
        elif name == "aftercare_given" and not isinstance(value, bool):
            problems.append(
                ChartProblem("changes.aftercare_given", "VALUE_INVALID", "must be true or false")
            )
        elif name in ("immediate_reactions", "notes") and not isinstance(value, str):
            problems.append(ChartProblem(f"changes.{name}", "VALUE_INVALID", "must be a text"))
    return problems


def parse_scope_setting(text: str) -> dict[str, tuple[float, float]]:
    """``"aesthetician=1.0/2.0,physician=2.5/2.5"`` -> {role: (face_mm, other_mm)}.

    The empty text means: use the protocol file's defaults.
    """
    result: dict[str, tuple[float, float]] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        role, sep, limits = item.partition("=")
        face, slash, other = limits.partition("/")
        try:
            values = (float(face), float(other if slash else face))
        except ValueError:
            raise DomainError(
                f"{item!r}: write role=FACE_MM/OTHER_MM, e.g. aesthetician=1.0/2.0",
                code="SCOPE_SETTING_INVALID",
            ) from None
        if not sep or not role.strip() or not all(0 < v <= 3.0 for v in values):
            raise DomainError(
                f"{item!r}: write role=FACE_MM/OTHER_MM with depths above 0 and at most 3 mm",
                code="SCOPE_SETTING_INVALID",
            )
        result[role.strip()] = values
    return result


# ---------------------------------------------------------------- drawn signatures

PNG_DATA_URL_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# consent_sign refuses a signature over 100,000 characters; a PNG of this many bytes is
# at most 97,358 characters as a base64 data URL, so a drawing that passes here is never
# refused there. A signature drawn on a tablet pad is typically 5-30 KB.
MAX_DRAWN_SIGNATURE_BYTES = 73_000
MAX_DRAWN_SIGNATURE_SIDE = 4000


def drawn_signature_problem(value: str) -> str:
    """Why ``value`` is not an acceptable drawn signature, or "" when it is.

    It must be a base64 PNG data URL (what ``canvas.toDataURL()`` gives), decode to a real
    PNG of sensible dimensions, and be small enough to store whole with the consent.
    """
    if not value:
        return "draw the signature in the box, or type the full name instead"
    if not value.startswith(PNG_DATA_URL_PREFIX):
        return "the drawing must be a PNG image (data:image/png;base64,…)"
    encoded = value[len(PNG_DATA_URL_PREFIX) :]
    if len(encoded) > (MAX_DRAWN_SIGNATURE_BYTES + 2) // 3 * 4:
        return (
            f"the drawing is too large (over {MAX_DRAWN_SIGNATURE_BYTES // 1000} KB); "
            "clear it and sign again"
        )
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return "the drawing is not a valid PNG image; clear it and sign again"
    if len(data) > MAX_DRAWN_SIGNATURE_BYTES:
        return (
            f"the drawing is too large (over {MAX_DRAWN_SIGNATURE_BYTES // 1000} KB); "
            "clear it and sign again"
        )
    if len(data) < 33 or not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR":
        return "the drawing is not a valid PNG image; clear it and sign again"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not (0 < width <= MAX_DRAWN_SIGNATURE_SIDE and 0 < height <= MAX_DRAWN_SIGNATURE_SIDE):
        return "the drawing has impossible dimensions; clear it and sign again"
    return ""
