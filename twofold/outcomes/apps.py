from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "twofold.outcomes"
    label = "outcomes"
