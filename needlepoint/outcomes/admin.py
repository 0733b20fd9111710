"""Admin: metadata only. No photo (nor thumbnail) is ever shown or linked here: photos are
seen through the audited pages, not the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, PatientRating, Photo, PhotoRelease


@admin.register(Photo)
class PhotoAdmin(SimpleHistoryAdmin):
    list_display = ("id", "patient_id", "view", "taken_on", "shared_with_patient", "uploaded_at")
    list_filter = ("view", "shared_with_patient")
    fields = (
        "patient",
        "view",
        "taken_on",
        "shared_with_patient",
        "width",
        "height",
        "uploaded_at",
    )
    readonly_fields = fields
    raw_id_fields = ("patient",)

    def has_add_permission(self, request: object) -> bool:
        return False  # photos go through the upload pipeline

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PhotoRelease)
class PhotoReleaseAdmin(SimpleHistoryAdmin):
    list_display = ("id", "patient_id", "granted", "signed_at", "source")
    readonly_fields = ("patient", "granted", "signed_at", "source", "signed_by", "recorded_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("id", "patient_id", "concern", "grade", "gais", "kind", "assessed_on")
    list_filter = ("concern", "kind")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PatientRating)
class PatientRatingAdmin(SimpleHistoryAdmin):
    list_display = ("id", "patient_id", "improvement", "satisfaction", "rated_on")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
