"""A couple is a fixed pair: each seat is held once, ever, and a new pairing is a new couple."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import UserFactory, make_couple
from twofold.couples import actions
from twofold.couples.models import Couple, Invitation, Partner
from twofold.lib.errors import ActionError


def _invite(couple: Couple, email: str) -> str:
    _invitation, raw = Invitation.issue(email=email, role=Invitation.Role.PARTNER, couple=couple)
    return raw


def _leave(couple: Couple, user) -> None:
    Partner.objects.filter(couple=couple, user=user).update(left_at=timezone.now())


@pytest.fixture
def riley(db):
    return UserFactory(email="riley@example.org", display_name="Riley")


def test_a_seat_someone_left_is_never_given_to_anybody_else(partner_a, partner_b, riley):
    couple = make_couple(partner_a, partner_b)
    _leave(couple, partner_b)

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(couple=couple, user=riley, seat=Partner.Seat.B)


def test_a_couple_never_has_a_third_seat(partner_a, partner_b, riley):
    couple = make_couple(partner_a, partner_b)

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(couple=couple, user=riley, seat="c")


def test_one_person_never_holds_both_seats_of_a_couple(partner_a):
    couple = make_couple(partner_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(couple=couple, user=partner_a, seat=Partner.Seat.B)


def test_an_invitation_to_a_couple_whose_second_seat_was_taken_and_left_cannot_be_accepted(
    partner_a, partner_b, riley, client_for
):
    couple = make_couple(partner_a)
    actions.accept_invitation(_invite(couple, partner_b.email), acting_user=partner_b)
    _leave(couple, partner_b)
    raw = _invite(couple, riley.email)

    with pytest.raises(ActionError) as refused:
        actions.accept_invitation(raw, acting_user=riley)

    assert refused.value.code == "full"
    assert not Partner.objects.filter(user=riley).exists()
    assert couple.partners.count() == 2


def test_the_person_invited_into_a_used_seat_is_told_kindly_and_nothing_changes(
    partner_a, partner_b, riley, client_for
):
    couple = make_couple(partner_a, partner_b)
    _leave(couple, partner_b)
    raw = _invite(couple, riley.email)

    response = client_for(riley).post(f"/invitations/{raw}/accept/", follow=True)

    assert "Both places in this couple are already taken." in response.content.decode()
    assert not Partner.objects.filter(user=riley).exists()
    assert Invitation.objects.get(couple=couple, email=riley.email).accepted_at is None


def test_a_couple_somebody_left_before_the_other_joined_takes_nobody_new(
    partner_a, partner_b, client_for
):
    couple = Couple.objects.create(mode=Couple.Mode.SELF)
    first, second = _invite(couple, partner_a.email), _invite(couple, partner_b.email)
    actions.accept_invitation(first, acting_user=partner_a)
    _leave(couple, partner_a)

    assert actions.invitation_problem(Invitation.objects.get(email=partner_b.email), partner_b) == (
        "closed"
    )
    with pytest.raises(ActionError) as refused:
        actions.accept_invitation(second, acting_user=partner_b)
    assert refused.value.code == "closed"

    page = client_for(partner_b).get(f"/invitations/{second}/").content.decode()
    assert "can&#x27;t take anyone new" in page or "can't take anyone new" in page
    assert not Partner.objects.filter(user=partner_b).exists()


def test_deleting_a_partners_account_leaves_their_seat_for_good(partner_a, partner_b, riley):
    couple = make_couple(partner_a, partner_b)
    partner_b.delete()

    seat = couple.partners.get(seat=Partner.Seat.B)
    assert seat.user_id is None
    assert seat.left_at is not None
    assert [p.user for p in Couple.objects.get(pk=couple.pk).seats()] == [partner_a]
    with pytest.raises(ActionError) as refused:
        actions.accept_invitation(_invite(couple, riley.email), acting_user=riley)
    assert refused.value.code == "full"


def test_a_new_pairing_is_a_new_couple(partner_a, partner_b, riley):
    old = make_couple(partner_a, partner_b)
    _leave(old, partner_b)

    new = actions.start_couple(acting_user=partner_b)
    actions.accept_invitation(_invite(new, riley.email), acting_user=riley)

    assert new.pk != old.pk
    assert {p.user for p in Couple.objects.get(pk=new.pk).seats()} == {partner_b, riley}
    assert {p.user_id for p in old.partners.all()} == {partner_a.pk, partner_b.pk}


def test_the_second_partner_joining_closes_the_other_waiting_invitations(partner_a, partner_b):
    couple = make_couple(partner_a)
    spare = _invite(couple, "someone.else@example.org")
    actions.accept_invitation(_invite(couple, partner_b.email), acting_user=partner_b)

    assert Invitation.objects.get(email="someone.else@example.org").revoked_at is not None
    with pytest.raises(ActionError):
        actions.accept_invitation(spare, acting_user=UserFactory(email="someone.else@example.org"))


def test_nobody_can_invite_a_newcomer_into_a_couple_somebody_left(partner_a, riley):
    couple = Couple.objects.create(mode=Couple.Mode.SELF)
    Partner.objects.create(couple=couple, user=partner_a, seat=Partner.Seat.A)
    gone = UserFactory(email="gone@example.org")
    Partner.objects.create(couple=couple, user=gone, seat=Partner.Seat.B, left_at=timezone.now())
    with pytest.raises(ActionError) as refused:
        actions.invite_partner(couple, riley.email, acting_user=partner_a)
    assert refused.value.code in ("closed", "full")
    assert not Invitation.objects.filter(email=riley.email).exists()
