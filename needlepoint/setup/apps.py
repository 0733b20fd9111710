from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "needlepoint.setup"
    label = "setup"
    verbose_name = "Clinic setup pages"
