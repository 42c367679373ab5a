"""Print a fresh encryption key line for TWOFOLD_ENCRYPTION_KEYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from twofold.lib.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new AES-256 key line ('k<yyyymmdd>:<base64>') for TWOFOLD_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        kid = "k" + timezone.now().strftime("%Y%m%d")
        self.stdout.write(f"{kid}:{generate_key()}")
        # The hint goes to stderr so that stdout holds only the key line (easy to pipe).
        self.stderr.write(
            "Keep this key secret and backed up: data sealed with it is lost without it.\n"
            "Put it FIRST in TWOFOLD_ENCRYPTION_KEYS (keep the old keys after it), e.g.\n"
            f"  TWOFOLD_ENCRYPTION_KEYS={kid}:...,<old key id>:<old key>\n"
            "restart, then run 'manage.py rotate_keys'. Once it reports that all values use\n"
            f"key {kid!r}, the old keys can be removed."
        )
