"""Builders that put realistic data in the test database through the real services.

They return plain records (ids and the values a test needs), not ORM objects, so tests
never hold objects from a session that has closed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from webapp.extensions import db
from webapp.models import Contact, Event, Membership, User
from webapp.services.connections import scan_badge
from webapp.services.contacts import add_manual_contact
from webapp.services.notes import add_note

DEFAULT_PASSWORD = "correct horse battery"


@dataclass
class UserRecord:
    """What a test needs to act as a user."""

    id: int
    name: str
    email: str
    password: str
    badge_token: str


class Factories:
    """Create users, connections, notes and events for a test."""

    def __init__(self, app):
        self.app = app
        self._sequence = itertools.count(1)

    def user(
        self,
        name: str | None = None,
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        **profile,
    ) -> UserRecord:
        """A user with a password and a badge; ``profile`` sets any profile field."""
        n = next(self._sequence)
        name = name or f"Person {n}"
        email = email or f"person{n}@example.org"
        with self.app.app_context():
            user = User(name=name, **profile)
            user.set_email(email)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            return UserRecord(user.id, user.name, user.email, password, user.badge_token)

    def connect(self, scanner: UserRecord, scanned: UserRecord, note: str = "", **kwargs) -> int:
        """``scanner`` scans ``scanned``'s badge; returns the scanner's contact id."""
        with self.app.app_context():
            user = db.session.get(User, scanner.id)
            token = db.session.get(User, scanned.id).badge_token
            result = scan_badge(user, token, note=note, **kwargs)
            db.session.commit()
            return result.contact.id

    def contact_id(self, owner: UserRecord, person: UserRecord) -> int:
        """The id of ``owner``'s contact for ``person``."""
        with self.app.app_context():
            return db.session.scalar(
                db.select(Contact.id).where(
                    Contact.owner_id == owner.id, Contact.person_id == person.id
                )
            )

    def manual_contact(self, owner: UserRecord, name: str, **fields) -> int:
        """A contact added by hand; returns its id."""
        with self.app.app_context():
            contact = add_manual_contact(db.session.get(User, owner.id), name, **fields)
            db.session.commit()
            return contact.id

    def note(
        self,
        owner: UserRecord,
        contact_id: int,
        body: str,
        follow_up: str = "",
        due_on: date | None = None,
    ) -> int:
        """A private note by ``owner`` on one of their contacts; returns its id."""
        with self.app.app_context():
            user = db.session.get(User, owner.id)
            contact = db.session.get(Contact, contact_id)
            assert contact.owner_id == owner.id, "notes go on the author's own contact"
            note, _ = add_note(
                user,
                contact,
                body,
                follow_up_what=follow_up,
                follow_up_due_on=due_on
                or (date.today() + timedelta(days=3) if follow_up else None),
            )
            db.session.commit()
            return note.id

    def event(self, owner: UserRecord, name: str | None = None, **fields) -> int:
        """An event owned by ``owner``, running today; returns its id."""
        n = next(self._sequence)
        today = date.today()
        values = {
            "name": name or f"Event {n}",
            "slug": f"event-{n}",
            "starts_on": today,
            "ends_on": today + timedelta(days=1),
            "timezone": "UTC",
        } | fields
        with self.app.app_context():
            event = Event(**values)
            db.session.add(event)
            db.session.flush()
            db.session.add(Membership(event_id=event.id, user_id=owner.id, role="owner"))
            db.session.commit()
            return event.id

    # --- events area (organizers, spaces, check-ins) ------------------------------------------

    def member(self, event_id: int, user: UserRecord, role: str = "attendee", **fields) -> int:
        """Add ``user`` to an event with ``role``; returns the membership id."""
        with self.app.app_context():
            membership = Membership(event_id=event_id, user_id=user.id, role=role, **fields)
            db.session.add(membership)
            db.session.commit()
            return membership.id

    def space(self, event_id: int, name: str = "Main hall", kind: str = "room") -> tuple[int, str]:
        """A space in an event; returns ``(space id, poster token)``."""
        from webapp.models import Space

        with self.app.app_context():
            space = Space(event_id=event_id, name=name, kind=kind)
            db.session.add(space)
            db.session.commit()
            return space.id, space.poster_token

    def event_record(self, event_id: int) -> dict:
        """Slug, join token and name of an event."""
        with self.app.app_context():
            event = db.session.get(Event, event_id)
            return {
                "id": event.id,
                "slug": event.slug,
                "join_token": event.join_token,
                "name": event.name,
            }
