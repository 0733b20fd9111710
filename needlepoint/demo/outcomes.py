"""Demo outcomes: obviously synthetic photos, grades improving over months, photo releases
and patient ratings for three demo patients. Idempotent: a second run writes nothing.

The images are drawn here (a flat face-like silhouette with a large "SYNTHETIC DEMO IMAGE"
caption) and go through the same upload pipeline as a real photo; "after" images have fewer
and fainter marks, so the comparison page shows a visible change.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import clinic_today
from needlepoint.domain.outcomes import FACE_VIEWS, VIEW_LABELS
from needlepoint.outcomes.models import Assessment, PatientRating, Photo, PhotoRelease
from needlepoint.outcomes.services import (
    assessment_record,
    photo_release_record,
    photo_upload,
    rating_submit,
)
from needlepoint.patients.models import Patient


@dataclass(frozen=True)
class DemoCourse:
    email: str
    concern: str
    views: tuple[str, ...]
    # (days before today, assessment kind, grade, gais, marks left out of 100)
    visits: tuple[tuple[int, str, str, int | None, int], ...]
    release: bool
    share: bool
    rating: tuple[int, int, str] | None


COURSES = (
    DemoCourse(
        email="ada.testwell@example.com",
        concern="acne_scars",
        views=FACE_VIEWS,
        visits=(
            (240, "baseline", "3", None, 100),
            (120, "outcome_1m", "3", 3, 70),
            (30, "outcome_3m", "2", 2, 40),
        ),
        release=True,
        share=True,
        rating=(2, 5, "Demo comment: skin feels smoother."),
    ),
    DemoCourse(
        email="bruno.samplesson@example.com",
        concern="fine_lines_wrinkles",
        views=FACE_VIEWS,
        visits=((200, "baseline", "II", None, 100), (20, "outcome_3m", "I", 2, 45)),
        release=True,
        share=False,
        rating=(3, 4, ""),
    ),
    DemoCourse(
        email="cleo.demoiselle@example.com",
        concern="stretch_marks",
        views=("abdomen", "thighs"),
        visits=((210, "baseline", "rubra", None, 100), (25, "outcome_3m", "alba", 3, 50)),
        release=False,
        share=False,
        rating=None,
    ),
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError, ImportError):  # pragma: no cover
        return ImageFont.load_default()


def synthetic_photo(view: str, on: date, marks: int, seed: int) -> bytes:
    """A flat silhouette with spots (fewer for later visits) and a big caption."""
    width, height = 600, 800
    image = Image.new("RGB", (width, height), (205, 214, 224))
    draw = ImageDraw.Draw(image)
    skin = (226, 186, 160)
    if view in FACE_VIEWS:
        shift = {"front": 0, "left_45": -60, "right_45": 60, "left_90": -120, "right_90": 120}[view]
        draw.rectangle([240 + shift // 3, 520, 360 + shift // 3, 640], fill=skin)  # neck
        draw.ellipse([110, 600, 490, 900], fill=(120, 140, 170))  # shoulders
        box = [170 + shift, 170, 430 + shift, 560]
        draw.ellipse(box, fill=skin)  # head
    else:
        box = [150, 160, 450, 640]
        draw.rounded_rectangle(box, radius=60, fill=skin)  # body area
    rng = random.Random(seed)
    for _ in range(60 * marks // 100):
        x = rng.randint(box[0] + 30, box[2] - 30)
        y = rng.randint(box[1] + 60, box[3] - 40)
        r = rng.randint(3, 7) if marks > 60 else rng.randint(2, 4)
        tone = (170, 110, 100) if marks > 60 else (200, 150, 130)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tone)
    draw.rectangle([0, 0, width, 110], fill=(122, 46, 74))
    draw.text((20, 15), "SYNTHETIC DEMO IMAGE", fill=(255, 255, 255), font=_font(44))
    draw.text((20, 68), "not a real person", fill=(255, 255, 255), font=_font(26))
    draw.rectangle([0, height - 70, width, height], fill=(29, 31, 36))
    draw.text(
        (20, height - 55),
        f"{VIEW_LABELS[view]} · {on.isoformat()}",
        fill=(255, 255, 255),
        font=_font(30),
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def ensure_outcomes(users: dict[str, User]) -> None:
    actor = users.get("aesthetician")
    today = clinic_today()
    for index, course in enumerate(COURSES):
        patient = Patient.objects.filter(email=course.email).first()
        if patient is None:
            continue
        if not Photo.objects.filter(patient=patient).exists():
            for days, _kind, _grade, _gais, marks in course.visits:
                on = today - timedelta(days=days)
                for view in course.views:
                    photo_upload(
                        actor=actor,
                        patient=patient,
                        view=view,
                        taken_on=on,
                        data=synthetic_photo(view, on, marks, seed=index * 1000 + len(view)),
                        filename="synthetic-demo.jpg",
                        content_type="image/jpeg",
                        shared_with_patient=course.share,
                    )
        if not Assessment.objects.filter(patient=patient).exists():
            for days, kind, grade, gais, _marks in course.visits:
                assessment_record(
                    actor=actor,
                    patient=patient,
                    concern=course.concern,
                    grade=grade,
                    kind=kind,
                    gais=gais,
                    assessed_on=today - timedelta(days=days),
                )
        if course.release and not PhotoRelease.objects.filter(patient=patient).exists():
            signed = timezone.now() - timedelta(days=course.visits[0][0])
            photo_release_record(
                actor=actor, patient=patient, granted=True, source="demo consent", signed_at=signed
            )
        if course.rating and not PatientRating.objects.filter(patient=patient).exists():
            improvement, satisfaction, comment = course.rating
            rating_submit(
                actor=patient.user if patient.user_id else None,
                patient=patient,
                improvement=improvement,
                satisfaction=satisfaction,
                comment=comment,
                rated_on=today - timedelta(days=course.visits[-1][0]),
            )
