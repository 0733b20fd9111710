from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "needlepoint.team"
    label = "team"
    verbose_name = "Staff users"
