"""All models, imported here so Alembic and the app see the whole schema."""

from webapp.models.base import Base, UTCDateTime, db, now_utc
from webapp.models.contact import Connection, Contact, FollowUp, Interaction
from webapp.models.event import (
    DoorCheckIn,
    Event,
    ImportBatch,
    Membership,
    OrganizerInvite,
    Space,
    SpaceCheckIn,
)
from webapp.models.user import User

__all__ = [
    "Base",
    "Connection",
    "Contact",
    "DoorCheckIn",
    "Event",
    "FollowUp",
    "ImportBatch",
    "Interaction",
    "Membership",
    "OrganizerInvite",
    "Space",
    "SpaceCheckIn",
    "User",
    "UTCDateTime",
    "db",
    "now_utc",
]
