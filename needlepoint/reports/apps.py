from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "needlepoint.reports"
    label = "reports"
    verbose_name = "Clinic reports"
