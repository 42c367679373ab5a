"""How much do the check-in charts cost a page?

A couple with two years of weekly check-ins (104 rounds each, with the odd gap and private
item), and the history page that charts them (six shared items for both partners and the
viewer's own safety answers, each with its table of numbers), rendered through Django's
test client beside a trivial page for a signed-in person (the privacy lock's settings).
The script prints the median time of each, their ratio, the queries each made, the same
page for a couple with nothing to chart (the cost of the page without its charts), and
the time to lay out and render one chart of 104 points for two people on its own.

    .venv/bin/python bench/charts.py               # 50 rounds of each page
    .venv/bin/python bench/charts.py --rounds 200

It uses a throw-away SQLite database in a temporary folder (never the demo's) and the
real settings with DEBUG off (templates cached, as in production).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEEKS = 104


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50, help="requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="twofold-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    os.environ["TWOFOLD_VAR_DIR"] = workdir
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twofold.settings")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone, translation

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from tests.factories import make_couple
    from twofold.accounts.models import User
    from twofold.checkins.models import CheckIn, CheckInSchedule, SafetyAnswer, monday_of
    from twofold.lib.charts import Point, Series, line_chart

    alex = User.objects.create_user("alex@bench.example", "x", display_name="Alex")
    sam = User.objects.create_user("sam@bench.example", "x", display_name="Sam")
    couple = make_couple(alex, sam)
    this_monday = monday_of(timezone.localdate())
    first = this_monday - timedelta(weeks=WEEKS)
    CheckInSchedule.objects.filter(couple=couple).update(anchor=first)
    rng = random.Random(10)

    def score() -> int:
        return rng.randint(0, 10)

    for week in range(WEEKS + 1):
        start = first + timedelta(weeks=week)
        for person in (alex, sam):
            checkin = CheckIn.objects.create(
                couple=couple,
                owner=person,
                period_start=start,
                openness=score(),
                sexual_comfort=None if rng.random() < 0.1 else score(),
                mutual_support=score(),
                stress=score(),
                sleep_quality=score(),
                mood=score(),
                appreciated="a walk",
                talk_about="",
                private_items=["mood"] if rng.random() < 0.05 else [],
            )
            SafetyAnswer.objects.create(
                checkin=checkin,
                couple=couple,
                owner=person,
                period_start=start,
                felt_safe=score(),
            )

    # A couple who opened as long ago and never checked in: the same list of rounds on
    # the same page, and no charts.
    robin = User.objects.create_user("robin@bench.example", "x", display_name="Robin")
    kai = User.objects.create_user("kai@bench.example", "x", display_name="Kai")
    quiet = make_couple(robin, kai)
    CheckInSchedule.objects.filter(couple=quiet).update(anchor=first)

    client = Client()
    client.force_login(alex)
    quiet_client = Client()
    quiet_client.force_login(robin)
    clients = {"trivial": client, "history": client, "empty": quiet_client}
    pages = {
        "trivial": reverse("privacy_lock"),
        "history": reverse("checkin_history"),
        "empty": reverse("checkin_history"),
    }
    for name, url in pages.items():
        response = clients[name].get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    body = client.get(pages["history"]).content.decode()
    if body.count('class="chart"') != 7:
        raise SystemExit("the history page does not show seven charts")

    def once(name: str) -> float:
        started = time.perf_counter()
        clients[name].get(pages[name])
        return time.perf_counter() - started

    for _ in range(args.warmup):
        for name in pages:
            once(name)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for n in range(args.rounds):
        # Interleaved, the order swapped every round, so drift hits all alike.
        for name in sorted(pages, reverse=bool(n % 2)):
            times[name].append(once(name))
    queries = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            clients[name].get(url)
        queries[name] = len(ctx.captured_queries)

    # One chart alone: 104 weeks for two people, laid out and rendered.
    days = [first + timedelta(weeks=w) for w in range(WEEKS)]
    series = [
        Series(name, [Point(d, None if rng.random() < 0.05 else score()) for d in days])
        for name in ("You", "Sam")
    ]
    chart_times = []
    with translation.override("en"):
        for _ in range(args.rounds):
            started = time.perf_counter()
            chart = line_chart(key="bench", title="Openness", series=series, y_min=0, y_max=10)
            render_to_string("charts/_line_chart.html", {"chart": chart})
            chart_times.append(time.perf_counter() - started)

    trivial = statistics.median(times["trivial"])
    history = statistics.median(times["history"])
    empty = statistics.median(times["empty"])
    print(f"weekly check-ins: {WEEKS + 1} rounds for each of two partners; {args.rounds} requests")
    print(
        f"trivial page ({pages['trivial']}): median {trivial * 1000:.1f} ms, "
        f"{queries['trivial']} queries"
    )
    print(
        f"check-in history, 7 charts: median {history * 1000:.1f} ms, "
        f"{queries['history']} queries, {len(body) // 1024} KiB"
    )
    print(
        f"the same page with nothing to chart: median {empty * 1000:.1f} ms, "
        f"{queries['empty']} queries"
    )
    print(f"ratio (history / trivial): {history / trivial:.2f}")
    print(f"ratio (history / the same page without charts): {history / empty:.2f}")
    print(
        f"one chart (2 x {WEEKS} points, built and rendered): "
        f"median {statistics.median(chart_times) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
