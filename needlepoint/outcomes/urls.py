from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("staff/patients/<int:patient_id>/photos/", views.capture, name="capture"),
    path("staff/patients/<int:patient_id>/photos/compare/", views.compare, name="compare"),
    path("staff/patients/<int:patient_id>/photos/compare/export/", views.export, name="export"),
    path("staff/patients/<int:patient_id>/outcomes/", views.progress, name="progress"),
    path("staff/reports/outcomes/", views.report, name="report"),
    path("staff/photos/<int:photo_id>/image/", views.image, name="staff_image"),
    path("portal/photos/<int:photo_id>/image/", views.image, name="portal_image"),
]
