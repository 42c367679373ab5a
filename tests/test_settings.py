"""Production settings refuse unsafe configurations and pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**overrides: str) -> dict[str, str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to the test run, not production.
    left_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(
        TWOFOLD_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        TWOFOLD_ENCRYPTION_KEYS="k1:" + "A" * 43,
        ALLOWED_HOSTS="twofold.example.org",
        DEBUG="false",
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_passes_the_deploy_check_at_warning_level():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"TWOFOLD_ENFORCE_STAFF_MFA": "false"}, "TWOFOLD_ENFORCE_STAFF_MFA"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"TWOFOLD_ENCRYPTION_KEYS": "k1:c2hvcnQ"}, "32 bytes"),
        ({"TWOFOLD_TRUSTED_PROXY_COUNT": "-1"}, "TWOFOLD_TRUSTED_PROXY_COUNT"),
        ({"TWOFOLD_TRUSTED_PROXY_COUNT": "one"}, "TWOFOLD_TRUSTED_PROXY_COUNT"),
        ({"TWOFOLD_APP_NAME": " "}, "TWOFOLD_APP_NAME"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(change, message):
    result = _manage("check", env=_production_env(**change))
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("y" * 64 + "\n")
    env = _production_env(SECRET_KEY="", SECRET_KEY_FILE=str(secret))
    assert _manage("check", env=env).returncode == 0
