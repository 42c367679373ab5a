from __future__ import annotations


def test_partner_home_shows_both_partners_as_active(client_for, partner_a, couple):
    response = client_for(partner_a).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "You&#x27;re both here" in body or "You're both here" in body
    assert "Sam has joined" in body
