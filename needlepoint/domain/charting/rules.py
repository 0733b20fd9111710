"""Rule codes and vocabularies of treatment day (API contract)."""

from __future__ import annotations

# --- Rule codes (API contract) ---------------------------------------------------------

CONSENT_REQUIRED = "CONSENT_REQUIRED"
CONSENT_VERSION_UNKNOWN = "CONSENT_VERSION_UNKNOWN"
CONSENT_VERSION_NOT_CURRENT = "CONSENT_VERSION_NOT_CURRENT"
SIGNATURE_REQUIRED = "SIGNATURE_REQUIRED"
SIGNATURE_NOT_THE_PATIENT = "SIGNATURE_NOT_THE_PATIENT"
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
SESSION_NOT_YET = "SESSION_NOT_YET"
SESSION_DAY_PASSED = "SESSION_DAY_PASSED"
LATE_ENTRY_REASON_REQUIRED = "LATE_ENTRY_REASON_REQUIRED"
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
