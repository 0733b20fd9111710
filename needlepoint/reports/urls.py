from django.urls import path

from . import views
from .pages import REPORTS

app_name = "reports"

urlpatterns = [path("", views.index, name="index")]
for _name in REPORTS:
    urlpatterns += [
        path(f"{_name}/", views.report, {"name": _name}, name=_name),
        path(f"{_name}/download/", views.download, {"name": _name}, name=f"{_name}_download"),
    ]
