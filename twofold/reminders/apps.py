from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "twofold.reminders"
    label = "reminders"

    def ready(self) -> None:
        # Registers each kind of reminder, so the preferences page can offer it.
        from twofold.reminders import sources  # noqa: F401
