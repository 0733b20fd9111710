"""Outcomes over months: standardised photos, clinician grades, patient ratings, releases.

A *visit* is keyed by (patient, taken_on/assessed_on date): outcome visits are not always
booked appointments (see docs/decisions/0148-visit-key.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from needlepoint.domain.outcomes import ASSESSMENT_KINDS, VIEW_LABELS, VIEWS
from needlepoint.domain.protocols import CONCERNS
from needlepoint.patients.models import Patient

VIEW_CHOICES = [(v, VIEW_LABELS[v]) for v in VIEWS]
CONCERN_CHOICES = [(c, c.replace("_", " ")) for c in CONCERNS]
KIND_CHOICES = [(k, k.replace("_", " ")) for k in ASSESSMENT_KINDS]


class Photo(models.Model):
    """One standard view of one visit. The file lives under the private storage with a
    random name; it is served only through an authorised, audited view."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photos")
    view = models.CharField(max_length=16, choices=VIEW_CHOICES)
    taken_on = models.DateField()
    # Storage names (relative to the private storage), never the uploaded file's name.
    file_name = models.CharField(max_length=200, unique=True)
    thumb_name = models.CharField(max_length=200, unique=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    source_format = models.CharField(max_length=8)
    shared_with_patient = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "id"]
        indexes = [models.Index(fields=["patient", "taken_on", "view"])]

    def __str__(self) -> str:
        return f"Photo #{self.pk} ({self.view})"

    def stored_names(self) -> list[str]:
        """Every file kept for this photo: the image, its thumbnail, the measured picture."""
        marks = PhotoMeasure.objects.filter(photo=self).values_list("marks_name", flat=True)
        return [n for n in (self.file_name, self.thumb_name, *marks) if n]


class PhotoRelease(models.Model):
    """The patient's photo release, signed with the consent on treatment day. The latest
    signed record decides; a withdrawal is a new record with ``granted=False``."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photo_releases")
    granted = models.BooleanField()
    signed_at = models.DateTimeField()
    # Where it was signed, e.g. "consent:42" or "paper form 2026-01-05" (no patient values).
    source = models.CharField(max_length=200)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "id"]
        indexes = [models.Index(fields=["patient", "signed_at"])]

    def __str__(self) -> str:
        return f"Photo release #{self.pk} ({'granted' if self.granted else 'refused'})"


class Assessment(models.Model):
    """A clinician's grade of one concern on the protocol table's scale, with the GAIS."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    concern = models.CharField(max_length=32, choices=CONCERN_CHOICES)
    grade = models.CharField(max_length=16, null=True, blank=True)
    mmasi = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    gais = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessed_on", "id"]
        indexes = [models.Index(fields=["patient", "concern", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(gais__isnull=True) | Q(gais__gte=1, gais__lte=5),
                name="assessment_gais_1_5",
            ),
            models.CheckConstraint(
                condition=Q(mmasi__isnull=True) | Q(mmasi__gte=0, mmasi__lte=24),
                name="assessment_mmasi_0_24",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment #{self.pk} ({self.concern})"


class PatientRating(models.Model):
    """The patient's own view: improvement on the GAIS wording (1 very much improved … 5
    worse) and satisfaction (1 very dissatisfied … 5 very satisfied)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="ratings")
    improvement = models.PositiveSmallIntegerField()
    satisfaction = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000)
    rated_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rated_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(improvement__gte=1, improvement__lte=5), name="rating_improvement_1_5"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="rating_satisfaction_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Rating #{self.pk}"


class PhotoMeasure(models.Model):
    """The objective measures of one photo (issue #14; engine in domain/photo_measures).

    Made `pending` when the photo is stored (with the upload's card hint), then filled in by
    `services.photo_measure_run`: `done` or `not_measured` (with the reason)."""

    class Status(models.TextChoices):
        PENDING = "pending", "measuring"
        DONE = "done", "measured"
        NOT_MEASURED = "not_measured", "not measured"

    photo = models.OneToOneField(Photo, on_delete=models.CASCADE, related_name="measure")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    method_version = models.CharField(max_length=16, blank=True)
    # {"card_box": [x, y, w, h]} or {"card_quad": [[x, y] x 4]}, in the stored photo's pixels.
    card_hint = models.JSONField(null=True, blank=True)
    card_found = models.BooleanField(default=False)
    delta_e2000_mean = models.FloatField(null=True, blank=True)
    baseline_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    residual_px = models.FloatField(null=True, blank=True)
    measured_at = models.DateTimeField(null=True, blank=True)
    # The photo with its regions, spots and lines drawn over it (JPEG in the photo storage,
    # private like the photo; drawn by the worker when it measures). Empty: none yet.
    marks_name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Measures of photo #{self.photo_id} ({self.status})"


class PhotoMeasureRegion(models.Model):
    """One region's figures; colour figures are null without a usable card."""

    measure = models.ForeignKey(PhotoMeasure, on_delete=models.CASCADE, related_name="regions")
    region = models.CharField(max_length=32)
    l_star = models.FloatField(null=True, blank=True)
    a_star = models.FloatField(null=True, blank=True)
    b_star = models.FloatField(null=True, blank=True)
    ita_deg = models.FloatField(null=True, blank=True)
    redness_area_pct = models.FloatField(null=True, blank=True)
    evenness_sd = models.FloatField(null=True, blank=True)
    spot_count = models.PositiveIntegerField(null=True, blank=True)
    spot_area_pct = models.FloatField(null=True, blank=True)
    line_density = models.FloatField(null=True, blank=True)
    texture = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["measure", "id"]

    def __str__(self) -> str:
        return f"{self.region} of photo measure #{self.measure_id}"


class ViewRegions(models.Model):
    """The regions measured on one patient's view, in the view's baseline photo's pixels:
    drawn by staff on the baseline, or placed from a detected face when none were drawn.
    Later photos of the view are carried onto them by the engine's alignment."""

    class Source(models.TextChoices):
        DRAWN = "drawn", "drawn by staff"
        DETECTED = "detected", "placed from the detected face"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="view_regions")
    view = models.CharField(max_length=16, choices=VIEW_CHOICES)
    regions = models.JSONField(default=list)  # [{"name": "left_cheek", "box": [x, y, w, h]}]
    source = models.CharField(max_length=8, choices=Source.choices)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "view"], name="view_regions_once_per_view")
        ]

    def __str__(self) -> str:
        return f"Regions of {self.view} for patient #{self.patient_id}"
