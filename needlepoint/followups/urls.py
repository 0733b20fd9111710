from django.urls import path

from . import views as followup_views

app_name = "followups"

urlpatterns = [
    path("staff/follow-ups/", followup_views.follow_ups, name="list"),
    path("staff/follow-ups/<int:followup_id>/book/", followup_views.book, name="book"),
]
