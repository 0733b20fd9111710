from django.apps import AppConfig


class ChartingConfig(AppConfig):
    name = "needlepoint.charting"
    label = "charting"
    verbose_name = "Treatment day"
