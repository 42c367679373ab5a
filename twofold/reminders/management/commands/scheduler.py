from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from twofold.reminders.planner import tick


class Command(BaseCommand):
    help = (
        "Run the reminder tick every minute, in its own process beside the task worker. "
        "Several schedulers may run at once; each reminder is still sent at most once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=60, help="seconds between ticks")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            close_old_connections()
            planned, enqueued = tick()
            if planned or enqueued:
                self.stdout.write(f"Planned {planned}; queued {enqueued}.")
            time.sleep(options["interval"])
