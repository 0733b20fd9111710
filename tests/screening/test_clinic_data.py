"""Data files: refused at start-up with file and line; a clinic's override in the admin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import InvalidInput
from needlepoint.screening import clinic_data, services
from needlepoint.screening.models import DataKind, DataOverride

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "needlepoint" / "data"


def start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "needlepoint", "check"],
        cwd=ROOT,
        env={**os.environ, "NEEDLEPOINT_ENV": "test", "DATABASE_URL": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def broken_copy(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    text = (DATA / name).read_text()
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1))
    return target, line


def test_a_malformed_screening_policy_refuses_start_up_naming_file_and_line(tmp_path):
    bad, line = broken_copy(
        tmp_path, "screening-policy.yaml", "verdict: not_eligible", "verdict: maybe"
    )
    result = start(NEEDLEPOINT_SCREENING_POLICY_FILE=str(bad))
    assert result.returncode != 0
    assert f"{bad}, line {line}: must be one of" in result.stderr


def test_a_malformed_protocol_table_refuses_start_up_naming_file_and_line(tmp_path):
    bad, line = broken_copy(tmp_path, "protocols.yaml", "sessions: 3,", "sesions: 3,")
    result = start(NEEDLEPOINT_PROTOCOL_FILE=str(bad))
    assert result.returncode != 0
    assert f"{bad}, line {line}:" in result.stderr
    assert "sesions" in result.stderr


def test_the_shipped_files_start_cleanly():
    result = start()
    assert result.returncode == 0, result.stderr


pytestmark_db = pytest.mark.django_db


def policy_text(version: str, isotretinoin_months: int = 12) -> str:
    text = (DATA / "screening-policy.yaml").read_text()
    text = text.replace('version: "2026.11-default"', f'version: "{version}"')
    return text.replace(
        "when: {date: isotretinoin_last_dose, within: {months: 6}}",
        f"when: {{date: isotretinoin_last_dose, within: {{months: {isotretinoin_months}}}}}",
    )


@pytestmark_db
def test_an_active_override_is_used_instead_of_the_shipped_file_and_is_audited(clinic_admin):
    assert "within: {months: 6}}" in (DATA / "screening-policy.yaml").read_text()
    override = services.data_override_create(
        actor=clinic_admin.user, kind=DataKind.SCREENING_POLICY, text=policy_text("clinic-1")
    )
    assert clinic_data.current_policy().version == "clinic-1"
    event = AuditEvent.objects.get(action="data_override.create")
    assert event.detail == {"kind": "screening_policy", "version": "clinic-1", "active": True}
    services.data_override_set_active(actor=clinic_admin.user, override=override, active=False)
    assert clinic_data.current_policy().version == "2026.11-default"
    assert AuditEvent.objects.filter(action="data_override.deactivate").count() == 1


@pytestmark_db
def test_a_screening_judged_under_an_override_records_its_version(
    clinic_admin, api, answers_factory, before_planned_date
):
    services.data_override_create(
        actor=clinic_admin.user, kind=DataKind.SCREENING_POLICY, text=policy_text("clinic-12m")
    )
    body = answers_factory(isotretinoin_last_dose="2026-03-01", consent_to_store=True)
    result = api().post("/screenings", body).json()
    assert result["policy_version"] == "clinic-12m"
    assert result["resume_on"] == "2027-03-01"  # 12 months, not the shipped 6


@pytestmark_db
def test_an_override_with_a_mistake_is_refused_with_its_line(clinic_admin):
    text = policy_text("clinic-2").replace("verdict: not_eligible", "verdict: maybe", 1)
    with pytest.raises(InvalidInput) as refused:
        services.data_override_create(
            actor=clinic_admin.user, kind=DataKind.SCREENING_POLICY, text=text
        )
    assert refused.value.problems[0].message.startswith("line ")
    assert "must be one of" in refused.value.problems[0].message
    assert DataOverride.objects.count() == 0


@pytestmark_db
def test_an_override_must_carry_a_new_version(clinic_admin):
    with pytest.raises(InvalidInput, match="new version"):
        services.data_override_create(
            actor=clinic_admin.user,
            kind=DataKind.SCREENING_POLICY,
            text=policy_text("2026.11-default"),
        )


@pytestmark_db
def test_the_admin_form_shows_line_and_problem(clinic_admin, staff_client):
    clinic_admin.user.is_staff = clinic_admin.user.is_superuser = True
    clinic_admin.user.save()
    client = staff_client(clinic_admin)
    text = (
        (DATA / "protocols.yaml").read_text().replace('version: "2026.11-default"', 'version: "x1"')
    )
    bad = text.replace("sessions: 3,", "sessions: 0,", 1)
    response = client.post(
        "/admin/screening/dataoverride/add/",
        {"kind": "protocol_table", "text": bad, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "line " in response.content.decode()
    assert DataOverride.objects.count() == 0
    response = client.post(
        "/admin/screening/dataoverride/add/",
        {"kind": "protocol_table", "text": text, "is_active": "on"},
    )
    assert response.status_code == 302
    assert clinic_data.current_protocols().version == "x1"
    assert AuditEvent.objects.filter(action="data_override.create").count() == 1


@pytestmark_db
def test_the_parsed_policy_is_cached_until_the_override_in_force_changes(
    clinic_admin, django_assert_max_num_queries
):
    first = clinic_data.current_policy()
    with django_assert_max_num_queries(1):
        assert clinic_data.current_policy() is first
    services.data_override_create(
        actor=clinic_admin.user, kind=DataKind.SCREENING_POLICY, text=policy_text("clinic-3")
    )
    assert clinic_data.current_policy() is not first
