"""Re-encrypt every sealed value under the primary key, so that old keys can be dropped.

Works on every model field that is an :class:`~twofold.lib.fields.EncryptedTextField`.
Values already sealed under the primary key are left alone, so the command is safe to
re-run (for instance after an interruption: finished batches stay committed).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, models, transaction
from tqdm import tqdm

from twofold.lib.crypto import DecryptionError, KeyRing, key_id_of, key_ring
from twofold.lib.fields import EncryptedTextField, Sealed

BATCH_SIZE = 500


@dataclass(frozen=True)
class Target:
    model: type[models.Model]
    field: EncryptedTextField

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"


def encrypted_targets() -> list[Target]:
    """Every encrypted column once: fields declared on concrete (non-proxy) models."""
    targets = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        # local_fields: a multi-table child does not repeat its parent's columns.
        for field in model._meta.local_fields:
            if isinstance(field, EncryptedTextField):
                targets.append(Target(model, field))
    return sorted(targets, key=lambda t: t.label)


def token_of(value: Any) -> str | None:
    if isinstance(value, Sealed):
        return value.token
    if value is None or value == "":
        return None
    return str(value)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value that is not sealed under the primary key "
        "(the first one in TWOFOLD_ENCRYPTION_KEYS), so that older keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the values that would be re-encrypted; change nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Rows per transaction (default {BATCH_SIZE}).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database alias to work on (default 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ring = key_ring()
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        using: str = options["database"]
        targets = encrypted_targets()
        if options["dry_run"]:
            self._dry_run(ring, targets, using, options["verbosity"])
            return

        total = sum(self._queryset(t, using).count() for t in targets)
        progress = tqdm(
            total=total,
            unit="value",
            desc="Re-encrypting",
            file=getattr(self.stderr, "_out", sys.stderr),
            disable=options["verbosity"] == 0 or total == 0,
        )
        changed = 0
        fields_changed = 0
        try:
            for target in targets:
                count = self._rotate(ring, target, using, batch_size, progress)
                changed += count
                fields_changed += 1 if count else 0
        finally:
            progress.close()
        self.stdout.write(
            f"Re-encrypted {changed} values in {fields_changed} fields; "
            f"all values now use key {ring.primary!r}."
        )

    def _queryset(self, target: Target, using: str) -> models.QuerySet[Any]:
        # The base manager: no default filtering may hide rows from the rotation.
        manager = target.model._base_manager.db_manager(using)
        return manager.exclude(**{f"{target.field.attname}__isnull": True})

    def _rotate(
        self, ring: KeyRing, target: Target, using: str, batch_size: int, progress: tqdm[Any]
    ) -> int:
        """Re-seal one field's values, batch by batch; return how many changed."""
        field = target.field
        queryset = self._queryset(target, using).order_by("pk")
        changed = 0
        last_pk: Any = None
        while True:
            # Keyset pagination: each batch is read whole before it is written, so no
            # cursor stays open across the updates (safe on SQLite and PostgreSQL).
            page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
            rows = list(page.values_list("pk", field.attname)[:batch_size])
            if not rows:
                return changed
            last_pk = rows[-1][0]
            with transaction.atomic(using=using):
                for pk, value in rows:
                    token = token_of(value)
                    if token is None or self._key_id(target, pk, token) == ring.primary:
                        continue
                    new_token = self._reseal(ring, target, pk, token)
                    # Only if unchanged since read: a value the app rewrote meanwhile is
                    # already sealed under the primary key and must not be overwritten.
                    changed += (
                        target.model._base_manager.db_manager(using)
                        .filter(pk=pk, **{field.attname: token})
                        .update(**{field.attname: new_token})
                    )
            progress.update(len(rows))

    def _key_id(self, target: Target, pk: Any, token: str) -> str:
        try:
            return key_id_of(token)
        except DecryptionError:
            raise CommandError(
                f"{target.label} (pk={pk}) does not hold a sealed value; "
                "nothing was changed in its batch."
            ) from None

    def _reseal(self, ring: KeyRing, target: Target, pk: Any, token: str) -> str:
        associated_data = target.field.associated_data(target.model(pk=pk))
        try:
            plaintext = ring.open(token, associated_data)
        except DecryptionError as exc:
            # Never include the value (or the token) in the message.
            raise CommandError(
                f"{target.label} (pk={pk}) cannot be opened with any key in "
                f"TWOFOLD_ENCRYPTION_KEYS ({exc}). Nothing was changed in its batch; "
                "earlier batches are re-encrypted. Add the missing key (after the "
                "primary one) and run rotate_keys again."
            ) from None
        return ring.seal(plaintext, associated_data)

    def _dry_run(self, ring: KeyRing, targets: list[Target], using: str, verbosity: int) -> None:
        pending = 0
        unknown = 0
        fields_pending = 0
        for target in targets:
            by_key: dict[str, int] = {}
            tokens = self._queryset(target, using).values_list(target.field.attname, flat=True)
            for value in tokens.iterator(chunk_size=BATCH_SIZE):
                token = token_of(value)
                if token is None:
                    continue
                try:
                    kid = key_id_of(token)
                except DecryptionError:
                    kid = "(not sealed)"
                by_key[kid] = by_key.get(kid, 0) + 1
            stale = sum(n for kid, n in by_key.items() if kid != ring.primary)
            missing = sum(n for kid, n in by_key.items() if kid not in ring.keys)
            pending += stale
            unknown += missing
            fields_pending += 1 if stale else 0
            if verbosity >= 1 and by_key:
                summary = ", ".join(f"{kid}: {n}" for kid, n in sorted(by_key.items()))
                self.stdout.write(f"{target.label}: {summary}")
        self.stdout.write(
            f"Dry run: {pending} values in {fields_pending} fields would be re-encrypted "
            f"under key {ring.primary!r}; nothing was changed."
        )
        if unknown:
            self.stderr.write(
                f"{unknown} values use a key that is not in TWOFOLD_ENCRYPTION_KEYS "
                "(or are not sealed); rotate_keys would stop at the first of them."
            )
