"""Notes on a contact's timeline and the follow-ups that come with them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Contact, FollowUp, Interaction, User, now_utc


def add_note(
    owner: User,
    contact: Contact,
    body: str,
    *,
    follow_up_what: str = "",
    follow_up_due_on: date | None = None,
    kind: str = Interaction.KIND_NOTE,
    client_id: str | None = None,
    happened_at: datetime | None = None,
) -> tuple[Interaction, bool]:
    """Add a private note (and optional follow-up); returns ``(note, created)``.

    A client id already used by this owner returns the earlier note, so offline replays
    are idempotent.
    """
    if client_id:
        existing = find_note_by_client_id(owner, client_id)
        if existing is not None:
            return existing, False
    note = Interaction(
        contact_id=contact.id,
        owner_id=owner.id,
        kind=kind,
        body=body.strip(),
        client_id=client_id,
        happened_at=happened_at or now_utc(),
    )
    db.session.add(note)
    db.session.flush()
    if follow_up_what.strip() and follow_up_due_on is not None:
        db.session.add(
            FollowUp(
                owner_id=owner.id,
                contact_id=contact.id,
                interaction_id=note.id,
                what=follow_up_what.strip(),
                due_on=follow_up_due_on,
            )
        )
        db.session.flush()
    return note, True


def find_note_by_client_id(owner: User, client_id: str) -> Interaction | None:
    """Return ``owner``'s interaction with this client id, if any."""
    return db.session.scalar(
        sa.select(Interaction).where(
            Interaction.owner_id == owner.id, Interaction.client_id == client_id
        )
    )


def get_note_or_404(owner: User, contact: Contact, note_id: int) -> Interaction:
    """Load an editable note of ``owner`` on ``contact``, or 404."""
    note = db.session.scalar(
        sa.select(Interaction).where(
            Interaction.id == note_id,
            Interaction.contact_id == contact.id,
            Interaction.owner_id == owner.id,
            Interaction.kind.in_(Interaction.WRITABLE_KINDS),
        )
    )
    if note is None:
        abort(404, description="No such note.")
    return note


def update_note(note: Interaction, body: str) -> None:
    """Replace the text of a note."""
    note.body = body.strip()
    db.session.flush()


def delete_note(note: Interaction) -> None:
    """Delete a note; a follow-up written with it stays on the list."""
    db.session.delete(note)
    db.session.flush()


def get_follow_up_or_404(owner: User, follow_up_id: int) -> FollowUp:
    """Load one of ``owner``'s follow-ups, or 404."""
    follow_up = db.session.scalar(
        sa.select(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.owner_id == owner.id)
    )
    if follow_up is None:
        abort(404, description="No such follow-up.")
    return follow_up


def complete_follow_up(follow_up: FollowUp) -> None:
    """Mark a follow-up done (doing it twice keeps the first time)."""
    if follow_up.done_at is None:
        follow_up.done_at = now_utc()
    db.session.flush()


def reopen_follow_up(follow_up: FollowUp) -> None:
    """Mark a done follow-up open again."""
    follow_up.done_at = None
    db.session.flush()


SNOOZE_CHOICES = {"tomorrow": "Tomorrow", "next_week": "Next week"}


def snooze_date(choice: str, today: date) -> date | None:
    """The new due date for a snooze choice, or None when the choice is unknown."""
    if choice == "tomorrow":
        return today + timedelta(days=1)
    if choice == "next_week":
        return today + timedelta(days=7 - today.weekday())  # next Monday
    return None


def snooze_follow_up(follow_up: FollowUp, until: date) -> None:
    """Move an open follow-up to a later due date."""
    follow_up.due_on = until
    follow_up.done_at = None
    db.session.flush()


def open_follow_ups_query(owner: User) -> sa.Select:
    """A select of ``owner``'s open follow-ups, earliest due first, with their contacts."""
    return (
        sa.select(FollowUp)
        .where(FollowUp.owner_id == owner.id, FollowUp.done_at.is_(None))
        .options(joinedload(FollowUp.contact).joinedload(Contact.person))
        .order_by(FollowUp.due_on, FollowUp.id)
    )


class ClientIdConflict(ValueError):
    """A client id already names a different kind of write (a scan, not a note, or back)."""


def find_write_by_client_id(owner: User, client_id: str, kinds) -> Interaction | None:
    """``owner``'s earlier write with this client id if it is one of ``kinds``.

    Raises ClientIdConflict when the id was used for another kind of write, so a replay
    can never turn a scan into a note or a note into a scan.
    """
    existing = find_note_by_client_id(owner, client_id)
    if existing is not None and existing.kind not in kinds:
        raise ClientIdConflict(client_id)
    return existing


def add_note_once(owner: User, contact: Contact, body: str, *, client_id: str, **fields):
    """``add_note`` for offline replays: the same client id arriving twice at once is one note."""
    try:
        with db.session.begin_nested():
            return add_note(owner, contact, body, client_id=client_id, **fields)
    except IntegrityError:
        existing = find_write_by_client_id(owner, client_id, Interaction.WRITABLE_KINDS)
        if existing is None:
            raise
        return existing, False


def get_own_note_or_404(owner: User, note_id: int) -> Interaction:
    """Load an editable note of ``owner`` by id alone, or 404 (anyone else's id too)."""
    note = db.session.scalar(
        sa.select(Interaction).where(
            Interaction.id == note_id,
            Interaction.owner_id == owner.id,
            Interaction.kind.in_(Interaction.WRITABLE_KINDS),
        )
    )
    if note is None:
        abort(404, description="No such note.")
    return note


def follow_up_written_with(owner: User, note_id: int) -> FollowUp | None:
    """The follow-up ``owner`` wrote together with a note, if any."""
    return db.session.scalar(
        sa.select(FollowUp)
        .where(FollowUp.owner_id == owner.id, FollowUp.interaction_id == note_id)
        .order_by(FollowUp.id)
        .limit(1)
    )


def recently_done_follow_ups_query(owner: User, since: datetime) -> sa.Select:
    """A select of ``owner``'s follow-ups done since ``since``, latest first, with contacts."""
    return (
        sa.select(FollowUp)
        .where(FollowUp.owner_id == owner.id, FollowUp.done_at >= since)
        .options(joinedload(FollowUp.contact).joinedload(Contact.person))
        .order_by(FollowUp.done_at.desc(), FollowUp.id.desc())
    )
