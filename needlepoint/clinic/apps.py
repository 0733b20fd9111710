from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "needlepoint.clinic"
    label = "clinic"
    verbose_name = "Clinic setup"
