from django.urls import path

from . import staff_views, views

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
]
