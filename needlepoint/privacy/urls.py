from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path(
        "staff/patients/<int:patient_id>/erase/",
        views.patient_erase_page,
        name="patient_erase",
    ),
    path("portal/erasure/", views.erasure_request_page, name="erasure_request"),
]
