from django.urls import path

from . import views

app_name = "waitlist"

urlpatterns = [
    path("waitlist/offers/<str:token>/", views.offer, name="offer"),
    path("staff/waitlist/", views.staff_waitlist, name="staff_waitlist"),
]
