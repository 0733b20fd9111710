from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "needlepoint.audit"
    label = "audit"
    verbose_name = "Audit trail"
