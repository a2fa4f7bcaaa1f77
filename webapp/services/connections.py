"""Scanning badges: making mutual connections and recording them on both timelines.

A scan is the moment two people stand waiting, so its write path is lean on purpose: the
statements are built once at import (SQLAlchemy then reuses their cache keys and compiled
SQL), and the rows are written with Core INSERTs rather than through the ORM's unit of work,
which on its own doubled the cost of a scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Connection, Contact, Event, Interaction, Space, User, now_utc
from webapp.services.events import meeting_context


class BadgeNotFound(LookupError):
    """The scanned code is not a current badge token (unknown or rotated)."""


class OwnBadge(ValueError):
    """The user scanned their own badge."""


@dataclass
class ScanResult:
    """What a scan did: the scanner's contact, and whether it made a new connection.

    After a fresh scan ``contact`` is a snapshot of the row as written (see
    ``_contact_as_written``); after a replay it is the contact loaded from the database.
    """

    contact: Contact
    new_connection: bool
    replayed: bool = False


# Offline scans keep their own time, within reason: never in the future, never ancient.
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_OFFLINE_AGE = timedelta(days=60)

_BADGE_OWNER = sa.select(User).where(User.badge_token == sa.bindparam("token"))
# The pair's connection joined to the contacts that hang off it. A connection is made with
# both contacts and deleted once neither side keeps theirs, so no row means the pair has no
# connection; otherwise there is a row per contact kept (its columns NULL if none is).
_PAIR = (
    sa.select(
        Connection.id,
        Connection.event_id,
        Connection.space_id,
        Contact.owner_id,
        Contact.id.label("contact_id"),
        Contact.how,
        Contact.met_at,
    )
    .outerjoin(Contact, Contact.connection_id == Connection.id)
    .where(
        Connection.user_low_id == sa.bindparam("low"),
        Connection.user_high_id == sa.bindparam("high"),
    )
)
_INSERT_CONNECTION = sa.insert(Connection.__table__)
_INSERT_CONTACT = sa.insert(Contact.__table__)
_INSERT_INTERACTIONS = sa.insert(Interaction.__table__)


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
    return db.session.scalar(_BADGE_OWNER, {"token": token})


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

    One lookup, then one INSERT per new row and a single one for all the timeline entries.
    """
    low, high = sorted((scanner.id, person.id))
    rows = db.session.execute(_PAIR, {"low": low, "high": high}).all()
    contacts = {row.owner_id: row for row in rows if row.owner_id is not None}
    new_connection = not rows
    if new_connection:
        connection_id = _insert_row(
            _INSERT_CONNECTION,
            user_low_id=low,
            user_high_id=high,
            initiated_by_id=scanner.id,
            event_id=event_id,
            space_id=space_id,
            created_at=met_at,
        )
    else:
        # A rescan is credited to where the pair first met.
        connection_id, event_id, space_id = rows[0].id, rows[0].event_id, rows[0].space_id

    mine = contacts.get(scanner.id)
    my_contact_id = _ensure_contact(
        mine, scanner.id, person.id, connection_id, Contact.HOW_SCANNED, met_at
    )
    their_contact_id = _ensure_contact(
        contacts.get(person.id),
        person.id,
        scanner.id,
        connection_id,
        Contact.HOW_WAS_SCANNED,
        met_at,
    )
    kind = Interaction.KIND_MET if new_connection else Interaction.KIND_RESCAN
    entries = [
        _timeline_entry(my_contact_id, scanner.id, kind, met_at, client_id=client_id),
        _timeline_entry(their_contact_id, person.id, kind, met_at),
    ]
    if note.strip():
        entries.append(
            _timeline_entry(my_contact_id, scanner.id, Interaction.KIND_NOTE, met_at, note.strip())
        )
    db.session.execute(_INSERT_INTERACTIONS, entries)

    contact = _contact_as_written(
        my_contact_id,
        owner=scanner,
        person=person,
        how=mine.how if mine is not None else Contact.HOW_SCANNED,
        met_at=mine.met_at if mine is not None else met_at,
        connection=_connection_as_written(connection_id, event_id, space_id),
    )
    return ScanResult(contact=contact, new_connection=new_connection)


def _insert_row(statement: sa.Insert, **values) -> int:
    """Run a one-row INSERT and return the new row's id."""
    return db.session.execute(statement, values).inserted_primary_key[0]


def _ensure_contact(
    existing: sa.Row | None,
    owner_id: int,
    person_id: int,
    connection_id: int,
    how: str,
    met_at: datetime,
) -> int:
    """The id of ``owner_id``'s contact for ``person_id``, re-created if they had removed it."""
    if existing is not None:
        return existing.contact_id
    return _insert_row(
        _INSERT_CONTACT,
        owner_id=owner_id,
        person_id=person_id,
        connection_id=connection_id,
        how=how,
        met_at=met_at,
    )


def _timeline_entry(
    contact_id: int,
    owner_id: int,
    kind: str,
    happened_at: datetime,
    body: str = "",
    client_id: str | None = None,
) -> dict:
    """The values of one timeline row (every row of one INSERT names the same columns)."""
    return {
        "contact_id": contact_id,
        "owner_id": owner_id,
        "kind": kind,
        "body": body,
        "client_id": client_id,
        "happened_at": happened_at,
    }


def _connection_as_written(
    connection_id: int, event_id: int | None, space_id: int | None
) -> Connection:
    """The pair's connection, with the event and space the contact's summary names."""
    return Connection(
        id=connection_id,
        event_id=event_id,
        space_id=space_id,
        # A new connection's were just loaded by ``meeting_context``: identity-map hits, no SQL.
        event=db.session.get(Event, event_id) if event_id is not None else None,
        space=db.session.get(Space, space_id) if space_id is not None else None,
    )


def _contact_as_written(
    contact_id: int,
    *,
    owner: User,
    person: User,
    how: str,
    met_at: datetime,
    connection: Connection,
) -> Contact:
    """The scanner's contact as the scan left it, built from what the scan already holds.

    The rows were written with Core, so this object is transient and never added to the
    session: it carries what a contact's summary shows (id, card, how and when they met,
    where), and reloading the row only to describe it would cost every scan another query.
    """
    return Contact(
        id=contact_id,
        owner_id=owner.id,
        person_id=person.id,
        person=person,
        connection_id=connection.id,
        connection=connection,
        how=how,
        met_at=met_at,
    )


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
