from django.urls import path

from needlepoint.portal import views as portal_views

from . import audit_views, jobs_views, views
from .views.public import clinic_picture

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", jobs_views.healthz, name="healthz"),
    path("staff/background-jobs/", jobs_views.background_jobs, name="background_jobs"),
    path("clinic/<str:name>/image/", clinic_picture, name="clinic_picture"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/patients/", views.staff_patients, name="staff_patients"),
    path("staff/patients/new/", views.patient_new, name="patient_new"),
    path("staff/patients/<int:patient_id>/", views.staff_patient, name="staff_patient"),
    path("staff/patients/<int:patient_id>/edit/", views.patient_edit, name="patient_edit"),
    path(
        "staff/patients/<int:patient_id>/merge/",
        views.patient_merge_choose,
        name="patient_merge_choose",
    ),
    path(
        "staff/patients/<int:patient_id>/merge/<int:duplicate_id>/",
        views.patient_merge,
        name="patient_merge",
    ),
    path(
        "staff/patients/<int:patient_id>/micro-needling/",
        views.patient_overview,
        name="patient_overview",
    ),
    path("staff/audit/", audit_views.staff_audit, name="staff_audit"),
    path("staff/audit/download/", audit_views.staff_audit_csv, name="staff_audit_csv"),
    path("portal/", portal_views.home, name="portal"),
]
