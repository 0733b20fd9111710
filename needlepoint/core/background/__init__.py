"""Background jobs on django-tasks' database backend (docs/decisions/0650-background-jobs.md):
the `job` decorator with its retry policy, retries with backoff, periodic firings claimed once
per period, and what the admin's page and /healthz read about the queue."""
