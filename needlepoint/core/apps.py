from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "needlepoint.core"
    label = "core"
    verbose_name = "Core (idempotency, shared API support, background jobs)"

    def ready(self) -> None:
        # Connects the retry of failed background jobs (django-tasks' task_finished signal).
        from needlepoint.core.background import retries  # noqa: F401
