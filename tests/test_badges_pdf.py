"""Printable badges: render the PDF to images and decode every QR code back."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp

from tests.conftest import login
from webapp.services.badges_pdf import badge_cell

POINTS_PER_INCH = 72
SCALE = 2  # render at 144 dpi


def decode_badges(pdf_bytes: bytes, paper: str) -> list[dict]:
    """Every badge in reading order: the QR's text and the name printed in the same cell."""
    document = pdfium.PdfDocument(pdf_bytes)
    found = []
    try:
        for page_index in range(len(document)):
            page = document[page_index]
            height = page.get_height()
            image = page.render(scale=SCALE).to_pil()
            text = page.get_textpage()
            codes = zxingcpp.read_barcodes(image)
            assigned = 0
            for slot in range(8):
                left, bottom, right, top = badge_cell(paper, slot)
                in_cell = [
                    code.text
                    for code in codes
                    if left * SCALE <= code.position.top_left.x <= right * SCALE
                    and (height - top) * SCALE
                    <= code.position.top_left.y
                    <= (height - bottom) * SCALE
                ]
                words = text.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
                assigned += len(in_cell)
                if in_cell or words.strip():
                    found.append({"qr": in_cell, "text": " ".join(words.split())})
            # Every code on the page sits inside one badge's cell.
            assert assigned == len(codes)
    finally:
        document.close()
    return found


@pytest.fixture
def attendees(factories, client):
    """An event with eleven attendees (two pages of badges) and a logged-in organizer."""
    owner = factories.user(name="Olga Owner", company="Org Co")
    event_id = factories.event(owner, name="PyCon 2026", slug="pycon")
    people = [owner] + [
        factories.user(name=f"Zoë Müller {n:02d}", company=f"Straße {n} AG") for n in range(10)
    ]
    memberships = {owner.id: None}
    for person in people[1:]:
        memberships[person.id] = factories.member(event_id, person)
    login(client, owner)
    return people, memberships


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_badge_qr_decodes_to_its_own_attendees_badge_url(client, attendees, paper):
    people, _ = attendees
    response = client.get(f"/events/pycon/badges.pdf?paper={paper}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    document = pdfium.PdfDocument(response.data)
    width, height = document[0].get_size()
    document.close()
    expected_size = {"a4": (595, 842), "letter": (612, 792)}[paper]
    assert (round(width), round(height)) == expected_size

    badges = decode_badges(response.data, paper)
    # Reading order is by name, as on the attendee list.
    ordered = sorted(people, key=lambda p: (p.name.lower(), p.id))
    assert len(badges) == len(ordered) == 11
    for badge, person in zip(badges, ordered, strict=True):
        assert badge["qr"] == [f"http://localhost/c/{person.badge_token}"], person.name
        assert person.name in badge["text"]
    assert "Straße 3 AG" in badges[[p.name for p in ordered].index("Zoë Müller 03")]["text"]


def test_a_selection_prints_only_those_badges(client, attendees):
    people, memberships = attendees
    chosen = people[3], people[7]
    query = "&".join(f"m={memberships[p.id]}" for p in chosen)
    response = client.get(f"/events/pycon/badges.pdf?paper=a4&{query}")
    badges = decode_badges(response.data, "a4")
    assert [b["qr"] for b in badges] == [
        [f"http://localhost/c/{p.badge_token}"] for p in sorted(chosen, key=lambda p: p.name)
    ]


def test_a_selection_cannot_reach_another_events_attendees(client, attendees, factories):
    stranger_owner = factories.user(name="Elsewhere")
    other_event = factories.event(stranger_owner)
    stranger = factories.user(name="Secret Stranger")
    stranger_membership = factories.member(other_event, stranger)
    response = client.get(f"/events/pycon/badges.pdf?m={stranger_membership}")
    badges = decode_badges(response.data, "a4")
    assert badges == [] or all("Secret Stranger" not in b["text"] for b in badges)
    assert not any(b["qr"] for b in badges)
