"""Exporting contacts: vCard 3.0 (phones, Google Contacts) and CSV (spreadsheets).

Only what each person shares leaves the app: the exports are built from ``Contact.card``,
never from the raw profile. Notes and follow-ups exported are the owner's own.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
import vobject

from webapp.extensions import db
from webapp.models import Contact, FollowUp, Interaction, User
from webapp.services.contacts import contacts_query

HOW_LABELS = {
    Contact.HOW_SCANNED: "You scanned their badge",
    Contact.HOW_WAS_SCANNED: "They scanned your badge",
    Contact.HOW_MANUAL: "Added by hand",
}

CSV_COLUMNS = [
    "Name",
    "Headline",
    "Company",
    "Email",
    "Links",
    "How you met",
    "Met on",
    "Event",
    "Space",
    "Last note",
    "Last note on",
    "Open follow-ups",
]

# Cells a spreadsheet would run as a formula; see OWASP "CSV injection".
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportRow:
    """One contact with the owner's last note and open follow-ups, ready to format."""

    contact: Contact
    last_note: Interaction | None = None
    open_follow_ups: list[FollowUp] = field(default_factory=list)


def format_day(day) -> str:
    """A date as people write it, e.g. "3 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


def met_sentence(contact: Contact) -> str:
    """Where and when the owner met the contact, e.g. "Met at PyCon (Room A) on 3 Nov 2026"."""
    connection = contact.connection
    if contact.how == Contact.HOW_MANUAL or connection is None:
        return f"Added on {format_day(contact.created_at)}"
    places = []
    if connection.event is not None:
        places.append(connection.event.name)
    if connection.space is not None:
        places.append(connection.space.name)
    where = f" at {' / '.join(places)}" if places else ""
    return f"Met{where} on {format_day(contact.met_at)}"


def contact_vcard(contact: Contact) -> vobject.base.Component:
    """A vCard 3.0 of what the contact shares (email and links only if they opted in)."""
    card = contact.card
    vcard = vobject.vCard()
    vcard.add("version").value = "3.0"
    vcard.add("fn").value = card["name"] or "Unnamed contact"
    given, _, family = (card["name"] or "").rpartition(" ")
    if not given:  # a single word is a given name, not a family name
        given, family = family, ""
    vcard.add("n").value = vobject.vcard.Name(family=family, given=given)
    if card.get("company"):
        vcard.add("org").value = [card["company"]]
    if card.get("headline"):
        vcard.add("title").value = card["headline"]
    if card.get("email"):
        email = vcard.add("email")
        email.value = card["email"]
        email.type_param = "INTERNET"
    for link in card.get("links", []):
        vcard.add("url").value = link
    vcard.add("note").value = met_sentence(contact)
    return vcard


def vcards_text(contacts: Iterable[Contact]) -> str:
    """Several contacts as one .vcf file, which phones and Google Contacts import in one go."""
    return "".join(contact_vcard(contact).serialize() for contact in contacts)


def safe_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would evaluate as a formula, by quoting it."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def contacts_csv(rows: Iterable[ExportRow]) -> str:
    """All contacts as CSV with the owner's last note and open follow-ups (UTF-8 with BOM)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # lets Excel pick UTF-8 for names with accents
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        contact, card = row.contact, row.contact.card
        connection = contact.connection
        note = row.last_note
        follow_ups = "; ".join(
            f"{item.what} (due {item.due_on.isoformat()})" for item in row.open_follow_ups
        )
        values = [
            card.get("name", ""),
            card.get("headline", ""),
            card.get("company", ""),
            card.get("email", ""),
            " ".join(card.get("links", [])),
            HOW_LABELS.get(contact.how, contact.how),
            contact.met_at.date().isoformat(),
            connection.event.name if connection and connection.event else "",
            connection.space.name if connection and connection.space else "",
            note.body if note else "",
            note.happened_at.date().isoformat() if note else "",
            follow_ups,
        ]
        writer.writerow([safe_cell(str(value)) for value in values])
    return buffer.getvalue()


def export_rows(owner: User) -> list[ExportRow]:
    """Every contact of ``owner`` with their last note and open follow-ups, in three queries."""
    contacts = db.session.scalars(contacts_query(owner, sort="name")).unique().all()
    rows = {contact.id: ExportRow(contact) for contact in contacts}

    # The newest note per contact, picked in the database rather than by loading them all.
    newest_first = (
        sa.func.row_number()
        .over(
            partition_by=Interaction.contact_id,
            order_by=(Interaction.happened_at.desc(), Interaction.id.desc()),
        )
        .label("position")
    )
    ranked = (
        sa.select(Interaction.id, newest_first)
        .where(
            Interaction.owner_id == owner.id,
            Interaction.kind.in_(Interaction.WRITABLE_KINDS),
            Interaction.body != "",
        )
        .subquery()
    )
    last_notes = db.session.scalars(
        sa.select(Interaction)
        .join(ranked, ranked.c.id == Interaction.id)
        .where(ranked.c.position == 1)
    )
    for note in last_notes:
        if note.contact_id in rows:
            rows[note.contact_id].last_note = note

    open_items = db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.owner_id == owner.id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    by_contact: dict[int, list[FollowUp]] = defaultdict(list)
    for item in open_items:
        by_contact[item.contact_id].append(item)
    for contact_id, items in by_contact.items():
        if contact_id in rows:
            rows[contact_id].open_follow_ups = items
    return list(rows.values())
