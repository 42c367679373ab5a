"""The journal: private by default, shared only as its author chooses, sealed at rest."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from tests.factories import UserFactory, make_couple
from twofold.journal import actions, content
from twofold.journal.models import JournalEntry, Sharing
from twofold.lib.content import ContentError

SECRET = "Quietly-hoping-for-a-gentler-week-51c2"


def _write(client, body=SECRET, sharing="me", **extra):
    return client.post(reverse("journal_new"), {"body": body, "sharing": sharing, **extra})


def _entry(owner, couple, sharing=Sharing.ONLY_ME, body=SECRET, title="Tuesday"):
    return actions.create_entry(couple, title=title, body=body, sharing=sharing, acting_user=owner)


def _detail(entry):
    return reverse("journal_detail", kwargs={"entry_id": entry.pk})


# Private by default.


def test_a_new_entry_is_private_to_its_author_by_default(
    client_for, couple, partner_a, partner_b, clinician
):
    response = _write(client_for(partner_a), title="Tuesday", sharing="me")
    entry = JournalEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(entry)
    assert not entry.shared_with_partner and not entry.shared_with_care

    assert SECRET in client_for(partner_a).get(_detail(entry)).content.decode()
    assert SECRET in client_for(partner_a).get(reverse("journal_list")).content.decode()
    assert client_for(partner_b).get(_detail(entry)).status_code == 404
    assert SECRET not in client_for(partner_b).get(reverse("journal_list")).content.decode()
    care_page = reverse("journal_care", kwargs={"couple_id": couple.pk})
    assert SECRET not in client_for(clinician).get(care_page).content.decode()
    assert client_for(clinician).get(_detail(entry)).status_code == 404


def test_the_new_entry_form_preselects_only_me(client_for, couple, partner_a):
    page = client_for(partner_a).get(reverse("journal_new")).content.decode()
    assert 'value="me"' in page and "checked" in page.split('value="me"')[1].split(">")[0]


def test_an_entry_shared_with_the_partner_is_on_their_list_with_its_author(
    client_for, couple, partner_a, partner_b, clinician
):
    _write(client_for(partner_a), title="Our walk", sharing="partner")
    entry = JournalEntry.objects.get()
    listing = client_for(partner_b).get(reverse("journal_list")).content.decode()
    assert "Our walk" in listing and "Written by Alex" in listing and "Shared with you" in listing
    detail = client_for(partner_b).get(_detail(entry))
    assert detail.status_code == 200 and SECRET in detail.content.decode()
    care_page = reverse("journal_care", kwargs={"couple_id": couple.pk})
    assert SECRET not in client_for(clinician).get(care_page).content.decode()


def test_an_entry_shared_with_the_care_team_is_on_the_care_page_and_not_the_partners(
    client_for, couple, partner_a, partner_b, clinician, other_clinician
):
    _write(client_for(partner_a), sharing="care")
    entry = JournalEntry.objects.get()
    care_page = reverse("journal_care", kwargs={"couple_id": couple.pk})
    response = client_for(clinician).get(care_page)
    assert response.status_code == 200 and SECRET in response.content.decode()
    assert client_for(partner_b).get(_detail(entry)).status_code == 404
    assert SECRET not in client_for(partner_b).get(reverse("journal_list")).content.decode()
    assert client_for(other_clinician).get(care_page).status_code == 404


def test_the_care_page_is_recorded_in_the_access_log(client_for, couple, clinician):
    from twofold.audit.models import AccessEvent

    client_for(clinician).get(reverse("journal_care", kwargs={"couple_id": couple.pk}))
    assert AccessEvent.objects.filter(couple=couple, what="journal", actor=clinician).exists()


def test_changing_the_audience_back_to_only_me_hides_it_again(
    client_for, couple, partner_a, partner_b, clinician
):
    entry = _entry(partner_a, couple, Sharing.BOTH)
    care_page = reverse("journal_care", kwargs={"couple_id": couple.pk})
    assert client_for(partner_b).get(_detail(entry)).status_code == 200
    assert SECRET in client_for(clinician).get(care_page).content.decode()

    edit = reverse("journal_edit", kwargs={"entry_id": entry.pk})
    response = client_for(partner_a).post(
        edit, {"title": "Tuesday", "body": SECRET, "sharing": "me"}
    )
    assert response.status_code == 302
    assert client_for(partner_b).get(_detail(entry)).status_code == 404
    assert SECRET not in client_for(clinician).get(care_page).content.decode()


def test_care_sharing_needs_the_authors_care_consent(client_for, couple, partner_a, clinician):
    from twofold.couples import actions as couple_actions

    entry = _entry(partner_a, couple, Sharing.CARE)
    couple_actions.withdraw_consent(couple, "care", acting_user=partner_a)
    assert not JournalEntry.objects.visible_to(clinician).filter(pk=entry.pk).exists()
    page = client_for(partner_a).get(_detail(entry)).content.decode()
    assert "not sharing with your care team at the moment" in page


# Only the author edits and deletes.


def test_the_author_edits_an_entry(client_for, couple, partner_a):
    entry = _entry(partner_a, couple)
    edit = reverse("journal_edit", kwargs={"entry_id": entry.pk})
    form = client_for(partner_a).get(edit).content.decode()
    assert SECRET in form and "Tuesday" in form
    response = client_for(partner_a).post(
        edit, {"title": "Wednesday", "body": "Kinder words today.", "sharing": "partner"}
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get(pk=entry.pk)
    assert (entry.title, entry.body, entry.sharing) == (
        "Wednesday",
        "Kinder words today.",
        Sharing.PARTNER,
    )


def test_the_partner_cannot_edit_or_delete_even_a_shared_entry(
    client_for, couple, partner_a, partner_b
):
    entry = _entry(partner_a, couple, Sharing.PARTNER)
    edit = reverse("journal_edit", kwargs={"entry_id": entry.pk})
    delete = reverse("journal_delete", kwargs={"entry_id": entry.pk})
    b = client_for(partner_b)
    assert b.get(edit).status_code == 404
    assert b.post(edit, {"body": "Changed", "sharing": "me"}).status_code == 404
    assert b.post(delete).status_code == 404
    assert JournalEntry.objects.get(pk=entry.pk).body == SECRET
    assert "Delete entry" not in b.get(_detail(entry)).content.decode()


def test_the_author_deletes_an_entry_for_good_after_a_confirm_step(client_for, couple, partner_a):
    entry = _entry(partner_a, couple, Sharing.BOTH)
    page = client_for(partner_a).get(_detail(entry)).content.decode()
    delete = reverse("journal_delete", kwargs={"entry_id": entry.pk})
    assert f'action="{delete}"' in page and "data-confirm=" in page
    assert client_for(partner_a).get(delete).status_code == 405
    response = client_for(partner_a).post(delete)
    assert response.status_code == 302 and response["Location"] == reverse("journal_list")
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    assert client_for(partner_a).get(_detail(entry)).status_code == 404


# Sealed at rest.


def test_title_and_body_are_encrypted_at_rest(client_for, couple, partner_a):
    _write(client_for(partner_a), title="Title-secret-9d1e")
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body FROM journal_journalentry")
        title, body = cursor.fetchone()
    assert title.startswith("tf1:") and "Title-secret-9d1e" not in title
    assert body.startswith("tf1:") and SECRET not in body


# Self-guided couples have no care team.


def test_a_self_guided_couple_is_not_offered_the_care_team(db, client_for):
    a = UserFactory(display_name="Robin")
    b = UserFactory(display_name="Kai")
    make_couple(a, b)
    page = client_for(a).get(reverse("journal_new")).content.decode()
    assert "My partner" in page and "care team" not in page
    response = _write(client_for(a), sharing="care")
    assert response.status_code == 400
    assert not JournalEntry.objects.exists()


def test_a_guided_couple_is_offered_all_four_audiences(client_for, couple, partner_a):
    page = client_for(partner_a).get(reverse("journal_new")).content.decode()
    for label in ("Only me", "My partner", "My care team", "My partner and my care team"):
        assert label in page


# Bad input never loses what was typed.


def test_an_empty_body_is_refused_keeping_the_title(client_for, couple, partner_a):
    response = _write(client_for(partner_a), body="   ", title="Half a thought")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please write a few words" in page and 'value="Half a thought"' in page
    assert not JournalEntry.objects.exists()


def test_an_unknown_audience_is_refused(client_for, couple, partner_a):
    assert _write(client_for(partner_a), sharing="everyone").status_code == 400


def test_someone_whose_partner_has_not_joined_can_already_keep_a_private_journal(db, client_for):
    solo = UserFactory(display_name="Jo")
    couple = make_couple(solo)
    client = client_for(solo)
    form = client.get(reverse("journal_new")).content.decode()
    assert "your entries are for you alone" in form
    assert 'value="partner"' not in form and 'value="both"' not in form
    assert _write(client, sharing="me").status_code == 302
    entry = JournalEntry.objects.get()
    assert (entry.shared_with_partner, entry.shared_with_care) == (False, False)
    assert SECRET in client.get(reverse("journal_list")).content.decode()
    # A crafted choice to share is refused: there is nobody to share with yet.
    assert _write(client, sharing="partner").status_code == 400
    # Even straight through the action, an entry written before opening stays private.
    sneaky = actions.create_entry(couple, body="x", sharing=Sharing.BOTH, acting_user=solo)
    assert (sneaky.shared_with_partner, sneaky.shared_with_care) == (False, False)
    # Moments and notes need both of you: those pages say what they are waiting for.
    moments = client.get(reverse("moments")).content.decode()
    assert "they open when you have both joined" in moments
    assert reverse("journal_list") in moments


# Prompts.


def test_a_prompt_chosen_from_the_list_is_shown_and_remembered(client_for, couple, partner_a):
    prompt = content.prompts().groups[0].prompts[2]
    page = client_for(partner_a).get(reverse("journal_new") + f"?prompt={prompt.key}")
    assert escape(prompt.text) in page.content.decode()
    _write(client_for(partner_a), prompt_key=prompt.key)
    entry = JournalEntry.objects.get()
    assert entry.prompt_key == prompt.key
    assert escape(prompt.text) in client_for(partner_a).get(_detail(entry)).content.decode()


def test_an_unknown_prompt_is_ignored(client_for, couple, partner_a):
    response = client_for(partner_a).get(reverse("journal_new") + "?prompt=no-such-prompt")
    assert response.status_code == 200
    _write(client_for(partner_a), prompt_key="no-such-prompt")
    assert JournalEntry.objects.get().prompt_key == ""


def test_the_new_entry_page_offers_a_few_prompts_that_change_by_day(client_for, couple, partner_a):
    import time_machine

    with time_machine.travel(date(2025, 5, 5), tick=False):
        monday = client_for(partner_a).get(reverse("journal_new")).content.decode()
        today = content.prompts().for_day(date(2025, 5, 5))
    with time_machine.travel(date(2025, 5, 6), tick=False):
        tomorrow = content.prompts().for_day(date(2025, 5, 6))
    assert "Need a starting point?" in monday and reverse("journal_prompts") in monday
    assert len(today) == 3 and len({p.key for p in today}) == 3
    assert all(escape(p.text) in monday for p in today)
    assert today == content.prompts().for_day(date(2025, 5, 5))
    assert [p.key for p in today] != [p.key for p in tomorrow]


def test_the_prompt_list_shows_every_group(client_for, couple, partner_a):
    page = client_for(partner_a).get(reverse("journal_prompts")).content.decode()
    for group in content.prompts().groups:
        assert group.title in page
        assert all(escape(p.text) in page for p in group.prompts)


def test_the_shipped_prompts_cover_reflection_and_writing_freely():
    prompts = content.prompts()
    keys = {g.key for g in prompts.groups}
    assert {"reflection", "expressiveness"} <= keys
    assert all(len(g.prompts) >= 8 for g in prompts.groups)


@pytest.fixture
def broken_prompts(tmp_path, monkeypatch):
    def write(data):
        path = tmp_path / "prompts.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        monkeypatch.setattr(content, "PROMPTS_FILE", path)
        content.reload()
        return path

    yield write
    monkeypatch.undo()
    content.reload()


def test_a_broken_prompts_file_fails_naming_the_file_and_field(broken_prompts):
    path = broken_prompts(
        {"version": "1", "groups": [{"key": "reflection", "title": "R", "prompts": [{"key": "a"}]}]}
    )
    with pytest.raises(ContentError) as error:
        content.prompts()
    assert error.value.path == str(path)
    assert error.value.field == "groups[0].prompts[0].text"


def test_a_prompts_file_with_a_repeated_key_fails(broken_prompts):
    prompt = {"key": "same", "text": "Hello"}
    broken_prompts(
        {"version": "1", "groups": [{"key": "g", "title": "G", "prompts": [prompt, prompt]}]}
    )
    with pytest.raises(ContentError, match=r"groups\[0\]\.prompts\[1\]\.key"):
        content.prompts()


# Query counts.


def test_the_journal_list_does_not_grow_with_entries(client_for, couple, partner_a, partner_b):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client_for(partner_b).get(reverse("journal_list"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        for i in range(n):
            _entry(partner_a, couple, Sharing.PARTNER, body=f"Shared {i}")
            _entry(partner_b, couple, Sharing.ONLY_ME, body=f"Mine {i}")

    grow(2)
    few = count()
    grow(15)
    assert count() == few


def test_the_care_page_does_not_grow_with_entries(client_for, couple, partner_a, clinician):
    def count():
        url = reverse("journal_care", kwargs={"couple_id": couple.pk})
        with CaptureQueriesContext(connection) as ctx:
            response = client_for(clinician).get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _entry(partner_a, couple, Sharing.CARE)
    few = count()
    for i in range(12):
        _entry(partner_a, couple, Sharing.BOTH, body=f"Entry {i}")
    assert count() == few
