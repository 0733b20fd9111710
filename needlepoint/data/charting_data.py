"""The consent texts and approved sterile products files, and their loaders."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from needlepoint.data.loading import parse_data_file
from needlepoint.domain.charting import (
    ConsentLibrary,
    SterileProduct,
    parse_consent,
    parse_sterile_products,
)

CONSENT_FILE = Path(__file__).with_name("consent.yaml")
STERILE_PRODUCTS_FILE = Path(__file__).with_name("sterile-products.yaml")


def load_consent(path: Path = CONSENT_FILE) -> ConsentLibrary:
    """Read and validate the consent texts; DataFileError names the file and line."""
    return parse_data_file(path, parse_consent)


def load_sterile_products(path: Path = STERILE_PRODUCTS_FILE) -> Mapping[str, SterileProduct]:
    return parse_data_file(path, parse_sterile_products)
