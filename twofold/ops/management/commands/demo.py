"""Fill the database with demo people and couples (see :mod:`twofold.ops.demo`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from twofold.ops.demo import create_demo, logins_table


class Command(BaseCommand):
    help = (
        "Create demo clinics, clinicians and couples to sign in as (password 'twofold-demo'). "
        "Safe to run again: nothing is created twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--couples",
            type=int,
            default=0,
            help="also create this many synthetic clinician-guided couples at Riverside",
        )
        parser.add_argument(
            "--weeks",
            type=int,
            default=12,
            help="spread the synthetic couples' history over this many past weeks",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_demo(options["couples"], options["weeks"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["couples"]:
            self.stdout.write(
                f"Synthetic couples: {result.couples_created} created, "
                f"{result.couples_existing} already there "
                f"({result.access_events} audit events added)."
            )
        self.stdout.write(logins_table())
