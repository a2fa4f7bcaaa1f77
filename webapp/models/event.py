"""The event aggregate: events, who belongs to them and in what role, and their spaces."""

from __future__ import annotations

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import UTCDateTime, db, now_utc
from webapp.models.user import User


def new_public_token() -> str:
    """Return an unguessable URL-safe token for join links and space posters."""
    return secrets.token_urlsafe(18)


class Event(db.Model):
    """A conference or meetup with dates, a time zone and organizers."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    join_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_public_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )
    spaces: Mapped[list[Space]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Space.name",
    )


class Membership(db.Model):
    """A user's role in an event: owner, organizer or attendee."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_memberships_event_user"),)

    ROLE_OWNER = "owner"
    ROLE_ORGANIZER = "organizer"
    ROLE_ATTENDEE = "attendee"
    ORGANIZER_ROLES = (ROLE_OWNER, ROLE_ORGANIZER)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16), default=ROLE_ATTENDEE)
    in_directory: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Door check-in: the first time an organizer checked this person in, and who did.
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_organizer(self) -> bool:
        """Whether this member can manage the event."""
        return self.role in self.ORGANIZER_ROLES


class Space(db.Model):
    """A place inside an event (room, track, topic table, booth) with its own poster QR."""

    __tablename__ = "spaces"

    KINDS = ("room", "track", "topic_table", "booth", "mentoring_corner")

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(32), default="room")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    poster_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_public_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    event: Mapped[Event] = relationship(back_populates="spaces")


class DoorCheckIn(db.Model):
    """One door scan or manual check-in by an organizer; the client id makes replays idempotent."""

    __tablename__ = "door_checkins"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "client_id", name="uq_door_checkins_event_client"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    checked_in_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Whether the attendee had already been checked in when this scan arrived.
    was_already_checked_in: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    membership: Mapped[Membership] = relationship()


class SpaceCheckIn(db.Model):
    """An attendee present in a space, until they leave or ``expires_at`` passes."""

    __tablename__ = "space_checkins"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "client_id", name="uq_space_checkins_user_client"),
        sa.Index("ix_space_checkins_space_expires", "space_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    space: Mapped[Space] = relationship()
    user: Mapped[User] = relationship()


class OrganizerInvite(db.Model):
    """A one-time link an owner shares to make someone a co-organizer."""

    __tablename__ = "organizer_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_public_token)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()


class ImportBatch(db.Model):
    """An uploaded attendee CSV, kept between its preview and its commit."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    content: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    linked_count: Mapped[int] = mapped_column(default=0)
