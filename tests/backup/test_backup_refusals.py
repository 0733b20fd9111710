"""What `needlepoint backup` writes and what `needlepoint restore` refuses, in-process: a
non-empty target, a changed file, an edited manifest, a missing or wrong secret key; and an
encrypted backup keeps no plaintext."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from pyrage import x25519

from needlepoint.backup.restoring import backup_restore
from needlepoint.backup.services import backup_create
from needlepoint.backup.snapshot import BackupError
from needlepoint.patients.models import Patient
from tests.backup.targets import fresh_target, run_needlepoint

pytestmark = pytest.mark.django_db(transaction=True)


def _photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def clinic_with_a_photo(patient: Any) -> Any:
    from needlepoint.outcomes.services import photo_upload

    return photo_upload(
        actor=None,
        patient=patient.patient,
        view="front",
        taken_on=date(2026, 1, 5),
        data=_photo_bytes(),
    )


def _manifest(directory: Path) -> dict[str, Any]:
    return json.loads((directory / "manifest.json").read_text())


def test_the_backup_command_says_what_it_wrote(clinic_with_a_photo, tmp_path):
    out = io.StringIO()
    call_command("backup", "--out", str(tmp_path / "b"), stdout=out)
    assert "1 patients" in out.getvalue() and "2 photo files" in out.getvalue()
    assert "NOT encrypted" in out.getvalue()
    manifest = _manifest(tmp_path / "b")
    assert manifest["schema"]["audit"] == "0002_keyed_chains"
    assert manifest["audit"]["chains"]["default"]["length"] >= 1
    assert manifest["seconds"] >= 0
    assert {p["name"] for p in manifest["photos"]} == {
        clinic_with_a_photo.file_name,
        clinic_with_a_photo.thumb_name,
    }


def test_a_backup_never_writes_into_a_directory_that_holds_files(clinic_with_a_photo, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="is not empty: give a new directory"):
        call_command("backup", "--out", str(tmp_path / "old"))


def test_an_encrypted_backup_holds_no_plaintext(clinic_with_a_photo, tmp_path):
    identity = x25519.Identity.generate()
    backup_create(out=tmp_path / "b", recipients_text=str(identity.to_public()))
    manifest = _manifest(tmp_path / "b")
    stored = sorted(p.name for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all(name.endswith(".age") or name == "manifest.json" for name in stored), stored
    assert manifest["encryption"]["recipients"] == [str(identity.to_public())]
    photo = (tmp_path / "b" / f"files/{clinic_with_a_photo.file_name}.age").read_bytes()
    assert b"JFIF" not in photo and photo.startswith(b"age-encryption.org/v1")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("AGE-SECRET-KEY-1QQQQ", "holds a secret key"),
        ("age1notakey", "is not an age public key"),
    ],
)
def test_a_wrong_backup_key_is_refused_before_anything_is_written(tmp_path, key, message):
    with pytest.raises(BackupError, match=message):
        backup_create(out=tmp_path / "b", recipients_text=key)
    assert not (tmp_path / "b").exists()


def test_a_restore_refuses_a_database_that_holds_records(clinic_with_a_photo, tmp_path):
    backup_create(out=tmp_path / "b", recipients_text="")
    patients = Patient.objects.count()
    with pytest.raises(CommandError, match="the target database is not empty") as refused:
        call_command("restore", str(tmp_path / "b"))
    assert "nothing was changed" in str(refused.value)
    assert Patient.objects.count() == patients


def test_a_changed_file_or_an_edited_manifest_is_refused(clinic_with_a_photo, tmp_path):
    backup_create(out=tmp_path / "b", recipients_text="")
    shutil.copytree(tmp_path / "b", tmp_path / "edited")
    photo = tmp_path / "b" / "files" / clinic_with_a_photo.file_name
    photo.write_bytes(photo.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(BackupError, match="does not match its SHA-256 in the manifest"):
        backup_restore(directory=tmp_path / "b")
    # Swapping a file and writing its new hash into the manifest breaks the signature.
    manifest = _manifest(tmp_path / "edited")
    manifest["counts"]["patients"] = 99
    (tmp_path / "edited" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="signature does not match"):
        backup_restore(directory=tmp_path / "edited")


def test_an_unfinished_backup_is_refused(tmp_path):
    (tmp_path / "b").mkdir()
    with pytest.raises(BackupError, match=r"holds no manifest\.json"):
        backup_restore(directory=tmp_path / "b")


def test_an_encrypted_backup_needs_the_right_secret_key(clinic_with_a_photo, tmp_path):
    identity = x25519.Identity.generate()
    backup_create(out=tmp_path / "b", recipients_text=str(identity.to_public()))
    with pytest.raises(BackupError, match="this backup is encrypted: give the secret key file"):
        backup_restore(directory=tmp_path / "b")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(f"{x25519.Identity.generate()}\n")
    with pytest.raises(BackupError, match="cannot be decrypted with the secret key given"):
        backup_restore(directory=tmp_path / "b", identity_file=str(wrong))


# The photo store's check does not depend on the database: one pass (a new PostgreSQL
# database per run costs more than the check it would repeat).
@pytest.mark.sqlite_only
def test_a_restore_refuses_a_photo_store_that_holds_files(clinic_with_a_photo, tmp_path):
    backup_create(out=tmp_path / "b", recipients_text="")
    stray = tmp_path / "target-data" / "private" / "photos" / "left-over.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not ours")
    with fresh_target(tmp_path) as target:
        refused = run_needlepoint(
            target,
            tmp_path / "target-data",
            tmp_path / "checkpoints",
            "restore",
            str(tmp_path / "b"),
        )
    assert refused.returncode == 1
    assert "the photo store is not empty (1 file(s), e.g. photos/left-over.jpg)" in refused.stderr
    assert "nothing was changed" in refused.stderr
