"""The whole clinic as FHIR Bulk Data: one NDJSON file per resource type and a manifest.

Streams: patients are read in batches (``records.patient_batches``), each batch's resources
are written line by line and dropped, so memory stays flat however many patients the clinic
has. The clinic's own resources (a few hundred rows at most) are written first; the
Questionnaires last, once every policy version answered is known. Each batch's patients are
audited as read by the export, in one event per patient.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from needlepoint.audit.services import Target, record_many

from .records import (
    clinic_directory,
    consent_texts,
    patient_batches,
    patient_count,
    patient_records,
)
from .resources import forms
from .resources.common import instant
from .resources.directory import directory_resources
from .resources.patient import patient_resources, questionnaires_for
from .selectors import readable_photo

BULK_EXPORT = "fhir.bulk_export"
MANIFEST = "manifest.json"
Progress = Callable[[int, int], None]


@dataclass
class NdjsonFiles:
    """One open ``{Type}.ndjson`` per resource type, with its line count."""

    folder: Path
    handles: dict[str, IO[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def write(self, resource: dict[str, Any]) -> None:
        kind = resource["resourceType"]
        handle = self.handles.get(kind)
        if handle is None:
            handle = (self.folder / f"{kind}.ndjson").open("w", encoding="utf-8")
            self.handles[kind] = handle
            self.counts[kind] = 0
        handle.write(json.dumps(resource, separators=(",", ":"), ensure_ascii=False))
        handle.write("\n")
        self.counts[kind] += 1

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


@dataclass(frozen=True)
class BulkExport:
    manifest: dict[str, Any]
    patients: int


def clinic_fhir_export(
    *,
    out: Path,
    batch_size: int = 200,
    with_photos: bool = True,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> BulkExport:
    """Write every live patient's record and the clinic's resources into ``out`` (which must
    exist and be empty: an export never mixes with an older one)."""
    started = now or timezone.now()
    directory = clinic_directory()
    staff_ids = frozenset(u.pk for u in directory.staff)
    texts = consent_texts()
    files = NdjsonFiles(out)
    total = patient_count()
    done = 0
    questionnaires: set[tuple[str, str]] = set()
    try:
        for resource in directory_resources(directory):
            files.write(resource)
        for batch in patient_batches(batch_size):
            for records in patient_records(batch):
                for resource in patient_resources(
                    records,
                    staff_ids=staff_ids,
                    photos=readable_photo if with_photos else None,
                    consent_texts=texts,
                ):
                    files.write(resource)
                questionnaires |= questionnaires_for(records)
            record_many(
                actor=None,
                action=BULK_EXPORT,
                targets=[Target("patient", str(p.pk), str(p.pk)) for p in batch],
                detail={"via": "command"},
            )
            done += len(batch)
            # Model rows hold reference cycles (prefetch caches, related objects): without a
            # collection they wait for the cyclic GC's thresholds, and the peak creeps up
            # with each batch though nothing is kept (docs/performance.md).
            del batch
            gc.collect()
            if progress:
                progress(done, total)
        for kind, version in sorted(questionnaires):
            files.write(forms.questionnaire(kind, version))
    finally:
        files.close()
    manifest = {
        "transactionTime": instant(started),
        "request": "needlepoint export fhir",
        "requiresAccessToken": False,
        "output": [
            {"type": kind, "url": f"{kind}.ndjson", "count": files.counts[kind]}
            for kind in sorted(files.counts)
        ],
        "error": [],
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BulkExport(manifest=manifest, patients=done)
