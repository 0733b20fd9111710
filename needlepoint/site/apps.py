from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "needlepoint.site"
    label = "site"
    verbose_name = "Public site and page shells"

    def ready(self) -> None:
        # Every app's background jobs (`<app>/tasks.py`) are declared, so the admin's page
        # and the retry policy know each job by its name, whichever process reads them.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
