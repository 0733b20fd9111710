from django.urls import path

from . import caller_views, views

app_name = "scheduling"

urlpatterns = [
    path("", views.day_view, name="day"),
    path("week/", views.week_view, name="week"),
    path("book/", views.book_view, name="book"),
    path("appointments/<int:appointment_id>/", views.appointment_view, name="appointment"),
    path("appointments/<int:appointment_id>/cancel/", caller_views.cancel_view, name="cancel"),
    path("plans/<int:plan_id>/course/", caller_views.course_view, name="course"),
]
