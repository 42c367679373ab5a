from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "twofold.reminders"
    label = "reminders"
