from django.urls import path

from . import plan_views, views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/appointments/", views.appointments, name="appointments"),
    path("portal/appointments/<int:appointment_id>/cancel/", views.cancel, name="cancel"),
    path(
        "portal/appointments/<int:appointment_id>/reschedule/",
        views.reschedule,
        name="reschedule",
    ),
    path("portal/appointments/<int:appointment_id>/consent/", views.sign_consent, name="consent"),
    path("portal/follow-ups/<int:followup_id>/book/", views.book_follow_up, name="book_follow_up"),
    path(
        "portal/plans/<int:plan_id>/next-session/",
        plan_views.next_session,
        name="next_session",
    ),
    path(
        "portal/waitlist/<int:entry_id>/withdraw/",
        plan_views.withdraw_waitlist,
        name="withdraw_waitlist",
    ),
    path("portal/forms/", views.forms, name="forms"),
    path("portal/progress/", views.progress, name="progress"),
    path("portal/photos/", views.photos, name="photos"),
    path("portal/export/", views.export, name="export"),
]
