"""The contact aggregate: mutual connections, each owner's contacts, their timeline and follow-ups.

Who may read what:
- a ``Connection`` links two users; only aggregate counts of them ever reach organizers;
- a ``Contact`` belongs to exactly one owner, and so does everything hanging off it
  (``Interaction`` notes and ``FollowUp`` items). Queries always filter on ``owner_id``.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import UTCDateTime, db, now_utc
from webapp.models.user import User


class Connection(db.Model):
    """The mutual link made when one user scans another's badge (one row per pair)."""

    __tablename__ = "connections"
    __table_args__ = (
        sa.UniqueConstraint("user_low_id", "user_high_id", name="uq_connections_pair"),
        sa.CheckConstraint("user_low_id < user_high_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_low_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    user_high_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    initiated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    space_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    event = relationship("Event")
    space = relationship("Space")


class Contact(db.Model):
    """Someone in one owner's contact list: a connected user or a person added by hand."""

    __tablename__ = "contacts"
    __table_args__ = (
        # NULL person_id (hand-added contacts) never collides, on SQLite and PostgreSQL alike.
        sa.UniqueConstraint("owner_id", "person_id", name="uq_contacts_owner_person"),
        sa.Index("ix_contacts_owner_met", "owner_id", "met_at"),
    )

    HOW_SCANNED = "scanned"  # the owner scanned the person's badge
    HOW_WAS_SCANNED = "was_scanned"  # the person scanned the owner's badge
    HOW_MANUAL = "manual"  # added by hand, for people without the app

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    connection_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("connections.id", ondelete="SET NULL"), index=True
    )
    # Only used for hand-added contacts; connected ones show the person's live shared card.
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    company: Mapped[str] = mapped_column(sa.String(120), default="")
    how: Mapped[str] = mapped_column(sa.String(16))
    met_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    connection: Mapped[Connection | None] = relationship(lazy="raise")
    interactions: Mapped[list[Interaction]] = relationship(
        back_populates="contact",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Interaction.happened_at.desc()",
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="contact",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="FollowUp.due_on",
    )

    @property
    def is_connected(self) -> bool:
        """Whether this contact is a Rapport user connected through a badge scan."""
        return self.person_id is not None

    @property
    def card(self) -> dict:
        """The card to show: the person's shared card, or the hand-entered fields."""
        if self.person is not None:
            return self.person.shared_card()
        card = {"name": self.name, "initials": _initials(self.name)}
        if self.company:
            card["company"] = self.company
        if self.email:
            card["email"] = self.email
        return card

    @property
    def display_name(self) -> str:
        """The name to show for this contact."""
        return self.person.name if self.person is not None else self.name


def _initials(name: str) -> str:
    """Initials for a hand-added contact's avatar."""
    parts = name.split()
    if not parts:
        return "?"
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


class Interaction(db.Model):
    """A dated entry on a contact's timeline. Notes are private to their author, the owner."""

    __tablename__ = "interactions"
    __table_args__ = (
        # Client-generated ids make offline writes idempotent, per author.
        sa.UniqueConstraint("owner_id", "client_id", name="uq_interactions_owner_client"),
        sa.Index("ix_interactions_contact_happened", "contact_id", "happened_at"),
    )

    KIND_MET = "met"
    KIND_RESCAN = "rescan"
    KIND_NOTE = "note"
    KIND_MEETING = "meeting"
    KIND_CALL = "call"
    WRITABLE_KINDS = (KIND_NOTE, KIND_MEETING, KIND_CALL)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    contact: Mapped[Contact] = relationship(back_populates="interactions")

    @property
    def is_editable(self) -> bool:
        """Whether the author can edit or delete this entry (notes, not scan records)."""
        return self.kind in self.WRITABLE_KINDS


class FollowUp(db.Model):
    """Something the owner means to do for a contact by a date."""

    __tablename__ = "follow_ups"
    __table_args__ = (sa.Index("ix_follow_ups_owner_open", "owner_id", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # The note it was written with, if any; deleting the note keeps the follow-up.
    interaction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interactions.id", ondelete="SET NULL"), index=True
    )
    what: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    contact: Mapped[Contact] = relationship(back_populates="follow_ups")

    def is_overdue(self, today: date) -> bool:
        """Whether the follow-up is still open after its due date."""
        return self.done_at is None and self.due_on < today
