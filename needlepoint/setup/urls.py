from django.urls import path

from . import views

app_name = "setup"

urlpatterns = [
    path("", views.home, name="home"),
    path("locations/", views.locations, name="locations"),
    path("locations/<slug:slug>/", views.location_edit, name="location_edit"),
    path("locations/<slug:slug>/services/", views.location_services, name="location_services"),
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/<int:pk>/", views.room_edit, name="room_edit"),
    path("rooms/<int:pk>/in-use/", views.room_active, name="room_active"),
    path("pens/", views.pens, name="pens"),
    path("pens/<int:pk>/status/", views.pen_status, name="pen_status"),
    path("cartridges/", views.cartridges, name="cartridges"),
    path("services/", views.services, name="services"),
    path("services/new/", views.service_edit, name="service_new"),
    path("services/<int:pk>/", views.service_edit, name="service_edit"),
    path("services/<int:pk>/offered/", views.service_active, name="service_active"),
    path("hours/", views.hours, name="hours"),
    path("hours/<str:public_id>/", views.hours_edit, name="hours_edit"),
    path("closures/", views.closures, name="closures"),
    path("closures/<int:pk>/remove/", views.closure_remove, name="closure_remove"),
    path("time-off/<int:pk>/remove/", views.exception_remove, name="exception_remove"),
    path("public-pages/", views.public_pages, name="public_pages"),
    path("consent/", views.consent, name="consent"),
    path("consent/new/", views.consent_publish, name="consent_publish"),
    path("consent/<str:version>/", views.consent_version, name="consent_version"),
    path("import/", views.import_patients, name="import"),
]
