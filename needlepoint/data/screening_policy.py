"""The clinic's screening policy file, loaded and checked (refused with a line number)."""

from __future__ import annotations

from pathlib import Path

from needlepoint.data.loading import parse_data_file
from needlepoint.domain.screening import ScreeningPolicy, parse_policy

POLICY_FILE = Path(__file__).with_name("screening-policy.yaml")


def load_policy(path: Path = POLICY_FILE) -> ScreeningPolicy:
    """Read and validate a policy file; raises ``DataFileError`` naming file and line."""
    return parse_data_file(path, parse_policy)
