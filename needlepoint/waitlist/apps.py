from django.apps import AppConfig

from needlepoint.scheduling.signals import appointment_closed


class WaitlistConfig(AppConfig):
    name = "needlepoint.waitlist"
    label = "waitlist"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Waitlist"

    def ready(self) -> None:
        # The receiver's module imports this app's models, which exist only once apps are ready.
        from .closing import on_appointment_closed

        appointment_closed.connect(on_appointment_closed, dispatch_uid="waitlist.close")
