from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "twofold.ops"
    label = "ops"
