from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "twofold.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from twofold.couples.opening import on_opening
        from twofold.outcomes.actions import ensure_schedule

        # Made when the couple opens, so that no page view has to create it.
        on_opening(ensure_schedule)
