from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "twofold.accounts"
    label = "accounts"

    def ready(self) -> None:
        from twofold.accounts import notifications  # noqa: F401  (connects the receiver)
