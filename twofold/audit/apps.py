from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "twofold.audit"
    label = "audit"

    def ready(self) -> None:
        from twofold.audit.recording import on_display_name_changed
        from twofold.lib.audit import display_name_changed

        # A staff member's rename is recorded where it happens (accounts announces it),
        # so that "who viewed my data" can say who a past reader is called now.
        display_name_changed.connect(on_display_name_changed, dispatch_uid="audit.name_change")
