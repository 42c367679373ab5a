from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "twofold.cycles"
    label = "cycles"
