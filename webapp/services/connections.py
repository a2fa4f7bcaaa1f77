"""Scanning badges: making mutual connections and recording them on both timelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Connection, Contact, Interaction, User, now_utc
from webapp.services.events import meeting_context


class BadgeNotFound(LookupError):
    """The scanned code is not a current badge token (unknown or rotated)."""


class OwnBadge(ValueError):
    """The user scanned their own badge."""


@dataclass
class ScanResult:
    """What a scan did: the scanner's contact, and whether it made a new connection."""

    contact: Contact
    new_connection: bool
    replayed: bool = False


# Offline scans keep their own time, within reason: never in the future, never ancient.
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_OFFLINE_AGE = timedelta(days=60)


def clamp_scanned_at(scanned_at: datetime | None) -> datetime:
    """Return a trustworthy scan time from the client's clock, or now."""
    now = now_utc()
    if scanned_at is None or scanned_at.tzinfo is None:
        return now
    if scanned_at > now + MAX_CLOCK_SKEW or scanned_at < now - MAX_OFFLINE_AGE:
        return now
    return min(scanned_at, now)


def find_replayed_scan(scanner: User, client_id: str) -> Contact | None:
    """Return the contact a scan with this client id already produced, if any."""
    return db.session.scalar(
        sa.select(Contact)
        .join(Interaction, Interaction.contact_id == Contact.id)
        .where(Interaction.owner_id == scanner.id, Interaction.client_id == client_id)
    )


def find_badge_owner(token: str) -> User | None:
    """Return the user whose current badge token this is."""
    return db.session.scalar(sa.select(User).where(User.badge_token == token))


def scan_badge(
    scanner: User,
    token: str,
    *,
    client_id: str | None = None,
    scanned_at: datetime | None = None,
    note: str = "",
    event_id: int | None = None,
    space_id: int | None = None,
) -> ScanResult:
    """Connect ``scanner`` with the owner of badge ``token``; idempotent per ``client_id``.

    A replayed ``client_id`` is caught by the unique (owner, client id) constraint when the
    scan is written, so the usual first-time scan pays for no lookup of earlier ones.
    """
    person = find_badge_owner(token)
    if person is None or person.id == scanner.id:
        # The replay of a scan that went through answers as it did, even if the badge has
        # been rotated since.
        if client_id and (replayed := find_replayed_scan(scanner, client_id)) is not None:
            return ScanResult(contact=replayed, new_connection=False, replayed=True)
        raise BadgeNotFound(token) if person is None else OwnBadge(token)

    met_at = clamp_scanned_at(scanned_at)
    if event_id is None and space_id is None:
        # Attribute the meeting to where the scanner is: their space, else their event today.
        event_id, space_id = meeting_context(scanner, met_at)
    try:
        with db.session.begin_nested():
            return _record_scan(scanner, person, met_at, client_id, note, event_id, space_id)
    except IntegrityError:
        # A replay, or two devices (or tabs) sent the same scan at once and the other won.
        if client_id and (replayed := find_replayed_scan(scanner, client_id)) is not None:
            return ScanResult(contact=replayed, new_connection=False, replayed=True)
        with db.session.begin_nested():
            return _record_scan(scanner, person, met_at, client_id, note, event_id, space_id)


def _record_scan(
    scanner: User,
    person: User,
    met_at: datetime,
    client_id: str | None,
    note: str,
    event_id: int | None,
    space_id: int | None,
) -> ScanResult:
    """Create or reuse the connection and both contacts, and log the scan on both timelines.

    Everything is read first and written in one flush, so the scan costs two lookups and one
    multi-row INSERT per table: a scan is the moment people wait for.
    """
    low, high = sorted((scanner.id, person.id))
    connection = db.session.scalar(
        sa.select(Connection).where(Connection.user_low_id == low, Connection.user_high_id == high)
    )
    contacts = {
        contact.owner_id: contact
        for contact in db.session.scalars(
            sa.select(Contact).where(
                sa.or_(
                    sa.and_(Contact.owner_id == scanner.id, Contact.person_id == person.id),
                    sa.and_(Contact.owner_id == person.id, Contact.person_id == scanner.id),
                )
            )
        )
    }
    new_connection = connection is None
    if new_connection:
        connection = Connection(
            user_low_id=low,
            user_high_id=high,
            initiated_by_id=scanner.id,
            event_id=event_id,
            space_id=space_id,
            created_at=met_at,
        )
        db.session.add(connection)

    kind = Interaction.KIND_MET if new_connection else Interaction.KIND_RESCAN
    mine = _ensure_contact(
        contacts.get(scanner.id), scanner, person, connection, Contact.HOW_SCANNED, met_at
    )
    theirs = _ensure_contact(
        contacts.get(person.id), person, scanner, connection, Contact.HOW_WAS_SCANNED, met_at
    )
    entries = [
        Interaction(
            contact=mine, owner_id=scanner.id, kind=kind, client_id=client_id, happened_at=met_at
        ),
        Interaction(contact=theirs, owner_id=person.id, kind=kind, happened_at=met_at),
    ]
    if note.strip():
        entries.append(
            Interaction(
                contact=mine,
                owner_id=scanner.id,
                kind=Interaction.KIND_NOTE,
                body=note.strip(),
                happened_at=met_at,
            )
        )
    db.session.add_all(entries)
    db.session.flush()
    return ScanResult(contact=mine, new_connection=new_connection)


def _ensure_contact(
    contact: Contact | None,
    owner: User,
    person: User,
    connection: Connection,
    how: str,
    met_at: datetime,
) -> Contact:
    """Return ``owner``'s contact for ``person``, re-creating it if they had removed it."""
    if contact is None:
        contact = Contact(
            owner_id=owner.id,
            person=person,
            connection=connection,
            how=how,
            met_at=met_at,
        )
        db.session.add(contact)
    elif contact.connection_id is None:
        contact.connection = connection
    return contact


def remove_contact(owner: User, contact: Contact) -> None:
    """Remove a contact from its owner's list; the other side keeps theirs."""
    connection_id = contact.connection_id
    db.session.delete(contact)
    db.session.flush()
    if connection_id is None:
        return
    # With neither side keeping the contact, the pair is forgotten altogether.
    remaining = db.session.scalar(
        sa.select(sa.func.count(Contact.id)).where(Contact.connection_id == connection_id)
    )
    if not remaining:
        db.session.execute(sa.delete(Connection).where(Connection.id == connection_id))
