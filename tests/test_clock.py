"""The clock actions read: real time, unless a block moved it (as the demo does)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.journal import actions as journal_actions
from twofold.journal.models import Moment
from twofold.lib import clock

MOMENT = datetime(2024, 3, 1, 20, 30, tzinfo=UTC)


def test_outside_any_block_the_clock_tells_the_real_time() -> None:
    before = timezone.now()
    reading = clock.now()
    assert before <= reading <= timezone.now()
    assert not clock.is_moved()


def test_inside_a_block_time_starts_at_the_moment_and_runs_on() -> None:
    with clock.moved_to(MOMENT):
        first, second = clock.now(), clock.now()
        assert clock.is_moved()
        assert clock.localdate() == timezone.localdate(MOMENT)
    assert MOMENT <= first < second < MOMENT + timedelta(seconds=5)
    assert clock.now() > MOMENT + timedelta(days=300)


def test_readings_inside_a_block_never_repeat_so_rows_keep_their_order() -> None:
    with clock.moved_to(MOMENT):
        readings = [clock.now() for _ in range(2000)]
    assert all(a < b for a, b in pairwise(readings))


def test_blocks_nest_and_each_gives_back_the_time_it_found() -> None:
    later = MOMENT + timedelta(days=10)
    with clock.moved_to(MOMENT):
        with clock.moved_to(later):
            assert clock.now() >= later
        assert MOMENT <= clock.now() < later
    assert not clock.is_moved()


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"), clock.moved_to(MOMENT.replace(tzinfo=None)):
        pass


@pytest.mark.django_db
def test_an_action_inside_a_block_writes_its_row_at_the_moved_time(
    couple: Couple, partner_a: User
) -> None:
    with clock.moved_to(MOMENT):
        logged = journal_actions.log_moment(couple, Moment.Kind.TIME, acting_user=partner_a)
    stored = Moment.objects.get(pk=logged.pk)
    assert MOMENT <= stored.created_at < MOMENT + timedelta(seconds=5)
    assert stored.happened_on == timezone.localdate(MOMENT)
    # Loading the row inside a block leaves its stored time alone.
    with clock.moved_to(MOMENT + timedelta(days=30)):
        assert Moment.objects.get(pk=logged.pk).created_at == stored.created_at


@pytest.mark.django_db
def test_a_value_given_explicitly_wins_over_the_moved_time(couple: Couple, partner_a: User) -> None:
    chosen = MOMENT - timedelta(days=3)
    with clock.moved_to(MOMENT):
        row = Moment.objects.create(
            couple=couple, owner=partner_a, kind=Moment.Kind.TIME, created_at=chosen
        )
    assert Moment.objects.get(pk=row.pk).created_at == chosen
