from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "needlepoint.interop"
    label = "interop"
    verbose_name = "FHIR export"
