from django.urls import path

from . import measure_views, record_views, region_views, views

app_name = "outcomes"

urlpatterns = [
    path("staff/patients/<int:patient_id>/photos/", views.capture, name="capture"),
    path("staff/patients/<int:patient_id>/photos/compare/", views.compare, name="compare"),
    path("staff/patients/<int:patient_id>/photos/compare/export/", views.export, name="export"),
    path("staff/patients/<int:patient_id>/outcomes/", views.progress, name="progress"),
    path(
        "staff/patients/<int:patient_id>/grades/new/",
        record_views.grades_new,
        name="grades_new",
    ),
    path(
        "staff/patients/<int:patient_id>/photo-release/",
        record_views.photo_release,
        name="photo_release",
    ),
    path(
        "staff/patients/<int:patient_id>/photos/compare/share/",
        record_views.share_comparison,
        name="share_comparison",
    ),
    path(
        "staff/patients/<int:patient_id>/photo-measures/",
        measure_views.photo_measures,
        name="photo_measures",
    ),
    path(
        "staff/patients/<int:patient_id>/photo-measures/regions/",
        region_views.draw_regions,
        name="draw_regions",
    ),
    path("staff/reports/outcomes/", views.report, name="report"),
    path("staff/photos/<int:photo_id>/image/", views.image, name="staff_image"),
    path("portal/photos/<int:photo_id>/image/", views.image, name="portal_image"),
]
