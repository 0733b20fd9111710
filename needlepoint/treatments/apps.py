from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "needlepoint.treatments"
    label = "treatments"
    verbose_name = "Treatment plans"
