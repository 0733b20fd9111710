from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "needlepoint.waitlist"
    label = "waitlist"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Waitlist"
