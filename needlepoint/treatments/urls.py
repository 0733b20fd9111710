from django.urls import path

from . import views

app_name = "treatments"

urlpatterns = [
    path("staff/consultations/<int:consultation_id>/plan/", views.plan_new, name="plan_new"),
    path("staff/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
]
