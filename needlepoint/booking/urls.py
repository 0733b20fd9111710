from django.urls import path

from . import views as public_views

app_name = "booking"

urlpatterns = [
    path("book/consultation/", public_views.book_consultation, name="consultation"),
    path("book/manage/<str:token>/", public_views.manage, name="manage"),
    path("book/manage/<str:token>/booked/", public_views.manage_booked, name="manage_booked"),
    path("book/manage/<str:token>/cancel/", public_views.manage_cancel, name="manage_cancel"),
    path(
        "book/manage/<str:token>/reschedule/",
        public_views.manage_reschedule,
        name="manage_reschedule",
    ),
    path("book/manage/<str:token>/waitlist/", public_views.manage_waitlist, name="manage_waitlist"),
]
