"""The JSON shapes of the API, one function per shape (documented in ``openapi.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import url_for

from webapp.models import Contact, FollowUp, Interaction, User
from webapp.services.links import absolute_code_url


def timestamp(value: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 in UTC, or None."""
    return value.astimezone(UTC).isoformat() if value is not None else None


def badge(user: User) -> dict:
    """Where the user's badge and its QR images live."""
    token = user.badge_token
    return {
        "url": absolute_code_url("badge", token),
        "qr_svg_url": f"/c/{token}/qr.svg",
        "qr_png_url": f"/c/{token}/qr.png",
    }


def me(user: User) -> dict:
    """The current user's profile, what their badge shares, and their badge."""
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "initials": user.initials,
        "headline": user.headline,
        "company": user.company,
        "bio": user.bio,
        "links": user.link_list,
        "ask_me_about": user.ask_me_about_topics,
        "learning": user.learning_topics,
        "open_to_chat": user.open_to_chat,
        "shares": {
            "headline": user.share_headline,
            "company": user.share_company,
            "bio": user.share_bio,
            "topics": user.share_topics,
            "email": user.share_email,
            "links": user.share_links,
        },
        "shared_card": user.shared_card(),
        "badge": badge(user),
    }


def _named(thing) -> dict | None:
    """``{"id", "name"}`` of an event or space, or None."""
    return {"id": thing.id, "name": thing.name} if thing is not None else None


def contact_summary(contact: Contact) -> dict:
    """A contact as listed: card, how and when they met. Needs person and connection loaded."""
    connection = contact.connection
    return {
        "id": contact.id,
        "name": contact.display_name,
        "card": contact.card,
        "how": contact.how,
        "met_at": timestamp(contact.met_at),
        "event": _named(connection.event) if connection is not None else None,
        "space": _named(connection.space) if connection is not None else None,
        "url": url_for("contacts.show", contact_id=contact.id),
    }


def contact_list_item(contact: Contact, open_follow_ups: int) -> dict:
    """A contact in the list, with its number of open follow-ups."""
    return contact_summary(contact) | {"open_follow_ups": open_follow_ups}


def follow_up(item: FollowUp, today: date, *, with_contact: bool = False) -> dict:
    """A follow-up; ``with_contact`` adds the contact's id and name (needs it loaded)."""
    data = {
        "id": item.id,
        "what": item.what,
        "due_on": item.due_on.isoformat(),
        "done_at": timestamp(item.done_at),
        "overdue": item.is_overdue(today),
        "contact_id": item.contact_id,
        "note_id": item.interaction_id,
    }
    if with_contact:
        data["contact"] = {
            "id": item.contact.id,
            "name": item.contact.display_name,
            "url": url_for("contacts.show", contact_id=item.contact.id),
        }
    return data


def note(entry: Interaction, written_with: FollowUp | None, today: date) -> dict:
    """A timeline entry (note, meeting, call, or the record of a scan) and its follow-up."""
    return {
        "id": entry.id,
        "client_id": entry.client_id,
        "kind": entry.kind,
        "body": entry.body,
        "happened_at": timestamp(entry.happened_at),
        "updated_at": timestamp(entry.updated_at),
        "editable": entry.is_editable,
        "contact_id": entry.contact_id,
        "follow_up": follow_up(written_with, today) if written_with is not None else None,
    }


def contact_detail(contact: Contact, today: date) -> dict:
    """A contact with its timeline, newest first, and all its follow-ups (open first)."""
    by_note = {item.interaction_id: item for item in contact.follow_ups if item.interaction_id}
    follow_ups = sorted(
        contact.follow_ups, key=lambda item: (item.done_at is not None, item.due_on, item.id)
    )
    return contact_summary(contact) | {
        "timeline": [note(entry, by_note.get(entry.id), today) for entry in contact.interactions],
        "follow_ups": [follow_up(item, today) for item in follow_ups],
    }
