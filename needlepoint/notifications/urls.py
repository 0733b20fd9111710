from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("staff/calendar-feeds/", views.staff_feeds, name="staff_feeds"),
    path(
        "staff/calendar-feeds/<int:feed_id>/revoke/",
        views.staff_feed_revoke,
        name="staff_feed_revoke",
    ),
]
