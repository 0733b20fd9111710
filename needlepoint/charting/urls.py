from django.urls import path

from . import kiosk, views

app_name = "charting"

urlpatterns = [
    path(
        "staff/appointments/<int:appointment_id>/treatment/",
        views.treatment_day,
        name="treatment_day",
    ),
    path(
        "staff/appointments/<int:appointment_id>/treatment/kiosk/start/",
        kiosk.kiosk_start,
        name="kiosk_start",
    ),
    path(
        "staff/appointments/<int:appointment_id>/treatment/kiosk/",
        kiosk.kiosk,
        name="kiosk",
    ),
    path("staff/charts/cosign/", views.cosign_queue, name="cosign_queue"),
    path("staff/charts/<int:chart_id>/", views.chart_detail, name="chart_detail"),
    path(
        "staff/patients/<int:patient_id>/treatment-timeline/",
        views.patient_timeline,
        name="patient_timeline",
    ),
    path(
        "staff/patients/<int:patient_id>/adverse-events/new/",
        views.adverse_event_new,
        name="adverse_event_new",
    ),
    path("staff/reports/adverse-events/", views.adverse_event_report, name="adverse_event_report"),
    path("staff/inventory/", views.inventory, name="inventory"),
    path("staff/recalls/", views.recall, name="recall"),
]
