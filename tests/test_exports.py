"""Exports: vCard 3.0 for one or all contacts, and CSV with last note and open follow-ups."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import vobject

from tests.conftest import login
from webapp.services.exports import safe_cell


def parse_vcards(response) -> list:
    """Parse a .vcf download into vobject components."""
    return list(vobject.readComponents(response.get_data(as_text=True)))


def parse_csv(response) -> list[dict]:
    """Parse a CSV download into rows keyed by column name."""
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


@pytest.fixture
def ada_and_bob(app, client, factories):
    """Ada, logged in, connected at an event with Bob, who shares a full card."""
    ada = factories.user(name="Ada Lovelace")
    bob = factories.user(
        name="Bob van Byte",
        email="bob@example.org",
        headline="Loom engineer",
        company="Jacquard; Sons, Ltd",
        links="https://bob.example\nhttps://blog.bob.example",
        share_email=True,
        share_links=True,
    )
    event = factories.event(ada, name="PyCon Lisbon")
    contact = factories.connect(ada, bob, event_id=event)
    login(client, ada)
    return {"ada": ada, "bob": bob, "contact": contact}


def test_one_contact_as_vcard_3(client, ada_and_bob):
    response = client.get(f"/contacts/{ada_and_bob['contact']}/contact.vcf")
    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    assert 'attachment; filename="Bob_van_Byte.vcf"' == response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    [card] = parse_vcards(response)
    assert card.version.value == "3.0"
    assert card.fn.value == "Bob van Byte"
    assert (card.n.value.given, card.n.value.family) == ("Bob van", "Byte")
    assert card.org.value == ["Jacquard; Sons, Ltd"]
    assert card.title.value == "Loom engineer"
    assert card.email.value == "bob@example.org"
    assert [url.value for url in card.url_list] == [
        "https://bob.example",
        "https://blog.bob.example",
    ]
    assert card.note.value == f"Met at PyCon Lisbon on {date.today().day} {date.today():%b %Y}"


def test_vcards_export_only_what_the_person_shares(client, factories):
    ada = factories.user()
    bob = factories.user(
        name="Bob",
        email="bob@example.org",
        company="Hidden Co",
        headline="Secret role",
        links="https://bob.example",
        share_company=False,
        share_headline=False,
    )
    contact = factories.connect(ada, bob)
    login(client, ada)
    text = client.get(f"/contacts/{contact}/contact.vcf").get_data(as_text=True)
    for hidden in ["bob@example.org", "Hidden Co", "Secret role", "bob.example", "EMAIL", "URL"]:
        assert hidden not in text
    [card] = parse_vcards(client.get(f"/contacts/{contact}/contact.vcf"))
    assert card.fn.value == "Bob" and card.n.value.given == "Bob"


def test_all_contacts_as_one_vcf(client, factories, ada_and_bob):
    factories.manual_contact(ada_and_bob["ada"], "Carol Crane", email="carol@example.org")
    response = client.get("/contacts/export.vcf")
    assert response.status_code == 200
    assert 'filename="rapport-contacts.vcf"' in response.headers["Content-Disposition"]
    cards = {card.fn.value: card for card in parse_vcards(response)}
    assert set(cards) == {"Bob van Byte", "Carol Crane"}
    assert cards["Carol Crane"].email.value == "carol@example.org"
    assert cards["Carol Crane"].note.value.startswith("Added on ")


def test_all_contacts_as_csv_with_last_note_and_open_follow_ups(
    app, client, factories, ada_and_bob
):
    ada, contact = ada_and_bob["ada"], ada_and_bob["contact"]
    due = date.today() + timedelta(days=5)
    factories.note(ada, contact, "Older note")
    factories.note(ada, contact, "Newest note", follow_up="Send the paper", due_on=due)
    factories.manual_contact(ada, "Carol Crane", company="Crane Works")
    response = client.get("/contacts/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="rapport-contacts.csv"' in response.headers["Content-Disposition"]
    rows = {row["Name"]: row for row in parse_csv(response)}
    bob = rows["Bob van Byte"]
    assert bob["Company"] == "Jacquard; Sons, Ltd" and bob["Email"] == "bob@example.org"
    assert bob["Event"] == "PyCon Lisbon" and bob["How you met"] == "You scanned their badge"
    assert bob["Last note"] == "Newest note"
    assert bob["Open follow-ups"] == f"Send the paper (due {due.isoformat()})"
    assert rows["Carol Crane"]["How you met"] == "Added by hand"
    assert rows["Carol Crane"]["Last note"] == ""


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, factories):
    ada = factories.user()
    bob = factories.user(name='=HYPERLINK("http://evil")', headline="+1 555", company="@SUM(A1)")
    contact = factories.connect(ada, bob)
    factories.note(ada, contact, "-2+3 cmd|' /C calc'!A0")
    login(client, ada)
    [row] = parse_csv(client.get("/contacts/export.csv"))
    assert row["Name"] == '\'=HYPERLINK("http://evil")'
    assert row["Headline"] == "'+1 555"
    assert row["Company"] == "'@SUM(A1)"
    assert row["Last note"] == "'-2+3 cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_exports_of_an_empty_list_are_valid_files(client, factories):
    login(client, factories.user())
    assert client.get("/contacts/export.vcf").get_data(as_text=True) == ""
    assert parse_csv(client.get("/contacts/export.csv")) == []
