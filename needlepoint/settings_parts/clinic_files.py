"""The clinic-editable data files, booking rules, the treatment day's limits, retention."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from needlepoint.core.env import env as _env
from needlepoint.core.env import env_int as _env_int
from needlepoint.settings_parts.base import BASE_DIR

# Clinic-editable data (issue #3): the screening policy and protocol table are read at
# start-up; a file the software cannot use refuses to start, naming file and line.
NEEDLEPOINT_SCREENING_POLICY_FILE = Path(
    _env("NEEDLEPOINT_SCREENING_POLICY_FILE", str(BASE_DIR / "data" / "screening-policy.yaml"))
)
NEEDLEPOINT_PROTOCOL_FILE = Path(
    _env("NEEDLEPOINT_PROTOCOL_FILE", str(BASE_DIR / "data" / "protocols.yaml"))
)
NEEDLEPOINT_TREATMENT_PAGE_FILE = Path(
    _env("NEEDLEPOINT_TREATMENT_PAGE_FILE", str(BASE_DIR / "data" / "treatment-page.yaml"))
)

# Booking (scheduling): the local start grid, notice, how far ahead, late cancellation.
NEEDLEPOINT_SLOT_MINUTES = _env_int("NEEDLEPOINT_SLOT_MINUTES", 15, 1)
if 1440 % NEEDLEPOINT_SLOT_MINUTES:
    raise ImproperlyConfigured("NEEDLEPOINT_SLOT_MINUTES must divide a day (5, 10, 15, 30, 60 ...)")
NEEDLEPOINT_MIN_NOTICE_HOURS = _env_int("NEEDLEPOINT_MIN_NOTICE_HOURS", 12, 0)
NEEDLEPOINT_HORIZON_DAYS = _env_int("NEEDLEPOINT_HORIZON_DAYS", 120, 1)
NEEDLEPOINT_LATE_CANCEL_HOURS = _env_int("NEEDLEPOINT_LATE_CANCEL_HOURS", 48, 0)

# Treatment day (issue #5): consent texts, approved sterile products, per-role depth scope
# ceilings ("aesthetician=1.0/2.0,physician=2.5/2.5": face/other mm; empty = the protocol
# file's defaults) and cartridge stock warnings (docs/decisions/0153-scope-ceilings.md).
NEEDLEPOINT_CONSENT_FILE = Path(
    _env("NEEDLEPOINT_CONSENT_FILE", str(BASE_DIR / "data" / "consent.yaml"))
)
NEEDLEPOINT_STERILE_PRODUCTS_FILE = Path(
    _env("NEEDLEPOINT_STERILE_PRODUCTS_FILE", str(BASE_DIR / "data" / "sterile-products.yaml"))
)
NEEDLEPOINT_SCOPE_CEILINGS = _env("NEEDLEPOINT_SCOPE_CEILINGS", "")
NEEDLEPOINT_STOCK_EXPIRY_WARNING_DAYS = _env_int("NEEDLEPOINT_STOCK_EXPIRY_WARNING_DAYS", 60, 0)
NEEDLEPOINT_STOCK_LOW_THRESHOLD = _env_int("NEEDLEPOINT_STOCK_LOW_THRESHOLD", 20, 0)
# Years the clinical records of an erased patient are kept after their last care
# (docs/retention.md): set it to the law of the clinic's jurisdiction.
NEEDLEPOINT_CLINICAL_RETENTION_YEARS = _env_int("NEEDLEPOINT_CLINICAL_RETENTION_YEARS", 10, 1)
try:
    from needlepoint.domain.charting import parse_scope_setting as _parse_scope

    _parse_scope(NEEDLEPOINT_SCOPE_CEILINGS)
except Exception as _exc:  # a misconfiguration refuses to start
    raise ImproperlyConfigured(f"NEEDLEPOINT_SCOPE_CEILINGS: {_exc}") from None
