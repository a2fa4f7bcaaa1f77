"""Events, roles, joining, the directory, spaces, check-ins and the meeting context of a scan.

Who may do what (checked by the ``get_*_or_404`` helpers, never in templates):
- an **owner** does everything an organizer does, and also manages organizers and deletes the event;
- an **organizer** edits the event and its spaces, imports attendees, prints badges, checks
  people in at the door and sees aggregate figures;
- an **attendee** sees the event, its directory (if they list themselves) and its spaces.
Anyone else gets a 404, so event ids and slugs leak nothing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import contains_eager, joinedload

from webapp.extensions import db
from webapp.models import (
    Connection,
    DoorCheckIn,
    Event,
    ImportBatch,
    Membership,
    OrganizerInvite,
    Space,
    SpaceCheckIn,
    User,
    now_utc,
)
from webapp.services.accounts import find_user_by_email
from webapp.services.links import parse_code

# A space check-in lasts this long unless the attendee leaves or checks in elsewhere first.
SPACE_CHECKIN_DURATION = timedelta(hours=3)
INVITE_LIFETIME = timedelta(days=7)
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ROLE_LABELS = {
    Membership.ROLE_OWNER: "Owner",
    Membership.ROLE_ORGANIZER: "Organizer",
    Membership.ROLE_ATTENDEE: "Attendee",
}
SPACE_KIND_LABELS = {
    "room": "Room",
    "track": "Track",
    "topic_table": "Topic table",
    "booth": "Booth",
    "mentoring_corner": "Mentoring corner",
}


class EventError(ValueError):
    """A request the event rules refuse, with a message fit to show the user."""


# --- time zones and dates --------------------------------------------------------------------


def timezone_names() -> list[str]:
    """All IANA time zone names, sorted, for the event form."""
    return sorted(available_timezones())


def event_zone(event: Event) -> ZoneInfo:
    """The event's time zone, falling back to UTC for an unknown name."""
    try:
        return ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(event: Event, at: datetime) -> date:
    """The calendar date at the event's venue at moment ``at``."""
    return at.astimezone(event_zone(event)).date()


def event_is_on(event: Event, at: datetime) -> bool:
    """Whether ``at`` falls on one of the event's days in the event's time zone."""
    return event.starts_on <= local_date(event, at) <= event.ends_on


def slugify(text: str) -> str:
    """A URL slug from a name: ASCII lower case words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def slug_taken(slug: str, except_event_id: int | None = None) -> bool:
    """Whether another event already uses ``slug``."""
    query = sa.select(Event.id).where(Event.slug == slug)
    if except_event_id is not None:
        query = query.where(Event.id != except_event_id)
    return db.session.scalar(query) is not None


# --- events and roles ------------------------------------------------------------------------

EVENT_FIELDS = ("name", "slug", "starts_on", "ends_on", "timezone", "venue", "description")


def create_event(owner: User, **fields) -> Event:
    """Create an event; its creator becomes the owner."""
    event = Event(**{key: fields[key] for key in EVENT_FIELDS if key in fields})
    db.session.add(event)
    db.session.flush()
    db.session.add(Membership(event_id=event.id, user_id=owner.id, role=Membership.ROLE_OWNER))
    db.session.flush()
    return event


def update_event(event: Event, **fields) -> None:
    """Change the event's details."""
    for key in EVENT_FIELDS:
        if key in fields:
            setattr(event, key, fields[key])
    db.session.flush()


def delete_event(event: Event) -> None:
    """Delete an event with everything in it; connections made there stay, unattributed.

    Dependent rows are removed explicitly rather than left to ON DELETE rules, which SQLite
    only enforces when foreign keys are switched on.
    """
    space_ids = sa.select(Space.id).where(Space.event_id == event.id).scalar_subquery()
    statements = [
        sa.update(Connection).where(Connection.event_id == event.id).values(event_id=None),
        sa.update(Connection).where(Connection.space_id.in_(space_ids)).values(space_id=None),
        sa.delete(SpaceCheckIn).where(SpaceCheckIn.space_id.in_(space_ids)),
        sa.delete(DoorCheckIn).where(DoorCheckIn.event_id == event.id),
        sa.delete(OrganizerInvite).where(OrganizerInvite.event_id == event.id),
        sa.delete(ImportBatch).where(ImportBatch.event_id == event.id),
        sa.delete(Membership).where(Membership.event_id == event.id),
        sa.delete(Space).where(Space.event_id == event.id),
    ]
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.expire(event)
    db.session.delete(event)
    db.session.flush()


def membership_of(user: User, event_id: int) -> Membership | None:
    """``user``'s membership of an event, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Membership).where(Membership.event_id == event_id, Membership.user_id == user.id)
    )


def _load_for(user: User, where, role: str) -> tuple[Event, Membership]:
    """Load the event matching ``where`` if ``user`` holds at least ``role`` in it, else 404."""
    row = db.session.execute(
        sa.select(Event, Membership)
        .join(Membership, Membership.event_id == Event.id)
        .where(where, Membership.user_id == user.id)
    ).first()
    if row is None:
        abort(404, description="No such event.")
    event, membership = row
    allowed = {
        "member": True,
        "organizer": membership.is_organizer,
        "owner": membership.role == Membership.ROLE_OWNER,
    }[role]
    if not allowed:
        abort(404, description="No such event.")
    return event, membership


def get_event_or_404(user: User, slug: str, role: str = "member") -> tuple[Event, Membership]:
    """The event with ``slug`` and ``user``'s membership, if they hold ``role``; else 404."""
    return _load_for(user, Event.slug == slug, role)


def get_event_by_id_or_404(user: User, event_id: int, role: str = "member"):
    """The event with ``event_id`` and ``user``'s membership, if they hold ``role``; else 404."""
    return _load_for(user, Event.id == event_id, role)


def events_of(user: User) -> list[tuple[Event, Membership]]:
    """The events ``user`` belongs to, newest first, with their membership."""
    rows = db.session.execute(
        sa.select(Event, Membership)
        .join(Membership, Membership.event_id == Event.id)
        .where(Membership.user_id == user.id)
        .order_by(Event.starts_on.desc(), Event.id.desc())
    )
    return [tuple(row) for row in rows]


def find_event_by_join_token(token: str) -> Event | None:
    """The event whose join link or poster carries ``token``."""
    return db.session.scalar(sa.select(Event).where(Event.join_token == token))


def join_event(user: User, event: Event) -> tuple[Membership, bool]:
    """Make ``user`` an attendee of ``event``; returns ``(membership, created)``."""
    membership = membership_of(user, event.id)
    if membership is not None:
        return membership, False
    membership = Membership(event_id=event.id, user_id=user.id, role=Membership.ROLE_ATTENDEE)
    db.session.add(membership)
    db.session.flush()
    return membership, True


def add_organizer(event: Event, user: User) -> Membership:
    """Make ``user`` an organizer of ``event``, promoting an attendee; owners stay owners."""
    membership, _ = join_event(user, event)
    if membership.role == Membership.ROLE_ATTENDEE:
        membership.role = Membership.ROLE_ORGANIZER
    db.session.flush()
    return membership


def add_organizer_by_email(event: Event, email: str) -> Membership:
    """Make the existing user with ``email`` an organizer; refuses unknown emails."""
    user = find_user_by_email(email)
    if user is None:
        raise EventError(
            "No Rapport account uses that email. Share an invite link with them instead."
        )
    return add_organizer(event, user)


def set_member_role(event: Event, membership: Membership, role: str) -> None:
    """Change a member's role; an event always keeps at least one owner."""
    if role not in ROLE_LABELS:
        raise EventError("Unknown role.")
    if membership.role == Membership.ROLE_OWNER and role != Membership.ROLE_OWNER:
        if _owner_count(event) <= 1:
            raise EventError("An event needs at least one owner.")
    membership.role = role
    db.session.flush()


def remove_member(event: Event, membership: Membership) -> None:
    """Remove someone from the event; the last owner cannot be removed."""
    if membership.role == Membership.ROLE_OWNER and _owner_count(event) <= 1:
        raise EventError("An event needs at least one owner.")
    db.session.execute(
        sa.delete(DoorCheckIn)
        .where(DoorCheckIn.membership_id == membership.id)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(membership)
    db.session.flush()


def _owner_count(event: Event) -> int:
    """How many owners the event has."""
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.event_id == event.id, Membership.role == Membership.ROLE_OWNER
        )
    )


def get_member_or_404(event: Event, membership_id: int) -> Membership:
    """A membership of ``event`` by id, or 404."""
    membership = db.session.scalar(
        sa.select(Membership)
        .where(Membership.id == membership_id, Membership.event_id == event.id)
        .options(joinedload(Membership.user))
    )
    if membership is None:
        abort(404, description="No such member.")
    return membership


def organizers_of(event: Event) -> list[Membership]:
    """The event's owners and organizers, with their users."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(
                Membership.event_id == event.id,
                Membership.role.in_(Membership.ORGANIZER_ROLES),
            )
            .options(joinedload(Membership.user))
            .order_by(Membership.role.desc(), Membership.joined_at)
        )
    )


def create_organizer_invite(event: Event, by: User) -> OrganizerInvite:
    """A one-time invite link that makes whoever opens it a co-organizer."""
    invite = OrganizerInvite(
        event_id=event.id, created_by_id=by.id, expires_at=now_utc() + INVITE_LIFETIME
    )
    db.session.add(invite)
    db.session.flush()
    return invite


def find_open_invite(token: str) -> OrganizerInvite | None:
    """An unused, unexpired organizer invite by token."""
    return db.session.scalar(
        sa.select(OrganizerInvite)
        .where(
            OrganizerInvite.token == token,
            OrganizerInvite.used_at.is_(None),
            OrganizerInvite.expires_at > now_utc(),
        )
        .options(joinedload(OrganizerInvite.event))
    )


def accept_organizer_invite(invite: OrganizerInvite, user: User) -> Membership:
    """Use an invite: ``user`` becomes an organizer and the link stops working."""
    membership = add_organizer(invite.event, user)
    invite.used_at = now_utc()
    invite.used_by_id = user.id
    db.session.flush()
    return membership


# --- directory -------------------------------------------------------------------------------


def set_directory_listing(membership: Membership, listed: bool) -> None:
    """Show or hide the member in this event's directory (opt-in, per event)."""
    membership.in_directory = listed
    db.session.flush()


def _escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search means the characters typed."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def directory(event: Event, topic: str = "", open_only: bool = False) -> list[User]:
    """People listed in the event's directory, optionally matching a topic or open to chat.

    Topics are searched only where the person shares them, so a hidden field never matches.
    """
    query = (
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.event_id == event.id, Membership.in_directory.is_(True))
        .order_by(sa.func.lower(User.name), User.id)
    )
    topic = " ".join(topic.split())[:100]
    if topic:
        pattern = f"%{_escape_like(topic.lower())}%"
        query = query.where(
            User.share_topics.is_(True),
            sa.or_(
                sa.func.lower(User.ask_me_about).like(pattern, escape="\\"),
                sa.func.lower(User.learning).like(pattern, escape="\\"),
            ),
        )
    if open_only:
        query = query.where(User.open_to_chat.is_(True))
    return list(db.session.scalars(query))


# --- meeting context -------------------------------------------------------------------------


# Built once: every scan runs it, and a reused statement keeps its cache key and compiled SQL.
_MEMBER_EVENTS_AROUND = (
    sa.select(Event)
    .join(Membership, Membership.event_id == Event.id)
    .where(
        Membership.user_id == sa.bindparam("user_id"),
        Event.starts_on <= sa.bindparam("last_day"),
        Event.ends_on >= sa.bindparam("first_day"),
    )
    .order_by(Membership.joined_at.desc())
)


def current_space_checkin(user: User, at: datetime | None = None) -> SpaceCheckIn | None:
    """The space check-in of ``user`` that is current at ``at`` (now by default)."""
    at = at or now_utc()
    return db.session.scalar(
        sa.select(SpaceCheckIn)
        .where(
            SpaceCheckIn.user_id == user.id,
            SpaceCheckIn.checked_in_at <= at,
            SpaceCheckIn.expires_at > at,
            sa.or_(SpaceCheckIn.left_at.is_(None), SpaceCheckIn.left_at > at),
        )
        .options(joinedload(SpaceCheckIn.space).joinedload(Space.event))
        .order_by(SpaceCheckIn.checked_in_at.desc())
        .limit(1)
    )


def meeting_context(user: User, at: datetime | None = None) -> tuple[int | None, int | None]:
    """Where ``user`` is at ``at``: ``(event_id, space_id)``, either may be None.

    The space they are checked into wins; otherwise an event they belong to that is on at
    that moment in its own time zone (the most recently joined, if several are).
    """
    at = at or now_utc()
    # A day's margin either side covers every time zone; the exact check is per event.
    utc_day = at.date()
    candidates = db.session.scalars(
        _MEMBER_EVENTS_AROUND,
        {
            "user_id": user.id,
            "first_day": utc_day - timedelta(days=1),
            "last_day": utc_day + timedelta(days=1),
        },
    ).all()
    if not candidates:
        # Checking in to a space joins its event, so without an event there is no space
        # either: most scans (people at no event today) are answered with this one query.
        return None, None
    checkin = current_space_checkin(user, at)
    if checkin is not None:
        return checkin.space.event_id, checkin.space_id
    for event in candidates:
        if event_is_on(event, at):
            return event.id, None
    return None, None


# --- spaces ----------------------------------------------------------------------------------

SPACE_FIELDS = ("name", "kind", "description")


def create_space(event: Event, **fields) -> Space:
    """Add a space (room, track, topic table, booth, mentoring corner) to an event."""
    space = Space(event_id=event.id, **{k: fields[k] for k in SPACE_FIELDS if k in fields})
    db.session.add(space)
    db.session.flush()
    return space


def update_space(space: Space, **fields) -> None:
    """Change a space's name, kind or description."""
    for key in SPACE_FIELDS:
        if key in fields:
            setattr(space, key, fields[key])
    db.session.flush()


def delete_space(space: Space) -> None:
    """Delete a space; connections made there keep their event."""
    db.session.execute(
        sa.update(Connection)
        .where(Connection.space_id == space.id)
        .values(space_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.delete(SpaceCheckIn)
        .where(SpaceCheckIn.space_id == space.id)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(space)
    db.session.flush()


def get_space_or_404(event: Event, space_id: int) -> Space:
    """A space of ``event`` by id, or 404."""
    space = db.session.scalar(
        sa.select(Space).where(Space.id == space_id, Space.event_id == event.id)
    )
    if space is None:
        abort(404, description="No such space.")
    return space


def find_space_by_token(token: str) -> Space | None:
    """The space whose poster carries ``token``."""
    return db.session.scalar(
        sa.select(Space).where(Space.poster_token == token).options(joinedload(Space.event))
    )


def space_token_from_code(code: str) -> str | None:
    """The poster token in a scanned space code (poster URL or bare token), else None."""
    parsed = parse_code(code)
    if parsed is None:
        return None
    kind, token = parsed
    # A bare token parses as a badge; for a space check-in it can only mean a poster token.
    return token if kind in ("space", "badge") else None


def find_space_checkin_by_client_id(user: User, client_id: str) -> SpaceCheckIn | None:
    """``user``'s space check-in sent with this client id, if any."""
    return db.session.scalar(
        sa.select(SpaceCheckIn)
        .where(SpaceCheckIn.user_id == user.id, SpaceCheckIn.client_id == client_id)
        .options(joinedload(SpaceCheckIn.space).joinedload(Space.event))
    )


def check_in_to_space(
    user: User, space: Space, *, client_id: str | None = None, at: datetime | None = None
) -> tuple[SpaceCheckIn, bool]:
    """Check ``user`` into ``space`` (joining its event if needed); returns ``(checkin, created)``.

    Checking in somewhere ends any earlier check-in, since a person is in one place at a time.
    A replayed client id returns the earlier check-in unchanged.
    """
    if client_id:
        existing = find_space_checkin_by_client_id(user, client_id)
        if existing is not None:
            return existing, False
    at = at or now_utc()
    join_event(user, space.event)
    db.session.execute(
        sa.update(SpaceCheckIn)
        .where(
            SpaceCheckIn.user_id == user.id,
            SpaceCheckIn.left_at.is_(None),
            SpaceCheckIn.expires_at > at,
            SpaceCheckIn.checked_in_at <= at,
        )
        .values(left_at=at)
        .execution_options(synchronize_session=False)
    )
    checkin = SpaceCheckIn(
        space=space,
        user_id=user.id,
        client_id=client_id,
        checked_in_at=at,
        expires_at=at + SPACE_CHECKIN_DURATION,
    )
    db.session.add(checkin)
    db.session.flush()
    return checkin, True


def leave_space(user: User, space: Space | None = None) -> bool:
    """End ``user``'s current check-in (in ``space`` if given); returns whether one ended."""
    checkin = current_space_checkin(user)
    if checkin is None or (space is not None and checkin.space_id != space.id):
        return False
    checkin.left_at = now_utc()
    db.session.flush()
    return True


def people_in_space(space: Space, at: datetime | None = None) -> list[User]:
    """The people checked into ``space`` right now, by name."""
    at = at or now_utc()
    return list(
        db.session.scalars(
            sa.select(User)
            .join(SpaceCheckIn, SpaceCheckIn.user_id == User.id)
            .where(
                SpaceCheckIn.space_id == space.id,
                SpaceCheckIn.checked_in_at <= at,
                SpaceCheckIn.expires_at > at,
                SpaceCheckIn.left_at.is_(None),
            )
            .distinct()
            .order_by(User.name, User.id)
        )
    )


def space_activity(event: Event) -> list[dict]:
    """Per space: check-ins, people there now and connections made there (counts only)."""
    now = now_utc()
    checkins = dict(
        db.session.execute(
            sa.select(SpaceCheckIn.space_id, sa.func.count(SpaceCheckIn.id))
            .join(Space, Space.id == SpaceCheckIn.space_id)
            .where(Space.event_id == event.id)
            .group_by(SpaceCheckIn.space_id)
        ).all()
    )
    present = dict(
        db.session.execute(
            sa.select(SpaceCheckIn.space_id, sa.func.count(sa.distinct(SpaceCheckIn.user_id)))
            .join(Space, Space.id == SpaceCheckIn.space_id)
            .where(
                Space.event_id == event.id,
                SpaceCheckIn.expires_at > now,
                SpaceCheckIn.checked_in_at <= now,
                SpaceCheckIn.left_at.is_(None),
            )
            .group_by(SpaceCheckIn.space_id)
        ).all()
    )
    connections = dict(
        db.session.execute(
            sa.select(Connection.space_id, sa.func.count(Connection.id))
            .join(Space, Space.id == Connection.space_id)
            .where(Space.event_id == event.id)
            .group_by(Connection.space_id)
        ).all()
    )
    spaces = db.session.scalars(
        sa.select(Space).where(Space.event_id == event.id).order_by(Space.name, Space.id)
    )
    return [
        {
            "id": space.id,
            "name": space.name,
            "kind": space.kind,
            "checkins": checkins.get(space.id, 0),
            "here_now": present.get(space.id, 0),
            "connections": connections.get(space.id, 0),
        }
        for space in spaces
    ]


# --- door check-in ---------------------------------------------------------------------------


class CheckInError(LookupError):
    """A door scan that cannot check anyone in; ``code`` is the API error code."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def attendee_for_code(event: Event, code: str) -> Membership:
    """The membership of ``event`` whose badge ``code`` (URL or token) was scanned."""
    parsed = parse_code(code)
    if parsed is None or parsed[0] != "badge":
        raise CheckInError(422, "invalid", "This is not a Rapport badge.")
    user = db.session.scalar(sa.select(User).where(User.badge_token == parsed[1]))
    if user is None:
        raise CheckInError(404, "badge_not_found", "This badge is unknown or was replaced.")
    membership = membership_of(user, event.id)
    if membership is None:
        raise CheckInError(
            404, "not_registered", f"{user.name} is not registered for {event.name}."
        )
    return membership


def check_in_attendee(
    event: Event,
    membership: Membership,
    by: User,
    *,
    client_id: str | None = None,
    at: datetime | None = None,
) -> tuple[DoorCheckIn, bool]:
    """Check an attendee in at the door; returns ``(record, created)``.

    Idempotent: a replayed client id returns the earlier record, and an attendee checked in
    twice keeps the first time and the first organizer.
    """
    if client_id:
        existing = db.session.scalar(
            sa.select(DoorCheckIn)
            .where(DoorCheckIn.event_id == event.id, DoorCheckIn.client_id == client_id)
            .options(joinedload(DoorCheckIn.membership).joinedload(Membership.user))
        )
        if existing is not None:
            return existing, False
    at = at or now_utc()
    already = membership.checked_in_at is not None
    if not already:
        membership.checked_in_at = at
        membership.checked_in_by_id = by.id
    record = DoorCheckIn(
        event_id=event.id,
        membership=membership,
        checked_in_by_id=by.id,
        client_id=client_id,
        checked_in_at=at,
        was_already_checked_in=already,
    )
    db.session.add(record)
    db.session.flush()
    return record, True


def checked_in_count(event: Event) -> int:
    """How many members of ``event`` have been checked in at the door."""
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.event_id == event.id, Membership.checked_in_at.is_not(None)
        )
    )


def registered_count(event: Event) -> int:
    """How many people belong to ``event`` (every role)."""
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(Membership.event_id == event.id)
    )


def attendees_query(event: Event, search: str = "") -> sa.Select:
    """A select of ``event``'s memberships with users, by name; searched in name/email/company."""
    query = (
        sa.select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.event_id == event.id)
        .options(contains_eager(Membership.user))
        .order_by(sa.func.lower(User.name), User.id)
    )
    search = " ".join(search.split())[:100]
    if search:
        pattern = f"%{_escape_like(search.lower())}%"
        query = query.where(
            sa.or_(
                sa.func.lower(User.name).like(pattern, escape="\\"),
                User.email_normalized.like(pattern, escape="\\"),
                sa.func.lower(User.company).like(pattern, escape="\\"),
            )
        )
    return query
