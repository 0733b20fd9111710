from __future__ import annotations

from typing import Any

import pytest
import time_machine

PLANNED = "2027-01-15"


def answers(**changes: Any) -> dict[str, Any]:
    """Worked example 1 (all other answers "no"/null), changed by ``changes``."""
    body: dict[str, Any] = {
        "date_of_birth": "1990-03-02",
        "planned_date": PLANNED,
        "concerns": ["acne_scars"],
        "areas": ["face"],
        "pregnant_or_breastfeeding": "no",
        "active_skin_infection": "no",
        "active_cold_sore": "no",
        "cold_sore_history": "no",
        "open_wounds_or_irritated_skin": "no",
        "skin_lesions_or_changing_moles": "no",
        "active_inflamed_acne": "no",
        "dermatitis_flare": "no",
        "dermatitis_history": "no",
        "bleeding_disorder": "no",
        "blood_thinners": "no",
        "keloid_history": "no",
        "immunosuppressed": "no",
        "diabetes": "none",
        "metal_allergy": "no",
        "anesthetic_allergy": "no",
        "gold_threads_in_area": "no",
        "isotretinoin_last_dose": None,
        "radiation_to_area_last": None,
        "filler_in_area_last": None,
        "neurotoxin_last": None,
        "peel_or_laser_last": None,
        "facial_surgery_last": None,
        "sunburn_last": None,
        "retinoid_or_acid_last_use": None,
        "consent_to_store": False,
    }
    body.update(changes)
    return body


@pytest.fixture
def before_planned_date():
    """Today is a few days before the worked examples' planned date."""
    with time_machine.travel("2027-01-10 15:00:00+00:00", tick=False):
        yield


@pytest.fixture
def answers_factory():
    return answers
