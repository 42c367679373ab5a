"""Does sign-up take as long for an address that has an account as for a new one?

Sign-up must not tell anyone whether an address is registered, neither by its page nor by
its timing. This script signs up, through Django's test client and the real settings
(Argon2 password hashing, the database cache, the database task queue), alternately with
an address that already has an account and with fresh addresses, and prints the median
time of each path and their ratio. The target is medians within 20 %.

    .venv/bin/python bench/signup_timing.py            # 40 rounds
    .venv/bin/python bench/signup_timing.py --rounds 100

It uses a throw-away SQLite database in a temporary folder (never the demo's), so it can
run beside ``make demo``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "a long enough passphrase"  # noqa: S105 (a throw-away account)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="sign-ups per path")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="twofold-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    os.environ["TWOFOLD_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twofold.settings")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from allauth.account.models import EmailAddress

    from twofold.accounts.models import User

    # One existing account per sign-up: allauth lets each address have one code (or "you
    # already have an account" e-mail) every few minutes, for new and taken ones alike.
    taken = [f"taken{n}@bench.example" for n in range(args.rounds + args.warmup)]
    for email in taken:
        user = User.objects.create_user(email, PASSWORD, display_name="Taken")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    print(f"password hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}")

    counter = 0

    def sign_up(email: str) -> float:
        nonlocal counter
        counter += 1
        # A new client address each time, so the per-address sign-up limit never answers.
        address = f"10.{counter // 65536 % 256}.{counter // 256 % 256}.{counter % 256}"
        client = Client(REMOTE_ADDR=address)
        data = {
            "email": email,
            "display_name": "River",
            "time_zone": "Europe/London",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        start = time.perf_counter()
        response = client.post("/accounts/signup/", data)
        elapsed = time.perf_counter() - start
        if response.status_code != 302:
            raise SystemExit(f"sign-up of {email} answered {response.status_code}, not a redirect")
        return elapsed

    for n in range(args.warmup):
        sign_up(taken.pop())
        sign_up(f"warmup{n}@bench.example")

    existing: list[float] = []
    new: list[float] = []
    for n in range(args.rounds):
        # Interleaved, and the order swapped every round, so drift hits both alike.
        if n % 2:
            existing.append(sign_up(taken.pop()))
            new.append(sign_up(f"new{n}@bench.example"))
        else:
            new.append(sign_up(f"new{n}@bench.example"))
            existing.append(sign_up(taken.pop()))

    med_existing = statistics.median(existing)
    med_new = statistics.median(new)
    ratio = med_existing / med_new
    print(f"rounds per path: {args.rounds}")
    print(f"address already has an account: median {med_existing * 1000:.1f} ms")
    print(f"new address:                    median {med_new * 1000:.1f} ms")
    print(f"ratio (existing / new): {ratio:.3f}")
    within = abs(ratio - 1) <= 0.20
    print("within 20 %" if within else "NOT within 20 %")
    sys.exit(0 if within else 1)


if __name__ == "__main__":
    main()
