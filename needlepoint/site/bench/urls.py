"""The clinic's URLs plus two baselines: the least a Django request and an ORM insert cost."""

from django.urls import path

from needlepoint.urls import urlpatterns as clinic_urlpatterns

from . import views

urlpatterns = [
    path("__bench__/hello", views.hello),
    path("__bench__/insert/<int:number>", views.insert),
    *clinic_urlpatterns,
]
