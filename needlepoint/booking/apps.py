from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "needlepoint.booking"
    label = "booking"
    verbose_name = "Online booking (public self-booking, the manage link)"
