from tests.notifications.clinic_fixtures import _clean_caches_and_sms, booked, clinic, frozen  # noqa: F401
