from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "twofold.program"
    label = "program"
