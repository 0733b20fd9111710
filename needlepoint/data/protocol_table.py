"""The clinic's protocol table file and its loader."""

from __future__ import annotations

from pathlib import Path

from needlepoint.data.loading import parse_data_file
from needlepoint.domain.protocols import ProtocolTable, parse_protocols

PROTOCOL_FILE = Path(__file__).with_name("protocols.yaml")


def load_protocols(path: Path = PROTOCOL_FILE) -> ProtocolTable:
    """Read and validate the table; DataFileError names the file and line at fault."""
    return parse_data_file(path, parse_protocols)
