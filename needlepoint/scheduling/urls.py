from django.urls import path

from . import calendar_views, caller_views, views

app_name = "scheduling"

urlpatterns = [
    path("", calendar_views.day_view, name="day"),
    path("week/", calendar_views.week_view, name="week"),
    path("feed/", calendar_views.feed_view, name="calendar_feed"),
    path("location/", calendar_views.location_view, name="calendar_location"),
    path("book/", views.book_view, name="book"),
    path("appointments/<int:appointment_id>/", views.appointment_view, name="appointment"),
    path("appointments/<int:appointment_id>/cancel/", caller_views.cancel_view, name="cancel"),
    path("plans/<int:plan_id>/course/", caller_views.course_view, name="course"),
    path(
        "appointments/<int:appointment_id>/card/",
        calendar_views.card_view,
        name="calendar_card",
    ),
    path(
        "appointments/<int:appointment_id>/move/",
        calendar_views.move_view,
        name="calendar_move",
    ),
    path(
        "appointments/<int:appointment_id>/<slug:action>/",
        calendar_views.action_view,
        name="calendar_action",
    ),
]
