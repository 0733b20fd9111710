from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "needlepoint.screening"
    label = "screening"
    verbose_name = "Screening and consultation"

    def ready(self) -> None:
        # The shipped (or configured) data files are parsed at start-up: a clinic that broke
        # one learns it from the start-up message (file, line, problem), not from a patient.
        from .clinic_data import check_data_files_at_startup

        check_data_files_at_startup()
