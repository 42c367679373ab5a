from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "twofold.checkins"
    label = "checkins"

    def ready(self) -> None:
        from twofold.checkins.actions import ensure_schedule
        from twofold.couples.opening import on_opening

        # Made when the couple opens, so that no page view has to create it.
        on_opening(ensure_schedule)
