from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "needlepoint.portal"
    label = "portal"
    verbose_name = "Patient portal"
