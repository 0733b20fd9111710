from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "needlepoint.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
