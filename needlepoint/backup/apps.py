from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "needlepoint.backup"
    label = "backup"
    verbose_name = "Backup and restore"
