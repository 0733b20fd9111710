"""docs/roles.md names a page for every job: each one exists, and none is an API call."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def job_pages() -> list[tuple[str, str]]:
    text = DOC.read_text().split("## Every job has a page", 1)[1]
    pages = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2].startswith("`/"):
            pages += [(cells[0], path) for path in re.findall(r"`(/[^`]*)`", cells[2])]
    return pages


def test_the_section_names_pages() -> None:
    assert len(job_pages()) >= 40


@pytest.mark.parametrize(("job", "path"), job_pages())
def test_each_job_page_exists_and_is_a_page(job: str, path: str) -> None:
    assert not path.startswith("/api/"), job
    try:
        resolve(path.replace("{id}", "1"))
    except Resolver404:
        pytest.fail(f"{job}: {path} is no page of Needlepoint")
