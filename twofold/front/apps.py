from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "twofold.front"
    label = "front"

    def ready(self) -> None:
        from twofold.front import checks  # noqa: F401  (registers the start-up checks)
