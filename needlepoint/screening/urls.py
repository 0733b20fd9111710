from django.urls import path

from . import clearance_views, policy_views, staff_views, views

app_name = "screening"

urlpatterns = [
    path("micro-needling/", views.treatment_page, name="treatment_page"),
    path("micro-needling/screening/", views.screening_form, name="form"),
    path("micro-needling/screening/result/", views.screening_result, name="result"),
    path("staff/screenings/new/", views.staff_phone_screening, name="staff_phone_screening"),
    path(
        "staff/patients/<int:patient_id>/consultations/new/",
        staff_views.consultation_new,
        name="consultation_new",
    ),
    path(
        "staff/consultations/<int:consultation_id>/",
        staff_views.consultation_detail,
        name="consultation_detail",
    ),
    path("staff/clearances/", clearance_views.clearance_queue, name="clearance_queue"),
    path(
        "staff/clearances/<int:consultation_id>/",
        clearance_views.clearance_decide,
        name="clearance_decide",
    ),
    path("staff/setup/policy/", policy_views.policy_home, name="policy_home"),
    path(
        "staff/setup/policy/<slug:kind_slug>/new/",
        policy_views.version_new,
        name="policy_new",
    ),
    path(
        "staff/setup/policy/<slug:kind_slug>/withdraw/",
        policy_views.withdraw,
        name="policy_withdraw",
    ),
    path(
        "staff/setup/policy/<slug:kind_slug>/<int:ref>/put-in-force/",
        policy_views.put_in_force,
        name="policy_put_in_force",
    ),
    path(
        "staff/setup/policy/<slug:kind_slug>/<slug:ref>/",
        policy_views.version_detail,
        name="policy_version",
    ),
]
