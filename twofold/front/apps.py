from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "twofold.front"
    label = "front"
