from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "needlepoint.privacy"
    label = "privacy"
    verbose_name = "Erasure and retention"
