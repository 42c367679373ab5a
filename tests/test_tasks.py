"""Background work runs on a real queue: the database worker, or RQ on Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import UserFactory
from twofold.couples import actions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_invitation_email_waits_sealed_in_the_queue_until_the_worker_sends_it(
    database_queue, transactional_db
):
    # A transactional test: the worker commits and closes its connection, as in real life.
    from django_tasks_db.models import DBTaskResult

    jordan = UserFactory(display_name="Jordan")
    couple = actions.start_couple(acting_user=jordan)
    actions.invite_partner(couple, "riley@example.org", acting_user=jordan)
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    stored = str(queued.args_kwargs)
    assert "riley@example.org" not in stored and "/invitations/" not in stored

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [m.to for m in mail.outbox] == [["riley@example.org"]]
    assert "/invitations/" in mail.outbox[0].body


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_url_e_mail_goes_through_rq_and_a_worker_delivers_it(tmp_path):
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.conf import settings
        from django.core import mail
        from django.core.mail import EmailMessage
        from django.db import transaction
        import django_rq
        from rq import SimpleWorker
        from django_tasks_rq import Job
        from twofold.lib.mail import queue_email

        assert settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        mail.outbox = []
        queue = django_rq.get_queue("default")
        queue.empty()
        queue_email(EmailMessage(subject="Hello", body="A neutral hello.", to=["a@example.org"]))
        assert queue.count == 1, queue.count
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        assert [m.subject for m in mail.outbox] == ["Hello"], mail.outbox
        print("delivered through redis")
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "twofold.settings",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "TWOFOLD_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "delivered through redis" in result.stdout
