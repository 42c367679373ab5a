from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "twofold.program"
    label = "program"

    def ready(self) -> None:
        from twofold.couples.opening import on_opening
        from twofold.program.actions import ensure_plan

        # Made when the couple opens, so that no page view has to create it.
        on_opening(ensure_plan)
