"""Private free text is sealed at rest, bound to its row, and keys can be rotated."""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test import override_settings

from twofold.accounts.models import User
from twofold.care.models import CareNote
from twofold.couples.models import Couple
from twofold.lib import crypto
from twofold.lib.fields import EncryptedTextField, Sealed

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A distinctive phrase, so finding it anywhere in the database can only mean a leak.
SECRET_PHRASE = "Quietly-worried-about-erections-7f3a9c"

OLD_KEY = crypto.generate_key()
NEW_KEY = crypto.generate_key()
OLD_RING = f"old:{OLD_KEY}"
NEW_AND_OLD_RING = f"new:{NEW_KEY},old:{OLD_KEY}"
NEW_RING = f"new:{NEW_KEY}"


# Small local helpers (independent of the shared factories in conftest.py).


def make_user(name: str = "Sam") -> User:
    email = f"{name.lower()}-{secrets.token_hex(4)}@example.org"
    return User.objects.create_user(email, None, display_name=name)


def make_note(text: str, couple: Couple | None = None, author: User | None = None) -> CareNote:
    return CareNote.objects.create(
        couple=couple or Couple.objects.create(mode="self"),
        author=author or make_user("Clinician"),
        text=text,
    )


def raw_tokens() -> dict[Any, str]:
    """Stored tokens by primary key, read without opening anything."""
    tokens = {}
    for pk, value in CareNote.objects.values_list("pk", "text"):
        assert isinstance(value, Sealed)
        tokens[pk] = value.token
    return tokens


def run_rotate_keys(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=err)
    return out.getvalue()


# Sealing and opening.


@pytest.mark.django_db
def test_sealed_value_round_trips_through_the_database() -> None:
    note = make_note(f"{SECRET_PHRASE} — and some accents: é, ü, 😊")

    reloaded = CareNote.objects.get(pk=note.pk)

    assert reloaded.text == f"{SECRET_PHRASE} — and some accents: é, ü, 😊"
    assert note.text == reloaded.text  # saving leaves the instance's plaintext alone


@pytest.mark.django_db
def test_the_raw_column_holds_only_a_sealed_token() -> None:
    """Works on any database vendor (SQLite and PostgreSQL alike)."""
    note = make_note(SECRET_PHRASE)
    table = connection.ops.quote_name(CareNote._meta.db_table)
    column = connection.ops.quote_name(CareNote._meta.get_field("text").column)
    pk = CareNote._meta.pk
    assert pk is not None

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE {connection.ops.quote_name(pk.column)} = %s",  # noqa: S608
            [pk.get_db_prep_value(note.pk, connection)],
        )
        (stored,) = cursor.fetchone()

    assert stored.startswith(f"tf1:{crypto.key_ring().primary}:")
    assert SECRET_PHRASE not in stored
    assert SECRET_PHRASE.lower() not in stored.lower()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the SQLite database file")
def test_plaintext_is_absent_from_the_database_file(transactional_db: None, tmp_path: Path) -> None:
    make_note(SECRET_PHRASE)
    # The test database may live in memory: copy it, committed, to a real file first.
    connection.ensure_connection()
    copy_path = tmp_path / "copy.sqlite3"
    copy = sqlite3.connect(copy_path)
    try:
        connection.connection.backup(copy)
        (count,) = copy.execute(
            f"SELECT count(*) FROM {CareNote._meta.db_table} WHERE text LIKE 'tf1:%'"  # noqa: S608
        ).fetchone()
    finally:
        copy.close()

    on_disk = copy_path.read_bytes()

    assert count == 1, "the note is in the copy, sealed"
    assert b"tf1:" in on_disk
    assert SECRET_PHRASE.encode("utf-8") not in on_disk
    assert SECRET_PHRASE.encode("utf-16-le") not in on_disk
    assert SECRET_PHRASE.encode("utf-16-be") not in on_disk


@pytest.mark.django_db
def test_ciphertext_copied_to_another_row_does_not_open() -> None:
    couple = Couple.objects.create(mode="self")
    author = make_user()
    original = make_note(SECRET_PHRASE, couple, author)
    other = make_note("A harmless note", couple, author)
    token = raw_tokens()[original.pk]

    CareNote.objects.filter(pk=other.pk).update(text=token)

    with pytest.raises(crypto.DecryptionError):
        _ = CareNote.objects.get(pk=other.pk).text
    # The original row still opens; and the token is bound to its field, too.
    assert CareNote.objects.get(pk=original.pk).text == SECRET_PHRASE
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(token, f"care.carenote.other_field.{original.pk}".encode())


@pytest.mark.django_db
def test_tampered_ciphertext_does_not_open() -> None:
    note = make_note(SECRET_PHRASE)
    version, kid, nonce, ciphertext = crypto.split_token(raw_tokens()[note.pk])
    flipped = ("A" if ciphertext[0] != "A" else "B") + ciphertext[1:]
    CareNote.objects.filter(pk=note.pk).update(text=f"{version}:{kid}:{nonce}:{flipped}")

    with pytest.raises(crypto.DecryptionError):
        _ = CareNote.objects.get(pk=note.pk).text


@pytest.mark.django_db
def test_wrong_or_missing_key_raises_instead_of_returning_ciphertext() -> None:
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=OLD_RING):
        note = make_note(SECRET_PHRASE)
    token = raw_tokens()[note.pk]

    # Missing: no key with the token's id in the ring.
    with (
        override_settings(TWOFOLD_ENCRYPTION_KEYS=NEW_RING),
        pytest.raises(crypto.DecryptionError, match="no key with id 'old'"),
    ):
        _ = CareNote.objects.get(pk=note.pk).text
    # Wrong: a key with the same id but different bytes.
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=f"old:{NEW_KEY}"):
        reloaded = CareNote.objects.get(pk=note.pk)
        with pytest.raises(crypto.DecryptionError) as excinfo:
            _ = reloaded.text
        assert token not in str(excinfo.value)
        # Nothing was cached on the instance in place of the text.
        assert isinstance(reloaded.__dict__["text"], Sealed)
        assert str(reloaded.__dict__["text"]) == "<Sealed>"
    # The right key still opens it.
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=OLD_RING):
        assert CareNote.objects.get(pk=note.pk).text == SECRET_PHRASE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup",
    [
        {"text": SECRET_PHRASE},
        {"text__in": [SECRET_PHRASE]},
        {"text__iexact": SECRET_PHRASE},
        {"text__contains": "worried"},
        {"text__icontains": "worried"},
        {"text__startswith": "Quietly"},
        {"text__regex": "worried"},
        {"text__gt": "A"},
    ],
    ids=lambda lookup: next(iter(lookup)),
)
def test_filtering_on_an_encrypted_field_is_refused(lookup: dict[str, Any]) -> None:
    make_note(SECRET_PHRASE)

    with pytest.raises((TypeError, FieldError)):
        list(CareNote.objects.filter(**lookup))


@pytest.mark.django_db
def test_null_checks_on_an_encrypted_field_are_allowed() -> None:
    make_note(SECRET_PHRASE)

    assert CareNote.objects.filter(text__isnull=False).count() == 1


# Key rotation.


@pytest.mark.django_db
def test_rotate_keys_reencrypts_under_the_new_primary_key_and_old_key_can_be_dropped() -> None:
    texts = [f"{SECRET_PHRASE} #{i}" for i in range(5)]
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=OLD_RING):
        couple = Couple.objects.create(mode="self")
        author = make_user()
        notes = {make_note(text, couple, author).pk: text for text in texts}
    before = raw_tokens()
    assert {crypto.key_id_of(t) for t in before.values()} == {"old"}

    with override_settings(TWOFOLD_ENCRYPTION_KEYS=NEW_AND_OLD_RING):
        # One value already on the new key (written after the new key became primary).
        newer = make_note("Written after the switch", couple, author)
        notes[newer.pk] = "Written after the switch"
        newer_token = raw_tokens()[newer.pk]

        output = run_rotate_keys("--batch-size", "2")

        after = raw_tokens()
        assert output.strip() == (
            "Re-encrypted 5 values in 1 fields; all values now use key 'new'."
        )
        assert {crypto.key_id_of(t) for t in after.values()} == {"new"}
        assert after[newer.pk] == newer_token, "values already on the primary key stay as they are"

        # Idempotent: a second run changes nothing.
        second = run_rotate_keys()
        assert raw_tokens() == after
        assert second.strip() == "Re-encrypted 0 values in 0 fields; all values now use key 'new'."

    # The old key can go: everything still opens with the new key alone.
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=NEW_RING):
        assert {n.pk: n.text for n in CareNote.objects.all()} == notes


@pytest.mark.django_db
def test_rotate_keys_dry_run_only_counts() -> None:
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=OLD_RING):
        make_note(SECRET_PHRASE)
        make_note(f"{SECRET_PHRASE} again")
    before = raw_tokens()

    with override_settings(TWOFOLD_ENCRYPTION_KEYS=NEW_AND_OLD_RING):
        output = run_rotate_keys("--dry-run")

    assert raw_tokens() == before
    assert "care.CareNote.text: old: 2" in output
    assert "Dry run: 2 values in 1 fields would be re-encrypted under key 'new'" in output
    assert SECRET_PHRASE not in output


@pytest.mark.django_db
def test_rotate_keys_skips_empty_values() -> None:
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=OLD_RING):
        empty = make_note("")
        make_note(SECRET_PHRASE)

    with override_settings(TWOFOLD_ENCRYPTION_KEYS=NEW_AND_OLD_RING):
        output = run_rotate_keys()

    assert "Re-encrypted 1 values in 1 fields" in output
    assert CareNote.objects.get(pk=empty.pk).text == ""


@pytest.mark.django_db
def test_rotate_keys_reports_a_value_no_key_can_open() -> None:
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=OLD_RING):
        note = make_note(SECRET_PHRASE)
    token = raw_tokens()[note.pk]

    # The old key is missing from the ring.
    with (
        override_settings(TWOFOLD_ENCRYPTION_KEYS=NEW_RING),
        pytest.raises(CommandError) as excinfo,
    ):
        run_rotate_keys()
    message = str(excinfo.value)
    assert "care.CareNote.text" in message
    assert str(note.pk) in message
    assert SECRET_PHRASE not in message
    assert token not in message
    assert raw_tokens() == {note.pk: token}


@pytest.mark.django_db
def test_rotate_keys_reports_a_value_copied_from_another_row() -> None:
    with override_settings(TWOFOLD_ENCRYPTION_KEYS=OLD_RING):
        first = make_note(SECRET_PHRASE)
        second = make_note("Another note")
    tokens = raw_tokens()
    CareNote.objects.filter(pk=second.pk).update(text=tokens[first.pk])

    with (
        override_settings(TWOFOLD_ENCRYPTION_KEYS=NEW_AND_OLD_RING),
        pytest.raises(CommandError, match=str(second.pk)) as excinfo,
    ):
        run_rotate_keys("--batch-size", "1")
    assert SECRET_PHRASE not in str(excinfo.value)
    assert tokens[first.pk] not in str(excinfo.value)


# Configuration.


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "holds no keys"),
        (" , ", "holds no keys"),
        ("k1:a", "not valid base64"),
        ("k1:" + crypto.generate_key()[:22], "must be 32 bytes"),
        (f"k1:{OLD_KEY},k1:{NEW_KEY}", "appears twice"),
        (OLD_KEY, "look like 'kid:base64key'"),
        (f"k-1:{OLD_KEY}", "letters-and-digits key id"),
    ],
    ids=["empty", "only-commas", "bad-base64", "wrong-length", "duplicate-id", "no-id", "bad-id"],
)
def test_keyring_rejects_malformed_configuration(spec: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)) as excinfo:
        crypto.KeyRing.parse(spec)
    # The message names the problem, never the key material.
    for part in re.split("[,:]", spec):
        if len(part.strip()) > 8:
            assert part.strip() not in str(excinfo.value)

    with override_settings(TWOFOLD_ENCRYPTION_KEYS=spec), pytest.raises(ImproperlyConfigured):
        crypto.key_ring()


def test_keyring_uses_the_first_key_as_primary_and_keeps_the_others_for_opening() -> None:
    ring = crypto.KeyRing.parse(f" new:{NEW_KEY} , old:{OLD_KEY} ")
    old_ring = crypto.KeyRing.parse(OLD_RING)
    token = old_ring.seal(SECRET_PHRASE, b"binding")

    assert ring.primary == "new"
    assert ring.open(token, b"binding") == SECRET_PHRASE
    assert crypto.key_id_of(ring.seal(SECRET_PHRASE, b"binding")) == "new"


def test_generate_encryption_key_prints_a_usable_key_line() -> None:
    out, err = StringIO(), StringIO()
    call_command("generate_encryption_key", stdout=out, stderr=err)

    line = out.getvalue().strip()
    assert re.fullmatch(r"k\d{8}:[A-Za-z0-9_-]{43}", line)
    ring = crypto.KeyRing.parse(line)
    assert len(ring.keys[ring.primary]) == 32
    assert "FIRST" in err.getvalue()
    assert "rotate_keys" in err.getvalue()


def _start_production(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TWOFOLD_", "DJANGO_", "SECRET_KEY", "DEBUG"))
    }
    env.update(
        TWOFOLD_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        ALLOWED_HOSTS="example.org",
        TWOFOLD_VAR_DIR=str(tmp_path),
        **extra,
    )
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'twofold.settings'; "
        "django.setup()"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_encryption_keys(tmp_path: Path) -> None:
    missing = _start_production(tmp_path)
    assert missing.returncode != 0
    assert "TWOFOLD_ENCRYPTION_KEYS" in missing.stderr

    # The public development key is refused as well.
    dev_key = _start_production(
        tmp_path,
        TWOFOLD_ENCRYPTION_KEYS="dev1:ZGV2LW9ubHkta2V5LWZvci10d29mb2xkLWRldiEhISE=",
    )
    assert dev_key.returncode != 0
    assert "TWOFOLD_ENCRYPTION_KEYS" in dev_key.stderr

    out = StringIO()
    call_command("generate_encryption_key", stdout=out, stderr=StringIO())
    started = _start_production(tmp_path, TWOFOLD_ENCRYPTION_KEYS=out.getvalue().strip())
    assert started.returncode == 0, started.stderr


# The sweep: every encrypted field of every model, found by introspection.


def _encrypted_fields() -> dict[type[models.Model], list[EncryptedTextField]]:
    found: dict[type[models.Model], list[EncryptedTextField]] = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found[model] = fields
    return found


ENCRYPTED = _encrypted_fields()


def _raw_value(model: type[models.Model], field: EncryptedTextField, pk: Any) -> str:
    quote = connection.ops.quote_name
    pk_field = model._meta.pk
    assert pk_field is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(pk_field.column)} = %s",
            [pk_field.get_db_prep_value(pk, connection)],
        )
        (stored,) = cursor.fetchone()
    return str(stored)


def test_the_sweep_finds_the_encrypted_fields_we_know_of() -> None:
    names = {f"{m.__name__}.{f.name}" for m, fields in ENCRYPTED.items() for f in fields}
    assert {"CareNote.text", "JournalEntry.body", "CheckIn.talk_about", "Goal.text"} <= names


@pytest.mark.parametrize("model", list(ENCRYPTED), ids=lambda m: m.__name__)
def test_every_encrypted_field_leaves_no_plaintext_in_the_database(
    model: type[models.Model], couple: Couple, partner_a: User, partner_b: User, clinician: User
) -> None:
    from tests.test_audiences import CASES, World, _plan

    world = World(couple=couple, a=partner_a, b=partner_b, clinician=clinician, plan=_plan(couple))
    build = next((b for _name, m, b, _seen in CASES if m is model), None)
    assert build is not None, f"add a case for {model.__name__} in tests/test_audiences.py"
    row = build(world)
    fields = ENCRYPTED[model]
    for field in fields:
        setattr(row, field.attname, f"{SECRET_PHRASE} in {model.__name__}.{field.name}")
    row.save(update_fields=[f.attname for f in fields])

    reloaded = model._default_manager.get(pk=row.pk)
    for field in fields:
        stored = _raw_value(model, field, row.pk)
        assert stored.startswith(f"tf1:{crypto.key_ring().primary}:"), field.name
        assert SECRET_PHRASE.lower() not in stored.lower(), f"{model.__name__}.{field.name}"
        assert model.__name__ not in stored, f"{model.__name__}.{field.name}"
        expected = f"{SECRET_PHRASE} in {model.__name__}.{field.name}"
        assert getattr(reloaded, field.attname) == expected
