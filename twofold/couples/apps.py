from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "twofold.couples"
    label = "couples"
