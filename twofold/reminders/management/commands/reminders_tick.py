from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from twofold.reminders.planner import tick


class Command(BaseCommand):
    help = "Plan reminders that are due and hand them to the task queue (safe to repeat)."

    def handle(self, *args: Any, **options: Any) -> None:
        planned, enqueued = tick()
        self.stdout.write(f"Planned {planned} reminders; queued {enqueued} to send.")
